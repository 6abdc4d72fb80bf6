#!/usr/bin/env bash
# shellcheck disable=SC2016 # the patterns and messages below quote bash syntax, not expansions
# up.sh, down.sh, lib.sh, images/build-push.sh and images/stage-models.sh must run on macOS's
# bash 3.2 too. No bash 3.2 is at hand here (Debian ships only bash 5), so this looks for the constructs that break it, each
# with what bash 3.2 does with it. It cannot prove the scripts work there; it keeps out what is
# known not to.
set -euo pipefail

deploy=$(cd "$(dirname "$0")/../../.." && pwd)/deploy/aws
scripts=("$deploy/up.sh" "$deploy/down.sh" "$deploy/lib.sh" "$deploy/images/build-push.sh" "$deploy/images/stage-models.sh")
found=0

# forbid REGEX WHY: every line of the scripts (comments aside) that matches.
forbid() {
  local regex=$1 why=$2 hits
  hits=$(grep -nE -- "$regex" "${scripts[@]}" | grep -vE '^[^:]+:[0-9]+:[[:space:]]*#' || true)
  if [[ -n $hits ]]; then
    printf 'FAIL: %s\n%s\n' "$why" "$hits" >&2
    found=1
  fi
}

forbid '\[-[0-9]+\]' 'a negative array index (bash 4.3): "bad array subscript" in 3.2'
forbid '(declare|local|typeset) +-[a-zA-Z]*A' 'an associative array (bash 4.0)'
forbid '(declare|local|typeset) +-[a-zA-Z]*n ' 'a name reference (bash 4.3)'
forbid '\b(mapfile|readarray|coproc)\b' 'mapfile, readarray or coproc (bash 4.0)'
forbid '\$\{[a-zA-Z_][a-zA-Z0-9_]*(\[[^]]*\])?(,,?|\^\^?)[^}]*\}' 'a case conversion such as ${x,,} (bash 4.0)'
forbid '&>>|;;&|\|&' '&>>, ;;& or |& (bash 4.0)'
forbid '\[\[ +-v ' '[[ -v NAME ]] (bash 4.2)'
forbid 'wait +-n|\$EPOCH(SECONDS|REALTIME)|printf +-v +[a-zA-Z_]+ +.%\(' 'wait -n, $EPOCHSECONDS or printf %(...)T (bash 4.2 to 5.0)'
forbid '\{[a-zA-Z_][a-zA-Z0-9_]*\}[<>]' 'an allocated file descriptor such as {fd}> (bash 4.1)'
# "${a[@]}" of an empty array is an unbound variable under set -u before bash 4.4. Every array
# expansion is either guarded, ${a[@]+"${a[@]}"}, or of "$@".
unguarded=$(grep -nE '"\$\{[a-zA-Z_][a-zA-Z0-9_]*\[@\]\}"' "${scripts[@]}" |
  grep -vE '\$\{([a-zA-Z_][a-zA-Z0-9_]*)\[@\]\+"\$\{\1\[@\]\}"\}' |
  grep -vE '^[^:]+:[0-9]+:[[:space:]]*#' || true)
if [[ -n $unguarded ]]; then
  printf 'FAIL: %s\n%s\n' 'an array expanded as "${a[@]}": unbound under set -u in bash < 4.4 when empty; write ${a[@]+"${a[@]}"}' "$unguarded" >&2
  found=1
fi

((found == 0)) || exit 1
echo "ok: no construct that breaks bash 3.2 in ${scripts[*]##*/}"
