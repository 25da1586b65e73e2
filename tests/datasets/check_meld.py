#!/usr/bin/python3
"""Checks a daf-manifest MELD manifest against the miniature's truth.

    check_meld.py TRUTH_JSON MANIFEST_CSV

Every row (id, split, repaired text, clip, emotion, sentiment -1/0/1,
speaker, dialogue, season, episode, episode times in seconds) and the skips
per id and kind; prints the counts per split and emotion.
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
        check_text(uid, r, t, ("split", "text", "emotion", "speaker", "dialogue", "season", "episode"))
        if float(r["sentiment"]) != t["sentiment"]:
            fail("%s: sentiment %s, expected %s" % (uid, r["sentiment"], t["sentiment"]))
        for key in ("episode_start", "episode_end"):
            if t[key] is None:
                if r[key] != "":
                    fail("%s: %s %r, expected it empty" % (uid, key, r[key]))
            elif abs(float(r[key]) - t[key]) > 1e-9:
                fail("%s: %s %s, expected %s" % (uid, key, r[key], t[key]))
        check_audio(uid, r["audio"], t["audio"])
    kinds = check_skips(manifest_path, truth["skips"])
    counts = collections.Counter((r["split"], r["emotion"]) for r in got.values())
    print("meld: %d rows (%s); skipped %s" % (len(got), ", ".join("%s/%s %d" % (s, e, n) for (s, e), n in
                                                                 sorted(counts.items())), kinds))


if __name__ == "__main__":
    main(*sys.argv[1:])
