#!/usr/bin/env bash
# Where the gateway's CPU goes, by thread: one `sluice-bench gateway` run at one client
# count, with each server thread's CPU time read from /proc over the middle of the run.
# Prints packages/s, the server's CPU ms per package, and that figure split between the
# committing thread, the write-ahead-log checkpointer, the cooperative pool (decoding,
# masking, sealing) and the NIO event loops. Linux only.
#
#   bash Benchmarks/gateway-threads.sh [--clients 16] [--seconds 8] [--sluice BUILD]
#
# The split is each thread's share of the server's CPU in the window times the whole
# run's CPU per package, so it holds when the run is steady (as it is at 16 clients).
# The busiest thread of NIO's pools (`TP-…`) is taken to be the committing thread: the
# other pool seals only payloads over 1 MiB, and the benchmark's packages are 43 KiB.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=16 seconds=8 sluice=.build/release/sluice
while [ $# -gt 0 ]; do
    case "$1" in
        --clients) clients=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --sluice) sluice=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 64 ;;
    esac
done
if [ "$seconds" -lt 6 ]; then echo "--seconds must be at least 6" >&2; exit 64; fi
swift build -c release --product sluice-bench >/dev/null
if [ "$sluice" = .build/release/sluice ]; then swift build -c release --product sluice >/dev/null; fi
output=$(mktemp)
trap 'rm -f "$output"' EXIT

.build/release/sluice-bench gateway --clients "$clients" --seconds "$seconds" --sluice "$sluice" >"$output" 2>&1 &
bench=$!
# The gateway starts and the one-client warm-up ends within about three seconds.
sleep 3
server=$(pgrep -f -n "$(basename "$sluice") serve" || true)
if [ -z "$server" ]; then
    wait "$bench" || true
    cat "$output" >&2
    echo "no gateway process found" >&2
    exit 1
fi
snapshot() {
    for task in /proc/"$server"/task/*; do
        printf '%s %s %s\n' "$(basename "$task")" "$(tr ' ' '_' <"$task/comm")" "$(awk '{print $14 + $15}' "$task/stat")"
    done
}
first=$(snapshot)
sleep $((seconds - 4))
second=$(snapshot)
wait "$bench"

summary=$(awk -v clients="$clients" '$1 == clients { print $2, $9 }' "$output")
if [ -z "$summary" ]; then cat "$output" >&2; exit 1; fi
awk -v summary="$summary" '
    NR == FNR { before[$1] = $3; next }
    {
        used = $3 - before[$1]; total += used
        if ($2 == "sluice-wal-ckpt") checkpointer += used
        else if ($2 ~ /^NIO-/) loops += used
        else if ($2 ~ /qos/) pool += used
        else if ($2 ~ /^TP-/ && used > commit) { other += commit; commit = used }
        else other += used
    }
    END {
        split(summary, figures, " ")
        perPackage = figures[2] / (total > 0 ? total : 1)
        printf "packages/s %s, server CPU %.2f ms/package: committing thread %.3f, checkpointer %.3f, cooperative pool %.3f, event loops %.3f, other %.3f\n",
            figures[1], figures[2], commit * perPackage, checkpointer * perPackage, pool * perPackage, loops * perPackage, other * perPackage
    }
' <(echo "$first") <(echo "$second")
