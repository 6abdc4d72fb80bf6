#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Proves the gateway's NAT provisioning (deploy/aws/gateway/provision/fossa-nat) on a model of the
# AWS topology made of three network namespaces joined by veth pairs (netns_model.sh draws it).
#
# It checks that before `fossa-nat apply` the private host cannot reach a TCP server outside and
# `fossa-nat check` names every missing piece; that after it, the private host reaches the server
# and the server sees the gateway's address (MASQUERADE, not routing: outside could not even
# answer 192.168.2.10); that apply is idempotent; and that check catches a removed rule.
# Runs as root (it creates namespaces and firewall rules in them; the host's are never touched).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
fossa_nat=$here/../../../deploy/aws/gateway/provision/fossa-nat

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
passed=0
pass() {
  echo "ok: $*"
  passed=$((passed + 1))
}

work=$(mktemp -d)
# shellcheck source=netns_model.sh
source "$here/netns_model.sh"
readonly private_cidr=$model_private_cidr gateway_public_ip=$model_gateway_public_ip

cleanup() {
  model_down
  rm -rf "$work"
}
trap cleanup EXIT
# A signal (ctest's timeout, ^C) becomes an exit, so the EXIT trap cleans up then too.
trap 'exit 143' TERM
trap 'exit 130' INT

model_up

# fossa-nat inside the gateway namespace. Its persistent sysctl file goes to a temporary directory,
# its alerts to a file standing for the console (and not to the host's syslog); no settings file
# (the gateway's /etc/fossa/nat.env), so only the flags and variables given here count.
mkdir "$work/sysctl.d"
: >"$work/console"
nat() {
  ip netns exec "$ns_gateway" env -u FOSSA_PRIVATE_CIDR -u FOSSA_NAT_OUT_INTERFACE \
    FOSSA_NAT_SYSCTL_DIR="$work/sysctl.d" FOSSA_NAT_CONSOLE="$work/console" FOSSA_NAT_SYSLOG=0 \
    FOSSA_NAT_ENV_FILE=/nonexistent \
    "$@"
}

# --- (a) Before apply --------------------------------------------------------------------------

[[ $(ip netns exec "$ns_gateway" cat /proc/sys/net/ipv4/ip_forward) == 0 ]] ||
  fail "precondition: a new namespace should start with IPv4 forwarding off"
ip -n "$ns_outside" route get 192.168.2.10 >/dev/null 2>&1 &&
  fail "precondition: the outside namespace must have no route to $private_cidr (else routing, not NAT, could work)"
seen=$(connect_from "$ns_gateway") ||
  fail "precondition: the gateway cannot reach the server outside: $(<"$work/client.err")"
[[ $seen == "$gateway_public_ip" ]] || fail "precondition: the server saw the gateway as '$seen'"

status=0
check_output=$(nat "$fossa_nat" check --private-cidr "$private_cidr" 2>&1 >/dev/null) || status=$?
((status != 0)) || fail "fossa-nat check exited 0 before apply; it must fail when NAT is not in place"
for piece in "IPv4 forwarding is off" "the persistent forwarding setting" "the MASQUERADE rule for $private_cidr out of gw-out" \
  "the FORWARD rule accepting $private_cidr out of gw-out" "the FORWARD rule accepting replies"; do
  grep -qF "MISSING: $piece" <<<"$check_output" ||
    fail "fossa-nat check before apply did not report on stderr: MISSING: $piece. It said:"$'\n'"$check_output"
done
grep -qF "to fix, run: fossa-nat apply --private-cidr $private_cidr --out-interface gw-out" <<<"$check_output" ||
  fail "fossa-nat check does not say what to run. It said:"$'\n'"$check_output"
grep -qF "MISSING: the MASQUERADE rule" "$work/console" ||
  fail "fossa-nat check did not write its alerts to the console (FOSSA_NAT_CONSOLE)"
pass "before apply: check exits $status naming the 5 missing pieces and what to run, on stderr and the console"

if connect_from "$ns_private" 2 >/dev/null; then
  fail "before apply, the private namespace reached the server outside: the model does not model a missing NAT"
fi
pass "before apply: the private host cannot reach the server outside"

# --- (b) Apply: the private host reaches the internet, under the gateway's address ---------------

apply_output=$(nat "$fossa_nat" apply --private-cidr "$private_cidr" 2>&1) ||
  fail "fossa-nat apply failed:"$'\n'"$apply_output"
grep -qF "via gw-out" <<<"$apply_output" ||
  fail "fossa-nat apply did not pick gw-out, the interface of the default route. It said:"$'\n'"$apply_output"
seen=$(connect_from "$ns_private") ||
  fail "after apply, the private host cannot reach the server outside: $(<"$work/client.err")"
[[ $seen == "$gateway_public_ip" ]] ||
  fail "after apply, the server saw the private host as '$seen', not the gateway's $gateway_public_ip: no MASQUERADE"
pass "after apply: the private host reaches the server outside, which sees the gateway's address $gateway_public_ip"

ip netns exec "$ns_gateway" iptables -w -S FORWARD | grep -x -- '-P FORWARD DROP' >/dev/null ||
  fail "fossa-nat apply changed the FORWARD policy; it must leave docker's DROP and insert rules instead"
grep -qx 'net.ipv4.ip_forward = 1' "$work/sysctl.d/90-fossa-nat.conf" 2>/dev/null ||
  fail "fossa-nat apply did not write net.ipv4.ip_forward = 1 to the sysctl directory"
pass "after apply: the FORWARD policy is still DROP and forwarding is set persistently"

# --- (c) Apply again: one copy of each rule ----------------------------------------------------

# The second apply takes the subnet from the environment, as fossa-nat.service does (nat.env).
nat env FOSSA_PRIVATE_CIDR="$private_cidr" "$fossa_nat" apply >/dev/null 2>&1 ||
  fail "a second fossa-nat apply (subnet from FOSSA_PRIVATE_CIDR) failed"
count_rules() { # table chain pattern
  ip netns exec "$ns_gateway" iptables -w -t "$1" -S "$2" | grep -cE -- "$3" || true
}
expect_rules() { # expected table chain pattern what
  local found
  found=$(count_rules "$2" "$3" "$4")
  [[ $found == "$1" ]] || fail "after two applies, $5: found $found, expected $1. The chain:"$'\n'"$(
    ip netns exec "$ns_gateway" iptables -w -t "$2" -S "$3")"
}
expect_rules 1 nat POSTROUTING '^-A POSTROUTING -s 192\.168\.2\.0/24 -o gw-out .*-j MASQUERADE$' "MASQUERADE rules"
expect_rules 1 filter FORWARD '^-A FORWARD -s 192\.168\.2\.0/24 -o gw-out .*-j ACCEPT$' "FORWARD rules letting the subnet out"
expect_rules 1 filter FORWARD '^-A FORWARD -d 192\.168\.2\.0/24 -i gw-out -m conntrack --ctstate RELATED,ESTABLISHED .*-j ACCEPT$' \
  "FORWARD rules letting replies back"
expect_rules 1 nat POSTROUTING '^-A ' "rules in nat POSTROUTING"
expect_rules 3 filter FORWARD '^-A ' "rules in FORWARD (fossa-nat's two and the DROP it must precede)"
ip netns exec "$ns_gateway" iptables -w -S FORWARD | tail -n 1 | grep -qx -- '-A FORWARD -j DROP' ||
  fail "fossa-nat's FORWARD rules are not above the existing DROP rule"
pass "after two applies: each rule exactly once, FORWARD rules above the existing DROP"

# --- (d) Check passes --------------------------------------------------------------------------

check_output=$(nat "$fossa_nat" check --private-cidr "$private_cidr" 2>&1) ||
  fail "fossa-nat check fails after apply:"$'\n'"$check_output"
grep -qF "OK: NAT for $private_cidr via gw-out" <<<"$check_output" ||
  fail "fossa-nat check after apply did not say OK:"$'\n'"$check_output"
pass "after apply: check exits 0"

# --- (e) A removed MASQUERADE rule is caught ---------------------------------------------------

# By number: (c) showed it is the only rule in nat POSTROUTING.
ip netns exec "$ns_gateway" iptables -w -t nat -D POSTROUTING 1
: >"$work/console"
status=0
check_output=$(nat "$fossa_nat" check --private-cidr "$private_cidr" 2>&1 >/dev/null) || status=$?
((status != 0)) || fail "fossa-nat check exited 0 with the MASQUERADE rule deleted"
grep -qF "MISSING: the MASQUERADE rule for $private_cidr out of gw-out" <<<"$check_output" ||
  fail "fossa-nat check did not name the deleted MASQUERADE rule. It said:"$'\n'"$check_output"
[[ $(grep -c 'MISSING:' <<<"$check_output") == 1 ]] ||
  fail "fossa-nat check reported more than the one missing piece:"$'\n'"$check_output"
grep -qF "MISSING: the MASQUERADE rule" "$work/console" ||
  fail "fossa-nat check did not write the missing MASQUERADE rule to the console"
pass "MASQUERADE deleted: check exits $status naming exactly that piece"

if seen=$(connect_from "$ns_private" 2); then
  fail "with the MASQUERADE rule deleted the private host still reached the server (seen as '$seen')"
fi
pass "MASQUERADE deleted: the private host cannot reach the server (routing alone does not do it)"

nat "$fossa_nat" apply --private-cidr "$private_cidr" >/dev/null 2>&1 || fail "re-applying after the deletion failed"
seen=$(connect_from "$ns_private") || fail "after re-applying, the private host cannot reach the server: $(<"$work/client.err")"
[[ $seen == "$gateway_public_ip" ]] || fail "after re-applying, the server saw '$seen'"
pass "apply again: the rule is back and the private host reaches the server"

echo "$passed passed, 0 failed"
