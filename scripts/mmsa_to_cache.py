#!/usr/bin/python3
"""Convert MMSA or MulT processed CMU-MOSI/MOSEI pickles into a daf embedding cache.

    /usr/bin/python3 scripts/mmsa_to_cache.py unaligned_50.pkl data/mosei.h5
    /usr/bin/python3 scripts/mmsa_to_cache.py mosei_senti_data.pkl data/mosei-mult.h5

WARNING: unpickling runs code stored in the file. Only convert pickles from a
source you trust (MMSA's and MulT's published files).

Recognised layouts:
  MMSA (unaligned_50.pkl, aligned_50.pkl): {train, valid, test} -> dict with
    id, raw_text, text [N, L, 768] (BERT), text_bert [N, 3, L] (ids, attention
    mask, segment ids), audio [N, T, 74], vision [N, T, 35], audio_lengths,
    vision_lengths, regression_labels [N], ...
  MulT (mosei_senti_data.pkl): {train, valid, test} -> dict with text, audio,
    vision [N, L, D], labels [N, 1, 1], id.

Sequences become one vector per utterance by averaging the valid steps only:
text uses the attention mask from text_bert (MMSA); audio and vision use
their lengths (MMSA, unaligned), else the text mask (MMSA, aligned, whose
sequences are aligned to the text); MulT has neither, so its padding steps
are those whose features are all zero. Uses Debian's python3-numpy and
python3-h5py; writes the cache atomically (temporary name, then rename).
"""
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


def masked_mean(sequences, mask):
    """Mean over the steps where mask is true: [N, L, D], [N, L] -> [N, D]."""
    mask = mask.astype(np.float64)[:, :, None]
    counts = np.maximum(mask.sum(axis=1), 1.0)
    return (np.asarray(sequences, dtype=np.float64) * mask).sum(axis=1) / counts


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


def convert_split(split, layout, path, name):
    n = len(split["text"])
    if layout == "mmsa":
        labels = np.asarray(split["regression_labels"], dtype=np.float32).reshape(-1)
        text_mask = np.asarray(split["text_bert"])[:, 1, :] > 0 if "text_bert" in split else None
    else:
        labels = np.asarray(split["labels"], dtype=np.float32).reshape(n, -1)[:, 0]
        text_mask = None
    features = {}
    for modality, key in MODALITIES:
        sequences = np.asarray(split[key], dtype=np.float64)
        if sequences.ndim != 3 or sequences.shape[0] != n:
            raise FormatError(f"{path}: {name}/{key}: expected [N, steps, dims] with N = {n}, found {sequences.shape}")
        steps = sequences.shape[1]
        if layout == "mmsa" and f"{key}_lengths" in split:
            mask = length_mask(split[f"{key}_lengths"], steps)
        elif layout == "mmsa" and text_mask is not None and text_mask.shape[1] == steps:
            mask = text_mask
        else:
            mask = np.abs(sequences).sum(axis=2) > 0
        features[modality] = np.nan_to_num(masked_mean(sequences, mask)).astype(np.float32)
    if len(labels) != n:
        raise FormatError(f"{path}: {name}: {len(labels)} labels for {n} utterances")
    ids = clean_ids(split["id"]) if "id" in split else [f"{name}_{i}" for i in range(n)]
    raw_text = [str(t) for t in split["raw_text"]] if "raw_text" in split else None
    return ids, labels, features, raw_text


def write_cache(path, source, layout, splits):
    temporary = f"{path}.tmp.{os.getpid()}"
    try:
        with h5py.File(temporary, "w") as out:
            out.attrs["daf_format"] = np.int64(1)
            for name, (ids, labels, features, raw_text) in splits.items():
                group = out.create_group(name)
                group.create_dataset("ids", data=ids, dtype=h5py.string_dtype("utf-8"))
                group.create_dataset("labels/sentiment", data=labels)
                if raw_text is not None:
                    group.create_dataset("transcripts", data=raw_text, dtype=h5py.string_dtype("utf-8"))
                for modality, matrix in features.items():
                    dataset = group.create_dataset(f"features/{modality}", data=matrix)
                    dataset.attrs["encoder"] = f"{layout} pickle ({os.path.basename(source)})"
                    dataset.attrs["pooling"] = "mean over valid steps"
                    dataset.attrs["source"] = source
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    source, target = argv[1], argv[2]
    try:
        with open(source, "rb") as handle:
            data = pickle.load(handle)
        layout = detect(data, source)
        splits = {name: convert_split(data[name], layout, source, name) for name in SPLITS}
    except OSError as error:
        print(f"error: {source}: {error.strerror}", file=sys.stderr)
        return 2
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
        print(f"error: {source}: not a readable pickle ({error})", file=sys.stderr)
        return 2
    except FormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyError as error:
        print(f"error: {source}: a split lacks the key {error}", file=sys.stderr)
        return 2
    write_cache(target, source, layout, splits)
    sizes = " / ".join(str(len(splits[name][0])) for name in SPLITS)
    print(f"wrote {target} from {layout} pickle {source}: {sizes} utterances (train / valid / test)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
