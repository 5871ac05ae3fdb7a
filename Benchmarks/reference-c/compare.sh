#!/usr/bin/env bash
# simfund's engine against the C reference, on one thread, same machine,
# same scenario: median district-years per second of several alternating
# runs, the ratios, and the check that simfund and the C reference with the
# same generator agree bit for bit (same checksum). On a shared machine the
# wall-clock rates move with the other load; the rates per user-CPU second
# (from /usr/bin/time, including start-up) move much less.
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

# Runs one timing, appending its line and its user-CPU seconds.
timed() {
  local name=$1; shift
  /usr/bin/time -f "%U" -a -o "$work/$name.user" "$@" >> "$work/$name.txt"
}
for i in $(seq "$runs"); do
  timed swift "$root/.build/release/simfund" engine-speed "$scenario" --replicates "$replicates"
  timed c-xoshiro "$work/simfund_ref" "$work/scenario.flat" "$replicates" xoshiro
  timed c-mt19937 "$work/simfund_ref" "$work/scenario.flat" "$replicates" mt19937
done

python3 - "$work" <<'PY'
import statistics, sys
work = sys.argv[1]
def read(name):
    rows = [line.split() for line in open(f"{work}/{name}.txt")]
    rates = [float(r[r.index("district-years/s") + 1]) for r in rows]
    # district-years of one run = rate × its measured seconds
    work_done = [float(r[r.index("district-years/s") + 1]) * float(r[r.index("seconds") + 1]) for r in rows]
    users = [float(line) for line in open(f"{work}/{name}.user") if line.strip()]
    cpu_rates = [w / max(u, 0.01) for w, u in zip(work_done, users)]
    checksums = {r[r.index("checksum") + 1] for r in rows}
    return statistics.median(rates), statistics.median(cpu_rates), checksums
print(f"medians of {len(open(f'{work}/swift.txt').readlines())} alternating runs; wall clock, and per user-CPU second (incl. start-up)")
swift, swift_cpu, swift_sum = read("swift")
cx, cx_cpu, cx_sum = read("c-xoshiro")
cm, cm_cpu, _ = read("c-mt19937")
print(f"simfund (Swift, xoshiro256++, keyed streams): {swift:12,.0f} district-years/s   {swift_cpu:12,.0f} per CPU-s")
print(f"C reference, xoshiro256++, keyed streams:     {cx:12,.0f} district-years/s   {cx_cpu:12,.0f} per CPU-s   simfund/C = {swift / cx:.2f} (CPU {swift_cpu / cx_cpu:.2f})")
print(f"C reference, mt19937, one stream/replicate:   {cm:12,.0f} district-years/s   {cm_cpu:12,.0f} per CPU-s   simfund/C = {swift / cm:.2f} (CPU {swift_cpu / cm_cpu:.2f})")
if swift_sum != cx_sum:
    sys.exit(f"checksums differ: simfund {swift_sum}, C {cx_sum}")
print(f"checksums agree: {swift_sum.pop()} (simfund and the C reference compute the same replicates)")
PY
