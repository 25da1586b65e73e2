#!/usr/bin/env bash
# The README's CMU-MOSEI section, run verbatim: the commands of each code block
# marked <!-- test: NAME --> are read out of README.md and run as printed, in a
# scratch folder laid out like the repository (build/apps, configs, scripts),
# for both routes on their synthetic stand-ins: the SDK's .csd files
# (daf-import --write-synthetic) and MMSA's pickle (scripts/synthetic_mmsa.py).
# Each route must end with dynamic fusion beating static fusion, the bootstrap
# CI of the MAE difference excluding 0. Prints each command's time.
source "$(dirname "$0")/common.sh"
require_numpy_h5py
readme=$DAF_SOURCE/README.md

# block NAME: the commands of the README block marked NAME (comment lines dropped).
block() {
  awk -v name="<!-- test: $1 -->" '
    $0 == name { armed = 1; next }
    armed && /^```bash/ { inside = 1; next }
    inside && /^```/ { exit }
    inside && !/^#/ && NF { print }
    armed && !inside && NF && !/^```/ { armed = 0 }' "$readme"
}

route() {
  local dir=$WORK/$1; shift
  mkdir -p "$dir/build"
  ln -s "$DAF_BIN" "$dir/build/apps"
  ln -s "$DAF_SOURCE/configs" "$dir/configs"
  ln -s "$DAF_SOURCE/scripts" "$dir/scripts"
  local name line
  for name in "$@"; do
    block "$name" >"$WORK/$name.sh"
    [ -s "$WORK/$name.sh" ] || fail "README.md has no block marked '<!-- test: $name -->'"
    while IFS= read -r line; do
      local start=$SECONDS
      (cd "$dir" && bash -euo pipefail -c "$line") >"$WORK/step.out" 2>&1 \
        || { tail -20 "$WORK/step.out"; fail "README command failed: $line"; }
      echo "$((SECONDS - start)) s  $line"
      cat "$WORK/step.out" >>"$WORK/$name.log"
    done <"$WORK/$name.sh"
  done
  # The sweep's last words: the paired comparison with its bootstrap interval.
  local verdict
  verdict=$(grep -E "^dynamic - static, paired by seed: MAE" "$WORK/$name.log") || fail "no comparison printed"
  echo "$verdict"
  "$py" - "$dir/runs/ablate-mosei/comparison.csv" "$verdict" <<'PY' || fail "dynamic fusion did not beat static"
import csv, re, sys
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["metric"] == "MAE"]
differences = [float(r["dynamic"]) - float(r["static"]) for r in rows]
assert len(differences) == 5, differences                       # the paper's 5 seeds
low, high = map(float, re.search(r"CI \[([-0-9.e]+), ([-0-9.e]+)\]", sys.argv[2]).groups())
mean = sum(differences) / len(differences)
assert abs(mean - float(re.search(r"MAE ([-0-9.e]+)", sys.argv[2]).group(1))) < 1e-4, (mean, sys.argv[2])
assert low <= mean <= high < 0, (low, mean, high)               # lower MAE, CI excluding 0
PY
  rm -rf "$dir/data"  # the SDK stand-in takes 1.3 GB
}

route sdk mosei-sdk-synthetic mosei-sdk
grep -q "fold videos in no file: 2927 (.*, and 2917 more)" "$WORK/mosei-sdk.log" \
  || fail "the import report should count the standard folds' videos the stand-in lacks"
route mmsa mosei-mmsa-synthetic mosei-mmsa
echo "e2e readme_mosei: ok"
