#!/usr/bin/python3
"""Convert MMSA or MulT processed CMU-MOSI/MOSEI pickles into a daf embedding cache.

    /usr/bin/python3 scripts/mmsa_to_cache.py unaligned_50.pkl data/mosei.h5
    /usr/bin/python3 scripts/mmsa_to_cache.py --pooling all unaligned_50.pkl data/mosei-lf.h5
    /usr/bin/python3 scripts/mmsa_to_cache.py mosei_senti_data.pkl data/mosei-mult.h5

Recognised layouts:
  MMSA (unaligned_50.pkl, aligned_50.pkl): {train, valid, test} -> dict with
    id, raw_text, text [N, L, 768] (BERT), text_bert [N, 3, L] (ids, attention
    mask, segment ids), audio [N, T, 74], vision [N, T, 35], audio_lengths,
    vision_lengths, regression_labels [N], ...
  MulT (mosei_senti_data.pkl): {train, valid, test} -> dict with text, audio,
    vision [N, L, D], labels [N, 1, 1], id.

Non-finite values: as MMSA's data loader does, -inf in audio and vision
becomes 0 before pooling; any other NaN/Inf in a step that is pooled also
becomes 0. Both are counted and printed.

Pooling (--pooling):
  valid (default): the mean over the valid steps only. Text uses the attention
    mask from text_bert (MMSA); audio and vision use their lengths (MMSA,
    unaligned), else the text mask (MMSA, aligned, whose sequences are aligned
    to the text); MulT has neither, so its padding steps are those whose
    features are all zero. Padding steps are never touched.
  all: audio and vision averaged over all T steps, padding included, exactly
    as MMSA's late-fusion models (LF_DNN, TFN, LMF with need_normalized: true)
    see them: -inf -> 0, mean over T, then NaN -> 0. Text as with valid.
The choice is recorded in each modality's `pooling` attribute.

Pickles are unpickled with a restricted unpickler that only builds what these
files hold (dicts, lists, strings, numbers and numpy arrays); a pickle that
asks for anything else (e.g. os.system) is refused, exit 2. The cache is
written atomically (temporary name, then rename). Uses Debian's python3-numpy
and python3-h5py.
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
MODALITIES = (("text", "text"), ("audio", "audio"), ("video", "vision"))


class FormatError(Exception):
    pass


# What MMSA's and MulT's pickles need: numpy's array and scalar reconstruction
# and a few builtins (numpy < 1.25 and >= 2 name their module differently).
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
    ("builtins", "dict"), ("builtins", "list"), ("builtins", "tuple"), ("builtins", "set"),
    ("builtins", "frozenset"), ("builtins", "bytearray"), ("builtins", "complex"), ("builtins", "slice"),
    ("_codecs", "encode"), ("collections", "OrderedDict"),
}


class ForbiddenGlobal(Exception):
    pass


class RestrictedUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise ForbiddenGlobal(f"{module}.{name}")


def load_pickle(handle):
    return RestrictedUnpickler(handle).load()


class Counts:
    """Non-finite values replaced, per modality."""

    def __init__(self):
        self.neg_inf = {}
        self.other = {}

    def add(self, table, modality, n):
        if n:
            table[modality] = table.get(modality, 0) + int(n)

    @staticmethod
    def text(table):
        return ", ".join(f"{m} {n}" for m, n in sorted(table.items())) or "none"


def pool(sequences, masks, modality, pooling, counts):
    """One vector per utterance: [N, L, D] -> [N, D] in float64, one utterance at a time, so
    memory stays at the pickle's own size (MOSEI's BERT text alone is 2.5 GB in float32).

    Audio and vision: -inf -> 0 first, over every step, as MMSA's loader does. Then the mean over
    the steps where the mask is true, selected by indexing so that padding never enters the
    arithmetic (a -inf in a padded step must not turn into NaN through -inf * 0), other
    non-finite values in them -> 0; or, with pooling "all", MMSA's need_normalized path: the mean
    over all T steps, padding included, then NaN (and +-inf, which MMSA leaves in but a daf cache
    cannot hold) -> 0. masks(i, steps) gives utterance i's mask."""
    n, _, dims = sequences.shape
    out = np.zeros((n, dims), dtype=np.float64)
    for i in range(n):
        steps = np.array(sequences[i], dtype=np.float64)
        if modality != "text":
            neg_inf = steps == -np.inf
            counts.add(counts.neg_inf, modality, neg_inf.sum())
            steps[neg_inf] = 0
        if pooling == "all" and modality != "text":
            out[i] = steps.mean(axis=0)
            bad = ~np.isfinite(out[i])
            counts.add(counts.other, modality, bad.sum())
            out[i][bad] = 0
            continue
        steps = steps[masks(i, steps)]
        if steps.size == 0:
            continue
        bad = ~np.isfinite(steps)
        if bad.any():
            counts.add(counts.other, modality, bad.sum())
            steps = np.where(bad, 0.0, steps)
        out[i] = steps.mean(axis=0)
    return out


def length_mask(lengths, steps):
    lengths = np.asarray(lengths).reshape(-1)
    return np.arange(steps)[None, :] < lengths[:, None]


def detect(data, path):
    if not isinstance(data, dict) or not all(s in data for s in SPLITS):
        raise FormatError(f"{path}: expected a dict with splits {', '.join(SPLITS)}; found "
                          f"{type(data).__name__} with keys {sorted(data)[:8] if isinstance(data, dict) else '-'}")
    keys = set(data["train"])
    if {"text", "audio", "vision", "regression_labels"} <= keys:
        return "mmsa"
    if {"text", "audio", "vision", "labels"} <= keys:
        return "mult"
    raise FormatError(f"{path}: train split has keys {sorted(keys)}: neither MMSA "
                      "(text, audio, vision, regression_labels) nor MulT (text, audio, vision, labels)")


def clean_ids(raw):
    ids = []
    for item in raw:
        if isinstance(item, bytes):
            ids.append(item.decode("utf-8"))
        elif isinstance(item, (list, tuple, np.ndarray)) and not isinstance(item, str):
            parts = [p.decode("utf-8") if isinstance(p, bytes) else str(p) for p in np.asarray(item).reshape(-1)]
            ids.append(f"{parts[0]}[{parts[1]}]" if len(parts) == 2 else "_".join(parts))
        else:
            ids.append(str(item))
    return ids


def video_of(utterance_id):
    """The video an utterance id names: MMSA's 'video$_$clip', MulT's 'video[clip]'; None otherwise."""
    if "$_$" in utterance_id:
        return utterance_id.split("$_$")[0]
    if utterance_id.endswith("]") and "[" in utterance_id:
        return utterance_id[: utterance_id.rindex("[")]
    return None


def convert_split(split, layout, path, name, pooling, counts):
    n = len(split["text"])
    if layout == "mmsa":
        labels = np.asarray(split["regression_labels"], dtype=np.float32).reshape(-1)
        text_mask = np.asarray(split["text_bert"])[:, 1, :] > 0 if "text_bert" in split else None
    else:
        labels = np.asarray(split["labels"], dtype=np.float32).reshape(n, -1)[:, 0]
        text_mask = None
    features = {}
    for modality, key in MODALITIES:
        sequences = np.asarray(split[key])
        if sequences.ndim != 3 or sequences.shape[0] != n:
            raise FormatError(f"{path}: {name}/{key}: expected [N, steps, dims] with N = {n}, found {sequences.shape}")
        steps = sequences.shape[1]
        if layout == "mmsa" and f"{key}_lengths" in split:
            lengths = length_mask(split[f"{key}_lengths"], steps)
            masks = lambda i, _, lengths=lengths: lengths[i]
        elif layout == "mmsa" and text_mask is not None and text_mask.shape[1] == steps:
            masks = lambda i, _: text_mask[i]
        else:  # MulT pads with all-zero steps
            masks = lambda _, utterance: np.abs(np.nan_to_num(utterance)).sum(axis=1) > 0
        features[modality] = pool(sequences, masks, modality, pooling, counts).astype(np.float32)
    if len(labels) != n:
        raise FormatError(f"{path}: {name}: {len(labels)} labels for {n} utterances")
    ids = clean_ids(split["id"]) if "id" in split else [f"{name}_{i}" for i in range(n)]
    raw_text = [str(t) for t in split["raw_text"]] if "raw_text" in split else None
    return ids, labels, features, raw_text


POOLING_TEXT = {
    "valid": "mean over valid steps",
    "all": "mean over all steps, padding included (MMSA need_normalized)",
}


def write_cache(path, source, layout, splits, pooling):
    temporary = f"{path}.tmp.{os.getpid()}"
    try:
        with h5py.File(temporary, "w") as out:
            out.attrs["daf_format"] = np.int64(2)
            for name, (ids, labels, features, raw_text) in splits.items():
                group = out.create_group(name)
                group.create_dataset("ids", data=ids, dtype=h5py.string_dtype("utf-8"))
                group.create_dataset("labels/sentiment", data=labels)
                if raw_text is not None:
                    group.create_dataset("transcripts", data=raw_text, dtype=h5py.string_dtype("utf-8"))
                videos = [video_of(i) for i in ids]
                if ids and all(videos):  # per-utterance metadata: the video, for slices and grouped folds
                    group.create_dataset("meta/video", data=videos, dtype=h5py.string_dtype("utf-8"))
                for modality, matrix in features.items():
                    dataset = group.create_dataset(f"features/{modality}", data=matrix)
                    dataset.attrs["encoder"] = f"{layout} pickle ({os.path.basename(source)})"
                    dataset.attrs["pooling"] = POOLING_TEXT["valid" if modality == "text" else pooling]
                    dataset.attrs["source"] = source
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="mmsa_to_cache.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n", 1)[1])
    parser.add_argument("pickle", help="MMSA (unaligned_50.pkl, aligned_50.pkl) or MulT pickle")
    parser.add_argument("cache", help="embedding cache to write (.h5)")
    parser.add_argument("--pooling", choices=("valid", "all"), default="valid",
                        help="audio/vision: mean over valid steps (default) or over all T steps as MMSA's "
                             "late-fusion models see them")
    return parser.parse_args(argv)


def main(argv):
    args = parse_args(argv[1:])
    source, target = args.pickle, args.cache
    counts = Counts()
    try:
        with open(source, "rb") as handle:
            data = load_pickle(handle)
        layout = detect(data, source)
        splits = {name: convert_split(data[name], layout, source, name, args.pooling, counts) for name in SPLITS}
    except OSError as error:
        print(f"error: {source}: {error.strerror}", file=sys.stderr)
        return 2
    except ForbiddenGlobal as error:
        print(f"error: {source}: refused: the pickle asks for {error}, which MMSA and MulT pickles never hold "
              "(only dicts, lists, strings, numbers and numpy arrays are built)", file=sys.stderr)
        return 2
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError, IndexError) as error:
        print(f"error: {source}: not a readable pickle ({error})", file=sys.stderr)
        return 2
    except FormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyError as error:
        print(f"error: {source}: a split lacks the key {error}", file=sys.stderr)
        return 2
    try:
        write_cache(target, source, layout, splits, args.pooling)
    except OSError as error:
        print(f"error: {target}: cannot write: {error.strerror}", file=sys.stderr)
        return 1
    sizes = " / ".join(str(len(splits[name][0])) for name in SPLITS)
    print(f"wrote {target} from {layout} pickle {source}: {sizes} utterances (train / valid / test), "
          f"pooling {args.pooling}")
    print(f"  -inf replaced by 0 (as MMSA's loader): {Counts.text(counts.neg_inf)}")
    print(f"  other non-finite values replaced by 0 ({'in pooled steps' if args.pooling == 'valid' else 'NaN/Inf means'}): "
          f"{Counts.text(counts.other)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
