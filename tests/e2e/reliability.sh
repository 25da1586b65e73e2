#!/usr/bin/env bash
# No lost run, no silent NaN, no misleading message: the cases of the adversarial review
# of daf-export, daf-predict, daf-tokenize, search and the emotion tasks (issue 32).
source "$(dirname "$0")/common.sh"
require_numpy_h5py
cd "$WORK"
P="$DAF_BIN/daf-predict"
predict_fixture 30
"$DAF_BIN/daf-train" data.cache=out.h5 data.modalities=[text] output.dir=textrun train.max_epochs=2 model.dim=8 \
  2>/dev/null || fail "daf-train text only"
sums() { sha256sum run/* corpus/manifest.csv | sha256sum; }
before=$(sums)

# 1. No tool writes over one of its inputs (symbolic links resolved).
expect_exit 2 "--out run/model.pt is one of its inputs" -- "$DAF_BIN/daf-export" --run run --out run/model.pt
ln -s run/model.yaml link.yaml
expect_exit 2 "is run/model.yaml, one of its inputs" -- "$DAF_BIN/daf-export" --run run --out link.yaml
expect_exit 2 "--out corpus/manifest.csv is one of its inputs" -- \
  "$P" --run run --encoders enc.yaml corpus/manifest.csv --out corpus/manifest.csv
expect_exit 2 "--out run/model.pt is one of its inputs" -- "$P" --run run --encoders enc.yaml --text hi --out run/model.pt
expect_exit 2 "extract.output corpus/manifest.csv is one of its inputs" -- \
  "$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/manifest.csv --out corpus/manifest.csv
# An output path that is a device, pipe or directory is never renamed over (as root, an
# export to /dev/full once replaced the device with a file).
mkfifo apipe
expect_exit 2 "apipe: is not a regular file (a device, pipe or socket)" -- "$DAF_BIN/daf-export" --run run --out apipe
[ -p apipe ] || fail "the pipe was replaced"
expect_exit 2 "run: is a directory; outputs are written beside their path" -- \
  "$P" --run run --encoders enc.yaml --text hi --out run
[ "$(sums)" = "$before" ] || fail "a refused write changed an input"
"$DAF_BIN/daf-eval" --run run >/dev/null 2>&1 || fail "the run is unusable after the refusals"
echo "1: outputs over inputs refused"

# 3. Non-finite audio samples are a bad utterance, never a NaN prediction.
"$py" - corpus/audio/nan.wav <<'PY'
import struct, sys, math
samples = [0.1 * math.sin(i / 5.0) for i in range(8000)]
for k in range(12):
    samples[100 + 50 * k] = float("nan") if k % 2 else float("inf")
data = struct.pack("<%df" % len(samples), *samples)
fmt = struct.pack("<HHIIHH", 3, 1, 16000, 16000 * 4, 4, 32)
body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data)) + data
open(sys.argv[1], "wb").write(b"RIFF" + struct.pack("<I", len(body)) + body)
PY
{ head -6 corpus/manifest.csv; echo "u5b,test,the story was good,audio/nan.wav,,,1"; } >corpus/nan.csv
expect_exit 2 "nan.csv:7 (id 'u5b'): " -- "$P" --run run --encoders enc.yaml corpus/nan.csv
grep -q "nan.wav: 12 non-finite samples" "$WORK/err" || fail "the count of non-finite samples: $(cat "$WORK/err")"
"$P" --run run --encoders enc.yaml corpus/nan.csv --set extract.on_error=skip --format jsonl >nan.jsonl 2>/dev/null \
  || fail "on_error=skip with a NaN WAV"
grep -q '"id": "u5b".*"audio": 0.000000.*audio (skipped: .*12 non-finite samples' nan.jsonl || fail "$(cat nan.jsonl)"
"$py" - <<'PY' || fail "not strict JSON: $(cat nan.jsonl)"
import json
def refuse(name):
    raise ValueError(name)  # NaN, Infinity: Python accepts them, JSON does not
for line in open("nan.jsonl"):
    json.loads(line, parse_constant=refuse)
PY
expect_exit 2 "nan.csv:7 (id 'u5b'): " -- "$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/nan.csv --out nan.h5
[ ! -e nan.h5 ] || fail "daf-extract wrote a cache after a bad utterance"
"$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/nan.csv --out nan.h5 extract.on_error=skip 2>/dev/null \
  || fail "daf-extract on_error=skip"
grep -q "u5b,audio,.*12 non-finite samples" nan.h5.skipped.csv || fail "skipped report: $(cat nan.h5.skipped.csv)"
echo "3: non-finite samples are bad utterances"

# 4. A row that leaves the head no input is a bad row.
printf 'id,text,audio\nok,the movie was great,\nnothing,,\n' >none.csv
expect_exit 2 "none.csv:3 (id 'nothing'): leaves the head no input" -- "$P" --run run --encoders enc.yaml none.csv
"$P" --run run --encoders enc.yaml none.csv --set extract.on_error=skip --out none.out.csv 2>log \
  || fail "on_error=skip with an empty row"
[ "$(wc -l <none.out.csv)" -eq 2 ] && grep -q "^ok," none.out.csv || fail "$(cat none.out.csv)"
grep -q "skipped: .*(id 'nothing'): leaves the head no input" log || fail "the skipped row is not listed: $(cat log)"
expect_exit 2 "leaves the head no input (text (no encoder)" -- \
  "$P" --run textrun --encoders enc.yaml --set text.encoder= --audio corpus/audio/u1.wav
printf '%s\n' '{"id": "a", "text": "fine"}' '{"id": "x", "audio": "missing.wav"}' |
  "$P" --run run --encoders enc.yaml --set extract.on_error=skip >skip.jsonl 2>/dev/null || fail "pipe with skip"
sed -n 2p skip.jsonl | grep -q '"line": 2, "error": ".*(id .x.): leaves the head no input' || fail "$(cat skip.jsonl)"
"$py" - <<'PY' || fail "a masked modality's weight is not 0"
import csv
for r in csv.DictReader(open("none.out.csv")):
    assert r["masked"] == "audio (no audio file)" and float(r["weight_audio"]) == 0.0, r
PY
echo "4: rows without input are bad rows; masked weights are 0"

# 5. Tokenizer settings or files other than the head's are refused like other encoders.
expect_exit 2 "the text tokenizer (fingerprint" -- "$P" --run run --encoders enc.yaml --set text.max_length=3 --text hi
expect_exit 2 "is not the one the head's 'text' features came from" -- \
  "$P" --run run --encoders enc.yaml --set text.bos_id=-1 --text hi
"$P" --run run --encoders enc.yaml --set text.max_length=3 --text hi --allow-other-encoders >/dev/null 2>log \
  || fail "--allow-other-encoders with another tokenizer"
grep -q "predicting anyway" log || fail "no warning: $(cat log)"
grep -q "text: text_encoder.pt sha256=[0-9a-f]* tokenizer=[0-9a-f]\{64\}" run/model.yaml || fail "no tokenizer fingerprint in model.yaml"
echo "5: the tokenizer fingerprint is checked"

# 6. Class indices are not regression targets or label values.
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "mood"; next } { print $0, ($7 >= 0 ? "good" : "bad") }' \
  corpus/manifest.csv >corpus/emo.csv
"$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/emo.csv --out emo.h5 extract.class_label=mood \
  "extract.classes=[bad, good]" 2>/dev/null || fail "daf-extract with class names"
expect_exit 2 "labels/mood holds class indices (attribute classes.mood: bad, good), not values for model.task regression" -- \
  "$DAF_BIN/daf-train" data.cache=emo.h5 data.target=mood data.modalities=[text] output.dir=r6
grep -q "model.task: multiclass" "$WORK/err" || fail "no pointer to multiclass"
expect_exit 2 "labels/mood holds class indices" -- "$DAF_BIN/daf-train" data.cache=emo.h5 model.task=multilabel \
  data.targets=[mood] data.modalities=[text] output.dir=r7
echo "6: class-index labels refused outside multiclass"

# 7. An unfinished run: daf-export and daf-eval say so and which epoch's weights they use.
"$DAF_BIN/daf-train" data.cache=out.h5 data.modalities=[text,audio] output.dir=cut train.max_epochs=6 model.dim=8 \
  train.patience=100 2>/dev/null || fail "daf-train cut"
rm cut/final_metrics.json  # as a run killed after its last epoch's checkpoint
"$DAF_BIN/daf-export" --run cut --out cut.pt 2>log || fail "export of an unfinished run"
grep -q "cut did not finish (6 of 6 epochs, no final_metrics.json): the weights are those of its best epoch so far, [1-6]" \
  log || fail "$(cat log)"
"$py" - <<'PY' || fail "the head does not record that its run did not finish"
import torch
head = torch.jit.load("cut.pt")
assert head.finished is False and 1 <= head.weights_epoch <= 6, (head.finished, head.weights_epoch)
PY
"$DAF_BIN/daf-eval" --run cut >/dev/null 2>log || fail "eval of an unfinished run"
grep -q "cut did not finish" log && grep -q "Unfinished run" cut/eval/test/report.md || fail "daf-eval: $(cat log)"
grep -q '"run_finished": false' cut/eval/test/metrics.json || fail "metrics.json"
"$DAF_BIN/daf-export" --run run --out run.pt 2>log && ! grep -q "did not finish" log || fail "a finished run called unfinished"
echo "7: unfinished runs are named"

# 10, 17. JSON Lines: RFC 8259 with surrogate pairs; errors say JSON with line and column.
"$py" -c 'import json
print(json.dumps({"id": "e", "text": "I love it \U0001F600"}))
print(json.dumps({"id": "z", "text": "fine \U0001F468\u200d\U0001F469\u200d\U0001F467 \U00020000"}))' >emoji.jsonl
"$P" --run run --encoders enc.yaml <emoji.jsonl >emoji.out 2>/dev/null || fail "emoji through the pipe"
[ "$(grep -c '"prediction"' emoji.out)" -eq 2 ] || fail "$(cat emoji.out)"
printf '%s\n' '{"id": "e", "text": "I love it \ud83d"}' >lone.jsonl
expect_exit 2 "standard input:1:" -- bash -c "'$P' --run run --encoders enc.yaml <lone.jsonl"
grep -q "not valid JSON" "$WORK/err" && ! grep -q YAML "$WORK/err" || fail "$(cat "$WORK/err")"
{ echo '{"id": "e", "text": "I love it \ud83d\ude00", "split": "test"}'; echo '{"id": "f", "text": x}'; } >bad.jsonl
expect_exit 2 "bad.jsonl:2:21: not valid JSON" -- "$P" --run run --encoders enc.yaml bad.jsonl
echo "10, 17: JSON read as JSON"

# 11, 12. A prediction manifest needs no split or labels; quoted line breaks are one field.
printf 'id,text,audio,speaker\ns1,"the movie\nwas great",corpus/audio/u1.wav,Ann\ns2,"say ""bad""",,Bob\n' >plain.csv
"$P" --run run --encoders enc.yaml plain.csv --out plain.out.csv 2>log || { cat log; fail "id,text,audio,speaker"; }
[ "$(cut -d, -f1 plain.out.csv | tr '\n' ' ')" = "id s1 s2 " ] || fail "$(cat plain.out.csv)"
printf 'id,split,text\nu1,test,"never closed\nu2,test,x\n' >open.csv
expect_exit 2 "open.csv:2: a quoted field opened on this line is never closed" -- "$P" --run run --encoders enc.yaml open.csv
echo "11, 12: prediction manifests, RFC 4180"

# 13, 14, 15. Directories and files where the other is expected.
mkdir adir
expect_exit 2 "adir: is a directory, expected a file" -- "$DAF_BIN/daf-tokenize" -c enc.yaml adir
expect_exit 2 "text.sentencepiece_model: adir: is a directory" -- "$DAF_BIN/daf-tokenize" -c enc.yaml text.sentencepiece_model=adir
expect_exit 2 "extract.manifest: adir: is a directory" -- "$DAF_BIN/daf-extract" -c enc.yaml --manifest adir --out y.h5
expect_exit 2 "extract.output: adir: is a directory" -- \
  "$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/manifest.csv --out adir
"$DAF_BIN/daf-synth" --preset tiny --out tiny.h5 2>/dev/null
echo x >afile
printf 'conditions:\n  - {name: dynamic}\nseeds: [1]\noutput: afile\nbase_config: {data: {cache: tiny.h5}}\n' >sweep.yaml
expect_exit 2 "afile: not a directory" -- "$DAF_BIN/daf-ablate" -c sweep.yaml
printf 'seeds: [1]\noutput: s\nbase_config: {data: {cache: tiny.h5}}\nconditions:\n  - {name: defaults}\nsearch:\n  space:\n    train.lr: {log_uniform: [1.0e-4, 1.0e-2]}\n  trials: 2\n  final:\n    top: 3\n' >top.yaml
expect_exit 2 "top.yaml:11: search.final.top: 3 is more than the 2 trials" -- "$DAF_BIN/daf-ablate" -c top.yaml
echo "13-15: directories, files and the line of final.top"

# 16. A presence threshold above every label value.
"$DAF_BIN/daf-synth" --preset emotions --out emo6.h5 synth.train_size=60 synth.valid_size=30 synth.test_size=30 2>/dev/null
expect_exit 2 "no label value in the train split is above data.presence_threshold 5 for 'happiness' (largest value 2.666667)" -- \
  "$DAF_BIN/daf-train" data.cache=emo6.h5 model.task=multilabel "data.targets=[happiness]" data.presence_threshold=5 \
  output.dir=r16
echo "16: presence threshold checked"
echo "e2e reliability: ok"
