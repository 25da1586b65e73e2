#!/usr/bin/python3
"""Plain PyTorch reference of daf's fusion head and of the training loop a
researcher would write (Dataset + DataLoader). It uses Debian's python3-torch,
the same LibTorch 1.13 that daf links, so the two can be compared number for
number (parity) and second for second (scripts/bench.py).

    daf_reference.py predict RUN_DIR [--split test] --out predictions.csv
    daf_reference.py train RUN_DIR/config.yaml [--epochs N] [--batch-size B]

`predict` loads a daf model (model.yaml + model.pt, read with torch.jit.load)
and the cache it was trained on, writes predictions, class or label
probabilities and gate weights, and prints the split's mean loss with the
loss weights it computes itself (checked against those daf recorded).
`train` trains the same architecture from a resolved daf config.yaml and
prints one line per epoch with samples/s.
"""
import argparse
import csv
import math
import sys
import time

import h5py
import numpy as np
import torch
import yaml
from torch import nn
from torch.utils.data import DataLoader, Dataset

MASKED_SCORE = -1e9  # as in daf: exp() underflows to exactly 0


class FusionHead(nn.Module):
    """The maths of daf's include/daf/model/fusion_head.h, parameter names included."""

    def __init__(self, model, input_dims, outputs):
        super().__init__()
        self.cfg = model
        self.outputs = outputs
        d, count = model["dim"], len(input_dims)
        for m, dim in enumerate(input_dims):
            setattr(self, f"project_{m}", nn.Linear(dim, d))
            if model["layer_norm"]:
                setattr(self, f"norm_{m}", nn.LayerNorm(d))
        self.count = count
        fusion = model["fusion"]
        if count > 1 and fusion == "dynamic":
            if model["gate"] == "additive":
                self.gate_hidden = nn.Linear(d, model["gate_hidden"])
                self.gate_out = nn.Linear(model["gate_hidden"], 1, bias=False)
            else:
                self.gate_hidden = nn.Linear(count * d, model["gate_hidden"])
                self.gate_out = nn.Linear(model["gate_hidden"], count)
        if count > 1 and fusion == "static":
            self.static_logits = nn.Parameter(torch.zeros(count))
        width = count * d if fusion == "concat" else d
        for layer in range(model["head_layers"]):
            setattr(self, f"head_{layer}", nn.Linear(width, model["head_hidden"]))
            width = model["head_hidden"]
        self.head_out = nn.Linear(width, outputs)

    def act(self, x):
        name = self.cfg["activation"]
        return torch.relu(x) if name == "relu" else torch.nn.functional.gelu(x) if name == "gelu" else torch.tanh(x)

    def forward(self, inputs, present):
        cfg = self.cfg
        hs = []
        for m, x in enumerate(inputs):
            h = getattr(self, f"project_{m}")(x)
            if cfg["layer_norm"]:
                h = getattr(self, f"norm_{m}")(h)
            h = nn.functional.dropout(self.act(h), cfg["dropout"], self.training)
            hs.append(h * present[:, m:m + 1])
        h = torch.stack(hs, 1)
        weights = None
        if cfg["fusion"] == "concat":
            z = h.reshape(h.shape[0], -1)
        else:
            if self.count == 1 or cfg["fusion"] == "mean":
                scores = torch.zeros_like(present)
            elif cfg["fusion"] == "static":
                scores = self.static_logits.unsqueeze(0).expand(h.shape[0], -1)
            elif cfg["gate"] == "additive":
                scores = self.gate_out(torch.tanh(self.gate_hidden(h))).squeeze(-1)
            else:
                scores = self.gate_out(torch.tanh(self.gate_hidden(h.reshape(h.shape[0], -1))))
            if cfg["fusion"] in ("dynamic", "static"):
                scores = scores / cfg["temperature"]
            weights = torch.softmax(scores.masked_fill(present <= 0, MASKED_SCORE), 1)
            z = (weights.unsqueeze(2) * h).sum(1)
        for layer in range(cfg["head_layers"]):
            z = nn.functional.dropout(self.act(getattr(self, f"head_{layer}")(z)), cfg["head_dropout"], self.training)
        out = self.head_out(z)
        return (out.squeeze(1) if self.outputs == 1 else out), weights


def outputs_of(config):
    data = config["data"]
    return {"regression": 1, "binary": 2, "seven_class": 7, "multiclass": len(data.get("classes") or []),
            "multilabel": len(data.get("targets") or [])}[config["model"]["task"]]


def label_columns(config):
    data = config["data"]
    return data["targets"] if config["model"]["task"] == "multilabel" else [data["target"]]


def output_names(config):
    task, data = config["model"]["task"], config["data"]
    return {"binary": ["negative", "non-negative"], "seven_class": [str(k) for k in range(-3, 4)],
            "multiclass": data.get("classes"), "multilabel": data.get("targets")}.get(task) or []


def task_target(raw, config):
    """What the loss compares with, from the label columns [N, L] as stored."""
    task = config["model"]["task"]
    if task in ("binary", "seven_class"):
        return sentiment_class(raw[:, 0], task)
    if task == "multiclass":
        return raw[:, 0].long()
    if task == "multilabel":
        return (raw > config["data"]["presence_threshold"]).float()
    return raw[:, 0]


def loss_weights(config, train_target):
    """train.class_weights / train.pos_weight: None, a list, or balanced (sklearn's
    compute_class_weight: n / (C * n_c); per label: negatives / positives)."""
    task, t = config["model"]["task"], config["train"]
    w = t.get("pos_weight" if task == "multilabel" else "class_weights", "none")
    if isinstance(w, list):
        return torch.tensor([float(v) for v in w])
    if w != "balanced":
        return None
    if task == "multilabel":
        positives = train_target.double().sum(0)
        return ((len(train_target) - positives) / positives).float()
    counts = torch.bincount(train_target, minlength=outputs_of(config)).double()
    return (len(train_target) / (len(counts) * counts)).float()


def task_loss(out, y, config, weights):
    task = config["model"]["task"]
    if task in ("binary", "seven_class", "multiclass"):
        return nn.functional.cross_entropy(out, y, weight=weights)
    if task == "multilabel":
        return nn.functional.binary_cross_entropy_with_logits(out.reshape(y.shape), y, pos_weight=weights)
    if config["train"]["loss"] == "mse":
        return nn.functional.mse_loss(out, y)
    return nn.functional.l1_loss(out, y)


def sentiment_class(scores, task):
    if task == "binary":
        return (scores >= 0).long()
    return torch.round(torch.clamp(scores, -3, 3)).long() + 3  # torch.round: half to even, like numpy


def load_split(cache, split, config, stats):
    """Features normalised with `stats` (mean/std per modality), presence mask, target scores, ids."""
    with h5py.File(cache, "r") as f:
        group = f[split]
        ids = [i.decode() if isinstance(i, bytes) else str(i) for i in group["ids"][:]]
        features, present = [], []
        for m in config["data"]["modalities"]:
            x = torch.from_numpy(group["features"][m][:].astype(np.float32))
            if stats is not None:
                x = (x - torch.tensor(stats[m]["mean"])) / torch.tensor(stats[m]["std"])
            p = group["present"][m][:] if "present" in group and m in group["present"] else np.ones(len(ids))
            p = torch.from_numpy(np.asarray(p, dtype=np.float32))
            features.append(x * p.unsqueeze(1))
            present.append(p)
        target = torch.from_numpy(np.stack([group["labels"][c][:].astype(np.float32) for c in label_columns(config)], 1))
    return ids, features, torch.stack(present, 1), target  # target: the label columns [N, L] as stored


def train_stats(cache, config):
    with h5py.File(cache, "r") as f:
        stats = {}
        for m in config["data"]["modalities"]:
            x = f["train"]["features"][m][:].astype(np.float64)
            std = x.std(axis=0)
            stats[m] = {"mean": x.mean(axis=0).astype(np.float32).tolist(),
                        "std": np.where(std > 1e-6, std, 1.0).astype(np.float32).tolist()}
    return stats


def predict(args):
    with open(f"{args.run}/model.yaml") as f:
        meta = yaml.safe_load(f)
    config = meta["config"]
    model = FusionHead(config["model"], meta["input_dims"], outputs_of(config))
    model.load_state_dict(torch.jit.load(f"{args.run}/model.pt").state_dict())
    model.eval()
    stats = meta.get("normalization") if config["data"]["normalize"] else None
    cache = args.cache or config["data"]["cache"]
    ids, features, present, target = load_split(cache, args.split, config, stats)
    # The loss weights, computed here from the train split, must be the ones daf recorded.
    weights_here = loss_weights(config, task_target(load_split(cache, "train", config, None)[3], config))
    recorded = meta.get("loss_weights")
    if (weights_here is None) != (recorded is None) or (
            recorded is not None and not torch.allclose(weights_here, torch.tensor(recorded, dtype=torch.float32), rtol=1e-5)):
        raise SystemExit(f"loss weights differ: daf {recorded}, reference {weights_here}")
    task = config["model"]["task"]
    with torch.no_grad():
        out, weights = model(features, present)
        loss = task_loss(out, task_target(target, config), config, weights_here).item()
        probabilities = torch.sigmoid(out.reshape(len(ids), -1)) if task == "multilabel" else (
            torch.softmax(out, 1) if out.dim() == 2 else None)
    print(f"loss {loss!r}")
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f)
        names = config["data"]["modalities"]
        writer.writerow(["id", "prediction"] + [f"probability_{c}" for c in output_names(config)] +
                        ([f"weight_{m}" for m in names] if weights is not None else []))
        for i, row_id in enumerate(ids):
            if task == "multilabel":
                value = ";".join(c for c, logit in zip(output_names(config), out.reshape(len(ids), -1)[i]) if logit > 0)
            else:
                value = repr(out[i].item() if out.dim() == 1 else out[i].argmax().item())
            row = [row_id, value] + ([repr(p) for p in probabilities[i].tolist()] if probabilities is not None else [])
            if weights is not None:
                row += [repr(w) for w in weights[i].tolist()]
            writer.writerow(row)
    return 0


class CachedSplit(Dataset):
    def __init__(self, features, present, target):
        self.features, self.present, self.target = features, present, target

    def __len__(self):
        return len(self.target)

    def __getitem__(self, i):
        return [x[i] for x in self.features], self.present[i], self.target[i]


def train(args):
    with open(args.config) as f:
        config = yaml.safe_load(f)
    t, m = config["train"], config["model"]
    torch.manual_seed(t["seed"])
    torch.set_num_threads(max(1, t["threads"]))
    cache = config["data"]["cache"]
    stats = train_stats(cache, config) if config["data"]["normalize"] else None
    _, features, present, target = load_split(cache, "train", config, stats)
    loader = DataLoader(CachedSplit(features, present, target), batch_size=args.batch_size or t["batch_size"],
                        shuffle=True)
    target = task_target(target, config)
    weights = loss_weights(config, target)
    model = FusionHead(m, [x.shape[1] for x in features], outputs_of(config))
    optimizer_class = torch.optim.AdamW if t["optimizer"] == "adamw" else torch.optim.Adam
    optimizer = optimizer_class(model.parameters(), lr=t["lr"], weight_decay=t["weight_decay"])
    # train.modality_dropout: one number, or {modality: rate} (modalities not named: 0).
    rates = t["modality_dropout"]
    dropout_rates = torch.tensor([float(rates.get(x, 0.0)) if isinstance(rates, dict) else float(rates)
                                  for x in config["data"]["modalities"]], dtype=torch.float32)
    for epoch in range(1, (args.epochs or t["max_epochs"]) + 1):
        model.train()
        start, total, seen = time.perf_counter(), 0.0, 0
        for xs, p, y in loader:
            if (dropout_rates > 0).any():
                keep = p * (torch.rand_like(p) >= dropout_rates).float()
                lost = (keep.sum(1) == 0) & (p.sum(1) > 0)
                keep[lost] = p[lost]
                p = keep
            out, _ = model(xs, p)
            loss = task_loss(out, y, config, weights)
            optimizer.zero_grad()
            loss.backward()
            if t["grad_clip"] > 0:
                nn.utils.clip_grad_norm_(model.parameters(), t["grad_clip"])
            optimizer.step()
            total += loss.item() * len(y)
            seen += len(y)
        seconds = time.perf_counter() - start
        print(f"epoch {epoch} train_loss {total / seen:.4f} seconds {seconds:.3f} samples_per_s {seen / seconds:.1f}",
              flush=True)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("predict", help="predictions of a trained daf model")
    p.add_argument("run")
    p.add_argument("--split", default="test")
    p.add_argument("--cache")
    p.add_argument("--out", required=True)
    t = commands.add_parser("train", help="train from a resolved daf config.yaml")
    t.add_argument("config")
    t.add_argument("--epochs", type=int)
    t.add_argument("--batch-size", type=int)
    args = parser.parse_args()
    return predict(args) if args.command == "predict" else train(args)


if __name__ == "__main__":
    sys.exit(main())
