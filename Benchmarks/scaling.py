#!/usr/bin/env python3
"""Scaling study: run time and peak memory of `simfund run` against replicates,
districts and years, on synthetic provinces (`simfund synthesize`).

    python3 Benchmarks/scaling.py [--max-replicates 1000000] [--threads 2]

Writes the table between the markers in Benchmarks/README.md and prints it.
Each point is the median wall time of --repeats runs (peak RSS: the largest).
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, ".build", "release", "simfund")
README = os.path.join(ROOT, "Benchmarks", "README.md")


def scenario(directory, districts, years):
    path = os.path.join(directory, f"province-{districts}x{years}.json")
    if not os.path.exists(path):
        text = subprocess.run([BINARY, "synthesize", str(districts), "--years", str(years)],
                              check=True, capture_output=True, text=True).stdout
        with open(path, "w") as f:
            f.write(text)
    return path


def measure(path, replicates, threads, repeats):
    times, peaks = [], []
    for _ in range(repeats):
        result = subprocess.run(["/usr/bin/time", "-f", "%e %M", BINARY, "run", path, "--replicates", str(replicates),
                                 "--threads", str(threads), "--seed", "1", "--quiet"],
                                check=True, capture_output=True, text=True)
        seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
        times.append(float(seconds))
        peaks.append(int(kilobytes))
    return statistics.median(times), max(peaks) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-replicates", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build first: swift build -c release")
    rows = []
    with tempfile.TemporaryDirectory() as directory:
        grid = [(r, 80, 10) for r in (1_000, 10_000, 100_000, 1_000_000) if r <= args.max_replicates]
        grid += [(1_000, d, 10) for d in (10, 100, 1_000, 3_000)]
        grid += [(1_000, 80, y) for y in (5, 20, 30)]
        for replicates, districts, years in grid:
            repeats = 1 if replicates * districts * years >= 1e7 else args.repeats
            seconds, megabytes = measure(scenario(directory, districts, years), replicates, args.threads, repeats)
            work = replicates * districts * years
            rows.append((replicates, districts, years, seconds, megabytes, work / seconds, seconds / work * 1e9))
            print(f"{replicates:>9} {districts:>6} {years:>4}  {seconds:8.2f} s  {megabytes:8.0f} MiB", file=sys.stderr)
    table = ["| replicates | districts | years | wall time (s) | peak RSS (MiB) | district-years / s | ns per district-year |",
             "|---:|---:|---:|---:|---:|---:|---:|"]
    for r, d, y, s, m, rate, ns in rows:
        table.append(f"| {r:,} | {d:,} | {y} | {s:.2f} | {m:.0f} | {rate:,.0f} | {ns:.0f} |")
    text = "\n".join(table) + "\n"
    print(text)
    with open(README) as f:
        readme = f.read()
    readme = re.sub(r"(<!-- scaling:begin -->\n).*?(<!-- scaling:end -->)", lambda m: m.group(1) + text + m.group(2), readme, flags=re.S)
    with open(README, "w") as f:
        f.write(readme)


if __name__ == "__main__":
    main()
