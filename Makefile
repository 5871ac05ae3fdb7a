# simfund — the two commands of the README's quick start, and a few more.
#   make run    installs libgsl-dev if missing, builds in release mode, runs a bundled scenario
#   make test   installs libgsl-dev if missing, runs the whole test suite
SCENARIO ?= Scenarios/ningde.json
OUT ?= out/$(basename $(notdir $(SCENARIO)))
SWIFT_BUILD_FLAGS ?=

.PHONY: run test build deps schema bench bench-check scaling report-png clean fuzz fuzz-ci

deps:
	@bash scripts/install-deps.sh

build: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

run: build
	.build/release/simfund run $(SCENARIO) --out $(OUT)

test: deps
	swift test $(SWIFT_BUILD_FLAGS)

schema: build
	.build/release/simfund schema > docs/scenario-v1.schema.json

# All benchmarks, full configuration (wall clock, throughput, allocations, instructions).
bench: deps
	cd Benchmarks && swift package benchmark

# CI: run every benchmark once and gate on the deterministic metric only:
# the steady-state engine must not allocate (thresholds in Benchmarks/Thresholds).
# Exit codes of `thresholds check`: 0 equal, 2 regression, 4 improvement.
bench-check: deps
	cd Benchmarks && SIMFUND_BENCH_SMOKE=1 swift package benchmark --no-progress
	cd Benchmarks && swift package benchmark thresholds check --filter SteadyStateAllocations --no-progress

# Fuzz the scenario reader with libFuzzer + ASan (separate package Fuzz/, its
# own instrumented build). FUZZ_SECONDS=N sets the duration (default 600).
FUZZ_SECONDS ?= 600
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

# CI: a bounded fuzz run (120 s of fuzzing); fails on any crash, hang or sanitizer report.
fuzz-ci: deps
	FUZZ_SECONDS=120 bash scripts/fuzz.sh

# Scaling study (run time and peak memory against replicates, districts, years).
scaling: build
	python3 Benchmarks/scaling.py

clean:
	rm -rf .build out
