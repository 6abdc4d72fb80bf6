#!/usr/bin/env bash
# fossa-provision (the gateway's first-boot provisioning) with stand-ins for dnf and systemctl that
# log what they are asked: a run whose package install fails exits non-zero (so the unit retries),
# still starts what it can, and writes no "provisioned" mark; the next run converges and marks it;
# and fossa-provision.service runs only until then, retrying without limit.
set -euo pipefail

provision=$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws/gateway/provision

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin" "$work/state"
# dnf fails for the packages named in $work/broken (one per line), like a mirror that is unreachable.
cat >"$work/bin/dnf" <<'STUB'
#!/bin/bash
echo "dnf $*" >>"$FAKE_LOG"
for package in "$@"; do
  if grep -qxF -- "$package" "$FAKE_BROKEN" 2>/dev/null; then exit 1; fi
done
STUB
cat >"$work/bin/systemctl" <<'STUB'
#!/bin/bash
echo "systemctl $*" >>"$FAKE_LOG"
STUB
chmod +x "$work/bin/dnf" "$work/bin/systemctl"

run() {
  : >"$work/log"
  status=0
  output=$(PATH="$work/bin:$PATH" FAKE_LOG="$work/log" FAKE_BROKEN="$work/broken" \
    FOSSA_PROVISION_STATE_DIR="$work/state" FOSSA_PROVISION_CONSOLE='' "$provision/fossa-provision" 2>&1) || status=$?
}
asked() { grep -qxF -- "$1" "$work/log" || fail "fossa-provision did not run '$1'; it ran:"$'\n'"$(cat "$work/log")"; }
not_asked() { ! grep -qF -- "$1" "$work/log" || fail "fossa-provision ran '$1' though it should not have"; }

# 1. docker cannot be installed: the NAT is still started, the gateway is not, and the run fails.
printf 'docker\n' >"$work/broken"
run
[[ $status == 1 ]] || fail "a failed install must fail the run (status $status), so that systemd retries it"
asked "systemctl start fossa-nat.service"
asked "systemctl start fossa-nat-check.timer"
not_asked "fossa-gateway.service"
grep -q "FOSSA GATEWAY: installing docker openssl failed" <<<"$output" || fail "no alert for the failed install: $output"
[[ ! -e $work/state/provisioned ]] || fail "a failed run marked the instance provisioned"

# 2. Everything installs: docker, the NAT again after it, the gateway; then the mark.
: >"$work/broken"
run
[[ $status == 0 ]] || fail "a run where everything installs failed (status $status): $output"
asked "dnf install -y -q iptables-nft"
asked "dnf install -y -q docker openssl"
asked "systemctl enable --now docker.service"
asked "systemctl restart fossa-nat.service"
asked "systemctl start --no-block fossa-gateway.service"
[[ -e $work/state/provisioned ]] || fail "a complete run did not mark the instance provisioned"

# 3. The unit: retried without a limit, and never again once the mark is there.
unit=$provision/fossa-provision.service
for line in 'ExecStart=/usr/local/sbin/fossa-provision' 'Restart=on-failure' 'StartLimitIntervalSec=0' \
  'ConditionPathExists=!/var/lib/fossa/provisioned' 'WantedBy=multi-user.target'; do
  grep -qxF -- "$line" "$unit" || fail "fossa-provision.service lacks '$line'"
done
grep -q 'FOSSA_PROVISION_STATE_DIR:-/var/lib/fossa}' "$provision/fossa-provision" ||
  fail "fossa-provision's mark is not where the unit's condition looks (/var/lib/fossa/provisioned)"
echo "ok: fossa-provision retries until everything is installed and started, starting what it can meanwhile"
