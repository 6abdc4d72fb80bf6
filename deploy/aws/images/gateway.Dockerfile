# The gateway image: fossa-gateway, the cluster's one public door, run on the gateway instance with
# `docker run --network host` (deploy/aws/gateway/provision/fossa-gateway-run): on the host's
# network it serves port 80 itself and reaches the instance metadata service (IMDSv2, its AWS
# credentials) with no extra hop. Build it from the repository root, the build context:
#   deploy/aws/images/build-push.sh STACK gateway
#   docker build -f deploy/aws/images/gateway.Dockerfile -t fossa-gateway .
# The builder stage is the worker's but for its last step, so a builder's layer cache serves both.

FROM debian:bookworm AS builder
# Every find_package() of the top-level CMakeLists.txt must succeed.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ make cmake pkg-config \
      nlohmann-json3-dev librabbitmq-dev libcurl4-openssl-dev libssl-dev \
      libspdlog-dev libcli11-dev libboost-dev zlib1g-dev libzstd-dev libpq-dev libsqlite3-dev libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the program is built from, so an edit to tests or docs does not rebuild it.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY include include
COPY src src
COPY apps apps
COPY examples/models examples/models
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DFOSSA_BUILD_TESTS=OFF -DFOSSA_BUILD_BENCH=OFF \
 && cmake --build /build --target fossa-gateway -j "$(nproc)" \
 && strip /build/bin/fossa-gateway

FROM debian:bookworm-slim
# The shared libraries of `ldd fossa-gateway`, by their Debian packages (their own dependencies
# follow): libcurl (the one HTTP client: the ECS API, SigV4-signed, IMDSv2 and the calls to nodes),
# rabbitmq-c (linked through the engine), OpenSSL, SQLite (the job records, and the engine's
# sqlite:// datasets), jemalloc (the engine's allocator). ca-certificates: the ECS endpoint's
# HTTPS is verified against its bundle. curl: the health check below, which must also speak HTTPS;
# with libcurl here anyway it costs only its own half megabyte. libcap2-bin: setcap, below.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libcurl4 librabbitmq4 libssl3 libsqlite3-0 libjemalloc2 ca-certificates curl libcap2-bin \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 fossa \
 && useradd --system --uid 10001 --gid fossa --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin fossa

# Port 80 as a non-root user: the binary carries the file capability cap_net_bind_service, so the
# kernel grants it that one privilege when it starts, and nothing else. Not root, and not a higher
# port: with --network host the container shares the instance's network namespace, where binding
# below 1024 is privileged, and a container sysctl (net.ipv4.ip_unprivileged_port_start) cannot
# be set. The capability only takes effect while Docker's default capability set keeps
# NET_BIND_SERVICE (do not --cap-drop ALL) and without --security-opt no-new-privileges.
# Set in a RUN after the COPY, because COPY drops file capabilities (BuildKit's does); the price
# is a second copy of the binary (under 1 MB) in the image's layers.
COPY --from=builder /build/bin/fossa-gateway /usr/local/bin/fossa-gateway
RUN setcap cap_net_bind_service=+ep /usr/local/bin/fossa-gateway
COPY deploy/aws/images/gateway-healthcheck /usr/local/bin/gateway-healthcheck

# Numeric, so that a platform can tell it is not root without reading /etc/passwd.
USER 10001:10001
EXPOSE 80
# Any HTTP or HTTPS answer on the gateway's port (its --port, else GATEWAY_HTTP_PORT, else 80) is
# healthy; see gateway-healthcheck.
HEALTHCHECK --interval=30s --timeout=10s --retries=3 \
  CMD ["/usr/local/bin/gateway-healthcheck"]
# The password comes from GATEWAY_HTTP_PASSWORD only (docker run -e GATEWAY_HTTP_PASSWORD).
ENTRYPOINT ["/usr/local/bin/fossa-gateway"]
CMD ["--discovery", "ecs"]
