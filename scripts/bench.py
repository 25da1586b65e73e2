#!/usr/bin/python3
"""daf against the plain PyTorch reference, measured in one run on this machine.

    /usr/bin/python3 scripts/bench.py [--work bench] [--epochs 3] [--sweep-epochs 2]

On a MOSEI-sized synthetic cache (16326/1871/4659 utterances, 768/74/35 dims,
configs/mosei.yaml) it measures: one training epoch at batch 32, 64 and 256
(daf-train vs scripts/reference/daf_reference.py, samples/s); five seeds
trained together as one stacked model at batch 32 (daf-ablate's default for
the seeds of a condition); the paper-sized sweep (7 conditions x 5 seeds,
fixed epochs) with daf-ablate vs the reference run once per configuration in
sequence; and the training GFLOP/s against the machine's single-precision
matrix-multiply rate, measured here too. Prints one Markdown table. Needs a
build (scripts/build.sh) and Debian's python3-torch.

    /usr/bin/python3 scripts/bench.py --search [--reference-trials 50]

instead measures hyper-parameter search (docs/ablation.md, "Search"): a
50-trial random search, 10 epochs at batch 32, with daf-ablate (trials
stacked, --jobs = cores), the same 50 trial configs trained one after another
by the PyTorch reference (as MMSA's tune loop does; --reference-threads),
daf --separate, and daf with successive halving (eta 3), with the best trial
of each and the seed noise of the best configuration (std over 5 seeds).

    /usr/bin/python3 scripts/bench.py --analysis

instead times the slice analysis (docs/ablation.md, "Slice analysis") of
configs/ablate-mosei.yaml on the MOSEI-sized test split (4,659 utterances,
7 conditions x 5 seeds, 2 epochs, no robustness evaluations), its slice
families plus the noisy_text and noisy_audio label columns and the speaker
meta column (8 families, 1,000 bootstrap resamples and 1,000 permutations
each; three plots per family): daf-ablate --collect with and without the
section, the median of 3 runs each.
"""
import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import time

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "build", "apps")
REFERENCE = os.path.join(ROOT, "scripts", "reference", "daf_reference.py")
CONDITIONS = [("text", "data.modalities: [text], train.modality_dropout: 0"),
              ("audio", "data.modalities: [audio], train.modality_dropout: 0"),
              ("video", "data.modalities: [video], train.modality_dropout: 0"), ("concat", "model.fusion: concat"),
              ("mean", "model.fusion: mean"), ("static", "model.fusion: static"), ("dynamic", "model.fusion: dynamic")]
ENV = dict(os.environ, OMP_WAIT_POLICY="PASSIVE", GLOG_minloglevel="2")


def run(command, **kwargs):
    return subprocess.run(command, check=True, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                          text=True, **kwargs).stdout


def daf_epoch(work, cache, batch, epochs):
    out = os.path.join(work, f"daf-b{batch}")
    run([f"{BIN}/daf-train", "--config", f"{ROOT}/configs/mosei.yaml", f"data.cache={cache}",
         f"train.batch_size={batch}", f"train.max_epochs={epochs}", "train.patience=1000", "train.threads=1",
         f"output.dir={out}", "output.overwrite=true", "output.log_level=warn"])
    with open(os.path.join(out, "metrics.csv")) as f:
        rates = [float(row["samples_per_s"]) for row in csv.DictReader(f)]
    return statistics.median(rates), os.path.join(out, "config.yaml")


def reference_epoch(config, batch, epochs):
    text = run([sys.executable, REFERENCE, "train", config, "--epochs", str(epochs), "--batch-size", str(batch)])
    rates = [float(line.split("samples_per_s ")[1]) for line in text.splitlines() if "samples_per_s" in line]
    return statistics.median(rates)


def write_sweep(work, name, cache, epochs, conditions, extra=""):
    lines = [f"base: {ROOT}/configs/mosei.yaml",
             f"set: {{data.cache: {cache}, train.max_epochs: {epochs}, train.patience: 1000, output.log_level: warn"
             f"{extra}}}", "conditions:"] + [f"  - {{name: {n}, set: {{{s}}}}}" for n, s in conditions] + \
            ["seeds: [1111, 1112, 1113, 1114, 1115]", f"output: {work}/{name}"]
    path = os.path.join(work, f"{name}.yaml")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    run(["rm", "-rf", f"{work}/{name}"])
    return path


def stacked_epoch(work, cache, epochs):
    """Five seeds of the dynamic head trained as one stacked model, one thread: samples/s of all five."""
    path = write_sweep(work, "stacked", cache, epochs, [c for c in CONDITIONS if c[0] == "dynamic"],
                       ", train.threads: 1")
    run([f"{BIN}/daf-ablate", "--config", path, "--jobs", "1", "--no-plots", "--no-collect"])
    with open(os.path.join(work, "stacked", "dynamic", "seed-1111", "metrics.csv")) as f:
        return statistics.median(float(row["samples_per_s"]) for row in csv.DictReader(f))


def sweep(work, cache, epochs, jobs):
    path = write_sweep(work, "sweep", cache, epochs, CONDITIONS)
    start = time.perf_counter()
    run([f"{BIN}/daf-ablate", "--config", path, "--jobs", str(jobs), "--no-plots"])
    daf_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for name, _ in CONDITIONS:
        for seed in range(1111, 1116):
            run([sys.executable, REFERENCE, "train", f"{work}/sweep/{name}/seed-{seed}/config.yaml"])
    return daf_seconds, time.perf_counter() - start


SEARCH_SPACE = """search:
  space:
    train.lr: {log_uniform: [1.0e-4, 3.0e-3]}
    train.weight_decay: {log_uniform: [1.0e-6, 1.0e-2]}
    model.dropout: {uniform: [0.0, 0.5]}
    model.head_dropout: {uniform: [0.0, 0.5]}
    model.temperature: {choice: [0.5, 1.0, 2.0]}
    train.modality_dropout: {uniform: [0.0, 0.3]}
  trials: 50
  sampler: random
  seed: 7
  metric: MAE
"""


def write_search(work, name, cache, epochs, extra=""):
    path = os.path.join(work, f"{name}.yaml")
    with open(path, "w") as f:
        f.write(f"base: {ROOT}/configs/mosei.yaml\n"
                f"set: {{data.cache: {cache}, train.max_epochs: {epochs}, train.patience: 1000, train.batch_size: 32, "
                f"output.log_level: warn}}\n" + SEARCH_SPACE + extra +
                "  final: {top: 1, seeds: [1111, 1112, 1113, 1114, 1115]}\n"
                f"seeds: [1111]\noutput: {work}/{name}\n")
    run(["rm", "-rf", f"{work}/{name}"])
    return path


def search(work, cache, epochs, jobs, name, *flags, extra=""):
    """Seconds of the trial stage (from daf-ablate's log), trials.csv rows and the final best-1 runs' valid MAE."""
    path = write_search(work, name, cache, epochs, extra)
    log = subprocess.run([f"{BIN}/daf-ablate", "--config", path, "--jobs", str(jobs), "--no-plots", *flags],
                         check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
    seconds = float(log.split("search trials: ")[1].split(" s")[0])
    with open(f"{work}/{name}/trials.csv") as f:
        trials = list(csv.DictReader(f))
    final = []
    for seed in range(1111, 1116):
        with open(f"{work}/{name}/best-1/seed-{seed}/final_metrics.csv") as f:
            final += [float(r["value"]) for r in csv.DictReader(f) if r["split"] == "valid" and r["metric"] == "MAE"]
    return seconds, trials, final


def search_bench(work, cache, reference_trials, reference_threads):
    cores = os.cpu_count()
    epochs, flops = 10, training_flops_per_sample()
    stacked_s, trials, final = search(work, cache, epochs, cores, "search-stacked")
    separate_s, separate_trials, _ = search(work, cache, epochs, cores, "search-separate", "--separate")
    assert [t["valid_MAE"] for t in trials] == [t["valid_MAE"] for t in separate_trials], "stacked != separate"
    halving_s, halving_trials, halving_final = search(work, cache, epochs, cores, "search-halving",
                                                      extra="  halving: {min_epochs: 2, eta: 3}\n")
    configs = [f"{work}/search-stacked/trials/{t['trial']}/seed-1111/config.yaml" for t in trials][:reference_trials]
    start = time.perf_counter()
    for config in configs:
        with open(config) as f:
            text = re.sub(r"\n  threads: \d+\n", f"\n  threads: {reference_threads}\n", f.read())
        copy = config.replace("config.yaml", "reference.yaml")
        with open(copy, "w") as f:
            f.write(text)
        run([sys.executable, REFERENCE, "train", copy])
    reference_s = (time.perf_counter() - start) * len(trials) / len(configs)
    n = len(trials)
    train_size = 16326
    peak1 = matmul_gflops(1)
    limit = cores * peak1 * 1e9 / flops  # samples/s at the FLOP limit
    best = min(trials, key=lambda t: float(t["valid_MAE"]))
    best_h = next(t for t in halving_trials if t["rank"] == "1")
    noise = statistics.stdev(final)
    halving_epochs = sum(int(t["epochs"]) for t in halving_trials)
    rows = []
    for label, seconds, trained in (("daf, stacked", stacked_s, n * epochs),
                                    ("daf --separate", separate_s, n * epochs),
                                    ("daf, successive halving (eta 3, rungs 2, 6, 10)", halving_s, halving_epochs),
                                    (f"PyTorch reference, one after another ({reference_threads} thread(s))"
                                     + ("" if len(configs) == n else f"; {len(configs)} of {n} run, time x {n / len(configs):g}"),
                                     reference_s, n * epochs)):
        rate = trained * train_size / seconds
        rows.append((label, f"{seconds:.1f}", f"{60 * n / seconds:.1f}", f"{reference_s / seconds:.2f}x",
                     f"{trained}", f"{100 * rate / limit:.0f}%"))
    print(f"50-trial random search on the MOSEI-sized cache, {epochs} epochs, batch 32, {cores} cores "
          f"(sgemm {peak1:.1f} GFLOP/s on 1 thread; FLOP limit {cores} x that / {flops / 1e6:.2f} MFLOP per sample "
          f"= {limit:,.0f} samples/s)\n")
    print("| search | trial stage (s) | trials/minute | vs reference | trial-epochs | of the FLOP limit |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print(f"\nstacked / --separate: {separate_s / stacked_s:.2f}x")
    print(f"best trial: full search {best['trial']} valid MAE {float(best['valid_MAE']):.4f}; halving "
          f"{best_h['trial']} {float(best_h['valid_MAE']):.4f}; difference {float(best_h['valid_MAE']) - float(best['valid_MAE']):+.4f}; "
          f"seed noise of the full search's best configuration (valid MAE std over 5 seeds) {noise:.4f}; "
          f"halving's best over 5 seeds {statistics.mean(halving_final):.4f} vs {statistics.mean(final):.4f}")
    return 0


def matmul_gflops(threads, size=1024, repeats=20):
    torch.set_num_threads(threads)
    a, b = torch.randn(size, size), torch.randn(size, size)
    torch.mm(a, b)
    start = time.perf_counter()
    for _ in range(repeats):
        torch.mm(a, b)
    return 2 * size ** 3 * repeats / (time.perf_counter() - start) / 1e9


def training_flops_per_sample(dims=(768, 74, 35), d=128, gate=64, head=128):
    """The dense multiply-adds a training step computes per sample, x 2 FLOPs, for configs/mosei.yaml's dynamic
    head: every layer's forward and weight gradient, and the input gradient of every layer but the projections,
    whose inputs are the features (data: no gradient is computed for them). 0.70 MFLOP; counting the projections'
    input gradients too (3 x forward everywhere, as tables before 2026-12-07 did) gives 0.92."""
    projections = sum(dim * d for dim in dims)
    rest = len(dims) * (d * gate + gate) + d * head + head
    return 2 * (2 * projections + 3 * rest)


def analysis_bench(work, cache):
    out = os.path.join(work, "analysis-sweep")
    run([f"{BIN}/daf-ablate", "--config", f"{ROOT}/configs/ablate-mosei.yaml", "--out", out, "--jobs",
         str(os.cpu_count()), f"data.cache={cache}", "train.max_epochs=2", "evaluate=[]",
         "analysis.slices.column=[noisy_text, noisy_audio, speaker]"])
    plan = os.path.join(out, "plan.yaml")
    with open(plan) as f:
        with_analysis = f.read()
    without = re.sub(r"\nanalysis:\n(  .*\n)+", "\n", with_analysis)

    def collect(text):
        with open(plan, "w") as f:
            f.write(text)
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run([f"{BIN}/daf-ablate", "--collect", out])
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    try:
        plain, full = collect(without), collect(with_analysis)
    finally:
        with open(plan, "w") as f:
            f.write(with_analysis)
    families = sum(1 for line in open(os.path.join(out, "summary.md")) if line.startswith("### "))
    print(f"| collect, MOSEI-sized test split, 7 conditions x 5 seeds | s |\n|---|---|\n"
          f"| without analysis | {plain:.2f} |\n| with analysis ({families} families, 1000 resamples and "
          f"1000 permutations each) | {full:.2f} |\n| the analysis | {full - plain:.2f} |")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", default=os.path.join(ROOT, "bench"))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--sweep-epochs", type=int, default=2)
    parser.add_argument("--search", action="store_true", help="measure hyper-parameter search instead")
    parser.add_argument("--analysis", action="store_true", help="time the slice analysis of a sweep instead")
    parser.add_argument("--reference-trials", type=int, default=50,
                        help="with --search: reference trials actually run (the time is scaled to 50)")
    parser.add_argument("--reference-threads", type=int, default=1,
                        help="with --search: PyTorch threads of the reference (1 is its fastest at batch 32 here)")
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    cache = os.path.join(work, "mosei.h5")
    if not os.path.exists(cache):
        run([f"{BIN}/daf-synth", "--preset", "mosei", "--out", cache])
    if args.search:
        return search_bench(work, cache, args.reference_trials, args.reference_threads)
    if args.analysis:
        return analysis_bench(work, cache)
    cores = os.cpu_count()
    rows = []
    epoch_rates = {}
    for batch in (32, 64, 256):
        daf_rate, config = daf_epoch(work, cache, batch, args.epochs)
        ref_rate = reference_epoch(config, batch, args.epochs)
        epoch_rates[batch] = daf_rate
        rows.append((f"training epoch, batch {batch} (samples/s, 1 thread)", f"{daf_rate:,.0f}", f"{ref_rate:,.0f}",
                     f"{daf_rate / ref_rate:.2f}x"))
        if batch == 32:
            ref_rate_32 = ref_rate
    stacked_rate = stacked_epoch(work, cache, args.epochs)
    epoch_rates["stacked"] = stacked_rate
    rows.append(("5 seeds trained together, batch 32 each (samples/s of all five, 1 thread; reference: one run)",
                 f"{stacked_rate:,.0f}", f"{ref_rate_32:,.0f}", f"{stacked_rate / ref_rate_32:.2f}x"))
    daf_s, ref_s = sweep(work, cache, args.sweep_epochs, cores)
    rows.append((f"sweep 7 conditions x 5 seeds, {args.sweep_epochs} epochs (s; daf --jobs {cores})",
                 f"{daf_s:.1f}", f"{ref_s:.1f}", f"{ref_s / daf_s:.2f}x"))
    flops = training_flops_per_sample()
    peak1, peak_all = matmul_gflops(1), matmul_gflops(cores)
    for key, label in ((32, "batch 32"), (256, "batch 256"), ("stacked", "5 stacked seeds, batch 32")):
        achieved = flops * epoch_rates[key] / 1e9
        rows.append((f"training GFLOP/s, {label}, vs 1-thread sgemm {peak1:.1f} GFLOP/s",
                     f"{achieved:.1f}", "", f"{100 * achieved / peak1:.0f}% of sgemm"))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    print(f"Machine: {cpu}, {cores} cores; BLAS {blas}; LibTorch {torch.__version__}; "
          f"sgemm 1024^3: {peak1:.1f} GFLOP/s on 1 thread, {peak_all:.1f} on {cores}")
    print(f"Training FLOPs per sample (dynamic head of configs/mosei.yaml; forward, weight gradients, input gradients "
          f"of all but the projections): {flops / 1e6:.2f} MFLOP\n")
    print("| measurement | daf | PyTorch reference | ratio |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
