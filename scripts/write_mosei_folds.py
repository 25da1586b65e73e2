#!/usr/bin/env python3
"""Write CMU-MOSEI's standard folds (from the CMU-MultimodalSDK) as a daf folds file.

Run it where the SDK is installed (pip install mmsdk, or the SDK's repository on
PYTHONPATH); it only reads the fold lists that ship with the SDK:

    python3 scripts/write_mosei_folds.py mosei_folds.yaml

The output is YAML (JSON-compatible): {train: [video ids], valid: [...], test: [...]},
which `daf-import --folds` reads.
"""
import json
import os
import sys


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        from mmsdk.mmdatasdk.dataset.standard_datasets.CMU_MOSEI import cmu_mosei_std_folds as folds
    except ImportError as error:
        print(f"error: the CMU-MultimodalSDK (mmsdk) is not importable here: {error}", file=sys.stderr)
        return 2
    splits = {
        "train": list(folds.standard_train_fold),
        "valid": list(folds.standard_valid_fold),
        "test": list(folds.standard_test_fold),
    }
    temporary = f"{sys.argv[1]}.tmp.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as out:
        for name, videos in splits.items():
            out.write(f"{name}: {json.dumps(videos)}\n")
    os.replace(temporary, sys.argv[1])  # never a half-written folds file
    counts = ", ".join(f"{name} {len(videos)}" for name, videos in splits.items())
    print(f"wrote {sys.argv[1]}: {counts} videos")
    return 0


if __name__ == "__main__":
    sys.exit(main())
