# Helpers for the end-to-end tests. DAF_BIN points at the built executables.
set -euo pipefail
: "${DAF_BIN:?DAF_BIN must point at the built apps folder}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE PATTERN -- command...: runs the command, checks its exit
# code, that stderr contains PATTERN, and that it printed no stack trace.
expect_exit() {
  local code=$1 pattern=$2; shift 3
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" -eq "$code" ] || { cat "$WORK/err" >&2; fail "'$*' exited $rc, expected $code"; }
  grep -qF -- "$pattern" "$WORK/err" || { cat "$WORK/err" >&2; fail "'$*' did not say: $pattern"; }
  if grep -qE "terminate called|Exception raised from|frame #[0-9]" "$WORK/err"; then
    cat "$WORK/err" >&2; fail "'$*' printed a stack trace"
  fi
  [ "$(grep -c 'error' "$WORK/err")" -le 1 ] || { cat "$WORK/err" >&2; fail "'$*' printed more than one error line"; }
}

# Debian's python3 with numpy and h5py, for tests that write or check HDF5
# files independently of daf; skips the test (exit 77) where they are missing.
py=/usr/bin/python3
require_numpy_h5py() {
  if ! "$py" -c "import numpy, h5py" 2>/dev/null; then
    echo "SKIP: $py lacks numpy or h5py (install python3-numpy python3-h5py)"
    exit 77
  fi
}

# predict_fixture N: in the current folder, the tests' tiny encoders (enc/), a spoken-like
# corpus of N utterances (corpus/), their extract config (enc.yaml), the cache daf-extract
# makes of it (out.h5) and a head trained on its text and audio (run/, 3 epochs).
predict_fixture() {
  "$DAF_BIN/daf-test-fixtures" encoders enc
  "$DAF_BIN/daf-test-fixtures" corpus corpus "$1" 2>/dev/null
  cat >enc.yaml <<'YAML'
text: {encoder: enc/text_encoder.pt, tokenizer: sentencepiece, sentencepiece_model: corpus/spm.model, bos_id: 1, eos_id: 2}
audio: {encoder: enc/speech_encoder.pt, max_seconds: 1.5}
YAML
  "$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/manifest.csv --out out.h5 2>/dev/null || fail "daf-extract"
  "$DAF_BIN/daf-train" data.cache=out.h5 data.modalities=[text,audio] output.dir=run train.max_epochs=3 model.dim=8 \
    2>/dev/null || fail "daf-train"
}
