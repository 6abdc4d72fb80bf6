#!/usr/bin/env bash
# Builds the gateway image (deploy/aws/images/gateway.Dockerfile) with buildah and runs it as the
# gateway instance does: through the instance's own fossa-gateway-run (deploy/aws/gateway/provision),
# with stand-ins for `aws` (Secrets Manager, ECR) and `docker` (stand_in_*.sh; its `docker run`
# becomes `buildah run` with the image's ENTRYPOINT and USER), in a network namespace of its own:
# there, as on the instance, a port below 1024 is privileged, so the non-root gateway serving port
# 80 proves the file capability works. It must also pass the image's HEALTHCHECK, let in the
# password from Secrets Manager, run ECS discovery in the stack's region, and stop on SIGTERM.
# Needs the bases of base_images.sh (a CTest fixture).
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
stand_ins=""
run_pid=""
cleanup() {
  if [[ -n "$run_pid" ]]; then kill "$run_pid" 2>/dev/null || true; wait "$run_pid" 2>/dev/null || true; fi
  "${buildah[@]}" rm "$ctr" >/dev/null 2>&1 || true
  ip netns delete "$netns" 2>/dev/null || true
  rm -f "$log"
  rm -rf "$stand_ins"
}
trap cleanup EXIT
ip netns add "$netns"
ip -n "$netns" link set lo up
# nsenter, not `ip netns exec`, which also remounts /sys: buildah run then fails as it cleans up.
in_netns() { nsenter --net="/run/netns/$netns" "$@"; }

privileged_from=$(in_netns cat /proc/sys/net/ipv4/ip_unprivileged_port_start)
check "port 80 is privileged in the test's network namespace (unprivileged from $privileged_from)" \
  test "$privileged_from" -gt 80

# fossa-gateway-run as systemd starts it, with the settings cloud-init writes to
# /etc/fossa/gateway.env (HTTPS off: its certificate would go to the host's /etc/fossa/tls).
password="image-test-password"
stand_ins=$(mktemp -d)
ln -s "$source_dir/tests/deploy/images/stand_in_aws.sh" "$stand_ins/aws"
ln -s "$source_dir/tests/deploy/images/stand_in_docker.sh" "$stand_ins/docker"
registry=123456789012.dkr.ecr.eu-west-2.amazonaws.com
export STAND_IN_LOG="$stand_ins/calls.log" STAND_IN_REGION=eu-west-2 STAND_IN_SECRET_ID=fossa-test/gateway-password \
  STAND_IN_PASSWORD="$password" STAND_IN_REGISTRY="$registry" STAND_IN_IMAGE="$registry/fossa-test:fossa-gateway" \
  STAND_IN_BUILDAH="${buildah[*]}" STAND_IN_CONTAINER="$ctr" STAND_IN_ENTRYPOINT="${entrypoint[*]}"
in_netns env PATH="$stand_ins:$PATH" FOSSA_REGION=eu-west-2 FOSSA_PASSWORD_SECRET=fossa-test/gateway-password \
  FOSSA_REGISTRY="$registry" FOSSA_GATEWAY_IMAGE="$STAND_IN_IMAGE" FOSSA_GATEWAY_HTTPS=0 FOSSA_GATEWAY_PORT=80 \
  FOSSA_LOG_GROUP=/fossa/test/ecs "$source_dir/deploy/aws/gateway/provision/fossa-gateway-run" >"$log" 2>&1 &
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
# With the password from Secrets Manager it is let in, to ECS discovery in the stack's region: with
# no AWS here, that says it found no credentials (the instance has its role's).
answer=$(in_netns curl -s -w ' %{http_code}' -u "fossa:$password" http://127.0.0.1/api/clusters || true)
check "with the password from Secrets Manager: ECS discovery's 502, no credentials here (got: $answer)" \
  grep -q 'no AWS credentials.* 502$' <<<"$answer"
check "fossa-gateway-run asked Secrets Manager for the stack's secret" \
  grep -qx "aws secretsmanager get-secret-value --region eu-west-2 --secret-id fossa-test/gateway-password .*" \
  "$STAND_IN_LOG"
check "fossa-gateway-run logged in to the stack's registry and pulled the image" \
  grep -qx "docker pull -q $STAND_IN_IMAGE" "$STAND_IN_LOG"
check "the gateway runs as fossa-gateway-run asks: ECS discovery in the stack's region, port 80, the workers' log group" \
  grep -qx "docker run .* $STAND_IN_IMAGE --discovery ecs --region eu-west-2 --port 80 --log-group /fossa/test/ecs" "$STAND_IN_LOG"
password_on_no_command_line() { ! grep -qF "$password" "$STAND_IN_LOG"; }
check "the password is on no command line" password_on_no_command_line

if [[ -n "$gateway_pid" ]]; then kill -TERM "$gateway_pid"; fi
status=0
wait "$run_pid" || status=$?
run_pid=""
check "on SIGTERM the gateway stops cleanly (exit $status)" [ "$status" == 0 ]
if ((failed > 0)); then
  echo "--- fossa-gateway-run's and the gateway's log:"
  cat "$log"
  echo "--- the calls to the stand-ins:"
  cat "$STAND_IN_LOG"
fi

checks_done
