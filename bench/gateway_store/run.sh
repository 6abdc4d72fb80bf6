#!/usr/bin/env bash
# Prints this suite's Markdown section. Usage: bench/gateway_store/run.sh <build dir>
# STORE_BENCH_JOBS (default 100,000) and STORE_BENCH_RUNS (default 9).
set -euo pipefail
exec "$1/bench/bench_gateway_store" "${STORE_BENCH_JOBS:-100000}" "${STORE_BENCH_RUNS:-9}"
