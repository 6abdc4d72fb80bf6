# The project's front door. `make demo` and `make test` work as root on a fresh Debian 12 machine:
# each installs what is missing (scripts/install-deps.sh), builds, then runs.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
# CI treats warnings as errors; a developer's build only shows them.
WERROR     ?= $(if $(CI),ON,OFF)

# The programs alone (what `make build` and `make demo` need) or everything (tests, benchmarks and
# fuzz targets: what `make test`, `make bench` and `make fuzz` need). One build tree serves both:
# switching only regenerates the build files, and what was compiled stays.
CONFIGURE   = cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DFOSSA_WERROR=$(WERROR)
PROGRAMS    = fossa fossa-gateway

.PHONY: all deps test-deps configure configure-programs build demo test fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

configure-programs:
	@$(CONFIGURE) -DFOSSA_BUILD_TESTS=OFF -DFOSSA_BUILD_BENCH=OFF >/dev/null

configure:
	@$(CONFIGURE) -DFOSSA_BUILD_TESTS=ON -DFOSSA_BUILD_BENCH=ON >/dev/null

# fossa and fossa-gateway in build/bin/, with the build's packages only (no test packages).
build: deps configure-programs
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target $(PROGRAMS)

demo: build
	@scripts/demo.sh $(BUILD_DIR)/bin/fossa

# Every test, then (scripts/run-tests.sh): under CI a skipped test fails, and so does any process a
# test started that outlives the suite.
test: test-deps configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@scripts/run-tests.sh $(BUILD_DIR) -j $(JOBS)

# The fuzz targets of tests/fuzz for FUZZ_SECONDS each (make test runs each for 60 s).
FUZZ_SECONDS ?= 900
fuzz: test-deps configure
	@cmake -S . -B $(BUILD_DIR) -DFOSSA_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target request_parsing_fuzz json_intake_fuzz csv_parsing_fuzz
	@cd $(BUILD_DIR) && ctest --output-on-failure -L fuzz ; \
	  status=$$?; cmake -S .. -B . -DFOSSA_FUZZ_SECONDS=60 >/dev/null; exit $$status

bench: test-deps configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
