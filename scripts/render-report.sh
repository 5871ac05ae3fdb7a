#!/usr/bin/env bash
# Renders simfund HTML reports and looks at them as a reader and a printer
# would: a headless-Chromium screenshot (PNG), the print-to-PDF output (A4,
# from the report's @page rule) and every PDF page as a PNG (pdftoppm).
# Installs Debian's chromium, poppler-utils and a CJK font when missing.
#
#   scripts/render-report.sh REPORT.html [PREFIX]
#       one report: PREFIX.png, PREFIX.pdf, PREFIX-page-N.png (PREFIX defaults to REPORT)
#   scripts/render-report.sh [OUTDIR]
#       runs Scenarios/ningde.json with the real binary and renders every report
#       kind into OUTDIR (default .build/report-render): run, compare, sweep (one
#       path), sweep2 (two paths), compare-zh (--lang zh), goal, decide (compare
#       --until decided --value-of-information), sensitivity and calibrate-zh; checks that
#       `simfund report DIR` gives the bytes --report gave.
#
# Environment: REPLICATES (default 300), WIDTH and HEIGHT of the screenshot
# (default 1280 × 3000), DPI of the page images (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
width=${WIDTH:-1280}
height=${HEIGHT:-3000}
dpi=${DPI:-60}

packages=()
command -v chromium >/dev/null || packages+=(chromium)
command -v pdftoppm >/dev/null || packages+=(poppler-utils)
fc-list :lang=zh 2>/dev/null | grep -q . || packages+=(fonts-wqy-microhei)
if [ ${#packages[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q "${packages[@]}" >/dev/null
fi

render() { # render REPORT.html PREFIX
    local report prefix profile
    report=$(realpath "$1")
    prefix=$2
    profile=$(mktemp -d)
    local chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --disable-dev-shm-usage
                  --user-data-dir="$profile")
    "${chrome[@]}" --window-size="$width,$height" --screenshot="$prefix.png" "file://$report" >/dev/null 2>&1
    "${chrome[@]}" --no-pdf-header-footer --print-to-pdf="$prefix.pdf" "file://$report" >/dev/null 2>&1
    rm -rf "$profile"
    rm -f "$prefix"-page-*.png
    pdftoppm -png -r "$dpi" "$prefix.pdf" "$prefix-page"
    echo "$report: $prefix.png, $prefix.pdf ($(ls "$prefix"-page-*.png | wc -l) pages as $prefix-page-N.png)"
}

if [[ ${1:-} == *.html ]]; then
    render "$1" "${2:-${1%.html}}"
    exit 0
fi

out=${1:-.build/report-render}
replicates=${REPLICATES:-300}
swift build
simfund=.build/debug/simfund
mkdir -p "$out"
out=$(cd "$out" && pwd)
scenario=Scenarios/ningde.json
run() { # run KIND SIMFUND-ARGUMENTS...
    local kind=$1
    shift
    "$simfund" "$@" --replicates "$replicates" --quiet --out "$out/$kind" --report "$out/$kind.html"
}
run run run "$scenario"
run compare compare "$scenario"
run compare-zh compare "$scenario" --lang zh
run sweep sweep "$scenario" --set budget.reliefShare=0.005:0.03:0.005
run sweep2 sweep "$scenario" --set budget.reliefShare=0.005:0.03:0.005 --set subsidies.junior=0:600:200
run goal goal "$scenario" --lever procurement.contractsPerAgency=1:40 --target 1
run decide compare "$scenario" --until decided --value-of-information
study() { # study KIND SIMFUND-ARGUMENTS... (commands without --replicates)
    local kind=$1
    shift
    "$simfund" "$@" --quiet --out "$out/$kind" --report "$out/$kind.html"
}
study sensitivity sensitivity "$scenario" --samples 300
study calibrate-zh calibrate "$scenario" --particles 300 --generations 3 --lang zh

for kind in run compare compare-zh sweep sweep2 goal decide sensitivity calibrate-zh; do
    language=en
    [[ $kind == *-zh ]] && language=zh
    # `simfund report DIR` must give the bytes --report gave.
    "$simfund" report "$out/$kind" --lang "$language" --output "$out/$kind.again.html" >/dev/null
    cmp "$out/$kind.html" "$out/$kind.again.html"
    render "$out/$kind.html" "$out/$kind"
done
