#!/usr/bin/env bash
# CI's Debian 13 stage: daf as a new user meets it on Debian 13 (trixie). A
# trixie root made by debootstrap from deb.debian.org (the archive that
# install-deps.sh's apt uses on this machine), a copy of this checkout in it
# (tracked and untracked files, as git sees them), then inside it, as root:
#   prepare  scripts/install-deps.sh (the README's installer)
#   test     the build with tests, the unit tests, every end-to-end test but
#            e2e.slurm (it starts daemons), e2e.gpu_check (a second build of
#            daf) and those over a minute (label over_a_minute), then scripts/demo.sh, its output kept in DIR/demo.txt; then,
#            where this checkout's build/ has the tools, the same demo here
#            and scripts/compare_releases.py on the two (DIR/comparison.md)
#   compare  only that last comparison, on the root's demo outputs
#   all      prepare and test (the default)
# Needs root: debootstrap, chroot and bind mounts, made in a private mount
# namespace so that nothing stays mounted after a kill.
#
# DAF_DEBIAN13_DIR (default /var/cache/daf-debian13) holds:
#   base/         the pristine root; reused while it is present, made by this
#                 recipe and has no upgrade pending in the archive, else made
#                 anew (~2 min)
#   archives/     apt's downloaded .debs, kept between runs (the installer
#                 still installs every package into a fresh copy)
#   root/         this run's copy of base/, with the checkout in /root/daf
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
step=${1:-all}
case "$step" in prepare|test|compare|all) ;; *) echo "usage: debian13.sh [prepare|test|compare|all]" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "debian13.sh: needs root (debootstrap, chroot, mounts)" >&2; exit 2; }

dir=${DAF_DEBIAN13_DIR:-/var/cache/daf-debian13}
mirror=http://deb.debian.org/debian
recipe="daf-debian13 recipe 1: debootstrap --variant=minbase trixie $mirror; trixie, trixie-updates, trixie-security"
base=$dir/base root=$dir/root
mkdir -p "$dir/archives/partial"

say() { echo "debian13: $*"; }
seconds_since() { echo $(( $(date +%s) - $1 )); }

# Runs a command as root inside ROOT with /proc, /sys, /dev and the shared apt
# archive mounted, in a mount namespace of its own.
in_root() {
  local target=$1; shift
  cp /etc/resolv.conf "$target/etc/resolv.conf"
  # This machine's way out: its proxy settings and the certificate files they
  # name (the CAs themselves are copied into the root by copy_trust).
  local network=() name
  for name in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY NODE_EXTRA_CA_CERTS SSL_CERT_FILE SSL_CERT_DIR; do
    [ -z "${!name:-}" ] || network+=("$name=${!name}")
  done
  # Node.js reads only its own CA list unless told: with extra CAs, point it at
  # the root's bundle (update-ca-certificates adds the copied ones to it).
  if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -n "$(ls -A /usr/local/share/ca-certificates 2>/dev/null)" ]; then
    network+=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
  fi
  unshare --mount --propagation private -- bash -c '
    set -e
    target=$1 archives=$2; shift 2
    network=(); while [ "$1" != -- ]; do network+=("$1"); shift; done; shift
    mount -t proc proc "$target/proc"
    mount --rbind /sys "$target/sys"
    mount --rbind /dev "$target/dev"
    mount --bind "$archives" "$target/var/cache/apt/archives"
    exec chroot "$target" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CI="${CI:-}" \
      DEBIAN_FRONTEND=noninteractive PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      "${network[@]}" "$@"' \
    in_root "$target" "$dir/archives" "${network[@]}" -- "$@"
}

base_is_current() {
  [ -f "$base/etc/daf-debian13" ] && [ "$(cat "$base/etc/daf-debian13")" = "$recipe" ] || return 1
  in_root "$base" apt-get update -qq >/dev/null 2>&1 || return 1
  local pending
  pending=$(in_root "$base" apt-get -s -o Debug::NoLocking=1 dist-upgrade 2>/dev/null | grep -c '^Inst ' || true)
  [ "$pending" -eq 0 ] || { say "base root: $pending upgrades pending in the archive"; return 1; }
}

make_base() {
  local start
  start=$(date +%s)
  command -v debootstrap >/dev/null || { say "needs debootstrap: run scripts/install-deps.sh" >&2; exit 2; }
  rm -rf "$base" "$base.new"
  debootstrap --variant=minbase --cache-dir="$dir/archives" trixie "$base.new" "$mirror" >"$dir/debootstrap.log" 2>&1 \
    || { tail -20 "$dir/debootstrap.log" >&2; say "debootstrap failed (log: $dir/debootstrap.log)"; exit 1; }
  rm -f "$base.new/etc/apt/sources.list"
  cat >"$base.new/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: trixie-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  # Packages must not start services in a chroot.
  printf '#!/bin/sh\nexit 101\n' >"$base.new/usr/sbin/policy-rc.d" && chmod +x "$base.new/usr/sbin/policy-rc.d"
  # The shared archive folder belongs to root here, not to the root's _apt user.
  echo 'APT::Sandbox::User "root";' >"$base.new/etc/apt/apt.conf.d/90daf-sandbox"
  in_root "$base.new" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive in_root "$base.new" apt-get dist-upgrade -y -qq >/dev/null
  echo "$recipe" >"$base.new/etc/daf-debian13"
  mv "$base.new" "$base"
  say "made the base root in $(seconds_since "$start") s"
}

# The CAs this machine trusts beyond Debian's (an egress proxy's, a site's),
# so that the installer's npm reaches the registry from the root as from here.
copy_trust() {
  local target=$1
  if [ -d /usr/local/share/ca-certificates ]; then
    mkdir -p "$target/usr/local/share/ca-certificates"
    cp -a /usr/local/share/ca-certificates/. "$target/usr/local/share/ca-certificates/"
    if [ -x "$target/usr/sbin/update-ca-certificates" ]; then in_root "$target" update-ca-certificates >/dev/null; fi
  fi
  return 0
}

# This checkout into the root's /root/daf, as a clean clone would have it;
# what the root built there (build/, the installer's npm packages) stays, so a
# second 'test' rebuilds only what changed.
copy_checkout() {
  local copy=$root/root/daf
  mkdir -p "$copy"
  find "$copy" -mindepth 1 -maxdepth 1 ! -name build ! -name tests -exec rm -rf {} +
  [ ! -d "$copy/tests" ] || find "$copy/tests" -mindepth 1 -maxdepth 1 ! -name reference -exec rm -rf {} +
  [ ! -d "$copy/tests/reference" ] || find "$copy/tests/reference" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf -) | tar -xf - -C "$copy"
}

prepare() {
  local start
  start=$(date +%s)
  if base_is_current; then say "reusing the base root $base"; else make_base; fi
  rm -rf "$root"
  cp -a "$base" "$root"
  copy_trust "$root"
  copy_checkout
  say "root ready in $(seconds_since "$start") s; running the installer in it"
  start=$(date +%s)
  in_root "$root" bash -c 'cd /root/daf && bash scripts/install-deps.sh'
  say "installer: $(seconds_since "$start") s"
}

run_tests() {
  [ -f "$root/etc/daf-debian13" ] || { say "no prepared root in $root: run 'debian13.sh prepare' first" >&2; exit 2; }
  local start
  copy_checkout
  start=$(date +%s)
  in_root "$root" bash -c 'cd /root/daf && bash scripts/build.sh -DDAF_BUILD_TESTS=ON -DDAF_FFMPEG=ON \
    -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 -DDAF_UNITY_TORCH_ONLY=ON'
  say "build: $(seconds_since "$start") s"
  start=$(date +%s)
  in_root "$root" bash -c 'cd /root/daf/build && ctest --no-tests=error --output-on-failure --parallel "$(nproc)" -LE "slurm|gpu_check|over_a_minute"'
  say "unit and end-to-end tests: $(seconds_since "$start") s"
  start=$(date +%s)
  in_root "$root" bash -c 'cd /root/daf && bash scripts/demo.sh' | tee "$dir/demo.txt"
  say "demo: $(seconds_since "$start") s (its output: $dir/demo.txt)"
  compare_demo
}

# The demo's cache and sweep made here (Debian 12) against those made in the
# root: which outputs are bit-identical across the two releases.
compare_demo() {
  local bin=$repo/build/apps here=$dir/compare/debian12 there=$dir/compare/debian13
  if [ ! -x "$bin/daf-ablate" ] || [ ! -x "$bin/daf-synth" ]; then
    say "no daf-synth and daf-ablate in $bin: the comparison with this machine is skipped"
    return 0
  fi
  rm -rf "$dir/compare" && mkdir -p "$here/data" "$there/runs"
  (cd "$here" && export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2 &&
    "$bin/daf-synth" --preset demo --out data/demo.h5 >/dev/null 2>&1 &&
    "$bin/daf-ablate" --config "$repo/configs/ablate-demo.yaml" --jobs "$(nproc)" >/dev/null 2>&1 &&
    "$bin/daf-eval" --run runs/ablate-demo/dynamic/seed-1111 --mask text >/dev/null 2>&1) \
    || { say "the demo failed on this machine"; return 1; }
  cp -a "$root/root/daf/data" "$there/data"
  cp -a "$root/root/daf/runs/ablate-demo" "$there/runs/ablate-demo"
  # The same weights (one run trained here) evaluated by both builds: how far
  # inference alone differs.
  local run=runs/ablate-demo/dynamic/seed-1111 same=$dir/compare/same-weights
  mkdir -p "$same/debian12" "$same/debian13" "$root/tmp/daf-debian12-run"
  cp -a "$here/$run/." "$root/tmp/daf-debian12-run/"
  in_root "$root" bash -c 'cd /root/daf && OMP_WAIT_POLICY=PASSIVE build/apps/daf-eval --run /tmp/daf-debian12-run \
    --out /tmp/daf-debian12-run/eval-debian13 >/dev/null 2>&1' || { say "daf-eval of the Debian 12 run failed in the root"; return 1; }
  cp "$here/$run/eval/test/predictions.csv" "$same/debian12/"
  cp "$root/tmp/daf-debian12-run/eval-debian13/predictions.csv" "$same/debian13/"
  rm -rf "$root/tmp/daf-debian12-run"
  {
    # Where and from what (scripts/update_docs.py --comparison copies this line and the table into docs/platforms.md).
    echo "Made by \`scripts/debian13.sh\` on $(date -u +%F), daf at $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "an unknown commit"), on $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores."
    echo
    /usr/bin/python3 "$repo/scripts/compare_releases.py" "$here" "$there" --label-a "Debian 12" --label-b "Debian 13"
    /usr/bin/python3 "$repo/scripts/compare_releases.py" "$same/debian12" "$same/debian13" \
      --label-a "Debian 12" --label-b "Debian 13" | tail -n +3 | sed 's/^| sweep: predictions.csv/| one model trained on Debian 12, evaluated by each: predictions.csv/'
  } | tee "$dir/comparison.md"
}

case "$step" in
  prepare) prepare ;;
  test) run_tests ;;
  compare) compare_demo ;;
  all) prepare; run_tests ;;
esac
