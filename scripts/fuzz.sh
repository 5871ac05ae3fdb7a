#!/usr/bin/env bash
# Fuzzes the scenario reader (decode, validate, a 5-replicate run of what
# validates) with libFuzzer and the address sanitizer, for FUZZ_SECONDS
# seconds (default 600). Seeds: Fuzz/corpus (issue 8's cases, written by
# Fuzz/make-corpus.py) and Scenarios/. New inputs are kept in
# Fuzz/.build/corpus between runs; a crashing input is written to
# Fuzz/.build/crashes/ and the script exits non-zero.
#   scripts/fuzz.sh                  600 s
#   FUZZ_SECONDS=120 scripts/fuzz.sh what CI runs (make fuzz-ci)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-600}"

# The whole dependency graph is instrumented (coverage and ASan), not just
# the target: libFuzzer needs coverage of the reader to make progress.
(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address)

work=Fuzz/.build/corpus
crashes=Fuzz/.build/crashes
mkdir -p "$work" "$crashes"
# Swift's crash backtracer and the address sanitizer get in each other's way.
# Leak detection is off: lazily initialised globals (the schema) never
# being freed would be reported as leaks.
export SWIFT_BACKTRACE=enable=no
# Also at exit, where LeakSanitizer would otherwise fail a clean run.
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
exec Fuzz/.build/release/SimfundFuzz "$work" Fuzz/corpus Scenarios \
    -dict=Fuzz/scenario.dict \
    -max_total_time="$seconds" \
    -max_len=12288 \
    -timeout=60 \
    -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" \
    -print_final_stats=1 \
    -detect_leaks=0 \
    "$@"
