#!/usr/bin/env bash
# Benchmark (not a test) of daf-extract: padding efficiency and throughput of
# length-bucketed vs manifest-order batching, on the same encoders and corpus:
# the espeak-ng demo corpus and the random-weight exported encoders
# (TransformerEncoder text model, torchaudio wav2vec2_base) that
# scripts/speech-demo.sh makes. Prints one Markdown table.
#   scripts/bench_extract.sh            # audio: the first 80 utterances
#   UTTERANCES=200 scripts/bench_extract.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n=${UTTERANCES:-80}
dir=data/speech-demo
bin=build/apps
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
[ -s "$dir/encoders/extract.yaml" ] || { echo "run scripts/speech-demo.sh first (it makes the corpus and encoders)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -n "$((n + 1))" "$dir/manifest.csv" | sed "s#,wav/#,$PWD/$dir/wav/#" >"$work/audio.csv"
# Texts are cheap: every sentence 25 times (ids made unique) so the text pass measures the encoder, not start-up.
awk -F, -v OFS=, 'NR == 1 { print; next } { rows[NR] = $0 }
  END { for (k = 0; k < 25; k++) for (i = 2; i <= NR; i++) { $0 = rows[i]; $1 = $1 "-" k; print } }' \
  "$dir/manifest.csv" >"$work/text.csv"

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); LibTorch threads: all cores"
echo "Corpus: text: $(($(wc -l <"$work/text.csv") - 1)) sentences (the $dir sentences x 25); audio: $n utterances of $dir (espeak-ng, 22.05 kHz resampled to 16 kHz)"
echo
echo "| modality | batching | padding efficiency | utterances/s | tokens/s or s of audio/s | wall s |"
echo "|---|---|---|---|---|---|"
for modality in text audio; do
  for bucketing in true false; do
    other=$([ "$modality" = text ] && echo audio || echo text)
    { printf "extract:\n  manifest: %s\n  output: %s\n" "$work/$modality.csv" "$work/$modality-$bucketing.h5"
      cat "$dir/encoders/extract.yaml"; } >"$work/cfg.yaml"
    start=$(date +%s.%N)
    "$bin/daf-extract" -c "$work/cfg.yaml" extract.bucketing=$bucketing "$other.encoder=" 2>"$work/log"
    wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
    line=$(grep "] info: $modality: .* utterances in " "$work/log")
    eff=$(echo "$line" | sed -E 's/.*padding efficiency ([0-9.]+%).*/\1/')
    ups=$(echo "$line" | sed -E 's/.*\(([0-9.]+) utterances\/s.*/\1/')
    rate=$(echo "$line" | sed -E 's/.*, ([0-9.]+) (tokens\/s|s of audio per second).*/\1/')
    label=$([ "$bucketing" = true ] && echo "length-bucketed" || echo "manifest order")
    printf "| %s | %s | %s | %s | %s | %.1f |\n" "$modality" "$label" "$eff" "$ups" "$rate" "$wall"
  done
done
