#!/usr/bin/env bash
# Builds the worker image (deploy/aws/images/worker.Dockerfile) with buildah, then runs it as a
# container runtime would, its own ENTRYPOINT and USER: `fossa node` must start as the non-root
# user, answer /healthz, pass the image's own HEALTHCHECK, run a partitioned task to completion (its
# subtasks in processes of their own), and stop cleanly on SIGTERM. Needs the bases of
# base_images.sh (a CTest fixture). The chroot shares this machine's network: the node listens on a
# free port of loopback.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=buildah_env.sh
source "$(dirname "$0")/buildah_env.sh"

image=localhost/fossa-worker:test
build_image worker


check_image_config "$image" 2345 node-healthcheck
check_node_binds_every_address "$image"
size_mb=$(image_size_mb "$image")
# Our slim base is some 78 MB, the worker's own layers some 16 MB. A bound well above, to catch a
# -dev package or a build tree that slipped into the runtime stage.
check "the image is under 130 MB (${size_mb} MB)" test "$size_mb" -lt 130

trap stop_image_node EXIT
# The node as the image starts it: ENTRYPOINT, USER and WORKDIR of the image; only the port is ours.
start_image_node "$image" --env FOSSA_MAX_CONCURRENT_TASKS=2

node_pid=$(pid_of_descendant "$run_pid" fossa) || node_pid=""
node_uid=$([[ -n "$node_pid" ]] && uid_of "$node_pid" || echo "not found")
check "fossa node runs as uid 10001 (uid: $node_uid)" test "$node_uid" == 10001
check "GET /healthz answers 200" curl -fsS -o /dev/null "$url/healthz"
check "the image's HEALTHCHECK command passes" \
  "${buildah[@]}" run --env FOSSA_HTTP_PORT="$port" "$ctr" -- /usr/local/bin/node-healthcheck
# The stock image accepts the demo unless the stack names others: the other examples are for tests.
refused=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$url/api/0.01/task" -H 'Content-Type: application/json' -d '{"model_class": "NothingEtl"}')
check "an example model the image does not accept by default is refused (HTTP $refused)" [ "$refused" == 412 ]
check "a partitioned task runs to completion in the image" \
  "${buildah[@]}" run "$ctr" -- /usr/local/bin/fossa submit PartitionedExampleEtl -c complexity=1 \
  --node "$url" --wait

# tini, the image's PID 1, passes SIGTERM to the node, which stops its tasks and exits 0.
tini_pid=$(pid_of_descendant "$run_pid" tini) || tini_pid=""
kill -TERM "${tini_pid:-$node_pid}"
status=0
wait "$run_pid" || status=$?
run_pid=""
check "on SIGTERM the node stops cleanly (exit $status)" [ "$status" == 0 ]
check "... and says so" grep -q "fossa node stopped" "$node_log"
if ((failed > 0)); then
  echo "--- the node's log:"
  cat "$node_log"
fi

checks_done
