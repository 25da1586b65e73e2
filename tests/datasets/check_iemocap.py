#!/usr/bin/python3
"""Checks a daf-manifest IEMOCAP manifest against the miniature's truth.

    check_iemocap.py TRUTH_JSON MANIFEST_CSV CLASS_SET STRIP_TAGS(0|1)

The expected rows are computed here from the generator's truth and the class
sets as the literature defines them (4: exc merged into hap; 6: neu, hap,
sad, ang, exc, fru; all: every code but xxx), independently of daf's code.
Prints the counts per split and class and per skip kind.
"""
import collections
import json
import sys

from manifest_checks import check_audio, check_skips, fail, rows_by_id

NAMES = {"neu": "neutral", "hap": "happy", "exc": "excited", "sad": "sad", "ang": "angry", "fru": "frustrated",
         "sur": "surprised", "fea": "fearful", "dis": "disgusted", "oth": "other"}
SETS = {"4": {"neu": "neutral", "hap": "happy", "exc": "happy", "sad": "sad", "ang": "angry"},
        "6": {c: NAMES[c] for c in ["neu", "hap", "sad", "ang", "exc", "fru"]},
        "all": dict(NAMES)}


def main(truth_path, manifest_path, class_set, strip):
    truth = json.load(open(truth_path))
    mapping = SETS[class_set]
    expected, skip_kinds = {}, collections.Counter()
    for t in truth["turns"]:
        if t["code"] == "xxx":
            skip_kinds["no majority emotion (xxx)"] += 1
        elif t["code"] not in mapping:
            skip_kinds["not in the class set"] += 1
        elif not t["has_wav"]:
            skip_kinds["no audio file"] += 1
        else:
            split = "test" if t["session"] == 5 else "valid" if t["session"] == 4 else "train"
            expected[t["id"]] = {
                "split": split, "text": t["text"] if strip == "1" else t["raw_text"], "audio": t["wav"],
                "emotion": mapping[t["code"]], "valence": t["vad"][0], "arousal": t["vad"][1],
                "dominance": t["vad"][2], "speaker": t["speaker"], "session": "Ses%02d" % t["session"],
                "dialogue": t["dialogue"], "scenario": t["scenario"], "emotion_code": t["code"]}
    for s in truth["skips"]:
        skip_kinds[s["kind"]] += 1

    got = rows_by_id(manifest_path, [dict(want, id=uid) for uid, want in expected.items()])
    rows = list(got.values())
    for uid, want in expected.items():
        for key, value in want.items():
            if key == "audio":
                check_audio(uid, got[uid][key], value)
            elif got[uid][key] != value:
                fail("%s: %s is %r, expected %r" % (uid, key, got[uid][key], value))
    check_skips(manifest_path, [{"kind": kind} for kind, n in skip_kinds.items() for _ in range(n)], by_id=False)
    counts = collections.Counter((r["split"], r["emotion"]) for r in rows)
    # The summary's table: a row per split (and "all"), a column per class.
    table = [line.strip().strip("|").split("|") for line in open(manifest_path + ".summary.md") if line.startswith("| ")]
    header = [cell.strip() for cell in table[0]]
    want_counts = collections.Counter((w["split"], w["emotion"]) for w in expected.values())
    for cells in table[1:]:
        cells = [cell.strip() for cell in cells]
        split = cells[0]
        if split not in ("train", "valid", "test", "all"):
            continue
        for name, value in zip(header[2:], cells[2:]):
            want = sum(n for (s, c), n in want_counts.items() if c == name and split in (s, "all"))
            if int(value) != want:
                fail("summary: %s/%s is %s, expected %d" % (split, name, value, want))
    print("classes %s: %d rows (%s); skipped %s" % (class_set, len(rows), ", ".join(
        "%s/%s %d" % (s, c, n) for (s, c), n in sorted(counts.items())), dict(sorted(skip_kinds.items()))))


if __name__ == "__main__":
    main(*sys.argv[1:])
