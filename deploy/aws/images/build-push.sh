#!/usr/bin/env bash
# Builds the container images of a fossa stack and pushes them to that stack's ECR repository:
# fossa-worker (worker.Dockerfile: `fossa node`, the cluster's tasks) and fossa-gateway
# (gateway.Dockerfile: run on the gateway instance). Each is tagged <repository>:fossa-<image>, the
# tag the stacks run, and <repository>:fossa-<image>-<git sha>, which stays to say what was built.
#   deploy/aws/images/build-push.sh STACK [worker|gateway|all] [--models DIR [--models-program NAME]]
# With --models, the worker is a model author's own program built from DIR (worker.Dockerfile's
# target worker-models, in a context made by stage-models.sh) instead of fossa and its examples.
# The repository comes from the gateway stack's Terraform outputs (STACK is its workspace), so that
# stack must have been applied (deploy/aws/up.sh does this, then runs this script).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/aws/images/build-push.sh STACK [worker|gateway|all] [--models DIR [--models-program NAME]]

Builds fossa-worker and/or fossa-gateway (default: all) from this repository and pushes them to the
ECR repository of stack STACK (output ecr_repository_url of deploy/aws/gateway, workspace STACK),
tagged fossa-<image> and fossa-<image>-<short git sha>.

  --models DIR           the worker runs your models: DIR is a CMake project like
                         examples/external-models (find_package(Fossa), a program whose main
                         returns fossa::main), built in the image against this Fossa; its program
                         becomes the worker (`<program> node`), and the models it lists
                         (`<program> models --json`) the ones the worker accepts unless the stack's
                         accepted_models names them. Sent without .git and build trees, at most
                         FOSSA_MODELS_MAX_MB. The second tag gains -models-<DIR's short git sha>.
  --models-program NAME  the program to run when the project makes more than one executable

Needs terraform, the aws CLI, git and one of docker (its daemon running), podman or buildah.

Environment:
  AWS_REGION             the registry's region (or AWS_DEFAULT_REGION); default: the stack's own
  AWS_PROFILE, AWS_...   credentials, as for any AWS tool
  FOSSA_IMAGE_BUILDER    docker, podman or buildah, to choose when more than one is present
                         (docker with BuildKit, its default builder since Docker 23)
  FOSSA_MODELS_MAX_MB    the most of DIR to send to the build (default 100)
USAGE
}

die() {
  echo "build-push.sh: $*" >&2
  exit 1
}

usage_error() {
  echo "build-push.sh: $*" >&2
  usage >&2
  exit 2
}

stack=""
which_images=all
models_dir=""
models_program=""
positional=0
while (($# > 0)); do
  arg=$1
  shift
  case "$arg" in
    -h | --help) usage; exit 0 ;;
    --models | --models-program)
      [[ $# -gt 0 && -n "${1:-}" ]] || usage_error "$arg needs a value"
      if [[ "$arg" == --models ]]; then models_dir=$1; else models_program=$1; fi
      shift ;;
    -*) usage_error "unknown option $arg" ;;
    *)
      positional=$((positional + 1))
      case $positional in
        1) stack=$arg ;;
        2) which_images=$arg ;;
        *) usage_error "too many arguments" ;;
      esac
      ;;
  esac
done
[[ -n "$stack" ]] || { usage >&2; exit 2; }
case "$which_images" in
  worker | gateway) images=("$which_images") ;;
  all) images=(worker gateway) ;;
  *) echo "build-push.sh: '$which_images' is not an image: worker, gateway or all" >&2; exit 2 ;;
esac
if [[ -n "$models_program" && -z "$models_dir" ]]; then
  usage_error "--models-program chooses among the programs of --models DIR: give --models too"
fi
[[ -z "$models_program" || "$models_program" =~ ^[A-Za-z0-9._-]+$ ]] ||
  usage_error "--models-program '$models_program': expected a program's file name (letters, digits, . _ -)"
[[ -z "$models_dir" || "$which_images" != gateway ]] ||
  usage_error "--models goes into the worker image; it has nothing to do with the gateway's"

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
images_dir="$repo_root/deploy/aws/images"
gateway_dir="$repo_root/deploy/aws/gateway"
# Your models: checked now, before anything else; copied into a context of their own later.
if [[ -n "$models_dir" ]]; then
  "$images_dir/stage-models.sh" --check "$models_dir" || exit 1
fi

# --- Preflight: every tool, the stack and its outputs, before anything is built. -------------------
for tool in terraform aws git; do
  command -v "$tool" >/dev/null || die "$tool is not installed (needed to find and log in to the stack's registry)"
done

# The first builder that can build here: docker only with its daemon answering.
pick_builder() {
  local candidates=(docker podman buildah)
  if [[ -n "${FOSSA_IMAGE_BUILDER:-}" ]]; then
    case "$FOSSA_IMAGE_BUILDER" in
      docker | podman | buildah) candidates=("$FOSSA_IMAGE_BUILDER") ;;
      *) die "FOSSA_IMAGE_BUILDER='$FOSSA_IMAGE_BUILDER': expected docker, podman or buildah" ;;
    esac
  fi
  local tool
  for tool in ${candidates[@]+"${candidates[@]}"}; do
    command -v "$tool" >/dev/null || continue
    if [[ "$tool" == docker ]] && ! docker info >/dev/null 2>&1; then
      echo "build-push.sh: docker is installed but its daemon does not answer ('docker info' fails); trying the others" >&2
      continue
    fi
    builder=$tool
    return
  done
  die "no image builder: install docker (with its daemon running), podman or buildah${FOSSA_IMAGE_BUILDER:+ (FOSSA_IMAGE_BUILDER=$FOSSA_IMAGE_BUILDER)}"
}
pick_builder

# TF_WORKSPACE selects STACK for these commands only: `terraform workspace select` would also
# change the workspace that anyone else's commands in deploy/aws/gateway see.
tf_gateway() {
  TF_WORKSPACE=$stack terraform -chdir="$gateway_dir" "$@"
}
# `workspace list` prints one name a line, the current one after '* '.
stacks=$(terraform -chdir="$gateway_dir" workspace list | sed 's/^[* ]*//; /^$/d') ||
  die "cannot list the stacks of deploy/aws/gateway ('terraform workspace list' fails): has it been initialised? Deploy the stack with deploy/aws/up.sh $stack"
grep -qxF -- "$stack" <<<"$stacks" ||
  die "no stack '$stack': deploy/aws/gateway has the workspaces ${stacks//$'\n'/, }. Deploy it with deploy/aws/up.sh $stack"
repository=$(tf_gateway output -raw ecr_repository_url) || repository=""
[[ -n "$repository" ]] ||
  die "stack '$stack' has no output ecr_repository_url: apply deploy/aws/gateway in workspace $stack (deploy/aws/up.sh $stack)"
region=${AWS_REGION:-${AWS_DEFAULT_REGION:-}}
if [[ -z "$region" ]]; then
  region=$(tf_gateway output -raw region) || region=""
  [[ -n "$region" ]] ||
    die "no region: export AWS_REGION, or apply deploy/aws/gateway in workspace $stack (it has an output region)"
fi
registry=${repository%%/*}

# The sha names the commit the images were built from; with uncommitted changes to what goes into
# them, it would not, so the tag says so.
sha=$(git -C "$repo_root" rev-parse --short HEAD) || die "cannot read the git commit of $repo_root"
build_inputs=(CMakeLists.txt cmake include src apps examples/models deploy/aws/images .dockerignore)
if [[ -n "$(git -C "$repo_root" status --porcelain -- ${build_inputs[@]+"${build_inputs[@]}"})" ]]; then
  sha="$sha-dirty"
  echo "build-push.sh: uncommitted changes in the images' sources: tagging them *-$sha" >&2
fi
# The worker with your models: built from a context that stage-models.sh makes, its second tag
# naming your project's commit too (when it is in git).
worker_options=()
worker_context=$repo_root
worker_sha=$sha
if [[ -n "$models_dir" ]]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  "$images_dir/stage-models.sh" "$models_dir" "$work/context" || exit 1
  worker_options=(--target worker-models ${models_program:+--build-arg "MODELS_PROGRAM=$models_program"})
  worker_context="$work/context"
  worker_sha="$sha-models"
  if models_sha=$(git -C "$models_dir" rev-parse --short HEAD 2>/dev/null); then
    worker_sha="$worker_sha-$models_sha"
    [[ -z "$(git -C "$models_dir" status --porcelain -- . 2>/dev/null)" ]] || worker_sha="$worker_sha-dirty"
  fi
fi

# --- Log in, build, push. --------------------------------------------------------------------------
echo "build-push.sh: $builder, stack $stack, $repository ($region), images: ${images[*]}"
password=$(aws ecr get-login-password --region "$region") ||
  die "aws ecr get-login-password --region $region failed: are the AWS credentials those of the stack's account?"
# On stdin, never on a command line that other users can see.
printf '%s' "$password" | "$builder" login --username AWS --password-stdin "$registry" >/dev/null ||
  die "$builder login to $registry failed"

# Fargate tasks and the gateway's instance (an x86_64 AMI) are amd64, whatever this machine is.
platform=linux/amd64
build_flags=()
case "$builder" in
  # Docker's own format: the OCI format has no HEALTHCHECK, and buildah/podman would drop it.
  podman) build_flags=(--format docker) ;;
  buildah) build_flags=(--format docker --layers) ;;
esac

for image in ${images[@]+"${images[@]}"}; do
  tag="$repository:fossa-$image"
  options=()
  context=$repo_root
  image_sha=$sha
  title="fossa-$image"
  if [[ "$image" == worker ]]; then
    options=(${worker_options[@]+"${worker_options[@]}"})
    context=$worker_context
    image_sha=$worker_sha
    title="$title${models_dir:+ with the models of $models_dir}"
  fi
  echo "== $title =="
  # ${a[@]+...}: an empty array is "unbound" to the bash 3.2 of macOS under set -u.
  "$builder" build --platform "$platform" ${build_flags[@]+"${build_flags[@]}"} -f "$images_dir/$image.Dockerfile" \
    ${options[@]+"${options[@]}"} -t "$tag" -t "$tag-$image_sha" "$context" || die "building fossa-$image failed"
  for ref in "$tag" "$tag-$image_sha"; do
    if [[ "$builder" == buildah ]]; then
      buildah push "$ref" "docker://$ref" || die "pushing $ref failed"
    else
      "$builder" push "$ref" || die "pushing $ref failed"
    fi
  done
  echo "pushed $tag and $tag-$image_sha"
done
