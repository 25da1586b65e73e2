#!/usr/bin/env python3
"""Compares one step of scripts/gpu-check.sh: the CPU's output with the device's.

gpu_check_compare.py STEP A B --exact 0|1 (standard library only: it runs on
the GPU machine's Python as well as here). With --exact 1 every number must be
identical; otherwise each step has the tolerance that gpu-check.sh states.
Prints the largest differences; exit 1 when one is beyond its tolerance.
"""
import argparse
import csv
import json
import math
import sys

# (what, tolerance) per step on a CUDA device; see gpu-check.sh's header.
TOLERANCES = {
    "train": {"first epoch valid": 1e-2, "best epoch test": 0.1},
    "eval": {"predictions and weights": 1e-4},
    "ablate": {"summary": 0.1},
    "predict": {"predictions and weights": 2e-2},
}
# Timings and counters that differ run to run.
SKIP = {"seconds", "samples_per_s", "train_seconds", "samples_per_second", "lr"}


def numbers(row):
    out = {}
    for key, value in row.items():
        if key in SKIP or value in ("", None):
            continue
        try:
            out[key] = float(value)
        except ValueError:
            out[key] = value
    return out


def differences(a, b, where):
    """Largest |a - b| over the numeric fields of two aligned lists of rows."""
    if len(a) != len(b):
        sys.exit(f"{where}: {len(a)} rows against {len(b)}")
    worst, at = 0.0, ""
    for ra, rb in zip(a, b):
        na, nb = numbers(ra), numbers(rb)
        if na.keys() != nb.keys():
            sys.exit(f"{where}: columns differ: {sorted(na)} vs {sorted(nb)}")
        for key in na:
            x, y = na[key], nb[key]
            if isinstance(x, str) or isinstance(y, str):
                if x != y:
                    sys.exit(f"{where}: {key}: '{x}' vs '{y}'")
                continue
            d = 0.0 if (math.isnan(x) and math.isnan(y)) else abs(x - y)
            if d > worst or math.isnan(d):
                worst, at = d, key
    return worst, at


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=sorted(TOLERANCES))
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--exact", type=int, choices=[0, 1], default=0)
    args = parser.parse_args()

    checks = []  # (what, difference, field)
    if args.step == "train":
        first = [rows(f"{d}/metrics.csv")[0] for d in (args.a, args.b)]
        valid = {k: v for k, v in first[0].items() if k.startswith("valid_")}
        valid_b = {k: first[1][k] for k in valid}
        checks.append(("first epoch valid", *differences([valid], [valid_b], "metrics.csv epoch 1")))
        final = [json.load(open(f"{d}/final_metrics.json")) for d in (args.a, args.b)]
        checks.append(("best epoch test", *differences([final[0]["test"]], [final[1]["test"]], "final_metrics.json")))
    else:
        what = next(iter(TOLERANCES[args.step]))
        checks.append((what, *differences(rows(args.a), rows(args.b), f"{args.a} vs {args.b}")))

    failed = False
    for what, worst, field in checks:
        tolerance = 0.0 if args.exact else TOLERANCES[args.step][what]
        ok = worst <= tolerance
        failed |= not ok
        print(f"{args.step}: {what}: max |difference| {worst:.3g}{' (' + field + ')' if field else ''}, "
              f"tolerance {tolerance:g}{'' if ok else '  BEYOND'}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
