#!/usr/bin/env bash
# The PyTorch reference (scripts/reference/daf_reference.py) must reproduce
# daf's predictions and gate weights within 1e-5 for every fusion variant.
# Skipped (exit 77) where Debian's python3-torch / h5py / yaml are missing.
source "$(dirname "$0")/common.sh"
py=/usr/bin/python3
if ! "$py" -c "import torch, h5py, yaml" 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 lacks torch, h5py or yaml (install python3-torch python3-h5py)"
  exit 77
fi
"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/tiny.h5" 2>/dev/null
common=(data.cache="$WORK/tiny.h5" train.max_epochs=2 model.dim=24 model.head_hidden=16 model.gate_hidden=8)
variants=(
  "dynamic model.fusion=dynamic model.gate=additive"
  "joint model.fusion=dynamic model.gate=joint model.activation=gelu model.temperature=0.5"
  "static model.fusion=static"
  "mean model.fusion=mean model.layer_norm=false"
  "concat model.fusion=concat model.activation=tanh model.head_layers=2"
  "unimodal data.modalities=[audio]"
  "classes model.task=seven_class model.fusion=dynamic"
)
for variant in "${variants[@]}"; do
  read -r name overrides <<<"$variant"
  # shellcheck disable=SC2086
  "$DAF_BIN/daf-train" "${common[@]}" $overrides output.dir="$WORK/$name" 2>/dev/null
  "$DAF_BIN/daf-eval" --run "$WORK/$name" --split test --out "$WORK/$name/eval" >/dev/null 2>&1
  "$py" "$DAF_SOURCE/scripts/reference/daf_reference.py" predict "$WORK/$name" --out "$WORK/$name/reference.csv"
  "$py" - "$WORK/$name/eval/predictions.csv" "$WORK/$name/reference.csv" "$name" <<'PY' || fail "$name: reference differs"
import csv, sys
daf = list(csv.DictReader(open(sys.argv[1])))
ref = list(csv.DictReader(open(sys.argv[2])))
assert len(daf) == len(ref) == 80, (len(daf), len(ref))
worst = 0.0
for a, b in zip(daf, ref):
    assert a["id"] == b["id"]
    predicted = a["predicted_class"] if "predicted_class" in a else a["prediction"]
    worst = max(worst, abs(float(predicted) - float(b["prediction"])))
    for key in a:
        if key.startswith("weight_"):
            worst = max(worst, abs(float(a[key]) - float(b[key])))
print(f"{sys.argv[3]}: max difference {worst:.2e}")
assert worst <= 1e-5, worst
PY
done
echo "e2e reference_parity: ok"
