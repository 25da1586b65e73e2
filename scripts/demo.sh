#!/usr/bin/env bash
# The README's demo: builds daf, writes the synthetic MOSEI-shaped demo cache,
# runs the ablation sweep configs/ablate-demo.yaml (dynamic fusion against
# static, mean, concat and unimodal heads, 3 seeds each, plus robustness
# evaluations) and prints the comparison. Installs and builds first on a fresh
# machine; with a build present, uses it. --work DIR writes data/ and runs/ there.
set -euo pipefail
tools="daf-synth daf-train daf-eval daf-ablate"
source "$(dirname "$0")/demo_setup.sh"

mkdir -p data
"$bin/daf-synth" --preset demo --out data/demo.h5
"$bin/daf-ablate" --config "$repo/configs/ablate-demo.yaml" --jobs "$(nproc)" >/dev/null

out=runs/ablate-demo
echo
echo "== Test split, mean ± std over 3 seeds (full report with plots: $work/$out/summary.md)"
bash "$repo/scripts/summary_table.sh" "$out/summary.csv"
echo
awk '/^## /{p = /^## dynamic vs static/} p' "$out/summary.md"  # the comparison section alone (the slice analysis follows it)
sed -n '/^## Gate weights of dynamic/,/^## Plots/p' "$out/summary.md" | sed '$d'
echo "== Where dynamic beats static (slice analysis; every family: $work/$out/summary.md)"
for family in conflict degraded; do
  sed -n "/^### $family\$/,/^##/p" "$out/summary.md" | sed '$d' | grep -v '^!\['
done

echo "== daf-eval of one dynamic model with the text modality missing"
"$bin/daf-eval" --run "$out/dynamic/seed-1111" --mask text 2>/dev/null | sed -n '/^## Metrics/,/^## Fusion/p' | grep '^|'
echo
echo "== The whole report as one page (open it in a browser; it needs nothing else): $work/$out/summary.html"
