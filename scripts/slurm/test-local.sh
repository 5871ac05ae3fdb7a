#!/usr/bin/env bash
# End-to-end test of simfund on Slurm, on this machine alone: installs Slurm
# and munge if missing (Debian's slurm-wlm), starts a one-node cluster,
# submits a 4-task array and its merge job, and checks that the merged
# outputs are byte-identical to a single-machine run. Stops the daemons it
# started. Exits 0 only when the outputs agree.
#
#   scripts/slurm/test-local.sh [SIMFUND_BINARY]     (default: .build/release/simfund)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
simfund="$(cd "$root" && realpath "${1:-.build/release/simfund}")"
[ -x "$simfund" ] || { echo "test-local.sh: $simfund not found; run 'make build' first" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "test-local.sh: run as root (it starts Slurm's daemons)" >&2; exit 1; }

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "== installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 || { apt-get update -q >/dev/null; apt-get install -y -q slurm-wlm munge >/dev/null; }
fi

work="$(mktemp -d /tmp/simfund-slurm.XXXXXX)"
started=()
cleanup() {
  for pidfile in "$work/slurmd.pid" "$work/slurmctld.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  for pid in "${started[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
}
trap cleanup EXIT

# munge: a key, its directories, the daemon (unless one already answers).
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  [ -s /etc/munge/munge.key ] || dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  chown munge:munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge
  chmod 400 /etc/munge/munge.key
  su -s /bin/sh munge -c "munged --pid-file=/run/munge/simfund-test.pid"
  started+=("$(cat /run/munge/simfund-test.pid)")
  munge -n | unmunge >/dev/null
fi

host="$(hostname -s)"
cpus="$(nproc)"
memory=$(( $(free -m | awk '/^Mem:/ {print $2}') * 9 / 10 ))
mkdir -p "$work/state" "$work/spool" "$work/log" /etc/slurm
conf="$work/slurm.conf"
cat > "$conf" <<CONF
ClusterName=simfundtest
SlurmctldHost=$host
AuthType=auth/munge
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
MinJobAge=600
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=main Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$conf"
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 1 60); do
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then break; fi
  sleep 1
done
sinfo -h -o %t | grep -q idle || { echo "test-local.sh: the node did not come up" >&2; cat "$work/log/"*.log >&2; exit 1; }

args="compare Scenarios/ningde.json --replicates 400 --seed 2024"
echo "== single-machine run"
(cd "$root" && "$simfund" $args --out "$work/single" --quiet)
echo "== job array of 4 shards and a merge job"
cd "$root"
SIMFUND="$simfund" scripts/slurm/submit.sh 4 "$work/slurm" -- $args | tee "$work/jobs.txt"
merge_job="$(awk '{print $NF}' "$work/jobs.txt")"
for _ in $(seq 1 240); do
  state="$(scontrol show job "$merge_job" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 || true)"
  case "$state" in COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY) break ;; esac
  sleep 1
done
echo "merge job state: ${state:-unknown}"
[ "$state" = "COMPLETED" ] || { echo "test-local.sh: the merge job did not complete" >&2; cat simfund-*.log >&2 || true; exit 1; }
rm -f simfund-part-*.log simfund-merge-*.log
status=0
for file in compare.json compare.csv scenario.json; do
  if cmp -s "$work/single/$file" "$work/slurm/merged/$file"; then echo "identical: $file"; else echo "DIFFERENT: $file" >&2; status=1; fi
done
grep -q '"shards": 4' "$work/slurm/merged/manifest.json" || { echo "manifest.json does not record 4 shards" >&2; status=1; }
[ "$status" -eq 0 ] && echo "slurm test passed: 4 shards merged = single run"
exit "$status"
