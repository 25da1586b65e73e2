#!/usr/bin/env bash
# The encoder exporter (Debian's python3-torch/torchaudio, random weights,
# offline) writes modules daf-extract accepts: a TransformerEncoder text model
# with its sentencepiece tokenizer and torchaudio's wav2vec2_base; and a
# BERT-shaped text model (three inputs, pooled output) with a WordPiece vocab.txt,
# used on a manifest and on a daf-import cache with transcripts, then trained on.
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
# BERT-shaped: the WordPiece path end to end.
/usr/bin/python3 "$DAF_SOURCE/scripts/encoders/export_encoders.py" --out bert --random --no-speech \
  --text-tokenizer wordpiece --text-corpus corpus/sentences.txt --text-dim 32 --text-layers 1 --max-length 64 \
  >export.log 2>&1 || { cat export.log; fail "BERT-shaped export failed"; }
grep -q "tokenizer: wordpiece" bert/extract.yaml || { cat bert/extract.yaml; fail "no wordpiece in the snippet"; }
{ printf "extract:\n  manifest: corpus/manifest.csv\n  output: bert.h5\n"; cat bert/extract.yaml; } >bert.yaml
"$DAF_BIN/daf-extract" -c bert.yaml 2>log || { cat log; fail "daf-extract rejected the BERT-shaped encoder"; }
grep -q "wordpiece tokenizer" log && grep -q "encoder with 3 inputs" log || { cat log; fail "not the 3-input path"; }
grep -q "text: 6 utterances" log || { cat log; fail "text not extracted with WordPiece"; }
for pooling in mean module; do
  "$DAF_BIN/daf-extract" -c bert.yaml extract.output=bert-$pooling.h5 text.pooling=$pooling 2>log \
    || { cat log; fail "BERT-shaped encoder with text.pooling=$pooling"; }
done
# daf-tokenize gives the ids daf-extract used: [CLS] first, [SEP] last, no [UNK] for corpus words.
head -1 corpus/sentences.txt | "$DAF_BIN/daf-tokenize" -c bert.yaml >tok.json
"$py" - tok.json bert/vocab.txt <<'PY' || fail "daf-tokenize's ids are not the vocabulary's"
import json, sys
line = json.load(open(sys.argv[1]))
vocab = open(sys.argv[2], encoding="utf-8").read().split("\n")
assert line["pieces"][0] == "[CLS]" and line["pieces"][-1] == "[SEP]", line
assert "[UNK]" not in line["pieces"], line
assert [vocab[i] for i in line["ids"]] == line["pieces"], line
PY
"$DAF_BIN/daf-import" --write-synthetic csd csd.videos=8 2>/dev/null
"$DAF_BIN/daf-import" --labels csd/CMU_MOSEI_Labels.csd --feature audio=csd/CMU_MOSEI_COVAREP.csd --words csd/CMU_MOSEI_TimestampedWords.csd \
  --folds csd/folds.yaml --out imported.h5 import.missing=mask 2>/dev/null
"$DAF_BIN/daf-extract" -c bert.yaml --input-cache imported.h5 --out imported.h5 extract.manifest= 2>log \
  || { cat log; fail "WordPiece on the imported transcripts failed"; }
"$DAF_BIN/daf-train" data.cache=imported.h5 data.modalities=[text,audio] output.dir=bert-run train.max_epochs=2 \
  model.dim=8 2>/dev/null || fail "training on the WordPiece text embedding failed"
"$py" - imported.h5 <<'PY' || fail "the cache does not record the tokenizer"
import h5py, sys
attrs = h5py.File(sys.argv[1], "r")["train/features/text"].attrs
assert attrs["tokenizer_kind"] in (b"wordpiece", "wordpiece"), dict(attrs)
assert attrs["pooling"] in (b"first", "first"), dict(attrs)
PY
echo "e2e exporter: ok"
