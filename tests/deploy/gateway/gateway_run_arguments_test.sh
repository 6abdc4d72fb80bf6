#!/usr/bin/env bash
# fossa-gateway-run's command line for the gateway, from the settings cloud-init writes to
# /etc/fossa/gateway.env: with stand-ins for `aws` and `docker` that record how they are called
# (no AWS, no image), the `docker run` of fossa-gateway gets the stack's region, port, ECS cluster
# and, with FOSSA_LOG_GROUP, --log-group (job pages link to their workers' log lines); without it,
# no --log-group (a stack made before the setting existed).
set -euo pipefail

run_script=$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws/gateway/provision/fossa-gateway-run

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
cat >"$work/bin/aws" <<'STAND_IN'
#!/usr/bin/env bash
echo "aws $*" >>"$CALLS"
case "$1 $2" in
  "secretsmanager get-secret-value") echo "stand-in-secret" ;;
  "ecr get-login-password") echo "stand-in-ecr-password" ;;
  *) echo "aws stand-in: not a call fossa-gateway-run makes: aws $*" >&2; exit 1 ;;
esac
STAND_IN
cat >"$work/bin/docker" <<'STAND_IN'
#!/usr/bin/env bash
echo "docker $*" >>"$CALLS"
if [[ $1 == login ]]; then cat >/dev/null; fi  # the password, from a pipe
if [[ "$*" == *"--entrypoint id"* ]]; then echo 10001; fi
exit 0
STAND_IN
chmod +x "$work/bin/aws" "$work/bin/docker"

# The `docker run` that starts fossa-gateway, with gateway.env's settings plus "$@" (NAME=value).
gateway_command_line() {
  export CALLS=$work/calls.log
  : >"$CALLS"
  env -i PATH="$work/bin:/usr/bin:/bin" CALLS="$CALLS" FOSSA_REGION=eu-west-2 \
    FOSSA_PASSWORD_SECRET=arn:aws:secretsmanager:eu-west-2:123456789012:secret:gateway FOSSA_API_TOKEN_SECRET= \
    FOSSA_REGISTRY=123456789012.dkr.ecr.eu-west-2.amazonaws.com \
    FOSSA_GATEWAY_IMAGE=123456789012.dkr.ecr.eu-west-2.amazonaws.com/fossa-test:fossa-gateway \
    FOSSA_GATEWAY_HTTPS=0 FOSSA_GATEWAY_PORT=80 FOSSA_ECS_CLUSTER=fossa-test "$@" \
    bash "$run_script" >"$work/out" 2>&1 || fail "fossa-gateway-run failed: $(cat "$work/out")"
  grep '^docker run --rm --name fossa-gateway ' "$CALLS" || fail "fossa-gateway-run did not run fossa-gateway: $(cat "$CALLS")"
}

image=123456789012.dkr.ecr.eu-west-2.amazonaws.com/fossa-test:fossa-gateway
line=$(gateway_command_line FOSSA_LOG_GROUP=/fossa/test/ecs)
[[ $line == *" $image --discovery ecs --region eu-west-2 --port 80 --ecs-cluster fossa-test --log-group /fossa/test/ecs" ]] ||
  fail "with FOSSA_LOG_GROUP, expected the gateway to get --log-group /fossa/test/ecs; ran: $line"
echo "ok: with FOSSA_LOG_GROUP, the gateway gets --log-group and its region (job pages link to their log lines)"

line=$(gateway_command_line)
[[ $line == *" $image --discovery ecs --region eu-west-2 --port 80 --ecs-cluster fossa-test" ]] ||
  fail "without FOSSA_LOG_GROUP, expected no --log-group; ran: $line"
echo "ok: without FOSSA_LOG_GROUP, no --log-group"
