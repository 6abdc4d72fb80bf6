#!/usr/bin/env bash
# Proves the gateway's NAT provisioning (deploy/aws/gateway/provision/fossa-nat) on a model of the
# AWS topology made of three network namespaces joined by veth pairs:
#
#   outside  198.51.100.10/24 -- 198.51.100.1/24  gateway  192.168.2.1/24 -- 192.168.2.10/24  private
#   (an internet host: no route      (FORWARD policy DROP, as          (default route via
#    to 192.168.2.0/24 at all)        docker leaves it)                  192.168.2.1)
#
# It checks that before `fossa-nat apply` the private host cannot reach a TCP server outside and
# `fossa-nat check` names every missing piece; that after it, the private host reaches the server
# and the server sees the gateway's address (MASQUERADE, not routing: outside could not even
# answer 192.168.2.10); that apply is idempotent; and that check catches a removed rule.
# Runs as root (it creates namespaces and firewall rules in them; the host's are never touched).
set -euo pipefail

fossa_nat=$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws/gateway/provision/fossa-nat
readonly private_cidr=192.168.2.0/24 server_ip=198.51.100.10 server_port=8000 gateway_public_ip=198.51.100.1

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
passed=0
pass() {
  echo "ok: $*"
  passed=$((passed + 1))
}

[[ $(id -u) == 0 ]] || fail "this test must run as root: it creates network namespaces and firewall rules in them"
for tool in ip iptables python3; do
  command -v "$tool" >/dev/null || fail "$tool not found: run scripts/install-deps.sh --test"
done

# Unique per run, so that runs in parallel (or a run's leftovers) do not collide.
ns_outside=fossa-nat-outside-$$
ns_gateway=fossa-nat-gateway-$$
ns_private=fossa-nat-private-$$
work=$(mktemp -d)
server_pid=""

cleanup() {
  # Deleting a namespace does not end the processes in it, so the server is stopped first.
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  local ns
  for ns in "$ns_outside" "$ns_gateway" "$ns_private"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
# A signal (ctest's timeout, ^C) becomes an exit, so the EXIT trap cleans up then too.
trap 'exit 143' TERM
trap 'exit 130' INT

# --- The topology ------------------------------------------------------------------------------

for ns in "$ns_outside" "$ns_gateway" "$ns_private"; do
  ip netns add "$ns" ||
    fail "cannot create network namespace $ns: this test needs root with CAP_SYS_ADMIN and namespace support (in a container: --privileged)"
  ip -n "$ns" link set lo up
done

# Created directly inside the namespaces, so no interface name ever exists in the host's namespace.
ip -n "$ns_gateway" link add gw-out type veth peer name out0 netns "$ns_outside"
ip -n "$ns_gateway" link add gw-private type veth peer name private0 netns "$ns_private"
ip -n "$ns_outside" addr add "$server_ip/24" dev out0
ip -n "$ns_gateway" addr add "$gateway_public_ip/24" dev gw-out
ip -n "$ns_gateway" addr add 192.168.2.1/24 dev gw-private
ip -n "$ns_private" addr add 192.168.2.10/24 dev private0
ip -n "$ns_outside" link set out0 up
ip -n "$ns_gateway" link set gw-out up
ip -n "$ns_gateway" link set gw-private up
ip -n "$ns_private" link set private0 up
ip -n "$ns_private" route add default via 192.168.2.1
# The gateway's default route is what fossa-nat must find its outgoing interface from (gw-out; on
# EC2 ens5), as no --out-interface is passed below.
ip -n "$ns_gateway" route add default via "$server_ip" dev gw-out

# The gateway's firewall as docker leaves it: FORWARD policy DROP. The rule dropping everything
# stands for whatever other software already put in FORWARD: fossa-nat's rules must go above it.
ip netns exec "$ns_gateway" iptables -w -P FORWARD DROP
ip netns exec "$ns_gateway" iptables -w -A FORWARD -j DROP

# --- Helpers -----------------------------------------------------------------------------------

# fossa-nat inside the gateway namespace. Its persistent sysctl file goes to a temporary directory,
# its alerts to a file standing for the console (and not to the host's syslog).
mkdir "$work/sysctl.d"
: >"$work/console"
nat() {
  ip netns exec "$ns_gateway" env -u FOSSA_PRIVATE_CIDR -u FOSSA_NAT_OUT_INTERFACE \
    FOSSA_NAT_SYSCTL_DIR="$work/sysctl.d" FOSSA_NAT_CONSOLE="$work/console" FOSSA_NAT_SYSLOG=0 \
    "$@"
}

# The server answers each connection with the address it sees the connection coming from.
cat >"$work/server.py" <<'EOF'
import socket, sys
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((sys.argv[1], int(sys.argv[2])))
server.listen()
print("ready", flush=True)
while True:
    connection, (peer, _) = server.accept()
    with connection:
        connection.sendall(f"{peer}\n".encode())
EOF
cat >"$work/client.py" <<'EOF'
import socket, sys
try:
    with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3])) as s:
        print(s.makefile().readline().strip())
except OSError as error:
    sys.exit(f"no connection to {sys.argv[1]}:{sys.argv[2]}: {error}")
EOF

# Prints what the server saw as the client's address; fails (status 1) when there is no connection.
# Where the connection is expected to fail, the timeout is the only way to know: a dropped SYN
# produces no answer. It is short because everything here is local.
connect_from() {
  local ns=$1 timeout=${2:-5}
  ip netns exec "$ns" python3 "$work/client.py" "$server_ip" "$server_port" "$timeout" 2>"$work/client.err"
}

coproc server { exec ip netns exec "$ns_outside" python3 -u "$work/server.py" "$server_ip" "$server_port"; }
# shellcheck disable=SC2154 # server_PID is set by coproc
server_pid=$server_PID
# Ready when it says so (it prints after listen()); a bounded wait, not a sleep.
read -r -t 10 ready_line <&"${server[0]}" || true
[[ ${ready_line:-} == ready ]] || fail "the TCP server in the outside namespace did not start listening within 10 s"

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
