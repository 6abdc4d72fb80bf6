#!/usr/bin/env bash
# `make bench`: runs every bench/<suite>/run.sh side by side with its baseline and writes
# bench/RESULTS.md with the machine the figures come from. What follows the line $kept_from in
# RESULTS.md (before and after measurements, profiles: written by hand) is kept as it is.
# Usage: bench/run.sh <build dir>
set -euo pipefail
build=$(cd "${1:?usage: bench/run.sh <build dir>}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$here/RESULTS.md
kept_from='<!-- Written by hand from here on: make bench keeps what follows as it is. -->'
by_hand=$(mktemp)
trap 'rm -f "$by_hand"' EXIT
if [[ -f "$out" ]]; then
  awk -v line="$kept_from" '$0 == line {keep = 1} keep' "$out" > "$by_hand"
fi
[[ -s "$by_hand" ]] || echo "$kept_from" > "$by_hand"
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
  cat "$by_hand"
} > "$out.tmp"
mv "$out.tmp" "$out"
cat "$out"
