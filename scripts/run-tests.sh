#!/usr/bin/env bash
# `make test`'s last step: CTest over the whole suite, then the two things a green CTest can hide.
#  - A skipped test proves nothing. Under CI (CI=true, as .ci/run sets it) any test CTest reports
#    skipped or not run fails the run, named; elsewhere they are listed.
#  - Nothing a test started may outlive the suite. A process started by the run (a `fossa` program,
#    a broker, the AWS emulator, chromium, a database, terraform: anything carrying the run's mark,
#    below) that is still there when CTest ends fails the run, named with its command line. Under CI
#    it is then stopped; elsewhere it is left for you to look at.
# Usage: scripts/run-tests.sh BUILD_DIR [more ctest arguments]
set -uo pipefail
build=${1:?usage: scripts/run-tests.sh BUILD_DIR [ctest arguments]}
shift
in_ci=false
case "${CI:-}" in '' | 0 | false | FALSE | no | off | OFF) ;; *) in_ci=true ;; esac

# What the tests start carries a mark in its environment, inherited from CTest by every test and
# every process a test starts (a broker through runuser and env, the emulator, chromium,
# terraform): a variable naming this run. Other processes on the machine, even of another run, are
# never counted.
run_mark="FOSSA_TEST_RUN=$$-$(date +%s%N)"
ours_now() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    if tr '\0' '\n' 2>/dev/null <"$environ" | grep -qxF "$run_mark"; then
      echo "$pid $(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline")"
    fi
  done
}

log=$(mktemp)
trap 'rm -f "$log"' EXIT

(cd "$build" && env "$run_mark" ctest --output-on-failure --no-tests=error --timeout 900 "$@") 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

skipped=$(sed -n '/The following tests did not run:/,/^$/p' "$log" | grep -E '\((Skipped|Disabled|Not Run)\)' || true)
if [[ -n "$skipped" ]]; then
  if $in_ci; then
    echo "run-tests: under CI no test may be skipped; these did not run:" >&2
    echo "$skipped" >&2
    status=1
  else
    echo "run-tests: these tests did not run (under CI this fails the run):"
    echo "$skipped"
  fi
fi

# Processes stopping as their tests end get a few seconds to go.
left=""
for _ in $(seq 1 20); do
  left=$(ours_now)
  [[ -z "$left" ]] && break
  sleep 0.5
done
if [[ -n "$left" ]]; then
  echo "run-tests: these processes were started during the tests and outlived them (pid, command):" >&2
  echo "$left" >&2
  if $in_ci; then
    echo "$left" | awk '{print $1}' | xargs -r kill -9 2>/dev/null
    echo "run-tests: stopped them" >&2
  fi
  status=1
fi
exit "$status"
