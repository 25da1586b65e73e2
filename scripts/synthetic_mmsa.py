#!/usr/bin/python3
"""Write an MMSA-layout pickle (unaligned_50.pkl / aligned_50.pkl) from a daf-synth cache.

    build/apps/daf-synth --preset demo --out data/synth.h5
    /usr/bin/python3 scripts/synthetic_mmsa.py data/synth.h5 data/aligned_50.pkl --layout aligned
    /usr/bin/python3 scripts/mmsa_to_cache.py data/aligned_50.pkl data/mosei.h5

A stand-in for MMSA's processed CMU-MOSEI, so that the MMSA route can be tried
and tested without the data. Each utterance of the cache (text 768-d, audio
74-d, video 35-d: daf-synth's generative story, with per-utterance reliability
differences) becomes sequences in MMSA's layout:

  text       [N, 50, 768]   BERT-like: valid tokens (8-50 per utterance) are the
                            utterance's text features plus noise centred over
                            those tokens, so their mean is exactly the features;
                            padding positions hold noise (BERT's outputs there
                            are not zero either), which only the mask removes
  text_bert  [N, 3, 50]     token ids ([CLS] ... [SEP]), attention mask, segment ids
  audio      [N, T, 74]     unaligned: T = 500, audio_lengths valid steps (a
                            quarter to all of T), zero padding with some -inf in
                            it (COVAREP's); aligned: T = 50, valid where the text is
  vision     [N, T, 35]     unaligned: T = 375, vision_lengths; aligned as audio
  regression_labels [N], classification_labels [N] (0 negative, 1 neutral,
  2 positive), annotations, id ("<video>$_$<clip>"), raw_text

scripts/mmsa_to_cache.py (pooling over valid steps) gives back the cache's
features to float32 rounding. Sizes: aligned 176 KB per utterance, unaligned
355 KB (daf-synth's demo preset, 3,500 utterances: 0.6 / 1.2 GB).
Uses Debian's python3-numpy and python3-h5py.
"""
import argparse
import os
import pickle
import sys

try:
    import h5py
    import numpy as np
except ImportError as error:
    sys.exit(f"error: {error}: install Debian's python3-numpy and python3-h5py (scripts/install-deps.sh does)")

SPLITS = ("train", "valid", "test")
STEPS = {"unaligned": (50, 500, 375), "aligned": (50, 50, 50)}


def sequences(rng, features, lengths, steps, padding_noise):
    """[N, steps, D] float32: on each utterance's first `length` steps its features plus noise centred
    over those steps (their mean is exactly the features); after them zeros, or noise."""
    n, dims = features.shape
    valid = (np.arange(steps)[None, :] < lengths[:, None])[:, :, None]
    out = rng.standard_normal((n, steps, dims), dtype=np.float32)
    out -= (out * valid).sum(axis=1, keepdims=True) / lengths[:, None, None].astype(np.float32)
    out += features[:, None, :]
    if not padding_noise:
        out *= valid
    else:
        np.copyto(out, rng.standard_normal((n, steps, dims), dtype=np.float32), where=~valid)
    return out


def make_split(rng, cache, name, layout):
    group = cache[name]
    features = {m: group[f"features/{m}"][:] for m in ("text", "audio", "video")}
    labels = group["labels/sentiment"][:].astype(np.float32)
    n = len(labels)
    text_steps, audio_steps, vision_steps = STEPS[layout]
    text_lengths = rng.integers(8, text_steps + 1, n)
    if layout == "unaligned":
        audio_lengths = rng.integers(audio_steps // 4, audio_steps + 1, n)
        vision_lengths = rng.integers(vision_steps // 4, vision_steps + 1, n)
    else:
        audio_lengths = vision_lengths = text_lengths
    out = {
        # BERT's outputs at padding positions are not zero either: only the mask removes them.
        "text": sequences(rng, features["text"], text_lengths, text_steps, padding_noise=True),
        "text_bert": np.zeros((n, 3, text_steps), np.float32),
        "audio": sequences(rng, features["audio"], audio_lengths, audio_steps, padding_noise=False),
        "vision": sequences(rng, features["video"], vision_lengths, vision_steps, padding_noise=False),
    }
    for i in range(n):
        length = text_lengths[i]
        out["text_bert"][i, 0, :length] = np.concatenate(([101], rng.integers(1000, 30000, length - 2), [102]))
        out["text_bert"][i, 1, :length] = 1
        for key, lengths in (("audio", audio_lengths), ("vision", vision_lengths)):
            if layout == "unaligned" and i % 10 == 0 and lengths[i] < out[key].shape[1]:
                out[key][i, -1, 0] = -np.inf  # in the padding: never pooled over valid steps
    polarity = np.sign(labels).astype(int)
    video = [f"synth{name}{i // 7:05d}" for i in range(n)]
    out.update({
        "id": [f"{video[i]}$_${i % 7}" for i in range(n)],
        "raw_text": [f"synthetic {name} utterance {i}" for i in range(n)],
        "regression_labels": labels,
        "classification_labels": (polarity + 1).astype(np.float32),
        "annotations": [("Negative", "Neutral", "Positive")[p + 1] for p in polarity],
    })
    if layout == "unaligned":
        out["audio_lengths"] = audio_lengths.tolist()
        out["vision_lengths"] = vision_lengths.tolist()
    return out


def main(argv):
    parser = argparse.ArgumentParser(prog="synthetic_mmsa.py", formatter_class=argparse.RawDescriptionHelpFormatter,
                                     description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("cache", help="a daf-synth cache (text, audio and video features; labels/sentiment)")
    parser.add_argument("pickle", help="MMSA-layout pickle to write")
    parser.add_argument("--layout", choices=sorted(STEPS), default="unaligned",
                        help="unaligned_50.pkl (text 50, audio 500, vision 375 steps; default) or aligned_50.pkl "
                             "(50 steps each)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the sequence noise (default 1)")
    args = parser.parse_args(argv[1:])
    rng = np.random.default_rng(args.seed)
    try:
        with h5py.File(args.cache, "r") as cache:
            data = {name: make_split(rng, cache, name, args.layout) for name in SPLITS}
    except OSError as error:
        print(f"error: {args.cache}: cannot read as an HDF5 cache ({error})", file=sys.stderr)
        return 2
    except KeyError as error:
        print(f"error: {args.cache}: not a daf-synth cache: {error} is missing (expected train/valid/test with "
              "features/text, features/audio, features/video and labels/sentiment)", file=sys.stderr)
        return 2
    temporary = f"{args.pickle}.tmp.{os.getpid()}"
    try:
        with open(temporary, "wb") as handle:
            pickle.dump(data, handle, protocol=4)
        os.replace(temporary, args.pickle)
    except OSError as error:
        print(f"error: {args.pickle}: cannot write: {error.strerror}", file=sys.stderr)
        return 1
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    sizes = " / ".join(str(len(data[name]["id"])) for name in SPLITS)
    print(f"wrote {args.pickle}: MMSA {args.layout} layout, {sizes} utterances (train / valid / test), "
          f"{os.path.getsize(args.pickle) / 1e6:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
