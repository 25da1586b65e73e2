#!/usr/bin/env bash
# Bad input gets one clear error line naming the problem, exit code 2, no trace.
source "$(dirname "$0")/common.sh"

"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/tiny.h5" 2>/dev/null
echo "not hdf5" >"$WORK/text.h5"
printf 'data:\n  cache: %s\nmodel:\n  fusoin: mean\n' "$WORK/tiny.h5" >"$WORK/typo.yaml"

expect_exit 2 "unknown key 'model.fusoin', did you mean 'model.fusion'?" -- \
  "$DAF_BIN/daf-train" --config "$WORK/typo.yaml"
expect_exit 2 "key 'train.lr': expected a number > 0, found 'fast'" -- \
  "$DAF_BIN/daf-train" data.cache="$WORK/tiny.h5" train.lr=fast
expect_exit 2 "missing.yaml: cannot open file" -- "$DAF_BIN/daf-train" --config "$WORK/missing.yaml"
expect_exit 2 "nope.h5: cannot open file" -- "$DAF_BIN/daf-train" data.cache="$WORK/nope.h5" output.dir="$WORK/r1"
expect_exit 2 "text.h5: not an HDF5 file" -- "$DAF_BIN/daf-train" data.cache="$WORK/text.h5" output.dir="$WORK/r2"
expect_exit 2 "has no modality 'speech'" -- \
  "$DAF_BIN/daf-train" data.cache="$WORK/tiny.h5" data.modalities=[text,speech] output.dir="$WORK/r3"
expect_exit 2 "model.yaml: cannot open file" -- "$DAF_BIN/daf-eval" --run "$WORK/no-run"
expect_exit 2 "no model given" -- "$DAF_BIN/daf-eval"
expect_exit 2 "--preset: expected one of tiny|demo|mosei" -- "$DAF_BIN/daf-synth" --preset huge --out "$WORK/x.h5"
expect_exit 2 "--bogus" -- "$DAF_BIN/daf-train" --bogus

"$DAF_BIN/daf-train" data.cache="$WORK/tiny.h5" output.dir="$WORK/run" train.max_epochs=1 2>/dev/null
expect_exit 2 "--mask vidoe: the model in" -- "$DAF_BIN/daf-eval" --run "$WORK/run" --mask vidoe
expect_exit 2 "holds a finished run" -- \
  "$DAF_BIN/daf-train" data.cache="$WORK/tiny.h5" output.dir="$WORK/run" train.max_epochs=1
echo "e2e bad_input: ok"
