#!/usr/bin/env bash
# The README's demo: builds daf, writes the synthetic MOSEI-shaped demo cache,
# trains dynamic fusion (DAF) and every baseline over several seeds, evaluates
# one model with and without a modality, and prints the comparison table.
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS=${DAF_DEMO_SEEDS:-"1111 1112 1113"}

bash scripts/install-deps.sh
DAF_TARGETS="daf-synth daf-train daf-eval" bash scripts/build.sh
bin=build/apps
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2

mkdir -p data runs/demo
"$bin/daf-synth" --preset demo --out data/demo.h5

# condition name -> overrides
declare -A conditions=(
  [dynamic]="model.fusion=dynamic"
  [static]="model.fusion=static"
  [mean]="model.fusion=mean"
  [concat]="model.fusion=concat"
  [text]="data.modalities=[text]"
  [audio]="data.modalities=[audio]"
  [video]="data.modalities=[video]"
)
order="dynamic static mean concat text audio video"
for name in $order; do
  for seed in $SEEDS; do
    run=runs/demo/$name-seed$seed
    echo "== $name, seed $seed"
    # shellcheck disable=SC2086
    "$bin/daf-train" --config configs/demo.yaml ${conditions[$name]} train.seed="$seed" \
      output.dir="$run" output.overwrite=true output.log_level=warn
  done
done

echo
echo "== daf-eval of dynamic fusion (seed ${SEEDS%% *}): all modalities, then text masked"
first=runs/demo/dynamic-seed${SEEDS%% *}
"$bin/daf-eval" --run "$first" | sed -n '/## Fusion weights/,$p'
"$bin/daf-eval" --run "$first" --mask text | sed -n '/## Metrics/,/## Fusion/p' | grep '^|'

# Mean ± std over seeds of the test metrics, from each run's final_metrics.csv.
# (awk pads by bytes: "±" is two, hence one extra in the widths below.)
summary=runs/demo/summary.md
{
  echo "| condition | test MAE (mean ± std) | test Has0_F1_score | test Corr       | seeds |"
  echo "|-----------|-----------------------|--------------------|-----------------|-------|"
  for name in $order; do
    cat runs/demo/$name-seed*/final_metrics.csv | awk -F, -v name="$name" '
      $1 == "test" { n[$2]++; s[$2] += $3; q[$2] += $3 * $3 }
      function fmt(k,   m) { m = s[k] / n[k]; return sprintf("%.4f ± %.4f", m, sqrt(q[k] / n[k] - m * m + 1e-18)) }
      END { printf "| %-9s | %-22s | %-19s | %-16s | %-5d |\n", name, fmt("MAE"), fmt("Has0_F1_score"), fmt("Corr"), n["MAE"] }'
  done
} >"$summary"
echo
echo "== Demo results (test split, $(echo $SEEDS | wc -w) seeds; also in $summary)"
cat "$summary"
