#!/usr/bin/env bash
# The worker image with a model author's own models (build-push.sh --models DIR), from
# examples/external-models: built with buildah as build-push.sh builds it (the context of
# stage-models.sh, worker.Dockerfile's target worker-models), then run as a container runtime would.
# Its program, my-fossa, must be the node, as uid 10001 under tini; the models it accepts must be
# the ones the program listed at build time, others refused; WordLengths must run to completion
# through the node's API; and a stack naming a model the program lacks must stop the node with a
# message that says so. Needs the bases of base_images.sh (a CTest fixture); shares the layer cache
# of worker_image_test.sh, whose builder stage this image's builds on.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=buildah_env.sh
source "$(dirname "$0")/buildah_env.sh"

image=localhost/fossa-worker-models:test
context="$cache_dir/models-context"
rm -rf "$context"
"$source_dir/deploy/aws/images/stage-models.sh" "$source_dir/examples/external-models" "$context"
build_image worker-models worker "$context" --target worker-models

check_image_config "$image" 2345 node-healthcheck
check_node_binds_every_address "$image"
image_entrypoint=$(image_config "$image" '{{range .Entrypoint}}{{.}} {{end}}')
check "the entrypoint is the program's, under tini (got: $image_entrypoint)" \
  [ "$image_entrypoint" == "/usr/bin/tini -- /usr/local/bin/worker-entrypoint " ]
size_mb=$(image_size_mb "$image")
check "the image is under 130 MB (${size_mb} MB)" test "$size_mb" -lt 130

trap stop_image_node EXIT
start_image_node "$image"
recorded() { "${buildah[@]}" run "$ctr" -- cat "/usr/local/share/fossa/$1"; }
check "the program recorded is my-fossa" [ "$(recorded worker-program)" == my-fossa ]
check "the models recorded are the program's own: WordLengths (got: $(recorded accepted-models))" \
  [ "$(recorded accepted-models)" == WordLengths ]
lists_word_lengths() { recorded models.json | grep -q '"name": "WordLengths"'; }
check "... from its models --json" lists_word_lengths

node_pid=$(pid_of_descendant "$run_pid" my-fossa) || node_pid=""
node_uid=$([[ -n "$node_pid" ]] && uid_of "$node_pid" || echo "not found")
check "my-fossa node runs as uid 10001 (uid: $node_uid)" test "$node_uid" == 10001
tini_pid=$(pid_of_descendant "$run_pid" tini) || tini_pid=""
check "... under tini" test -n "$tini_pid"
check "the image's HEALTHCHECK command passes" \
  "${buildah[@]}" run --env FOSSA_HTTP_PORT="$port" "$ctr" -- /usr/local/bin/node-healthcheck

# WordLengths as a client sends it: the task's POST, then its document until it has ended (each GET
# waits on the node for up to 30 s).
answer=$(curl -sS -X POST "$url/api/0.01/task" -H 'Content-Type: application/json' \
  -d '{"model_class": "WordLengths", "resolver_context": {"words": "alpha,beta,gamma"}}')
task_id=$(grep -o '"task_id":"[^"]*"' <<<"$answer" | cut -d'"' -f4 || true)
check "the node takes WordLengths (answer: $answer)" test -n "$task_id"
document=""
for ((i = 0; i < 10; i++)); do
  document=$(curl -sS "$url/api/0.01/task/$task_id?wait=30")
  grep -q '"finished":' <<<"$document" && break
done
check "WordLengths completes in the image" grep -q '"status":"complete"' <<<"$document"
counted() { grep -q '"done":3' <<<"$document" && grep -q "total letters: 14" <<<"$document"; }
check "... with its 3 subtasks, 14 letters in all" counted

refusal=$(curl -sS -w ' HTTP %{http_code}' -X POST "$url/api/0.01/task" -H 'Content-Type: application/json' -d '{"model_class": "PartitionedExampleEtl"}')
check "a model not in the program's list is refused, the list named ($refusal)" \
  grep -q 'accepted classes: WordLengths"}} HTTP 412$' <<<"$refusal"

# The stack names the models (the task definition's FOSSA_ACCEPTED_MODELS): they win over the
# image's list, so one the program lacks stops the node as it starts. On the running node's port:
# a node that got past its settings would stop there too, rather than run on.
status=0
named=$("${buildah[@]}" run --env FOSSA_HTTP_PORT="$port" --env FOSSA_ACCEPTED_MODELS=PartitionedExampleEtl "$ctr" -- \
  /usr/bin/tini -- /usr/local/bin/worker-entrypoint 2>&1) || status=$?
says_why() { grep -q "'PartitionedExampleEtl' is not a model of this program; it has: WordLengths" <<<"$named"; }
check "a stack naming a model the program lacks: the node does not start (exit $status)" [ "$status" != 0 ]
check "... and says why" says_why

if ((failed > 0)); then
  echo "--- the node's log:"
  cat "$node_log"
fi
checks_done
