#!/usr/bin/env bash
# The library and the unit tests built with AddressSanitizer + UndefinedBehavior-
# Sanitizer (clang, into build-sanitize/, which also holds the libFuzzer
# harnesses that scripts/fuzz.sh runs), then every unit test under them. Any
# finding aborts the test binary, so this script fails on it.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/build-sanitize.sh
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:alloc_dealloc_mismatch=0:detect_odr_violation=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
for binary in test_core test_model; do
  echo "sanitize: $binary under ASan + UBSan"
  build-sanitize/tests/$binary --reporter compact
done
echo "sanitize: $(( $(date +%s) - start )) s"
