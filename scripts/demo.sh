#!/usr/bin/env bash
# The README's demo: builds daf, writes the synthetic MOSEI-shaped demo cache,
# runs the ablation sweep configs/ablate-demo.yaml (dynamic fusion against
# static, mean, concat and unimodal heads, 3 seeds each, plus robustness
# evaluations) and prints the comparison.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
DAF_TARGETS="daf-synth daf-train daf-eval daf-ablate" bash scripts/build.sh
bin=build/apps
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2

mkdir -p data
"$bin/daf-synth" --preset demo --out data/demo.h5
"$bin/daf-ablate" --config configs/ablate-demo.yaml --jobs "$(nproc)" >/dev/null

out=runs/ablate-demo
echo
echo "== Test split, mean ± std over 3 seeds (full report with plots: $out/summary.md)"
bash scripts/summary_table.sh "$out/summary.csv"
echo
sed -n '/^## dynamic vs static/,/^## Robustness/p' "$out/summary.md" | sed '$d'
sed -n '/^## Gate weights of dynamic/,/^## Plots/p' "$out/summary.md" | sed '$d'

echo "== daf-eval of one dynamic model with the text modality missing"
"$bin/daf-eval" --run "$out/dynamic/seed-1111" --mask text 2>/dev/null | sed -n '/^## Metrics/,/^## Fusion/p' | grep '^|'
