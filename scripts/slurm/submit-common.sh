# Shared by submit-sweep.sh and submit-extract.sh: option parsing and sbatch
# arguments. Sourced, not run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DAF_BIN=$(cd "${DAF_BIN:-$here/../../build/apps}" && pwd)
export DAF_BIN

usage() {
  cat >&2 <<USAGE
usage: $(basename "$0") CONFIG --tasks N [options] [-- extra sbatch arguments]
  --tasks N            array tasks (shards); task K runs --shard K/N
  --cpus-per-task C    CPUs per task (default 2); daf-ablate trains C runs at once
  --mem M              memory per task (default 8G)
  --time T             time limit per task (default 04:00:00)
  --partition P        partition (default: the cluster's default)
  --only K[,K...]      resubmit only these tasks (after a failure), plus a new collect job
  --out DIR            (sweeps) output folder instead of the sweep's 'output'
  --logs DIR           where Slurm writes the task logs (default logs/)
Paths are resolved from the current folder, which must be on storage every node sees.
USAGE
  exit 2
}

parse_submit_args() {
  CONFIG=${1:-}
  [ -n "$CONFIG" ] && [ "${CONFIG#-}" = "$CONFIG" ] || usage
  [ -f "$CONFIG" ] || { echo "$(basename "$0"): $CONFIG: no such file" >&2; exit 2; }
  shift
  TASKS="" CPUS=2 MEM=8G TIME=04:00:00 PARTITION="" ONLY="" OUT="" LOGS=logs EXTRA=()
  while [ $# -gt 0 ]; do
    case $1 in
      --tasks) TASKS=$2; shift 2 ;;
      --cpus-per-task) CPUS=$2; shift 2 ;;
      --mem) MEM=$2; shift 2 ;;
      --time) TIME=$2; shift 2 ;;
      --partition) PARTITION=$2; shift 2 ;;
      --only) ONLY=$2; shift 2 ;;
      --out) OUT=$2; shift 2 ;;
      --logs) LOGS=$2; shift 2 ;;
      --) shift; EXTRA=("$@"); break ;;
      *) echo "$(basename "$0"): unknown option $1" >&2; usage ;;
    esac
  done
  [[ "$TASKS" =~ ^[1-9][0-9]*$ ]] || { echo "$(basename "$0"): --tasks N is required (N >= 1)" >&2; exit 2; }
  if [ -n "$ONLY" ]; then
    local k
    for k in ${ONLY//,/ }; do
      [[ "$k" =~ ^[0-9]+$ ]] && [ "$k" -ge 1 ] && [ "$k" -le "$TASKS" ] ||
        { echo "$(basename "$0"): --only $ONLY: tasks must be in 1..$TASKS" >&2; exit 2; }
    done
  fi
  mkdir -p "$LOGS"
  SBATCH_COMMON=(--parsable --chdir "$PWD" --cpus-per-task "$CPUS" --mem "$MEM" --time "$TIME")
  [ -n "$PARTITION" ] && SBATCH_COMMON+=(--partition "$PARTITION")
  SBATCH_COMMON+=("${EXTRA[@]}")
  # The array's size is --tasks even when --only resubmits a few of them.
  ARRAY=${ONLY:-1-$TASKS}
}

# submit_array NAME SBATCH_SCRIPT ARGS...: the array job; prints its id.
submit_array() {
  local name=$1; shift
  sbatch "${SBATCH_COMMON[@]}" --job-name "$name" --array "$ARRAY" --output "$LOGS/$name-%A_%a.out" \
    --export "ALL,DAF_BIN=$DAF_BIN,DAF_SHARD_COUNT=$TASKS" "$@"
}

# submit_followup NAME ARRAY_ID COMMAND: one CPU, starts when every array task
# succeeded (afterok); prints its id.
submit_followup() {
  sbatch --parsable --chdir "$PWD" --job-name "$1" --dependency "afterok:$2" --cpus-per-task 1 --mem "$MEM" \
    --time 01:00:00 ${PARTITION:+--partition "$PARTITION"} --output "$LOGS/$1-%j.out" \
    --wrap "OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2 $3"
}
