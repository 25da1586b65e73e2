#!/usr/bin/env bash
# scripts/gpu-check.sh in its CPU mode, as it runs on a GPU machine but with
# Debian's LibTorch: a bundle of .debs made by scripts/gpu-bundle.sh, unpacked
# into a prefix, daf built against it alone, and train / eval / ablate /
# extract / predict compared with daf's ordinary build (they must agree
# exactly) and timed.
source "$(dirname "$0")/common.sh"
repo=$(cd "$(dirname "$0")/../.." && pwd)

# Bad invocations fail before anything is built.
expect_exit 2 "--bundle DIR is required" -- bash "$repo/scripts/gpu-check.sh" --cpu
expect_exit 2 "not a bundle" -- bash "$repo/scripts/gpu-check.sh" --bundle "$WORK" --cpu

bash "$repo/scripts/gpu-bundle.sh" "$WORK/bundle" >"$WORK/bundle.log" 2>&1 || { cat "$WORK/bundle.log"; fail "gpu-bundle.sh"; }
grep -E "^gpu-bundle: [0-9]+ packages" "$WORK/bundle.log"
# Runtime package names carry the library's version (libyaml-cpp0.7 and libicu72
# on Debian 12, libyaml-cpp0.8 and libicu76 on 13).
for p in 'libhdf5-dev' 'libyaml-cpp0\.[0-9]+' 'libicu[0-9]+' 'libsentencepiece0' 'pkgconf' 'catch2'; do
  grep -qE "^$p	" "$WORK/bundle/bundle.tsv" || fail "the bundle lacks $p"
done
! grep -q "^libc6	" "$WORK/bundle/bundle.tsv" || fail "the bundle should not carry libc6"

# A damaged .deb is refused by name.
cp -r "$WORK/bundle" "$WORK/damaged"
deb=$(ls "$WORK/damaged"/debs/libyaml-cpp0.[0-9]*_*.deb)
printf 'x' >>"$deb"
expect_exit 1 "$(basename "$deb"): SHA-256 differs" -- bash "$repo/scripts/gpu-check.sh" --bundle "$WORK/damaged" --cpu \
  --work "$WORK/damaged-work"

bash "$repo/scripts/gpu-check.sh" --bundle "$WORK/bundle" --cpu --work "$WORK/check" --jobs 2 --reference-bin "$DAF_BIN" \
  >"$WORK/check.log" 2>&1 || { tail -40 "$WORK/check.log"; fail "gpu-check.sh --cpu"; }
cat "$WORK/check.log"
grep -q "loads HDF5, yaml-cpp, spdlog, fmt, sndfile, samplerate, ICU and sentencepiece from the prefix" "$WORK/check.log" \
  || fail "no check that daf's libraries come from the prefix"
for step in train eval ablate predict; do
  grep -qE "^$step: .*max \|difference\| 0(\.0+)?( |,).*tolerance 0" "$WORK/check.log" || fail "$step: not compared exactly"
done
grep -qE "^extract: embeddings max difference 0 \(tolerance 0\)" "$WORK/check.log" || fail "extract: not compared exactly"
[ "$(grep -cE '^\| (train|eval|ablate|extract|predict) \| [0-9.]+ \| [0-9.]+ \|' "$WORK/check/timing.md")" -eq 5 ] \
  || fail "timing table: $(cat "$WORK/check/timing.md")"
grep -q "all five steps agree (cpu mode)" "$WORK/check.log" || fail "no final verdict"
