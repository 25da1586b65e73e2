#!/usr/bin/env bash
# daf-extract on real recorded speech from Debian packages: asterisk-core-sounds-en-wav
# (one real speaker, 8 kHz 16-bit mono, CC-BY-SA-3.0; transcripts from
# asterisk-core-sounds-en's core-sounds-en.txt.gz) and alsa-utils' 48 kHz test sounds.
# Checks that every recording is decoded and resampled to the encoder's 16 kHz with
# the right length (total seconds against Python's wave module), that long ones are
# chunked, that every utterance gets a finite embedding, and training on the result.
source "$(dirname "$0")/common.sh"
require_numpy_h5py
asterisk=/usr/share/asterisk/sounds/en_US_f_Allison
transcripts=/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz
alsa=/usr/share/sounds/alsa
if [ ! -d "$asterisk" ] || [ ! -s "$transcripts" ] || [ ! -d "$alsa" ]; then
  echo "SKIP: needs asterisk-core-sounds-en-wav, asterisk-core-sounds-en and alsa-utils (scripts/install-deps.sh)"
  exit 77
fi
cd "$WORK"
"$DAF_BIN/daf-test-fixtures" encoders enc
"$DAF_BIN/daf-test-fixtures" corpus corpus 4 2>/dev/null  # for its sentencepiece model
"$py" - "$asterisk" "$transcripts" "$alsa" <<'PY'
import csv, gzip, os, sys, wave
asterisk, transcripts, alsa = sys.argv[1:4]
rows, seconds, long_ones = [], 0.0, 0
for line in gzip.open(transcripts, "rt", encoding="utf-8", errors="replace"):
    if ":" not in line or line.startswith(";"):
        continue
    name, text = line.split(":", 1)
    path = os.path.join(asterisk, name.strip() + ".wav")
    if os.path.isfile(path) and text.strip():
        rows.append((name.strip().replace("/", "_"), path, text.strip()))
rows = sorted(rows)[::4]  # every fourth prompt: the test stays short
for name in sorted(os.listdir(alsa)):
    rows.append(("alsa_" + name[:-4], os.path.join(alsa, name), name[:-4].replace("_", " ")))
with open("manifest.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "split", "text", "audio", "sentiment"])
    rates = {}
    for i, (name, path, text) in enumerate(rows):
        with wave.open(path) as r:
            frames, rate = r.getnframes(), r.getframerate()
        rates[rate] = rates.get(rate, 0) + 1
        # the 16 kHz length libsamplerate gives, within a sample
        seconds += round(frames * 16000 / rate) / 16000
        long_ones += frames / rate > 2.0
        w.writerow([name, ["train", "valid", "test"][i % 3], text, path, (i % 7 - 3) / 1.5])
with open("expected.txt", "w") as f:
    f.write(f"{len(rows)} {seconds:.1f} {long_ones} {rates.get(8000, 0)} {rates.get(48000, 0)}\n")
PY
read -r rows seconds long_ones at8k at48k <expected.txt
[ "$at8k" -gt 100 ] && [ "$at48k" -ge 9 ] || fail "expected recordings at 8 kHz and 48 kHz, found $at8k and $at48k"
cat >cfg.yaml <<'YAML'
extract: {manifest: manifest.csv, output: real.h5}
text: {encoder: enc/text_encoder.pt, tokenizer: sentencepiece, sentencepiece_model: corpus/spm.model}
audio: {encoder: enc/speech_encoder.pt, max_seconds: 2.0}
YAML
"$DAF_BIN/daf-extract" -c cfg.yaml 2>log || { cat log; fail "daf-extract on the recordings"; }
line=$(grep "] info: audio: " log | grep "utterances in") || { cat log; fail "no audio summary"; }
echo "$line" | grep -q "audio: $rows utterances" || fail "not every recording was embedded: $line"
got=$(echo "$line" | sed -E 's/.*, ([0-9.]+) s of audio, .*/\1/')
awk -v a="$got" -v b="$seconds" 'BEGIN { exit !(a - b < 0.15 && b - a < 0.15) }' \
  || fail "daf-extract decoded $got s of audio, Python's wave module says $seconds s"
echo "$line" | grep -q "; $long_ones encoded in chunks" || fail "expected $long_ones chunked recordings: $line"
"$py" - real.h5 "$rows" <<'PY' || fail "the cache of the recordings"
import sys, h5py, numpy as np
f, rows = h5py.File(sys.argv[1], "r"), int(sys.argv[2])
n = sum(f[s]["features"]["audio"].shape[0] for s in ("train", "valid", "test"))
assert n == rows, (n, rows)
for s in ("train", "valid", "test"):
    a = np.asarray(f[s]["features"]["audio"])
    assert np.isfinite(a).all() and (np.abs(a).sum(1) > 0).all(), s
    if "present" in f[s] and "audio" in f[s]["present"]:
        assert np.asarray(f[s]["present"]["audio"]).all(), s
assert f["train"]["features"]["audio"].attrs["sample_rate"] in (b"16000", "16000")
PY
"$DAF_BIN/daf-train" data.cache=real.h5 data.modalities=[text,audio] output.dir=run train.max_epochs=2 \
  model.dim=8 2>/dev/null || fail "training on the recordings' cache"
# daf-predict on the same recordings: every one answered, none masked.
"$DAF_BIN/daf-predict" --run run --encoders cfg.yaml manifest.csv --out predicted.csv 2>log \
  || { cat log; fail "daf-predict on the recordings"; }
[ "$(($(wc -l <predicted.csv) - 1))" -eq "$rows" ] || fail "daf-predict: not one line per recording"
awk -F, 'NR > 1 && $NF != "" { bad = 1 } END { exit bad }' predicted.csv || fail "a recording was masked"
grep "utterances/s" log | sed 's/.*info: /daf-predict: /'
echo "e2e recordings: $rows recordings ($at8k at 8 kHz, $at48k at 48 kHz), $seconds s, $long_ones chunked: ok"
