#!/usr/bin/python3
"""A small spoken corpus of known sentiment, made offline with espeak-ng.

Each sentence mixes sentiment words (score -3..3) with neutral ones; its label
is the mean score of its sentiment words. espeak-ng speaks it with prosody that
follows the label (happier: higher pitch, faster; sadder: lower, slower) plus
random variation, and one voice of several. Writes <out>/manifest.csv,
<out>/sentences.txt and <out>/wav/*.wav (22.05 kHz, as espeak-ng speaks).
Standard library only.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys

WORDS = {
    3: ["wonderful", "brilliant", "superb", "fantastic"],
    2: ["great", "lovely", "delightful", "charming"],
    1: ["good", "nice", "pleasant", "decent"],
    -1: ["dull", "weak", "flat", "tiresome"],
    -2: ["bad", "poor", "boring", "clumsy"],
    -3: ["awful", "terrible", "dreadful", "horrible"],
}
NOUNS = ["movie", "story", "acting", "music", "ending", "plot", "script", "camera work"]
TEMPLATES = [
    "the {n} was {a}",
    "i thought the {n} was {a} and {b}",
    "honestly the {n} felt {a}",
    "what a {a} {n}",
    "the {n} was {a} but the {m} was {b}",
]
VOICES = ["en", "en-us", "en-gb-scotland", "en-gb-x-rp"]


def sentence(rng: random.Random):
    template = rng.choice(TEMPLATES)
    scores = [rng.choice(list(WORDS)) for _ in range(2)]
    if "{b}" in template and rng.random() < 0.7:
        scores[1] = scores[0] if rng.random() < 0.6 else scores[1]
    words = [rng.choice(WORDS[s]) for s in scores]
    used = scores if "{b}" in template else scores[:1]
    text = template.format(n=rng.choice(NOUNS), m=rng.choice(NOUNS), a=words[0], b=words[1])
    return text, sum(used) / len(used)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    parser.add_argument("--utterances", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        sys.exit("speech_demo_corpus.py: espeak-ng not found (Debian: apt install espeak-ng)")
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "wav"), exist_ok=True)
    rows, texts = [], []
    for i in range(args.utterances):
        text, label = sentence(rng)
        pitch = int(max(0, min(99, 50 + 8 * label + rng.gauss(0, 8))))
        speed = int(160 + 8 * label + rng.gauss(0, 10))
        wav = os.path.join("wav", f"utt{i:04d}.wav")
        path = os.path.join(args.out, wav)
        if not os.path.exists(path):
            tmp = path + ".tmp.wav"
            subprocess.run([espeak, "-v", rng.choice(VOICES), "-p", str(pitch), "-s", str(speed), "-w", tmp, text],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.replace(tmp, path)
        else:
            rng.choice(VOICES)  # keep the random stream identical when resuming
        split = "train" if i % 10 < 7 else ("valid" if i % 10 < 8 else "test")
        rows.append(f"utt{i:04d},{split},{text},{wav},{label:.4f}")
        texts.append(text)
    manifest = os.path.join(args.out, "manifest.csv")
    with open(manifest + ".tmp", "w", encoding="utf-8") as f:
        f.write("id,split,text,audio,sentiment\n" + "\n".join(rows) + "\n")
    os.replace(manifest + ".tmp", manifest)
    sentences = os.path.join(args.out, "sentences.txt")
    with open(sentences + ".tmp", "w", encoding="utf-8") as f:
        f.write("\n".join(texts) + "\n")
    os.replace(sentences + ".tmp", sentences)
    print(f"{args.utterances} utterances: {manifest}")


if __name__ == "__main__":
    main()
