#!/usr/bin/env bash
# `make bench`: runs every bench/<suite>/run.sh side by side with its baseline and writes
# bench/RESULTS.md with the machine the figures come from. Usage: bench/run.sh <build dir>
set -euo pipefail
build=$(cd "${1:?usage: bench/run.sh <build dir>}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$here/RESULTS.md
{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\` on $(date -u +%Y-%m-%dT%H:%MZ). Shared, noisy machines: read the medians and ratios."
  echo
  echo "| machine | |"
  echo "| --- | --- |"
  echo "| CPU | $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') |"
  echo "| cores | $(nproc) |"
  echo "| memory | $(free -h | awk '/^Mem:/ {print $2}') |"
  echo "| kernel | $(uname -r) |"
  echo "| compiler | $(c++ --version | head -1) |"
  echo "| load average at start (1, 5, 15 min) | $(cut -d' ' -f1-3 /proc/loadavg) |"
  echo
  for suite in "$here"/*/run.sh; do
    "$suite" "$build"
    echo
  done
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
