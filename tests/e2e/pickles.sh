#!/usr/bin/env bash
# scripts/mmsa_to_cache.py on generated MMSA- and MulT-shaped pickles: the
# averages over valid steps match hand-computed values, and daf trains on the
# result. Skipped (exit 77) where Debian's python3-numpy/h5py are missing.
source "$(dirname "$0")/common.sh"
require_numpy_h5py

"$py" - "$WORK" <<'PY'
import pickle, sys
import numpy as np
work = sys.argv[1]
rng = np.random.default_rng(0)

def mmsa_split(n):
    text = rng.normal(size=(n, 6, 768)).astype(np.float32)
    bert = np.zeros((n, 3, 6), dtype=np.float32)
    bert[:, 1, :4] = 1                       # 4 real tokens, 2 padding
    audio = rng.normal(size=(n, 5, 74)).astype(np.float32)
    vision = rng.normal(size=(n, 7, 35)).astype(np.float32)
    audio[0] = 0; audio[0, :3, 0] = [1, 2, 6]    # utterance 0: audio dim 0 = 1, 2, 6 then padding
    return {"id": [f"vid{i}$_${i}" for i in range(n)], "raw_text": [f"words {i}" for i in range(n)],
            "text": text, "text_bert": bert, "audio": audio, "vision": vision,
            "audio_lengths": np.array([3] + [5] * (n - 1)), "vision_lengths": np.array([7] * n),
            "regression_labels": rng.uniform(-3, 3, n).astype(np.float32),
            "classification_labels": np.zeros(n)}

def mult_split(n):
    seq = lambda d: rng.normal(size=(n, 4, d)).astype(np.float32)
    split = {"text": seq(300), "audio": seq(74), "vision": seq(35),
             "labels": rng.uniform(-3, 3, (n, 1, 1)).astype(np.float32),
             "id": np.array([[f"v{i}", str(i)] for i in range(n)])}
    split["audio"][0, :2] = 0                  # MulT pads with zero steps
    split["audio"][0, 2:, 0] = [3, 5]
    return split

with open(f"{work}/mmsa.pkl", "wb") as f:
    pickle.dump({"train": mmsa_split(60), "valid": mmsa_split(20), "test": mmsa_split(20)}, f)
with open(f"{work}/mult.pkl", "wb") as f:
    pickle.dump({"train": mult_split(60), "valid": mult_split(20), "test": mult_split(20)}, f)
with open(f"{work}/other.pkl", "wb") as f:
    pickle.dump({"train": {"x": 1}, "valid": {}, "test": {}}, f)
PY

"$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" "$WORK/mmsa.pkl" "$WORK/mmsa.h5" >"$WORK/out" || fail "MMSA conversion failed"
grep -q "60 / 20 / 20 utterances" "$WORK/out" || fail "MMSA split sizes"
"$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" "$WORK/mult.pkl" "$WORK/mult.h5" >/dev/null || fail "MulT conversion failed"

"$py" - "$WORK" <<'PY' || fail "averages differ from the hand-computed values"
import pickle, sys
import h5py, numpy as np
work = sys.argv[1]
with h5py.File(f"{work}/mmsa.h5") as f, open(f"{work}/mmsa.pkl", "rb") as p:
    raw = pickle.load(p)["train"]
    assert f.attrs["daf_format"] == 2
    assert abs(f["train/features/audio"][0, 0] - 3.0) < 1e-6        # (1 + 2 + 6) / 3 valid steps
    assert np.allclose(f["train/features/text"][1], raw["text"][1, :4].mean(axis=0), atol=1e-5)
    assert f["train/ids"][2].decode() == "vid2$_$2"
    assert f["train/meta/video"][2].decode() == "vid2"              # the video part of MMSA's id
    assert f["train/transcripts"][3].decode() == "words 3"
    assert np.allclose(f["train/labels/sentiment"][:], raw["regression_labels"])
with h5py.File(f"{work}/mult.h5") as f:
    assert abs(f["train/features/audio"][0, 0] - 4.0) < 1e-6        # (3 + 5) / 2 non-zero steps
    assert f["test/ids"][1].decode() == "v1[1]"
    assert f["test/meta/video"][1].decode() == "v1"
    assert f["valid/features/text"].shape == (20, 300)
PY

"$DAF_BIN/daf-train" data.cache="$WORK/mmsa.h5" output.dir="$WORK/run" train.max_epochs=1 model.dim=16 2>/dev/null \
  || fail "daf-train cannot use the converted cache"

rc=0; "$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" "$WORK/other.pkl" "$WORK/x.h5" 2>"$WORK/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "neither MMSA" "$WORK/err" || fail "an unknown pickle was not refused clearly"
rc=0; "$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" "$WORK/out" "$WORK/x.h5" 2>"$WORK/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "not a readable pickle" "$WORK/err" || fail "a non-pickle was not refused clearly"
[ ! -e "$WORK/x.h5" ] || fail "a refused conversion wrote an output"
# -inf (real COVAREP has it) in a valid and in a padded step; values computed by hand.
"$py" - "$WORK" <<'PY'
import os, pickle, sys
import numpy as np
work = sys.argv[1]
def split(n):
    audio = np.ones((n, 2, 2), dtype=np.float32)
    audio[0] = [[4, 1], [-np.inf, 3]]    # utterance 0: length 1, the -inf is padding
    audio[1] = [[4, 1], [-np.inf, 3]]    # utterance 1: length 2, the -inf is a valid step
    vision = np.ones((n, 3, 1), dtype=np.float32)
    vision[0, :, 0] = [2, 4, np.nan]      # length 2: the NaN is padding
    return {"text": np.ones((n, 2, 4), dtype=np.float32), "audio": audio, "vision": vision,
            "audio_lengths": np.array([1, 2] + [2] * (n - 2)), "vision_lengths": np.array([2] * n),
            "regression_labels": np.zeros(n, dtype=np.float32), "id": [f"u{i}" for i in range(n)]}
with open(f"{work}/inf.pkl", "wb") as f:
    pickle.dump({"train": split(4), "valid": split(3), "test": split(3)}, f)
class Evil:
    def __reduce__(self):
        return (os.system, (f"touch {work}/pwned",))
with open(f"{work}/evil.pkl", "wb") as f:
    pickle.dump({"train": Evil(), "valid": {}, "test": {}}, f)
PY
"$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" "$WORK/inf.pkl" "$WORK/inf.h5" >"$WORK/out" || fail "-inf conversion failed"
grep -q -- "-inf replaced by 0 (as MMSA's loader): audio 6" "$WORK/out" || { cat "$WORK/out"; fail "-inf not counted"; }
"$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" --pooling all "$WORK/inf.pkl" "$WORK/inf-all.h5" >"$WORK/out-all" \
  || fail "--pooling all failed"
grep -q "NaN/Inf means): video 3" "$WORK/out-all" || { cat "$WORK/out-all"; fail "NaN means not counted"; }
"$py" - "$WORK" <<'PY' || fail "-inf or pooling handled wrongly"
import sys
import h5py, numpy as np
work = sys.argv[1]
with h5py.File(f"{work}/inf.h5") as f:
    a = f["train/features/audio"][:]
    assert np.array_equal(a[0], [4, 1]), a[0]       # padding never enters the mean
    assert np.array_equal(a[1], [2, 2]), a[1]       # (4 + 0) / 2, (1 + 3) / 2
    assert np.array_equal(f["train/features/video"][0], [3]), f["train/features/video"][0]
    assert f["train/features/audio"].attrs["pooling"] == "mean over valid steps"
with h5py.File(f"{work}/inf-all.h5") as f:
    a = f["train/features/audio"][:]
    assert np.array_equal(a[0], [2, 2]) and np.array_equal(a[1], [2, 2]), a[:2]   # all T steps, -inf -> 0
    assert np.array_equal(f["train/features/video"][0], [0]), f["train/features/video"][0]  # mean NaN -> 0 (MMSA)
    assert np.array_equal(f["train/features/video"][1], [1])
    assert f["train/features/audio"].attrs["pooling"].startswith("mean over all steps")
    assert f["train/features/text"].attrs["pooling"] == "mean over valid steps"
PY
rc=0; "$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" "$WORK/evil.pkl" "$WORK/x.h5" 2>"$WORK/err" || rc=$?
[ "$rc" -eq 2 ] && grep -q "refused: the pickle asks for posix.system" "$WORK/err" \
  || { cat "$WORK/err"; fail "a malicious pickle was not refused"; }
[ ! -e "$WORK/pwned" ] || fail "the malicious pickle ran code"
[ ! -e "$WORK/x.h5" ] || fail "a refused pickle wrote an output"
# scripts/synthetic_mmsa.py: a daf-synth cache in MMSA's unaligned layout converts back to itself.
"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/synth.h5" 2>/dev/null
"$py" "$DAF_SOURCE/scripts/synthetic_mmsa.py" "$WORK/synth.h5" "$WORK/unaligned_50.pkl" >"$WORK/out" \
  || fail "synthetic_mmsa.py failed"
grep -q "MMSA unaligned layout, 240 / 80 / 80 utterances" "$WORK/out" || { cat "$WORK/out"; fail "synthetic_mmsa.py sizes"; }
"$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" "$WORK/unaligned_50.pkl" "$WORK/back.h5" >"$WORK/out" || fail "round trip"
grep -qE -- "-inf replaced by 0 \(as MMSA's loader\): audio [1-9]" "$WORK/out" || { cat "$WORK/out"; fail "no -inf in the padding"; }
"$py" - "$WORK" <<'PY' || fail "the MMSA-layout pickle does not average back to the daf-synth features"
import pickle, sys
import h5py, numpy as np
work = sys.argv[1]
with h5py.File(f"{work}/synth.h5") as a, h5py.File(f"{work}/back.h5") as b, open(f"{work}/unaligned_50.pkl", "rb") as p:
    raw = pickle.load(p)
    assert raw["train"]["text"].shape == (240, 50, 768) and raw["train"]["audio"].shape == (240, 500, 74)
    assert raw["train"]["vision"].shape == (240, 375, 35) and raw["train"]["text_bert"].shape == (240, 3, 50)
    assert raw["train"]["id"][8] == "synthtrain00001$_$1"
    for split in ("train", "valid", "test"):
        assert np.allclose(a[split]["labels/sentiment"][:], b[split]["labels/sentiment"][:])
        for m in ("text", "audio", "video"):
            assert np.abs(a[split]["features"][m][:] - b[split]["features"][m][:]).max() < 1e-5, (split, m)
PY
expect_exit 2 "mmsa.pkl: cannot read as an HDF5 cache" -- "$py" "$DAF_SOURCE/scripts/synthetic_mmsa.py" "$WORK/mmsa.pkl" "$WORK/x.pkl"
"$py" -c 'import h5py, sys; h5py.File(sys.argv[1], "w").create_group("train")' "$WORK/empty.h5"
expect_exit 2 "empty.h5: not a daf-synth cache" -- "$py" "$DAF_SOURCE/scripts/synthetic_mmsa.py" "$WORK/empty.h5" "$WORK/x.pkl"
[ ! -e "$WORK/x.pkl" ] || fail "a failed synthetic_mmsa.py left a pickle"

"$py" "$DAF_SOURCE/scripts/mmsa_to_cache.py" --help | grep -q -- "--pooling" || fail "--help"
echo "e2e pickles: ok"
