# The project's front door. `make demo` and `make test` work as root on a fresh Debian 12 machine:
# each installs what is missing (scripts/install-deps.sh), builds, then runs.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
# CI treats warnings as errors; a developer's build only shows them.
WERROR     ?= $(if $(CI),ON,OFF)

.PHONY: all deps test-deps configure build demo test fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

configure:
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DFOSSA_WERROR=$(WERROR) >/dev/null

build: deps configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD_DIR)/bin/fossa

test: test-deps configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@cd $(BUILD_DIR) && ctest --output-on-failure --no-tests=error --timeout 900 -j $(JOBS)

# The fuzz targets of tests/fuzz for FUZZ_SECONDS each (make test runs each for 60 s).
FUZZ_SECONDS ?= 900
fuzz: test-deps configure
	@cmake -S . -B $(BUILD_DIR) -DFOSSA_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target request_parsing_fuzz json_intake_fuzz
	@cd $(BUILD_DIR) && ctest --output-on-failure -L fuzz ; \
	  status=$$?; cmake -S .. -B . -DFOSSA_FUZZ_SECONDS=60 >/dev/null; exit $$status

bench: test-deps configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
