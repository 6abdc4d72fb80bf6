#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# What the gateway instance runs, run as it runs it, on the network model of netns_model.sh:
#
# 1. Its first boot. The user data main.tf renders (instance/cloud_init.py render: Terraform
#    evaluates main.tf's own expression) is unpacked as cloud-init does; its write_files are written
#    on the instance and its runcmd becomes cloud-init's script, run as root in a bare environment.
#    It hands over to fossa-provision.service, which the systemd stand-in (instance/systemctl) runs
#    as systemd would, units with their EnvironmentFile and nothing else; fossa-provision installs
#    (instance/dnf) and starts the NAT. Then the private host reaches the internet, under the
#    gateway's address.
# 2. What up.sh sends through SSM Run Command: deploy/aws/lib.sh's own wait_for_nat and
#    restart_gateway, sourced and called, their `aws ssm` calls answered by instance/aws, which runs
#    each command as the SSM agent does (`sh`, root, the agent's bare environment: no nat.env).
#    The NAT check passes; with the MASQUERADE rule gone it fails, the console saying what is missing.
# 3. fossa-nat-check.service, what the check timer runs every 5 minutes, passes.
#
# The instance is a network namespace (the gateway's), with /etc, /usr and /var/lib overlaid for each
# command (instance/enter), so nothing reaches the host's files. Root only. Needs terraform (no
# provider: only its template functions), python3 with PyYAML, iptables, iproute2, util-linux.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
deploy_dir=$(cd "$here/../../../deploy/aws" && pwd)
stand_ins=$here/instance

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
passed=0
pass() {
  echo "ok: $*"
  passed=$((passed + 1))
}
command -v terraform >/dev/null || fail "terraform not found: install Terraform >= 1.11"

work=$(mktemp -d)
# shellcheck source=netns_model.sh
source "$here/netns_model.sh"
cleanup() {
  model_down
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

model_up
root=$work/instance
on_instance() { "$stand_ins/enter" "$ns_gateway" "$root" "$@"; }
# What the instance's systemd stand-in recorded (its log, what it started, the units' output).
systemd_state() { cat "$root/upper/var/lib/systemd-stand-in/$1" 2>/dev/null || true; }

# --- 1. First boot ------------------------------------------------------------------------------

python3 "$stand_ins/cloud_init.py" render "$work" >"$work/cloud-config" ||
  fail "rendering the gateway's user data failed"
pass "the user data rendered from deploy/aws/gateway/main.tf's own expression"

# Before cloud-init, the instance has the stand-ins for what its image brings that cannot run here:
# dnf, and systemctl without systemd (in /usr/local/bin, ahead of /usr/bin in every PATH it uses).
# shellcheck disable=SC2016 # expanded on the instance
on_instance bash -c 'mkdir -p /usr/local/bin && install -m 0755 "$1" "$2" /usr/local/bin/' \
  stand-ins "$stand_ins/systemctl" "$stand_ins/dnf"
on_instance python3 "$stand_ins/cloud_init.py" write-files "$work/cloud-config" || fail "cloud-init's write_files failed"
python3 "$stand_ins/cloud_init.py" runcmd "$work/cloud-config" >"$root/runcmd"
status=0
on_instance env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin /bin/sh "$root/runcmd" >"$work/runcmd.out" 2>&1 ||
  status=$?
((status == 0)) || fail "cloud-init's runcmd failed (status $status):"$'\n'"$(cat "$work/runcmd.out")"
grep -qx 'fossa-provision.service' "$root/upper/var/lib/systemd-stand-in/queue" ||
  fail "runcmd did not queue fossa-provision.service; systemctl was asked:"$'\n'"$(systemd_state log)"
pass "cloud-init's runcmd ran as cloud-init runs it, and queued fossa-provision.service"
# The settings fossa-gateway-run starts the gateway with: its stack's ECS cluster and the cluster
# part's log group (../cluster/main.tf), which the job pages link to.
for setting in FOSSA_ECS_CLUSTER=fossa-test FOSSA_LOG_GROUP=/fossa/test/ecs; do
  grep -qxF "$setting" "$root/upper/etc/fossa/gateway.env" ||
    fail "gateway.env lacks $setting:"$'\n'"$(cat "$root/upper/etc/fossa/gateway.env" 2>&1)"
done
pass "gateway.env names the stack's ECS cluster and the workers' log group"

# systemd's job engine: runs what is queued, fossa-provision first.
on_instance env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin systemctl __run-queue ||
  fail "a queued unit failed. What ran:"$'\n'"$(systemd_state started)"$'\n'"Its output:"$'\n'"$(systemd_state journal)"
for line in "ran fossa-provision.service: exit 0" "ran fossa-nat.service: exit 0" "started fossa-nat-check.timer" \
  "started docker.service" "started fossa-gateway.service"; do
  grep -qxF "$line" <<<"$(systemd_state started)" ||
    fail "after the first boot, expected '$line'. What ran:"$'\n'"$(systemd_state started)"$'\n'"$(systemd_state journal)"
done
[[ -e $root/upper/var/lib/fossa/provisioned ]] || fail "fossa-provision did not mark the instance provisioned"
pass "fossa-provision installed and started the NAT (nat.env through its unit), docker and fossa-gateway"

seen=$(connect_from "$ns_private") || fail "after the first boot, the private host cannot reach outside: $(<"$work/client.err")"
[[ $seen == "$model_gateway_public_ip" ]] || fail "after the first boot, the server saw the private host as '$seen'"
pass "the private host reaches the internet as $model_gateway_public_ip"

# --- 2. What up.sh sends through SSM ------------------------------------------------------------

mkdir "$work/bin"
ln -s "$stand_ins/aws" "$work/bin/aws"
# lib.sh as up.sh sources it; wait_for_nat and restart_gateway as up.sh calls them.
up() {
  PATH="$work/bin:$PATH" FOSSA_TEST_INSTANCE="$stand_ins/enter $ns_gateway $root" FOSSA_TEST_SSM="$work/ssm" \
    FOSSA_WAIT_MINUTES=0 bash -c 'usage() { :; }; deploy_dir=$1; shift; source "$deploy_dir/lib.sh"; region=eu-west-2; "$@"' \
    up.sh "$deploy_dir" "$@"
}
ssm_said() { cat "$work"/ssm/*.out 2>/dev/null; }

status=0
output=$(up wait_for_nat i-0123456789abcdef0 2>&1) || status=$?
[[ $status == 0 && $output == *"the NAT is in place"* ]] ||
  fail "up.sh's wait for the NAT failed (status $status) though the NAT works:"$'\n'"$output"$'\n'"The command said through SSM:"$'\n'"$(ssm_said)"
pass "up.sh's 'fossa-nat check' through SSM passes in the agent's environment"

rm -rf "$work/ssm"
status=0
output=$(up restart_gateway i-0123456789abcdef0 2>&1) || status=$?
[[ $status == 0 && -z $output ]] || fail "restart_gateway said (status $status): $output"
[[ $(cat "$work"/ssm/*.status) == Success ]] || fail "'systemctl restart fossa-gateway' failed through SSM: $(ssm_said)"
grep -qx 'systemctl restart fossa-gateway' <<<"$(systemd_state log)" ||
  fail "the instance was not asked to restart fossa-gateway:"$'\n'"$(systemd_state log)"
pass "up.sh's 'systemctl restart fossa-gateway' through SSM restarts the unit"

# The check is a check: without the MASQUERADE rule, up.sh's wait fails and the console says why.
ip netns exec "$ns_gateway" iptables -w -t nat -D POSTROUTING -s "$model_private_cidr" -o gw-out \
  -m comment --comment "fossa-nat: private subnet to the internet" -j MASQUERADE
: >"$root/console"
rm -rf "$work/ssm"
status=0
output=$(up wait_for_nat i-0123456789abcdef0 2>&1) || status=$?
((status != 0)) || fail "up.sh's wait for the NAT passed with the MASQUERADE rule gone:"$'\n'"$output"
grep -qF "the gateway's NAT is not in place after 0 min (fossa-nat check: Failed)" <<<"$output" ||
  fail "up.sh's wait for a broken NAT said:"$'\n'"$output"
grep -qF "MISSING: the MASQUERADE rule for $model_private_cidr out of gw-out" "$root/console" ||
  fail "the instance console does not name the missing rule:"$'\n'"$(cat "$root/console")"
pass "with the MASQUERADE rule gone, up.sh's wait fails and the console names the missing rule"

# --- 3. The check timer's unit ------------------------------------------------------------------

on_instance env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin systemctl start fossa-nat.service ||
  fail "fossa-nat.service did not apply the NAT again: $(systemd_state journal)"
on_instance env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin systemctl start fossa-nat-check.service ||
  fail "fossa-nat-check.service fails after the NAT is applied again: $(systemd_state journal)"
pass "fossa-nat.service applies it again and fossa-nat-check.service, the timer's, passes"

echo "$passed passed, 0 failed"
