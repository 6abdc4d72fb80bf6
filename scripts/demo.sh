#!/usr/bin/env bash
# `make demo`: the main job. Runs PartitionedExampleEtl with its 16 subtasks in parallel worker
# processes on this machine and prints each subtask's result.
# Usage: scripts/demo.sh <path to fossa> [extra fossa run options]
set -euo pipefail
fossa=${1:?usage: demo.sh <path to fossa>}
shift
echo "== fossa run PartitionedExampleEtl: 16 subtasks in parallel worker processes =="
"$fossa" run PartitionedExampleEtl "$@"
