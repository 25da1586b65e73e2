#!/usr/bin/env bash
# Submits a daf-extract job as a Slurm job array (task K of N embeds shard K/N)
# and a merge job that starts when every task succeeded (afterok):
#   scripts/slurm/submit-extract.sh corpus.yaml --tasks 8
# A task that died leaves the merge job waiting (DependencyNeverSatisfied):
# cancel it and resubmit the task alone (it resumes from its .partial file):
#   scripts/slurm/submit-extract.sh corpus.yaml --tasks 8 --only 3
# `daf-extract -c corpus.yaml --collect 8` names every shard still missing.
source "$(dirname "$0")/submit-common.sh"
parse_submit_args "$@"
[ -z "$OUT" ] || { echo "submit-extract.sh: set extract.output in the config instead of --out" >&2; exit 2; }
OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2 "$DAF_BIN/daf-extract" -c "$CONFIG" --print-config >/dev/null
array=$(submit_array daf-extract "$here/extract-array.sbatch" "$CONFIG")
merge=$(submit_followup daf-extract-merge "$array" "'$DAF_BIN/daf-extract' -c '$CONFIG' --collect $TASKS")
echo "array job $array (tasks $ARRAY of $TASKS), merge job $merge"
