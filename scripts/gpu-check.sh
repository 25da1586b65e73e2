#!/usr/bin/env bash
# One-command GPU check, for a machine with an NVIDIA GPU and a CUDA build of
# PyTorch but no package registry:
#
#   here:  bash scripts/gpu-bundle.sh bundle        # Debian 12 .debs of daf's other dependencies
#   there: bash scripts/gpu-check.sh --bundle bundle
#
# It unpacks the bundle into a prefix (nothing is installed), builds daf against
# that PyTorch's LibTorch (torch.utils.cmake_prefix_path) and the prefix, checks
# that every library daf links comes from the prefix, then runs daf-train,
# daf-eval, daf-ablate (stacked seeds), daf-extract and daf-predict on generated
# data on the CPU and on the GPU, compares each pair and prints a timing table.
#
# --cpu: the same on a machine without a GPU, with Debian's LibTorch: the
# "device" runs are CPU runs too (with --reference-bin DIR the CPU runs use
# those executables, e.g. daf's ordinary build, so the prefix build is
# compared with it). The test e2e.gpu_check runs this mode.
#
# Tolerances (device vs CPU): a CPU device must agree exactly (0). On CUDA,
# evaluating the same trained head: predictions and gate weights within 1e-4;
# encoders (cuDNN may use TF32 convolutions): embeddings within 2e-2 absolute
# (they are O(1)), predictions from them within 2e-2; training (other summation
# orders, so the runs drift apart): the first epoch's validation metric within
# 1e-2 and the test metrics of the best epoch within 0.1 absolute.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
bundle="" work="" mode=gpu reference_bin="" jobs=$(nproc) torch_prefix=""
usage() {
  sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'
  echo "usage: gpu-check.sh --bundle DIR [--cpu] [--work DIR] [--jobs N] [--torch PREFIX] [--reference-bin DIR]"
}
while [ $# -gt 0 ]; do
  case $1 in
    --bundle) bundle=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --cpu) mode=cpu; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --torch) torch_prefix=$2; shift 2 ;;
    --reference-bin) reference_bin=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "gpu-check: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
die() { echo "gpu-check: $*" >&2; exit "${code:-1}"; }
[ -n "$bundle" ] || code=2 die "--bundle DIR is required (made by scripts/gpu-bundle.sh)"
[ -f "$bundle/bundle.tsv" ] || code=2 die "$bundle/bundle.tsv not found: not a bundle from scripts/gpu-bundle.sh"
bundle=$(cd "$bundle" && pwd)
work=${work:-$repo/build-gpu-check}
mkdir -p "$work"
work=$(cd "$work" && pwd)
device=cuda
[ "$mode" = gpu ] || device=cpu
for tool in cmake ninja python3 readelf; do command -v $tool >/dev/null || die "$tool is needed and not installed"; done

# 1. The prefix: every .deb unpacked (again only when the bundle changed).
# libstdc++6 goes to a folder of its own, used only when this machine's is older.
prefix=$work/prefix
stamp=$(sha256sum "$bundle/bundle.tsv" | cut -d' ' -f1)
unpack() {  # .deb -> folder, with dpkg-deb or, without dpkg, ar + tar
  if command -v dpkg-deb >/dev/null; then dpkg-deb -x "$1" "$2"; return; fi
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && ar x "$1" && tar -xf data.tar.* -C "$2")
  rm -rf "$tmp"
}
if [ "$(cat "$prefix/.bundle" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$prefix" "$work/compat"
  mkdir -p "$prefix" "$work/compat"
  while IFS=$'\t' read -r package version bytes sha; do
    deb=$(ls "$bundle"/debs/"${package}"_*.deb 2>/dev/null | head -1)
    [ -n "$deb" ] || die "$bundle/bundle.tsv lists $package $version, but debs/ has no ${package}_*.deb"
    [ "$(sha256sum "$deb" | cut -d' ' -f1)" = "$sha" ] || die "$deb: SHA-256 differs from bundle.tsv (damaged copy?)"
    if [ "$package" = libstdc++6 ]; then unpack "$deb" "$work/compat"; else unpack "$deb" "$prefix"; fi
  done <"$bundle/bundle.tsv"
  # pkg-config files name /usr; private requirements are for static linking only.
  find "$prefix" -name '*.pc' -exec sed -i -e "s#^prefix *= */usr#prefix=$prefix/usr#" -e '/^Requires.private/d' {} +
  echo "$stamp" >"$prefix/.bundle"
fi
arch_dir=usr/lib/x86_64-linux-gnu
library_path=$prefix/$arch_dir:$prefix/$arch_dir/hdf5/serial:$prefix/lib/x86_64-linux-gnu
# Every bundled library must load here: report what this machine lacks.
missing_symbols() {
  # $prefix/lib exists only where a package still ships files in /lib (Debian 12;
  # Debian 13's are all under /usr): find fails on a missing folder.
  find "$prefix/$arch_dir" "$prefix/lib" -name '*.so.*' -type f 2>/dev/null | while read -r so; do
    LD_LIBRARY_PATH=$library_path ldd "$so" 2>&1 | { grep -E "not found" || true; } | sed "s#^#$(basename "$so"): #"
  done | sort -u
  return 0
}
problems=$(missing_symbols)
if grep -q "GLIBCXX\|CXXABI" <<<"$problems"; then
  library_path=$library_path:$(find "$work/compat" -name 'libstdc++.so.6' -printf '%h')
  echo "gpu-check: this machine's libstdc++ is older than Debian 12's; using the bundled one"
  problems=$(missing_symbols)
fi
[ -z "$problems" ] || die "the bundled libraries cannot load here (glibc older than Debian 12's 2.36?):
$problems"
export LD_LIBRARY_PATH=$library_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# 2. LibTorch: the CUDA PyTorch's, or (--cpu) Debian's.
if [ -z "$torch_prefix" ] && [ "$mode" = gpu ]; then
  info=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path); print(torch.__version__);
print(int(torch.cuda.is_available())); print(int(torch._C._GLIBCXX_USE_CXX11_ABI)); print(torch.version.cuda)') \
    || die "python3 cannot import torch: a CUDA build of PyTorch is needed (or --torch PREFIX)"
  torch_prefix=$(sed -n 1p <<<"$info")
  echo "gpu-check: PyTorch $(sed -n 2p <<<"$info"), CUDA $(sed -n 5p <<<"$info"), LibTorch from $torch_prefix"
  [ "$(sed -n 3p <<<"$info")" = 1 ] || die "this PyTorch sees no CUDA GPU (torch.cuda.is_available() is False)"
  [ "$(sed -n 4p <<<"$info")" = 1 ] || die "this PyTorch uses the pre-C++11 std::string ABI; Debian's yaml-cpp and
spdlog use the C++11 one, so daf cannot link both. Use a PyTorch built with the C++11 ABI or the official
LibTorch 'cxx11 ABI' download (--torch PREFIX)."
fi
cmake_prefix=$prefix/usr${torch_prefix:+;$torch_prefix}

# 3. Build what the checks run, against the prefix only.
build=$work/build
start=$(date +%s)
# pkg-config and CMake look only into the prefix (and the LibTorch folder).
export PKG_CONFIG_LIBDIR=$prefix/$arch_dir/pkgconfig:$prefix/usr/share/pkgconfig
# A unity build (see scripts/test.sh): the compiler's front end is most of the
# cost, and it parses LibTorch's headers a few times instead of ~30.
# FFmpeg stays out: its libraries load ~200 Debian packages of codecs, far
# past the bundle's size, and no step of this check reads a video.
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDAF_BUILD_TESTS=ON -DDAF_FFMPEG=OFF \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 \
  "-DCMAKE_PREFIX_PATH=$cmake_prefix" -DPKG_CONFIG_EXECUTABLE="$prefix/usr/bin/pkgconf" \
  -DHDF5_C_COMPILER_EXECUTABLE=HDF5_C_COMPILER_EXECUTABLE-NOTFOUND \
  "-DHDF5_C_INCLUDE_DIR=$prefix/usr/include/hdf5/serial" \
  "-DHDF5_hdf5_LIBRARY_RELEASE=$prefix/$arch_dir/hdf5/serial/libhdf5.so" >"$work/cmake.log" 2>&1 \
  || { tail -30 "$work/cmake.log" >&2; die "cmake failed (log: $work/cmake.log)"; }
cmake --build "$build" -j "$jobs" --target daf-synth daf-train daf-eval daf-ablate daf-extract daf-predict \
  daf-test-fixtures daf_sentencepiece >"$work/build.log" 2>&1 \
  || { tail -30 "$work/build.log" >&2; die "the build failed (log: $work/build.log)"; }
build_seconds=$(($(date +%s) - start))
bin=$build/apps
echo "gpu-check: built daf in ${build_seconds}s ($build)"

# Every library of the bundle that daf links (its NEEDED entries; what LibTorch
# itself loads is LibTorch's business) must resolve into the prefix.
shim=$(find "$build" -name 'libdaf_sentencepiece*.so*' -type f | head -1)
for f in "$bin/daf-train" "$bin/daf-extract" "$shim"; do
  needed=" $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ') "
  ldd "$f" | awk '$3 ~ /^\// {print $1, $3}' | while read -r name path; do
    [[ "$needed" == *" $name "* ]] || continue
    case $name in
      libhdf5*|libyaml-cpp*|libspdlog*|libfmt*|libsndfile*|libsamplerate*|libicu*|libsentencepiece*)
        [[ $path == "$prefix"/* ]] || die "$(basename "$f") loads $name from $path, not from the prefix" ;;
    esac
  done
done
echo "gpu-check: daf loads HDF5, yaml-cpp, spdlog, fmt, sndfile, samplerate, ICU and sentencepiece from the prefix"

# 4. The checks: each step on the CPU (reference) and on the device.
ref_bin=${reference_bin:-$bin}
run=$work/run
rm -rf "$run"
mkdir -p "$run"
cd "$run"
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
threads=$(( jobs < 4 ? jobs : 4 ))
declare -A seconds=()
timed() {  # name ref|dev command... : runs it, logs it, records its wall time
  local name=$1 side=$2 t0
  shift 2
  t0=$(date +%s.%N)
  "$@" >"$run/$name-$side.log" 2>&1 || { tail -20 "$run/$name-$side.log" >&2; die "$name on $side failed: $*"; }
  seconds[$name-$side]=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$t0" "$(date +%s.%N)")
}
compare() { python3 "$repo/scripts/gpu_check_compare.py" "$@" || die "$1: $device differs from the CPU beyond the tolerance"; }
if [ "$device" = cpu ]; then exact=1; else exact=0; fi

"$ref_bin/daf-synth" --preset tiny --out data.h5 synth.train_size=4000 >/dev/null 2>&1 || die "daf-synth failed"
train_args=(data.cache=data.h5 train.max_epochs=10 train.threads=$threads model.dim=64 output.log_level=warn)
timed train ref "$ref_bin/daf-train" "${train_args[@]}" output.dir=train-cpu train.device=cpu
timed train dev "$bin/daf-train" "${train_args[@]}" output.dir=train-dev train.device=$device
compare train train-cpu train-dev --exact $exact

timed eval ref "$ref_bin/daf-eval" --run train-cpu --out eval-cpu --threads $threads --device cpu
timed eval dev "$bin/daf-eval" --run train-cpu --out eval-dev --threads $threads --device $device
compare eval eval-cpu/predictions.csv eval-dev/predictions.csv --exact $exact

for side in cpu dev; do
  d=$device
  [ $side = cpu ] && d=cpu
  cat >base-$side.yaml <<YAML
data: {cache: $run/data.h5}
model: {dim: 32}
train: {max_epochs: 6, threads: 1, device: $d}
output: {log_level: warn}
YAML
  cat >sweep-$side.yaml <<YAML
base: base-$side.yaml
conditions:
  - {name: dynamic, set: {model.fusion: dynamic}}
  - {name: static, set: {model.fusion: static}}
seeds: [1, 2, 3, 4]
evaluate: {mask: [audio]}
YAML
done
timed ablate ref "$ref_bin/daf-ablate" --config sweep-cpu.yaml --jobs 2 --out ablate-cpu --no-plots
timed ablate dev "$bin/daf-ablate" --config sweep-dev.yaml --jobs 2 --out ablate-dev --no-plots
compare ablate ablate-cpu/summary.csv ablate-dev/summary.csv --exact $exact

"$bin/daf-test-fixtures" encoders enc >/dev/null 2>&1 || die "writing the test encoders failed"
"$bin/daf-test-fixtures" corpus corpus 300 >/dev/null 2>&1 || die "writing the test corpus failed"
for side in cpu dev; do
  d=$device
  [ $side = cpu ] && d=cpu
  cat >enc-$side.yaml <<YAML
extract: {device: $d, threads: $threads}
text: {encoder: enc/text_encoder.pt, tokenizer: sentencepiece, sentencepiece_model: corpus/spm.model, bos_id: 1, eos_id: 2}
audio: {encoder: enc/speech_encoder.pt, max_seconds: 1.5}
YAML
done
timed extract ref "$ref_bin/daf-extract" -c enc-cpu.yaml --manifest corpus/manifest.csv --out extract-cpu.h5
timed extract dev "$bin/daf-extract" -c enc-dev.yaml --manifest corpus/manifest.csv --out extract-dev.h5
tolerance=0
[ $exact = 1 ] || tolerance=2e-2
"$bin/daf-test-fixtures" compare extract-cpu.h5 extract-dev.h5 $tolerance >extract-compare.txt 2>&1 \
  || { cat extract-compare.txt >&2; die "extract: $device embeddings differ from the CPU's beyond $tolerance"; }
echo "extract: embeddings $(cat extract-compare.txt) (tolerance $tolerance)"

"$ref_bin/daf-train" data.cache=extract-cpu.h5 data.modalities=[text,audio] output.dir=predict-run train.max_epochs=3 \
  model.dim=16 output.log_level=warn >/dev/null 2>&1 || die "training the head for daf-predict failed"
timed predict ref "$ref_bin/daf-predict" --run predict-run --encoders enc-cpu.yaml corpus/manifest.csv --out predict-cpu.csv
timed predict dev "$bin/daf-predict" --run predict-run --encoders enc-dev.yaml corpus/manifest.csv \
  --out predict-dev.csv
compare predict predict-cpu.csv predict-dev.csv --exact $exact

# 5. The table.
ref_label=CPU dev_label=$device
[ "$mode" = gpu ] || { ref_label="reference build, CPU"; dev_label="prefix build, CPU"; }
{
  echo "| step | $ref_label s | $dev_label s | ratio |"
  echo "|------|------:|------:|------:|"
  for step in train eval ablate extract predict; do
    python3 -c "import sys; c, d = float(sys.argv[2]), float(sys.argv[3]); print(f'| {sys.argv[1]} | {c:.2f} | {d:.2f} | {c / max(d, 1e-9):.2f}x |')" \
      "$step" "${seconds[$step-ref]}" "${seconds[$step-dev]}"
  done
} | tee "$work/timing.md"
echo "gpu-check: all five steps agree ($mode mode); table in $work/timing.md"
