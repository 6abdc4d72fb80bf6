# shellcheck shell=bash
# Shared by up.sh and down.sh: argument and environment checks, running Terraform in one part
# (network, gateway, cluster) in the stack's workspace, and waiting for what Terraform does not wait
# for. Sourced, not run; the sourcing script sets deploy_dir (this directory) and defines usage();
# parse_arguments sets stack and auto_approve.
#
# Written for bash 3.2 too (macOS's): no negative array indexes, no associative arrays, and an
# array that may be empty is expanded as ${a[@]+"${a[@]}"} (an empty one is "unbound" to bash
# before 4.4 under set -u). tests/deploy/terraform/bash32_test.sh checks for these.
# shellcheck disable=SC2034,SC2154 # auto_approve is used by the sourcing script, which sets deploy_dir

# parse_arguments ARGS...: [--yes] STACK, as up.sh and down.sh take them (each has its usage());
# sets stack and auto_approve.
parse_arguments() {
  auto_approve=()
  stack=""
  local arg
  for arg in "$@"; do
    case "$arg" in
      -h | --help) usage; exit 0 ;;
      --yes) auto_approve=(-auto-approve -input=false) ;;
      -*) echo "${0##*/}: unknown option $arg" >&2; usage >&2; exit 2 ;;
      *) [[ -z "$stack" ]] || { echo "${0##*/}: one STACK only" >&2; exit 2; }; stack=$arg ;;
    esac
  done
  [[ -n "$stack" ]] || { usage >&2; exit 2; }
}

# The -auto-approve flags of --yes, or nothing (an empty array: see the top).
approve_flags() {
  echo ${auto_approve[@]+"${auto_approve[@]}"}
}

die() {
  echo "${0##*/}: $*" >&2
  exit 1
}

# The stack name is a Terraform workspace and goes into resource names (fossa-<stack>-...).
check_stack_name() {
  [[ "$1" =~ ^[a-z][a-z0-9-]{0,19}$ ]] ||
    die "stack name '$1' is not valid: 1-20 characters of a-z, 0-9 and '-', starting with a letter"
}

check_terraform() {
  command -v terraform >/dev/null ||
    die "terraform is not installed: get Terraform >= 1.11 from https://developer.hashicorp.com/terraform/install"
  local version
  version=$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p')
  [[ -n "$version" ]] || die "cannot read the version of $(command -v terraform)"
  local major=${version%%.*} minor
  minor=${version#*.}
  minor=${minor%%.*}
  ((major > 1 || (major == 1 && minor >= 11))) ||
    die "terraform $version is too old: these stacks need >= 1.11 (ephemeral values, write-only secrets)"
}

# The region of the stack: the one its state records ($1, empty for a new stack), else AWS_REGION,
# else AWS_DEFAULT_REGION. A region in the environment that differs from the state's is refused:
# Terraform would look for the stack there, find none of it, and make it anew (or, destroying,
# forget the real one).
resolve_region() {
  local state_region=${1:-} asked=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
  if [[ -n "$state_region" && -n "$asked" && "$asked" != "$state_region" ]]; then
    die "stack '$stack' lives in $state_region, not $asked: export AWS_REGION=$state_region (or unset it)"
  fi
  region=${state_region:-$asked}
  [[ -n "$region" ]] || die "no AWS region: export AWS_REGION, e.g. AWS_REGION=eu-west-2"
  [[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "AWS_REGION '$region' does not look like a region (e.g. eu-west-2)"
  # The AWS CLI v1 reads only AWS_DEFAULT_REGION.
  export AWS_REGION=$region AWS_DEFAULT_REGION=$region
}

# state_region PART...: the region the state of each existing part records (they must agree), or
# nothing for a stack not made yet. Selects the stack's workspace in the parts that have one.
state_region() {
  local part found="" part_region
  for part in "$@"; do
    tf_workspace "$part" existing || continue
    part_region=$(tf "$part" output -raw region 2>/dev/null) || continue
    if [[ -n "$found" && "$part_region" != "$found" ]]; then
      die "the parts of stack '$stack' disagree on their region ($found, and $part_region in deploy/aws/$part)"
    fi
    found=$part_region
  done
  echo "$found"
}

# Fails early, with what to do, when no credential source is configured at all (after
# resolve_region), or when they do not work.
check_credentials() {
  [[ -n "${AWS_ACCESS_KEY_ID:-}${AWS_PROFILE:-}${AWS_WEB_IDENTITY_TOKEN_FILE:-}${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}" ||
    -f "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" || -f "${AWS_CONFIG_FILE:-$HOME/.aws/config}" ]] ||
    die "no AWS credentials: export AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run 'aws configure'"
  command -v aws >/dev/null ||
    die "the AWS CLI is not installed: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html"
  aws sts get-caller-identity --region "$AWS_REGION" --output text --query Account >/dev/null 2>&1 ||
    die "the AWS credentials do not work ('aws sts get-caller-identity' fails): run 'aws configure' or export AWS_PROFILE"
}

# tf PART ARGS...: terraform in deploy/aws/PART.
tf() {
  local part=$1
  shift
  terraform -chdir="$deploy_dir/$part" "$@"
}

# Initialises PART and selects (or makes) the stack's workspace.
tf_workspace() {
  local part=$1 create=$2
  tf "$part" init -input=false >/dev/null || die "terraform init failed in deploy/aws/$part"
  if [[ "$create" == create ]]; then
    tf "$part" workspace select -or-create "$stack" >/dev/null || die "cannot select workspace $stack in deploy/aws/$part"
  else
    tf "$part" workspace select "$stack" >/dev/null 2>&1
  fi
}

# Extra variables of one part of one stack, if the user keeps some: deploy/aws/PART/STACK.tfvars.
tfvars_args() {
  local file="$deploy_dir/$1/$stack.tfvars"
  if [[ -f "$file" ]]; then echo "-var-file=$stack.tfvars"; fi
}

# Minutes each wait below allows: FOSSA_WAIT_MINUTES, default 15 (0: look once).
wait_minutes() {
  local minutes=${FOSSA_WAIT_MINUTES:-15}
  [[ "$minutes" =~ ^[0-9]+$ ]] || die "FOSSA_WAIT_MINUTES '$minutes' is not a whole number of minutes"
  echo "$minutes"
}

# The commands up.sh runs on the gateway instance through SSM Run Command (AWS-RunShellScript).
# The agent runs them with `sh`, as root, in its own bare environment: PATH and its AWS_SSM_*
# variables, not a login's, and not the EnvironmentFile of any unit. So each must stand on its own:
# fossa-nat reads /etc/fossa/nat.env itself. No quote or backslash in them (they go into JSON as they
# are). tests/deploy/gateway/instance_test.sh sends them through this very code, and runs them as the
# agent does on a model of the instance.
ssm_nat_check='/usr/local/sbin/fossa-nat check'
ssm_restart_gateway='systemctl restart fossa-gateway'

# ssm_send INSTANCE COMMENT COMMAND: sends COMMAND to the instance; prints the command's id.
ssm_send() {
  aws ssm send-command --region "$region" --instance-ids "$1" --document-name AWS-RunShellScript \
    --comment "$2" --parameters "{\"commands\":[\"$3\"]}" --query Command.CommandId --output text
}

# restart_gateway INSTANCE: fossa-gateway reads the password as it starts.
restart_gateway() {
  ssm_send "$1" "fossa up.sh: new password" "$ssm_restart_gateway" >/dev/null ||
    echo "${0##*/}: could not restart fossa-gateway through SSM; it takes the new password at its next start" >&2
}

# wait_for_nat INSTANCE: until `fossa-nat check` passes on the gateway, asked through SSM Run
# Command (no port is opened for it). The first boot installs and starts the NAT
# (fossa-provision), and the instance answers SSM once its agent has registered: minutes, both.
wait_for_nat() {
  local instance=$1 minutes deadline command_id status
  minutes=$(wait_minutes)
  deadline=$((SECONDS + minutes * 60))
  echo "${0##*/}: waiting for the gateway's NAT (fossa-nat check on $instance, up to $minutes min)"
  while :; do
    status="no answer through SSM yet"
    if command_id=$(ssm_send "$instance" "fossa up.sh: is the NAT in place?" "$ssm_nat_check" 2>/dev/null); then
      # Asked at least once, however short the wait (FOSSA_WAIT_MINUTES=0: one look).
      while :; do
        status=$(aws ssm get-command-invocation --region "$region" --command-id "$command_id" \
          --instance-id "$instance" --query Status --output text 2>/dev/null) || status=Pending
        if [[ "$status" != Pending && "$status" != InProgress && "$status" != Delayed ]] || ((SECONDS >= deadline)); then
          break
        fi
        sleep 5
      done
      if [[ "$status" == Success ]]; then
        echo "${0##*/}: the NAT is in place"
        return 0
      fi
    fi
    ((SECONDS < deadline)) ||
      die "the gateway's NAT is not in place after $minutes min (fossa-nat check: $status), so the workers cannot" \
        "pull their image. What the instance says: aws ec2 get-console-output --latest --instance-id $instance" \
        "--region $region. Then run up.sh again (FOSSA_WAIT_MINUTES=30 waits longer)."
    sleep 20
  done
}

# Minutes the wait for the services goes on while busy workers hold a deployment back:
# FOSSA_BUSY_WAIT_MINUTES, default 60 (0: look once).
busy_wait_minutes() {
  local minutes=${FOSSA_BUSY_WAIT_MINUTES:-60}
  [[ "$minutes" =~ ^[0-9]+$ ]] || die "FOSSA_BUSY_WAIT_MINUTES '$minutes' is not a whole number of minutes"
  echo "$minutes"
}

# busy_workers CLUSTER SERVICE: how many of SERVICE's running tasks from a deployment older than its
# newest are protected from scale-in. A busy node protects its task (docs/node.md, "Scale-in
# protection"), and ECS replaces no protected task in a deployment until the protection ends, so
# these hold the new deployment back until they finish their work. 0 when ECS cannot say.
busy_workers() {
  local cluster=$1 service=$2 primary arns old=() busy=0 count i
  # shellcheck disable=SC2016 # a JMESPath literal, not a shell expansion
  primary=$(aws ecs describe-services --region "$region" --cluster "$cluster" --services "$service" \
    --query 'services[0].deployments[?status==`PRIMARY`] | [0].id' --output text 2>/dev/null) || primary=""
  arns=$(aws ecs list-tasks --region "$region" --cluster "$cluster" --service-name "$service" --desired-status RUNNING \
    --query taskArns --output text 2>/dev/null) || arns=""
  [[ -n "$primary" && -n "$arns" && "$arns" != None ]] || { echo 0; return 0; }
  read -r -a arns <<<"$arns"
  # DescribeTasks takes 100 tasks a call, GetTaskProtection 10.
  for ((i = 0; i < ${#arns[@]}; i += 100)); do
    # A task's startedBy is the deployment that started it.
    count=$(aws ecs describe-tasks --region "$region" --cluster "$cluster" --tasks "${arns[@]:i:100}" \
      --query "tasks[?startedBy!='$primary'].taskArn" --output text 2>/dev/null) || count=""
    [[ -z "$count" || "$count" == None ]] || read -r -a old <<<"${old[*]+"${old[*]}"} $count"
  done
  for ((i = 0; i < ${#old[@]}; i += 10)); do
    count=$(aws ecs get-task-protection --region "$region" --cluster "$cluster" --tasks "${old[@]:i:10}" \
      --query 'length(protectedTasks[?protectionEnabled])' --output text 2>/dev/null) || count=0
    [[ "$count" =~ ^[0-9]+$ ]] || count=0
    busy=$((busy + count))
  done
  echo "$busy"
}

# wait_for_services CLUSTER SERVICE...: until the newest deployment of each service has completed
# (ECS's rolloutState), or has failed: a deployment whose tasks keep failing is stopped by the
# circuit breaker, and the first one has nothing to roll back to. Busy workers (above) hold a
# deployment back: for them it says so and waits up to FOSSA_BUSY_WAIT_MINUTES, as nothing but
# their work finishing moves the deployment on; after them, FOSSA_WAIT_MINUTES again.
wait_for_services() {
  local cluster=$1 minutes busy_minutes deadline busy_deadline states service busy shown_busy=0
  shift
  minutes=$(wait_minutes)
  busy_minutes=$(busy_wait_minutes)
  deadline=$((SECONDS + minutes * 60))
  busy_deadline=$((SECONDS + busy_minutes * 60))
  echo "${0##*/}: waiting for $* to reach a steady state (up to $minutes min)"
  while :; do
    # shellcheck disable=SC2016 # a JMESPath literal, not a shell expansion
    # A line a service: its name, the rollout state of its newest deployment, running, desired.
    states=$(aws ecs describe-services --region "$region" --cluster "$cluster" --services "$@" \
      --query 'services[].[serviceName, deployments[?status==`PRIMARY`] | [0].rolloutState, runningCount, desiredCount]' \
      --output text) || die "aws ecs describe-services failed for cluster $cluster"
    if grep -q FAILED <<<"$states"; then
      die "a deployment failed: ECS stopped it after its tasks kept failing (service, deployment, running, desired):" \
        $'\n'"$states"$'\n'"$(services_recovery "$cluster")"
    fi
    if [[ -n "$states" ]] && ! grep -qv COMPLETED <<<"$states"; then
      echo "${0##*/}: $* steady"
      return 0
    fi
    busy=0
    while read -r service; do
      busy=$((busy + $(busy_workers "$cluster" "$service")))
    done < <(awk '$2 != "COMPLETED" { print $1 }' <<<"$states")
    if ((busy > 0)); then
      if ((busy != shown_busy)); then
        echo "${0##*/}: waiting for $busy busy worker(s) to finish their work: ECS replaces a worker protected from" \
          "scale-in only once it is idle, so the new deployment rolls out as each finishes (up to $busy_minutes min," \
          "FOSSA_BUSY_WAIT_MINUTES)"
        shown_busy=$busy
      fi
      ((SECONDS < busy_deadline)) || die "$(busy_verdict "$cluster" "$busy" "$busy_minutes")"
      # The services' own wait starts again once nothing holds them back.
      deadline=$((SECONDS + minutes * 60))
    else
      ((SECONDS < deadline)) ||
        die "not steady after $minutes min (service, deployment, running, desired):"$'\n'"$states"$'\n'"$(services_recovery "$cluster")"
    fi
    sleep 15
  done
}

busy_verdict() {
  cat <<VERDICT
after $3 min, $2 worker(s) of the old deployment are still busy, so ECS has not replaced them yet. Nothing is
wrong and nothing needs doing: each is replaced as soon as it finishes its work, and the deployment then
completes by itself (a new deployment would wait for them just the same). To follow it:
aws ecs describe-services --region $region --cluster $1 --services fossa-worker --query 'services[0].deployments'
To replace them now instead, stopping their work (the subtasks they hold go back to the queue; a job they
run fails): aws ecs stop-task --region $region --cluster $1 --task <task id> for each.
VERDICT
}

services_recovery() {
  cat <<RECOVERY
Why: aws ecs describe-services --region $region --cluster $1 --services fossa-worker rabbitmq --query 'services[].events[:5]'
and the stopped tasks' stoppedReason (aws ecs list-tasks / describe-tasks --desired-status STOPPED). A failed
image pull most often means the gateway's NAT was not in place, or the image was never pushed.
Once fixed, start a new deployment: aws ecs update-service --region $region --cluster $1 --service fossa-worker
--force-new-deployment (the same for rabbitmq), or run up.sh again. See deploy/aws/README.md, "When the workers do not start".
(Busy workers never make this message: they are waited for, FOSSA_BUSY_WAIT_MINUTES.)
RECOVERY
}
