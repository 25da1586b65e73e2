#!/usr/bin/python3
"""Checks a daf-manifest MELD manifest against the miniature's truth.

    check_meld.py TRUTH_JSON MANIFEST_CSV

Every row (id, split, repaired text, clip, emotion, sentiment -1/0/1,
speaker, dialogue, season, episode, episode times in seconds) and the skips
per kind; prints the counts per split and emotion.
"""
import collections
import csv
import json
import os
import sys


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main(truth_path, manifest_path):
    truth = json.load(open(truth_path))
    rows = list(csv.DictReader(open(manifest_path, newline="", encoding="utf-8")))
    got = {r["id"]: r for r in rows}
    want = {t["id"]: t for t in truth["rows"]}
    if len(got) != len(rows) or set(got) != set(want):
        fail("ids differ: missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    for uid, t in want.items():
        r = got[uid]
        for key in ("split", "text", "emotion", "speaker", "dialogue", "season", "episode"):
            if r[key] != t[key]:
                fail("%s: %s is %r, expected %r" % (uid, key, r[key], t[key]))
        if float(r["sentiment"]) != t["sentiment"]:
            fail("%s: sentiment %s, expected %s" % (uid, r["sentiment"], t["sentiment"]))
        for key in ("episode_start", "episode_end"):
            if t[key] is None:
                if r[key] != "":
                    fail("%s: %s %r, expected it empty" % (uid, key, r[key]))
            elif abs(float(r[key]) - t[key]) > 1e-9:
                fail("%s: %s %s, expected %s" % (uid, key, r[key], t[key]))
        if not os.path.samefile(r["audio"], t["audio"]):
            fail("%s: audio %s, expected %s" % (uid, r["audio"], t["audio"]))
    skipped = list(csv.DictReader(open(manifest_path + ".skipped.csv", newline="")))
    have = collections.Counter((s["id"], s["kind"]) for s in skipped)
    expected = collections.Counter((s["id"], s["kind"]) for s in truth["skips"])
    if have != expected:
        fail("skips %s, expected %s" % (dict(have), dict(expected)))
    counts = collections.Counter((r["split"], r["emotion"]) for r in rows)
    print("meld: %d rows (%s); skipped %s" % (len(rows), ", ".join("%s/%s %d" % (s, e, n) for (s, e), n in
                                                                  sorted(counts.items())), dict(have)))


if __name__ == "__main__":
    main(*sys.argv[1:])
