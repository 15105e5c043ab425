# Pharos — `make serve` and `make test` work on a fresh Debian 12 machine with the Swift toolchain.
SWIFT ?= swift
DEBS := liblz4-dev libsqlite3-dev pkg-config zlib1g-dev
DATA_DIR ?= ./Storage
BENCH_DIR ?= /tmp/pharos-bench

.PHONY: deps build release serve test bench bench-traces bench-codec clean

# Installs the Debian packages the build needs, only when one is missing.
deps:
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

serve: release
	.build/release/pharos serve --data-dir $(DATA_DIR)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The side-by-side ingest benchmark against VictoriaMetrics (see ../shared/bench/README.md).
bench: release
	scripts/bench.sh

# The tracing benchmark: generated call trees, JSON and proto3 ingest, bytes per span, query latency
# (Benchmarks/README.md; SPANS=… sets the size).
bench-traces: deps
	scripts/bench-traces.sh

clean:
	rm -rf .build
