#!/usr/bin/env bash
# Makes the build context of a worker image with a model author's models (worker.Dockerfile, target
# worker-models) in CONTEXT, a new directory: what /.dockerignore lets in from this repository, and
# the models project DIR as models/ without what does not belong in an image: version control
# (.git), build trees (any directory holding a CMakeCache.txt, and build, build-* and cmake-build-*
# at its top), and no more than FOSSA_MODELS_MAX_MB (default 100) in all.
#   deploy/aws/images/stage-models.sh DIR CONTEXT
#   deploy/aws/images/stage-models.sh --check DIR      only the checks of DIR, before anything is made
# build-push.sh --models runs it (up.sh its --check); so do the image tests. Errors name DIR and
# say what to change.
set -euo pipefail

fail() {
  echo "${0##*/}: $*" >&2
  exit 1
}
(($# == 2)) || fail "usage: stage-models.sh DIR CONTEXT, or stage-models.sh --check DIR"
check_only=0
if [[ "$1" == --check ]]; then
  check_only=1
  shift
fi
dir=$1 context=${2:-}
[[ "$dir" == / ]] || dir=${dir%/}
max_mb=${FOSSA_MODELS_MAX_MB:-100}
[[ "$max_mb" =~ ^[1-9][0-9]*$ ]] || fail "FOSSA_MODELS_MAX_MB='$max_mb': expected a whole number of MB"

[[ -e "$dir" ]] || fail "--models $dir: no such directory"
[[ -d "$dir" ]] || fail "--models $dir: not a directory (give the models project's directory, where its CMakeLists.txt is)"
[[ ! -f "$dir/CMakeCache.txt" ]] ||
  fail "--models $dir: that is a CMake build tree (it holds CMakeCache.txt); give the project's source directory"
[[ -f "$dir/CMakeLists.txt" ]] ||
  fail "--models $dir: no CMakeLists.txt there; it should be a CMake project like examples/external-models (find_package(Fossa), a program whose main returns fossa::main)"
((check_only == 0)) || exit 0
[[ ! -e "$context" ]] || fail "$context exists already"

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
mkdir -p "$context/models"

# This repository's part: exactly what its .dockerignore lets in (its '!' lines), so the two
# contexts cannot drift apart.
while IFS= read -r line; do
  [[ "$line" == '!'* ]] || continue
  path=${line#!}
  path=${path%/}
  mkdir -p "$context/$(dirname "$path")"
  cp -R "$repo_root/$path" "$context/$path"
done <"$repo_root/.dockerignore"
cp "$repo_root/.dockerignore" "$context/.dockerignore"
printf '%s\n' '!models/' >>"$context/.dockerignore"

# The models project, less version control and build trees.
excludes=(--exclude=./.git --exclude=./build --exclude='./build-*' --exclude='./cmake-build-*')
while IFS= read -r -d '' cache; do
  excludes+=("--exclude=./$(dirname "${cache#"$dir"/}")")
done < <(find "$dir" -name .git -prune -o -name CMakeCache.txt -print0)
excludes+=(--exclude=.git)
tar -C "$dir" ${excludes[@]+"${excludes[@]}"} -cf - . | tar -C "$context/models" -xf - ||
  fail "--models $dir: copying it into the build context failed"

size_kb=$(du -sk "$context/models" | cut -f1)
if ((size_kb > max_mb * 1024)); then
  echo "${0##*/}: the largest entries of $dir (less .git and build trees):" >&2
  du -sk "$context/models"/* "$context/models"/.[!.]* 2>/dev/null | sort -rn | head -5 |
    while read -r kb path; do echo "  $((kb / 1024)) MB  ${path#"$context/models/"}" >&2; done
  fail "--models $dir: $((size_kb / 1024)) MB to send to the image build, over the limit of $max_mb MB (FOSSA_MODELS_MAX_MB): move data out of the project, or raise the limit"
fi
