# shellcheck shell=bash
# The tally of a test script's checks (sourced). `check WHAT COMMAND...` runs COMMAND and counts
# it as passed or failed, printing WHAT when it fails, and then whatever the script's own
# `explain_failure` prints, if it defines one. `checks_done` prints the tally and fails when any did.
passed=0
failed=0

check() {
  local what=$1
  shift
  if "$@"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $what"
    if declare -F explain_failure >/dev/null; then explain_failure; fi
  fi
}

checks_done() {
  echo "$passed passed, $failed failed"
  ((failed == 0))
}
