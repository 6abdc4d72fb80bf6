# The project's front door. `make demo` and `make test` work as root on a fresh Debian 12 machine:
# each installs what is missing (scripts/install-deps.sh), builds, then runs.
BUILD_DIR  ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS       ?= $(shell nproc)
# CI treats warnings as errors; a developer's build only shows them.
WERROR     ?= $(if $(CI),ON,OFF)

.PHONY: all deps test-deps configure build demo test bench clean

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

bench: test-deps configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)
	@bench/run.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
