#!/usr/bin/env bash
# `make demo`: the main job. Starts a local cluster — its own RabbitMQ and 4 `fossa node`s on
# loopback — runs PartitionedExampleEtl on it, prints which node ran each of its 16 subtasks and
# the wall time, then stops the cluster and says what to try next. KEEP_CLUSTER=1 leaves it up and
# prints its URLs.
# Usage: scripts/demo.sh <path to fossa>
set -euo pipefail
fossa=${1:?usage: demo.sh <path to fossa>}
dir=$(mktemp -d /tmp/fossa-demo-XXXXXX)
chmod 755 "$dir"
keep=${KEEP_CLUSTER:-0}
stop() { if [[ "$keep" != 1 ]]; then "$fossa" cluster --dir "$dir" down >/dev/null && rm -rf "$dir"; fi; }
trap stop EXIT

echo "== fossa cluster up: RabbitMQ and 4 nodes on this machine =="
"$fossa" cluster --dir "$dir" up --workers 4
node=$(grep -m1 '"url"' "$dir/cluster.json" | sed 's/.*"\(http[^"]*\)".*/\1/')
echo
echo "== fossa submit PartitionedExampleEtl to node-1; its 16 subtasks go through RabbitMQ to every node =="
"$fossa" submit PartitionedExampleEtl --node "$node" --context complexity=4 --wait --subtasks
echo
if [[ "$keep" == 1 ]]; then
  "$fossa" cluster --dir "$dir" status
  echo "The cluster is still up. Stop it with: $fossa cluster --dir $dir down"
else
  echo "== fossa cluster down =="
fi
echo
cat <<EOF
== What to try next ==
Jobs through the gateway, with pages that follow them live:
  $fossa cluster up --gateway      # prints the gateway's URL, user fossa and a fresh password
  export FOSSA_GATEWAY_PASSWORD=<that password>
  $fossa submit --gateway <its URL> Fanout --context subtasks=500 --wait
  $fossa jobs --gateway <its URL>   # or open <its URL>/ in a browser: the nodes, the jobs, each job's page
  $fossa cluster down
A model run on this machine alone, its subtasks in parallel processes:
  $fossa models                    # what this program can run
  $fossa run PartitionedExampleEtl --context complexity=5
A model of your own: examples/external-models/ (a project of its own, built against an installed
Fossa; its README.md shows the steps) and docs/writing-models.md.
EOF
