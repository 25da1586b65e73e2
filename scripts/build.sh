#!/usr/bin/env bash
# Configures and builds daf into build/ (Release, Ninja). Extra arguments go to
# cmake's configure step, e.g. -DCMAKE_PREFIX_PATH=/opt/libtorch for an
# official (CUDA) LibTorch. Set DAF_TARGETS to build only some targets.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
# shellcheck disable=SC2086
cmake --build build --parallel "$(nproc)" ${DAF_TARGETS:+--target $DAF_TARGETS}
echo "build: $(( $(date +%s) - start )) s"
