#!/usr/bin/env bash
# fossa-gateway.service (deploy/aws/gateway/provision) as systemd reads it: `systemd-analyze verify`
# must accept it without a single warning (a misspelt key is only a warning, and silently dropped).
# Verified from a copy whose programs exist here: the repository's fossa-gateway-run for ExecStart,
# /bin/true for docker, and stand-ins for the units it orders itself after (docker.service comes
# with the gateway's docker package; fossa-nat.service is tested with tests/deploy/nat).
set -euo pipefail

provision=$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws/gateway/provision
unit=fossa-gateway.service
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
command -v systemd-analyze >/dev/null || fail "systemd-analyze not found: run scripts/install-deps.sh --test"
# The contract with the gateway's cloud-init: where it installs the script and its settings.
grep -qx 'ExecStart=/usr/local/sbin/fossa-gateway-run' "$provision/$unit" ||
  fail "$unit does not run /usr/local/sbin/fossa-gateway-run, where the cloud-init installs it"
grep -qx 'EnvironmentFile=/etc/fossa/gateway.env' "$provision/$unit" ||
  fail "$unit does not read /etc/fossa/gateway.env, which the cloud-init writes"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed -e "s|/usr/local/sbin/fossa-gateway-run|$provision/fossa-gateway-run|" -e "s|/usr/bin/docker|/bin/true|" \
  "$provision/$unit" >"$work/$unit"
for stand_in in docker.service fossa-nat.service; do
  printf '[Unit]\nDescription=stand-in for %s\n[Service]\nExecStart=/bin/true\n' "$stand_in" >"$work/$stand_in"
done
status=0
output=$(cd "$work" && systemd-analyze verify "$unit" 2>&1) || status=$?
[[ $status == 0 && -z $output ]] || fail "systemd-analyze verify (status $status):"$'\n'"$output"
echo "ok: $unit verified by systemd-analyze, no warnings"
