#!/usr/bin/env bash
# Submissions over mutual TLS against a real gateway process: 100-record packages at 1, 16
# and 64 concurrent clients, every answer after a durable commit. Release build; the load
# generator runs on the same machine.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice >/dev/null
swift build -c release --product sluice-bench >/dev/null
.build/release/sluice-bench gateway "$@"
