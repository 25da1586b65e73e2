#!/usr/bin/python3
"""Checks a daf-manifest CH-SIMS manifest against the miniature's truth.

    check_sims.py TRUTH_JSON MANIFEST_CSV
"""
import collections
import json
import sys

from manifest_checks import check_audio, check_skips, check_text, fail, rows_by_id


def main(truth_path, manifest_path):
    truth = json.load(open(truth_path))
    got = rows_by_id(manifest_path, truth["rows"])
    for t in truth["rows"]:
        uid, r = t["id"], got[t["id"]]
        check_text(uid, r, t, ("split", "text", "speaker", "video", "annotation"))
        for key in ("sentiment", "sentiment_text", "sentiment_audio", "sentiment_video"):
            if abs(float(r[key]) - t[key]) > 1e-12:
                fail("%s: %s %s, expected %s" % (uid, key, r[key], t[key]))
        check_audio(uid, r["audio"], t["audio"])
    kinds = check_skips(manifest_path, truth["skips"])
    counts = collections.Counter(r["split"] for r in got.values())
    print("sims: %d rows (%s); skipped %s" % (len(got), dict(sorted(counts.items())), kinds))


if __name__ == "__main__":
    main(*sys.argv[1:])
