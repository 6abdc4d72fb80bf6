# shellcheck shell=bash
# Shared by the image tests (sourced): where their buildah keeps its images, and the checks every one
# of them makes first. Sets $cache_dir, $source_dir and the array $buildah.
#
# The tests' images live in a storage of their own under the build tree (IMAGES_CACHE_DIR, set by
# CMake), never in the machine's: the Debian bases made by base_images.sh, the images built, and
# buildah's layer cache, which lets a run whose sources did not change skip the compile.

source_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
# shellcheck source-path=SCRIPTDIR source=checks.sh
source "$(dirname "${BASH_SOURCE[0]}")/checks.sh"
cache_dir="${IMAGES_CACHE_DIR:-$source_dir/build/tests/deploy/images/cache}"

# Skip (CTest's SKIP_RETURN_CODE) rather than fail where these tests cannot run at all: buildah
# needs root here (rootless buildah needs subordinate ids that CI does not set up). Missing tools
# are a failure: `scripts/install-deps.sh --test` installs them.
if [[ $(id -u) -ne 0 ]]; then
  echo "${0##*/}: skipped: building images with buildah needs root" >&2
  exit 77
fi
for tool in buildah debootstrap nsenter ip curl pgrep; do
  command -v "$tool" >/dev/null ||
    { echo "${0##*/}: $tool is missing: run scripts/install-deps.sh --test" >&2; exit 1; }
done

# chroot isolation: no runc or crun, no user namespace; RUN steps run as root in a chroot, which
# is all these Dockerfiles need. overlay: layers are shared, not copied as with vfs.
mkdir -p "$cache_dir"
# shellcheck disable=SC2034 # used by the scripts that source this one
buildah=(buildah --root "$cache_dir/storage" --runroot "$cache_dir/run" --storage-driver overlay)
export BUILDAH_ISOLATION=chroot

# build_image NAME [DOCKERFILE CONTEXT [OPTIONS...]]: builds deploy/aws/images/DOCKERFILE.Dockerfile
# (default NAME) from CONTEXT (default the repository) as localhost/fossa-NAME:test, as build-push.sh
# has buildah build it (Docker format, layer cache, OPTIONS such as --target), from the bases of
# base_images.sh.
build_image() {
  local name=$1 dockerfile=${2:-$1} context=${3:-$source_dir} started=$SECONDS
  shift $(($# < 3 ? $# : 3))
  echo "== building fossa-$name (buildah, chroot isolation)"
  if ! "${buildah[@]}" build --pull=never --format docker --layers \
      -f "$source_dir/deploy/aws/images/$dockerfile.Dockerfile" "$@" -t "localhost/fossa-$name:test" \
      "$context" >"$cache_dir/build-$name.log" 2>&1; then
    tail -40 "$cache_dir/build-$name.log" >&2
    echo "${0##*/}: building fossa-$name failed (whole log: $cache_dir/build-$name.log)" >&2
    exit 1
  fi
  echo "== built fossa-$name in $((SECONDS - started)) s: $("${buildah[@]}" images --format '{{.Size}}' "localhost/fossa-$name:test")"
}

# image_size_mb IMAGE: the image's size in whole MB, from buildah's own "92.7 MB".
image_size_mb() {
  "${buildah[@]}" images --format '{{.Size}}' "$1" | awk '
    { n = $1; u = $2 }
    u == "GB" { n *= 1000 } u == "kB" || u == "KB" { n /= 1000 } u == "B" { n /= 1000000 }
    { printf "%d\n", n }'
}

# image_config IMAGE TEMPLATE: one field of the image's Docker configuration, e.g. '{{.User}}'.
image_config() {
  "${buildah[@]}" inspect --type image --format "{{with .Docker.Config}}$2{{end}}" "$1"
}

# wait_for_url LOG PID: the first http(s)://127.0.0.1:PORT that the server started as PID writes to
# LOG once it is ready; fails if it ends first or is not ready within 30 s.
wait_for_url() {
  local log=$1 pid=$2 i url
  for ((i = 0; i < 300; i++)); do
    url=$(grep -o 'https\?://127\.0\.0\.1:[0-9]*' "$log" | head -1 || true)
    if [[ -n "$url" ]]; then echo "$url"; return; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "${0##*/}: the server did not become ready:" >&2
  cat "$log" >&2
  return 1
}

# pid_of_descendant PID COMM: the process named COMM among PID's descendants (buildah run, then the
# program it started in the image's chroot).
pid_of_descendant() {
  local parent=$1 comm=$2 pid children
  for pid in $(pgrep -P "$parent"); do
    if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$comm" ]]; then echo "$pid"; return; fi
    children=$(pid_of_descendant "$pid" "$comm") && { echo "$children"; return; }
  done
  return 1
}

# start_image_node IMAGE [BUILDAH RUN OPTIONS...]: runs IMAGE in a new working container as a
# container runtime would, its own ENTRYPOINT, USER and WORKDIR, the node on a free port of loopback
# (the chroot shares this machine's network). Sets $ctr, $run_pid (buildah run), $node_log, $url
# and $port; the caller's EXIT trap calls stop_image_node.
start_image_node() {
  local image=$1 entrypoint
  shift
  read -ra entrypoint <<<"$(image_config "$image" '{{range .Entrypoint}}{{.}} {{end}}')"
  ctr=$("${buildah[@]}" from --pull=never --quiet "$image")
  node_log=$(mktemp)
  "${buildah[@]}" run --env FOSSA_HTTP_PORT=0 "$@" "$ctr" -- "${entrypoint[@]}" >"$node_log" 2>&1 &
  run_pid=$!
  url=$(wait_for_url "$node_log" "$run_pid")
  port=${url##*:}
  echo "== the node of $image ready at $url"
}

# stop_image_node: stops what start_image_node started, if it still runs, and removes the container.
# The signal goes to the image's tini, which passes it to the node: killing `buildah run` alone
# would leave the node running in its chroot.
stop_image_node() {
  if [[ -n "${run_pid:-}" ]]; then
    kill "$(pid_of_descendant "$run_pid" tini || echo "$run_pid")" 2>/dev/null || true
    wait "$run_pid" 2>/dev/null || true
  fi
  if [[ -n "${ctr:-}" ]]; then "${buildah[@]}" rm "$ctr" >/dev/null 2>&1 || true; fi
  rm -f "${node_log:-}"
}

# uid_of PID: the real user id a process runs as.
uid_of() { awk '/^Uid:/ { print $2 }' "/proc/$1/status"; }

# check_node_binds_every_address IMAGE: a node listens on loopback unless told otherwise; a worker
# image tells it, so that the gateway reaches it on the task's address.
check_node_binds_every_address() {
  local environment
  environment=$(image_config "$1" '{{range .Env}}{{.}} {{end}}')
  check "the image sets FOSSA_BIND=0.0.0.0 (its environment: $environment)" grep -q '\bFOSSA_BIND=0\.0\.0\.0 ' <<<"$environment"
}

# check_image_config IMAGE PORT HEALTHCHECK: what both images promise in their configuration: a
# non-root numeric user, one exposed port, and a HEALTHCHECK running /usr/local/bin/HEALTHCHECK.
check_image_config() {
  local image=$1 port=$2 program=$3 ports healthcheck
  check "the image runs as user 10001, not root" [ "$(image_config "$image" '{{.User}}')" == 10001:10001 ]
  # shellcheck disable=SC2016 # a Go template, not a shell expansion
  ports=$(image_config "$image" '{{range $port, $_ := .ExposedPorts}}{{$port}} {{end}}')
  check "the image exposes $port only (got: $ports)" [ "$ports" == "$port/tcp " ]
  healthcheck=$(image_config "$image" '{{range .Healthcheck.Test}}{{.}} {{end}}')
  check "the image has a HEALTHCHECK running $program (got: $healthcheck)" \
    [ "$healthcheck" == "CMD /usr/local/bin/$program " ]
}
