#!/usr/bin/env bash
# Runs every libFuzzer harness (tests/fuzz) for SECONDS each (default 60),
# starting from the seed corpora in tests/fuzz/corpus (copied, never changed),
# and prints executions and coverage per harness. A crash, a sanitizer finding
# or an exception other than daf's InputError/RuntimeFailure fails the run;
# the input that caused it is kept in build-sanitize/fuzz/<harness>/ (turn it
# into a unit test).
#   bash scripts/fuzz.sh            # 60 s each, one per core at a time (CI: 30 s, scripts/test.sh)
#   bash scripts/fuzz.sh 1800       # the long run
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
# Before OMP_NUM_THREADS=1 below: GNU nproc honours it, and reported one core.
cores=$(nproc)
bash scripts/build-sanitize.sh
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:alloc_dealloc_mismatch=0:detect_odr_violation=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2 OMP_NUM_THREADS=1
harnesses=(fuzz_config fuzz_sweep fuzz_cache fuzz_csd fuzz_manifest fuzz_audio fuzz_container fuzz_tokenizer fuzz_jsonl fuzz_csv)

# One harness: a fresh copy of its corpus, then libFuzzer; its exit status goes
# to $work/rc. Harnesses are single-threaded, so one runs per core at a time.
fuzz_one() {
  local harness=$1 work=build-sanitize/fuzz/$1 rc=0
  rm -rf "$work" && mkdir -p "$work/corpus"
  cp tests/fuzz/corpus/"$harness"/* "$work/corpus/" 2>/dev/null || true
  (cd "$work" && "../../tests/fuzz/$harness" corpus -max_total_time="$seconds" -max_len=4096 -timeout=30 \
     -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix=./ >log 2>&1) || rc=$?
  echo "$rc" >"$work/rc"
}
running=0
for harness in "${harnesses[@]}"; do
  if [ "$running" -ge "$cores" ]; then wait -n || true; running=$((running - 1)); fi
  fuzz_one "$harness" &
  running=$((running + 1))
done
wait

status=0
printf '%-14s %12s %8s %8s %8s  %s\n' harness executions exec/s cov features result
for harness in "${harnesses[@]}"; do
  work=build-sanitize/fuzz/$harness
  rc=$(cat "$work/rc" 2>/dev/null || echo 1)
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$work/log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$work/log" | tail -1 | grep -o '[0-9]*' || echo 0)
  ft=$(grep -o 'ft: [0-9]*' "$work/log" | tail -1 | grep -o '[0-9]*' || echo 0)
  result=ok
  if [ "$rc" -ne 0 ]; then
    result="FINDING (see $work/log, input $(ls "$work" | grep -E '^(crash|leak|timeout|oom)-' | head -1))"
    status=1
  fi
  printf '%-14s %12s %8s %8s %8s  %s\n' "$harness" "$runs" "$speed" "$cov" "$ft" "$result"
done
exit $status
