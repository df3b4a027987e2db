#!/usr/bin/env bash
# Masking throughput (three runs, the machine is shared) and memory on a 1,000,000-record
# stream in a separate process, so earlier runs' buffers do not hide its peak.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product sluice-bench >/dev/null
for run in 1 2 3; do
  taskset -c 0 .build/release/sluice-bench mask --records 300000 --text-megabytes 64 --stream-records 0 | tail -3
done
taskset -c 0 .build/release/sluice-bench mask --records 1000 --text-megabytes 1 --stream-records 1000000 | tail -1
