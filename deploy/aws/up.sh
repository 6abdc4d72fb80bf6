#!/usr/bin/env bash
# Brings up a fossa stack on AWS: network, then gateway, then the images, then cluster. Safe to run
# again: each part is a Terraform apply in the stack's workspace. See ../../README.md, "Deploy to AWS".
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/aws/up.sh [--yes] STACK

Creates (or updates) the fossa stack STACK: deploy/aws/network, deploy/aws/gateway, the container
images (deploy/aws/images/build-push.sh), then deploy/aws/cluster. STACK names the Terraform
workspace of each part and prefixes the resources (fossa-STACK-...).

  --yes        apply without asking (otherwise Terraform shows each plan and asks)

Environment:
  AWS_REGION             region of the stack (or AWS_DEFAULT_REGION); required
  AWS_PROFILE, AWS_...   credentials, as for any AWS tool
  GATEWAY_HTTP_PASSWORD  password of the gateway's pages (user fossa), 12 characters or more; required
  FOSSA_ALLOWED_CIDR     who may reach the gateway, e.g. 203.0.113.7/32; default: this machine's
                         public address as https://checkip.amazonaws.com sees it
  FOSSA_SKIP_IMAGES=1    do not build and push the images (pushed otherwise, or an emulator)
  AWS_ENDPOINT_URL       send every AWS call there instead (e.g. the moto_server emulator)

Per-part settings (worker_count, instance_type, ...; see each part's variables.tf) can be kept in
deploy/aws/<part>/STACK.tfvars.
USAGE
}

deploy_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/aws/lib.sh
source "$deploy_dir/lib.sh"
parse_arguments "$@"

# Preflight: everything that can be checked before anything is made.
check_stack_name "$stack"
check_terraform
resolve_region ""
password=${GATEWAY_HTTP_PASSWORD:-}
[[ -n "$password" ]] || die "GATEWAY_HTTP_PASSWORD is not set: export the password the gateway's pages will ask for (user fossa)"
((${#password} >= 12)) || die "GATEWAY_HTTP_PASSWORD is too short: 12 characters or more"
allowed_cidr=${FOSSA_ALLOWED_CIDR:-}
if [[ -z "$allowed_cidr" ]]; then
  ip=$(curl -fsS --max-time 10 https://checkip.amazonaws.com 2>/dev/null | tr -d '[:space:]') || true
  [[ "$ip" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die "FOSSA_ALLOWED_CIDR is not set and this machine's public address could not be found: export FOSSA_ALLOWED_CIDR=<your address>/32"
  allowed_cidr="$ip/32"
  echo "up.sh: the gateway will accept $allowed_cidr only (this machine; set FOSSA_ALLOWED_CIDR to change)"
fi
[[ "$allowed_cidr" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/[0-9]+$ ]] ||
  die "FOSSA_ALLOWED_CIDR '$allowed_cidr' is not an IPv4 CIDR block such as 203.0.113.7/32"
skip_images=${FOSSA_SKIP_IMAGES:-0}
if [[ "$skip_images" != 1 ]]; then
  [[ -x "$deploy_dir/images/build-push.sh" ]] || die "deploy/aws/images/build-push.sh is missing"
fi
check_credentials # last: the one check that may ask AWS
export TF_IN_AUTOMATION=1

apply() {
  local part=$1
  shift
  echo "== $part ($stack, $region) =="
  tf_workspace "$part" create
  # shellcheck disable=SC2046 # tfvars_args prints one word or none
  tf "$part" apply "${auto_approve[@]}" -var "region=$region" -var "stack=$stack" \
    $(tfvars_args "$part") "$@" || die "terraform apply failed in deploy/aws/$part (stack $stack); fix and run up.sh again"
}

apply network
# The password reaches Terraform through the environment, not the command line (ps shows that).
TF_VAR_gateway_password=$password apply gateway -var "allowed_cidr=$allowed_cidr"
if [[ "$skip_images" != 1 ]]; then
  echo "== images ($stack) =="
  "$deploy_dir/images/build-push.sh" "$stack" all || die "building or pushing the images failed"
fi
apply cluster

echo
echo "== stack $stack is up =="
echo "gateway:  $(tf gateway output -raw gateway_url) (user fossa, the password in GATEWAY_HTTP_PASSWORD)"
echo "          reachable from $allowed_cidr; HTTPS with a certificate made on the instance: compare its"
echo "          fingerprint with: aws ec2 get-console-output --latest --instance-id $(tf gateway output -raw gateway_instance_id) --output text | grep fossa-gateway"
echo "cluster:  $(tf cluster output -raw cluster_name), workers in service $(tf cluster output -raw worker_service_name), broker $(tf cluster output -raw broker_host)"
echo "logs:     CloudWatch group $(tf cluster output -raw log_group_name)"
echo "remove everything with: deploy/aws/down.sh $stack"
