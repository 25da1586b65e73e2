# Helpers for the end-to-end tests. DAF_BIN points at the built executables.
set -euo pipefail
: "${DAF_BIN:?DAF_BIN must point at the built apps folder}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_exit CODE PATTERN -- command...: runs the command, checks its exit
# code, that stderr contains PATTERN, and that it printed no stack trace.
expect_exit() {
  local code=$1 pattern=$2; shift 3
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" -eq "$code" ] || { cat "$WORK/err" >&2; fail "'$*' exited $rc, expected $code"; }
  grep -qF -- "$pattern" "$WORK/err" || { cat "$WORK/err" >&2; fail "'$*' did not say: $pattern"; }
  if grep -qE "terminate called|Exception raised from|frame #[0-9]" "$WORK/err"; then
    cat "$WORK/err" >&2; fail "'$*' printed a stack trace"
  fi
  [ "$(grep -c 'error' "$WORK/err")" -le 1 ] || { cat "$WORK/err" >&2; fail "'$*' printed more than one error line"; }
}

# Debian's python3 with numpy and h5py, for tests that write or check HDF5
# files independently of daf; skips the test (exit 77) where they are missing.
py=/usr/bin/python3
require_numpy_h5py() {
  if ! "$py" -c "import numpy, h5py" 2>/dev/null; then
    echo "SKIP: $py lacks numpy or h5py (install python3-numpy python3-h5py)"
    exit 77
  fi
}
