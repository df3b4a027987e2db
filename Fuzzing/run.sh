#!/usr/bin/env bash
# Builds the libFuzzer targets and runs each for SECONDS (default 60) on a copy of its
# seed corpus, so the repository's corpus only changes when someone adds a seed on
# purpose. Exits 1 when a target crashes; the input that did it is kept in the
# printed folder. A long run: `bash Fuzzing/run.sh 3600` (an hour per target).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(FuzzRecords FuzzText FuzzAgreement FuzzNotes FuzzEnvelope)

swift build -c release -Xswiftc -sanitize=fuzzer,address
# AddressSanitizer reports a crash itself; Swift's own backtracer would get in its way.
export SWIFT_BACKTRACE=enable=no

work=$(mktemp -d)
failed=0
for target in "${targets[@]}"; do
  mkdir -p "$work/$target/corpus" "$work/$target/crashes"
  cp -R "Corpus/$target/." "$work/$target/corpus/"
  echo "== $target, $seconds s"
  if ! ".build/release/$target" "$work/$target/corpus" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
      -artifact_prefix="$work/$target/crashes/" -print_final_stats=1 2> "$work/$target/log"; then
    failed=1
    echo "$target FAILED; the input is in $work/$target/crashes"
  fi
  grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::new_units_added)" "$work/$target/log" || tail -5 "$work/$target/log"
done
[ "$failed" = 0 ] && rm -rf "$work"
exit "$failed"
