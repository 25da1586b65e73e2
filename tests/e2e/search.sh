#!/usr/bin/env bash
# daf-ablate's search: on a tiny generated cache, a Sobol search whose trials
# are ranked on the validation split (the test split is never scored for a
# trial), the best two retrained with three seeds next to the hand-set
# defaults. The same search with --jobs 2 (stacked), --jobs 1 --separate,
# killed with -9 and resumed, and as two shards (run twice: trials, then the
# final stage) plus --collect must give identical trials and results; the
# ranking is recomputed here from the trials' own files, and best.yaml must
# train, with daf-train, to exactly the final best-1 run of its seed.
source "$(dirname "$0")/common.sh"

"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/tiny.h5" synth.train_size=600 2>/dev/null
cat >"$WORK/base.yaml" <<YAML
data: {cache: $WORK/tiny.h5}
model: {dim: 32, head_hidden: 32, gate_hidden: 16}
train: {max_epochs: 6, patience: 3, threads: 1}
output: {log_level: warn}
YAML
cat >"$WORK/search.yaml" <<'YAML'
base: base.yaml
conditions:
  - {name: defaults}
search:
  space:
    train.lr: {log_uniform: [3.0e-4, 1.0e-2]}
    model.dropout: {uniform: [0.0, 0.4]}
    model.temperature: {choice: [0.5, 1.0, 2.0]}
    model.dim: {choice: [16, 32]}
  trials: 8
  sampler: sobol
  seed: 3
  final: {top: 2, seeds: [1, 2, 3]}
seeds: [5]
compare: {baseline: defaults, bootstrap: 100}
YAML

start=$(date +%s%N)
"$DAF_BIN/daf-ablate" --config "$WORK/search.yaml" --jobs 2 --out "$WORK/j2" >"$WORK/j2.md" 2>"$WORK/j2.log" \
  || { cat "$WORK/j2.log"; fail "search"; }
echo "jobs 2: $(( ($(date +%s%N) - start) / 1000000 )) ms"
for f in trials.csv best.yaml search.md summary.md summary.csv runs.csv comparison.csv plan.yaml; do
  [ -s "$WORK/j2/$f" ] || fail "search output lacks $f"
done
grep -q "training 8 trials as 2 stacked group(s)" "$WORK/j2.log" || fail "trials not stacked: $(grep -i group "$WORK/j2.log")"
grep -q "## Search" "$WORK/j2/summary.md" || fail "summary.md has no search section"
grep -q "The test split was not scored for any trial" "$WORK/j2/summary.md" || fail "summary.md does not say the protocol"
grep -q "## best-1 vs defaults" "$WORK/j2/summary.md" || fail "no paired comparison of best-1 with the defaults"
[ "$(wc -l <"$WORK/j2/summary.csv")" -eq 4 ] || fail "summary.csv: best-1, best-2, defaults"
if command -v gnuplot >/dev/null; then [ -s "$WORK/j2/plots/search.png" ] || fail "no plots/search.png"; fi
# Trials never looked at the test split; final runs did.
for run in "$WORK"/j2/trials/trial-*/seed-5; do
  grep -q '^test,' "$run/final_metrics.csv" && fail "$run scored the test split"
  [ ! -e "$run/eval" ] || fail "$run was evaluated"
  grep -Eq '"test": ?\{ *\}' "$run/final_metrics.json" || fail "$run/final_metrics.json has test scores"
done
grep -q '^test,MAE,' "$WORK/j2/best-1/seed-1/final_metrics.csv" || fail "final runs have test scores"

# The ranking, the searched values and the final conditions, from the files alone.
"$py" - "$WORK/j2" <<'PY' || fail "the search's ranking or final stage is wrong"
import csv, math, os, re, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(f"{d}/trials.csv")))
assert len(rows) == 8, len(rows)
ranges = {"train.lr": (3e-4, 1e-2), "model.dropout": (0.0, 0.4)}
for r in rows:
    for key, (low, high) in ranges.items():
        assert low <= float(r[key]) <= high, (r["trial"], key, r[key])
    assert r["model.temperature"] in ("0.5", "1.0", "2.0") and r["model.dim"] in ("16", "32")
    metrics = {row["metric"]: row["value"] for row in csv.DictReader(open(f"{d}/trials/{r['trial']}/seed-5/final_metrics.csv"))}
    assert abs(float(metrics["MAE"]) - float(r["valid_MAE"])) < 1e-12, r["trial"]
    history = [float(x["valid_MAE"]) for x in csv.DictReader(open(f"{d}/trials/{r['trial']}/seed-5/metrics.csv"))]
    assert int(r["epochs"]) == len(history) and min(history) == float(r["valid_MAE"]), r["trial"]
    assert r["stopped"] == ("max_epochs" if len(history) == 6 else "patience")
    config = open(f"{d}/trials/{r['trial']}/seed-5/config.yaml").read()
    assert re.search(r"\n  lr: " + re.escape(r["train.lr"]) + r"\n", config), (r["trial"], "lr")
    assert re.search(r"\n  dim: " + r["model.dim"] + r"\n", config), (r["trial"], "dim")
# The Sobol points are distinct: no two trials alike.
assert len({(r["train.lr"], r["model.dropout"]) for r in rows}) == 8
ranked = sorted(rows, key=lambda r: (float(r["valid_MAE"]), r["trial"]))
assert [int(r["rank"]) for r in ranked] == list(range(1, 9)), [r["rank"] for r in ranked]
for k in (1, 2):
    best = ranked[k - 1]
    config = open(f"{d}/best-{k}/seed-2/config.yaml").read()
    assert re.search(r"\n  lr: " + re.escape(best["train.lr"]) + r"\n", config), (k, "lr")
    assert "seed: 2\n" in config
best_yaml = open(f"{d}/best.yaml").read()
assert ranked[0]["trial"] in best_yaml and re.search(r"\n  lr: " + re.escape(ranked[0]["train.lr"]) + r"\n", best_yaml)
PY

# best.yaml is a config daf-train accepts: it trains to the final best-1 run of its seed, exactly.
# The sweep ran quietly (log_level warn); best.yaml's run logs at info, so it says where it went.
"$DAF_BIN/daf-train" --config "$WORK/j2/best.yaml" output.dir="$WORK/best-train" >/dev/null 2>"$WORK/best.log" \
  || fail "daf-train best.yaml"
grep -q "info: .*$WORK/best-train" "$WORK/best.log" || fail "daf-train --config best.yaml logged nothing: $(cat "$WORK/best.log")"
"$py" - "$WORK/best-train/final_metrics.csv" "$WORK/j2/best-1/seed-1/final_metrics.csv" <<'PY' || fail "best.yaml trains differently from best-1"
import sys
a, b = (open(p).read() for p in sys.argv[1:])
assert a == b, (a, b)
PY

"$DAF_BIN/daf-ablate" --config "$WORK/search.yaml" --jobs 1 --separate --out "$WORK/j1" --no-plots >/dev/null 2>&1 \
  || fail "search --separate"
for f in trials.csv runs.csv summary.csv comparison.csv best.yaml; do
  cmp "$WORK/j1/$f" "$WORK/j2/$f" || fail "$f differs between --jobs 1 --separate and --jobs 2 (stacked)"
done

# Killed with -9 during the trials, then resumed.
"$DAF_BIN/daf-ablate" --config "$WORK/search.yaml" --jobs 1 --out "$WORK/killed" --no-plots >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 600); do
  [ -n "$(find "$WORK/killed/trials" -name metrics.csv 2>/dev/null | head -1)" ] && break
  sleep 0.01
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ ! -e "$WORK/killed/plan.yaml" ] || fail "the search reached its final stage before it could be killed"
expect_exit 2 "the search's trials are not all finished" -- "$DAF_BIN/daf-ablate" --collect "$WORK/killed"
"$DAF_BIN/daf-ablate" --config "$WORK/search.yaml" --jobs 2 --out "$WORK/killed" --no-plots >/dev/null 2>&1 \
  || fail "resumed search"
for f in trials.csv runs.csv summary.csv; do cmp "$WORK/killed/$f" "$WORK/j2/$f" || fail "resumed search: $f differs"; done

# Sharded: each shard runs its trials; the final stage waits for all of them:
# a shard that finds trials unfinished stops after its own, and does its part
# of the final stage when started again; --collect gathers it.
"$DAF_BIN/daf-ablate" --config "$WORK/search.yaml" --shard 1/2 --out "$WORK/sharded" --no-plots >/dev/null 2>"$WORK/s1.log"
grep -q "4 of 8 trial runs (other shards) are not finished" "$WORK/s1.log" || fail "shard 1 did not wait: $(tail -3 "$WORK/s1.log")"
[ ! -e "$WORK/sharded/plan.yaml" ] || fail "the final stage started before every trial finished"
# Shard 2 finishes the trials, so it goes on to its part of the final stage.
"$DAF_BIN/daf-ablate" --config "$WORK/search.yaml" --shard 2/2 --out "$WORK/sharded" --no-plots >/dev/null 2>&1
expect_exit 2 "shard 1/2" -- "$DAF_BIN/daf-ablate" --collect "$WORK/sharded"
"$DAF_BIN/daf-ablate" --config "$WORK/search.yaml" --shard 1/2 --out "$WORK/sharded" --no-plots >/dev/null 2>"$WORK/s1b.log"
grep -q "4 already finished, 0 to run" "$WORK/s1b.log" || fail "shard 1 retrained its trials: $(head -3 "$WORK/s1b.log")"
"$DAF_BIN/daf-ablate" --collect "$WORK/sharded" --no-plots >/dev/null 2>&1 || fail "collect the sharded search"
for f in trials.csv runs.csv summary.csv; do cmp "$WORK/sharded/$f" "$WORK/j2/$f" || fail "sharded search: $f differs"; done

# Successive halving (rungs at epochs 2, 4, 6; the best half continues): the
# trials pause at a rung and resume stacked, so every epoch a trial trains
# has exactly the numbers of the full search; the survivors are recomputed here.
sed 's/^  final:/  halving: {min_epochs: 2, eta: 2}\n  final:/' "$WORK/search.yaml" >"$WORK/halving.yaml"
"$DAF_BIN/daf-ablate" --config "$WORK/halving.yaml" --jobs 2 --out "$WORK/h2" >/dev/null 2>"$WORK/h2.log" \
  || { cat "$WORK/h2.log"; fail "halving search"; }
grep -q "rungs at epochs 2, 4, 6" "$WORK/h2.log" || fail "halving rungs: $(grep -i rung "$WORK/h2.log")"
[ "$(cat "$WORK/h2/halving.csv")" = "$(printf 'rung,epochs,trials,continue\n1,2,8,4\n2,4,4,2\n3,6,2,')" ] \
  || fail "halving.csv: $(cat "$WORK/h2/halving.csv")"
if command -v gnuplot >/dev/null; then [ -s "$WORK/h2/plots/halving.png" ] || fail "no plots/halving.png"; fi
"$py" - "$WORK/h2" "$WORK/j2" <<'PY' || fail "halving: the rungs' survivors or the trials' numbers are wrong"
import csv, sys
h = {r["trial"]: r for r in csv.DictReader(open(f"{sys.argv[1]}/trials.csv"))}
full = {r["trial"]: r for r in csv.DictReader(open(f"{sys.argv[2]}/trials.csv"))}
def curve(r):
    return [float(r[f"valid_MAE_epoch_{e}"]) for e in range(1, 7) if r.get(f"valid_MAE_epoch_{e}", "")]
for name, r in h.items():
    c, f = curve(r), curve(full[name])
    assert c == f[:len(c)], (name, c, f)  # paused and resumed: the same numbers as the full run
alive = sorted(h)
for rung, epochs in ((1, 2), (2, 4)):
    value = {t: min(curve(full[t])[:epochs]) for t in alive}
    keep = sorted(alive, key=lambda t: (value[t], t))[:len(alive) // 2]
    for t in alive:
        assert (int(h[t]["rung"]) > rung) == (t in keep), (rung, t, h[t]["rung"], keep)
        if t not in keep and len(curve(full[t])) > epochs:
            assert h[t]["stopped"] == "halving" and int(h[t]["epochs"]) == epochs, (t, h[t]["stopped"], h[t]["epochs"])
        if t not in keep and len(curve(full[t])) == epochs < 6:  # patience ran out on the rung itself
            assert h[t]["stopped"] == "patience", (t, h[t]["stopped"])
    alive = sorted(keep)
ranked = sorted(h.values(), key=lambda r: int(r["rank"]))
assert int(ranked[0]["rung"]) == 3, ranked[0]
assert [int(r["rung"]) for r in ranked] == sorted((int(r["rung"]) for r in ranked), reverse=True)
PY
"$DAF_BIN/daf-ablate" --config "$WORK/halving.yaml" --jobs 1 --separate --out "$WORK/h1" --no-plots >/dev/null 2>&1 \
  || fail "halving search --separate"
for f in trials.csv halving.csv runs.csv summary.csv; do
  cmp "$WORK/h1/$f" "$WORK/h2/$f" || fail "halving: $f differs between --jobs 1 --separate and --jobs 2"
done
# Killed with -9 after the first rung, then resumed.
"$DAF_BIN/daf-ablate" --config "$WORK/halving.yaml" --jobs 1 --out "$WORK/hk" --no-plots >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 1000); do
  [ -n "$(grep -l '^3,' "$WORK"/hk/trials/trial-*/seed-5/metrics.csv 2>/dev/null | head -1)" ] && break
  sleep 0.01
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ ! -e "$WORK/hk/plan.yaml" ] || fail "the halving search finished before it could be killed"
"$DAF_BIN/daf-ablate" --config "$WORK/halving.yaml" --jobs 2 --out "$WORK/hk" --no-plots >/dev/null 2>&1 \
  || fail "resumed halving search"
for f in trials.csv halving.csv runs.csv summary.csv; do
  cmp "$WORK/hk/$f" "$WORK/h2/$f" || fail "resumed halving search: $f differs"
done

# Halving over two shards: each rung waits for both; started in turn, the
# shards walk up the rungs to the same result.
for round in 1 2 3 4; do
  for k in 1 2; do
    "$DAF_BIN/daf-ablate" --config "$WORK/halving.yaml" --shard $k/2 --out "$WORK/hs" --no-plots >/dev/null \
      2>>"$WORK/hs.log" || { cat "$WORK/hs.log"; fail "halving search, shard $k/2"; }
  done
done
grep -q "halving rung 1 (epoch 2): .* of other shards are not there yet" "$WORK/hs.log" || fail "shard 1 did not wait at rung 1"
"$DAF_BIN/daf-ablate" --collect "$WORK/hs" --no-plots >/dev/null 2>&1 || fail "collect the sharded halving search"
for f in trials.csv halving.csv runs.csv summary.csv; do
  cmp "$WORK/hs/$f" "$WORK/h2/$f" || fail "sharded halving search: $f differs"
done

# Bad searches are rejected before anything runs.
sed 's/log_uniform: \[3.0e-4/log_uniform: [0/' "$WORK/search.yaml" >"$WORK/bad1.yaml"
expect_exit 2 "search.space.train.lr: log_uniform: low must be > 0" -- \
  "$DAF_BIN/daf-ablate" --config "$WORK/bad1.yaml" --out "$WORK/b1"
[ ! -e "$WORK/b1" ] || fail "a rejected search created its output folder"
sed 's/model.dim: {choice: \[16, 32\]}/model.fusion: {choice: [dynamic, statik]}/' "$WORK/search.yaml" >"$WORK/bad2.yaml"
expect_exit 2 "did you mean 'static'?" -- "$DAF_BIN/daf-ablate" --config "$WORK/bad2.yaml" --out "$WORK/b2"
# The shipped MOSEI search resolves (every trial's config) against a cache with MOSEI's modalities.
"$DAF_BIN/daf-ablate" --config "$DAF_SOURCE/configs/search-mosei.yaml" data.cache="$WORK/tiny.h5" --print-output \
  >"$WORK/mosei-out" 2>"$WORK/mosei.log" || { cat "$WORK/mosei.log"; fail "configs/search-mosei.yaml does not load"; }
grep -q "runs/search-mosei" "$WORK/mosei-out" || fail "search-mosei.yaml: output"
echo "search: ok"
