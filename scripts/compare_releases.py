#!/usr/bin/python3
"""Compares the demo's outputs made on two platforms (scripts/debian13.sh runs
the demo on Debian 12 and in a Debian 13 root): the cache daf-synth wrote, and
every CSV of the sweep (per run: predictions, metrics per epoch without the
wall-clock columns, robustness evaluations; the sweep's summaries). Prints one Markdown table: per kind of file, how many files are
bit-identical and the largest absolute difference of a number in the others.
Text cells (names, ids) must agree exactly; a file present on one side only is
an error.

  compare_releases.py A B [--label-a NAME] [--label-b NAME]
"""
import argparse
import csv
import math
import re
import sys
from pathlib import Path

import h5py
import numpy as np


def h5_difference(a, b):
    """Largest |difference| over every dataset of two HDF5 files; None when a
    dataset or attribute differs in anything but numbers."""
    largest = 0.0
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        names_a, names_b = [], []
        fa.visit(names_a.append)
        fb.visit(names_b.append)
        if sorted(names_a) != sorted(names_b):
            return None
        for name in names_a:
            if dict(fa[name].attrs).keys() != dict(fb[name].attrs).keys():
                return None
            if not isinstance(fa[name], h5py.Dataset):
                continue
            x, y = fa[name][()], fb[name][()]
            if x.shape != y.shape or x.dtype != y.dtype:
                return None
            if x.dtype.kind in "fiu":
                if x.size:
                    largest = max(largest, float(np.max(np.abs(x.astype(np.float64) - y.astype(np.float64)))))
            elif not np.array_equal(x, y):
                return None
    return largest


def number(text):
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# A table with another number of rows: metrics.csv of a run that early
# stopping ended at another epoch.
ROWS_DIFFER = "rows"

# Files whose text depends on the numbers: the slice analysis names quantile
# slices by their edges ("low (< 0.508)") and lists the utterances that gain
# most, whose order follows the predictions.
TEXT_FOLLOWS_NUMBERS = {"analysis.csv", "top_utterances.csv"}
TEXT_DIFFERS = "text"

# Wall-clock columns (metrics.csv's per-epoch time and speed) differ between
# any two runs and are left out.
TIMING_COLUMNS = {"seconds", "samples_per_s"}


def csv_difference(a, b):
    with open(a, newline="") as fa, open(b, newline="") as fb:
        rows_a, rows_b = list(csv.reader(fa)), list(csv.reader(fb))
    if rows_a and rows_b and rows_a[0] != rows_b[0]:
        return None
    if len(rows_a) != len(rows_b):
        return ROWS_DIFFER
    skip = {i for i, name in enumerate(rows_a[0]) if name in TIMING_COLUMNS} if rows_a else set()
    largest = 0.0
    for row_a, row_b in zip(rows_a, rows_b):
        if len(row_a) != len(row_b):
            return None
        for i, (x, y) in enumerate(zip(row_a, row_b)):
            if x == y or i in skip:
                continue
            nx, ny = number(x), number(y)
            if nx is None or ny is None:
                return TEXT_DIFFERS if Path(a).name in TEXT_FOLLOWS_NUMBERS else None
            largest = max(largest, abs(nx - ny))
    return largest


def kind(relative):
    """Groups files: a run's files by their name, the sweep's own files whole."""
    parts = relative.parts
    if relative.suffix == ".h5":
        return "cache written by daf-synth (" + relative.name + ")"
    for i, part in enumerate(parts):
        if re.fullmatch(r"seed-\d+", part):
            return "per run: " + "/".join(parts[i + 1:])
    return "sweep: " + relative.name


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    parser.add_argument("--label-a", default="A")
    parser.add_argument("--label-b", default="B")
    args = parser.parse_args()
    for folder in (args.a, args.b):
        if not folder.is_dir():
            print(f"compare_releases: {folder}: not a folder", file=sys.stderr)
            sys.exit(2)

    def files(root):
        return {p.relative_to(root) for p in root.rglob("*") if p.is_file() and p.suffix in (".h5", ".csv")}

    files_a, files_b = files(args.a), files(args.b)
    if files_a != files_b:
        only = sorted(str(p) for p in files_a ^ files_b)
        sys.exit(f"compare_releases: files on one side only: {', '.join(only[:10])}")
    groups = {}
    for relative in sorted(files_a):
        compare = h5_difference if relative.suffix == ".h5" else csv_difference
        difference = compare(args.a / relative, args.b / relative)
        if difference is None:
            sys.exit(f"compare_releases: {relative}: differs in its structure or text, not only in numbers")
        groups.setdefault(kind(relative), []).append(difference)

    print(f"| output | files | bit-identical ({args.label_a} vs {args.label_b}) | largest difference |")
    print("|---|---|---|---|")
    for name, differences in groups.items():
        numbers = [d for d in differences if d not in (ROWS_DIFFER, TEXT_DIFFERS)]
        same = sum(1 for d in numbers if d == 0.0)
        largest = f"{max(numbers):.3g}" if numbers else "-"
        stopped = sum(1 for d in differences if d == ROWS_DIFFER)
        if stopped:
            largest += f" ({stopped} stopped at another epoch)"
        if TEXT_DIFFERS in differences:
            largest += " (slice edges or utterance order differ)"
        print(f"| {name} | {len(differences)} | {same} | {largest} |")


if __name__ == "__main__":
    main()
