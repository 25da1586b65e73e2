#!/usr/bin/env bash
# daf-export: for every fusion variant and task, the exported TorchScript head, loaded
# in Python with Debian's python3-torch and nothing of daf, gives daf-eval's predictions
# and fusion weights on the same cache (to 1e-6), also with a modality masked.
source "$(dirname "$0")/common.sh"
require_numpy_h5py
if ! "$py" -c "import torch" 2>/dev/null; then
  echo "SKIP: $py lacks torch (install python3-torch)"
  exit 77
fi
cd "$WORK"
"$DAF_BIN/daf-synth" --preset tiny --out tiny.h5 2>/dev/null
: >diffs.txt
variant() {  # NAME then daf-train overrides
  local name=$1; shift
  "$DAF_BIN/daf-train" data.cache=tiny.h5 output.dir="run-$name" train.max_epochs=2 model.dim=16 \
    model.head_hidden=16 "$@" 2>/dev/null || fail "training $name"
  "$DAF_BIN/daf-eval" --run "run-$name" >/dev/null 2>&1 || fail "daf-eval $name"
  "$DAF_BIN/daf-export" --run "run-$name" --out "$name.pt" 2>log || { cat log; fail "daf-export $name"; }
  grep -q "wrote $name.pt" log || { cat log; fail "daf-export did not say what it wrote"; }
  local masked=""
  if [ "$name" != unimodal ]; then
    "$DAF_BIN/daf-eval" --run "run-$name" --mask audio >/dev/null 2>&1 || fail "daf-eval --mask audio $name"
    masked=audio
  fi
  "$py" - "$name.pt" tiny.h5 "run-$name/eval" "$name" "$masked" <<'PY' >>diffs.txt || fail "exported $name differs from daf-eval"
import csv, sys
import h5py, numpy as np, torch

path, cache, eval_dir, name, masked = sys.argv[1:6]
head = torch.jit.load(path)
modalities = list(head.modalities)
with h5py.File(cache, "r") as f:
    test = f["test"]
    features = {m: torch.from_numpy(np.asarray(test["features"][m], dtype=np.float32)) for m in modalities}
    present = {m: torch.from_numpy(np.asarray(test["present"][m], dtype=np.float32))
               for m in modalities if "present" in test and m in test["present"]}

def compare(folder, present):
    with open(f"{eval_dir}/{folder}/predictions.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    with torch.no_grad():
        out = head(features, present)
    worst = worst_w = 0.0
    if head.task == "regression":
        got = out["prediction"].double().numpy()
        want = np.array([float(r["prediction"]) for r in rows])  # printed so that it reads back exactly
        worst = float(np.abs(got - want).max())
    else:
        got = out["class"].numpy()
        want = np.array([int(r["predicted_class"]) for r in rows])
        assert (got == want).all(), f"{name}: classes differ in {(got != want).sum()} rows"
        probabilities = out["probabilities"]
        assert probabilities.shape[1] == len(head.class_names), probabilities.shape
        assert torch.allclose(probabilities.sum(1), torch.ones(len(rows)), atol=1e-5)
    if "weights" in out:
        for k, m in enumerate(modalities):
            want = np.array([float(r["weight_" + m]) for r in rows])
            # predictions.csv prints weights with 6 decimals: up to 5e-7 of rounding
            worst_w = max(worst_w, float(np.abs(out["weight_" + m].double().numpy() - want).max()))
        assert worst_w <= 1e-6, f"{name} {folder}: weights differ by {worst_w}"
    else:
        assert not any(k.startswith("weight_") for k in rows[0]), rows[0]
    assert worst <= 1e-6, f"{name} {folder}: predictions differ by {worst}"
    what = "prediction" if head.task == "regression" else "classes identical"
    print(f"{name} {folder}: {len(rows)} rows, {what} max |diff| {worst:.2e}, weights max |diff| {worst_w:.2e}")

compare("test", present or None)
if masked:
    masked_present = dict(present)
    masked_present[masked] = torch.zeros(features[masked].shape[0])
    compare(f"test-mask-{masked}", masked_present)
assert head.fusion in ("dynamic", "static", "mean", "concat", "unimodal"), head.fusion
assert head.daf_version and "data:" in head.config, "metadata attributes"
assert set(head.encoders.keys()) == set(modalities), head.encoders
PY
}
variant dynamic-additive model.fusion=dynamic model.gate=additive
variant dynamic-joint-binary model.fusion=dynamic model.gate=joint model.task=binary
variant static-seven model.fusion=static model.task=seven_class model.activation=gelu
variant mean model.fusion=mean model.layer_norm=false
variant concat-binary model.fusion=concat model.task=binary
variant unimodal model.fusion=dynamic data.modalities=[text]
cat diffs.txt

# Plain LibTorch (examples/load_head.cpp, linked without daf) runs it too.
"$DAF_BIN/load_head" dynamic-additive.pt >libtorch.txt 2>&1 || { cat libtorch.txt; fail "LibTorch could not run the head"; }
grep -q "^prediction:" libtorch.txt && grep -q "^weight_text:" libtorch.txt && grep -q "^task: regression" libtorch.txt \
  || { cat libtorch.txt; fail "the LibTorch example's output"; }
if nm -C "$DAF_BIN/load_head" | grep -q "daf::"; then fail "the LibTorch example contains daf code"; fi

# Bad input: not a run, an output folder that does not exist.
expect_exit 2 "nope: not a run directory" -- "$DAF_BIN/daf-export" --run nope --out x.pt
expect_exit 1 "tiny.h5: cannot create folder: Not a directory" -- "$DAF_BIN/daf-export" --run run-mean --out tiny.h5/head.pt
"$DAF_BIN/daf-export" --run run-mean --out new/folder/head.pt 2>/dev/null && [ -s new/folder/head.pt ] \
  || fail "daf-export into a new folder"
"$DAF_BIN/daf-export" --help | grep -q "torch.jit.load" || fail "daf-export --help"
echo "e2e export: ok"
