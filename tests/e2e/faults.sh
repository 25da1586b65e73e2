#!/usr/bin/env bash
# Faults: a full disk under every writer (a small tmpfs; skipped with a message
# where mounting is impossible), two processes writing one output, corrupted
# weights and checkpoints, kill -9 loops that must leave no orphan temporary
# files. Each case must end in one clear error line and the right exit code,
# never a signal, a LibTorch dump or a half-written file under a final name.
source "$(dirname "$0")/common.sh"
export OMP_NUM_THREADS=1

no_tmp_left() {  # no "<name>.tmp.<pid>" file anywhere under $1
  local found
  found=$(find "$1" -name '*.tmp.*' 2>/dev/null || true)
  [ -z "$found" ] || fail "orphan temporary files: $found"
}

"$DAF_BIN/daf-synth" --preset tiny --out "$WORK/tiny.h5" 2>/dev/null
train_args=(data.cache="$WORK/tiny.h5" train.max_epochs=3 model.dim=16 train.threads=1)
cat >"$WORK/base.yaml" <<EOF
data: {cache: $WORK/tiny.h5}
model: {dim: 16}
train: {max_epochs: 6, threads: 1}
output: {log_level: warn}
EOF

# --- A full disk -----------------------------------------------------------
FULL="$WORK/full"
mkdir -p "$FULL"
mounted=0
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=16k tmpfs "$FULL" 2>/dev/null; then
  mounted=1
  trap 'umount -l "$FULL" 2>/dev/null; rm -rf "$WORK"' EXIT
fi
remount() { umount -l "$FULL"; mount -t tmpfs -o "size=$1" tmpfs "$FULL"; }

disk_full() {  # disk_full FILE-PATTERN -- command...: exit 1 with the OS reason, nothing half-written left
  local pattern=$1; shift 2
  expect_exit 1 "No space left on device" -- "$@"
  grep -qF -- "$pattern" "$WORK/err" || { cat "$WORK/err" >&2; fail "'$*' did not name $pattern"; }
  no_tmp_left "$FULL"
}

if [ "$mounted" -eq 1 ]; then
  for size in 16k 800k; do
    remount $size
    disk_full "$FULL/x.h5" -- "$DAF_BIN/daf-synth" --preset tiny --out "$FULL/x.h5"
    [ ! -e "$FULL/x.h5" ] || fail "daf-synth left x.h5 on a full disk ($size)"
  done

  "$DAF_BIN/daf-import" --write-synthetic "$WORK/csd" csd.videos=8 2>/dev/null
  remount 16k
  disk_full "$FULL/mosei.h5" -- "$DAF_BIN/daf-import" --labels "$WORK/csd/CMU_MOSEI_Labels.csd" \
    --feature audio="$WORK/csd/CMU_MOSEI_COVAREP.csd" --folds "$WORK/csd/folds.yaml" --out "$FULL/mosei.h5"
  [ ! -e "$FULL/mosei.h5" ] || fail "daf-import left its output on a full disk"

  "$DAF_BIN/daf-test-fixtures" encoders "$WORK/enc" >/dev/null 2>&1
  "$DAF_BIN/daf-test-fixtures" corpus "$WORK/corpus" 12 >/dev/null 2>&1
  remount 16k
  extract=("$DAF_BIN/daf-extract" extract.manifest="$WORK/corpus/manifest.csv" extract.output="$FULL/ex.h5"
           text.encoder="$WORK/enc/text_encoder.pt" text.sentencepiece_model="$WORK/corpus/spm.model" text.bos_id=1
           text.eos_id=2 audio.encoder="$WORK/enc/speech_encoder.pt")
  rc=0; "${extract[@]}" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" -eq 1 ] || { cat "$WORK/err" >&2; fail "daf-extract on a full disk exited $rc, expected 1"; }
  grep -q "No space left on device" "$WORK/err" || { cat "$WORK/err" >&2; fail "daf-extract: no OS reason"; }
  [ ! -e "$FULL/ex.h5" ] || fail "daf-extract left its output on a full disk"
  no_tmp_left "$FULL"
  remount 4m
  "${extract[@]}" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; fail "daf-extract does not rerun after a full disk"; }

  # model.pt / checkpoint.pt: LibTorch's own writer used to abort (exit 134).
  remount 64k
  disk_full ".pt" -- "$DAF_BIN/daf-train" "${train_args[@]}" output.dir="$FULL/run"
  remount 64k
  cat >"$WORK/full-sweep.yaml" <<EOF
base: $WORK/base.yaml
conditions: [{name: dynamic, set: {model.fusion: dynamic}}]
seeds: [1, 2]
EOF
  rc=0; "$DAF_BIN/daf-ablate" --config "$WORK/full-sweep.yaml" --out "$FULL/sweep" >/dev/null 2>"$WORK/err" || rc=$?
  [ "$rc" -eq 1 ] || { cat "$WORK/err" >&2; fail "daf-ablate on a full disk exited $rc, expected 1"; }
  grep -q "No space left on device" "$WORK/err" || { cat "$WORK/err" >&2; fail "daf-ablate: no OS reason"; }
  ! grep -qE "terminate called|frame #" "$WORK/err" || fail "daf-ablate printed a LibTorch dump"
  no_tmp_left "$FULL"
  "$DAF_BIN/daf-train" "${train_args[@]}" output.dir="$WORK/evalrun" 2>/dev/null
  remount 16k
  disk_full "$FULL/eval/" -- "$DAF_BIN/daf-eval" --run "$WORK/evalrun" --out "$FULL/eval"
  echo "disk full: daf-synth, daf-import, daf-extract, daf-train, daf-ablate, daf-eval checked"
else
  echo "SKIP (disk-full cases): cannot mount a tmpfs here (needs root); the other fault cases still run"
fi

# --- Two writers, one output ---------------------------------------------
"$DAF_BIN/daf-train" "${train_args[@]}" train.max_epochs=400 train.patience=1000 output.dir="$WORK/shared" \
  2>/dev/null &
first=$!
for _ in $(seq 1 400); do [ -s "$WORK/shared/.daf-lock" ] && break; sleep 0.05; done
expect_exit 1 "is being written by another process (PID $first" -- \
  "$DAF_BIN/daf-train" "${train_args[@]}" output.dir="$WORK/shared"
kill -9 "$first"; wait "$first" 2>/dev/null || true
# kill -9 leaves no stale lock: the next writer takes over (and resumes).
"$DAF_BIN/daf-train" "${train_args[@]}" train.max_epochs=400 train.patience=1000 output.dir="$WORK/shared" \
  output.overwrite=true 2>/dev/null & second=$!
sleep 0.5; kill -9 "$second"; wait "$second" 2>/dev/null || true

"$DAF_BIN/daf-import" --write-synthetic "$WORK/csd2" csd.videos=60 2>/dev/null
import=("$DAF_BIN/daf-import" --labels "$WORK/csd2/CMU_MOSEI_Labels.csd" --feature audio="$WORK/csd2/CMU_MOSEI_COVAREP.csd"
        --folds "$WORK/csd2/folds.yaml" --out "$WORK/imported.h5")
"${import[@]}" 2>/dev/null & first=$!
for _ in $(seq 1 400); do [ -s "$WORK/imported.h5.lock" ] && break; sleep 0.02; done
if kill -0 "$first" 2>/dev/null; then
  rc=0; "${import[@]}" 2>"$WORK/err" || rc=$?
  if kill -0 "$first" 2>/dev/null; then
    [ "$rc" -eq 1 ] && grep -q "is being written by another process" "$WORK/err" \
      || { cat "$WORK/err" >&2; fail "a second daf-import on the same output was not refused"; }
  fi
fi
wait "$first" || fail "the first daf-import failed"
echo "two writers: refused, naming the holder"

# --- Corrupted weights and checkpoints --------------------------------------
"$DAF_BIN/daf-train" "${train_args[@]}" output.dir="$WORK/run" 2>/dev/null
grep -q "^weights_sha256: [0-9a-f]\{64\}$" "$WORK/run/model.yaml" || fail "model.yaml records no weights digest"
"$DAF_BIN/daf-eval" --run "$WORK/run" >/dev/null 2>&1 || fail "daf-eval of a sound run failed"
cp "$WORK/run/model.pt" "$WORK/model.pt.good"
dd if=/dev/zero of="$WORK/run/model.pt" bs=1 seek=3000 count=2000 conv=notrunc 2>/dev/null
expect_exit 2 "model.pt: SHA-256" -- "$DAF_BIN/daf-eval" --run "$WORK/run"
grep -q "recorded in model.yaml" "$WORK/err" || fail "the digest mismatch does not say where the digest is recorded"
cp "$WORK/model.pt.good" "$WORK/run/model.pt"
# A hand-edited model.yaml whose width no longer matches the weights.
sed -i 's/^    dim: 16$/    dim: 24/' "$WORK/run/model.yaml"
grep -q '^    dim: 24$' "$WORK/run/model.yaml" || fail "could not edit model.yaml's width"
sed -i '/^weights_sha256:/d' "$WORK/run/model.yaml"
expect_exit 2 "has shape [16" -- "$DAF_BIN/daf-eval" --run "$WORK/run"

"$DAF_BIN/daf-synth" --preset demo --out "$WORK/demo.h5" 2>/dev/null
"$DAF_BIN/daf-train" data.cache="$WORK/demo.h5" train.max_epochs=50 train.patience=100 train.threads=1 \
  output.dir="$WORK/ckpt" 2>/dev/null & pid=$!
for _ in $(seq 1 600); do
  [ -f "$WORK/ckpt/metrics.csv" ] && [ "$(wc -l <"$WORK/ckpt/metrics.csv")" -ge 3 ] && break
  sleep 0.05
done
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
[ -f "$WORK/ckpt/checkpoint.pt" ] || fail "no checkpoint to corrupt"
dd if=/dev/zero of="$WORK/ckpt/checkpoint.pt" bs=1 seek=4000 count=2000 conv=notrunc 2>/dev/null
expect_exit 2 "checkpoint.pt: SHA-256" -- "$DAF_BIN/daf-train" data.cache="$WORK/demo.h5" train.max_epochs=50 \
  train.patience=100 train.threads=1 output.dir="$WORK/ckpt"
echo "corrupted files: refused with both digests"

# --- kill -9 loops: resumes finish, and no orphan temporary file stays -------
cat >"$WORK/sweep.yaml" <<EOF
base: $WORK/base.yaml
conditions: [{name: dynamic, set: {model.fusion: dynamic}}, {name: mean, set: {model.fusion: mean}}]
seeds: [1, 2, 3]
evaluate: {mask: [audio]}
EOF
for delay in 0.4 0.7 1.0 1.3 1.6 0.2 0.9 1.2; do
  "$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --out "$WORK/sweep" --no-plots >/dev/null 2>&1 & pid=$!
  sleep "$delay"; kill -9 "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
done
"$DAF_BIN/daf-ablate" --config "$WORK/sweep.yaml" --out "$WORK/sweep" --no-plots >/dev/null 2>"$WORK/err" \
  || { cat "$WORK/err" >&2; fail "the sweep did not finish after kill -9"; }
no_tmp_left "$WORK/sweep"
[ -s "$WORK/sweep/summary.csv" ] || fail "no summary after the kill -9 loop"

# A truncated ablation.csv fails the collect, naming the run.
abl=$(find "$WORK/sweep" -name ablation.csv | head -1)
head -c 60 "$abl" >"$WORK/abl" && cp "$WORK/abl" "$abl"
expect_exit 2 "is incomplete: delete the file and rerun" -- "$DAF_BIN/daf-ablate" --collect "$WORK/sweep"
echo "e2e faults: ok"
