# simfund — the two commands of the README's quick start, and a few more.
#   make run      installs libgsl-dev if missing, builds in release mode, runs a bundled scenario
#   make test     installs libgsl-dev if missing, runs the whole test suite
#   make install  installs the binary, its man page and shell completions under PREFIX
SCENARIO ?= Scenarios/ningde.json
OUT ?= out/$(basename $(notdir $(SCENARIO)))
SWIFT_BUILD_FLAGS ?=
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man/man1
BASH_COMPLETIONS ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETIONS ?= $(PREFIX)/share/zsh/site-functions
FISH_COMPLETIONS ?= $(PREFIX)/share/fish/vendor_completions.d
RELEASE = .build/release/simfund

.PHONY: run test build deps schema man completions install uninstall bench bench-check scaling report-png clean fuzz fuzz-ci ningde-calibrated

deps:
	@bash scripts/install-deps.sh

build: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

run: build
	.build/release/simfund run $(SCENARIO) --out $(OUT)

test: deps
	swift test $(SWIFT_BUILD_FLAGS)

# The man page, from the command-line definitions (ArgumentParser's generate-manual
# plugin); its blank lines become paragraph breaks so that man prints no warnings.
man: build
	@mkdir -p .build/man
	swift package --allow-writing-to-directory .build/man generate-manual --output-directory .build/man $(SWIFT_BUILD_FLAGS)
	sed 's/^$$/.Pp/' .build/man/simfund.1 > .build/man/simfund.1.tmp && mv .build/man/simfund.1.tmp .build/man/simfund.1

completions: build
	@mkdir -p .build/completions
	$(RELEASE) --generate-completion-script bash > .build/completions/simfund.bash
	$(RELEASE) --generate-completion-script zsh > .build/completions/_simfund
	$(RELEASE) --generate-completion-script fish > .build/completions/simfund.fish

# DESTDIR stages the files for a package; PREFIX=$$HOME/.local installs without root.
install: build man completions
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASH_COMPLETIONS) $(DESTDIR)$(ZSH_COMPLETIONS) $(DESTDIR)$(FISH_COMPLETIONS)
	install -m 755 $(RELEASE) $(DESTDIR)$(BINDIR)/simfund
	install -m 644 .build/man/simfund.1 $(DESTDIR)$(MANDIR)/simfund.1
	install -m 644 .build/completions/simfund.bash $(DESTDIR)$(BASH_COMPLETIONS)/simfund
	install -m 644 .build/completions/_simfund $(DESTDIR)$(ZSH_COMPLETIONS)/_simfund
	install -m 644 .build/completions/simfund.fish $(DESTDIR)$(FISH_COMPLETIONS)/simfund.fish
	@echo "installed $(DESTDIR)$(BINDIR)/simfund"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/simfund $(DESTDIR)$(MANDIR)/simfund.1 $(DESTDIR)$(BASH_COMPLETIONS)/simfund \
	      $(DESTDIR)$(ZSH_COMPLETIONS)/_simfund $(DESTDIR)$(FISH_COMPLETIONS)/simfund.fish

schema: build
	.build/release/simfund schema > docs/scenario-v1.schema.json

# The bundled calibrated Ningde scenario and its posterior (README, "Calibrating to history").
ningde-calibrated: build
	rm -rf .build/ningde-calibration
	$(RELEASE) calibrate Scenarios/ningde.json --particles 2000 --threads 2 --out .build/ningde-calibration
	cp .build/ningde-calibration/posterior.csv Scenarios/ningde-posterior.csv
	sed 's/"file": "posterior.csv"/"file": "ningde-posterior.csv"/' .build/ningde-calibration/calibrated.json > Scenarios/ningde-calibrated.json

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
