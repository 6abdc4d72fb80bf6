# Every dependency is a Debian package (scripts/install-deps.sh installs them); no vendored copies.
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(CURL REQUIRED)                                   # the HTTP client (src/http_client)
find_package(Boost 1.74 REQUIRED)  # header-only: Beast and Asio, the HTTP servers
find_package(rabbitmq-c REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(ZLIB REQUIRED)                                   # gz+ datasets
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)      # zstd+ datasets
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)            # postgresql:// datasets (PostgreSQL's own client)
pkg_check_modules(SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)     # sqlite:// datasets
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc)   # the node's allocator (src/fossa/node/free_memory.h)
