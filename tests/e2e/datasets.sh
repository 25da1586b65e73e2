#!/usr/bin/env bash
# daf-manifest on a generated miniature of each dataset's layout, with its
# quirks (tests/datasets/make_*.py); the manifest is checked against the
# generator's truth (tests/datasets/check_*.py), then extracted with the tests'
# tiny encoders, trained and evaluated.
source "$(dirname "$0")/common.sh"
require_numpy_h5py
M="$DAF_BIN/daf-manifest"
data="$DAF_SOURCE/tests/datasets"
cd "$WORK"

# --- IEMOCAP ---
"$py" "$data/make_iemocap.py" iemocap
for classes in 4 6 all; do
  "$M" --dataset iemocap --root iemocap --out "iemocap-$classes.csv" --classes "$classes" >"summary-$classes.md" 2>log \
    || { cat log; fail "daf-manifest --classes $classes"; }
  "$py" "$data/check_iemocap.py" iemocap/truth.json "iemocap-$classes.csv" "$classes" 1 || fail "IEMOCAP, $classes classes"
  cmp -s "summary-$classes.md" "iemocap-$classes.csv.summary.md" || fail "the printed summary is not the written one"
done
grep -q "wrote iemocap-all.csv (33 utterances); 10 items skipped, listed in iemocap-all.csv.skipped.csv" log \
  || { cat log; fail "the closing log line"; }
# The release's own folder, or the folder holding it, are both accepted; tags can stay.
"$M" --dataset iemocap --root iemocap/IEMOCAP_full_release --out tags.csv iemocap.strip_tags=false >/dev/null 2>&1
"$py" "$data/check_iemocap.py" iemocap/truth.json tags.csv 4 0 || fail "IEMOCAP with tags kept"
"$M" --dataset iemocap --root iemocap --out split.csv iemocap.test_session=1 iemocap.valid_session=2 >/dev/null 2>&1
[ "$(grep -c ',test,.*,Ses01,' split.csv)" -eq "$(grep -c ',Ses01,' split.csv)" ] || fail "iemocap.test_session=1"

# Bad invocations: one clear message, exit 2, nothing written.
expect_exit 2 "manifest.root (--root): expected the dataset's folder" -- "$M" --dataset iemocap --out x.csv
expect_exit 2 "IEMOCAP root nowhere: not a directory" -- "$M" --dataset iemocap --root nowhere --out x.csv
mkdir empty
expect_exit 2 "found neither Session1 nor IEMOCAP_full_release" -- "$M" --dataset iemocap --root empty --out x.csv
expect_exit 2 "manifest.dataset" -- "$M" --dataset mosi2 --root iemocap --out x.csv
expect_exit 2 "iemocap.valid_session: expected another session" -- "$M" --dataset iemocap --root iemocap --out x.csv \
  iemocap.valid_session=5
expect_exit 2 "iemocap.classes" -- "$M" --dataset iemocap --root iemocap --out x.csv --classes 5
evaluation=iemocap/IEMOCAP_full_release/Session1/dialog/EmoEvaluation/Ses01F_impro01.txt
expect_exit 2 "one of its inputs" -- "$M" --dataset iemocap --root iemocap --out "$evaluation"
[ ! -e x.csv ] || fail "a refused run wrote its output"
# The printed summary is checked like every other write (the files are complete before it).
expect_exit 1 "standard output: No space left on device" -- bash -c '"$1" --dataset iemocap --root iemocap --out full.csv >/dev/full' _ "$M"
expect_exit 1 "standard output: No space left on device" -- bash -c '"$1" --dataset iemocap --root iemocap --out full.csv --print-config >/dev/full' _ "$M"
"$M" --dataset iemocap --root iemocap --out printed.csv --print-config | grep -q "classes: 4" || fail "--print-config"
[ ! -e printed.csv ] || fail "--print-config wrote a manifest"
"$py" "$data/check_iemocap.py" iemocap/truth.json iemocap-4.csv 4 1 >/dev/null || fail "an input was changed"

# Extract (the tests' random encoders), then leave-one-session-out training and evaluation.
"$DAF_BIN/daf-test-fixtures" encoders enc
"$DAF_BIN/daf-test-fixtures" corpus corpus 4 2>/dev/null
"$DAF_BIN/daf-extract" -c "$DAF_SOURCE/configs/datasets/iemocap.yaml" --manifest iemocap-4.csv --out iemocap.h5 \
  text.encoder=enc/text_encoder.pt text.sentencepiece_model=corpus/spm.model text.pad_id=0 \
  audio.encoder=enc/speech_encoder.pt 2>log || { cat log; fail "daf-extract on the IEMOCAP manifest"; }
"$py" - <<'PY' || fail "the cache's metadata"
import csv, h5py, os
rows = {r["id"]: r for r in csv.DictReader(open("iemocap-4.csv"))}
# meta/audio_file: each row's audio file, absolute (the manifest's are relative to it).
here = os.path.dirname(os.path.abspath("iemocap-4.csv"))
with h5py.File("iemocap.h5") as f:
    n = 0
    for split in ("train", "valid", "test"):
        ids = [i.decode() for i in f[split]["ids"][:]]
        for column in ("speaker", "session", "dialogue", "scenario", "emotion_code"):
            values = [v.decode() for v in f[split]["meta"][column][:]]
            assert values == [rows[i][column] for i in ids], (split, column)
        audio = [v.decode() for v in f[split]["meta"]["audio_file"][:]]
        assert audio == [os.path.normpath(os.path.join(here, rows[i]["audio"])) for i in ids], (split, audio[:2])
        assert all(rows[i]["split"] == split for i in ids)
        n += len(ids)
    assert n == len(rows), (n, len(rows))
    names = f.attrs["classes.emotion"]
    names = names.decode() if isinstance(names, bytes) else names
    assert names.split("\n") == ["neutral", "happy", "sad", "angry"], names
PY
"$DAF_BIN/daf-train" --config "$DAF_SOURCE/configs/iemocap-4class-loso.yaml" data.cache=iemocap.h5 \
  output.dir=loso train.max_epochs=2 model.dim=8 model.head_hidden=8 cv.valid.fraction=0.01 --no-plots 2>log \
  || { cat log; fail "leave-one-session-out training on the extracted cache"; }
[ "$(find loso -name final_metrics.json | wc -l)" -eq 5 ] || fail "expected 5 fold runs"
"$DAF_BIN/daf-eval" --run "$(find loso -name final_metrics.json | head -1 | xargs dirname)" 2>log \
  || { cat log; fail "daf-eval on a fold run"; }

# --- MELD ---
"$py" "$data/make_meld.py" meld
"$M" --dataset meld --root meld --out meld.csv >meld-summary.md 2>log || { cat log; fail "daf-manifest --dataset meld"; }
"$py" "$data/check_meld.py" meld/truth.json meld.csv || fail "MELD"
"$M" --dataset meld --root meld/MELD.Raw --out meld2.csv >/dev/null 2>&1
cmp -s meld.csv meld2.csv || fail "MELD.Raw itself as the root gives another manifest"
expect_exit 2 "expected the folder MELD.Raw" -- "$M" --dataset meld --root iemocap --out x.csv
expect_exit 2 "one of its inputs" -- "$M" --dataset meld --root meld --out meld/MELD.Raw/dev_sent_emo.csv
# Both modalities: the audio comes out of the mp4 clips through FFmpeg; the cut clip is
# skipped in the audio modality only, its text kept.
"$DAF_BIN/daf-extract" -c "$DAF_SOURCE/configs/datasets/meld.yaml" --manifest meld.csv --out meld.h5 \
  text.encoder=enc/text_encoder.pt text.sentencepiece_model=corpus/spm.model text.pad_id=0 \
  audio.encoder=enc/speech_encoder.pt 2>log || { cat log; fail "daf-extract on the MELD manifest"; }
grep -q "audio: 33 files read through FFmpeg (libsndfile cannot open them), e.g. .*dia0_utt0.mp4: FFmpeg, audio stream #1 of 2 streams (aac, 48000 Hz, 2 channels)" log \
  || { cat log; fail "the log names the clips' audio stream"; }
"$py" "$data/check_extraction.py" meld/truth.json meld.csv meld.h5 || fail "the MELD cache"
"$py" - <<'PY' || fail "the MELD cache's metadata"
import csv, h5py
rows = {r["id"]: r for r in csv.DictReader(open("meld.csv", encoding="utf-8"))}
with h5py.File("meld.h5") as f:
    ids = [i.decode() for s in ("train", "valid", "test") for i in f[s]["ids"][:]]
    speakers = [v.decode() for s in ("train", "valid", "test") for v in f[s]["meta"]["speaker"][:]]
    assert speakers == [rows[i]["speaker"] for i in ids], "speakers"
PY

"$DAF_BIN/daf-train" data.cache=meld.h5 data.modalities=[text,audio] data.target=emotion model.task=multiclass \
  "data.classes=[neutral,joy,surprise,anger,sadness,disgust,fear]" train.max_epochs=2 model.dim=8 \
  output.dir=meld-run 2>log || { cat log; fail "training on the MELD cache"; }
"$DAF_BIN/daf-eval" --run meld-run 2>log || { cat log; fail "daf-eval on the MELD run"; }
# daf-predict decodes the clips as daf-extract did: its test predictions are daf-eval's;
# the cut clip's utterance is predicted from its text, the audio masked.
"$DAF_BIN/daf-predict" --run meld-run --encoders "$DAF_SOURCE/configs/datasets/meld.yaml" meld.csv --out meld-pred.csv \
  text.encoder=enc/text_encoder.pt text.sentencepiece_model=corpus/spm.model text.pad_id=0 \
  audio.encoder=enc/speech_encoder.pt 2>log || { cat log; fail "daf-predict on the MELD manifest"; }
"$py" - <<'PY' || fail "daf-predict on MELD's clips differs from daf-eval"
import csv
pred = {r["id"]: r for r in csv.DictReader(open("meld-pred.csv", encoding="utf-8"))}
ref = list(csv.DictReader(open("meld-run/eval/test/predictions.csv", encoding="utf-8")))
assert len(pred) == 34 and len(ref) == 12, (len(pred), len(ref))
for r in ref:
    p = pred[r["id"]]
    compared = [k for k in r if k.startswith(("weight_", "probability_"))]
    assert len(compared) == 9, list(r)
    for key in compared:
        assert abs(float(p[key]) - float(r[key])) <= 1e-5, (r["id"], key, p[key], r[key])
    assert p["masked"] == "", p
assert pred["train_dia1_utt3"]["masked"].startswith("audio (skipped: "), pred["train_dia1_utt3"]
assert float(pred["train_dia1_utt3"]["weight_audio"]) == 0.0
PY
# report.html's utterance explorer: each test utterance's transcript and a link to its clip,
# relative to the page, that leads to the manifest's file.
"$py" - <<'PY' || fail "the MELD report's explorer"
import csv, json, os, re, urllib.parse
rows = {r["id"]: r for r in csv.DictReader(open("meld.csv", encoding="utf-8"))}
page = open("meld-run/eval/test/report.html", encoding="utf-8").read()
explorer = json.loads(re.search(r'id="explorer-data">(.*?)</script>', page, re.S).group(1))
assert len(explorer["rows"]) == 12 and explorer["audio"] and explorer["transcripts"], explorer.keys()
for r in explorer["rows"]:
    utterance = rows[r[0]]
    assert r[7] == utterance["text"], (r[7], utterance["text"])
    linked = os.path.normpath(os.path.join("meld-run/eval/test", urllib.parse.unquote(r[8])))
    assert os.path.samefile(linked, utterance["audio"]), (r[8], utterance["audio"])
    assert not r[8].startswith("/"), r[8]
print("MELD report.html: 12 utterances with their transcripts and relative links to their clips")
PY
# In Chromium: the first clip plays from the page where daf-eval wrote it; a copy of the page
# elsewhere says it cannot play the clip instead of failing silently.
mkdir -p moved/away && cp meld-run/eval/test/report.html moved/away/
"$py" - "$DAF_SOURCE/tests/e2e" "$PWD" <<'PY' || fail "the MELD report's audio players in Chromium"
import sys, time
sys.path.insert(0, sys.argv[1])
from browser import Browser
play = "document.querySelector('#ex-table tbody tr button').click()"
state = """(() => { const a = document.querySelector('#ex-table audio'), m = document.querySelector('#ex-table .missing');
  return m ? 'missing: ' + m.textContent : a && a.readyState >= 1 ? 'playable ' + a.duration.toFixed(2) : 'waiting'; })()"""
def outcome(browser):
    for _ in range(100):
        s = browser.evaluate(state)
        if s != "waiting": return s
        time.sleep(0.1)
    return s
with Browser(sys.argv[2]) as browser:
    browser.open("file://%s/meld-run/eval/test/report.html" % sys.argv[2])
    browser.evaluate(play)
    here = outcome(browser)
    assert here.startswith("playable "), here
    browser.open("file://%s/moved/away/report.html" % sys.argv[2])
    browser.evaluate(play)
    moved = outcome(browser)
    assert moved.startswith("missing: cannot play ../../"), moved
    browser.problems = [p for p in browser.problems if "ERR_FILE_NOT_FOUND" not in p]  # the moved page's clip
    assert not browser.problems, browser.problems
print("Chromium: the clip plays (%s); from a moved copy of the page the player says it cannot play it" % here)
PY

# --- CH-SIMS, v1 (label.csv) and v2 (meta.csv) ---
for version in v1 v2; do
  "$py" "$data/make_sims.py" "sims-$version" "$version"
  "$M" --dataset sims --root "sims-$version" --out "sims-$version.csv" >/dev/null 2>log \
    || { cat log; fail "daf-manifest --dataset sims ($version)"; }
  "$py" "$data/check_sims.py" "sims-$version/truth.json" "sims-$version.csv" || fail "CH-SIMS $version"
done
expect_exit 2 "expected label.csv (CH-SIMS) or meta.csv (CH-SIMS v2)" -- "$M" --dataset sims --root meld --out x.csv
"$DAF_BIN/daf-extract" -c "$DAF_SOURCE/configs/datasets/sims.yaml" --manifest sims-v1.csv --out sims.h5 \
  text.encoder=enc/text_encoder.pt text.sentencepiece_model=corpus/spm.model text.pad_id=0 \
  audio.encoder=enc/speech_encoder.pt 2>log || { cat log; fail "daf-extract on the CH-SIMS manifest"; }
"$py" "$data/check_extraction.py" sims-v1/truth.json sims-v1.csv sims.h5 || fail "the CH-SIMS cache"
"$py" -c '
import csv, h5py
rows = {r["id"]: r for r in csv.DictReader(open("sims-v1.csv", encoding="utf-8"))}
with h5py.File("sims.h5") as f:
    for s in ("train", "valid", "test"):
        ids = [i.decode() for i in f[s]["ids"][:]]
        values = f[s]["labels"]["sentiment"][:]
        assert all(abs(v - float(rows[i]["sentiment"])) < 1e-6 for v, i in zip(values, ids)), s
' || fail "the CH-SIMS labels"
"$DAF_BIN/daf-train" data.cache=sims.h5 data.modalities=[text,audio] data.target=sentiment train.max_epochs=2 \
  model.dim=8 output.dir=sims-run 2>log || { cat log; fail "training on the CH-SIMS cache"; }
"$DAF_BIN/daf-eval" --run sims-run 2>log || { cat log; fail "daf-eval on the CH-SIMS run"; }

# --- CMU-MOSI and CMU-MOSEI Raw/ folders, with the SDK's label files and a folds file ---
for d in mosi mosei; do
  "$py" "$data/make_cmu_raw.py" "$d" "$d"
  labels=$(ls "$d"/*.csd)
  "$M" --dataset "$d" --root "$d" --out "$d.csv" "$d.labels=$labels" "$d.folds=$d/folds.yaml" >/dev/null 2>log \
    || { cat log; fail "daf-manifest --dataset $d"; }
  "$py" "$data/check_cmu_raw.py" "$d/truth.json" "$d.csv" || fail "$d"
  expect_exit 2 "$d.folds: expected a folds file" -- "$M" --dataset "$d" --root "$d" --out x.csv "$d.labels=$labels"
  expect_exit 2 "expected the folder holding Raw/" -- "$M" --dataset "$d" --root meld --out x.csv \
    "$d.labels=$labels" "$d.folds=$d/folds.yaml"
done
# MOSEI's segments are cut from the full recordings: extract both modalities.
"$DAF_BIN/daf-extract" -c "$DAF_SOURCE/configs/datasets/mosei.yaml" --manifest mosei.csv --out mosei.h5 \
  text.encoder=enc/text_encoder.pt text.sentencepiece_model=corpus/spm.model text.pad_id=0 \
  audio.encoder=enc/speech_encoder.pt 2>log || { cat log; fail "daf-extract on the MOSEI manifest"; }
"$py" -c '
import csv, h5py
rows = {r["id"]: r for r in csv.DictReader(open("mosei.csv"))}
with h5py.File("mosei.h5") as f:
    n = 0
    for s in ("train", "valid", "test"):
        ids = [i.decode() for i in f[s]["ids"][:]]
        assert all(rows[i]["split"] == s for i in ids), s
        values = f[s]["labels"]["happiness"][:]
        assert all(abs(v - float(rows[i]["happiness"])) < 1e-6 for v, i in zip(values, ids)), s
        assert f[s]["features"]["audio"].shape[0] == len(ids)
        n += len(ids)
    assert n == len(rows), (n, len(rows))
' || fail "the MOSEI cache"
"$DAF_BIN/daf-extract" -c "$DAF_SOURCE/configs/datasets/mosi.yaml" --manifest mosi.csv --out mosi.h5 \
  text.encoder=enc/text_encoder.pt text.sentencepiece_model=corpus/spm.model text.pad_id=0 \
  audio.encoder=enc/speech_encoder.pt 2>log || { cat log; fail "daf-extract on the MOSI manifest"; }
for d in mosi mosei; do
  "$DAF_BIN/daf-train" data.cache=$d.h5 data.modalities=[text,audio] data.target=sentiment train.max_epochs=2 \
    model.dim=8 output.dir=$d-run 2>log || { cat log; fail "training on the $d cache"; }
  "$DAF_BIN/daf-eval" --run $d-run 2>log || { cat log; fail "daf-eval on the $d run"; }
done
echo "datasets: IEMOCAP miniature (manifest, extraction, leave-one-session-out training and evaluation);"\
  "MELD and CH-SIMS v1/v2 (manifest, extraction with the audio decoded from mp4 clips, training, evaluation); CMU-MOSI and CMU-MOSEI Raw/"\
  "(manifest, extraction of both modalities, MOSEI's cut from the full recordings, training, evaluation)"
