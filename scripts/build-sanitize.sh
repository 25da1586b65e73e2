#!/usr/bin/env bash
# Configures and builds build-sanitize/: clang, ASan + UBSan on every target,
# coverage instrumentation for libFuzzer; the unit tests and the harnesses.
# A unity build (see scripts/test.sh): 3 minutes instead of 5.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
# The clang that scripts/install-deps.sh installs: 19 on Debian 13, 14 on 12.
clang=
for version in 19 14; do
  if command -v "clang++-$version" >/dev/null; then clang=$version; break; fi
done
[ -n "$clang" ] || { echo "build-sanitize: needs clang++-19 or clang++-14 (bash scripts/install-deps.sh)" >&2; exit 2; }
CC=clang-$clang CXX=clang++-$clang cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-gline-tables-only" -DDAF_SANITIZE=address,undefined -DDAF_BUILD_FUZZERS=ON \
  -DDAF_BUILD_TESTS=ON -DDAF_FFMPEG=ON -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 >/dev/null
cmake --build build-sanitize --parallel "$(nproc)" --target test_core test_model \
  fuzz_config fuzz_sweep fuzz_cache fuzz_csd fuzz_manifest fuzz_audio fuzz_container fuzz_tokenizer fuzz_jsonl fuzz_csv
echo "build-sanitize: $(( $(date +%s) - start )) s"
