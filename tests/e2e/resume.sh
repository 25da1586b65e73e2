#!/usr/bin/env bash
# kill -9 daf-train in the middle of a run; running the same command again
# finishes it with the same numbers as an uninterrupted run.
source "$(dirname "$0")/common.sh"

"$DAF_BIN/daf-synth" --preset demo --out "$WORK/demo.h5" synth.train_size=1500 2>/dev/null
# Both ways of computing the head in training (train.kernels): the
# checkpoint must carry everything either needs.
for kernels in autograd fused; do
  args=(data.cache="$WORK/demo.h5" train.max_epochs=12 train.patience=100 train.threads=1 train.kernels=$kernels)

  "$DAF_BIN/daf-train" "${args[@]}" output.dir="$WORK/$kernels-straight" 2>/dev/null

  "$DAF_BIN/daf-train" "${args[@]}" output.dir="$WORK/$kernels-killed" 2>/dev/null &
  pid=$!
  # Wait until a few epochs are checkpointed, then kill without warning.
  for _ in $(seq 1 600); do
    [ -f "$WORK/$kernels-killed/metrics.csv" ] && [ "$(wc -l <"$WORK/$kernels-killed/metrics.csv")" -ge 4 ] && break
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -f "$WORK/$kernels-killed/final_metrics.json" ] && fail "$kernels: the run finished before it could be killed"
  epochs_before=$(($(wc -l <"$WORK/$kernels-killed/metrics.csv") - 1))

  "$DAF_BIN/daf-train" "${args[@]}" output.dir="$WORK/$kernels-killed" 2>"$WORK/$kernels-resume.log"
  grep -q "resuming after epoch" "$WORK/$kernels-resume.log" || fail "$kernels: second run did not resume"
  cmp <(grep '^test,' "$WORK/$kernels-straight/final_metrics.csv") <(grep '^test,' "$WORK/$kernels-killed/final_metrics.csv") \
    || fail "$kernels: resumed run differs from the uninterrupted one"
  cut -d, -f1-12 "$WORK/$kernels-straight/metrics.csv" >"$WORK/$kernels-a"
  cut -d, -f1-12 "$WORK/$kernels-killed/metrics.csv" >"$WORK/$kernels-b"
  cmp "$WORK/$kernels-a" "$WORK/$kernels-b" || fail "$kernels: per-epoch metrics differ after resume"
  echo "e2e resume ($kernels): ok (killed after $epochs_before epochs)"
done
