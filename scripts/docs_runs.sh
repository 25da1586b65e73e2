#!/usr/bin/env bash
# The sweeps the README's generated numbers come from, made as the README's
# commands make them: the demo (configs/ablate-demo.yaml, what scripts/demo.sh
# runs) and the two emotion demos, into DIR/data and DIR/runs (~1 minute on 2
# cores). Then:
#   /usr/bin/python3 scripts/update_docs.py --runs DIR/runs            # rewrite the blocks
#   /usr/bin/python3 scripts/update_docs.py --runs DIR/runs --check    # what e2e.docs runs
#   scripts/docs_runs.sh DIR        (DAF_BIN: the executables; default build/apps)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${DAF_BIN:-$repo/build/apps}")
dir=${1:?usage: scripts/docs_runs.sh DIR}
mkdir -p "$dir/data" && cd "$dir"
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
for preset in demo categorical emotions; do
  "$bin/daf-synth" --preset "$preset" --out "data/$preset.h5" >/dev/null 2>&1
done
for sweep in ablate-demo ablate-categorical-demo ablate-emotions-demo; do
  rm -rf "runs/$sweep"
  "$bin/daf-ablate" --config "$repo/configs/$sweep.yaml" --jobs "$(nproc)" >/dev/null 2>"$sweep.log" \
    || { cat "$sweep.log" >&2; echo "docs_runs: $sweep failed" >&2; exit 1; }
done
