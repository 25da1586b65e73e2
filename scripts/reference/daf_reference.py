#!/usr/bin/python3
"""Plain PyTorch reference of daf's fusion head and of the training loop a
researcher would write (Dataset + DataLoader). It uses Debian's python3-torch,
the same LibTorch 1.13 that daf links, so the two can be compared number for
number (parity) and second for second (scripts/bench.py).

    daf_reference.py predict RUN_DIR [--split test] --out predictions.csv
    daf_reference.py train RUN_DIR/config.yaml [--epochs N] [--batch-size B]

`predict` loads a daf model (model.yaml + model.pt, read with torch.jit.load)
and the cache it was trained on, and writes predictions and gate weights.
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


def outputs_of(task):
    return {"regression": 1, "binary": 2, "seven_class": 7}[task]


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
        target = torch.from_numpy(group["labels"][config["data"]["target"]][:].astype(np.float32))
    return ids, features, torch.stack(present, 1), target


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
    model = FusionHead(config["model"], meta["input_dims"], outputs_of(config["model"]["task"]))
    model.load_state_dict(torch.jit.load(f"{args.run}/model.pt").state_dict())
    model.eval()
    stats = meta.get("normalization") if config["data"]["normalize"] else None
    ids, features, present, target = load_split(args.cache or config["data"]["cache"], args.split, config, stats)
    with torch.no_grad():
        out, weights = model(features, present)
    with open(args.out, "w", newline="") as f:
        writer = csv.writer(f)
        names = config["data"]["modalities"]
        writer.writerow(["id", "prediction"] + ([f"weight_{m}" for m in names] if weights is not None else []))
        for i, row_id in enumerate(ids):
            value = out[i].item() if out.dim() == 1 else out[i].argmax().item()
            row = [row_id, repr(value)]
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
    model = FusionHead(m, [x.shape[1] for x in features], outputs_of(m["task"]))
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
            if m["task"] != "regression":
                loss = nn.functional.cross_entropy(out, sentiment_class(y, m["task"]))
            elif t["loss"] == "mse":
                loss = nn.functional.mse_loss(out, y)
            else:
                loss = nn.functional.l1_loss(out, y)
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
