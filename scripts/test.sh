#!/usr/bin/env bash
# The README's test command: installs dependencies, builds everything and runs
# the whole test suite (unit + end-to-end) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
total_start=$(date +%s)
bash scripts/install-deps.sh --slurm
bash scripts/build.sh -DDAF_BUILD_TESTS=ON
test_start=$(date +%s)
cd build
# --no-tests=error: a suite that registered nothing must fail, not pass.
ctest --no-tests=error --output-on-failure --parallel "$(nproc)"
echo "tests: $(( $(date +%s) - test_start )) s; total: $(( $(date +%s) - total_start )) s"
