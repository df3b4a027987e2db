#!/usr/bin/env python3
"""The peer of `sluice-bench width`: the same one-record bodies (case_no, W-2 unlisted keys,
one key not in ASCII), decoded by Python's C json module and by csv.DictReader, fastest of
5 runs. Decoding only: no filtering or masking.

    taskset -c 0 python3 Benchmarks/width-peer.py [KEYS [STEPS]]   (default 10000 4)
"""
import csv
import io
import json
import sys
import time


def bodies(keys):
    names = ["case_no"] + [f"k{i}" for i in range(keys - 2)] + ["备注"]
    record = json.dumps({name: ("A1" if index == 0 else 1) for index, name in enumerate(names)}, ensure_ascii=False)
    table = ",".join(names) + "\n" + ",".join(["A1"] + ["1"] * (keys - 1)) + "\n"
    return record, table


def fastest(work, runs=5):
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main():
    keys = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    print("keys     json.loads ms  csv.DictReader ms")
    for step in range(steps):
        width = keys << step
        record, table = bodies(width)
        print(f"{width:<8} {fastest(lambda: json.loads(record)):13.1f}  "
              f"{fastest(lambda: list(csv.DictReader(io.StringIO(table)))):17.1f}")


if __name__ == "__main__":
    main()
