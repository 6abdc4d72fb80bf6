#!/usr/bin/env bash
# Prints this suite's Markdown section: JSON intake in MB/s, ours beside nlohmann's own parser
# and the callback parser used before (issue 22). Usage: bench/json/run.sh <build dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
json=$("$1/bench/bench_json_intake" --benchmark_repetitions="${JSON_BENCH_RUNS:-5}" --benchmark_report_aggregates_only=true \
  --benchmark_format=json 2>/dev/null)
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
exec python3 "$here/summarize.py" "$load_before" "$load_after" <<<"$json"
