#!/usr/bin/env bash
# The companion step of scripts/gpu-check.sh, run HERE (a Debian 12 machine
# with daf's dependencies installed, e.g. by scripts/install-deps.sh): collects
# the Debian 12 .deb files of everything daf needs besides LibTorch, for a
# machine that has a CUDA PyTorch but no package registry.
#
#   bash scripts/gpu-bundle.sh OUT_DIR
#
# OUT_DIR/debs/*.deb and OUT_DIR/bundle.tsv (package, version, bytes, sha256).
# Which packages: the -dev packages daf builds against, pkg-config and Catch2
# (the test fixtures), and every package whose shared libraries those
# libraries load (from ldd), except the C runtime every Linux machine has
# (libc6, libgcc-s1, zlib1g). libstdc++6 is included for a target whose own is
# older than GCC 12's; gpu-check.sh uses it only then.
#
# Each .deb comes from apt's cache when it holds the installed version, else
# from `apt-get download`, else (no network) it is rebuilt from the installed
# package's files with dpkg-deb, so the bundle can be made offline.
set -euo pipefail
out=${1:?usage: gpu-bundle.sh OUT_DIR}
limit_mib=${DAF_BUNDLE_LIMIT_MIB:-48}

dev_packages=(libhdf5-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev libsndfile1-dev libsamplerate0-dev
  libicu-dev libsentencepiece-dev nlohmann-json3-dev catch2 pkgconf pkgconf-bin libpkgconf3)
# The libraries daf links (its sentencepiece shim: libsentencepiece).
lib_dir=/usr/lib/x86_64-linux-gnu
link_libraries=("$lib_dir/hdf5/serial/libhdf5.so" "$lib_dir/libyaml-cpp.so" "$lib_dir/libspdlog.so" "$lib_dir/libfmt.so"
  "$lib_dir/libsndfile.so" "$lib_dir/libsamplerate.so" "$lib_dir/libicuuc.so" "$lib_dir/libicui18n.so"
  "$lib_dir/libsentencepiece.so")
base_packages=" libc6 libgcc-s1 zlib1g "

for p in "${dev_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
    || { echo "gpu-bundle: $p is not installed here (run scripts/install-deps.sh first)" >&2; exit 2; }
done

# Runtime closure: the packages owning every library that the linked libraries
# load. Owners come from dpkg's file lists, looked up by real path with /usr
# and without (merged /usr: dpkg may know either spelling).
declare -A packages=()
for p in "${dev_packages[@]}"; do packages[$p]=1; done
libs=$(for so in "${link_libraries[@]}"; do
  readlink -f "$so"
  ldd "$so" | awk '$3 ~ /^\// {print $3}' | xargs -r readlink -f
done | sort -u)
while read -r owner lib; do
  [ "$owner" != "-" ] || { echo "gpu-bundle: no installed package owns $lib" >&2; exit 1; }
  [[ "$base_packages" == *" $owner "* ]] || packages[$owner]=1
done < <(awk 'FNR == 1 { pkg = FILENAME; sub(/.*\//, "", pkg); sub(/\.list$/, "", pkg); sub(/:.*/, "", pkg) }
              NR == FNR { want[$0] = 1; next }
              { p = $0; q = p; sub(/^\/usr/, "", q)
                if (p in want) owner[p] = pkg; if (("/usr" q) in want) owner["/usr" q] = pkg; if (q in want) owner[q] = pkg }
              END { for (l in want) print ((l in owner) ? owner[l] : "-"), l }' \
          <(printf '%s\n' "$libs") /var/lib/dpkg/info/*.list)

mkdir -p "$out/debs"
rm -f "$out"/debs/*.deb
rebuild() {  # package version -> a .deb made from the installed files
  local p=$1 v=$2 root
  root=$(mktemp -d)
  mkdir -p "$root/DEBIAN"
  dpkg-query -s "$p" | grep -Ev '^(Status|Conffiles):' >"$root/DEBIAN/control"
  dpkg -L "$p" | while read -r f; do
    [ -d "$f" ] && continue  # directories (and links to them, /lib on merged /usr) come with their files
    if [ -L "$f" ] || [ -f "$f" ]; then mkdir -p "$root$(dirname "$f")" && cp -a "$f" "$root$f"; fi
  done
  dpkg-deb --root-owner-group -Zgzip -b "$root" "$out/debs/${p}_${v//:/%3a}_rebuilt.deb" >/dev/null
  rm -rf "$root"
}
# Each package: from apt's cache, else downloaded (all in one apt-get call:
# each call costs ~1 s of CPU reading apt's lists), else rebuilt.
names=$(printf '%s\n' "${!packages[@]}" | sort)
# p=version for every installed version some apt source still offers.
# shellcheck disable=SC2086
offered=$(apt-cache policy $names 2>/dev/null | awk '
  /^[^ ]/ { pkg = $1; sub(/:$/, "", pkg); next }
  /^     [^ ]|^ \*\*\* / { v = ($1 == "***") ? $2 : $1; next }
  /^        [0-9]+ / { if ($2 !~ /dpkg\/status/) print pkg "=" v }' | sort -u)
wanted=()
declare -A version=()
for p in $names; do
  v=$(dpkg-query -W -f='${Version}' "$p")
  version[$p]=$v
  a=$(dpkg-query -W -f='${Architecture}' "$p")
  cached=/var/cache/apt/archives/${p}_${v//:/%3a}_${a}.deb
  if [ -f "$cached" ]; then
    cp "$cached" "$out/debs/"
  elif grep -qxF "$p=$v" <<<"$offered"; then
    wanted+=("$p=$v")
  fi
done
[ "${#wanted[@]}" -eq 0 ] || (cd "$out/debs" && apt-get download -q "${wanted[@]}" >/dev/null 2>&1) || true
for p in $names; do
  v=${version[$p]}
  if ! ls "$out/debs/${p}_"*.deb >/dev/null 2>&1; then
    echo "gpu-bundle: $p $v: not in apt's cache and not downloadable; rebuilt from the installed files" >&2
    rebuild "$p" "$v"
  fi
done

: >"$out/bundle.tsv.tmp"
total=0
for deb in "$out"/debs/*.deb; do
  bytes=$(stat -c %s "$deb")
  total=$((total + bytes))
  printf '%s\t%s\t%s\t%s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)" "$bytes" \
    "$(sha256sum "$deb" | cut -d' ' -f1)" >>"$out/bundle.tsv.tmp"
done
mv "$out/bundle.tsv.tmp" "$out/bundle.tsv"
mib=$(awk -v b="$total" 'BEGIN {printf "%.1f", b / 1048576}')
echo "gpu-bundle: ${#packages[@]} packages, $mib MiB in $out/debs"
if [ "$((total / 1048576))" -ge "$limit_mib" ]; then
  echo "gpu-bundle: the bundle is $mib MiB, over the $limit_mib MiB it should stay under" >&2
  exit 1
fi
