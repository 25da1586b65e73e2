#!/usr/bin/env bash
# The README's test command: installs dependencies, builds everything and runs
# the whole test suite: the unit tests again under ASan + UBSan, every libFuzzer
# harness for 30 s, then unit, end-to-end and fault tests through ctest; then,
# on a Debian 12 machine as root, the same in a Debian 13 root
# (scripts/debian13.sh: the installer, build, tests and demo as a new user runs
# them), whose installer runs in the background while the rest builds.
#   --quick   skip the sanitizer, fuzzing and Debian 13 stages (a developer's inner loop)
set -euo pipefail
cd "$(dirname "$0")/.."
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; elif [ $# -gt 0 ]; then echo "usage: test.sh [--quick]" >&2; exit 2; fi
total_start=$(date +%s)
times=()
stage() { times+=("$(printf '%-34s %5d s' "$1" "$(( $(date +%s) - $2 ))")"); }

release=$(. /etc/os-release 2>/dev/null && echo "${ID:-} ${VERSION_ID:-}")
debian13=0
if [ "$quick" -eq 0 ]; then
  if [ "$release" != "debian 12" ]; then
    echo "test: the Debian 13 stage runs on a Debian 12 machine; this is '$release'"
  elif [ "$(id -u)" -ne 0 ]; then
    echo "test: the Debian 13 stage needs root (debootstrap, chroot); skipped"
  else
    debian13=1
  fi
fi

start=$(date +%s)
bash scripts/install-deps.sh --slurm
stage "$release: install-deps" "$start"
if [ "$debian13" -eq 1 ]; then
  # Network and dpkg work, mostly: it overlaps the compiler's.
  prepare_log=$(mktemp /tmp/daf-debian13-prepare.XXXXXX)
  bash scripts/debian13.sh prepare >"$prepare_log" 2>&1 &
  prepare_pid=$!
fi

start=$(date +%s)
# The full run builds as a unity build (every ~16 sources compiled as one file:
# the LibTorch headers parsed a few times instead of ~30 times), about half
# the build time; the Debian 13 stage batches only the sources that see
# LibTorch (DAF_UNITY_TORCH_ONLY) and compiles the others one by one, so that
# a source relying on another one's standard includes still fails somewhere
# (GCC 14's headers include less of each other). --quick builds file by file,
# where editing one file rebuilds one file.
unity=ON
[ "$quick" -eq 0 ] || unity=OFF
bash scripts/build.sh -DDAF_BUILD_TESTS=ON -DDAF_FFMPEG=ON -DCMAKE_UNITY_BUILD=$unity -DCMAKE_UNITY_BUILD_BATCH_SIZE=16
stage "$release: build" "$start"
if [ "$quick" -eq 0 ]; then
  start=$(date +%s)
  bash scripts/sanitize.sh
  bash scripts/fuzz.sh 30
  stage "$release: sanitizers + fuzzing" "$start"
fi
start=$(date +%s)
# --no-tests=error: a suite that registered nothing must fail, not pass.
(cd build && ctest --no-tests=error --output-on-failure --parallel "$(nproc)")
stage "$release: ctest" "$start"

if [ "$debian13" -eq 1 ]; then
  start=$(date +%s)
  rc=0
  wait "$prepare_pid" || rc=$?
  stage "debian 13: waiting for its installer" "$start"
  grep -E '^(debian13|install-deps): ' "$prepare_log" || true
  if [ "$rc" -ne 0 ]; then
    tail -40 "$prepare_log"
    echo "test: the Debian 13 root could not be prepared (log: $prepare_log)" >&2
    exit 1
  fi
  start=$(date +%s)
  bash scripts/debian13.sh test
  stage "debian 13: build, ctest, demo" "$start"
fi

echo
echo "== stage times"
printf '%s\n' "${times[@]}"
echo "total: $(( $(date +%s) - total_start )) s"
