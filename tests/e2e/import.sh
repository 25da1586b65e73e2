#!/usr/bin/env bash
# daf-import on a generated CMU-MultimodalSDK-like set, then daf-train on the
# imported cache; malformed input fails with exit code 2 and a clear message.
source "$(dirname "$0")/common.sh"

"$DAF_BIN/daf-import" --write-synthetic "$WORK/csd" csd.videos=20 2>/dev/null
"$DAF_BIN/daf-import" --labels "$WORK/csd/CMU_MOSEI_Labels.csd" --feature audio="$WORK/csd/CMU_MOSEI_COVAREP.csd" \
  --feature video="$WORK/csd/CMU_MOSEI_VisualFacet42.csd" --words "$WORK/csd/CMU_MOSEI_TimestampedWords.csd" --folds "$WORK/csd/folds.yaml" \
  --out "$WORK/mosei.h5" import.missing=mask 2>"$WORK/import.log"
grep -q "non-finite feature values replaced by 0: audio 2" "$WORK/import.log" || fail "NaN/-inf not counted"
grep -q "fold videos in no file: 1 (ghost)" "$WORK/import.log" || fail "absent fold video not reported"
grep -q "feature rows/s" "$WORK/import.log" || fail "no throughput"
"$DAF_BIN/daf-import" --help | grep -q "about 4.5 MB per video" || fail "--help does not give the synthetic set's size"

"$DAF_BIN/daf-train" data.cache="$WORK/mosei.h5" data.modalities=[audio,video] output.dir="$WORK/run" \
  train.max_epochs=2 model.dim=16 2>/dev/null
[ -s "$WORK/run/final_metrics.json" ] || fail "training on the imported cache failed"
# Each segment's video is stored (meta/video) and daf-eval copies it next to the id "video[k]".
"$DAF_BIN/daf-eval" --run "$WORK/run" 2>/dev/null >/dev/null || fail "daf-eval on the imported cache"
awk -F, 'NR == 1 { ok = ($NF == "video"); next } { v = $1; sub(/\[[0-9]+\]$/, "", v); ok = ok && v == $NF; n++ }
         END { exit !(ok && n > 0) }' "$WORK/run/eval/test/predictions.csv" || fail "predictions.csv has no video column matching the ids"

echo "not hdf5" >"$WORK/bad.csd"
expect_exit 2 "bad.csd: not an HDF5 file" -- "$DAF_BIN/daf-import" --labels "$WORK/bad.csd" \
  --feature audio="$WORK/csd/CMU_MOSEI_COVAREP.csd" --folds "$WORK/csd/folds.yaml" --out "$WORK/x.h5"
expect_exit 2 "/words/data/vid0/features: expected numbers" -- "$DAF_BIN/daf-import" --labels "$WORK/csd/CMU_MOSEI_Labels.csd" \
  --feature text="$WORK/csd/CMU_MOSEI_TimestampedWords.csd" --folds "$WORK/csd/folds.yaml" --out "$WORK/x.h5"
expect_exit 2 "key 'import.output' is not set" -- "$DAF_BIN/daf-import" --labels "$WORK/csd/CMU_MOSEI_Labels.csd" \
  --folds "$WORK/csd/folds.yaml"
[ ! -e "$WORK/x.h5" ] || fail "a failed import left an output file"
echo "e2e import: ok"
