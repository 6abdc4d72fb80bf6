#!/usr/bin/env bash
# The images' health checks (deploy/aws/images/node-healthcheck, gateway-healthcheck) against the
# real programs of this build, run here rather than in an image: healthy while the server serves,
# unhealthy when nothing listens, when the answer is not the one expected (a server error among
# them), and (bounded) when nothing answers at all.
set -euo pipefail

source_dir="$(cd "$(dirname "$0")/../../.." && pwd)"
fossa="${FOSSA_BIN:-$source_dir/build/bin/fossa}"
gateway="$(dirname "$fossa")/fossa-gateway"
node_check="$source_dir/deploy/aws/images/node-healthcheck"
gateway_check="$source_dir/deploy/aws/images/gateway-healthcheck"
for program in "$fossa" "$gateway"; do
  [[ -x "$program" ]] || { echo "healthcheck_test: $program is not built" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# start NAME COMMAND...: starts a server that logs its URL when ready; sets $url. Polls the log, for
# 10 s at most.
start() {
  local name=$1
  shift
  : >"$work/$name.log"  # there before the first look at it, however late the server starts
  "$@" >>"$work/$name.log" 2>&1 &
  pids+=($!)
  local i
  for ((i = 0; i < 100; i++)); do
    url=$(grep -o 'https\?://127\.0\.0\.1:[0-9]*' "$work/$name.log" | head -1 || true)
    [[ -n "$url" ]] && return
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "healthcheck_test: $name did not start:" >&2
  cat "$work/$name.log" >&2
  exit 1
}
port_of() { echo "${1##*:}"; }

passed=0
failed=0
# expect STATUS WHAT COMMAND...: COMMAND must exit with STATUS (0, or "fail" for any other).
expect() {
  local want=$1 what=$2
  shift 2
  local got=0
  "$@" >"$work/check.out" 2>&1 || got=$?
  if [[ "$want" == 0 && "$got" == 0 ]] || [[ "$want" == fail && "$got" != 0 ]]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what (exit $got)"
    sed 's/^/    /' "$work/check.out"
  fi
}

start node env FOSSA_HTTP_PORT=0 FOSSA_MAX_CONCURRENT_TASKS=1 "$fossa" node
node_port=$(port_of "$url")
node_pid=${pids[-1]}
expect 0 "node-healthcheck: a serving node is healthy" \
  env FOSSA_HTTP_PORT="$node_port" "$node_check"
expect 0 "node-healthcheck: FOSSA_BIND=0.0.0.0 is asked on loopback" \
  env FOSSA_HTTP_PORT="$node_port" FOSSA_BIND=0.0.0.0 "$node_check"

start gateway env GATEWAY_HTTP_PASSWORD=health-check-test "$gateway" --port 0 --node "http://127.0.0.1:$node_port"
gateway_port=$(port_of "$url")
expect 0 "gateway-healthcheck: a serving gateway is healthy (its 401 is an answer)" \
  env GATEWAY_HTTP_PORT="$gateway_port" "$gateway_check"
expect fail "node-healthcheck: a server whose /healthz is not 200 is unhealthy" \
  env FOSSA_HTTP_PORT="$gateway_port" "$node_check"

# As the gateway instance runs it: the port given as a flag, which wins over GATEWAY_HTTP_PORT in the
# gateway and so in the check. The port is picked free here, since the check must read it, not the log.
flag_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start flag-gateway env GATEWAY_HTTP_PASSWORD=health-check-test "$gateway" --port "$flag_port" \
  --node "http://127.0.0.1:$node_port"
expect 0 "gateway-healthcheck: the port of the gateway's --port flag, over GATEWAY_HTTP_PORT" \
  env GATEWAY_HEALTHCHECK_PID="${pids[-1]}" GATEWAY_HTTP_PORT=1 "$gateway_check"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1 \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
start tls-gateway env GATEWAY_HTTP_PASSWORD=health-check-test "$gateway" --port 0 \
  --node "http://127.0.0.1:$node_port" --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"
expect 0 "gateway-healthcheck: a gateway serving HTTPS only is healthy" \
  env GATEWAY_HTTP_PORT="$(port_of "$url")" "$gateway_check"

# A server that answers every request with a server error, as a broken gateway or node would:
# unhealthy for both checks, though it answers.
start broken python3 -c '
import http.server
class Broken(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(("127.0.0.1", 0), Broken)
print("serving on http://127.0.0.1:%d" % server.server_port, flush=True)
server.serve_forever()'
expect fail "gateway-healthcheck: a server answering 503 is unhealthy" \
  env GATEWAY_HTTP_PORT="$(port_of "$url")" "$gateway_check"
expect fail "node-healthcheck: a server answering 503 is unhealthy" \
  env FOSSA_HTTP_PORT="$(port_of "$url")" "$node_check"

# A listener that accepts and never answers: the node check must give up on its own.
python3 -c '
import signal, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print("listening on http://127.0.0.1:%d" % s.getsockname()[1], flush=True)
held = s.accept()
signal.pause()' >"$work/silent.log" 2>&1 &
pids+=($!)
for ((i = 0; i < 100; i++)); do
  silent_port=$(grep -o '[0-9]*$' "$work/silent.log" || true)
  [[ -n "$silent_port" ]] && break
  sleep 0.1
done
[[ -n "$silent_port" ]] || { echo "healthcheck_test: the silent listener did not start" >&2; exit 1; }
started=$SECONDS
expect fail "node-healthcheck: a server that never answers is unhealthy" \
  env FOSSA_HTTP_PORT="$silent_port" "$node_check"
expect 0 "node-healthcheck: ... and it gives up within 5 s" test $((SECONDS - started)) -le 5

kill -TERM "$node_pid"
wait "$node_pid" || true
expect fail "node-healthcheck: nothing listening is unhealthy" \
  env FOSSA_HTTP_PORT="$node_port" "$node_check"
expect fail "gateway-healthcheck: nothing listening is unhealthy" \
  env GATEWAY_HTTP_PORT="$node_port" "$gateway_check"

echo "$passed passed, $failed failed"
((failed == 0))
