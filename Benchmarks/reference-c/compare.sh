#!/usr/bin/env bash
# simfund's engine against the C reference, on one thread, same machine,
# same scenario: median district-years per second of several alternating
# runs, the ratios, and the check that simfund and the C reference with the
# same generator agree bit for bit (same checksum).
#
#   Benchmarks/reference-c/compare.sh [SCENARIO] [REPLICATES] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
scenario=${1:-$root/Scenarios/province-80.json}
replicates=${2:-500}
runs=${3:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$root" && swift build -c release >/dev/null)
gcc -O2 -std=c11 -o "$work/simfund_ref" "$root/Benchmarks/reference-c/simfund_ref.c" $(pkg-config --cflags --libs gsl) -lm
"$root/.build/release/simfund" flatten "$scenario" > "$work/scenario.flat"

for i in $(seq "$runs"); do
  "$root/.build/release/simfund" engine-speed "$scenario" --replicates "$replicates" >> "$work/swift.txt"
  "$work/simfund_ref" "$work/scenario.flat" "$replicates" xoshiro >> "$work/c-xoshiro.txt"
  "$work/simfund_ref" "$work/scenario.flat" "$replicates" mt19937 >> "$work/c-mt19937.txt"
done

python3 - "$work" <<'PY'
import statistics, sys
work = sys.argv[1]
def read(name):
    rows = [line.split() for line in open(f"{work}/{name}.txt")]
    rates = [float(r[r.index("district-years/s") + 1]) for r in rows]
    checksums = {r[r.index("checksum") + 1] for r in rows}
    return statistics.median(rates), checksums
swift, swift_sum = read("swift")
cx, cx_sum = read("c-xoshiro")
cm, _ = read("c-mt19937")
print(f"simfund (Swift, xoshiro256++, keyed streams): {swift:12,.0f} district-years/s")
print(f"C reference, xoshiro256++, keyed streams:     {cx:12,.0f} district-years/s   simfund/C = {swift / cx:.2f}")
print(f"C reference, mt19937, one stream/replicate:   {cm:12,.0f} district-years/s   simfund/C = {swift / cm:.2f}")
if swift_sum != cx_sum:
    sys.exit(f"checksums differ: simfund {swift_sum}, C {cx_sum}")
print(f"checksums agree: {swift_sum.pop()} (simfund and the C reference compute the same replicates)")
PY
