#!/usr/bin/env bash
# Cross-validation (docs/cross-validation.md): a leave-one-session-out sweep on
# the synthetic categorical cache (5 sessions of 2 speakers), its pooled and
# per-fold metrics recomputed here from the runs' predictions.csv with
# scikit-learn's definitions, the fold files checked for leakage against the
# cache's meta columns, the same numbers with --jobs 1 --separate and after
# kill -9 + resume, shards, daf-eval on one fold, daf-train with a cv section, a
# search with cross-validated trials, and bad cv settings.
source "$(dirname "$0")/common.sh"
require_numpy_h5py
"$py" -c "import sklearn" 2>/dev/null || { echo "SKIP: $py lacks sklearn (python3-sklearn)"; exit 77; }
cd "$WORK"

"$DAF_BIN/daf-synth" --preset categorical --out cat.h5 synth.train_size=500 synth.valid_size=150 synth.test_size=250 \
  >/dev/null 2>&1 || fail "daf-synth"
cat >base.yaml <<'YAML'
data: {cache: cat.h5, target: emotion, classes: [neutral, happy, sad, angry], modalities: [text, audio, video]}
model: {task: multiclass, dim: 16, head_hidden: 16}
train: {max_epochs: 4, early_stop_metric: UAR, class_weights: balanced}
cv:
  by: session
  valid: {by: speaker, fraction: 0.1}
output: {log_level: warn}
YAML
cat >sweep.yaml <<'YAML'
base: base.yaml
conditions:
  - {name: dynamic, set: {model.fusion: dynamic}}
  - {name: static, set: {model.fusion: static}}
seeds: [1, 2]
evaluate: {mask: [audio]}
compare: {reference: dynamic, baseline: static, bootstrap: 100}
YAML

"$DAF_BIN/daf-ablate" --config sweep.yaml --jobs 2 --out j2 --no-plots >j2.out 2>j2.log || { cat j2.log; fail "CV sweep"; }
grep -q "Test folds pooled" j2.out || fail "the terminal summary does not say the folds are pooled"
grep -q "dynamic fold 5 seed 2" j2.log || fail "the log does not name the fold of each run"
[ "$(ls j2/folds/)" = "$(printf 'fold-1.csv\nfold-2.csv\nfold-3.csv\nfold-4.csv\nfold-5.csv')" ] || fail "fold files: $(ls j2/folds)"
grep -q "^## Per fold: test UAR" j2/summary.md || fail "summary.md has no per-fold table"
grep -q "^method: leave-one-group-out" j2/folds.yaml || fail "folds.yaml: $(head j2/folds.yaml)"

"$py" - <<'PY' || fail "pooled or per-fold metrics, or the folds, differ from the reference"
import csv, h5py, numpy as np
from sklearn.metrics import accuracy_score, recall_score

def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))

# Leakage and coverage: every pooled utterance is tested exactly once; a fold's test sessions
# are in no other part; its validation speakers are not in its training part.
meta = {}
with h5py.File("cat.h5") as h:
    for split in ("train", "valid", "test"):
        ids = [i.decode() for i in h[split]["ids"][()]]
        sessions = [s.decode() for s in h[split]["meta"]["session"][()]]
        speakers = [s.decode() for s in h[split]["meta"]["speaker"][()]]
        meta.update({i: (se, sp) for i, se, sp in zip(ids, sessions, speakers)})
tested = []
for f in range(1, 6):
    parts = {}
    for r in rows(f"j2/folds/fold-{f}.csv"):
        parts.setdefault(r["part"], []).append(r["id"])
    test_sessions = {meta[i][0] for i in parts["test"]}
    assert len(test_sessions) == 1, (f, test_sessions)
    assert not test_sessions & {meta[i][0] for i in parts["train"] + parts["valid"]}, f
    assert not {meta[i][1] for i in parts["valid"]} & {meta[i][1] for i in parts["train"]}, f
    tested += parts["test"]
assert sorted(tested) == sorted(meta), "the test folds do not partition the pooled utterances"

summary = {r["condition"]: r for r in rows("j2/summary.csv")}
for condition in ("dynamic", "static"):
    pooled_uar, pooled_wa = [], []
    fold_uar = {f: [] for f in range(1, 6)}
    for seed in (1, 2):
        truth, pred, ids = [], [], []
        for f in range(1, 6):
            p = rows(f"j2/{condition}/fold-{f}/seed-{seed}/eval/test/predictions.csv")
            t = [int(r["true_class"]) for r in p]
            y = [int(r["predicted_class"]) for r in p]
            fold_row = rows(f"j2/{condition}/fold-{f}/seed-{seed}/ablation.csv")[0]
            assert abs(float(fold_row["UAR"]) - recall_score(t, y, average="macro")) < 1e-9, (condition, seed, f)
            fold_uar[f].append(recall_score(t, y, average="macro"))
            truth += t; pred += y; ids += [r["id"] for r in p]
        pooled = rows(f"j2/{condition}/pooled/seed-{seed}/eval/test/predictions.csv")
        assert [r["id"] for r in pooled] == ids, "pooled predictions are not the folds' in fold order"
        clean = rows(f"j2/{condition}/pooled/seed-{seed}/ablation.csv")[0]
        uar, wa = recall_score(truth, pred, average="macro"), accuracy_score(truth, pred)
        assert abs(float(clean["UAR"]) - uar) < 1e-9 and abs(float(clean["accuracy"]) - wa) < 1e-9, (clean, uar, wa)
        pooled_uar.append(uar); pooled_wa.append(wa)
    assert abs(float(summary[condition]["UAR_mean"]) - np.mean(pooled_uar)) < 1e-9
    assert abs(float(summary[condition]["UAR_std"]) - np.std(pooled_uar, ddof=1)) < 1e-9
    assert abs(float(summary[condition]["accuracy_mean"]) - np.mean(pooled_wa)) < 1e-9
    fold_means = [np.mean(v) for v in fold_uar.values()]
    assert abs(float(summary[condition]["UAR_folds_mean"]) - np.mean(fold_means)) < 1e-9
    assert abs(float(summary[condition]["UAR_folds_std"]) - np.std(fold_means, ddof=1)) < 1e-9
# The comparison: pooled differences per seed; the t-test pairs the per-fold UARs by (fold, seed).
from scipy.stats import ttest_rel
def fold_uar(condition, f, seed):
    return float(rows(f"j2/{condition}/fold-{f}/seed-{seed}/ablation.csv")[0]["UAR"])
pairs = [(f, s) for f in range(1, 6) for s in (1, 2)]
p = ttest_rel([fold_uar("dynamic", f, s) for f, s in pairs], [fold_uar("static", f, s) for f, s in pairs]).pvalue
line = next(l for l in open("j2/summary.md") if l.startswith("| UAR "))
cells = [c.strip() for c in line.strip().strip("|").split("|")]
assert cells[3] == f"{p:.4f}", (cells, p)
per_fold = [r for r in rows("j2/comparison.csv") if r["metric"] == "UAR" and r["fold"] != "pooled"]
assert len(per_fold) == 10 and all(abs(float(r["dynamic"]) - fold_uar("dynamic", int(r["fold"]), int(r["seed"]))) < 1e-9
                                   for r in per_fold)
print("pooled UA/WA and per-fold UA match scikit-learn, the fold x seed t-test scipy's; folds leak no session or speaker")
PY

# daf-eval on one fold's run scores that fold's test part (its config names the split file).
"$DAF_BIN/daf-eval" --run j2/dynamic/fold-2/seed-1 --out eval2 >/dev/null 2>&1 || fail "daf-eval on a fold's run"
"$py" - <<'PY' || fail "daf-eval on a fold's run differs from the sweep's evaluation"
import csv, json
a = json.load(open("eval2/metrics.json"))
b = list(csv.DictReader(open("j2/dynamic/fold-2/seed-1/ablation.csv")))[0]
uar = a["metrics"]["UAR"] if "metrics" in a else a["UAR"]
assert abs(uar - float(b["UAR"])) < 1e-6, (uar, b["UAR"])
PY

# The same numbers one run at a time, and after kill -9 + resume.
"$DAF_BIN/daf-ablate" --config sweep.yaml --jobs 1 --separate --out j1 --no-plots >/dev/null 2>&1 || fail "--jobs 1"
for f in summary.csv runs.csv folds.csv comparison.csv folds.yaml; do
  cmp "j1/$f" "j2/$f" || fail "$f differs between --jobs 1 --separate and --jobs 2"
done
"$DAF_BIN/daf-ablate" --config sweep.yaml --jobs 1 --out killed --no-plots >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1000); do
  [ "$(find killed -name ablation.csv 2>/dev/null | wc -l)" -ge 4 ] && break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ "$(find killed -name ablation.csv | wc -l)" -lt 24 ] || fail "the sweep finished before it could be killed"
"$DAF_BIN/daf-ablate" --config sweep.yaml --jobs 2 --out killed --no-plots >/dev/null 2>&1 || fail "resume"
for f in summary.csv runs.csv folds.csv comparison.csv; do cmp "killed/$f" "j2/$f" || fail "resumed: $f differs"; done

# Sharded: the shard that finishes last pools every (condition, seed); collected alike.
"$DAF_BIN/daf-ablate" --config sweep.yaml --shard 2/2 --out sharded --no-plots >/dev/null 2>&1 || fail "shard 2/2"
expect_exit 2 "shard 1/2" -- "$DAF_BIN/daf-ablate" --collect sharded
"$DAF_BIN/daf-ablate" --config sweep.yaml --shard 1/2 --out sharded --no-plots >/dev/null 2>&1 || fail "shard 1/2"
"$DAF_BIN/daf-ablate" --collect sharded --no-plots >/dev/null 2>&1 || fail "collect of the shards"
for f in summary.csv folds.csv comparison.csv; do cmp "sharded/$f" "j2/$f" || fail "sharded: $f differs"; done

# daf-train with a cv section: every fold, then the cross-validated report.
"$DAF_BIN/daf-train" -c base.yaml output.dir=train model.fusion=static train.seed=1 --no-plots >train.out 2>train.log \
  || { cat train.log; fail "daf-train with cv"; }
grep -q "Test folds pooled" train.out || fail "daf-train printed no cross-validated summary"
cmp <(cut -d, -f2- train/folds/fold-3.csv) <(cut -d, -f2- j2/folds/fold-3.csv) || fail "daf-train made other folds"
"$py" - <<'PY' || fail "daf-train's pooled UAR differs from the sweep's static seed 1"
import csv
a = list(csv.DictReader(open("train/static/pooled/seed-1/ablation.csv")))[0]
b = list(csv.DictReader(open("j2/static/pooled/seed-1/ablation.csv")))[0]
assert a["UAR"] == b["UAR"], (a["UAR"], b["UAR"])
PY

# Bad settings: refused before anything trains, with what the cache has.
expect_exit 2 "cv.by 'room'" -- "$DAF_BIN/daf-train" -c base.yaml cv.by=room output.dir=bad
grep -qF "meta columns: session, speaker" "$WORK/err" || fail "the error does not list the meta columns: $(cat "$WORK/err")"
[ ! -e bad ] || fail "a refused cv config created its output folder"
expect_exit 2 "7 folds need at least as many groups" -- "$DAF_BIN/daf-train" -c base.yaml cv.folds=7 output.dir=bad
expect_exit 2 "keys 'cv' and 'data.split_file' conflict" -- \
  "$DAF_BIN/daf-train" -c base.yaml data.split_file=j2/folds/fold-1.csv output.dir=bad

# A search with cv: trials ranked on the validation metric averaged over folds (and seeds),
# the best retrained under the same folds and scored on the pooled test folds.
cat >search.yaml <<'YAML'
base: base.yaml
conditions:
  - {name: static, set: {model.fusion: static}}
seeds: [1]
search: {trials: 3, space: {train.lr: {log_uniform: [1e-4, 1e-2]}}, metric: UAR, final: {top: 1, seeds: [1]}}
YAML
"$DAF_BIN/daf-ablate" --config search.yaml --jobs 2 --out search --no-plots >/dev/null 2>search.log \
  || { tail -5 search.log; fail "CV search"; }
[ -e search/trials/trial-003/fold-5/seed-1/final_metrics.json ] || fail "a trial did not train every fold"
[ -e search/best-1/pooled/seed-1/ablation.csv ] || fail "the best trial was not cross-validated in the final stage"
"$py" - <<'PY' || fail "the search does not rank trials on the validation UAR averaged over folds"
import csv
for t in csv.DictReader(open("search/trials.csv")):
    best = [max(float(r["valid_UAR"]) for r in csv.DictReader(open(f"search/trials/{t['trial']}/fold-{f}/seed-1/metrics.csv")))
            for f in range(1, 6)]
    assert abs(float(t["valid_UAR"]) - sum(best) / 5) < 1e-9, (t["trial"], t["valid_UAR"], best)
PY
echo "cross-validation: OK"
