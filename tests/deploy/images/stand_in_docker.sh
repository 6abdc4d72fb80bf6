#!/usr/bin/env bash
# `docker` for gateway_image_test.sh, which runs the gateway instance's fossa-gateway-run: login,
# pull and rm are checked and recorded in $STAND_IN_LOG; `docker run` of the gateway becomes
# `buildah run` of the test's working container ($STAND_IN_CONTAINER, with the image's ENTRYPOINT
# $STAND_IN_ENTRYPOINT, as docker would run it), in the network the script runs in (the test runs it
# in a network namespace: that is the "host" of --network host). Like docker, `-e NAME` passes
# NAME's value from this environment.
set -euo pipefail
echo "docker $*" >>"$STAND_IN_LOG"
read -ra buildah <<<"$STAND_IN_BUILDAH"
read -ra entrypoint <<<"$STAND_IN_ENTRYPOINT"
refuse() {
  echo "docker stand-in: $*" >&2
  exit 1
}

case "${1:-}" in
  login)
    [[ "$*" == "login --username AWS --password-stdin $STAND_IN_REGISTRY" ]] || refuse "unexpected login: $*"
    [[ "$(cat)" == stand-in-ecr-password ]] || refuse "login was not given ECR's password on its stdin"
    echo "Login Succeeded" ;;
  pull)
    [[ "$*" == "pull -q $STAND_IN_IMAGE" ]] || refuse "unexpected pull: $*"
    echo "$STAND_IN_IMAGE" ;;
  rm)
    [[ "$*" == "rm --force fossa-gateway" ]] || refuse "unexpected rm: $*" ;;
  run)
    shift
    options=()
    network=""
    while (($# > 0)); do
      case "$1" in
        --rm) shift ;;
        --name) [[ "$2" == fossa-gateway ]] || refuse "unexpected name $2"; shift 2 ;;
        --network) network=$2; shift 2 ;;
        -e)
          [[ "$2" != *=* ]] || refuse "-e $2 puts a value on the command line, where any user sees it"
          options+=(--env "$2=${!2}")
          shift 2 ;;
        --volume) options+=(--volume "$2"); shift 2 ;;
        -*) refuse "an option fossa-gateway-run does not give: $1" ;;
        *) break ;;
      esac
    done
    [[ "$network" == host ]] || refuse "the gateway must run on the host's network (got '$network')"
    [[ "${1:-}" == "$STAND_IN_IMAGE" ]] || refuse "unexpected image ${1:-none}"
    shift
    exec "${buildah[@]}" run "${options[@]}" "$STAND_IN_CONTAINER" -- "${entrypoint[@]}" "$@" ;;
  *)
    refuse "not a call fossa-gateway-run makes: docker $*" ;;
esac
