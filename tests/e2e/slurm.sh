#!/usr/bin/env bash
# The Slurm submission path against a real single-node cluster (slurmctld,
# slurmd and munged from Debian's packages, started here and stopped at the
# end): a demo sweep as a 4-task array + collect job gives the same summary as
# one local process, also after one task is cancelled mid-run and resubmitted
# alone; the same for a sharded extraction + merge. Skipped (exit 77) with a
# message where the packages are missing (scripts/install-deps.sh --slurm) or
# the daemons do not start.
source "$(dirname "$0")/common.sh"
source "$DAF_SOURCE/tests/slurm/cluster.sh"
rc=0
slurm_start "$WORK/cluster" || rc=$?
[ "$rc" -eq 0 ] || exit "$rc"
trap 'slurm_stop; rm -rf "$WORK"' EXIT
cd "$WORK"
SWEEP="$DAF_SOURCE/scripts/slurm/submit-sweep.sh"
EXTRACT="$DAF_SOURCE/scripts/slurm/submit-extract.sh"
RES=(--cpus-per-task 1 --mem 1G --time 00:15:00)
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
job_ids() { sed -E 's/^array job ([0-9]+) .*(collect|merge) job ([0-9]+).*/\1 \3/'; }
wait_jobs() { slurm_wait 300 "$@" || { squeue; tail -n 30 logs/* >&2; fail "jobs $* did not finish in 300 s"; }; }
# wait_running JOB TASK: until that array task runs (and has worked for a moment).
wait_running() {
  for _ in $(seq 1 600); do
    [ "$(squeue -h -j "$1_$2" -o %T 2>/dev/null)" = RUNNING ] && { sleep "${3:-1}"; return 0; }
    sleep 0.1
  done
  fail "task $1_$2 never ran"
}
expect_never_satisfied() {
  # Slurm decides once the array's other tasks have ended, which takes longer on a loaded machine.
  for _ in $(seq 1 600); do
    [ "$(squeue -h -j "$1" -o %r 2>/dev/null)" = DependencyNeverSatisfied ] && { scancel "$1"; return 0; }
    sleep 0.2
  done
  squeue; fail "the follow-up job $1 did not wait on the failed task"
}

# ---- sweep: local vs 4-task array + collect
"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/tiny.h5" synth.train_size=2000 2>/dev/null
cat >base.yaml <<YAML
data: {cache: $WORK/tiny.h5}
model: {dim: 32, head_hidden: 32}
train: {max_epochs: 40, patience: 100, threads: 1}
output: {log_level: warn}
YAML
cat >sweep.yaml <<'YAML'
base: base.yaml
conditions:
  - {name: dynamic, set: {model.fusion: dynamic}}
  - {name: static, set: {model.fusion: static}}
  - {name: mean, set: {model.fusion: mean}}
  - {name: text, set: {data.modalities: [text]}}
seeds: [1, 2]
evaluate: {mask: [audio]}
compare: {reference: dynamic, baseline: static, bootstrap: 100}
output: runs/unused
YAML
start=$(now)
"$DAF_BIN/daf-ablate" --config sweep.yaml --out local --jobs 2 --no-plots >/dev/null 2>&1
local_seconds=$(since "$start")

start=$(now)
read -r array collect < <("$SWEEP" sweep.yaml --tasks 4 "${RES[@]}" --out cluster | job_ids)
wait_jobs "$array" "$collect"
array_seconds=$(since "$start")
[ -s cluster/summary.csv ] || { tail -n 30 logs/* >&2; fail "the collect job wrote no summary"; }
cmp local/summary.csv cluster/summary.csv || fail "array + collect summary differs from the local run"
cmp local/runs.csv cluster/runs.csv || fail "array + collect runs.csv differs from the local run"
echo "demo sweep (8 runs): local, one process with --jobs 2: $local_seconds s; 4-task array + collect: $array_seconds s"

# ---- a search with successive halving: a chain of arrays (trials, each rung, the final stage) + collect
cat >search.yaml <<'YAML'
base: base.yaml
set: {train.max_epochs: 6, train.patience: 3}
conditions: [{name: defaults}]
search:
  space:
    train.lr: {log_uniform: [3.0e-4, 1.0e-2]}
    model.dropout: {uniform: [0.0, 0.4]}
  trials: 6
  sampler: sobol
  seed: 3
  halving: {min_epochs: 2, eta: 2}
  final: {top: 1, seeds: [1, 2]}
seeds: [5]
compare: {baseline: defaults, bootstrap: 50}
output: runs/unused
YAML
[ "$("$DAF_BIN/daf-ablate" --config search.yaml --print-stages)" = 4 ] || fail "--print-stages of a 3-rung search"
"$DAF_BIN/daf-ablate" --config search.yaml --out search-local --jobs 2 --no-plots >/dev/null 2>&1
read -r array collect < <("$SWEEP" search.yaml --tasks 2 "${RES[@]}" --out search-cluster 2>search-submit.log | job_ids)
[ "$(grep -c '^search stage' search-submit.log)" -eq 3 ] || fail "expected 3 chained arrays before the last: $(cat search-submit.log)"
wait_jobs "$array" "$collect"
for f in trials.csv halving.csv summary.csv runs.csv; do
  cmp "search-local/$f" "search-cluster/$f" || fail "search: chained arrays + collect give another $f than one process"
done

# ---- one task cancelled mid-run, resubmitted alone
read -r array collect < <("$SWEEP" sweep.yaml --tasks 4 "${RES[@]}" --out killed | job_ids)
wait_running "$array" 2 1.5
scancel "${array}_2"
expect_never_satisfied "$collect"
wait_jobs "$array"
expect_exit 2 "shard 2/4" -- "$DAF_BIN/daf-ablate" --collect killed
read -r array collect < <("$SWEEP" sweep.yaml --tasks 4 "${RES[@]}" --out killed --only 2 | job_ids)
wait_jobs "$array" "$collect"
cmp local/summary.csv killed/summary.csv || fail "summary after resubmitting the cancelled task differs"

# ---- extraction: 4 shards + merge, and a cancelled shard resubmitted
"$DAF_BIN/daf-test-fixtures" encoders enc
"$DAF_BIN/daf-test-fixtures" corpus corpus 600 2>/dev/null
write_config() {
  cat >"$1" <<YAML
extract: {manifest: corpus/manifest.csv, output: $2, checkpoint_seconds: 0.001}
text: {encoder: enc/text_encoder.pt, sentencepiece_model: corpus/spm.model, batch_size: 1}
audio: {encoder: enc/speech_encoder.pt, max_seconds: 1.5, batch_size: 1}
YAML
}
write_config single.yaml single.h5
write_config sharded.yaml sharded.h5
write_config killed.yaml killed.h5
"$DAF_BIN/daf-extract" -c single.yaml 2>/dev/null
read -r array merge < <("$EXTRACT" sharded.yaml --tasks 4 "${RES[@]}" | job_ids)
wait_jobs "$array" "$merge"
"$DAF_BIN/daf-test-fixtures" compare single.h5 sharded.h5 || fail "4 shards + merge differ from one process"

read -r array merge < <("$EXTRACT" killed.yaml --tasks 4 "${RES[@]}" | job_ids)
# Cancelled once its first embeddings are saved, i.e. mid-run.
for _ in $(seq 1 1500); do [ -e killed.shard-3-of-4.h5.partial ] && break; sleep 0.02; done
scancel "${array}_3"
[ -e killed.shard-3-of-4.h5.partial ] || fail "shard 3/4 saved nothing before it was cancelled"
[ ! -e killed.shard-3-of-4.h5 ] || fail "shard 3/4 finished before it could be cancelled"
expect_never_satisfied "$merge"
wait_jobs "$array"
expect_exit 2 "shard 3/4: killed.shard-3-of-4.h5" -- "$DAF_BIN/daf-extract" -c killed.yaml --collect 4
read -r array merge < <("$EXTRACT" killed.yaml --tasks 4 "${RES[@]}" --only 3 | job_ids)
wait_jobs "$array" "$merge"
"$DAF_BIN/daf-test-fixtures" compare single.h5 killed.h5 || fail "merge after resubmitting the cancelled shard differs"
echo "e2e slurm: ok"
