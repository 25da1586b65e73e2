#!/usr/bin/env bash
# Synthesize a tiny cache, train, evaluate, evaluate with a masked modality.
source "$(dirname "$0")/common.sh"

"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/tiny.h5"
[ -s "$WORK/tiny.h5" ] || fail "daf-synth wrote nothing"

"$DAF_BIN/daf-train" --config "$DAF_SOURCE/configs/demo.yaml" data.cache="$WORK/tiny.h5" \
  output.dir="$WORK/run" train.max_epochs=3 train.threads=1 2>"$WORK/train.log"
for f in config.yaml model.pt model.yaml metrics.csv train.log final_metrics.json final_metrics.csv; do
  [ -s "$WORK/run/$f" ] || fail "run directory lacks $f"
done
grep -q "| test " "$WORK/train.log" || fail "no final summary table in the log"
[ "$(wc -l <"$WORK/run/metrics.csv")" -eq 4 ] || fail "metrics.csv should have a header and 3 epochs"
grep -q "fusion: dynamic" "$WORK/run/config.yaml" || fail "resolved config lacks model.fusion"

"$DAF_BIN/daf-eval" --run "$WORK/run" >"$WORK/report.md"
grep -q "Has0_F1_score" "$WORK/report.md" || fail "report lacks MMSA metrics"
head -1 "$WORK/run/eval/test/predictions.csv" | grep -q "^id,label,prediction,weight_text,weight_audio,weight_video,speaker$" \
  || fail "predictions.csv header (the meta column speaker last)"
[ "$(wc -l <"$WORK/run/eval/test/predictions.csv")" -eq 81 ] || fail "predictions.csv should have 80 rows"

"$DAF_BIN/daf-eval" --run "$WORK/run" --mask audio --split valid >/dev/null
awk -F, 'NR > 1 && $5 != "0.000000" { bad = 1 } END { exit bad }' "$WORK/run/eval/valid-mask-audio/predictions.csv" \
  || fail "masked audio kept a non-zero weight"

# A model file plus a cache works as well as a run directory.
"$DAF_BIN/daf-eval" --model "$WORK/run/model.pt" --cache "$WORK/tiny.h5" --out "$WORK/by-file" >/dev/null
cmp "$WORK/by-file/predictions.csv" "$WORK/run/eval/test/predictions.csv" || fail "--model gives other predictions"

# --help explains options; --print-config shows the resolved config.
"$DAF_BIN/daf-train" --help >"$WORK/help-train"
grep -q "model.temperature" "$WORK/help-train" || fail "daf-train --help lacks config options"
grep -q "Exit codes" "$WORK/help-train" || fail "daf-train --help lacks exit codes"
"$DAF_BIN/daf-eval" --help >"$WORK/help-eval"
grep -q -- "--mask" "$WORK/help-eval" || fail "daf-eval --help lacks --mask"
"$DAF_BIN/daf-synth" --help >"$WORK/help-synth"
grep -q "synth.noisy_text_rate" "$WORK/help-synth" || fail "daf-synth --help lacks options"
"$DAF_BIN/daf-train" --config "$DAF_SOURCE/configs/mosei.yaml" --print-config >"$WORK/resolved.yaml"
grep -q "optimizer: adamw" "$WORK/resolved.yaml" || fail "--print-config"
echo "e2e train_eval: ok"
