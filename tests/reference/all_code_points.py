#!/usr/bin/env python3
"""Writes the exhaustive per-character check: one line "a<c>b" for every code point c from
U+0080 to U+323AF and U+E0000 to U+E01EF (surrogates excluded), and a WordPiece vocab.txt that
holds every such character alone and as a "##" continuation, so the pieces show exactly what
normalisation (cleaning, accents, lower case, punctuation) made of each character.

usage: all_code_points.py TEXT_OUT VOCAB_OUT"""
import sys


def code_points():
    for c in list(range(0x80, 0x323B0)) + list(range(0xE0000, 0xE01F0)):
        if not 0xD800 <= c < 0xE000:
            yield c


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
        f.write("".join(f"a{chr(c)}b\n" for c in code_points()))
    tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    seen = set(tokens)
    for c in range(0x21, 0x323B0):
        ch = chr(c)
        if 0xD800 <= c < 0xE000 or not ch.strip():  # whitespace never reaches the vocabulary
            continue
        for token in (ch, "##" + ch):
            if token.rstrip() == token and token not in seen:  # vocab.txt lines lose trailing whitespace
                seen.add(token)
                tokens.append(token)
    with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
        f.write("".join(t + "\n" for t in tokens))


if __name__ == "__main__":
    main()
