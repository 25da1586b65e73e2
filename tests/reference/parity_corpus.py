#!/usr/bin/env python3
"""Writes the tokenizer parity corpus: LINES lines (default 3000) of text that is hard
to tokenize, one text per line ("\n" never occurs inside a line; "\r" does).

Spoken-review transcripts in English and other languages and scripts, mixed with emoji
(ZWJ sequences, skin tones, flags, keycaps), numbers and symbols, control and format
characters, unusual whitespace, combining marks, over-long words and text that looks
like special tokens. Seeded: the same arguments give the same file.

usage: parity_corpus.py OUT [LINES] [SEED]"""
import random
import sys

REVIEWS = [
    "i mean the movie was pretty good , uh , but the ending just did n't work for me",
    "Honestly? I LOVED it. Best film I've seen all year!!!",
    "so um yeah it's like a 7 out of 10 i'd say",
    "The acting was terrible... and the plot? Don't get me started.",
    "we're gonna talk about the new phone today - it's $999.99 (yes, really)",
    "I'd've thought they'd fix it by v2.0, but no: still 3,000+ bugs & 42% battery @ noon",
    "she said \"it's fine\" but you could tell it wasn't",
    "Rated 4.5/10 -- wouldn't recommend; e-mail me at someone@example.com if you disagree",
    "OK so first off, the soundtrack = amazing; the pacing <= acceptable; overall ~ meh",
    "y'all need to see this, it's AMAZING #mustwatch @director_name",
]

WORDS = {
    "latin": ["café", "naïve", "résumé", "Straße", "Ærøskøbing", "façade", "über", "piñata", "Œuvre", "ﬁnancial",
              "ǅemal", "Ångström", "İstanbul", "ıspanak", "ÇOK", "Việt Nam", "Nguyễn", "phở", "crème brûlée"],
    "greek": ["ΟΔΥΣΣΕΥΣ", "Σίσυφος", "ΐ", "καλημέρα", "ΣΑΣ"],
    "cyrillic": ["Привет", "мир", "ЁЛКА", "Україна", "ђак"],
    "semitic": ["مرحبا بالعالم", "שלום עולם", "الفيلم رائع جدا"],
    "indic": ["नमस्ते", "हिन्दी फ़िल्म", "தமிழ்", "বাংলা"],
    "east_asian": ["电影很好看", "我觉得还可以", "映画は面白かった", "カタカナ", "ひらがな", "영화가 정말 좋았어요", "한국어",
                   "𠀀𠀁", "丼", "ｶﾀｶﾅ"],
    "thai": ["ภาษาไทย", "สวัสดีครับ"],
    "other": ["ᚠᚢᚦ", "ሰላም", "Ⴀ", "ꦲꦏ꧀ꦱꦫ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "𝐁𝐨𝐥𝐝", "Ⅻ", "①②③", "x²+y³", "½ ¼ ¾", "™ © ®"],
}

EMOJI = ["😀", "😂", "🥰", "🤯", "🫠", "👍", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "🇯🇵", "❤️", "❤", "1️⃣", "#️⃣",
         "✌🏿", "🧑🏻‍💻", "☃", "⭐", "🎬🍿", "💯"]

SYMBOLS = ["$", "€", "£", "¥", "₹", "₿", "%", "‰", "°C", "±", "×", "÷", "√", "∞", "≠", "≤", "→", "⇒", "…", "—", "–",
           "‘", "’", "“", "”", "«", "»", "„", "‹", "›", "¿", "¡", "§", "¶", "†", "•", "·", "^", "`", "~", "|", "\\",
           "{", "}", "<", ">", "_", "'", "''", "'s", "'S", "'ll", "'re", "'ve", "'d", "'m", "'t", "n't"]

NUMBERS = ["0", "7", "42", "3.14159", "1,000,000", "10^6", "1e-9", "-273.15", "007", "٣٤٥", "१२३", "１２３",
           "2026-12-01", "12:30pm", "4/5", "3rd", "21st", "v1.2.3", "0x1F", "123456789012345678901234567890"]

CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x7f", "\x85", "\u200b", "\u200c", "\u200d", "\u200e", "\u2060",
           "\ufeff", "\u00ad", "\ufffd", "\ue000", "\U000f0000", "\u0378", "\U000e0001", "\U000e0041", "\u061c",
           "\u2066", "\u206f", "\ufff9"]

SPACES = [" ", "  ", "   ", "\t", "\r", "\x0b", "\x0c", "\u00a0", "\u1680", "\u2000", "\u2003", "\u2009", "\u200a",
          "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\u180e", " \t ", "\r\t"]

COMBINING = ["e\u0301", "a\u0308\u0301", "n\u0303", "Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319",
             "\u0301", "o\u0328\u0304", "\u0915\u094d\u0937", "\u1100\u1161\u11a8", "i\u0307", "\u05e9\u05c1"]

SPECIAL = ["[SEP]", "[sep]", "[CLS]", "[PAD]", "[UNK]", "[MASK]", "[SEP][SEP]", "[ SEP ]", "[CLS]hello", "x[SEP]y",
           "<s>", "</s>", "<pad>", "<unk>", "<mask>", " <mask>", "<mask> ", "<|endoftext|>", "<<s>>", "<s/>",
           "[unused1]", "##ing", "##", "Ġhello", "▁hello", "\\u0120"]


def long_word(rng):
    n = rng.choice([99, 100, 101, 150, 400])
    alphabet = rng.choice(["abcdefghij", "supercalifragilistic", "éüñ", "0123456789", "ab-", "зх"])
    return "".join(rng.choice(alphabet) for _ in range(n))


def fragment(rng):
    kind = rng.random()
    if kind < 0.30:
        return rng.choice(REVIEWS)
    if kind < 0.50:
        return " ".join(rng.choice(WORDS[rng.choice(list(WORDS))]) for _ in range(rng.randint(1, 4)))
    if kind < 0.58:
        return rng.choice(EMOJI) * rng.randint(1, 3)
    if kind < 0.66:
        return rng.choice(SYMBOLS)
    if kind < 0.74:
        return rng.choice(NUMBERS)
    if kind < 0.80:
        return rng.choice(CONTROL)
    if kind < 0.86:
        return rng.choice(COMBINING)
    if kind < 0.93:
        return rng.choice(SPECIAL)
    if kind < 0.96:
        return long_word(rng)
    # arbitrary code points from assigned planes (never a surrogate or "\n")
    cps = [rng.choice([rng.randint(0x20, 0x2FF), rng.randint(0x370, 0x1FFF), rng.randint(0x2000, 0x2BFF),
                       rng.randint(0x3000, 0xD7FF), rng.randint(0xE000, 0xFFFD), rng.randint(0x10000, 0x1FBFF),
                       rng.randint(0x20000, 0x3134F)]) for _ in range(rng.randint(1, 6))]
    return "".join(chr(c) for c in cps if c != 0x0A)


def line(rng):
    parts = [fragment(rng) for _ in range(rng.randint(1, 8))]
    out = ""
    for part in parts:
        out += part + rng.choice(SPACES if rng.random() < 0.4 else [" ", "", " "])
    if rng.random() < 0.1:
        out = rng.choice(SPACES) + out
    if rng.random() < 0.02:
        out = ""
    return out.replace("\n", " ")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    lines = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 20261201)
    corpus = [line(rng) for _ in range(lines)]
    with open(sys.argv[1], "w", encoding="utf-8", newline="") as f:
        f.write("".join(text + "\n" for text in corpus))


if __name__ == "__main__":
    main()
