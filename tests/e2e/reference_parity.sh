#!/usr/bin/env bash
# The PyTorch reference (scripts/reference/daf_reference.py) must reproduce
# daf's predictions, class/label probabilities, gate weights and the loss
# (class and positive weights included) within 1e-5 for every fusion variant
# and task.
# Skipped (exit 77) where Debian's python3-torch / h5py / yaml are missing.
source "$(dirname "$0")/common.sh"
py=/usr/bin/python3
if ! "$py" -c "import torch, h5py, yaml" 2>/dev/null; then
  echo "SKIP: /usr/bin/python3 lacks torch, h5py or yaml (install python3-torch python3-h5py)"
  exit 77
fi
"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/tiny.h5" 2>/dev/null
tiny_sizes=(synth.train_size=240 synth.valid_size=80 synth.test_size=80)
"$DAF_BIN/daf-synth" --preset categorical "${tiny_sizes[@]}" --out "$WORK/cat.h5" 2>/dev/null
"$DAF_BIN/daf-synth" --preset emotions "${tiny_sizes[@]}" --out "$WORK/emo.h5" 2>/dev/null
common=(data.cache="$WORK/tiny.h5" train.max_epochs=2 model.dim=24 model.head_hidden=16 model.gate_hidden=8)
variants=(
  "dynamic model.fusion=dynamic model.gate=additive"
  "joint model.fusion=dynamic model.gate=joint model.activation=gelu model.temperature=0.5"
  "static model.fusion=static"
  "mean model.fusion=mean model.layer_norm=false"
  "concat model.fusion=concat model.activation=tanh model.head_layers=2"
  "unimodal data.modalities=[audio]"
  "classes model.task=seven_class model.fusion=dynamic"
  "weighted model.task=binary train.class_weights=[1,3]"
  "multiclass data.cache=$WORK/cat.h5 model.task=multiclass data.target=emotion data.classes=[neutral,happy,sad,angry] train.class_weights=balanced"
  "multilabel data.cache=$WORK/emo.h5 model.task=multilabel data.targets=[happiness,sadness,anger,surprise,disgust,fear] train.pos_weight=balanced model.fusion=static"
)
for variant in "${variants[@]}"; do
  read -r name overrides <<<"$variant"
  # shellcheck disable=SC2086
  "$DAF_BIN/daf-train" "${common[@]}" $overrides output.dir="$WORK/$name" 2>/dev/null
  "$DAF_BIN/daf-eval" --run "$WORK/$name" --split test --out "$WORK/$name/eval" >/dev/null 2>&1
  "$py" "$DAF_SOURCE/scripts/reference/daf_reference.py" predict "$WORK/$name" --out "$WORK/$name/reference.csv" \
    >"$WORK/$name/reference.log" || fail "$name: the reference failed"
  "$py" - "$WORK/$name/eval" "$WORK/$name/reference.csv" "$WORK/$name/reference.log" "$name" <<'PY' \
    || fail "$name: reference differs"
import csv, json, sys
daf = list(csv.DictReader(open(sys.argv[1] + "/predictions.csv")))
ref = list(csv.DictReader(open(sys.argv[2])))
assert len(daf) == len(ref) == 80, (len(daf), len(ref))
worst = 0.0
for a, b in zip(daf, ref):
    assert a["id"] == b["id"]
    if "predicted_class" in a or "prediction" in a:
        predicted = a["predicted_class"] if "predicted_class" in a else a["prediction"]
        worst = max(worst, abs(float(predicted) - float(b["prediction"])))
    else:  # multilabel: the labels predicted present
        present = [k[len("predicted_"):] for k in a if k.startswith("predicted_") and a[k] == "1"]
        assert ";".join(present) == b["prediction"], (present, b["prediction"])
    for key in a:
        if key.startswith("weight_") or key.startswith("probability_"):
            worst = max(worst, abs(float(a[key]) - float(b[key])))
# The split's loss, with the loss weights the reference computed from the train split itself.
loss = float(open(sys.argv[3]).read().split()[1])
daf_loss = json.load(open(sys.argv[1] + "/metrics.json"))["metrics"]["loss"]
print(f"{sys.argv[4]}: max difference {worst:.2e}, loss {daf_loss:.6f} vs {loss:.6f}")
assert worst <= 1e-5, worst
assert abs(loss - daf_loss) <= 1e-5 * max(1.0, abs(loss)), (loss, daf_loss)
PY
done
echo "e2e reference_parity: ok"
