#!/usr/bin/python3
"""Checks a cache daf-extract made from a miniature's manifest against its truth.

    check_extraction.py TRUTH_JSON MANIFEST CACHE_H5

Every manifest row is in the cache, in its split. The clips truth.json lists
under "extract_skips" (a cut mp4, a video without audio) are in the skip report
(<cache>.skipped.csv) with their modality and reason, and in the cache with that
modality absent (present = 0) and text present; every other row has both.
"""
import csv
import json
import sys

import h5py


def fail(message):
    print("check_extraction: " + message, file=sys.stderr)
    sys.exit(1)


def main(truth_path, manifest_path, cache_path):
    with open(truth_path) as f:
        expected = {(s["id"], s["modality"]): s["reason"] for s in json.load(f)["extract_skips"]}
    rows = {r["id"]: r for r in csv.DictReader(open(manifest_path, encoding="utf-8"))}
    reported = {}
    with open(cache_path + ".skipped.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            reported[(r["id"], r["modality"])] = r["reason"]
    if set(reported) != set(expected):
        fail("skipped %s, expected %s" % (sorted(reported), sorted(expected)))
    for key, reason in expected.items():
        if reason not in reported[key]:
            fail("%s: reason %r does not say %r" % (key, reported[key], reason))
    seen = 0
    with h5py.File(cache_path) as f:
        for split in ("train", "valid", "test"):
            ids = [i.decode() for i in f[split]["ids"][:]]
            seen += len(ids)
            for modality in ("text", "audio"):
                # present/<modality> is optional: absent, the modality is present in every row.
                group = f[split].get("present", {})
                present = group[modality][:] if modality in group else [1] * len(ids)
                for uid, flag in zip(ids, present):
                    if rows[uid]["split"] != split:
                        fail("%s: in %s, the manifest says %s" % (uid, split, rows[uid]["split"]))
                    want = 0 if (uid, modality) in expected else 1
                    if flag != want:
                        fail("%s: %s present = %d, expected %d" % (uid, modality, flag, want))
    if seen != len(rows):
        fail("%d rows in the cache, %d in the manifest" % (seen, len(rows)))
    print("check_extraction: %d rows; skipped as expected: %s" % (seen, ", ".join("%s (%s)" % k for k in sorted(expected))))


if __name__ == "__main__":
    main(*sys.argv[1:])
