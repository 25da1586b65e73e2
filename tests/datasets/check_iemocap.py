#!/usr/bin/python3
"""Checks a daf-manifest IEMOCAP manifest against the miniature's truth.

    check_iemocap.py TRUTH_JSON MANIFEST_CSV CLASS_SET STRIP_TAGS(0|1)

The expected rows are computed here from the generator's truth and the class
sets as the literature defines them (4: exc merged into hap; 6: neu, hap,
sad, ang, exc, fru; all: every code but xxx), independently of daf's code.
Prints the counts per split and class and per skip kind.
"""
import collections
import csv
import json
import sys

NAMES = {"neu": "neutral", "hap": "happy", "exc": "excited", "sad": "sad", "ang": "angry", "fru": "frustrated",
         "sur": "surprised", "fea": "fearful", "dis": "disgusted", "oth": "other"}
SETS = {"4": {"neu": "neutral", "hap": "happy", "exc": "happy", "sad": "sad", "ang": "angry"},
        "6": {c: NAMES[c] for c in ["neu", "hap", "sad", "ang", "exc", "fru"]},
        "all": dict(NAMES)}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


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

    rows = list(csv.DictReader(open(manifest_path, newline="")))
    got = {r["id"]: r for r in rows}
    if len(got) != len(rows):
        fail("repeated ids")
    if set(got) != set(expected):
        fail("ids differ: missing %s, unexpected %s" % (sorted(set(expected) - set(got)), sorted(set(got) - set(expected))))
    for uid, want in expected.items():
        for key, value in want.items():
            have = got[uid][key]
            if key == "audio":
                import os
                same = os.path.samefile(have, value)
            else:
                same = have == value
            if not same:
                fail("%s: %s is %r, expected %r" % (uid, key, have, value))

    skipped = list(csv.DictReader(open(manifest_path + ".skipped.csv", newline="")))
    have_kinds = collections.Counter(r["kind"] for r in skipped)
    if have_kinds != skip_kinds:
        fail("skips per kind %s, expected %s" % (dict(have_kinds), dict(skip_kinds)))
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
