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
expect_exit 2 "$WORK: is a directory, expected a file" -- "$DAF_BIN/daf-train" -c "$WORK"
printf 'data:\n  cache: %s\ntrain:\n  lr: 0.1\ntrain:\n  lr: 0.2\n' "$WORK/tiny.h5" >"$WORK/twice.yaml"
expect_exit 2 "twice.yaml:5: key 'train' appears twice in one mapping (first at line 3)" -- \
  "$DAF_BIN/daf-train" --config "$WORK/twice.yaml"
expect_exit 2 "synth: the cache needs about" -- \
  "$DAF_BIN/daf-synth" --out "$WORK/x.h5" synth.text_dim=100000 synth.train_size=100000
expect_exit 2 "synth: the cache needs about 4e+07 GB" -- \
  "$DAF_BIN/daf-synth" --out "$WORK/x.h5" synth.text_dim=100000000 synth.train_size=100000000
rc=0; "$DAF_BIN/daf-ablate" --jobs -1 -c "$WORK/none.yaml" 2>"$WORK/err" || rc=$?
[ "$rc" -ne 0 ] && grep -qx -- "--jobs: expected an integer from 1 to 256, got '-1'" "$WORK/err" || { cat "$WORK/err"; fail "--jobs -1"; }
# A cache with an empty test split (daf-import of a folds file whose test fold is empty) fails before training.
"$DAF_BIN/daf-import" --write-synthetic "$WORK/csd" csd.videos=8 2>/dev/null
printf 'train: [vid0, vid2, vid4, vid5]\nvalid: [vid6]\ntest: []\n' >"$WORK/folds.yaml"
"$DAF_BIN/daf-import" --labels "$WORK/csd/CMU_MOSEI_Labels.csd" --feature audio="$WORK/csd/CMU_MOSEI_COVAREP.csd" \
  --folds "$WORK/folds.yaml" --out "$WORK/notest.h5" 2>"$WORK/import.log"
grep -q "fold 'test' is empty" "$WORK/import.log" || fail "an empty fold was not warned about"
expect_exit 2 "notest.h5: split 'test' has no rows" -- \
  "$DAF_BIN/daf-train" data.cache="$WORK/notest.h5" data.modalities=[audio] output.dir="$WORK/r5"
[ ! -e "$WORK/r5/model.pt" ] || fail "training started on a cache with an empty split"
echo "e2e bad_input: ok"
