#!/usr/bin/env bash
# Prints this suite's Markdown section. Usage: bench/amqp/run.sh <build dir>
# Fossa's own figure (Fanout over 2 nodes, issue 4) is to be measured beside this probe.
set -euo pipefail
probe="$1/bench/bench_amqp_probe"
runs=${AMQP_BENCH_RUNS:-3}
rates=() ; p50s=() ; p99s=()
for _ in $(seq "$runs"); do
  read -r rate p50 p99 < <("$probe" 20000 50)
  rates+=("$rate"); p50s+=("$p50"); p99s+=("$p99")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "## Raw AMQP round-trip probe (baseline for issue 4)"
echo
echo "rabbitmq-c, publish → consume → reply → consume, 20,000 round trips, 50 in flight, private"
echo "RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server 2>/dev/null) on loopback; $runs runs."
echo
echo "| probe | median round trips/s | p50 ms | p99 ms | runs (round trips/s) |"
echo "| --- | --- | --- | --- | --- |"
echo "| raw AMQP | $(median "${rates[@]}") | $(median "${p50s[@]}") | $(median "${p99s[@]}") | ${rates[*]} |"
echo
echo "Fossa's Fanout over 2 nodes, to be measured beside it, lands with issue 4. Finding for its design:"
echo "with 500 in flight this probe wedges (one rabbitmq-c connection per thread that both publishes and"
echo "consumes, blocked in a publish while the broker waits for it to read); 50 in flight does not."
