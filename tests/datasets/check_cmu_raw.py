#!/usr/bin/python3
"""Checks a daf-manifest CMU-MOSI / CMU-MOSEI manifest against the miniature's truth.

    check_cmu_raw.py TRUTH_JSON MANIFEST_CSV

Labels are compared as float32 (the .csd stores them so); times exactly.
"""
import collections
import json
import sys

import numpy as np

from manifest_checks import check_audio, check_skips, check_text, fail, rows_by_id


def main(truth_path, manifest_path):
    truth = json.load(open(truth_path))
    got = rows_by_id(manifest_path, truth["rows"])
    for t in truth["rows"]:
        uid, r = t["id"], got[t["id"]]
        check_text(uid, r, t, ("split", "text", "video"))
        for key, value in t["labels"].items():
            if np.float32(float(r[key])) != np.float32(value):
                fail("%s: %s %s, expected %s" % (uid, key, r[key], value))
        for key in ("start", "end"):
            if key in t and float(r[key]) != t[key]:
                fail("%s: %s %s, expected %s" % (uid, key, r[key], t[key]))
        check_audio(uid, r["audio"], t["audio"])
    kinds = check_skips(manifest_path, truth["skips"])
    counts = collections.Counter(r["split"] for r in got.values())
    print("%d rows (%s); skipped %s" % (len(got), dict(sorted(counts.items())), kinds))


if __name__ == "__main__":
    main(*sys.argv[1:])
