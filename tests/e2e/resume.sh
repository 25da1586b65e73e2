#!/usr/bin/env bash
# kill -9 daf-train in the middle of a run; running the same command again
# finishes it with the same numbers as an uninterrupted run.
source "$(dirname "$0")/common.sh"

"$DAF_BIN/daf-synth" --preset demo --out "$WORK/demo.h5" synth.train_size=1500 2>/dev/null
args=(data.cache="$WORK/demo.h5" train.max_epochs=12 train.patience=100 train.threads=1)

"$DAF_BIN/daf-train" "${args[@]}" output.dir="$WORK/straight" 2>/dev/null

"$DAF_BIN/daf-train" "${args[@]}" output.dir="$WORK/killed" 2>/dev/null &
pid=$!
# Wait until a few epochs are checkpointed, then kill without warning.
for _ in $(seq 1 600); do
  [ -f "$WORK/killed/metrics.csv" ] && [ "$(wc -l <"$WORK/killed/metrics.csv")" -ge 4 ] && break
  sleep 0.05
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ -f "$WORK/killed/final_metrics.json" ] && fail "the run finished before it could be killed"
epochs_before=$(($(wc -l <"$WORK/killed/metrics.csv") - 1))

"$DAF_BIN/daf-train" "${args[@]}" output.dir="$WORK/killed" 2>"$WORK/resume.log"
grep -q "resuming after epoch" "$WORK/resume.log" || fail "second run did not resume"
cmp <(grep '^test,' "$WORK/straight/final_metrics.csv") <(grep '^test,' "$WORK/killed/final_metrics.csv") \
  || fail "resumed run differs from the uninterrupted one"
cut -d, -f1-12 "$WORK/straight/metrics.csv" >"$WORK/a"
cut -d, -f1-12 "$WORK/killed/metrics.csv" >"$WORK/b"
cmp "$WORK/a" "$WORK/b" || fail "per-epoch metrics differ after resume"
echo "e2e resume: ok (killed after $epochs_before epochs)"
