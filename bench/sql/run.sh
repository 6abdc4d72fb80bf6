#!/usr/bin/env bash
# Prints this suite's Markdown section. Usage: bench/sql/run.sh <build dir>
# SQL_BENCH_ROWS (default 2,000,000; the issue's figure is 10,000,000) and SQL_BENCH_RUNS (3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/compare.py" "$1/bench/bench_sql" "${SQL_BENCH_ROWS:-2000000}" "${SQL_BENCH_RUNS:-3}"
