#!/usr/bin/env bash
# The encoder exporter (Debian's python3-torch/torchaudio, random weights,
# offline) writes modules daf-extract accepts: a TransformerEncoder text model
# with its sentencepiece tokenizer and torchaudio's wav2vec2_base.
source "$(dirname "$0")/common.sh"
if ! /usr/bin/python3 -c "import torch, torchaudio" 2>/dev/null || ! command -v spm_train >/dev/null; then
  echo "SKIP: needs Debian's python3-torch, python3-torchaudio and sentencepiece (scripts/install-deps.sh)"
  exit 77
fi
cd "$WORK"
"$DAF_BIN/daf-test-fixtures" corpus corpus 6 2>/dev/null
/usr/bin/python3 "$DAF_SOURCE/scripts/encoders/export_encoders.py" --out enc --random \
  --text-corpus corpus/sentences.txt --vocab-size 40 --text-dim 32 --text-layers 1 >export.log 2>&1 \
  || { cat export.log; fail "export failed"; }
grep -q "pad_id:" enc/extract.yaml || fail "no config snippet"
{ printf "extract:\n  manifest: corpus/manifest.csv\n  output: out.h5\n"; cat enc/extract.yaml; } >cfg.yaml
"$DAF_BIN/daf-extract" -c cfg.yaml 2>log || { cat log; fail "daf-extract rejected the exported encoders"; }
grep -q "text: 6 utterances" log || { cat log; fail "text not extracted"; }
grep -q "audio: 6 utterances" log || { cat log; fail "audio not extracted"; }
"$DAF_BIN/daf-train" data.cache=out.h5 data.modalities=[text,audio] output.dir=run train.max_epochs=1 \
  model.dim=8 2>/dev/null || fail "training on the exported encoders' cache failed"
echo "e2e exporter: ok"
