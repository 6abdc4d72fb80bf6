#!/usr/bin/env bash
# Prints this suite's Markdown section. Usage: bench/csv/run.sh <build dir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/compare.py" "$1/bench/bench_csv_transform" "${CSV_BENCH_MB:-50}" "${CSV_BENCH_RUNS:-5}"
