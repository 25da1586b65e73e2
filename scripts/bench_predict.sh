#!/usr/bin/env bash
# Benchmark (not a test) of daf-predict on real recordings (asterisk-core-sounds-en-wav,
# 8 kHz; installed by scripts/install-deps.sh; the labels are made up, only speed counts here): start-up for one utterance, throughput for
# 1,000 (a manifest of the 568 prompts, twice) and through a pipe, with the tests' tiny
# encoders (daf-test-fixtures: the cost of daf-predict itself) and, where
# scripts/speech-demo.sh made them, the random-weight wav2vec2_base + TransformerEncoder.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/apps
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
d=/usr/share/asterisk/sounds/en_US_f_Allison
zcat /usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz | awk -F': ' -v d=$d '
  BEGIN { print "id,split,text,audio,sentiment" }
  /^[a-z]/ { f = d "/" $1 ".wav"; gsub(/"/, "", $2)
             if ((getline line < f) > 0) { close(f); for (r = 0; r < 2; r++) { k = n++ % 5
               printf "%s-%d,%s,\"%s\",%s,%d\n", $1, r, k == 0 ? "test" : k == 1 ? "valid" : "train", $2, f, n % 7 - 3 } } }' \
  >"$work/prompts.csv"
head -1001 "$work/prompts.csv" >"$work/m1000.csv"
"$bin/daf-test-fixtures" encoders "$work/enc" >/dev/null
"$bin/daf-test-fixtures" corpus "$work/corpus" 4 >/dev/null 2>&1
seconds() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1; awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo
echo "| encoders | start-up + 1 utterance s | manifest s (utterances) | utterances/s after start-up | 100 through a pipe s |"
echo "|---|---|---|---|---|"
run() {  # SLUG NAME ENCODER_CONFIG
  local slug=$1 name=$2 cfg=$3
  "$bin/daf-extract" -c "$cfg" --manifest "$work/m1000.csv" --out "$work/$slug.h5" >/dev/null 2>&1
  "$bin/daf-train" data.cache="$work/$slug.h5" data.modalities=[text,audio] output.dir="$work/run-$slug" \
    train.max_epochs=1 >/dev/null 2>&1
  local one all pipe n
  n=$(($(wc -l <"$work/m1000.csv") - 1))
  one=$(seconds "$bin/daf-predict" --run "$work/run-$slug" --encoders "$cfg" --text "Please hold." --audio "$d/activated.wav")
  all=$(seconds "$bin/daf-predict" --run "$work/run-$slug" --encoders "$cfg" "$work/m1000.csv")
  awk -F, -v OFS= 'NR > 1 && NR <= 101 { gsub(/"/, "", $3); print "{\"id\": \"", $1, "\", \"text\": \"", $3, "\", \"audio\": \"", $4, "\"}" }' \
    "$work/m1000.csv" >"$work/pipe.jsonl"
  pipe=$(seconds bash -c "'$bin/daf-predict' --run '$work/run-$slug' --encoders '$cfg' <'$work/pipe.jsonl'")
  awk -v name="$name" -v n="$n" -v o="$one" -v a="$all" -v p="$pipe" \
    'BEGIN { printf "| %s | %s | %s (%d) | %.1f | %s |\n", name, o, a, n, n / (a - o), p }'
}
printf 'text: {encoder: %s/enc/text_encoder.pt, tokenizer: sentencepiece, sentencepiece_model: %s/corpus/spm.model}\naudio: {encoder: %s/enc/speech_encoder.pt}\n' \
  "$work" "$work" "$work" >"$work/tiny.yaml"
run tiny "tiny (daf-test-fixtures)" "$work/tiny.yaml"
if [ -s data/speech-demo/encoders/extract.yaml ]; then
  head -51 "$work/prompts.csv" >"$work/m1000.csv"  # the 95 M-parameter wav2vec2_base: 50 utterances
  run demo "wav2vec2_base + TransformerEncoder (random)" data/speech-demo/encoders/extract.yaml
fi

# The pipe's cost per line beyond encoding one utterance (a loaded-once tokenizer and
# encoders): a BERT-shaped random text encoder (dim 256, 2 layers) with bert-base-uncased's
# 30,522-token vocabulary; 200 texts through the pipe, as a manifest encoded one text per
# batch (the same encoding work without the pipe), and as a manifest batched as usual.
echo
node tests/reference/vocabularies.js "$work/voc" >/dev/null
/usr/bin/python3 scripts/encoders/export_encoders.py --out "$work/bert" --random --no-speech --text-tokenizer wordpiece \
  --vocab "$work/voc/bert-base-uncased-vocab.txt" --text-dim 256 --text-layers 2 --max-length 50 >/dev/null
/usr/bin/python3 - "$work/prompts.csv" "$work/t200.csv" "$work/t200.jsonl" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))[:200]
with open(sys.argv[2], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "split", "text", "sentiment"])
    for r in rows:
        w.writerow([r["id"], r["split"], r["text"], r["sentiment"]])
with open(sys.argv[3], "w") as f:
    for r in rows:
        f.write(json.dumps({"id": r["id"], "text": r["text"]}) + "\n")
PY
"$bin/daf-extract" -c "$work/bert/extract.yaml" extract.manifest="$work/t200.csv" extract.output="$work/bert.h5" >/dev/null 2>&1
"$bin/daf-train" data.cache="$work/bert.h5" data.modalities=[text] output.dir="$work/run-bert" train.max_epochs=1 \
  >/dev/null 2>&1
predict=("$bin/daf-predict" --run "$work/run-bert" --encoders "$work/bert/extract.yaml")
pipe=$(seconds bash -c "$(printf '%q ' "${predict[@]}") <'$work/t200.jsonl'")
single=$(seconds "${predict[@]}" "$work/t200.csv" --set text.batch_size=1 --set extract.bucketing=false)
batched=$(seconds "${predict[@]}" "$work/t200.csv")
echo "| 200 texts, BERT-shaped encoder (dim 256, 2 layers, 30,522 ids) | seconds (start-up included) | utterances/s |"
echo "|---|---|---|"
for row in "JSON Lines through the pipe:$pipe" "manifest, one text per batch:$single" "manifest, batched:$batched"; do
  awk -v name="${row%%:*}" -v s="${row##*:}" 'BEGIN { printf "| %s | %.2f | %.0f |\n", name, s, 200 / s }'
done
awk -v p="$pipe" -v s="$single" 'BEGIN { printf "\nPipe overhead per line beyond encoding one utterance: %.3f ms\n", (p - s) / 200 * 1000 }'
