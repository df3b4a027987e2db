#!/usr/bin/env python3
"""Recompute the audit trail offline, with no Sluice code: only hashlib and `cryptography`.

From `sluice audit export` (one canonical JSON entry per line) it recomputes the RFC 9162
root at the size of a signed checkpoint from `sluice audit checkpoint`, checks the note's
Ed25519 signature with the published verifier key (C2SP signed note; key id =
SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4]), and checks an inclusion proof printed by
`sluice audit prove`. It also checks that it would notice: one changed byte in the export
gives another root.

Usage: audit_offline_check.py SLUICE_BINARY
"""
import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def sluice(binary, folder, *args):
    process = subprocess.run(
        [binary, *args, "--data-dir", os.path.join(folder, "data"), "--certs", os.path.join(folder, "certs")],
        capture_output=True,
        cwd=folder,
    )
    if process.returncode != 0:
        raise SystemExit(f"sluice {' '.join(args)} failed ({process.returncode}): {process.stderr.decode()[-1500:]}")
    return process.stdout


def leaf_hash(line):
    return hashlib.sha256(b"\x00" + line).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def root(leaves):
    """MTH of RFC 9162 §2.1.1, straight from its recursive definition."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    split = 1
    while split * 2 < len(leaves):
        split *= 2
    return node_hash(root(leaves[:split]), root(leaves[split:]))


def verify_inclusion(index, size, leaf, proof, expected_root):
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def open_note(note, vkey):
    name, key_id_hex, key_b64 = vkey.strip().split("+", 2)
    material = base64.b64decode(key_b64)
    assert material[0] == 1, "not an Ed25519 verifier key"
    key_id = hashlib.sha256(name.encode() + b"\n" + material).digest()[:4]
    assert key_id.hex() == key_id_hex, "verifier key id does not match"
    public_key = Ed25519PublicKey.from_public_bytes(material[1:])
    text, _, signatures = note.rpartition("\n\n")
    text += "\n"
    for line in signatures.splitlines():
        signer, blob = line.removeprefix("\u2014 ").split(" ")
        blob = base64.b64decode(blob)
        if signer == name and blob[:4] == key_id:
            public_key.verify(blob[4:], text.encode())
            return text
    raise SystemExit("no signature by the published checkpoint key")


def main():
    binary = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory() as folder:
        sluice(binary, folder, "init")
        for _ in range(6):
            sluice(binary, folder, "audit", "query", "--limit", "1")
        sluice(binary, folder, "audit", "checkpoint", "--sign")
        for _ in range(3):
            sluice(binary, folder, "audit", "tail", "-n", "1")
        note = sluice(binary, folder, "audit", "checkpoint", "--sign").decode()
        proof = json.loads(sluice(binary, folder, "audit", "prove", "--index", "3"))
        export = sluice(binary, folder, "audit", "export", "--format", "jsonl")
        with open(os.path.join(folder, "certs", "audit-checkpoint.vkey")) as handle:
            vkey = handle.read()

        text = open_note(note, vkey)
        origin, size, root_b64 = text.splitlines()[:3]
        size = int(size)
        lines = export.rstrip(b"\n").split(b"\n")
        for index, line in enumerate(lines):
            assert json.loads(line)["sequence"] == index, f"line {index} is not leaf {index}"
        assert len(lines) >= size, f"the export has {len(lines)} entries, the checkpoint {size}"
        leaves = [leaf_hash(line) for line in lines[:size]]
        computed = root(leaves)
        assert computed == base64.b64decode(root_b64), "recomputed root differs from the signed checkpoint"
        print(f"ok: root of {size} exported entries matches the checkpoint signed by {origin}")

        proof_text = open_note(proof["checkpoint"], vkey)
        proof_root = base64.b64decode(proof_text.splitlines()[2])
        proof_size = int(proof_text.splitlines()[1])
        entry = proof["entry"].encode()
        assert entry == lines[3], "the proved entry is not the exported entry 3"
        assert verify_inclusion(3, proof_size, leaf_hash(entry), [base64.b64decode(h) for h in proof["inclusion_proof"]], proof_root)
        print(f"ok: inclusion proof for entry 3 in the tree of {proof_size} verifies")

        tampered = list(lines[:size])
        tampered[2] = tampered[2].replace(b"success", b"sUccess")
        assert root([leaf_hash(line) for line in tampered]) != computed, "a changed entry must change the root"
        bad_note = note.replace(root_b64, base64.b64encode(leaf_hash(b"x")).decode())
        try:
            open_note(bad_note, vkey)
            raise SystemExit("a changed checkpoint must not verify")
        except InvalidSignature:
            pass
        print("ok: a changed entry or checkpoint is noticed")


if __name__ == "__main__":
    main()
