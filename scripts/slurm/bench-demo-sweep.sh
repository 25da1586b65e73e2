#!/usr/bin/env bash
# Benchmark (not a test): wall time of the README demo sweep
# (configs/ablate-demo.yaml, 21 runs + 189 evaluations + collect) in one local
# process vs. as a 4-task array + collect job on a single-node Slurm cluster
# that this script starts (as root, after scripts/install-deps.sh --slurm;
# tests/slurm/cluster.sh) and stops again.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/slurm/cluster.sh
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2 DAF_BIN=$PWD/build/apps
work=$(mktemp -d)
slurm_start "$work/cluster"
trap 'slurm_stop; rm -rf "$work"' EXIT
[ -s data/demo.h5 ] || build/apps/daf-synth --preset demo --out data/demo.h5 2>/dev/null
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

start=$(now)
build/apps/daf-ablate --config configs/ablate-demo.yaml --out "$work/local" --jobs "$(nproc)" >/dev/null 2>&1
local_seconds=$(since "$start")

start=$(now)
ids=$(scripts/slurm/submit-sweep.sh configs/ablate-demo.yaml --tasks 4 --cpus-per-task 1 --mem 2G \
  --time 00:30:00 --out "$work/array" --logs "$work/logs")
read -r array collect < <(echo "$ids" | sed -E 's/^array job ([0-9]+) .*collect job ([0-9]+).*/\1 \2/')
slurm_wait 1200 "$array" "$collect"
array_seconds=$(since "$start")
cmp "$work/local/summary.csv" "$work/array/summary.csv" && same="identical" || same="DIFFERENT"
echo "demo sweep on $(nproc) cores: one local process (--jobs $(nproc)): $local_seconds s;" \
     "4-task array (1 CPU each) + collect job: $array_seconds s; summary.csv $same"
