#!/usr/bin/env bash
# deploy/aws/images/build-push.sh against stand-ins for terraform, aws, docker, podman and buildah,
# which record how they are called: the tags, the login, the pushes, the choice of builder, and a
# clear error, before anything is built, for each thing missing; with --models, the checks of the
# models project and the context it is sent in. Nothing reaches AWS or a registry.
# The script runs from a copy in a throwaway git repository, so the commit (and so the tags) and a
# tree with or without uncommitted changes are the test's to choose.

# The checks are single-quoted on purpose: check() evaluates them after each run.
# shellcheck disable=SC2016
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=checks.sh
source "$(dirname "$0")/checks.sh"

script_src="$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws/images/build-push.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The repository the script believes it is in.
repo="$work/repo"
mkdir -p "$repo/deploy/aws/images" "$repo/deploy/aws/gateway" "$repo/src"
cp "$script_src" "$(dirname "$script_src")/stage-models.sh" "$repo/deploy/aws/images/"
echo 'int main() {}' >"$repo/src/main.cc"
printf '%s\n' '*' '!src/' >"$repo/.dockerignore"
git -C "$repo" init -q
git -C "$repo" -c user.name=test -c user.email=test@example.invalid add -A
git -C "$repo" -c user.name=test -c user.email=test@example.invalid commit -qm "the images' sources"
sha=$(git -C "$repo" rev-parse --short HEAD)

# PATH holds only the stand-ins and the real tools the script needs, so that whether this machine
# has terraform or docker installed changes nothing.
tools="$work/tools"
mkdir -p "$tools"
for tool in bash env dirname sed grep git cat mkdir mktemp cp rm tar find du cut sort head; do ln -s "$(command -v "$tool")" "$tools/$tool"; done
stubs="$work/stubs"
mkdir -p "$stubs"
calls="$work/calls"

# terraform: workspaces "default" and "dev"; dev has both outputs, "bare" has none.
cat >"$stubs/terraform" <<'EOF'
#!/usr/bin/env bash
echo "terraform TF_WORKSPACE=${TF_WORKSPACE:-} $*" >>"$CALLS"
case "$*" in
  *"workspace list"*) printf '* default\n  dev\n  bare\n' ;;
  *"output -raw ecr_repository_url"*)
    [[ "${TF_WORKSPACE:-}" == dev ]] || { echo 'Error: Output "ecr_repository_url" not found' >&2; exit 1; }
    printf '123456789012.dkr.ecr.eu-west-2.amazonaws.com/fossa-dev' ;;
  *"output -raw region"*)
    [[ "${TF_WORKSPACE:-}" == dev ]] || { echo 'Error: Output "region" not found' >&2; exit 1; }
    printf 'eu-west-2' ;;
  *) echo "terraform stand-in: unexpected $*" >&2; exit 1 ;;
esac
EOF
cat >"$stubs/aws" <<'EOF'
#!/usr/bin/env bash
echo "aws $*" >>"$CALLS"
[[ "$*" == "ecr get-login-password --region "* ]] || { echo "aws stand-in: unexpected $*" >&2; exit 1; }
echo "secret-token"
EOF
# One stand-in for the three builders; docker's daemon answers unless DOCKER_DOWN=1. A build also
# records the files of its context (the last argument) under models/.
cat >"$stubs/builder" <<'EOF'
#!/usr/bin/env bash
name=${0##*/}
case "$1" in
  info) [[ "${DOCKER_DOWN:-0}" != 1 ]] ;;
  login) echo "$name $* password=$(cat)" >>"$CALLS" ;;
  build)
    echo "$name $*" >>"$CALLS"
    context=${*: -1}
    if [[ -d "$context/models" ]]; then
      (cd "$context" && find models -type f | sort | sed 's/^/context file: /') >>"$CALLS"
      (cd "$context" && find src -type f | sort | sed 's/^/context file: /') >>"$CALLS"
    fi ;;
  *) echo "$name $*" >>"$CALLS" ;;
esac
EOF
chmod +x "$stubs/terraform" "$stubs/aws" "$stubs/builder"

# run CASE BUILDERS -- ARGS...: runs the script with the stand-ins of BUILDERS (comma-separated, or
# "none") and of every other tool unless unset with NO_<TOOL>=1; sets $status, $output, $recorded.
run() {
  local builders=$1
  shift 2
  rm -rf "$work/path" && mkdir "$work/path"
  local tool
  for tool in terraform aws; do
    local skip="NO_${tool^^}"
    [[ "${!skip:-0}" == 1 ]] || ln -s "$stubs/$tool" "$work/path/$tool"
  done
  if [[ "$builders" != none ]]; then
    for tool in ${builders//,/ }; do ln -s "$stubs/builder" "$work/path/$tool"; done
  fi
  : >"$calls"
  set +e
  output=$(cd "$work" && env -i HOME="$work" PATH="$work/path:$tools" CALLS="$calls" \
    ${AWS_REGION:+AWS_REGION=$AWS_REGION} ${DOCKER_DOWN:+DOCKER_DOWN=$DOCKER_DOWN} \
    ${FOSSA_IMAGE_BUILDER:+FOSSA_IMAGE_BUILDER=$FOSSA_IMAGE_BUILDER} \
    ${FOSSA_MODELS_MAX_MB:+FOSSA_MODELS_MAX_MB=$FOSSA_MODELS_MAX_MB} \
    bash "$repo/deploy/aws/images/build-push.sh" "$@" 2>&1)
  status=$?
  set -e
  recorded=$(cat "$calls")
}
explain_failure() {
  echo "  exit status: $status"
  echo "  output:"; indent <<<"$output"
  echo "  calls:"; indent <<<"$recorded"
}
indent() { sed 's/^/    /'; }
has() { grep -qF -- "$2" <<<"$1"; }
lacks() { ! grep -qF -- "$2" <<<"$1"; }

repo_url=123456789012.dkr.ecr.eu-west-2.amazonaws.com/fossa-dev

run docker -- --help
check "--help prints the usage and succeeds" eval '[[ $status == 0 ]] && has "$output" "Usage: deploy/aws/images/build-push.sh STACK"'

run docker --
check "no STACK is a usage error" eval '[[ $status == 2 ]] && has "$output" Usage:'

run docker -- dev everything
check "an unknown image is a usage error" eval '[[ $status == 2 ]] && has "$output" "is not an image: worker, gateway or all"'

NO_TERRAFORM=1 run docker -- dev
check "without terraform it stops before building" eval '[[ $status == 1 ]] && has "$output" "terraform is not installed" && [[ -z $recorded ]]'

NO_AWS=1 run docker -- dev
check "without the aws CLI it stops before building" eval '[[ $status == 1 ]] && has "$output" "aws is not installed"'

run none -- dev
check "without any builder it says which to install" eval '[[ $status == 1 ]] && has "$output" "no image builder: install docker (with its daemon running), podman or buildah"'

DOCKER_DOWN=1 run docker -- dev
check "docker without its daemon is no builder" eval '[[ $status == 1 ]] && has "$output" "its daemon does not answer" && has "$output" "no image builder"'

run docker -- prod
check "an unknown stack is named, with the stacks there are" eval '[[ $status == 1 ]] && has "$output" "no stack '"'prod'"': deploy/aws/gateway has the workspaces default, dev, bare" && lacks "$recorded" "docker build"'

run docker -- bare
check "a stack without the output says to apply it" eval '[[ $status == 1 ]] && has "$output" "stack '"'bare'"' has no output ecr_repository_url" && lacks "$recorded" "docker build"'

run docker -- dev
check "docker: both images built from the repository root, for amd64, with both tags" eval '
  [[ $status == 0 ]] &&
  has "$recorded" "docker build --platform linux/amd64 -f $repo/deploy/aws/images/worker.Dockerfile -t $repo_url:fossa-worker -t $repo_url:fossa-worker-$sha $repo" &&
  has "$recorded" "docker build --platform linux/amd64 -f $repo/deploy/aws/images/gateway.Dockerfile -t $repo_url:fossa-gateway -t $repo_url:fossa-gateway-$sha $repo"'
check "docker: logged in to the registry with the ECR password on stdin" eval '
  has "$recorded" "docker login --username AWS --password-stdin 123456789012.dkr.ecr.eu-west-2.amazonaws.com password=secret-token" &&
  lacks "$recorded" "password-stdin secret-token"'
check "docker: the stack chosen by TF_WORKSPACE, its region from its output" eval '
  has "$recorded" "terraform TF_WORKSPACE=dev -chdir=$repo/deploy/aws/gateway output -raw ecr_repository_url" &&
  has "$recorded" "aws ecr get-login-password --region eu-west-2" && lacks "$recorded" "workspace select"'
pushed_all_four() {
  local ref
  for ref in fossa-worker "fossa-worker-$sha" fossa-gateway "fossa-gateway-$sha"; do
    has "$recorded" "docker push $repo_url:$ref" || return 1
  done
}
check "docker: all four tags pushed" pushed_all_four

AWS_REGION=us-east-1 run docker -- dev worker
check "worker only, and AWS_REGION wins over the stack's region" eval '
  [[ $status == 0 ]] && has "$recorded" "aws ecr get-login-password --region us-east-1" &&
  has "$recorded" "worker.Dockerfile" && lacks "$recorded" "gateway.Dockerfile" && lacks "$recorded" "output -raw region"'

DOCKER_DOWN=1 run docker,buildah -- dev gateway
check "buildah when docker has no daemon: Docker format (keeps HEALTHCHECK), pushed by docker:// reference" eval '
  [[ $status == 0 ]] &&
  has "$recorded" "buildah build --platform linux/amd64 --format docker --layers -f $repo/deploy/aws/images/gateway.Dockerfile" &&
  has "$recorded" "buildah push $repo_url:fossa-gateway docker://$repo_url:fossa-gateway" &&
  has "$recorded" "buildah login --username AWS --password-stdin"'

FOSSA_IMAGE_BUILDER=podman run docker,podman,buildah -- dev worker
check "FOSSA_IMAGE_BUILDER chooses podman among three" eval '
  [[ $status == 0 ]] && has "$recorded" "podman build --platform linux/amd64 --format docker -f" &&
  has "$recorded" "podman push $repo_url:fossa-worker-$sha" && lacks "$recorded" "docker build"'

# A models project as an author has it: in git, with a build tree inside, one in a directory of
# another name (found by its CMakeCache.txt), and a file that is not a project.
models="$work/my-models"
mkdir -p "$models/build/CMakeFiles" "$models/out/sub"
printf 'project(MyModels)\n' >"$models/CMakeLists.txt"
echo 'int main() {}' >"$models/main.cc"
printf '%s\n' build/ out/ >"$models/.gitignore"
touch "$models/build/CMakeCache.txt" "$models/out/CMakeCache.txt" "$models/out/sub/my-fossa"
git -C "$models" init -q
git -C "$models" -c user.name=test -c user.email=test@example.invalid add .gitignore CMakeLists.txt main.cc
git -C "$models" -c user.name=test -c user.email=test@example.invalid commit -qm "my models"
# shellcheck disable=SC2034 # read by a check's eval
models_sha=$(git -C "$models" rev-parse --short HEAD) # read by a check's eval
mkdir -p "$work/no-project"
touch "$work/a-file"

run docker -- dev --models "$work/nowhere"
check "--models of a directory that does not exist: named, before anything is asked of AWS" eval '
  [[ $status == 1 ]] && has "$output" "--models $work/nowhere: no such directory" && [[ -z $recorded ]]'
run docker -- dev --models "$work/a-file"
check "--models of a file: not a directory" eval '[[ $status == 1 ]] && has "$output" "--models $work/a-file: not a directory" && [[ -z $recorded ]]'
run docker -- dev --models "$work/no-project"
check "--models of a directory without CMakeLists.txt: says what it should be" eval '
  [[ $status == 1 ]] && has "$output" "--models $work/no-project: no CMakeLists.txt there" &&
  has "$output" "like examples/external-models" && [[ -z $recorded ]]'
run docker -- dev --models "$models/out"
check "--models of a build tree: says to give the sources" eval '[[ $status == 1 ]] && has "$output" "that is a CMake build tree"'
run docker -- dev --models
check "--models without a value is a usage error" eval '[[ $status == 2 ]] && has "$output" "--models needs a value"'
run docker -- dev --models-program my-fossa
check "--models-program without --models is a usage error" eval '[[ $status == 2 ]] && has "$output" "give --models too"'
run docker -- dev --models "$models" --models-program ../evil
check "--models-program must be a file name" eval '[[ $status == 2 ]] && has "$output" "expected a program'"'"'s file name"'
run docker -- dev gateway --models "$models"
check "--models with the gateway alone is a usage error" eval '[[ $status == 2 ]] && has "$output" "nothing to do with the gateway"'
head -c 2000000 /dev/zero >"$models/data.bin"
FOSSA_MODELS_MAX_MB=1 run docker -- dev worker --models "$models"
check "a models project over FOSSA_MODELS_MAX_MB is refused, its largest entries named" eval '
  [[ $status == 1 ]] && has "$output" "over the limit of 1 MB (FOSSA_MODELS_MAX_MB)" && has "$output" "1 MB  data.bin" &&
  lacks "$recorded" "docker build"'
rm "$models/data.bin"

run docker -- dev --models "$models" --models-program my-fossa
check "--models: the worker built for target worker-models from a context of its own, tagged with both commits" eval '
  [[ $status == 0 ]] &&
  has "$recorded" "docker build --platform linux/amd64 -f $repo/deploy/aws/images/worker.Dockerfile --target worker-models --build-arg MODELS_PROGRAM=my-fossa -t $repo_url:fossa-worker -t $repo_url:fossa-worker-$sha-models-$models_sha /" &&
  lacks "$recorded" "fossa-worker-$sha-models-$models_sha $repo" &&
  has "$recorded" "docker push $repo_url:fossa-worker-$sha-models-$models_sha"'
check "--models: the context holds the project without .git or build trees, and this repository's sources" eval '
  has "$recorded" "context file: models/CMakeLists.txt" && has "$recorded" "context file: models/main.cc" &&
  lacks "$recorded" "models/.git/" && lacks "$recorded" "models/build" && lacks "$recorded" "models/out" &&
  has "$recorded" "context file: src/main.cc"'
check "--models: the gateway is built as ever" eval '
  has "$recorded" "docker build --platform linux/amd64 -f $repo/deploy/aws/images/gateway.Dockerfile -t $repo_url:fossa-gateway -t $repo_url:fossa-gateway-$sha $repo"'

echo "// changed" >>"$repo/src/main.cc"
run docker -- dev worker
check "uncommitted changes to the sources are in the tag" eval '
  [[ $status == 0 ]] && has "$recorded" "-t $repo_url:fossa-worker-$sha-dirty" && has "$output" "uncommitted changes"'

checks_done
