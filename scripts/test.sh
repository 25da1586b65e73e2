#!/usr/bin/env bash
# The README's test command: installs dependencies, builds everything and runs
# the whole test suite: the unit tests again under ASan + UBSan, every libFuzzer
# harness for 60 s, then unit, end-to-end and fault tests through ctest.
#   --quick   skip the sanitizer and fuzzing stages (a developer's inner loop)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; elif [ $# -gt 0 ]; then echo "usage: test.sh [--quick]" >&2; exit 2; fi
total_start=$(date +%s)
bash scripts/install-deps.sh --slurm
bash scripts/build.sh -DDAF_BUILD_TESTS=ON
if [ "$quick" -eq 0 ]; then
  stage_start=$(date +%s)
  bash scripts/sanitize.sh
  bash scripts/fuzz.sh 60
  echo "sanitizers + fuzzing: $(( $(date +%s) - stage_start )) s"
fi
test_start=$(date +%s)
cd build
# --no-tests=error: a suite that registered nothing must fail, not pass.
ctest --no-tests=error --output-on-failure --parallel "$(nproc)"
echo "tests: $(( $(date +%s) - test_start )) s; total: $(( $(date +%s) - total_start )) s"
