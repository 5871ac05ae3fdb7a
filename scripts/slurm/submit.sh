#!/usr/bin/env bash
# Submits a simfund run as a Slurm job array of N shards plus a merge job.
#
#   scripts/slurm/submit.sh N OUT_DIR [--report FILE] -- COMMAND ARGS...
#   e.g. scripts/slurm/submit.sh 16 results/ningde -- compare Scenarios/ningde.json --replicates 1000000 --seed 7
#
# Parts go to OUT_DIR/parts, the merged outputs to OUT_DIR/merged (an output
# directory holds only simfund's files). Prints the two job ids.
# Extra sbatch options: SIMFUND_SBATCH_OPTIONS (e.g. "--partition=main --cpus-per-task=4").
set -euo pipefail
usage() { echo "usage: $0 N OUT_DIR [--report FILE] -- COMMAND ARGS..." >&2; exit 64; }
[ $# -ge 4 ] || usage
shards="$1"; out="$2"; shift 2
report=""
if [ "$1" = "--report" ]; then report="$2"; shift 2; fi
[ "${1:-}" = "--" ] || usage
shift
case " $* " in *" --seed "*) ;; *) echo "submit.sh: give --seed S so that every shard uses the same seed" >&2; exit 64 ;; esac
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$out/parts"
export SIMFUND="${SIMFUND:-$(command -v simfund || echo simfund)}"
export SIMFUND_ARGS="$*"
export SIMFUND_PARTS="$(cd "$out/parts" && pwd)"
export SIMFUND_OUT="$(cd "$out" && pwd)/merged"
export SIMFUND_REPORT="$report"
# shellcheck disable=SC2086
array=$(sbatch --parsable --export=ALL ${SIMFUND_SBATCH_OPTIONS:-} --array="1-$shards" "$here/simfund-array.sbatch")
array="${array%%;*}"
# shellcheck disable=SC2086
merge=$(sbatch --parsable --export=ALL ${SIMFUND_SBATCH_OPTIONS:-} --dependency="afterok:$array" "$here/simfund-merge.sbatch")
echo "array job $array ($shards shards), merge job ${merge%%;*}"
