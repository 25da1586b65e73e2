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
# A search (a sweep with `search:`) is submitted as a chain of arrays, one per
# stage (`daf-ablate --print-stages`: the trials, each halving rung, the final
# stage), each starting when the one before succeeded; its tasks skip what is
# finished. The collect job waits for the last.
source "$(dirname "$0")/submit-common.sh"
parse_submit_args "$@"
out_args=()
[ -n "$OUT" ] && out_args=(--out "$OUT")
out=$("$DAF_BIN/daf-ablate" --config "$CONFIG" "${out_args[@]}" --print-output)
# A search runs its array once per stage (trials, each halving rung, the
# final stage), each array after the one before succeeded.
stages=$("$DAF_BIN/daf-ablate" --config "$CONFIG" "${out_args[@]}" --print-stages)
common=("${SBATCH_COMMON[@]}")
for ((stage = 1; stage < stages; stage++)); do
  previous=$(submit_array "daf-search-$stage" "$here/ablate-array.sbatch" "$CONFIG" "${out_args[@]}")
  SBATCH_COMMON=("${common[@]}" --dependency "afterok:$previous")
  echo "search stage $stage of $stages: array job $previous (tasks $ARRAY of $TASKS)" >&2
done
array=$(submit_array daf-ablate "$here/ablate-array.sbatch" "$CONFIG" "${out_args[@]}")
collect=$(submit_followup daf-ablate-collect "$array" "'$DAF_BIN/daf-ablate' --collect '$out'")
echo "array job $array (tasks $ARRAY of $TASKS), collect job $collect -> $out/summary.md"
