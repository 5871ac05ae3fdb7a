# simfund — the two commands of the README's quick start, and a few more.
#   make run    installs libgsl-dev if missing, builds in release mode, runs a bundled scenario
#   make test   installs libgsl-dev if missing, runs the whole test suite
SCENARIO ?= Scenarios/ningde.json
OUT ?= out/$(basename $(notdir $(SCENARIO)))
SWIFT_BUILD_FLAGS ?=

.PHONY: run test build deps schema bench clean

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

bench: deps
	cd Benchmarks && swift package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build out
