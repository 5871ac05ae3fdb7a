#!/usr/bin/env bash
# Renders the run, comparison and sweep reports (one and two swept paths) of
# Scenarios/ningde.json with the real binary, then looks at them as a reader
# and a printer would: a headless-Chromium screenshot of each (PNG), the
# print-to-PDF output (A4, from the report's @page rule) and every PDF page as
# a PNG (pdftoppm). Installs Debian's chromium and poppler-utils when missing.
#
# Usage: scripts/render-report.sh [OUTDIR] (default: .build/report-render)
# Environment: REPLICATES (default 300), WIDTH (screenshot width, default 1280).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-.build/report-render}
replicates=${REPLICATES:-300}
width=${WIDTH:-1280}

if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -q
    $sudo apt-get install -y -q chromium poppler-utils
fi

swift build
simfund=.build/debug/simfund
mkdir -p "$out"
out=$(cd "$out" && pwd)
scenario=Scenarios/ningde.json

$simfund run "$scenario" --replicates "$replicates" --quiet --out "$out/run" --report "$out/run.html"
$simfund compare "$scenario" --replicates "$replicates" --quiet --out "$out/compare" --report "$out/compare.html"
$simfund sweep "$scenario" --replicates "$replicates" --quiet --set budget.reliefShare=0.005:0.03:0.005 \
    --out "$out/sweep" --report "$out/sweep.html"
$simfund sweep "$scenario" --replicates "$replicates" --quiet --set budget.reliefShare=0.005:0.03:0.005 \
    --set subsidies.junior=0:600:200 --out "$out/sweep2" --report "$out/sweep2.html"

# `simfund report DIR` must give the same bytes as --report.
for kind in run compare sweep sweep2; do
    $simfund report "$out/$kind" --output "$out/$kind.again.html" >/dev/null
    cmp "$out/$kind.html" "$out/$kind.again.html"
done

chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-dev-shm-usage)
for kind in run compare sweep sweep2; do
    page="file://$out/$kind.html"
    "${chrome[@]}" --window-size="$width,3000" --screenshot="$out/$kind.png" "$page" 2>/dev/null
    "${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$out/$kind.pdf" "$page" 2>/dev/null
    rm -f "$out/$kind"-page-*.png
    pdftoppm -png -r 50 "$out/$kind.pdf" "$out/$kind-page"
    echo "$kind: $out/$kind.html, $out/$kind.png, $out/$kind.pdf ($(ls "$out/$kind"-page-*.png | wc -l) pages)"
done
