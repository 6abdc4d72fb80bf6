#!/usr/bin/env bash
# Installs the built Fossa into a temporary prefix, builds the external-models example against it
# and checks that its own model runs — here, and on its own local cluster through its gateway. Usage: build_and_run.sh <fossa build dir> <example source dir>
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

# The README's local path: the program's own cluster with its gateway (fossa-gateway from the
# installed bin/, on PATH), a job sent through the gateway and followed to its end, and listed.
cluster="$work/cluster"
mkdir -p "$cluster"
chmod 755 "$work" "$cluster"  # the broker runs as the rabbitmq user
trap '"$work/build/my-fossa" cluster --dir "$cluster" down >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
up=$(PATH="$work/prefix/bin:$PATH" "$work/build/my-fossa" cluster --dir "$cluster" up --workers 2 --gateway 2>&1) ||
  { echo "FAIL: cluster up --gateway: $up"; exit 1; }
[[ "$up" =~ gateway\ +(http://[0-9.:]+)/\ +user\ fossa,\ password\ ([A-Za-z0-9]+) ]] ||
  { echo "FAIL: no gateway URL and password in: $up"; exit 1; }
gateway=${BASH_REMATCH[1]}
export FOSSA_GATEWAY_PASSWORD=${BASH_REMATCH[2]}
job=$("$work/build/my-fossa" submit --gateway "$gateway" WordLengths --context words=alpha,beta,gamma --wait 2>&1) ||
  { echo "FAIL: submit --gateway: $job"; exit 1; }
echo "$job"
grep -q 'WordLengths complete in .*: 3 subtasks, 0 failed' <<<"$job" || { echo "FAIL: the job through the gateway did not complete"; exit 1; }
jobs=$("$work/build/my-fossa" jobs --gateway "$gateway" 2>&1) || { echo "FAIL: jobs --gateway: $jobs"; exit 1; }
grep -q 'WordLengths  complete' <<<"$jobs" || { echo "FAIL: fossa jobs does not list it: $jobs"; exit 1; }
echo "2 passed, 0 failed"
