#!/usr/bin/env bash
# Benchmark (not a test) of tokenization: daf-tokenize's lines/s with WordPiece
# (bert-base-uncased's vocabulary), byte-level BPE (GPT-2's) and sentencepiece (a
# model trained here on the same corpus, 16,000 pieces), next to Hugging Face's own
# tokenizers through their npm binding; then daf-extract's text throughput with the
# BERT-shaped random encoder. Needs a build and scripts/install-deps.sh (npm references).
#   scripts/bench_tokenize.sh            # 20,000 lines of the parity corpus
#   LINES=50000 scripts/bench_tokenize.sh
set -euo pipefail
cd "$(dirname "$0")/.."
lines=${LINES:-20000}
bin=build/apps
ref=tests/reference
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node "$ref/vocabularies.js" "$work/voc" >/dev/null
python3 "$ref/parity_corpus.py" "$work/corpus.txt" "$lines" 11
spm_train --input="$work/corpus.txt" --model_prefix="$work/spm" --vocab_size=16000 --character_coverage=0.995 \
  --hard_vocab_limit=false --minloglevel=2 --input_sentence_size=100000 >/dev/null 2>&1
printf 'text: {}\n' >"$work/empty.yaml"
seconds() { local start; start=$(date +%s.%N); "$@" >/dev/null; awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "Corpus: $lines lines, $(wc -c <"$work/corpus.txt") bytes (tests/reference/parity_corpus.py, seed 11)"
echo
echo "| tokenizer | daf-tokenize lines/s | start-up s | Hugging Face (npm, one encode() per line) lines/s |"
echo "|---|---|---|---|"
bert="text.tokenizer=wordpiece text.vocab=$work/voc/bert-base-uncased-vocab.txt text.max_length=512"
gpt2="text.tokenizer=bpe text.vocab=$work/voc/gpt2-vocab.json text.merges=$work/voc/gpt2-merges.txt text.max_length=512"
spm="text.tokenizer=sentencepiece text.sentencepiece_model=$work/spm.model text.max_length=512"
for name in wordpiece bpe sentencepiece; do
  case $name in wordpiece) o=$bert; r=(bert "$work/voc/bert-base-uncased-vocab.txt" 512) ;;
                bpe) o=$gpt2; r=(gpt2 "$work/voc/gpt2-vocab.json" "$work/voc/gpt2-merges.txt" 512) ;;
                sentencepiece) o=$spm; r=() ;; esac
  # shellcheck disable=SC2086
  start=$(seconds "$bin/daf-tokenize" -c "$work/empty.yaml" /dev/null $o)
  # shellcheck disable=SC2086
  total=$(seconds "$bin/daf-tokenize" -c "$work/empty.yaml" "$work/corpus.txt" $o)
  hf="-"
  if [ ${#r[@]} -gt 0 ]; then
    hf_s=$(seconds node "$ref/hf_tokenize.js" "${r[@]}" <"$work/corpus.txt")
    hf=$(awk -v n="$lines" -v s="$hf_s" 'BEGIN { printf "%.0f", n / s }')
  fi
  awk -v n="$lines" -v t="$total" -v s="$start" -v name=$name -v hf="$hf" \
    'BEGIN { printf "| %s | %.0f | %.2f | %s |\n", name, n / (t - s), s, hf }'
done

echo
python3 - "$work/corpus.txt" "$work/manifest.csv" <<'PY'
import csv, sys
texts = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if l.strip()][:4000]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["id", "split", "text"])
    for i, t in enumerate(texts):
        w.writerow([f"u{i}", ["train", "valid", "test"][i % 3], t])
PY
echo "| daf-extract text pass, BERT-shaped random encoder | utterances/s | tokens/s | padding efficiency |"
echo "|---|---|---|---|"
for shape in "256 2" "768 12"; do
  set -- $shape
  /usr/bin/python3 scripts/encoders/export_encoders.py --out "$work/bert-$1" --random --no-speech \
    --text-tokenizer wordpiece --vocab "$work/voc/bert-base-uncased-vocab.txt" --text-dim "$1" --text-layers "$2" \
    --max-length 50 >/dev/null
  { printf "extract:\n  manifest: %s\n  output: %s\n" "$work/manifest.csv" "$work/bert-$1.h5"
    cat "$work/bert-$1/extract.yaml"; } >"$work/bert-$1.yaml"
  n=$([ "$1" = 768 ] && echo 1000 || echo 4000)
  head -n $((n + 1)) "$work/manifest.csv" >"$work/m.csv"
  "$bin/daf-extract" -c "$work/bert-$1.yaml" extract.manifest="$work/m.csv" extract.on_error=skip 2>"$work/log"
  line=$(grep "] info: text: .* utterances in " "$work/log")
  ups=$(echo "$line" | sed -E 's/.*\(([0-9.]+) utterances\/s.*/\1/')
  tps=$(echo "$line" | sed -E 's/.*utterances\/s, ([0-9.]+) tokens\/s.*/\1/')
  eff=$(echo "$line" | sed -E 's/.*padding efficiency ([0-9.]+%).*/\1/')
  echo "| dim $1, $2 layers, max_length 50, $n texts | $ups | $tps | $eff |"
done
