# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # its names are for the sourcing script, which sets work
# The gateway's network in three network namespaces joined by veth pairs, as the AWS topology has it:
#
#   outside  198.51.100.10/24 -- 198.51.100.1/24  gateway  192.168.2.1/24 -- 192.168.2.10/24  private
#   (an internet host: no route      (FORWARD policy DROP, as          (default route via
#    to 192.168.2.0/24 at all)        docker leaves it)                  192.168.2.1)
#
# Sourced by the tests that need it (nat_netns_test.sh, instance_test.sh), which must define fail()
# and set work (a private temporary directory) first. model_up builds it and starts a TCP server
# outside that answers each connection with the address it sees the client coming from; model_down
# (call it from the EXIT trap) removes both. Root only; the host's own network is never touched.

readonly model_private_cidr=192.168.2.0/24 model_server_ip=198.51.100.10 model_server_port=8000
readonly model_gateway_public_ip=198.51.100.1
# Unique per run, so that runs in parallel (or a run's leftovers) do not collide.
ns_outside=fossa-nat-outside-$$
ns_gateway=fossa-nat-gateway-$$
ns_private=fossa-nat-private-$$
model_server_pid=""

model_up() {
  [[ $(id -u) == 0 ]] || fail "this test must run as root: it creates network namespaces and firewall rules in them"
  local tool ns
  for tool in ip iptables python3; do
    command -v "$tool" >/dev/null || fail "$tool not found: run scripts/install-deps.sh --test"
  done
  for ns in "$ns_outside" "$ns_gateway" "$ns_private"; do
    ip netns add "$ns" ||
      fail "cannot create network namespace $ns: this test needs root with CAP_SYS_ADMIN and namespace support (in a container: --privileged)"
    ip -n "$ns" link set lo up
  done

  # Created directly inside the namespaces, so no interface name ever exists in the host's namespace.
  ip -n "$ns_gateway" link add gw-out type veth peer name out0 netns "$ns_outside"
  ip -n "$ns_gateway" link add gw-private type veth peer name private0 netns "$ns_private"
  ip -n "$ns_outside" addr add "$model_server_ip/24" dev out0
  ip -n "$ns_gateway" addr add "$model_gateway_public_ip/24" dev gw-out
  ip -n "$ns_gateway" addr add 192.168.2.1/24 dev gw-private
  ip -n "$ns_private" addr add 192.168.2.10/24 dev private0
  ip -n "$ns_outside" link set out0 up
  ip -n "$ns_gateway" link set gw-out up
  ip -n "$ns_gateway" link set gw-private up
  ip -n "$ns_private" link set private0 up
  ip -n "$ns_private" route add default via 192.168.2.1
  # The gateway's default route is what fossa-nat must find its outgoing interface from (gw-out; on
  # EC2 ens5).
  ip -n "$ns_gateway" route add default via "$model_server_ip" dev gw-out

  # The gateway's firewall as docker leaves it: FORWARD policy DROP. The rule dropping everything
  # stands for whatever other software already put in FORWARD: fossa-nat's rules must go above it.
  ip netns exec "$ns_gateway" iptables -w -P FORWARD DROP
  ip netns exec "$ns_gateway" iptables -w -A FORWARD -j DROP

  cat >"$work/server.py" <<'PY'
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
PY
  cat >"$work/client.py" <<'PY'
import socket, sys
try:
    with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=float(sys.argv[3])) as s:
        print(s.makefile().readline().strip())
except OSError as error:
    sys.exit(f"no connection to {sys.argv[1]}:{sys.argv[2]}: {error}")
PY
  coproc model_server { exec ip netns exec "$ns_outside" python3 -u "$work/server.py" "$model_server_ip" "$model_server_port"; }
  # shellcheck disable=SC2154 # model_server_PID is set by coproc
  model_server_pid=$model_server_PID
  # Ready when it says so (it prints after listen()); a bounded wait, not a sleep.
  local ready_line=""
  read -r -t 10 ready_line <&"${model_server[0]}" || true
  [[ $ready_line == ready ]] || fail "the TCP server in the outside namespace did not start listening within 10 s"
}

model_down() {
  # Deleting a namespace does not end the processes in it, so the server is stopped first.
  if [[ -n $model_server_pid ]]; then
    kill "$model_server_pid" 2>/dev/null || true
    wait "$model_server_pid" 2>/dev/null || true
  fi
  local ns
  for ns in "$ns_outside" "$ns_gateway" "$ns_private"; do
    ip netns del "$ns" 2>/dev/null || true
  done
}

# connect_from NS [TIMEOUT]: prints what the server saw as the client's address; fails (status 1,
# the reason in $work/client.err) when there is no connection. Where the connection is expected to
# fail, the timeout is the only way to know: a dropped SYN produces no answer. It is short because
# everything here is local.
connect_from() {
  local ns=$1 timeout=${2:-5}
  ip netns exec "$ns" python3 "$work/client.py" "$model_server_ip" "$model_server_port" "$timeout" 2>"$work/client.err"
}
