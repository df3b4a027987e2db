#!/usr/bin/env bash
# Audit trail: durable and batched appends, verification, proofs and size at 1,000,000
# entries, on the disk holding the folder given (default: the repository's parent). Not
# pinned to one core: verification reads on one core while it hashes on the other.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice-bench >/dev/null
.build/release/sluice-bench audit --folder "${1:-..}" "${@:2}"
