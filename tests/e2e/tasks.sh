#!/usr/bin/env bash
# Emotion tasks end to end: multiclass (IEMOCAP-style classes) and multilabel
# (MOSEI-style emotions) on daf-synth's emotion presets: train, evaluate
# (metrics recomputed in Python from predictions.csv, with scikit-learn's
# definitions written out independently), export (TorchScript in PyTorch), a
# sweep with its summary, comparison and gate tables, and bad labels.
source "$(dirname "$0")/common.sh"
require_numpy_h5py
small=(synth.train_size=300 synth.valid_size=100 synth.test_size=120 synth.text_dim=32 synth.audio_dim=16 synth.video_dim=8)
"$DAF_BIN/daf-synth" --preset categorical "${small[@]}" synth.emotion_signal=1.5 --out "$WORK/cat.h5" 2>/dev/null
"$DAF_BIN/daf-synth" --preset emotions "${small[@]}" --out "$WORK/emo.h5" 2>/dev/null
common=(model.dim=24 model.head_hidden=16 model.gate_hidden=8 train.max_epochs=10 train.lr=0.005 output.log_level=warn)
multiclass=(data.cache="$WORK/cat.h5" model.task=multiclass data.target=emotion "data.classes=[neutral, happy, sad, angry]")
multilabel=(data.cache="$WORK/emo.h5" model.task=multilabel "data.targets=[happiness, sadness, anger, surprise, disgust, fear]")

"$DAF_BIN/daf-train" "${common[@]}" "${multiclass[@]}" train.class_weights=balanced output.dir="$WORK/mc" 2>/dev/null
"$DAF_BIN/daf-eval" --run "$WORK/mc" >"$WORK/mc.md"
grep -q "| truth \\\\ predicted | neutral | happy" "$WORK/mc.md" || fail "multiclass report: confusion by name"
grep -q "^| class  *| n  *| text weight" "$WORK/mc.md" || fail "multiclass report: gate per class"
"$py" - "$WORK/mc/eval/test" "$WORK/cat.h5" <<'PY' || fail "multiclass metrics differ from the Python recomputation"
import csv, json, sys
import h5py
import numpy as np
folder, cache = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(f"{folder}/predictions.csv")))
with h5py.File(cache) as f:
    stored = f["test"]["labels"]["emotion"][:]
    names = f.attrs["classes.emotion"]
    names = (names.decode() if isinstance(names, bytes) else names).split("\n")
assert names == ["neutral", "happy", "sad", "angry"], names
t = np.array([int(r["true_class"]) for r in rows]); p = np.array([int(r["predicted_class"]) for r in rows])
assert (t == stored.astype(int)).all()
probabilities = np.array([[float(r[f"probability_{c}"]) for c in names] for r in rows])
assert np.allclose(probabilities.sum(1), 1, atol=1e-5) and (probabilities.argmax(1) == p).all()
m = json.load(open(f"{folder}/metrics.json"))
C = 4
# scikit-learn: precision_recall_fscore_support over labels in truth or prediction; balanced_accuracy_score.
present = [c for c in range(C) if (t == c).any() or (p == c).any()]
def prf(c):
    tp = ((t == c) & (p == c)).sum(); fp = ((t != c) & (p == c)).sum(); fn = ((t == c) & (p != c)).sum()
    return tp, fp, fn
f1 = {c: 2 * prf(c)[0] / (2 * prf(c)[0] + prf(c)[1] + prf(c)[2]) for c in present}
support = {c: (t == c).sum() for c in present}
expected = {
    "accuracy": (t == p).mean(),
    "F1_macro": np.mean([f1[c] for c in present]),
    "F1_weighted": sum(f1[c] * support[c] for c in present) / len(t),
    "UAR": np.mean([prf(c)[0] / (t == c).sum() for c in range(C) if (t == c).any()]),
}
for key, value in expected.items():
    assert abs(m["metrics"][key] - value) < 1e-9, (key, m["metrics"][key], value)
for c in present:
    tp, fp, fn = prf(c)
    if tp + fn:
        assert abs(m["per_output"][f"recall_{names[c]}"] - tp / (tp + fn)) < 1e-9
assert m["confusion"][0][0] == ((t == 0) & (p == 0)).sum()
assert [g["class"] for g in m["gate"]["by_class"]] == [names[c] for c in range(C) if (t == c).any()]
print("multiclass: UAR", round(expected["UAR"], 4), "accuracy", round(expected["accuracy"], 4))
PY

"$DAF_BIN/daf-train" "${common[@]}" "${multilabel[@]}" train.pos_weight=balanced output.dir="$WORK/ml" 2>/dev/null
"$DAF_BIN/daf-eval" --run "$WORK/ml" >"$WORK/ml.md"
grep -q "^| label  *| accuracy | WA  *| F1  *|" "$WORK/ml.md" || fail "multilabel report: per label table"
"$py" - "$WORK/ml/eval/test" <<'PY' || fail "multilabel metrics differ from the Python recomputation"
import csv, json, sys
import numpy as np
folder = sys.argv[1]
labels = ["happiness", "sadness", "anger", "surprise", "disgust", "fear"]
rows = list(csv.DictReader(open(f"{folder}/predictions.csv")))
m = json.load(open(f"{folder}/metrics.json"))
wa, f1s, acc, TP, FP, FN = [], [], [], 0, 0, 0
for name in labels:
    v = np.array([float(r[name]) for r in rows])
    t = np.array([int(r[f"true_{name}"]) for r in rows]); p = np.array([int(r[f"predicted_{name}"]) for r in rows])
    q = np.array([float(r[f"probability_{name}"]) for r in rows])
    assert ((v > 0) == (t == 1)).all(), name           # presence: intensity > 0
    assert ((q > 0.5) == (p == 1)).all(), name
    tp = ((t == 1) & (p == 1)).sum(); tn = ((t == 0) & (p == 0)).sum()
    fp = ((t == 0) & (p == 1)).sum(); fn = ((t == 1) & (p == 0)).sum()
    P, N = tp + fn, tn + fp
    TP, FP, FN = TP + tp, FP + fp, FN + fn
    acc.append((tp + tn) / len(t))
    assert abs(m["per_output"][f"{name}_acc"] - acc[-1]) < 1e-9, name
    if P and N:  # Zadeh et al. 2018 / MulT: WA = (TP * N / P + TN) / 2N
        wa.append((tp * N / P + tn) / (2 * N))
        assert abs(m["per_output"][f"{name}_WA"] - wa[-1]) < 1e-9, name
    if tp + fp + fn:
        f1s.append(2 * tp / (2 * tp + fp + fn))
assert abs(m["metrics"]["WA_mean"] - np.mean(wa)) < 1e-9
assert abs(m["metrics"]["accuracy_mean"] - np.mean(acc)) < 1e-9
assert abs(m["metrics"]["F1_macro"] - np.mean(f1s)) < 1e-9
assert abs(m["metrics"]["F1_micro"] - 2 * TP / (2 * TP + FP + FN)) < 1e-9
assert [g["label"] for g in m["gate"]["by_label"]][0] == "happiness"
print("multilabel: WA_mean", round(np.mean(wa), 4), "F1_micro", round(2 * TP / (2 * TP + FP + FN), 4))
PY

# Exported heads give daf-eval's probabilities in plain PyTorch.
if "$py" -c "import torch" 2>/dev/null; then
  for run in mc ml; do
    "$DAF_BIN/daf-export" --run "$WORK/$run" --out "$WORK/$run.pt" >/dev/null 2>&1
    "$py" - "$WORK/$run.pt" "$WORK/$run/eval/test/predictions.csv" "$([ $run = mc ] && echo "$WORK/cat.h5" || echo "$WORK/emo.h5")" <<'PY' \
      || fail "$run: exported head differs from daf-eval"
import csv, sys
import h5py, numpy as np, torch
head = torch.jit.load(sys.argv[1])
rows = list(csv.DictReader(open(sys.argv[2])))
with h5py.File(sys.argv[3]) as f:
    features = {m: torch.from_numpy(f["test"]["features"][m][:]) for m in head.modalities}
out = head(features)
names = list(head.class_names)
expected = np.array([[float(r[f"probability_{c}"]) for c in names] for r in rows])
assert np.abs(out["probabilities"].numpy() - expected).max() < 2e-6
if head.task == "multilabel":
    assert (out["labels"].numpy() == np.array([[int(r[f"predicted_{c}"]) for c in names] for r in rows])).all()
else:
    assert (out["class"].numpy() == np.array([int(r["predicted_class"]) for r in rows])).all()
PY
  done
fi

# A sweep per task: summary on the task's metrics, paired comparison on them, gates.
for task in multiclass multilabel; do
  if [ $task = multiclass ]; then set=("data.cache: $WORK/cat.h5" "model.task: multiclass" "data.target: emotion"
                                       "data.classes: [neutral, happy, sad, angry]")
  else set=("data.cache: $WORK/emo.h5" "model.task: multilabel"
            "data.targets: [happiness, sadness, anger, surprise, disgust, fear]"); fi
  {
    echo "base: $DAF_SOURCE/configs/demo.yaml"
    echo "set:"
    for line in "${set[@]}" "train.early_stop_metric: auto" "train.max_epochs: 4" "model.dim: 24" "model.head_hidden: 16" \
                "output.log_level: warn"; do echo "  $line"; done
    echo "conditions:"
    echo "  - {name: dynamic, set: {model.fusion: dynamic}}"
    echo "  - {name: static, set: {model.fusion: static}}"
    echo "  - {name: text, set: {data.modalities: [text]}}"
    echo "seeds: [1, 2]"
    echo "evaluate: {mask: [audio], missing_rate: {modalities: [text], rates: [0.5]}}"
    echo "compare: {reference: dynamic, baseline: static, bootstrap: 50}"
    echo "output: $WORK/sweep-$task"
  } >"$WORK/sweep-$task.yaml"
  "$DAF_BIN/daf-ablate" --config "$WORK/sweep-$task.yaml" --jobs 2 >/dev/null 2>"$WORK/sweep-$task.log" \
    || { cat "$WORK/sweep-$task.log" >&2; fail "$task sweep"; }
  out="$WORK/sweep-$task"
  metric=$([ $task = multiclass ] && echo UAR || echo WA_mean)
  grep -q "^$metric," "$out/comparison.csv" || fail "$task: comparison.csv lacks $metric"
  head -1 "$out/summary.csv" | grep -q "$metric" || fail "$task: summary.csv lacks $metric"
  grep -q "Robustness: test $metric" "$out/summary.md" || fail "$task: robustness table not on $metric"
  [ -s "$out/gates.csv" ] && [ -s "$out/missing_rate.csv" ] || fail "$task: gates.csv or missing_rate.csv missing"
  # The comparison's per-seed values are the runs' own test metric.
  "$py" - "$out" "$metric" <<'PY' || fail "$task: comparison.csv disagrees with the runs' metrics"
import csv, json, sys
out, metric = sys.argv[1], sys.argv[2]
rows = [r for r in csv.DictReader(open(f"{out}/comparison.csv")) if r["metric"] == metric]
assert len(rows) == 2
for r in rows:
    for condition in ("dynamic", "static"):
        final = json.load(open(f"{out}/{condition}/seed-{r['seed']}/final_metrics.json"))
        assert abs(final["test"][metric] - float(r[condition])) < 1e-9, (condition, r, final["test"][metric])
PY
done

# The shipped emotion configs resolve against such caches.
for c in ablate-mosei-emotions ablate-emotions-demo; do
  "$DAF_BIN/daf-ablate" --config "$DAF_SOURCE/configs/$c.yaml" data.cache="$WORK/emo.h5" --print-stages >/dev/null \
    || fail "configs/$c.yaml"
done
"$DAF_BIN/daf-ablate" --config "$DAF_SOURCE/configs/ablate-categorical-demo.yaml" data.cache="$WORK/cat.h5" \
  --print-stages >/dev/null || fail "configs/ablate-categorical-demo.yaml"
"$DAF_BIN/daf-train" --config "$DAF_SOURCE/configs/iemocap-4class.yaml" data.cache="$WORK/cat.h5" --print-config \
  | grep -q "class_weights: balanced" || fail "configs/iemocap-4class.yaml"

# Bad labels: one clear error naming file, split, row and id (exit 2).
"$py" - "$WORK/cat.h5" "$WORK/bad.h5" <<'PY'
import shutil, sys, h5py
shutil.copy(sys.argv[1], sys.argv[2])
with h5py.File(sys.argv[2], "r+") as f:
    f["train"]["labels"]["emotion"][7] = 2.5
PY
expect_exit 2 "bad.h5: /train/labels/emotion row 7 (id synth_train_000007): expected a class index 0..3" -- \
  "$DAF_BIN/daf-train" "${common[@]}" "${multiclass[@]}" data.cache="$WORK/bad.h5" output.dir="$WORK/bad"
expect_exit 2 "holds the classes [neutral, happy, sad, angry]" -- \
  "$DAF_BIN/daf-train" "${common[@]}" "${multiclass[@]}" "data.classes=[a, b, c, d]" output.dir="$WORK/names"
expect_exit 2 "emo.h5: /train/labels has no label 'joy' (has: anger, disgust, fear, happiness," -- \
  "$DAF_BIN/daf-train" "${common[@]}" "${multilabel[@]}" "data.targets=[joy]" output.dir="$WORK/joy"
echo "e2e tasks: ok"
