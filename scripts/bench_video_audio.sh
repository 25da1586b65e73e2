#!/usr/bin/env bash
# Benchmark (not a test) of daf-extract's audio input: the same audio read from
# 48 kHz stereo WAVs (libsndfile) and from mp4 clips shaped like MELD's
# (H.264 video + AAC audio, read through FFmpeg), with the tests' small random
# speech encoder, so that decoding and resampling dominate. Prints one
# Markdown table; the files are made here with Debian's ffmpeg.
#   scripts/bench_video_audio.sh            # 400 clips of 3 s
#   CLIPS=1000 SECONDS_EACH=5 scripts/bench_video_audio.sh
set -euo pipefail
cd "$(dirname "$0")/.."
n=${CLIPS:-400}
seconds=${SECONDS_EACH:-3}
distinct=20  # clips made with ffmpeg; the rest are copies (the page cache holds them all either way)
bin=build/apps
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
command -v ffmpeg >/dev/null || { echo "needs Debian's ffmpeg (scripts/install-deps.sh)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/wav" "$work/mp4"
"$bin/daf-test-fixtures" encoders "$work/enc" >/dev/null

for k in $(seq 0 $((distinct - 1))); do
  ffmpeg -nostdin -v error -f lavfi \
    -i "aevalsrc=0.3*sin(2*PI*(200+10*$k)*t)+0.05*(random(0)-0.5)|0.2*sin(2*PI*330*t)+0.05*(random(1)-0.5):s=48000:d=$seconds" \
    -c:a pcm_s16le "$work/wav/c$k.wav"
  ffmpeg -nostdin -v error -f lavfi -i "testsrc=size=640x360:rate=25:duration=$seconds" -i "$work/wav/c$k.wav" \
    -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -b:a 128k -shortest "$work/mp4/c$k.mp4"
done
for i in $(seq "$distinct" $((n - 1))); do
  cp "$work/wav/c$((i % distinct)).wav" "$work/wav/c$i.wav"
  cp "$work/mp4/c$((i % distinct)).mp4" "$work/mp4/c$i.mp4"
done
for kind in wav mp4; do
  { echo "id,split,audio"; for i in $(seq 0 $((n - 1))); do echo "u$i,train,$work/$kind/c$i.$kind"; done; } \
    >"$work/$kind.csv"
done

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "Corpus: $n clips of $seconds s, 48 kHz stereo, resampled to 16 kHz mono; mp4: 640x360 H.264 + AAC 128 kb/s" \
  "($(du -sh "$work/mp4" | cut -f1)), WAV: 16-bit PCM ($(du -sh "$work/wav" | cut -f1)); encoder: the tests' random speech encoder"
echo
echo "| input | decoder | wall s | clips/s | s of audio per s |"
echo "|---|---|---|---|---|"
for kind in wav mp4; do
  printf "extract:\n  manifest: %s\n  output: %s\naudio:\n  encoder: %s\n" "$work/$kind.csv" "$work/$kind.h5" \
    "$work/enc/speech_encoder.pt" >"$work/cfg.yaml"
  start=$(date +%s.%N)
  "$bin/daf-extract" -c "$work/cfg.yaml" 2>"$work/log" || { cat "$work/log"; exit 1; }
  wall=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  decoder=$([ "$kind" = wav ] && echo libsndfile || echo FFmpeg)
  awk -v k="$kind" -v d="$decoder" -v w="$wall" -v n="$n" -v s="$seconds" \
    'BEGIN { printf "| %s | %s | %.2f | %.0f | %.0f |\n", k, d, w, n / w, n * s / w }'
done
