#!/usr/bin/env bash
# fossa-nat's command line, environment and settings file: bad values are refused with a message
# naming them and change nothing; each setting comes from the flag, else the environment, else the
# settings file (FOSSA_NAT_ENV_FILE; /etc/fossa/nat.env on the gateway), else (the outgoing
# interface) the default route. Runs fossa-nat inside a throwaway network namespace (root), so that even a
# bug could not touch the host's firewall.
set -euo pipefail

fossa_nat=$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws/gateway/provision/fossa-nat

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
passed=0

[[ $(id -u) == 0 ]] || fail "this test must run as root: it creates a network namespace"
command -v iptables >/dev/null || fail "iptables not found: run scripts/install-deps.sh --test"

ns=fossa-nat-arguments-$$
work=$(mktemp -d)
cleanup() {
  ip netns del "$ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

ip netns add "$ns" ||
  fail "cannot create network namespace $ns: this test needs root with CAP_SYS_ADMIN and namespace support (in a container: --privileged)"
ip -n "$ns" link set lo up
ip -n "$ns" link add uplink type veth peer name other
ip -n "$ns" link set uplink up
ip -n "$ns" link set other up
ip -n "$ns" addr add 198.51.100.1/24 dev uplink
ip -n "$ns" addr add 203.0.113.1/24 dev other

mkdir "$work/sysctl.d"
# Runs fossa-nat in the namespace, with $work/nat.env as its settings file (absent until a test
# writes it); sets $status and $output (stdout and stderr together).
run() {
  status=0
  output=$(ip netns exec "$ns" env -u FOSSA_PRIVATE_CIDR -u FOSSA_NAT_OUT_INTERFACE \
    FOSSA_NAT_SYSCTL_DIR="$work/sysctl.d" FOSSA_NAT_CONSOLE= FOSSA_NAT_SYSLOG=0 FOSSA_NAT_ENV_FILE="$work/nat.env" \
    "$@" 2>&1) || status=$?
}
# expect STATUS MESSAGE COMMAND...: the exit status and a fragment of what it says.
expect() {
  local want_status=$1 want_message=$2
  shift 2
  run "$@"
  [[ $status == "$want_status" ]] || fail "'${*}' exited $status, expected $want_status. It said:"$'\n'"$output"
  grep -qF -- "$want_message" <<<"$output" ||
    fail "'${*}' did not say '$want_message'. It said:"$'\n'"$output"
  passed=$((passed + 1))
}
# Nothing may have changed after a refused command.
expect_untouched() {
  [[ -z $(ls -A "$work/sysctl.d") ]] || fail "$1 wrote to the sysctl directory"
  [[ $(ip netns exec "$ns" cat /proc/sys/net/ipv4/ip_forward) == 0 ]] || fail "$1 turned forwarding on"
  ! { ip netns exec "$ns" iptables -w -S && ip netns exec "$ns" iptables -w -t nat -S; } | grep '^-A' >/dev/null ||
    fail "$1 added firewall rules"
}

expect 0 "Usage: fossa-nat apply --private-cidr CIDR" "$fossa_nat" --help
expect 2 "no command: 'apply' or 'check'" "$fossa_nat"
expect 2 "unknown argument '--private-subnet'" "$fossa_nat" apply --private-subnet 192.168.2.0/24
expect 2 "--private-cidr needs a value" "$fossa_nat" apply --private-cidr
expect 2 "no private subnet: pass --private-cidr CIDR, set FOSSA_PRIVATE_CIDR, or write FOSSA_PRIVATE_CIDR=CIDR in $work/nat.env" \
  "$fossa_nat" apply
expect 2 "private CIDR '192.168.2' is not an IPv4 CIDR" "$fossa_nat" apply --private-cidr 192.168.2
expect 2 "private CIDR 'private' is not an IPv4 CIDR" "$fossa_nat" apply --private-cidr private
expect 2 "private CIDR '300.168.2.0/24': 300 is not an octet" "$fossa_nat" apply --private-cidr 300.168.2.0/24
expect 2 "prefix /33 is longer than 32" "$fossa_nat" apply --private-cidr 192.168.2.0/33
expect 2 "has host bits set; the network is 192.168.2.0/24" "$fossa_nat" apply --private-cidr 192.168.2.10/24
expect 2 "private CIDR 'bad/24' is not an IPv4 CIDR" env FOSSA_PRIVATE_CIDR=bad/24 "$fossa_nat" check
expect 2 "'eth0 ens5' is not a network interface name" "$fossa_nat" apply --private-cidr 192.168.2.0/24 --out-interface "eth0 ens5"
printf '# a comment\nFOSSA_PRIVATE_CIDR=bad/24\n' >"$work/nat.env"
expect 2 "private CIDR 'bad/24' is not an IPv4 CIDR" "$fossa_nat" check
printf 'FOSSA_PRIVATE_CIDR=192.168.2.0/24\nexport X=1\n' >"$work/nat.env"
expect 2 "the settings file $work/nat.env: 'export X=1' is not a NAME=value line" "$fossa_nat" check
rm "$work/nat.env"
expect_untouched "a command with a bad argument"

# No default route yet: the outgoing interface cannot be found, and must be said so.
expect 1 "no IPv4 default route" "$fossa_nat" apply --private-cidr 192.168.2.0/24
expect 1 "no network interface 'eth0' here (interfaces: lo" "$fossa_nat" apply --private-cidr 192.168.2.0/24 --out-interface eth0
expect_untouched "apply without a usable interface"
expect 1 "MISSING: the outgoing network interface 'eth0' does not exist" \
  "$fossa_nat" check --private-cidr 192.168.2.0/24 --out-interface eth0

# With a default route: the flag wins over the environment, which wins over the default route.
ip -n "$ns" route add default via 198.51.100.254 dev uplink
expect 1 "NAT for 192.168.2.0/24 via uplink is BROKEN" "$fossa_nat" check --private-cidr 192.168.2.0/24
expect 1 "NAT for 192.168.2.0/24 via other is BROKEN" \
  env FOSSA_PRIVATE_CIDR=192.168.2.0/24 FOSSA_NAT_OUT_INTERFACE=other "$fossa_nat" check
expect 1 "NAT for 10.0.0.0/8 via uplink is BROKEN" \
  env FOSSA_PRIVATE_CIDR=192.168.2.0/24 FOSSA_NAT_OUT_INTERFACE=other "$fossa_nat" check --private-cidr 10.0.0.0/8 --out-interface uplink
expect 0 "OK: NAT for 192.168.2.0/24 via other" \
  env FOSSA_PRIVATE_CIDR=192.168.2.0/24 FOSSA_NAT_OUT_INTERFACE=other "$fossa_nat" apply
# The settings file (as cloud-init writes it; SSM's shell has no unit's environment) gives what
# neither a flag nor the environment gives, quotes dropped as systemd drops them.
printf '# written by cloud-init\nFOSSA_PRIVATE_CIDR="192.168.2.0/24"\nFOSSA_NAT_OUT_INTERFACE=other\nOTHER=ignored\n' >"$work/nat.env"
expect 0 "OK: NAT for 192.168.2.0/24 via other" "$fossa_nat" check
expect 1 "NAT for 10.0.0.0/8 via uplink is BROKEN" \
  env FOSSA_PRIVATE_CIDR=10.0.0.0/8 "$fossa_nat" check --out-interface uplink
rm "$work/nat.env"

# An interface that is administratively down is a missing piece, with the command that fixes it.
ip -n "$ns" link set other down
expect 1 "MISSING: the outgoing network interface 'other' is down; to fix, run: ip link set dev other up" \
  "$fossa_nat" check --private-cidr 192.168.2.0/24 --out-interface other

echo "$passed passed, 0 failed"
