#!/usr/bin/env bash
# daf-ablate end to end on a tiny generated cache: the same sweep run with
# --jobs 2 (seeds stacked), with --jobs 1 --separate (every run on its own),
# killed with -9 and resumed, and as two shards plus --collect must all give
# identical summaries.
source "$(dirname "$0")/common.sh"

"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/tiny.h5" synth.train_size=600 2>/dev/null
cat >"$WORK/base.yaml" <<YAML
data: {cache: $WORK/tiny.h5}
model: {dim: 32, head_hidden: 32, gate_hidden: 16}
train: {max_epochs: 8, patience: 100, threads: 1}
output: {log_level: warn}
YAML
cat >"$WORK/sweep.yaml" <<'YAML'
base: base.yaml
conditions:
  - {name: dynamic, set: {model.fusion: dynamic}}
  - {name: static, set: {model.fusion: static}}
  - {name: text, set: {data.modalities: [text]}}
grid:
  train.lr: [0.001, 0.002]
exclude:
  - {train.lr: 0.002}
seeds: [1, 2, 3]
evaluate:
  mask: [audio]
  noise: {modalities: [text], std: [1.0]}
compare: {reference: "dynamic,lr=0.001", baseline: "static,lr=0.001", bootstrap: 200}
YAML

start=$(date +%s%N)
"$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --jobs 2 --out "$WORK/j2" >"$WORK/j2.md" 2>"$WORK/j2.log"
echo "jobs 2: $(( ($(date +%s%N) - start) / 1000000 )) ms"
for f in runs.csv summary.csv summary.md robustness.csv comparison.csv gates.csv plan.yaml; do
  [ -s "$WORK/j2/$f" ] || fail "sweep output lacks $f"
done
[ "$(wc -l <"$WORK/j2/summary.csv")" -eq 4 ] || fail "summary.csv should have a header and 3 conditions"
[ "$(grep -c '^\[' "$WORK/j2.log")" -ge 9 ] || fail "expected one log line per run"
grep -q "dynamic,lr=0.001 vs static,lr=0.001" "$WORK/j2/summary.md" || fail "no paired comparison"
grep -q "paired t-test p" "$WORK/j2/summary.md" || fail "no t-test"
grep -q "mask-audio.*audio: .* -> 0.000 (drops)" "$WORK/j2/summary.md" || fail "masked audio weight should drop to 0"
# 3 conditions x 3 seeds x (clean, mask-audio, noise-text-1) = 27 rows, minus mask-audio of the text-only runs.
[ "$(($(wc -l <"$WORK/j2/runs.csv") - 1))" -eq 24 ] || fail "runs.csv should have 24 rows"
if command -v gnuplot >/dev/null; then
  for p in metric gates-dynamic,lr=0.001 robustness; do [ -s "$WORK/j2/plots/$p.png" ] || fail "no plot $p"; done
fi

start=$(date +%s%N)
grep -q "stacked group" "$WORK/j2.log" || fail "daf-ablate did not say that it stacks the seeds"
# LibTorch's own warnings go through daf's log, not LibTorch's stderr format ("[W1206 10:05:51...]");
# LibTorch 2.6's gradient-layout hint for the stacked buffers is not for the user (debug level).
! grep -qE '^\[W[0-9]{4} |gradient layout contract' "$WORK/j2.log" || fail "LibTorch's warning reached stderr: $(head -3 "$WORK/j2.log")"
"$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --jobs 1 --separate --out "$WORK/j1" --no-plots >/dev/null 2>&1
echo "jobs 1, separate runs: $(( ($(date +%s%N) - start) / 1000000 )) ms"
cmp "$WORK/j1/summary.csv" "$WORK/j2/summary.csv" || fail "--jobs 1 --separate and --jobs 2 (stacked) differ"
cmp "$WORK/j1/runs.csv" "$WORK/j2/runs.csv" || fail "runs.csv differs between separate and stacked runs"

# Interrupted: kill -9 once some runs are done, then the same command again.
"$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --jobs 2 --out "$WORK/killed" --no-plots >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 400); do
  [ "$(find "$WORK/killed" -name ablation.csv 2>/dev/null | wc -l)" -ge 3 ] && break
  sleep 0.02
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
done_before=$(find "$WORK/killed" -name ablation.csv | wc -l)
[ "$done_before" -lt 9 ] || fail "the sweep finished before it could be killed"
"$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --jobs 2 --out "$WORK/killed" --no-plots >/dev/null 2>"$WORK/resume.log"
grep -q "$done_before already finished" "$WORK/resume.log" || fail "resume did not keep the finished runs"
cmp "$WORK/killed/summary.csv" "$WORK/j2/summary.csv" || fail "resumed sweep differs"

# Sharded: shard 2 alone cannot be collected; both shards can, identically.
"$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --shard 2/2 --out "$WORK/sharded" >/dev/null 2>&1
expect_exit 2 "shard 1/2" -- "$DAF_BIN/daf-ablate" --collect "$WORK/sharded"
"$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --shard 1/2 --out "$WORK/sharded" >/dev/null 2>&1
"$DAF_BIN/daf-ablate" --collect "$WORK/sharded" --no-plots >/dev/null 2>&1
cmp "$WORK/sharded/summary.csv" "$WORK/j2/summary.csv" || fail "sharded + collected sweep differs"

# Bad sweeps are rejected before anything runs.
sed 's/model.fusion: static/model.fusion: statik/' "$WORK/sweep.yaml" >"$WORK/bad1.yaml"
expect_exit 2 "condition 'static,lr=0.001'" -- "$DAF_BIN/daf-ablate" --config "$WORK/bad1.yaml" --out "$WORK/b1"
[ ! -e "$WORK/b1" ] || fail "a rejected sweep created its output folder"
sed 's/data.modalities: \[text\]/data.modalities: [txt]/' "$WORK/sweep.yaml" >"$WORK/bad2.yaml"
expect_exit 2 "modality 'txt' is not in" -- "$DAF_BIN/daf-ablate" --config "$WORK/bad2.yaml"
sed 's/^seeds:/seedz:/' "$WORK/sweep.yaml" >"$WORK/bad3.yaml"
expect_exit 2 "unknown sweep key 'seedz', did you mean 'seeds'?" -- "$DAF_BIN/daf-ablate" --config "$WORK/bad3.yaml"
sed 's/train.lr: \[0.001, 0.002\]/train.lr: [0.001, fast]/' "$WORK/sweep.yaml" >"$WORK/bad4.yaml"
expect_exit 2 "key 'train.lr': expected a number > 0, found 'fast'" -- "$DAF_BIN/daf-ablate" --config "$WORK/bad4.yaml"
expect_exit 2 "--shard: expected K/N" -- "$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --shard 3/2
expect_exit 2 "no plan.yaml" -- "$DAF_BIN/daf-ablate" --collect "$WORK/nowhere"
# Conditions that differ only in keys that keep the shapes (learning rate,
# weight decay, dropout, temperature, loss, clipping) train as one stacked
# group, with the numbers each gets alone; a shape-changing key splits groups.
cat >"$WORK/mixed.yaml" <<'YAML'
base: base.yaml
conditions:
  - {name: plain, set: {}}
  - {name: fast, set: {train.lr: 0.003}}
  - {name: decay, set: {train.weight_decay: 0.01, train.grad_clip: 0.1}}
  - {name: drop, set: {model.dropout: 0.3, model.head_dropout: 0.2}}
  - {name: hot, set: {model.temperature: 2.0}}
  - {name: mse, set: {train.loss: mse, train.modality_dropout: {audio: 0.4}}}
  - {name: wide, set: {model.dim: 48}}
seeds: [1, 2]
compare: {reference: fast, baseline: plain, bootstrap: 50}
YAML
"$DAF_BIN/daf-ablate" --config "$WORK/mixed.yaml" --jobs 1 --out "$WORK/mixed" --no-plots >/dev/null 2>"$WORK/mixed.log" \
  || { cat "$WORK/mixed.log"; fail "mixed sweep"; }
grep -q "training 14 runs as 2 stacked group(s)" "$WORK/mixed.log" || fail "mixed sweep: $(grep -i group "$WORK/mixed.log")"
grep -q "group 2: 2 run(s): wide seed 1, wide seed 2 (apart from group 1: model.dim: 32 -> 48)" "$WORK/mixed.log" \
  || fail "no reason for the second group: $(grep 'group 2' "$WORK/mixed.log")"
"$DAF_BIN/daf-ablate" --config "$WORK/mixed.yaml" --jobs 1 --separate --out "$WORK/mixed-separate" --no-plots \
  >/dev/null 2>&1 || fail "mixed sweep, --separate"
cmp "$WORK/mixed/runs.csv" "$WORK/mixed-separate/runs.csv" || fail "heterogeneous stacked rows differ from separate runs"

# The missing-rate protocol: tables, MultiBench's robustness (recomputed here
# from runs.csv), gate weights per rate and the plot.
cat >"$WORK/missing.yaml" <<'YAML'
base: base.yaml
conditions:
  - {name: dynamic, set: {model.fusion: dynamic}}
  - {name: static, set: {model.fusion: static}}
  - {name: text, set: {data.modalities: [text]}}
seeds: [1, 2]
evaluate:
  missing_rate: {modalities: [audio, any], rates: [0.3, 0.7]}
compare: {reference: dynamic, baseline: static, bootstrap: 50}
YAML
"$DAF_BIN/daf-ablate" --config "$WORK/missing.yaml" --jobs 2 --out "$WORK/missing" >/dev/null 2>"$WORK/missing.log" \
  || { cat "$WORK/missing.log"; fail "missing-rate sweep"; }
grep -q "## Missing modalities: test MAE at each missing rate" "$WORK/missing/summary.md" || fail "no missing-rate section"
grep -q "### any modality missing" "$WORK/missing/summary.md" || fail "no 'any' table"
grep -qE "^\| condition +\| 0 \(clean\) +\| 0.3 +\| 0.7 +\| relative robustness +\| effective robustness +\|" \
  "$WORK/missing/summary.md" || fail "missing-rate table header: $(grep -A2 'audio missing' "$WORK/missing/summary.md")"
! grep -q "missing-audio" "$WORK/missing/robustness.csv" 2>/dev/null || fail "missing rates belong in their own table"
# 2 conditions (text-only runs cannot lose a modality) x 2 curves x 3 points.
[ "$(($(wc -l <"$WORK/missing/missing_rate.csv") - 1))" -eq 12 ] || fail "missing_rate.csv: $(cat "$WORK/missing/missing_rate.csv")"
grep -q "missing-audio-0.7,.*" "$WORK/missing/gates.csv" || fail "no gate weights per rate"
"$py" - "$WORK/missing" <<'PY' || fail "missing-rate robustness differs from its definition"
import csv, sys
d = sys.argv[1]
runs = list(csv.DictReader(open(f"{d}/runs.csv")))
mae = {(r["condition"], r["seed"], r["eval"]): float(r["MAE"]) for r in runs}
assert not any(r["condition"] == "text" and r["eval"].startswith("missing-") for r in runs)
rates = [0.0, 0.3, 0.7]
def curve(cond, seed, m):
    return [mae[(cond, seed, "clean")]] + [mae[(cond, seed, f"missing-{m}-{r}")] for r in rates[1:]]
def mean_std(v):
    mu = sum(v) / len(v)
    return mu, (sum((x - mu) ** 2 for x in v) / (len(v) - 1)) ** 0.5
rows = {(r["condition"], r["modality"]): r for r in csv.DictReader(open(f"{d}/missing_robustness.csv"))}
for cond in ("dynamic", "static"):
    for m in ("audio", "any"):
        rr = [sum((rates[i + 1] - rates[i]) * (f[i] + f[i + 1]) / 2 for i in range(2)) for f in
              (curve(cond, s, m) for s in ("1", "2"))]
        er = []
        for s in ("1", "2"):
            f, b = curve(cond, s, m), curve("static", s, m)
            er.append(sum(f[i] - (b[i] + f[0] - b[0]) for i in range(3)))
        row = rows[(cond, m)]
        for name, values in (("relative_robustness", rr), ("effective_robustness", er)):
            mu, sd = mean_std(values)
            assert abs(float(row[name + "_mean"]) - mu) < 1e-9 and abs(float(row[name + "_std"]) - sd) < 1e-9, \
                (cond, m, name, row, mu, sd)
        assert row["effective_reference"] == "static" and row["seeds"] == "2", row
        # Losing more audio does not help.
        assert mae[("dynamic", "1", f"missing-{m}-0.7")] >= mae[("dynamic", "1", "clean")] - 0.05
print("missing-rate robustness: recomputed from runs.csv, identical")
PY
if command -v gnuplot >/dev/null; then [ -s "$WORK/missing/plots/missing-rate.png" ] || fail "no missing-rate plot"; fi
# The masks do not depend on the run: --separate gives the same numbers.
"$DAF_BIN/daf-ablate" --config "$WORK/missing.yaml" --jobs 1 --separate --out "$WORK/missing-separate" --no-plots \
  >/dev/null 2>&1 || fail "missing-rate sweep, --separate"
cmp "$WORK/missing/missing_rate.csv" "$WORK/missing-separate/missing_rate.csv" || fail "missing rates differ with --separate"
sed 's/0.3, 0.7/0.3, 1.5/' "$WORK/missing.yaml" >"$WORK/bad5.yaml"
expect_exit 2 "rates: expected numbers in (0, 1)" -- "$DAF_BIN/daf-ablate" --config "$WORK/bad5.yaml" --out "$WORK/b5"
echo "e2e ablate: ok"
