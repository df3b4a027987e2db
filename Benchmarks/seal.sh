#!/usr/bin/env bash
# Envelope throughput next to the machine's raw AES-256-GCM and SHA-256 rates, all on core 0.
# (openssl runs from here, not from the benchmark: a child of the Swift process inherits
# a signal mask that blocks the SIGALRM openssl speed uses to stop.)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice-bench >/dev/null
echo "openssl speed -evp aes-256-gcm (1 MiB blocks):"
taskset -c 0 openssl speed -evp aes-256-gcm -seconds 3 -bytes 1048576 2>/dev/null | tail -1
# A JWS signature hashes the base64url payload (4/3 of its bytes): the ceiling for any
# sign-then-encrypt envelope on this machine.
echo "openssl speed -evp sha256 (1 MiB blocks):"
taskset -c 0 openssl speed -evp sha256 -seconds 3 -bytes 1048576 2>/dev/null | tail -1
taskset -c 0 .build/release/sluice-bench seal "$@"
