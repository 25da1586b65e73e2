#!/usr/bin/env bash
# What a new user meets first (issue 29): tools that behave alike and output that says
# what is true. Each case here was a report of someone following the docs literally.
source "$(dirname "$0")/common.sh"
cd "$WORK"
"$DAF_BIN/daf-synth" --preset tiny --out tiny.h5 2>/dev/null

# Two conditions that train the same model tie on every metric: both are bold in summary.md, not the first.
cat >twins.yaml <<'YAML'
base_config: {data: {cache: tiny.h5}, train: {max_epochs: 2}, output: {log_level: warn}}
conditions:
  - {name: first}
  - {name: second}
seeds: [1]
output: twins
YAML
"$DAF_BIN/daf-ablate" -c twins.yaml --no-plots >twins.out 2>twins.log || fail "twin sweep"
# Stacked runs train as one model: the group's time is logged once, each run's evaluation on its own.
grep -q "2 runs (first, second) trained together as one stacked model in [0-9.]*s" twins.log \
  || fail "no group time: $(cat twins.log)"
[ "$(grep -c '\] first seed 1: .* (evaluated in [0-9.]*s)$' twins.log)" -eq 1 ] || fail "per-run time: $(cat twins.log)"
# The terminal gets the headline table and where the full report is, not summary.md's wide tables.
grep -q "twins/summary.md" twins.out && grep -q "^| first " twins.out || fail "terminal summary: $(cat twins.out)"
[ "$(awk '{ print length($0) }' twins.out | sort -n | tail -1)" -le 100 ] || fail "lines over 100 characters: $(cat twins.out)"
"$py" - twins/summary.md <<'PY' || fail "ties are not bold alike: $(cat twins/summary.md)"
import sys
rows = [l for l in open(sys.argv[1]) if l.startswith("| first") or l.startswith("| second")][:2]
assert len(rows) == 2, rows
cells = [r.strip().strip("|").split("|")[2:] for r in rows]
assert cells[0] == cells[1], cells
assert all(c.strip().startswith("**") for c in cells[0]), cells
PY

# daf-eval takes a run directory; given an exported head it says what to use instead.
"$DAF_BIN/daf-train" data.cache=tiny.h5 output.dir=run train.max_epochs=1 2>/dev/null || fail "daf-train"
"$DAF_BIN/daf-export" --run run --out head.pt 2>/dev/null || fail "daf-export"
expect_exit 2 "head.pt: no model.yaml beside it: daf-eval evaluates a run directory" -- "$DAF_BIN/daf-eval" --model head.pt
"$DAF_BIN/daf-eval" --model run/model.pt >/dev/null 2>&1 || fail "daf-eval --model run/model.pt"
# Sweep keys are overridden on the command line like config keys (search.trials=8 was "unknown key").
cat >search.yaml <<'YAML'
base_config: {data: {cache: tiny.h5}, train: {max_epochs: 2}, output: {log_level: warn}}
conditions:
  - {name: defaults}
search:
  space:
    train.lr: {log_uniform: [1.0e-4, 1.0e-2]}
  trials: 6
  final: {top: 1, seeds: [1]}
seeds: [1]
output: search
YAML
[ "$("$DAF_BIN/daf-ablate" -c search.yaml output=elsewhere --print-output 2>/dev/null)" = elsewhere ] || fail "output="
# output.<key> stays a config key of every run (output.log_level), not the sweep's output folder.
[ "$("$DAF_BIN/daf-ablate" -c search.yaml output.log_level=error --print-output 2>/dev/null)" = search ] \
  || fail "output.log_level= was taken as a sweep key"
"$DAF_BIN/daf-ablate" -c search.yaml search.trials=2 "seeds=[3]" "search.final.seeds=[4]" compare.bootstrap=0 \
  "search.space.train.weight_decay={choice: [0, 0.01]}" --no-plots >/dev/null 2>&1 || fail "search with overrides"
"$py" - <<'PY' || fail "the overrides did not apply"
import csv, os
trials = list(csv.DictReader(open("search/trials.csv")))
assert len(trials) == 2, len(trials)
assert "train.weight_decay" in trials[0], trials[0].keys()
assert sorted(os.listdir("search/trials/trial-001")) == ["seed-3"], os.listdir("search/trials/trial-001")
runs = list(csv.DictReader(open("search/runs.csv")))
assert {r["seed"] for r in runs} == {"4"}, runs
PY
expect_exit 2 "search: unknown key 'trails', did you mean 'trials'?" -- "$DAF_BIN/daf-ablate" -c search.yaml search.trails=2
expect_exit 2 "search.trials: expected an integer >= 1, found 0" -- "$DAF_BIN/daf-ablate" -c search.yaml search.trials=0

# A head trained on features daf cannot compute (an SDK stream through daf-import) is refused
# with its source named, before anything is encoded.
"$DAF_BIN/daf-import" --write-synthetic csd csd.videos=8 2>/dev/null
printf 'train: [vid0, vid1, vid2, vid3]\nvalid: [vid4, vid5]\ntest: [vid6, vid7]\n' >folds.yaml
"$DAF_BIN/daf-import" --labels csd/CMU_MOSEI_Labels.csd --feature audio=csd/CMU_MOSEI_COVAREP.csd --folds folds.yaml --out sdk.h5 \
  2>/dev/null || fail "daf-import"
"$DAF_BIN/daf-train" data.cache=sdk.h5 data.modalities=[audio] output.dir=sdkrun train.max_epochs=1 2>/dev/null \
  || fail "daf-train on imported features"
"$DAF_BIN/daf-test-fixtures" encoders enc
printf 'audio: {encoder: enc/speech_encoder.pt}\n' >audio.yaml
expect_exit 2 "the head's 'audio' features came from COVAREP: features that daf-extract does not compute" \
  -- "$DAF_BIN/daf-predict" --run sdkrun --encoders audio.yaml --audio nothing-read.wav

# A clean extraction leaves no empty skipped list (and removes an earlier run's).
"$DAF_BIN/daf-test-fixtures" corpus corpus 10 2>/dev/null
printf 'text: {encoder: enc/text_encoder.pt, tokenizer: sentencepiece, sentencepiece_model: corpus/spm.model}\n' >text.yaml
echo "id,modality,reason" >clean.h5.skipped.csv
"$DAF_BIN/daf-extract" -c text.yaml --manifest corpus/manifest.csv --out clean.h5 2>log || fail "daf-extract"
[ ! -e clean.h5.skipped.csv ] && grep -q "nothing skipped" log || fail "a skipped list after a clean run: $(cat log)"

# The demos run on an existing build into a chosen folder: nothing installed or written in the repository.
# (What demo.sh writes without --work: data/demo.h5 and runs/ablate-demo; the source tree need not be a git checkout.)
touch "$WORK/before-demo"
DAF_BIN=$DAF_BIN bash "$DAF_SOURCE/scripts/demo.sh" --work "$WORK/my demo" >demo.out 2>&1 || { tail demo.out; fail "demo.sh --work"; }
[ -s "$WORK/my demo/data/demo.h5" ] && [ -s "$WORK/my demo/runs/ablate-demo/summary.csv" ] || fail "demo.sh --work: outputs missing"
grep -q "full report with plots: $WORK/my demo/runs/ablate-demo/summary.md" demo.out || fail "demo.sh: report path: $(head demo.out)"
grep -q "^| dynamic" demo.out || fail "demo.sh: no table"
[ "$(grep -c '^### conflict$' demo.out)" -eq 1 ] && [ "$(grep -c '^### degraded$' demo.out)" -eq 1 ] \
  || fail "demo.sh: the conflict and degraded slice tables should print once each"
! grep -q "install-deps" demo.out || fail "demo.sh ran the installer with a build present"
for written in data/demo.h5 runs/ablate-demo/summary.csv; do
  [ ! "$DAF_SOURCE/$written" -nt "$WORK/before-demo" ] || fail "demo.sh --work wrote $written into the repository"
done
for demo in demo speech-demo; do
  expect_exit 2 "unknown option '--wrok'" -- bash "$DAF_SOURCE/scripts/$demo.sh" --wrok x
  expect_exit 2 "lacks one of" -- env DAF_BIN="$WORK" bash "$DAF_SOURCE/scripts/$demo.sh" --work x
  bash "$DAF_SOURCE/scripts/$demo.sh" --help >help.out && grep -q -- "--work DIR" help.out || fail "$demo.sh --help"
done

echo "e2e first_hour: ok"
