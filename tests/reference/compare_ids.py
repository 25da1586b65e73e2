#!/usr/bin/env python3
"""Compares daf-tokenize's output (JSON objects with "ids") with a reference's (JSON arrays
of ids), line by line, and prints "LABEL: N lines, M identical".

With --allow-unicode-16 a line may differ when its one non-ASCII character is unassigned in
Python's Unicode database (14.0 on Debian 12, 15.1 on Debian 13) and newer than ICU's
(Debian 12's ICU 72: Unicode 15.0; Debian 13's ICU 76: 16.0): Hugging Face's Rust standard
library lower-cases the capital letters of Unicode 16.0 and 17.0, which ICU cannot know
(Debian 12: 55 lines, letters of 16.0 and 17.0; Debian 13: 28 lines, letters of 17.0).
Exit 1 on any other difference, with the first few shown.

usage: compare_ids.py LABEL DAF.jsonl REFERENCE.jsonl TEXT [--allow-unicode-16]"""
import json
import sys
import unicodedata


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    label, daf_file, ref_file, text_file = sys.argv[1:5]
    allow = "--allow-unicode-16" in sys.argv[5:]
    with open(daf_file, encoding="utf-8") as f:
        daf = [json.loads(line)["ids"] for line in f]
    with open(ref_file, encoding="utf-8") as f:
        ref = [json.loads(line) for line in f]
    with open(text_file, encoding="utf-8", newline="") as f:
        texts = f.read().split("\n")
    if texts and texts[-1] == "":
        texts.pop()
    if not len(daf) == len(ref) == len(texts):
        sys.exit(f"{label}: {len(texts)} lines of text, {len(daf)} from daf, {len(ref)} from the reference")
    differ = [i for i in range(len(daf)) if daf[i] != ref[i]]
    allowed = []
    if allow:
        for i in differ:
            wide = [c for c in texts[i] if ord(c) > 0x7F]
            if len(wide) == 1 and unicodedata.category(wide[0]) == "Cn":
                allowed.append(i)
    unexpected = [i for i in differ if i not in set(allowed)]
    note = f" ({len(allowed)} differ only in a letter newer than ICU's Unicode)" if allowed else ""
    print(f"{label}: {len(daf)} lines, {len(daf) - len(differ)} identical{note}")
    for i in unexpected[:5]:
        a, b = daf[i], ref[i]
        k = next((j for j in range(min(len(a), len(b))) if a[j] != b[j]), min(len(a), len(b)))
        print(f"  line {i + 1}: {texts[i]!r:.200}\n    daf       {a[max(0, k - 3):k + 6]}\n    reference {b[max(0, k - 3):k + 6]}")
    sys.exit(1 if unexpected else 0)


if __name__ == "__main__":
    main()
