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
# Both binaries at once (each mostly on one core); their output printed in turn.
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
binaries=(test_core test_model)
pids=()
for binary in "${binaries[@]}"; do
  build-sanitize/tests/$binary --reporter compact >"$logs/$binary" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!binaries[@]}"; do
  binary=${binaries[$i]}
  rc=0
  wait "${pids[$i]}" || rc=$?
  echo "sanitize: $binary under ASan + UBSan"
  cat "$logs/$binary"
  [ "$rc" -eq 0 ] || { echo "sanitize: $binary failed (exit $rc)" >&2; status=1; }
done
[ "$status" -eq 0 ] || exit 1
echo "sanitize: $(( $(date +%s) - start )) s"
