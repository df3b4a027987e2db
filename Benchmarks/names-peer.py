#!/usr/bin/env python3
"""The peer for `sluice-bench names`: jieba's part-of-speech tagger (jieba.posseg), whose
`nr` tag marks person names, on the same notes (`sluice-bench names --output FILE`).

A planted name counts as found when one `nr` token covers it whole (a longer token
counts: it masks the name). For a record's note the name may be written with spaces or an
invisible character inside; the peer gets the note as written, as Sluice does.
Prints recall per kind of note, false positives, and throughput.

    python3 Benchmarks/names-peer.py /tmp/names.jsonl [--min-recall-gap 0]
"""
import json
import sys
import time

import jieba
import jieba.posseg as posseg

jieba.setLogLevel(60)


def spans(text, needle):
    start = text.find(needle)
    while start >= 0:
        yield start, start + len(needle)
        start = text.find(needle, start + 1)


def main(path):
    notes = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    posseg.lcut("预热")
    planted = {"cue": 0, "record": 0}
    found = {"cue": 0, "record": 0}
    decoy_hits = decoys = stray = 0
    started = time.perf_counter()
    tagged = []
    for note in notes:
        tokens, offset = [], 0
        for pair in posseg.cut(note["text"]):
            if pair.flag.startswith("nr"):
                tokens.append((offset, offset + len(pair.word)))
            offset += len(pair.word)
        tagged.append(tokens)
    seconds = time.perf_counter() - started
    size = sum(len(note["text"].encode("utf-8")) for note in notes)
    for note, tokens in zip(notes, tagged):
        kind = note["kind"]
        if kind == "decoy":
            decoys += 1
            decoy_hits += len(tokens)
            continue
        places = []
        for name in note["names"]:
            planted[kind] += 1
            where = list(spans(note["text"], name))
            places += where
            if any(t0 <= s0 and t1 >= s1 for s0, s1 in where for t0, t1 in tokens):
                found[kind] += 1
        if kind == "cue":
            stray += sum(1 for t0, t1 in tokens if not any(t0 < s1 and s0 < t1 for s0, s1 in places))
    print(f"jieba {jieba.__version__} posseg, nr tags, on {len(notes)} notes from {path}")
    for kind in ("cue", "record"):
        recall = found[kind] / max(planted[kind], 1)
        print(f"{kind + ' names:':14} recall {recall:.4f} ({found[kind]}/{planted[kind]})")
    print(f"false positives: {decoy_hits} in {decoys} decoy notes, {stray} elsewhere in notes with names")
    print(f"tagging:        {size / seconds / 1e6:.1f} MB/s")


if __name__ == "__main__":
    main(sys.argv[1])
