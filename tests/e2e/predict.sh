#!/usr/bin/env bash
# daf-predict: the encoders of an extract config and a trained head on new utterances --
# a manifest (same numbers as daf-eval on the cache daf-extract made from it), a head that
# daf-export wrote, one utterance, JSON Lines through a pipe (missing modalities masked,
# bad lines under on_error), and encoders other than the head's (refused, or allowed).
source "$(dirname "$0")/common.sh"
cd "$WORK"
P="$DAF_BIN/daf-predict"
predict_fixture 60
"$DAF_BIN/daf-eval" --run run >/dev/null 2>&1 || fail "daf-eval"

grep -q "^encoders:" run/model.yaml && grep -q "text: text_encoder.pt sha256=" run/model.yaml \
  || fail "model.yaml does not record the encoders: $(cat run/model.yaml | head -20)"

# A manifest: the test rows' predictions and weights are daf-eval's.
"$P" --run run --encoders enc.yaml corpus/manifest.csv --out pred.csv 2>log || { cat log; fail "daf-predict on a manifest"; }
grep -q "loaded the head and encoders in" log && grep -q "utterances/s" log || { cat log; fail "no load time or rate"; }
head -1 pred.csv | grep -qx "id,prediction,weight_text,weight_audio,masked" || fail "header: $(head -1 pred.csv)"
"$py" - pred.csv run/eval/test/predictions.csv <<'PY' || fail "daf-predict differs from daf-eval"
import csv, sys
pred = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]))}
ref = list(csv.DictReader(open(sys.argv[2])))
assert len(pred) == 60 and ref, (len(pred), len(ref))
worst = 0.0
for r in ref:
    p = pred[r["id"]]
    worst = max(worst, abs(float(p["prediction"]) - float(r["prediction"])))
    for m in ("text", "audio"):
        assert abs(float(p["weight_" + m]) - float(r["weight_" + m])) <= 1e-6, (r, p)
    assert p["masked"] == "", p
assert worst <= 1e-6, worst
print(f"daf-predict vs daf-eval: {len(ref)} test rows, max |prediction difference| {worst:.2e}")
PY

# A head that daf-export wrote gives the same.
"$DAF_BIN/daf-export" --run run --out head.pt 2>/dev/null || fail "daf-export"
"$P" --model head.pt --encoders enc.yaml corpus/manifest.csv --out pred2.csv 2>/dev/null || fail "daf-predict --model"
cmp pred.csv pred2.csv || fail "--model head.pt and --run give different predictions"

# One utterance, and JSON Lines through a pipe: one answer per line, a missing modality masked.
"$P" --run run --encoders enc.yaml --text "the plot was bad" --audio corpus/audio/u0.wav --format jsonl >one.json \
  2>/dev/null || fail "one utterance"
grep -q '"id": "utterance", "prediction": ' one.json || fail "one utterance: $(cat one.json)"
printf '%s\n' '{"id": "a", "text": "the plot was bad", "audio": "corpus/audio/u0.wav"}' '{"id": "b", "text": "great"}' \
  '{"id": "c", "audio": "corpus/audio/u1.wav", "start": 0.1}' >in.jsonl
"$P" --run run --encoders enc.yaml <in.jsonl >out.jsonl 2>/dev/null || fail "JSON Lines from standard input"
[ "$(wc -l <out.jsonl)" -eq 3 ] || fail "expected 3 answers: $(cat out.jsonl)"
sed -n 2p out.jsonl | grep -q '"masked": \["audio (no audio file)"\]' || fail "b: $(sed -n 2p out.jsonl)"
sed -n 2p out.jsonl | grep -q '"audio": 0.000000' || fail "b's audio weight: $(sed -n 2p out.jsonl)"
sed -n 3p out.jsonl | grep -q '"masked": \["text (empty text)"\]' || fail "c: $(sed -n 3p out.jsonl)"
grep -q '"id": "a".*"prediction"' out.jsonl || fail "a: $(head -1 out.jsonl)"
# Bad lines: fail stops naming the line; skip answers with the error and goes on.
printf '%s\n' '{"id": "a", "text": "ok"}' 'not json {' '{"id": "x", "audio": "missing.wav"}' >bad.jsonl
expect_exit 2 "standard input:2" -- bash -c "'$P' --run run --encoders enc.yaml <bad.jsonl"
"$P" --run run --encoders enc.yaml --set extract.on_error=skip <bad.jsonl >skip.jsonl 2>/dev/null \
  || fail "on_error=skip through a pipe"
[ "$(wc -l <skip.jsonl)" -eq 3 ] && grep -q '"line": 2, "error"' skip.jsonl || fail "skip: $(cat skip.jsonl)"
# x's audio cannot be decoded and it has no text: nothing is left to predict from.
grep -q '"line": 3, "error": ".*(id .x.): leaves the head no input (text (empty text); audio (skipped: ' skip.jsonl \
  || fail "x: $(cat skip.jsonl)"
printf '%s\n' '{"id": "y", "text": "fine", "audio": "missing.wav"}' |
  "$P" --run run --encoders enc.yaml --set extract.on_error=skip >skip2.jsonl 2>/dev/null || fail "y"
grep -q '"id": "y".*"audio": 0.000000.*"masked": \[.*audio (skipped: ' skip2.jsonl || fail "undecodable audio not masked: $(cat skip2.jsonl)"

# Encoders other than the head's: refused naming both; allowed with the flag.
expect_exit 2 "is not the encoder the head's 'audio' features came from" -- "$P" --run run --encoders enc.yaml \
  --set audio.encoder=enc/speech_no_lengths.pt --text hi
"$P" --run run --encoders enc.yaml --set audio.encoder=enc/speech_no_lengths.pt --text hi --allow-other-encoders \
  >/dev/null 2>log || { cat log; fail "--allow-other-encoders"; }
grep -q "predicting anyway" log || fail "no warning with --allow-other-encoders"
expect_exit 2 "give exactly one of --run DIR and --model HEAD.pt" -- "$P" --encoders enc.yaml --text hi
expect_exit 2 "head.csv: not a TorchScript module" -- bash -c "cp pred.csv head.csv; '$P' --model head.csv --encoders enc.yaml --text hi"
# Emotion heads: a manifest column of class names (extract.class_label) and two label
# columns; multiclass and multilabel heads predict what daf-eval reports.
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "mood", "upbeat", "downbeat"; next }
         { print $0, ($7 >= 0 ? "good" : "bad"), ($7 > 0 ? 1 : 0), ($7 < 0 ? 1 : 0) }' corpus/manifest.csv >corpus/emo.csv
"$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/emo.csv --out emo.h5 extract.class_label=mood "extract.classes=[bad, good]" \
  2>/dev/null || fail "daf-extract with class names"
expect_exit 2 "emo.csv:4: label 'mood': class 'good' is not one of extract.classes [bad, fine]" -- \
  "$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/emo.csv --out emo2.h5 extract.class_label=mood "extract.classes=[bad, fine]"
heads=("mc model.task=multiclass data.target=mood data.classes=[bad,good]"
       "ml model.task=multilabel data.targets=[upbeat,downbeat]")
for head in "${heads[@]}"; do
  read -r name overrides <<<"$head"
  # shellcheck disable=SC2086
  "$DAF_BIN/daf-train" data.cache=emo.h5 data.modalities=[text,audio] output.dir=$name train.max_epochs=3 model.dim=8 \
    $overrides 2>/dev/null || fail "daf-train $name"
  "$DAF_BIN/daf-eval" --run $name >/dev/null 2>&1 || fail "daf-eval $name"
  "$P" --run $name --encoders enc.yaml corpus/manifest.csv --out $name.csv 2>/dev/null || fail "daf-predict $name"
  "$P" --run $name --encoders enc.yaml --text "the plot was bad" --format jsonl >$name.json 2>/dev/null || fail "jsonl $name"
  "$py" - $name.csv $name/eval/test/predictions.csv $name.json $name <<'PY' || fail "daf-predict $name differs from daf-eval"
import csv, json, sys
pred = {r["id"]: r for r in csv.DictReader(open(sys.argv[1]))}
ref = list(csv.DictReader(open(sys.argv[2])))
one = json.loads(open(sys.argv[3]).readline())
multilabel = sys.argv[4] == "ml"
names = ["upbeat", "downbeat"] if multilabel else ["bad", "good"]
assert set(one["probabilities"]) == set(names), one
assert ("labels" in one) == multilabel and ("class" in one) != multilabel, one
for r in ref:
    p = pred[r["id"]]
    for c in names:
        assert abs(float(p["probability_" + c]) - float(r["probability_" + c])) <= 1e-6, (r, p)
    if multilabel:
        present = [c for c in names if r["predicted_" + c] == "1"]
        assert p["labels"] == ";".join(present), (p, present)
    else:
        assert p["class"] == names[int(r["predicted_class"])], (p, r)
print(f"{sys.argv[4]}: {len(ref)} test rows agree")
PY
done

# Overrides as positional section.key=value arguments, as every tool takes them (the hint says so).
printf 'id,text,audio\nok,fine,\nx,,missing.wav\n' >pos.csv
expect_exit 2 "set extract.on_error=skip" -- "$P" --run run --encoders enc.yaml pos.csv
"$P" --run run --encoders enc.yaml pos.csv extract.on_error=skip --out pos.out.csv 2>/dev/null || fail "positional override"
[ "$(wc -l <pos.out.csv)" -eq 2 ] && grep -q "^ok," pos.out.csv || fail "positional override: $(cat pos.out.csv)"
expect_exit 2 "two manifests given ('pos.csv' and 'in.jsonl')" -- "$P" --run run --encoders enc.yaml pos.csv in.jsonl

# GLOG_minloglevel is set (LibTorch quiet) even when the user set OMP_WAIT_POLICY alone.
mkfifo lines
env -u GLOG_minloglevel OMP_WAIT_POLICY=PASSIVE "$P" --run run --encoders enc.yaml <lines >/dev/null 2>&1 &
pid=$!
exec 3>lines  # the pipe stays open, so daf-predict waits for its first line
found=0
for _ in $(seq 300); do
  if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "GLOG_minloglevel=2"; then found=1; break; fi
  sleep 0.1
done
exec 3>&-
wait "$pid" || true
[ "$found" -eq 1 ] || fail "GLOG_minloglevel was not set when OMP_WAIT_POLICY was"

echo "e2e predict: ok"
