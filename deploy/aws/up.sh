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
                         (a changed one is stored, and the gateway restarted with it)
  FOSSA_ALLOWED_CIDR     who may reach the gateway, e.g. 203.0.113.7/32; default: the one the
                         stack already has, else this machine's public address as
                         https://checkip.amazonaws.com sees it
  FOSSA_SKIP_IMAGES=1    do not build and push the images (pushed otherwise, or an emulator)
  FOSSA_MODELS_DIR       the workers run your models: a CMake project like examples/external-models,
                         built into the worker image (build-push.sh --models); they accept the
                         models its program lists unless accepted_models names them. Running
                         workers are replaced when the image changed.
  FOSSA_MODELS_PROGRAM   its program, when the project makes more than one (--models-program)
  FOSSA_WAIT_MINUTES     how long to wait for the gateway's NAT, then for the services to be
                         steady (default 15)
  FOSSA_BUSY_WAIT_MINUTES  how long to wait, besides, while busy workers hold a new deployment
                         back (ECS replaces them as they finish; default 60)
  FOSSA_ALARM_EMAIL      an e-mail address told when a job stalls (the stack's alarm on the
                         gateway's StalledJobs metric notifies an SNS topic; AWS mails a link to
                         confirm first); default: the address the stack already has, else none.
                         Set it empty to unsubscribe.
  AWS_ENDPOINT_URL       send every AWS call there instead (e.g. the moto_server emulator)

A stack stays in the region it was made in: AWS_REGION may be left unset for it, and another is
refused. Needs terraform and the AWS CLI.

Per-part settings (max_workers, instance_type, ...; see each part's variables.tf) can be kept in
deploy/aws/<part>/STACK.tfvars: for instance a database's credentials (database_secrets) and
address (database_egress) in cluster/STACK.tfvars (README.md, "A database of the models").
USAGE
}

deploy_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=deploy/aws/lib.sh
source "$deploy_dir/lib.sh"
parse_arguments "$@"

# Preflight: everything that can be checked before anything is made.
check_stack_name "$stack"
check_terraform
stack_region=$(state_region network gateway cluster) || exit 1
resolve_region "$stack_region"
password=${GATEWAY_HTTP_PASSWORD:-}
[[ -n "$password" ]] || die "GATEWAY_HTTP_PASSWORD is not set: export the password the gateway's pages will ask for (user fossa)"
((${#password} >= 12)) || die "GATEWAY_HTTP_PASSWORD is too short: 12 characters or more"
# A gateway that exists keeps who may reach it, unless told otherwise: a re-run from another
# address must not lock out the first one.
gateway_exists=0
if tf_workspace gateway existing && tf gateway output -raw gateway_instance_id >/dev/null 2>&1; then
  gateway_exists=1
fi
allowed_cidr=${FOSSA_ALLOWED_CIDR:-}
if [[ -z "$allowed_cidr" && $gateway_exists == 1 ]]; then
  allowed_cidr=$(tf gateway output -raw allowed_cidr 2>/dev/null) || allowed_cidr=""
  [[ -z "$allowed_cidr" ]] || echo "up.sh: the gateway keeps accepting $allowed_cidr (set FOSSA_ALLOWED_CIDR to change)"
fi
if [[ -z "$allowed_cidr" ]]; then
  ip=$(curl -fsS --max-time 10 https://checkip.amazonaws.com 2>/dev/null | tr -d '[:space:]') || true
  [[ "$ip" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
    die "FOSSA_ALLOWED_CIDR is not set and this machine's public address could not be found: export FOSSA_ALLOWED_CIDR=<your address>/32"
  allowed_cidr="$ip/32"
  echo "up.sh: the gateway will accept $allowed_cidr only (this machine; set FOSSA_ALLOWED_CIDR to change)"
fi
[[ "$allowed_cidr" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+/[0-9]+$ ]] ||
  die "FOSSA_ALLOWED_CIDR '$allowed_cidr' is not an IPv4 CIDR block such as 203.0.113.7/32"
# Who is mailed when a job stalls: FOSSA_ALARM_EMAIL, set (empty: nobody), or unset: the address
# the cluster already has, unless its STACK.tfvars names one (the cluster's alarm_email).
alarm_email_args=()
if [[ -n "${FOSSA_ALARM_EMAIL+set}" ]]; then
  [[ -z "$FOSSA_ALARM_EMAIL" || "$FOSSA_ALARM_EMAIL" =~ ^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$ ]] ||
    die "FOSSA_ALARM_EMAIL '$FOSSA_ALARM_EMAIL' is not an e-mail address such as ops@example.com (empty: none)"
  alarm_email_args=(-var "alarm_email=$FOSSA_ALARM_EMAIL")
elif ! grep -qs '^[[:space:]]*alarm_email[[:space:]]*=' "$deploy_dir/cluster/$stack.tfvars" &&
  tf_workspace cluster existing && kept_email=$(tf cluster output -raw alarm_email 2>/dev/null) && [[ -n "$kept_email" ]]; then
  echo "up.sh: stalled jobs are still mailed to $kept_email (set FOSSA_ALARM_EMAIL to change, empty for none)"
  alarm_email_args=(-var "alarm_email=$kept_email")
fi
skip_images=${FOSSA_SKIP_IMAGES:-0}
if [[ "$skip_images" != 1 ]]; then
  [[ -x "$deploy_dir/images/build-push.sh" ]] || die "deploy/aws/images/build-push.sh is missing"
fi
# Your models go into the worker image, so they need the images built; their directory is checked
# now, before anything is made.
models_args=()
if [[ -n "${FOSSA_MODELS_DIR:-}" ]]; then
  [[ "$skip_images" != 1 ]] || die "FOSSA_MODELS_DIR builds your models into the worker image: unset FOSSA_SKIP_IMAGES"
  "$deploy_dir/images/stage-models.sh" --check "$FOSSA_MODELS_DIR" || exit 1
  models_args=(--models "$FOSSA_MODELS_DIR" ${FOSSA_MODELS_PROGRAM:+--models-program "$FOSSA_MODELS_PROGRAM"})
elif [[ -n "${FOSSA_MODELS_PROGRAM:-}" ]]; then
  die "FOSSA_MODELS_PROGRAM chooses among the programs of FOSSA_MODELS_DIR: set that too"
fi
check_credentials # last: the one check that may ask AWS
export TF_IN_AUTOMATION=1

slr_made=0  # whether this run made ECS's service-linked role (below)
apply() {
  local part=$1 again="fix and run up.sh again"
  shift
  echo "== $part ($stack, $region) =="
  tf_workspace "$part" create
  if [[ $part == cluster && $slr_made == 1 ]]; then
    again="if it says \"Unable to assume the service linked role\", ECS does not see the role made moments ago yet: run up.sh again in a minute"
  fi
  # shellcheck disable=SC2046 # tfvars_args prints one word or none; approve_flags two or none
  tf "$part" apply $(approve_flags) -var "region=$region" -var "stack=$stack" \
    $(tfvars_args "$part") "$@" || die "terraform apply failed in deploy/aws/$part (stack $stack); $again"
}

# The stored password is write-only: Terraform stores a new one only with a new version. So a
# GATEWAY_HTTP_PASSWORD that differs from the stored one raises the version here.
password_version=()
password_changed=0
if [[ $gateway_exists == 1 ]]; then
  secret=$(tf gateway output -raw gateway_password_secret_arn)
  stored=$(aws secretsmanager get-secret-value --region "$region" --secret-id "$secret" --query SecretString --output text) ||
    die "cannot read the gateway's stored password ($secret) to compare it with GATEWAY_HTTP_PASSWORD"
  if [[ "$stored" != "$password" ]]; then
    version=$(tf gateway output -raw gateway_password_version)
    password_version=(-var "gateway_password_version=$((version + 1))")
    password_changed=1
    echo "up.sh: GATEWAY_HTTP_PASSWORD differs from the stored password: storing it (version $((version + 1)))"
  fi
fi

apply network
echo "up.sh: zone $(tf network output -raw zone_id): $(tf network output -raw zone_reason)"
# The password reaches Terraform through the environment, not the command line (ps shows that).
TF_VAR_gateway_password=$password apply gateway -var "allowed_cidr=$allowed_cidr" \
  ${password_version[@]+"${password_version[@]}"}
gateway_instance=$(tf gateway output -raw gateway_instance_id)
if [[ $password_changed == 1 ]]; then
  restart_gateway "$gateway_instance"
fi
# Nothing in the private subnet can pull an image before the gateway routes it.
wait_for_nat "$gateway_instance"
# Workers already running keep the image they started with, tag or no tag: a pushed worker image
# that differs (by digest) from the one before is rolled out below.
worker_digest() {
  local repository
  repository=$(tf gateway output -raw ecr_repository_url) || return 0
  aws ecr describe-images --region "$region" --repository-name "${repository#*/}" --image-ids imageTag=fossa-worker \
    --query 'imageDetails[0].imageDigest' --output text 2>/dev/null || true
}
worker_image_changed=0
if [[ "$skip_images" != 1 ]]; then
  echo "== images ($stack) =="
  digest_before=$(worker_digest)
  "$deploy_dir/images/build-push.sh" "$stack" all ${models_args[@]+"${models_args[@]}"} ||
    die "building or pushing the images failed"
  [[ "$digest_before" != sha256:* || "$(worker_digest)" == "$digest_before" ]] || worker_image_changed=1
fi
# ECS creates its service-linked role at an account's first cluster, but a service created at once
# after can fail while the new role propagates: made here first, so a new account's first
# CreateService finds it (an account that has it already keeps it; down.sh leaves it, as other
# ECS users of the account may need it).
if ! aws iam get-role --role-name AWSServiceRoleForECS >/dev/null 2>&1; then
  echo "up.sh: this account has no ECS service-linked role yet (AWSServiceRoleForECS): making it"
  aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com >/dev/null ||
    die "cannot make ECS's service-linked role: aws iam create-service-linked-role --aws-service-name ecs.amazonaws.com"
  aws iam wait role-exists --role-name AWSServiceRoleForECS || true
  slr_made=1
fi
apply cluster ${alarm_email_args[@]+"${alarm_email_args[@]}"}
cluster=$(tf cluster output -raw cluster_name)
if [[ $worker_image_changed == 1 ]]; then
  echo "up.sh: a new worker image: replacing the running workers (each drains its subtasks first)"
  aws ecs update-service --region "$region" --cluster "$cluster" --service fossa-worker --force-new-deployment >/dev/null ||
    die "cannot start a new deployment of fossa-worker with the new image"
fi
# A first deployment stopped by the circuit breaker stays stopped: run again, it starts anew.
for service in rabbitmq fossa-worker; do
  # shellcheck disable=SC2016 # a JMESPath literal, not a shell expansion
  state=$(aws ecs describe-services --region "$region" --cluster "$cluster" --services "$service" \
    --query 'services[0].deployments[?status==`PRIMARY`] | [0].rolloutState' --output text) || state=""
  if [[ "$state" == FAILED ]]; then
    echo "up.sh: the last deployment of $service failed: starting a new one"
    aws ecs update-service --region "$region" --cluster "$cluster" --service "$service" --force-new-deployment >/dev/null ||
      die "cannot start a new deployment of $service"
  fi
done
wait_for_services "$cluster" rabbitmq fossa-worker

echo
echo "== stack $stack is up =="
echo "gateway:  $(tf gateway output -raw gateway_url) (user fossa, the password in GATEWAY_HTTP_PASSWORD)"
echo "          reachable from $allowed_cidr; HTTPS with a certificate made on the instance, whose fingerprint"
echo "          (SHA256:...) it printed: aws ec2 get-console-output --latest --instance-id $(tf gateway output -raw gateway_instance_id) --output text | grep fossa-gateway"
echo "run a job: FOSSA_GATEWAY_PASSWORD=\$GATEWAY_HTTP_PASSWORD build/bin/fossa submit --gateway $(tf gateway output -raw gateway_url) --fingerprint SHA256:... MODEL --wait"
echo "cluster:  $cluster, workers in service $(tf cluster output -raw worker_service_name), broker $(tf cluster output -raw broker_host)"
echo "logs:     CloudWatch group $(tf cluster output -raw log_group_name)"
alarm_email=$(tf cluster output -raw alarm_email)
echo "alarms:   stalled jobs notify SNS topic $(tf cluster output -raw alarm_topic_arn)${alarm_email:+, which mails $alarm_email (once confirmed)}"
echo "remove everything with: deploy/aws/down.sh $stack"
