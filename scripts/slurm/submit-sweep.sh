#!/usr/bin/env bash
# Submits a daf-ablate sweep as a Slurm job array (task K of N runs shard K/N)
# and a collect job that starts when every task succeeded (afterok):
#   scripts/slurm/submit-sweep.sh configs/ablate-mosei.yaml --tasks 16
# A task that died (killed, node lost, time limit) leaves the collect job
# waiting forever (DependencyNeverSatisfied): cancel it and resubmit the task
# alone, which also submits a new collect job:
#   scripts/slurm/submit-sweep.sh configs/ablate-mosei.yaml --tasks 16 --only 5
# Finished runs are kept and interrupted ones resume from their checkpoint;
# `daf-ablate --collect DIR` names every shard that is still missing.
# A search (a sweep with `search:`) is submitted as two arrays: the trials,
# then (afterok) the final stage, whose tasks skip the finished trials and
# train their slice of the final runs; the collect job waits for the second.
source "$(dirname "$0")/submit-common.sh"
parse_submit_args "$@"
out_args=()
[ -n "$OUT" ] && out_args=(--out "$OUT")
out=$("$DAF_BIN/daf-ablate" --config "$CONFIG" "${out_args[@]}" --print-output)
if grep -q '^search:' "$CONFIG"; then
  trials=$(submit_array daf-search-trials "$here/ablate-array.sbatch" "$CONFIG" "${out_args[@]}")
  SBATCH_COMMON+=(--dependency "afterok:$trials")
  echo "search: trial array job $trials (tasks $ARRAY of $TASKS); the final stage follows it"
fi
array=$(submit_array daf-ablate "$here/ablate-array.sbatch" "$CONFIG" "${out_args[@]}")
collect=$(submit_followup daf-ablate-collect "$array" "'$DAF_BIN/daf-ablate' --collect '$out'")
echo "array job $array (tasks $ARRAY of $TASKS), collect job $collect -> $out/summary.md"
