# shellcheck shell=bash
# Shared by up.sh and down.sh: argument and environment checks, and running Terraform in one part
# (network, gateway, cluster) in the stack's workspace. Sourced, not run; the sourcing script sets
# deploy_dir (this directory) and defines usage(); parse_arguments sets stack and auto_approve.
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

# The region: AWS_REGION, else AWS_DEFAULT_REGION, else the one given as $1 (e.g. from state).
resolve_region() {
  region=${AWS_REGION:-${AWS_DEFAULT_REGION:-${1:-}}}
  [[ -n "$region" ]] || die "no AWS region: export AWS_REGION, e.g. AWS_REGION=eu-west-2"
  [[ "$region" =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] || die "AWS_REGION '$region' does not look like a region (e.g. eu-west-2)"
  export AWS_REGION=$region
}

# Fails early, with what to do, when no credential source is configured at all (after resolve_region). Terraform checks
# that they work (its first call is sts:GetCallerIdentity), with the AWS SDK's own message.
check_credentials() {
  [[ -n "${AWS_ACCESS_KEY_ID:-}${AWS_PROFILE:-}${AWS_WEB_IDENTITY_TOKEN_FILE:-}${AWS_CONTAINER_CREDENTIALS_FULL_URI:-}${AWS_CONTAINER_CREDENTIALS_RELATIVE_URI:-}" ||
    -f "${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" || -f "${AWS_CONFIG_FILE:-$HOME/.aws/config}" ]] ||
    die "no AWS credentials: export AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run 'aws configure'"
  if command -v aws >/dev/null; then
    aws sts get-caller-identity --region "$AWS_REGION" --output text --query Account >/dev/null 2>&1 ||
      die "the AWS credentials do not work ('aws sts get-caller-identity' fails): run 'aws configure' or export AWS_PROFILE"
  fi
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
