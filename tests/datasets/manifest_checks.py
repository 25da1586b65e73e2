"""Shared by the check_*.py scripts: reading a daf-manifest manifest and
comparing its ids and skip list with a miniature's truth."""
import collections
import csv
import os
import sys


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def rows_by_id(manifest_path, truth_rows):
    """The manifest's rows by id, after checking that its ids are the truth's, once each."""
    rows = list(csv.DictReader(open(manifest_path, newline="", encoding="utf-8")))
    got = {r["id"]: r for r in rows}
    want = {t["id"]: t for t in truth_rows}
    if len(got) != len(rows) or set(got) != set(want):
        fail("ids differ: missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    return got


def check_text(uid, row, truth, keys):
    """The manifest row's columns `keys` equal the truth's, as text."""
    for key in keys:
        if row[key] != truth[key]:
            fail("%s: %s is %r, expected %r" % (uid, key, row[key], truth[key]))


def check_audio(uid, have, want):
    if not os.path.samefile(have, want):
        fail("%s: audio %s, expected %s" % (uid, have, want))


def check_skips(manifest_path, truth_skips, by_id=True):
    """The .skipped.csv's (id, kind) pairs (or kinds alone) against the truth's; returns the kinds' counts."""
    skipped = list(csv.DictReader(open(manifest_path + ".skipped.csv", newline="", encoding="utf-8")))
    key = (lambda s: (s["id"], s["kind"])) if by_id else (lambda s: s["kind"])
    have = collections.Counter(key(s) for s in skipped)
    expected = collections.Counter(key(s) for s in truth_skips)
    if have != expected:
        fail("skips %s, expected %s" % (sorted(have.items()), sorted(expected.items())))
    return dict(sorted(collections.Counter(s["kind"] for s in skipped).items()))
