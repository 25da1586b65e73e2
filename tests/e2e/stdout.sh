#!/usr/bin/env bash
# Standard output is checked like every other write: a full device (/dev/full, a full
# tmpfs), a closed descriptor and a closed pipe end each tool with exit 1 and
# "error: standard output: <OS reason>", never exit 0 with the output cut short.
source "$(dirname "$0")/common.sh"
cd "$WORK"
predict_fixture 24
"$DAF_BIN/daf-synth" --preset tiny --out tiny.h5 2>/dev/null
printf 'conditions:\n  - {name: dynamic}\nseeds: [1]\noutput: sweep\nbase_config: {data: {cache: tiny.h5}}\n' >sweep.yaml
for i in $(seq 2000); do echo "line $i of a text long enough to pass the buffer"; done >lines.txt

full() {  # full -- command...: stdout on /dev/full must fail the tool
  shift
  expect_exit 1 "standard output: No space left on device" -- bash -c '"$@" >/dev/full' _ "$@"
}
full -- "$DAF_BIN/daf-tokenize" -c enc.yaml lines.txt
full -- "$DAF_BIN/daf-tokenize" -c enc.yaml lines.txt text.max_length=4
full -- "$DAF_BIN/daf-predict" --run run --encoders enc.yaml corpus/manifest.csv
full -- "$DAF_BIN/daf-predict" --run run --encoders enc.yaml --text "a short one"
expect_exit 1 "standard output: No space left on device" -- \
  bash -c '"$1" --run run --encoders enc.yaml <"$2" >/dev/full' _ "$DAF_BIN/daf-predict" \
  <(printf '{"id": "a", "text": "hello"}\n{"id": "b", "text": "again"}\n')
full -- "$DAF_BIN/daf-train" data.cache=tiny.h5 --print-config
full -- "$DAF_BIN/daf-extract" -c enc.yaml --manifest corpus/manifest.csv --out x.h5 --print-config
full -- "$DAF_BIN/daf-ablate" -c sweep.yaml --print-stages
full -- "$DAF_BIN/daf-ablate" -c sweep.yaml --print-output
full -- "$DAF_BIN/daf-eval" --run run
full -- "$DAF_BIN/daf-train" --help
full -- "$DAF_BIN/daf-predict" --help
[ ! -e x.h5 ] || fail "--print-config wrote a cache"
echo "/dev/full: every tool exits 1"

# A closed standard output: never exit 0, and nothing written into a file opened later.
expect_exit 1 "standard output: Bad file descriptor" -- bash -c '"$1" data.cache=tiny.h5 --print-config >&-' _ \
  "$DAF_BIN/daf-train"
expect_exit 1 "standard output: Bad file descriptor" -- bash -c '"$1" --run run --encoders enc.yaml corpus/manifest.csv >&-' \
  _ "$DAF_BIN/daf-predict"
# With --out the results go to the file; a closed standard output does not matter.
bash -c '"$1" --run run --encoders enc.yaml corpus/manifest.csv --out p.csv >&-' _ "$DAF_BIN/daf-predict" 2>/dev/null \
  && [ "$(wc -l <p.csv)" -eq 25 ] || fail "--out with a closed standard output"

# A reader that goes away: the writer stops with EPIPE instead of dying of SIGPIPE.
set +o pipefail
"$DAF_BIN/daf-tokenize" -c enc.yaml lines.txt 2>err | head -c 100 >/dev/null
rc=${PIPESTATUS[0]}
set -o pipefail
[ "$rc" -eq 1 ] && grep -q "standard output: Broken pipe" err || { cat err; fail "closed pipe: exit $rc"; }
echo "closed descriptor and pipe: exit 1"

# A full disk under a redirect (a 16 kB tmpfs, as root): exit 1, not a file cut at 8,192 bytes with exit 0.
if [ "$(id -u)" -eq 0 ] && mkdir -p full && mount -t tmpfs -o size=16k tmpfs full 2>/dev/null; then
  trap 'umount -l "$WORK/full" 2>/dev/null; rm -rf "$WORK"' EXIT
  expect_exit 1 "standard output: No space left on device" -- \
    bash -c '"$1" -c enc.yaml lines.txt >full/ids.jsonl' _ "$DAF_BIN/daf-tokenize"
  rm -f full/ids.jsonl
  expect_exit 1 "standard output: No space left on device" -- \
    bash -c '"$1" --run run --encoders enc.yaml --format jsonl <"$2" >full/p.jsonl' _ "$DAF_BIN/daf-predict" \
    <(for i in $(seq 300); do echo "{\"id\": \"u$i\", \"text\": \"a line to fill the small disk $i\"}"; done)
  echo "full disk under a redirect: exit 1"
else
  echo "note: cannot mount a tmpfs here; the full-disk redirect cases were not run"
fi
echo "e2e stdout: ok"
