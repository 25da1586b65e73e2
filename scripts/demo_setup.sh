# Sourced by scripts/demo.sh and scripts/speech-demo.sh with the tools they need
# in $tools: reads their options, makes sure the tools are built, and leaves the
# shell in the folder the demo writes its data/ and runs/ into.
#   --work DIR   write data/ and runs/ under DIR (created if missing) instead of
#                the repository
# With DAF_BIN set (a folder holding the built tools) or an existing build in
# build/apps, nothing is installed: an existing build/ is only brought up to
# date (ninja, seconds when nothing changed). Otherwise the dependencies are
# installed (as root) and daf is built first, as on a fresh machine.
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$repo
while [ $# -gt 0 ]; do
  case $1 in
    --work) [ $# -ge 2 ] || { echo "$0: --work needs a folder" >&2; exit 2; }; work=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; echo "Options: --work DIR (data/ and runs/ go there)"
               exit 0 ;;
    *) echo "$0: unknown option '$1' (expected --work DIR)" >&2; exit 2 ;;
  esac
done

have_tools() { local t; for t in $tools; do [ -x "$1/$t" ] || return 1; done; }
if [ -n "${DAF_BIN:-}" ]; then
  have_tools "$DAF_BIN" || { echo "$0: DAF_BIN=$DAF_BIN lacks one of: $tools" >&2; exit 2; }
  bin=$(cd "$DAF_BIN" && pwd)
elif have_tools "$repo/build/apps"; then
  echo "demo: using the existing build in $repo/build (install skipped)"
  cmake --build "$repo/build" --target $tools >/dev/null
  bin=$repo/build/apps
else
  bash "$repo/scripts/install-deps.sh"
  (cd "$repo" && DAF_TARGETS="$tools" bash scripts/build.sh >/dev/null)
  bin=$repo/build/apps
fi
mkdir -p "$work" || { echo "$0: cannot create $work" >&2; exit 1; }
cd "$work"
work=$(pwd)
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
