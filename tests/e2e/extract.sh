#!/usr/bin/env bash
# daf-extract end to end on generated data: tiny TorchScript encoders and a
# synthesised spoken corpus (daf-test-fixtures), then training on the result;
# resume after kill -9, shards + merge, JSON Lines, adding a text embedding to
# an imported cache, the on_error policy and contract errors.
source "$(dirname "$0")/common.sh"
FX="$DAF_BIN/daf-test-fixtures"
X="$DAF_BIN/daf-extract"
cd "$WORK"
"$FX" encoders enc
"$FX" corpus corpus 60 2>/dev/null
cat >cfg.yaml <<'YAML'
extract:
  manifest: corpus/manifest.csv
  output: out.h5
text:
  encoder: enc/text_encoder.pt
  tokenizer: sentencepiece
  sentencepiece_model: corpus/spm.model
  bos_id: 1
  eos_id: 2
audio:
  encoder: enc/speech_encoder.pt
  max_seconds: 1.5
YAML

# A full run: both modalities, throughput and padding in the log, then training on it.
"$X" -c cfg.yaml 2>log
grep -q "text: 60 utterances" log || { cat log; fail "text pass not reported"; }
grep -q "padding efficiency" log || fail "no padding efficiency"
grep -q "s of audio per second" log || fail "no audio throughput"
grep -q "encoded in chunks" log || fail "long utterance not chunked"
"$X" -c cfg.yaml 2>log
grep -q "already holds this job's embeddings" log || fail "a finished job was not recognised"
"$DAF_BIN/daf-train" data.cache=out.h5 data.modalities=[text,audio] output.dir=run train.max_epochs=3 \
  model.dim=8 2>/dev/null
[ -s run/final_metrics.json ] || fail "training on the extracted cache failed"

# Fixed-order batching pads more on the same corpus, and gives the same embeddings.
"$X" -c cfg.yaml extract.bucketing=false extract.output=new/folder/fixed.h5 2>log
grep -q "(manifest order)" log || fail "fixed-order batching not reported"
"$FX" compare out.h5 new/folder/fixed.h5 || fail "bucketing changed the embeddings"

# Killed at any moment, the next run resumes and gives the same cache.
"$X" -c cfg.yaml extract.output=killed.h5 extract.checkpoint_seconds=0.001 audio.batch_size=1 \
  text.batch_size=1 2>/dev/null &
pid=$!
for _ in $(seq 1 500); do [ -e killed.h5.partial ] && break; sleep 0.01; done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ ! -e killed.h5 ] || fail "killed run left its output (it finished before the kill?)"
"$X" -c cfg.yaml extract.output=killed.h5 2>log
grep -q "already done by an earlier run" log || { cat log; fail "the rerun did not resume"; }
[ ! -e killed.h5.partial ] || fail "partial file left after completion"
"$FX" compare out.h5 killed.h5 || fail "resumed cache differs"

# Shards + merge equal the single run; a missing shard is named.
for k in 1 2 3; do "$X" -c cfg.yaml --shard "$k/3" 2>/dev/null; done
expect_exit 2 "missing shard 2/3" -- "$X" --merge out.shard-1-of-3.h5 out.shard-3-of-3.h5 --out merged.h5
"$X" --merge out.shard-*.h5 --out merged.h5 2>/dev/null
"$FX" compare out.h5 merged.h5 || fail "merged shards differ from the single run"
expect_exit 2 "is also" -- "$X" --merge out.shard-1-of-3.h5 out.shard-1-of-3.h5 --out m.h5
# --collect N finds the shards from the config and names the missing ones.
mv out.h5 single.h5
"$X" -c cfg.yaml --collect 3 2>/dev/null
"$FX" compare single.h5 out.h5 || fail "--collect differs from the single run"
mv out.shard-2-of-3.h5 held.h5
expect_exit 2 "shard 2/3: out.shard-2-of-3.h5 (not written: rerun the shard)" -- "$X" -c cfg.yaml --collect 3
mv held.h5 out.shard-2-of-3.h5

# JSON Lines manifest, with a speaker column kept as metadata (extract.meta), not as a label.
awk -F, 'NR > 1 { printf "{\"id\": \"%s\", \"split\": \"%s\", \"text\": \"%s\", \"audio\": \"%s\", \"sentiment\": %s, \"speaker\": \"spk%d\"}\n", $1, $2, $3, $4, $7, NR % 3 }' \
  corpus/manifest.csv >corpus/manifest.jsonl
"$X" -c cfg.yaml extract.manifest=corpus/manifest.jsonl extract.output=jsonl.h5 audio.encoder= "extract.meta=[speaker]" 2>/dev/null
[ -s jsonl.h5 ] || fail "JSON Lines manifest not extracted"
"$py" - <<'PY' || fail "extract.meta: the speaker column is not in the cache's meta/ group as written"
import json, h5py
rows = {r["id"]: r for r in map(json.loads, open("corpus/manifest.jsonl"))}
with h5py.File("jsonl.h5") as f:
    assert f.attrs["daf_format"] == 2
    for split in ("train", "valid", "test"):
        assert "speaker" not in f[split]["labels"]
        ids = [i.decode() for i in f[split]["ids"][:]]
        speakers = [s.decode() for s in f[split]["meta/speaker"][:]]
        assert speakers == [rows[i]["speaker"] for i in ids], split
PY
expect_exit 2 "extract.meta names column 'speakr', which the manifest lacks, did you mean 'speaker'?" -- \
  "$X" -c cfg.yaml extract.manifest=corpus/manifest.jsonl extract.output=x.h5 audio.encoder= "extract.meta=[speakr]"

# A text embedding added to a cache with transcripts (as daf-import writes them).
"$DAF_BIN/daf-import" --write-synthetic csd csd.videos=12 2>/dev/null
"$DAF_BIN/daf-import" --labels csd/CMU_MOSEI_Labels.csd --feature audio=csd/CMU_MOSEI_COVAREP.csd --words csd/CMU_MOSEI_TimestampedWords.csd \
  --folds csd/folds.yaml --out imported.h5 import.missing=mask 2>/dev/null
# (the form configs had before wordpiece and bpe, text.tokenizer: FILE.model, still works)
"$X" --input-cache imported.h5 --out imported.h5 text.encoder=enc/text_encoder.pt \
  text.tokenizer=corpus/spm.model 2>log
grep -q "read as text.sentencepiece_model" log || { cat log; fail "no warning for text.tokenizer: FILE.model"; }
"$DAF_BIN/daf-train" data.cache=imported.h5 data.modalities=[text,audio] output.dir=run2 train.max_epochs=2 \
  model.dim=8 2>/dev/null || fail "training on the imported cache + text embedding failed"
expect_exit 2 "already holds /train/features/audio" -- "$X" --input-cache imported.h5 --out x.h5 \
  text.encoder=enc/text_encoder.pt text.sentencepiece_model=corpus/spm.model text.modality=audio

# Bad utterances: fail names the row and file; skip lists them and masks or drops.
cp corpus/manifest.csv bad.csv
: >corpus/empty.wav
echo "not audio" >corpus/garbage.wav
cat >>bad.csv <<'CSV'
m1,train,missing file,audio/none.wav,,,1
m2,train,empty file,empty.wav,,,1
m3,train,undecodable,garbage.wav,,,1
m4,train,,audio/u1.wav,,,1
m5,train,late start,audio/u1.wav,30,,1
u1,train,duplicate,audio/u1.wav,,,1
m6,tran,bad split,audio/u1.wav,,,1
CSV
mv bad.csv corpus/bad.csv
expect_exit 2 "corpus/bad.csv:67: id 'u1' appears twice" -- "$X" -c cfg.yaml extract.manifest=corpus/bad.csv \
  extract.output=bad.h5
sed -i '/^u1,train,duplicate/d; /^m6,/d' corpus/bad.csv
expect_exit 2 "corpus/bad.csv:65 (id 'm4'): empty text" -- "$X" -c cfg.yaml extract.manifest=corpus/bad.csv \
  extract.output=bad.h5
# One bad row at a time under on_error=fail: each error names the row, the file and the problem.
one_bad() { { head -2 corpus/manifest.csv; echo "$1"; } >corpus/one.csv; }
one_bad "m1,train,missing file,audio/none.wav,,,1"
expect_exit 2 "corpus/one.csv:3 (id 'm1'): corpus/audio/none.wav: audio file not found" -- "$X" -c cfg.yaml \
  extract.manifest=corpus/one.csv extract.output=bad.h5
one_bad "m2,train,empty file,empty.wav,,,1"
expect_exit 2 "empty.wav: audio file is empty (0 bytes)" -- "$X" -c cfg.yaml extract.manifest=corpus/one.csv \
  extract.output=bad.h5
one_bad "m3,train,undecodable,garbage.wav,,,1"
expect_exit 2 "garbage.wav: cannot decode audio" -- "$X" -c cfg.yaml extract.manifest=corpus/one.csv \
  extract.output=bad.h5
one_bad "m5,train,late start,audio/u1.wav,30,,1"
expect_exit 2 "start 30.000 s is at or beyond the end of the file" -- "$X" -c cfg.yaml \
  extract.manifest=corpus/one.csv extract.output=bad.h5
printf "id,split,audio\nq1,train,audio/u1.wav\n" >corpus/notext.csv
expect_exit 2 "no column 'text', which text.encoder needs" -- "$X" -c cfg.yaml extract.manifest=corpus/notext.csv \
  extract.output=bad.h5
one_bad "m7,train,label,audio/u1.wav,,,positive"
expect_exit 2 "corpus/one.csv:3: label 'sentiment': expected a finite number, found 'positive'" -- "$X" -c cfg.yaml \
  extract.manifest=corpus/one.csv extract.output=bad.h5
echo "u1,train,duplicate,audio/u1.wav,,,1" >>corpus/bad.csv
"$X" -c cfg.yaml extract.manifest=corpus/bad.csv extract.output=bad.h5 extract.on_error=skip 2>log
[ "$(tail -n +2 bad.h5.skipped.csv | wc -l)" -eq 6 ] || { cat bad.h5.skipped.csv; fail "expected 6 skipped entries"; }
grep -q "empty.wav: audio file is empty" bad.h5.skipped.csv || fail "empty file not reported"
grep -q "garbage.wav: cannot decode audio" bad.h5.skipped.csv || fail "undecodable file not reported"
grep -q "appears twice" bad.h5.skipped.csv || fail "duplicate id not reported"
"$DAF_BIN/daf-train" data.cache=bad.h5 data.modalities=[text,audio] output.dir=run3 train.max_epochs=1 \
  model.dim=8 2>/dev/null || fail "training on a cache with masked utterances failed"

# Encoders that break the contract are rejected before the run, with shapes.
expect_exit 2 "returned float [2, 8, 19]; expected float [B, T, D] = [2, 19, D]" -- "$X" -c cfg.yaml \
  extract.output=c.h5 text.encoder=enc/text_transposed.pt audio.encoder=
expect_exit 2 "attention_mask: int64 [B, T][, token_type_ids: int64 [B, T]]), found forward(input_ids: Tensor)" \
  -- "$X" -c cfg.yaml extract.output=c.h5 text.encoder=enc/text_one_argument.pt audio.encoder=
expect_exit 2 "text.pooling=module needs the module's pooled [B, D] output" -- "$X" -c cfg.yaml \
  extract.output=c.h5 text.encoder=enc/text_encoder.pt audio.encoder= text.pooling=module
"$X" -c cfg.yaml extract.output=pooled.h5 text.encoder=enc/text_pooled.pt audio.encoder= text.pooling=module 2>/dev/null
expect_exit 2 "no integer attribute 'sample_rate'; set audio.sample_rate" -- "$X" -c cfg.yaml extract.output=c.h5 \
  text.encoder= audio.encoder=enc/speech_no_rate.pt
"$X" -c cfg.yaml extract.output=rate.h5 text.encoder= audio.encoder=enc/speech_no_lengths.pt 2>/dev/null
expect_exit 2 "returned float [2, 8]; expected float [B, T', D]" -- "$X" -c cfg.yaml extract.output=c.h5 \
  text.encoder= audio.encoder=enc/speech_pooled.pt
expect_exit 2 "cfg.yaml: not a TorchScript module" -- "$X" -c cfg.yaml extract.output=c.h5 text.encoder=cfg.yaml
expect_exit 2 "text.sentencepiece_model: nope.model: file not found" -- "$X" -c cfg.yaml extract.output=c.h5 \
  text.sentencepiece_model=nope.model
expect_exit 2 "not a sentencepiece model" -- "$X" -c cfg.yaml extract.output=c.h5 text.sentencepiece_model=cfg.yaml
# Tokenizer files of another model: ids beyond the encoder's embedding table fail on the probe.
{ printf '[PAD]\n[UNK]\n[CLS]\n[SEP]\n'; seq 1 4996; } >big-vocab.txt
printf 'extract: {manifest: corpus/manifest.csv, output: c.h5}\ntext: {encoder: enc/text_encoder.pt, tokenizer: wordpiece, vocab: big-vocab.txt}\n' >wp.yaml
expect_exit 2 "big-vocab.txt has 5000 token ids but the encoder enc/text_encoder.pt" -- "$X" -c wp.yaml
expect_exit 2 "text.bos_id applies to text.tokenizer sentencepiece, not wordpiece" -- "$X" -c wp.yaml text.bos_id=1
[ ! -e c.h5 ] || fail "a failed run left an output"

# daf-tokenize: the sentencepiece ids with the config's BOS/EOS, one JSON line per input line.
printf 'the movie was great\n\nok\n' >lines.txt
"$DAF_BIN/daf-tokenize" -c cfg.yaml lines.txt >tok.jsonl 2>/dev/null || fail "daf-tokenize failed"
[ "$(wc -l <tok.jsonl)" -eq 3 ] || fail "daf-tokenize: not one line per input line"
"$py" - tok.jsonl <<'PY' || fail "daf-tokenize's sentencepiece output"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows[0]["text"] == "the movie was great" and rows[0]["ids"][0] == 1 and rows[0]["ids"][-1] == 2, rows[0]
assert rows[1]["ids"] == [1, 2], rows[1]
assert len(rows[0]["ids"]) == len(rows[0]["pieces"]), rows[0]
PY
printf 'fine\nbad \xc3\x28 text\n' >bad-lines.txt
expect_exit 2 "bad-lines.txt:2: the text is not valid UTF-8 (byte 4" -- "$DAF_BIN/daf-tokenize" -c cfg.yaml bad-lines.txt
expect_exit 2 "two input files given" -- "$DAF_BIN/daf-tokenize" -c cfg.yaml lines.txt bad-lines.txt
expect_exit 2 "text.vocab: none.txt: file not found" -- "$DAF_BIN/daf-tokenize" -c cfg.yaml lines.txt \
  text.tokenizer=wordpiece text.vocab=none.txt text.bos_id=-1 text.eos_id=-1 text.sentencepiece_model=
echo "e2e extract: ok"
