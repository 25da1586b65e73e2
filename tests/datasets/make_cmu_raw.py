#!/usr/bin/python3
"""A miniature of CMU-MOSI's or CMU-MOSEI's Raw/ folder, the SDK label file
(.csd, HDF5 written with h5py) and a folds file, and their truth.

    make_cmu_raw.py OUT_DIR mosi|mosei

MOSI: Raw/Audio/WAV_16000/Segmented/<vid>_<n>.wav and
Raw/Transcript/Segmented/<vid>.annotprocessed ("<n>_DELIM_<text>"), labels
row n-1 of the video. MOSEI: Raw/Audio/Full/WAV_16000/<vid>.wav and
Raw/Transcript/Segmented/Combined/<vid>.txt
("<vid>___<clip>___<start>___<end>___<text>"), labels [N, 7] matched on the
interval; rows listed in another order than the transcript's. Quirks: a
video in no fold, a video the labels lack, a segment past the labels, a
missing wav, an unreadable line, a text holding "___", a negative start.
"""
import json
import os
import sys
import wave

import h5py
import numpy as np


def write_wav(path, seconds, rng):
    samples = (rng.standard_normal(int(16000 * seconds)) * 3000).astype("<i2")
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes(samples.tobytes())


def write_csd(path, name, videos):
    with h5py.File(path, "w") as f:
        for vid, (features, intervals) in videos.items():
            g = f.create_group("%s/data/%s" % (name, vid))
            g["features"] = np.asarray(features, dtype=np.float32)
            g["intervals"] = np.asarray(intervals, dtype=np.float64)
        f.create_group(name + "/metadata")


def record(truth, folds, uid, vid, no_label, no_audio, row):
    """A segment's truth: the skip daf-manifest reports for it (checked in its
    order: label, audio file, fold), or its row."""
    kind = "no label" if no_label else "no audio file" if no_audio else "video in no fold" if vid == "vidC" else None
    if kind:
        truth["skips"].append({"id": uid, "kind": kind})
    else:
        split = [s for s, v in folds.items() if vid in v][0]
        truth["rows"].append(dict(row, id=uid, split=split, video=vid))


def main(out, dataset):
    rng = np.random.default_rng(5)
    truth = {"rows": [], "skips": []}
    # vidC is in no fold; vidE and vidF have nothing special, so that every split has rows.
    folds = {"train": ["vidA"], "valid": ["vidE"], "test": ["vidB", "vidD", "vidF"]}
    videos = {}
    if dataset == "mosi":
        tdir = os.path.join(out, "Raw", "Transcript", "Segmented")
        adir = os.path.join(out, "Raw", "Audio", "WAV_16000", "Segmented")
        os.makedirs(tdir)
        os.makedirs(adir)
        for vid in ("vidA", "vidB", "vidC", "vidD", "vidE", "vidF"):
            n_labels = 3
            labels = [[round(float(x), 4)] for x in rng.uniform(-3, 3, n_labels)]
            intervals = [[2.0 * k, 2.0 * k + 1.5] for k in range(n_labels)]
            if vid != "vidD":                              # the labels lack vidD
                videos[vid] = (labels, intervals)
            lines = []
            for n in range(1, 5):                          # segment 4 is past the labels
                text = "segment %d of %s is fine" % (n, vid)
                lines.append("%d_DELIM_%s" % (n, text))
                wav = os.path.join(adir, "%s_%d.wav" % (vid, n))
                uid = "%s[%d]" % (vid, n - 1)
                missing_wav = vid == "vidB" and n == 2
                if not missing_wav:
                    write_wav(wav, 0.5, rng)
                no_label = vid == "vidD" or n > n_labels
                record(truth, folds, uid, vid, no_label, missing_wav,
                       {"text": text, "audio": wav, "labels": {"sentiment": labels[min(n, n_labels) - 1][0]}})
            if vid == "vidA":
                lines.insert(2, "this line has no delimiter")
                truth["skips"].append({"id": "", "kind": "unreadable transcript line"})
            with open(os.path.join(tdir, vid + ".annotprocessed"), "w") as f:
                f.write("\n".join(lines) + "\n")
        write_csd(os.path.join(out, "CMU_MOSI_Opinion_Labels.csd"), "Opinion Segment Labels", videos)
    else:
        tdir = os.path.join(out, "Raw", "Transcript", "Segmented", "Combined")
        adir = os.path.join(out, "Raw", "Audio", "Full", "WAV_16000")
        os.makedirs(tdir)
        os.makedirs(adir)
        names = ["sentiment", "happiness", "sadness", "anger", "surprise", "disgust", "fear"]
        for vid in ("vidA", "vidB", "vidC", "vidD", "vidE", "vidF"):
            wav = os.path.join(adir, vid + ".wav")
            if vid != "vidB":                               # vidB's full recording is missing
                write_wav(wav, 9.0, rng)
            segments = [(-0.25, 1.5), (2.0, 3.75), (4.0, 5.5), (6.0, 8.0)]
            labelled = segments[:3]                          # the last segment has no label interval
            order = [2, 0, 1]                                # the file lists rows in another order
            features = [[round(float(x), 4) for x in np.concatenate([rng.uniform(-3, 3, 1), rng.uniform(0, 3, 6)])]
                        for _ in order]
            intervals = [list(labelled[k]) for k in order]
            if vid != "vidD":
                videos[vid] = (features, intervals)
            lines = []
            for clip, (start, end) in enumerate(segments, 1):
                text = "clip %d says a___b" % clip if clip == 2 else "clip %d of %s" % (clip, vid)
                lines.append("%s___%d___%s___%s___%s" % (vid, clip, repr(start), repr(end), text))
                row = order.index(clip - 1) if clip - 1 in order else None
                no_label = vid == "vidD" or row is None
                uid = "%s___%d" % (vid, clip) if no_label else "%s[%d]" % (vid, row)
                record(truth, folds, uid, vid, no_label, vid == "vidB",
                       {"text": text, "audio": wav, "start": max(0.0, start), "end": end,
                        "labels": dict(zip(names, features[row if row is not None else 0]))})
            lines.insert(1, "%s___oops" % vid)
            truth["skips"].append({"id": "", "kind": "unreadable transcript line"})
            with open(os.path.join(tdir, vid + ".txt"), "w") as f:
                f.write("\n".join(lines) + "\n")
        write_csd(os.path.join(out, "CMU_MOSEI_Labels.csd"), "All Labels", videos)
    with open(os.path.join(out, "folds.yaml"), "w") as f:
        for split, vids in folds.items():
            f.write("%s: [%s]\n" % (split, ", ".join("'%s'" % v for v in vids)))
    with open(os.path.join(out, "truth.json"), "w") as f:
        json.dump(truth, f, indent=1)


if __name__ == "__main__":
    main(*sys.argv[1:])
