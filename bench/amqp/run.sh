#!/usr/bin/env bash
# Prints this suite's Markdown section: Fossa's subtasks across 2 nodes over RabbitMQ (Fanout),
# beside two AMQP round-trip probes in the same run: the raw one (no guarantees) and one with
# Fossa's guarantees (persistent, confirmed, acked after the confirmed reply).
# Usage: bench/amqp/run.sh <build dir>
set -euo pipefail
probe="$1/bench/bench_amqp_probe"
guaranteed_probe="$1/bench/bench_amqp_guaranteed_probe"
fossa="$1/bin/fossa"
here=$(cd "$(dirname "$0")" && pwd)
runs=${AMQP_BENCH_RUNS:-3}
subtasks=${FANOUT_SUBTASKS:-20000}
# A finished task's duration_seconds from its document (what `fossa submit` prints is for people).
task_seconds() {
  python3 -c 'import json, sys, urllib.request
with urllib.request.urlopen(sys.argv[1] + "/api/0.01/task/" + sys.argv[2]) as answer:
    document = json.load(answer)
if document.get("status") == "complete": print(document["duration_seconds"])' "$1" "$2"
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

rates=() ; p50s=() ; p99s=()
g_rates=() ; g_p50s=() ; g_p99s=()
for _ in $(seq "$runs"); do
  read -r rate p50 p99 < <("$probe" 20000 50)
  rates+=("$rate"); p50s+=("$p50"); p99s+=("$p99")
  read -r rate p50 p99 < <("$guaranteed_probe" 20000 50)
  g_rates+=("$rate"); g_p50s+=("$p50"); g_p99s+=("$p99")
done

# Fanout: one coordinator-and-worker cluster of 2 nodes (fossa cluster), one job per run.
dir=$(mktemp -d /tmp/fossa-bench-XXXXXX)
chmod 755 "$dir"
trap '"$fossa" cluster --dir "$dir" down >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
# Fanout on a 2-node cluster whose nodes have `$1` slots each ("" = each node's default, 2 × CPUs).
# Sets fan_rate, fan_p50, fan_p99 (medians), fan_runs and rss. Node-1 keeps every subtask's
# document, for the latencies.
fanout() {
  local capacity=() rates=() p50s=() p99s=()
  [[ -n "$1" ]] && capacity=(--capacity "$1")
  FOSSA_SUBTASK_DOCUMENTS=$subtasks "$fossa" cluster --dir "$dir" up --workers 2 "${capacity[@]}" >/dev/null
  local node pids
  node=$(grep -m1 '"url"' "$dir/cluster.json" | sed 's/.*"\(http[^"]*\)".*/\1/')
  pids=$(grep '"pid"' "$dir/cluster.json" | sed 's/[^0-9]//g')
  for _ in $(seq "$runs"); do
    local out id seconds p50 p99
    out=$("$fossa" submit Fanout --node "$node" -c "subtasks=$subtasks" --wait)
    id=$(sed -n 's/^task \([^ ]*\) accepted.*/\1/p' <<<"$out")
    seconds=$(task_seconds "$node" "$id")
    [[ -n "$seconds" ]] || { echo "Fanout did not complete: $out" >&2; exit 1; }
    rates+=("$(awk -v n="$subtasks" -v s="$seconds" 'BEGIN {printf "%.0f", n / s}')")
    read -r p50 p99 < <("$here/subtask_latency.py" "$node" "$id" "$subtasks")
    p50s+=("$p50"); p99s+=("$p99")
  done
  rss=""
  for pid in $pids; do rss+="$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status") "; done
  "$fossa" cluster --dir "$dir" down >/dev/null
  fan_rate=$(median "${rates[@]}"); fan_p50=$(median "${p50s[@]}"); fan_p99=$(median "${p99s[@]}")
  fan_runs="${rates[*]}"
}
fanout ""
default_row="| Fossa Fanout, 2 nodes, default slots ($(( $(nproc) * 2 )) each) | $fan_rate | $fan_p50 | $fan_p99 | $fan_runs |"
default_rate=$fan_rate
default_p50=$fan_p50
default_rss=$rss
fanout 16
wide_row="| Fossa Fanout, 2 nodes, 16 slots each | $fan_rate | $fan_p50 | $fan_p99 | $fan_runs |"
wide_rate=$fan_rate

# Node RSS as a node runs by default (1,000 subtask documents kept a finished parent): three
# 20,000-subtask jobs, read a second after the last ends (a node forgets a finished job's other
# subtask documents, and hands the freed pages back, as the job ends).
"$fossa" cluster --dir "$dir" up --workers 2 >/dev/null
node=$(grep -m1 '"url"' "$dir/cluster.json" | sed 's/.*"\(http[^"]*\)".*/\1/')
pids=$(grep '"pid"' "$dir/cluster.json" | sed 's/[^0-9]//g')
for _ in 1 2 3; do "$fossa" submit Fanout --node "$node" -c "subtasks=$subtasks" --wait >/dev/null; done
sleep 1
kept_rss=""
for pid in $pids; do kept_rss+="$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status") "; done
"$fossa" cluster --dir "$dir" down >/dev/null

# StaggeredEtl: 12 subtasks of 0.4 s, with 2 workers and with 12, on 2 nodes of 7 slots each
# (12 free while the parent holds one): what parallel subtasks across nodes buy.
"$fossa" cluster --dir "$dir" up --workers 2 --capacity 7 >/dev/null
node=$(grep -m1 '"url"' "$dir/cluster.json" | sed 's/.*"\(http[^"]*\)".*/\1/')
staggered() {
  local out id
  out=$("$fossa" submit StaggeredEtl --node "$node" -c "requested_workers=$1" -c "output_datasets=$dir/out-$1" --wait)
  id=$(sed -n 's/^task \([^ ]*\) accepted.*/\1/p' <<<"$out")
  task_seconds "$node" "$id" | awk '{printf "%.2f\n", $1}'
}
two=() ; twelve=()
for _ in $(seq "$runs"); do two+=("$(staggered 2)"); twelve+=("$(staggered 12)"); done

probe_rate=$(median "${rates[@]}")
guaranteed_rate=$(median "${g_rates[@]}")
guaranteed_p50=$(median "${g_p50s[@]}")
percent() { awk -v a="$1" -v b="$probe_rate" 'BEGIN {printf "%.1f%%", 100 * a / b}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "## Subtasks across nodes over RabbitMQ (issue 4)"
echo
echo "Private RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null) on loopback; $runs runs of each, side by side."
echo "Raw probe: rabbitmq-c publish → consume → reply → consume, 20,000 round trips, 50 in flight."
echo "Same-guarantees probe: the same round trips with Fossa's guarantees and nothing else — persistent requests"
echo "to a durable queue, publisher confirms on every publish, a request acked only once its reply is confirmed."
echo "Fanout: $subtasks no-op subtasks from a task on node-1 of a 2-node \`fossa cluster\` (both nodes"
echo "take subtasks, in worker processes kept from one subtask to the next; 128 in flight)."
echo
echo "| | median subtasks (round trips)/s | p50 ms | p99 ms | runs (/s) |"
echo "| --- | --- | --- | --- | --- |"
echo "| raw AMQP probe | $probe_rate | $(median "${p50s[@]}") | $(median "${p99s[@]}") | ${rates[*]} |"
echo "| same-guarantees AMQP probe | $guaranteed_rate | $guaranteed_p50 | $(median "${g_p99s[@]}") | ${g_rates[*]} |"
echo "$default_row"
echo "$wide_row"
echo
echo "Fossa / probe: **$(percent "$default_rate")** with each node's default slots, **$(percent "$wide_rate")** with 16"
echo "(goal ≥ 50%, and ≥ 10,000 subtasks/s). No-op subtasks mostly wait on hand-offs, so more slots than CPUs help."
echo "Fossa / same-guarantees probe, default slots: **$(ratio "$default_rate" "$guaranteed_rate")×** the rate (goal ≥ 0.8), p50 **$(ratio "$default_p50" "$guaranteed_p50")×** the probe's (goal ≤ 2)."
echo "Node RSS after the default-slot runs (MB; node-1 kept all ${runs}×$subtasks subtask documents): $default_rss"
echo "Node RSS after three $subtasks-subtask jobs as a node runs by default (MB; 1,000 subtask documents kept a job): $kept_rss(goal ≤ 40)"
echo "Python Fossa, for scale (the issue's measurement, not repeated here): about 10 subtasks/s."
echo
echo "StaggeredEtl (12 subtasks of 0.4 s) on 2 nodes of 7 slots: $(median "${two[@]}") s with 2 workers,"
echo "$(median "${twelve[@]}") s with 12 — **$(awk -v a="$(median "${two[@]}")" -v b="$(median "${twelve[@]}")" 'BEGIN {printf "%.1f", a / b}')×** sooner (goal ≥ 5×; runs: ${two[*]} / ${twelve[*]} s)."
