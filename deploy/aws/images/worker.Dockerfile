# The worker image: `fossa node` on port 2345, the cluster's worker tasks on Fargate. Build it from
# the repository root, which is the build context (/.dockerignore keeps build trees and the like out):
#   deploy/aws/images/build-push.sh STACK worker
#   docker build -f deploy/aws/images/worker.Dockerfile -t fossa-worker .
# The builder compiles against Debian 12's -dev packages; the runtime stage installs the same
# release's shared libraries, so the binary meets exactly the ABI it was built against.
#
# With a model author's own models instead (build-push.sh STACK worker --models DIR), the target is
# worker-models and the context one that stage-models.sh makes: this repository's sources and the
# models project in models/. That stage installs Fossa as a model author does, builds the project
# against it, and runs its program as the node.

FROM debian:bookworm AS builder
# Every find_package() of the top-level CMakeLists.txt must succeed.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      g++ make cmake pkg-config \
      nlohmann-json3-dev librabbitmq-dev libcurl4-openssl-dev libssl-dev \
      libspdlog-dev libcli11-dev libboost-dev zlib1g-dev libzstd-dev libpq-dev libsqlite3-dev libjemalloc-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Only what the `fossa` target is built from, so an edit to tests or docs does not rebuild it.
COPY CMakeLists.txt ./
COPY cmake cmake
COPY include include
COPY src src
COPY apps apps
COPY examples/models examples/models
RUN cmake -S . -B /build -DCMAKE_BUILD_TYPE=Release -DFOSSA_BUILD_TESTS=OFF -DFOSSA_BUILD_BENCH=OFF \
 && cmake --build /build --target fossa -j "$(nproc)" \
 && strip /build/bin/fossa

# Your models: Fossa installed (cmake --install), then your project built against it by
# build-models, which finds its one program (or MODELS_PROGRAM), checks it is a Fossa program and
# records its models (`models --json`) in /out/share. Built only for the target worker-models.
FROM builder AS models-builder
RUN cmake --install /build --prefix /opt/fossa
COPY deploy/aws/images/build-models /usr/local/bin/build-models
COPY models /models
ARG MODELS_PROGRAM=""
RUN build-models /models /opt/fossa /out "$MODELS_PROGRAM"

FROM debian:bookworm-slim AS runtime
# The shared libraries of `ldd fossa`, by their Debian packages (their own dependencies follow):
# spdlog (logs), libcurl (S3 datasets, the ECS agent), rabbitmq-c (subtasks across nodes), OpenSSL,
# libpq and libsqlite3 (SQL datasets), jemalloc (the node's allocator);
# zlib and zstd (compressed datasets) are in the base image already.
# ca-certificates: an amqps:// broker (Amazon MQ) is verified against its bundle. tini: PID 1,
# which forwards ECS's SIGTERM to the node and reaps whatever a model's processes leave orphaned
# (the node reaps its own children, not those it inherits). The user has a home: a model may
# write working files in its current directory.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libspdlog1.10 libcurl4 librabbitmq4 libssl3 libpq5 libsqlite3-0 libjemalloc2 ca-certificates tini \
 && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 fossa \
 && useradd --system --uid 10001 --gid fossa --create-home --home-dir /home/fossa \
      --shell /usr/sbin/nologin fossa
COPY deploy/aws/images/node-healthcheck /usr/local/bin/node-healthcheck
# A node listens on loopback unless told otherwise; in a container it must take the gateway's calls
# on the task's own address, so the image says so (the network decides who may reach it: on ECS,
# the worker security group lets in the gateway only). Both targets below inherit it.
ENV FOSSA_BIND=0.0.0.0

# Numeric, so that a platform can tell it is not root without reading /etc/passwd.
USER 10001:10001
WORKDIR /home/fossa
EXPOSE 2345
# The ECS task definition should run the same check:
#   ["CMD-SHELL", "/usr/local/bin/node-healthcheck"]
# It needs nothing but bash (no curl in this image); it reads FOSSA_HTTP_PORT like the node.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["/usr/local/bin/node-healthcheck"]

# Your program as the node: worker-entrypoint runs `<program> node`, accepting the models recorded
# at build time unless FOSSA_ACCEPTED_MODELS names them. The program is also on PATH by its name.
FROM runtime AS worker-models
COPY --from=models-builder /out/bin/ /usr/local/bin/
COPY --from=models-builder /out/share/ /usr/local/share/fossa/
COPY deploy/aws/images/worker-entrypoint /usr/local/bin/worker-entrypoint
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/worker-entrypoint"]

# The default target: fossa with the example models. Of those, the cluster runs the demo unless
# FOSSA_ACCEPTED_MODELS (the stack's accepted_models) says otherwise: the rest are there for tests.
FROM runtime AS worker
COPY --from=builder /build/bin/fossa /usr/local/bin/fossa
ENV FOSSA_ACCEPTED_MODELS=PartitionedExampleEtl
# Configured by FOSSA_* variables and RABBITMQ_URL (fossa node --help), or by arguments appended here.
ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/fossa", "node"]
