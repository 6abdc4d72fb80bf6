#!/usr/bin/env bash
# The gateway's NAT units (deploy/aws/gateway/provision/*.service, *.timer) as systemd reads them:
# `systemd-analyze verify` must accept them without a single warning (systemd ignores a misspelt
# key with only a warning, which would silently drop, say, RemainAfterExit). They are verified
# from a copy whose ExecStart points at the repository's fossa-nat, since verify insists that the
# program exists and /usr/local/sbin/fossa-nat is only there on the gateway.
set -euo pipefail

provision=$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws/gateway/provision
units=(fossa-nat.service fossa-nat-check.service fossa-nat-check.timer)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
command -v systemd-analyze >/dev/null || fail "systemd-analyze not found: run scripts/install-deps.sh --test"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for unit in "${units[@]}"; do
  # The contract with the gateway's cloud-init: where the program is installed.
  if [[ $unit == *.service ]]; then
    grep -qx 'ExecStart=/usr/local/sbin/fossa-nat [a-z]*' "$provision/$unit" ||
      fail "$unit does not run /usr/local/sbin/fossa-nat, where the cloud-init installs it"
    grep -qx 'EnvironmentFile=/etc/fossa/nat.env' "$provision/$unit" ||
      fail "$unit does not read /etc/fossa/nat.env, which the cloud-init writes"
  fi
  sed "s|/usr/local/sbin/fossa-nat|$provision/fossa-nat|" "$provision/$unit" >"$work/$unit"
done

status=0
output=$(cd "$work" && systemd-analyze verify "${units[@]}" 2>&1) || status=$?
[[ $status == 0 && -z $output ]] || fail "systemd-analyze verify (status $status):"$'\n'"$output"
echo "ok: ${units[*]} verified by systemd-analyze, no warnings"
