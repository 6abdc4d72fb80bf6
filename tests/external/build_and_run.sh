#!/usr/bin/env bash
# Installs the built Fossa into a temporary prefix, builds the external-models example against it
# and checks that its own model runs. Usage: build_and_run.sh <fossa build dir> <example source dir>
set -euo pipefail
build_dir=$1
example_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" >/dev/null
cmake -S "$example_dir" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" -j 2 >/dev/null

"$work/build/my-fossa" models | grep -q '^WordLengths  (partitioned)$' || { echo "WordLengths is not registered"; exit 1; }
output=$("$work/build/my-fossa" run WordLengths --context words=alpha,beta,gamma --workers 2 2>&1)
echo "$output"
grep -q 'total letters: 14' <<<"$output" || { echo "FAIL: expected 'total letters: 14'"; exit 1; }
grep -q 'WordLengths complete: 3 subtasks, 0 failed' <<<"$output" || { echo "FAIL: no completion summary"; exit 1; }

# A missing context key is a clear failure naming the key.
if missing=$("$work/build/my-fossa" run WordLengths 2>&1); then echo "FAIL: ran without 'words'"; exit 1; fi
grep -q "no key 'words'" <<<"$missing" || { echo "FAIL: missing key not named: $missing"; exit 1; }
echo "1 passed, 0 failed"
