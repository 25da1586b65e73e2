#!/usr/bin/python3
"""A miniature of CH-SIMS (v1: label.csv, or v2: meta.csv) and its truth.

    make_sims.py OUT_DIR v1|v2

writes OUT_DIR/label.csv (v1) or OUT_DIR/meta.csv (v2, with an extra column)
and OUT_DIR/Raw/<video_id>/<clip_id>.mp4 (real clips, tests/datasets/media.py),
and OUT_DIR/truth.json. Quirks: zero-padded clip ids (0001) that a number would
lose, a missing clip, a label outside [-1, 1], an unknown mode, Chinese text
with a comma, a clip without an audio stream (kept by daf-manifest, skipped in
the audio modality by daf-extract: truth.json's "extract_skips").
"""
import csv
import json
import os
import sys

from media import Clips

TEXTS = ["我觉得这个还不错", "不是，你听我说", "好吧，就这样吧", "真的太好了"]


def main(out, version):
    truth = {"rows": [], "skips": [], "extract_skips": []}
    clips = Clips()
    header = ["video_id", "clip_id", "text", "label", "label_T", "label_A", "label_V", "annotation", "mode"]
    if version == "v2":
        header.append("label_by")
    rows = []
    k = 0
    for v in range(1, 5):
        video = "video_%04d" % v
        os.makedirs(os.path.join(out, "Raw", video))
        for c in range(1, 5):
            clip = "%04d" % c
            mode = ["train", "train", "valid", "test"][(v + c) % 4]
            label = round(((k * 7) % 11 - 5) / 5.0, 1)
            unimodal = [round(max(-1.0, min(1.0, label + d)), 1) for d in (0.2, -0.2, 0.0)]
            annotation = "Positive" if label > 0 else "Negative" if label < 0 else "Neutral"
            text = TEXTS[k % len(TEXTS)]
            uid = "%s$_$%s" % (video, clip)
            row = [video, clip, text, label] + unimodal + [annotation, mode]
            kind = None
            if v == 2 and c == 3:
                kind = "no video file"
            elif v == 1 and c == 2:
                clips.write_silent(os.path.join(out, "Raw", video, clip + ".mp4"))
                truth["extract_skips"].append({"id": uid, "modality": "audio", "reason": "holds no audio stream"})
            else:
                clips.write(os.path.join(out, "Raw", video, clip + ".mp4"), k)
            if v == 3 and c == 1:
                row[4] = 1.5
                kind = "unreadable label"
            if v == 4 and c == 4:
                row[8] = "holdout"
                kind = "unknown split"
            if version == "v2":
                row.append("annotator-%d" % (k % 3))
            rows.append(row)
            k += 1
            if kind:
                truth["skips"].append({"id": uid, "kind": kind})
                continue
            truth["rows"].append({"id": uid, "split": mode, "text": text, "sentiment": label,
                                  "sentiment_text": unimodal[0], "sentiment_audio": unimodal[1],
                                  "sentiment_video": unimodal[2], "speaker": video, "video": video,
                                  "annotation": annotation, "audio": os.path.join(out, "Raw", video, clip + ".mp4")})
    with open(os.path.join(out, "meta.csv" if version == "v2" else "label.csv"), "w", encoding="utf-8",
              newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    clips.close()
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:])
