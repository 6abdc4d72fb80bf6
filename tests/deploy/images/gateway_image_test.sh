#!/usr/bin/env bash
# Builds the gateway image (deploy/aws/images/gateway.Dockerfile) with buildah and runs it as the
# gateway instance does (its own ENTRYPOINT and USER, the host's network), in a network namespace
# of its own: there, as on the instance, a port below 1024 is privileged, so the non-root gateway
# serving port 80 proves the file capability works. It must also pass the image's HEALTHCHECK,
# let in the password from GATEWAY_HTTP_PASSWORD and stop on SIGTERM. Needs the bases of
# base_images.sh (a CTest fixture).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=buildah_env.sh
source "$(dirname "$0")/buildah_env.sh"

image=localhost/fossa-gateway:test
build_image gateway


check_image_config "$image" 80 gateway-healthcheck
cmd=$(image_config "$image" '{{range .Cmd}}{{.}} {{end}}')
check "by default it discovers the nodes in ECS (got: $cmd)" [ "$cmd" == "--discovery ecs " ]
size_mb=$(image_size_mb "$image")
# Our slim base is some 78 MB, the gateway's own layers some 17 MB.
check "the image is under 130 MB (${size_mb} MB)" test "$size_mb" -lt 130

read -ra entrypoint <<<"$(image_config "$image" '{{range .Entrypoint}}{{.}} {{end}}')"
ctr=$("${buildah[@]}" from --pull=never --quiet "$image")
netns="fossa-images-test-$$"
log=$(mktemp)
run_pid=""
cleanup() {
  if [[ -n "$run_pid" ]]; then kill "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; fi
  "${buildah[@]}" rm "$ctr" >/dev/null 2>&1 || true
  ip netns delete "$netns" 2>/dev/null || true
  rm -f "$log"
}
trap cleanup EXIT
ip netns add "$netns"
ip -n "$netns" link set lo up
# nsenter, not `ip netns exec`, which also remounts /sys: buildah run then fails as it cleans up.
in_netns() { nsenter --net="/run/netns/$netns" "$@"; }

privileged_from=$(in_netns cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
check "port 80 is privileged in the test's network namespace (unprivileged from $privileged_from)" \
  test "$privileged_from" -gt 80

# As fossa-gateway-run starts it, the password in the environment (buildah, unlike docker -e NAME,
# takes only NAME=value); the nodes from a list rather than ECS (none need answer here).
password="image-test-password"
in_netns "${buildah[@]}" run --env GATEWAY_HTTP_PASSWORD="$password" "$ctr" -- \
  "${entrypoint[@]}" --discovery local --node http://127.0.0.1:2345 >"$log" 2>&1 &
run_pid=$!
if url=$(wait_for_url "$log" "$run_pid"); then
  echo "== fossa-gateway of the image ready at $url"
else
  url=""
fi
check "the gateway serves port 80 (at: ${url:-nothing})" [ "$url" == "http://127.0.0.1:80" ]
gateway_pid=$(pid_of_descendant "$run_pid" fossa-gateway) || gateway_pid=""
gateway_uid=$([[ -n "$gateway_pid" ]] && uid_of "$gateway_pid" || echo "not found")
check "fossa-gateway runs as uid 10001 (uid: $gateway_uid)" test "$gateway_uid" == 10001
check "the image's HEALTHCHECK command passes" in_netns "${buildah[@]}" run "$ctr" -- /usr/local/bin/gateway-healthcheck
code=$(in_netns curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1/api/clusters || true)
check "without the password: 401 (got $code)" [ "$code" == 401 ]
code=$(in_netns curl -s -o /dev/null -w '%{http_code}' -u "fossa:$password" http://127.0.0.1/api/clusters || true)
check "with the password from GATEWAY_HTTP_PASSWORD: 200 (got $code)" [ "$code" == 200 ]

if [[ -n "$gateway_pid" ]]; then kill -TERM "$gateway_pid"; fi
status=0
wait "$run_pid" || status=$?
run_pid=""
check "on SIGTERM the gateway stops cleanly (exit $status)" [ "$status" == 0 ]
if ((failed > 0)); then
  echo "--- the gateway's log:"
  cat "$log"
fi

checks_done
