#!/usr/bin/python3
"""Checks a daf-manifest CMU-MOSI / CMU-MOSEI manifest against the miniature's truth.

    check_cmu_raw.py TRUTH_JSON MANIFEST_CSV

Labels are compared as float32 (the .csd stores them so); times exactly.
"""
import collections
import csv
import json
import os
import sys

import numpy as np


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def main(truth_path, manifest_path):
    truth = json.load(open(truth_path))
    rows = list(csv.DictReader(open(manifest_path, newline="")))
    got = {r["id"]: r for r in rows}
    want = {t["id"]: t for t in truth["rows"]}
    if len(got) != len(rows) or set(got) != set(want):
        fail("ids differ: missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    for uid, t in want.items():
        r = got[uid]
        for key in ("split", "text", "video"):
            if r[key] != t[key]:
                fail("%s: %s is %r, expected %r" % (uid, key, r[key], t[key]))
        for key, value in t["labels"].items():
            if np.float32(float(r[key])) != np.float32(value):
                fail("%s: %s %s, expected %s" % (uid, key, r[key], value))
        for key in ("start", "end"):
            if key in t and float(r[key]) != t[key]:
                fail("%s: %s %s, expected %s" % (uid, key, r[key], t[key]))
        if not os.path.samefile(r["audio"], t["audio"]):
            fail("%s: audio %s, expected %s" % (uid, r["audio"], t["audio"]))
    skipped = list(csv.DictReader(open(manifest_path + ".skipped.csv", newline="")))
    have = collections.Counter((s["id"], s["kind"]) for s in skipped)
    expected = collections.Counter((s["id"], s["kind"]) for s in truth["skips"])
    if have != expected:
        fail("skips %s, expected %s" % (sorted(have.items()), sorted(expected.items())))
    kinds = collections.Counter(s["kind"] for s in skipped)
    print("%d rows (%s); skipped %s" % (len(rows), dict(sorted(collections.Counter(r["split"] for r in rows).items())),
                                        dict(sorted(kinds.items()))))


if __name__ == "__main__":
    main(*sys.argv[1:])
