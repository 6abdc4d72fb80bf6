#!/usr/bin/env bash
# The gateway's systemd units (deploy/aws/gateway/provision/*.service, *.timer) as systemd reads
# them: `systemd-analyze verify` must accept them without a single warning (systemd ignores a
# misspelt key with only a warning, which would silently drop, say, RemainAfterExit). They are
# verified from copies whose programs exist here — the repository's fossa-provision, fossa-nat and
# fossa-gateway-run instead of their /usr/local/sbin paths on the gateway, /bin/true for docker —
# beside a stand-in for docker.service, which the gateway's docker package brings.
set -euo pipefail

provision=$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws/gateway/provision
units=(fossa-provision.service fossa-nat.service fossa-nat-check.service fossa-nat-check.timer fossa-gateway.service)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
command -v systemd-analyze >/dev/null || fail "systemd-analyze not found: run scripts/install-deps.sh --test"

# The contract with the gateway's cloud-init: where it installs each program and its settings.
expect() {
  grep -qx "$2" "$provision/$1" || fail "$1 lacks the line '$2' (where the cloud-init installs things)"
}
expect fossa-nat.service 'ExecStart=/usr/local/sbin/fossa-nat apply'
expect fossa-nat.service 'EnvironmentFile=/etc/fossa/nat.env'
expect fossa-nat-check.service 'ExecStart=/usr/local/sbin/fossa-nat check'
expect fossa-nat-check.service 'EnvironmentFile=/etc/fossa/nat.env'
expect fossa-gateway.service 'ExecStart=/usr/local/sbin/fossa-gateway-run'
expect fossa-gateway.service 'EnvironmentFile=/etc/fossa/gateway.env'
expect fossa-provision.service 'ExecStart=/usr/local/sbin/fossa-provision'

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in "${units[@]}"; do
  sed -e "s|/usr/local/sbin/|$provision/|" -e "s|/usr/bin/docker|/bin/true|" "$provision/$unit" >"$work/$unit"
done
printf '[Unit]\nDescription=stand-in for docker\n[Service]\nExecStart=/bin/true\n' >"$work/docker.service"

status=0
output=$(cd "$work" && systemd-analyze verify "${units[@]}" 2>&1) || status=$?
[[ $status == 0 && -z $output ]] || fail "systemd-analyze verify (status $status):"$'\n'"$output"
echo "ok: ${units[*]} verified by systemd-analyze, no warnings"
