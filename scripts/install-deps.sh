#!/usr/bin/env bash
# Installs, with apt-get, the Debian packages the build, the tests and the demo need and that are
# missing. Safe to run again: it installs nothing when everything is present.
#   scripts/install-deps.sh            build + run (make build, make demo)
#   scripts/install-deps.sh --test     also what the tests need (make test)
set -euo pipefail

build_packages=(
  build-essential cmake pkg-config git
  nlohmann-json3-dev   # JSON: task documents, task messages, HTTP bodies
  libboost-dev         # Boost.Beast/Asio (header-only): the HTTP servers of node and gateway
  librabbitmq-dev      # AMQP 0-9-1 client: subtasks over RabbitMQ
  libcurl4-openssl-dev # the HTTP client (src/http_client): AWS calls signed by libcurl, submit, gateway→node, tests
  zlib1g-dev           # gz+ datasets
  libzstd-dev          # zstd+ datasets
  libpq-dev            # postgresql:// datasets: libpq, PostgreSQL's own client (COPY, cursors)
  libsqlite3-dev       # sqlite:// datasets
  libssl-dev           # MD5 for the example model, TLS for amqps:// and the gateway
  libspdlog-dev        # engine logs, text or JSON lines
  libcli11-dev         # command lines of fossa and fossa-gateway
  libjemalloc-dev      # the node's memory allocator: less CPU per subtask than glibc's malloc
  rabbitmq-server      # the broker of `fossa cluster up` and the demo
  python3
)
test_packages=(
  libgtest-dev libgmock-dev # unit and integration tests
  clang libclang-rt-14-dev  # libFuzzer (clang only recommends its runtime): tests/fuzz
  libbenchmark-dev          # bench/
  postgresql sqlite3        # SQL datasets' tests and bench/sql: a real server the tests start; the sqlite3 shell
  procps psmisc             # pgrep/ps in tests that prove no process is left behind
  openssl                   # a throwaway certificate for the gateway's TLS test
  curl
  chromium                  # tests/browser: the pages as a browser shows them
  buildah debootstrap       # tests/deploy/images: images built on Debian-made bases (also shellcheck, iproute2)
  iproute2 iptables         # tests/deploy/gateway: the gateway's NAT proven in network namespaces
  shellcheck systemd        # tests/deploy/gateway: its scripts linted, its units checked by systemd-analyze
)

want=("${build_packages[@]}")
if [[ "${1:-}" == "--test" ]]; then
  want+=("${test_packages[@]}")
  # Node.js runs the browser tests. Any node >= 18 with npm will do (Debian 12's is 18); one from
  # elsewhere that already brings npm is left alone rather than fought with Debian's npm.
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then want+=(nodejs npm); fi
fi

missing=()
for pkg in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "install-deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # The rabbitmq-server package starts a system broker when it can; we never use it (tests and
  # `fossa cluster up` start their own), so keep package scripts from starting services.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The browser tests' one npm package (playwright-core, pinned by tests/browser/package-lock.json).
if [[ "${1:-}" == "--test" ]]; then
  browser_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/browser"
  if ! node -e 'const [dir] = process.argv.slice(1);
      const want = require(dir + "/package.json").dependencies["playwright-core"];
      process.exit(require(dir + "/node_modules/playwright-core/package.json").version === want ? 0 : 1);' \
      "$browser_dir" 2>/dev/null; then
    echo "install-deps: npm ci in tests/browser"
    npm ci --prefix "$browser_dir" --no-audit --no-fund --loglevel=error
  fi
fi

# The Dockerfile linters of tests/deploy/images (pinned by its package-lock.json).
if [[ "${1:-}" == "--test" ]]; then
  images_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/deploy/images"
  if ! node -e 'const [dir] = process.argv.slice(1);
      const wanted = Object.entries(require(dir + "/package.json").dependencies);
      process.exit(wanted.every(([name, version]) =>
        require(dir + "/node_modules/" + name + "/package.json").version === version) ? 0 : 1);' \
      "$images_dir" 2>/dev/null; then
    echo "install-deps: npm ci in tests/deploy/images"
    npm ci --prefix "$images_dir" --no-audit --no-fund --loglevel=error
  fi
fi
