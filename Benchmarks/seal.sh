#!/usr/bin/env bash
# Envelope throughput next to the machine's raw AES-256-GCM rate, both on core 0.
# (openssl runs from here, not from the benchmark: a child of the Swift process inherits
# a signal mask that blocks the SIGALRM openssl speed uses to stop.)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice-bench >/dev/null
echo "openssl speed -evp aes-256-gcm (1 MiB blocks):"
taskset -c 0 openssl speed -evp aes-256-gcm -seconds 3 -bytes 1048576 2>/dev/null | tail -1
taskset -c 0 .build/release/sluice-bench seal "$@"
