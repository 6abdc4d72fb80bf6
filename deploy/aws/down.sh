#!/usr/bin/env bash
# Removes a fossa stack from AWS: cluster, then gateway, then network (the reverse of up.sh). Parts
# that were never made, or are already gone, are passed over. See ../../README.md, "Deploy to AWS".
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/aws/down.sh [--yes] STACK

Destroys the fossa stack STACK: deploy/aws/cluster, deploy/aws/gateway (with the image repository
and its images), then deploy/aws/network, and deletes the stack's Terraform workspaces.

  --yes        destroy without asking (otherwise Terraform shows each plan and asks)

The stack is destroyed in the region its state records: AWS_REGION may be left unset, and another
region is refused (Terraform would find nothing there, and forget the real stack).

Environment: credentials as for any AWS tool, AWS_ENDPOINT_URL to send every AWS call elsewhere
(e.g. the moto_server emulator). Needs terraform and the AWS CLI.
USAGE
}

deploy_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/aws/lib.sh
source "$deploy_dir/lib.sh"
parse_arguments "$@"

check_stack_name "$stack"
check_terraform
export TF_IN_AUTOMATION=1

# The parts of this stack that exist, in the order they come down (words, not an array: bash 3.2).
parts=""
for part in cluster gateway network; do
  if tf_workspace "$part" existing; then parts="$parts $part"; fi
done
[[ -n "$parts" ]] || die "no part of stack '$stack' is known here (no Terraform workspace '$stack' in deploy/aws/*)"
# shellcheck disable=SC2086 # parts is words
stack_region=$(state_region $parts) || exit 1
resolve_region "$stack_region"
check_credentials

for part in $parts; do
  echo "== $part ($stack, $region) =="
  # Destroying needs no real values for these two; they are required only to make the gateway.
  # shellcheck disable=SC2046 # tfvars_args prints one word or none; approve_flags two or none
  TF_VAR_gateway_password=unused-when-destroying TF_VAR_allowed_cidr=0.0.0.0/32 \
    tf "$part" destroy $(approve_flags) -var "region=$region" -var "stack=$stack" \
    $(tfvars_args "$part") || die "terraform destroy failed in deploy/aws/$part (stack $stack); fix and run down.sh again"
  tf "$part" workspace select default >/dev/null
  tf "$part" workspace delete "$stack" >/dev/null || die "cannot delete workspace $stack in deploy/aws/$part"
done
echo "== stack $stack is gone =="
