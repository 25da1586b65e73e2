#!/usr/bin/env bash
# The whole pipeline from raw text and audio to a report, offline:
#  1. espeak-ng speaks sentences of known sentiment (scripts/speech_demo_corpus.py);
#  2. the exporter writes random-weight TorchScript encoders (TransformerEncoder
#     text model with a sentencepiece tokenizer trained on the sentences, and
#     torchaudio's wav2vec2_base) obeying daf-extract's contracts;
#  3. daf-extract embeds every utterance into data/speech-demo.h5;
#  4. daf-ablate trains DAF and the baselines (3 seeds) and writes the report.
# Every step is resumable; a rerun skips what is done. UTTERANCES=N resizes it.
# Installs and builds first on a fresh machine; with a build present, uses it.
# --work DIR writes data/ and runs/ there.
set -euo pipefail
tools="daf-extract daf-train daf-eval daf-ablate"
source "$(dirname "$0")/demo_setup.sh"
dir=data/speech-demo

/usr/bin/python3 "$repo"/scripts/speech_demo_corpus.py --out "$dir" --utterances "${UTTERANCES:-200}"
if [ ! -s "$dir/encoders/extract.yaml" ]; then
  /usr/bin/python3 "$repo"/scripts/encoders/export_encoders.py --out "$dir/encoders" --random \
    --text-corpus "$dir/sentences.txt" --vocab-size 300 2>/dev/null
fi
cat "$repo/configs/extract-speech-demo.yaml" "$dir/encoders/extract.yaml" >"$dir/extract.yaml"
"$bin/daf-extract" -c "$dir/extract.yaml"
"$bin/daf-ablate" --config "$repo/configs/ablate-speech-demo.yaml" --jobs "$(nproc)" >/dev/null

out=runs/speech-demo
echo
echo "== Spoken demo corpus, test split, mean ± std over 3 seeds (report: $work/$out/summary.md)"
bash "$repo/scripts/summary_table.sh" "$out/summary.csv"
echo
sed -n '/^## Gate weights of dynamic/,/^## Plots/p' "$out/summary.md" | sed '$d'
