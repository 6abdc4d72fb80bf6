#!/usr/bin/env bash
# The images' shell scripts (build-push.sh, the health checks) and these tests' own: each must
# parse (bash -n) and pass shellcheck, warnings and style notes included.
set -euo pipefail

source_dir="$(cd "$(dirname "$0")/../../.." && pwd)"
command -v shellcheck >/dev/null || { echo "shellcheck is missing: run scripts/install-deps.sh --test" >&2; exit 1; }
cd "$source_dir"
scripts=(deploy/aws/images/build-push.sh deploy/aws/images/stage-models.sh deploy/aws/images/build-models
  deploy/aws/images/worker-entrypoint deploy/aws/images/node-healthcheck deploy/aws/images/gateway-healthcheck
  tests/deploy/images/*.sh)

passed=0
failed=0
for script in "${scripts[@]}"; do
  # -x follows `source`, so the helpers a test sources are checked with it.
  if bash -n "$script" && shellcheck -x --severity=style "$script"; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $script"
  fi
done
echo "$passed passed, $failed failed"
((failed == 0))
