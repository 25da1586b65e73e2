#!/usr/bin/python3
"""Rewrites the generated blocks of README.md and docs/*.md from what the code says now.

A block is everything between a marker line and the end marker:

    <!-- generated: options daf-train -->
    ...
    <!-- end generated -->

and NAME says what produces it:

    options APP      APP's config keys, from its --help (each key's type, default and
                     help are declared once in the code): a Markdown table
    demo machine     where the demo blocks' numbers were made (CPU, cores, Debian release)
    demo conditions  the demo sweep's summary.csv: MAE, Has0_F1_score, Corr per condition
    demo comparison  its paired comparison, dynamic vs static (summary.md's table)
    demo gates       dynamic's mean fusion weights per evaluation (gates.csv)
    demo slices      the conflict and degraded slices (analysis.csv, analysis.md)
    emotions conditions  the two emotion demos' summary.csv side by side
    emotions comparison  their paired comparisons, dynamic vs static
    speech conditions    the spoken demo's summary.csv (scripts/speech-demo.sh), with the
                     machine it ran on: espeak-ng's voice and the random encoders'
                     LibTorch change its numbers between releases
    platforms comparison the Debian 12 vs 13 comparison CI's Debian 13 stage writes
                     (scripts/debian13.sh: DAF_DEBIAN13_DIR/comparison.md)

The demo blocks read the sweeps scripts/docs_runs.sh makes (DIR/runs, given
as --runs DIR/runs; by default the repository's runs/, where scripts/demo.sh
writes); a block whose sweep is not there is left as it is. The speech and
platforms blocks are remade only when given their inputs (--speech-runs DIR,
the --work DIR/runs of scripts/speech-demo.sh; --comparison FILE): the spoken
demo takes minutes and the comparison a Debian 13 root, so e2e.docs leaves
them as they are, and whoever reruns those remakes the blocks.

    /usr/bin/python3 scripts/update_docs.py [--bin build/apps] [--runs DIR]           # rewrite the blocks
    /usr/bin/python3 scripts/update_docs.py [--bin build/apps] [--runs DIR] --check   # exit 1, with a diff, where one differs

--check is what e2e.docs runs (after scripts/docs_runs.sh): a block edited by
hand, or code whose options or results changed without the docs, fails it.
The demos' numbers are the same on the same machine (same CPU, cores and
release), not necessarily across machines (BLAS kernels and summation order):
where the machine differs from the one the README names, --check prints the
demo blocks' differences and does not fail on them.
"""
import argparse
import csv
import difflib
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BLOCK = re.compile(r"^<!-- generated: (.+?) -->\n(.*?)^<!-- end generated -->$", re.M | re.S)


def help_text(bin_dir, app):
    result = subprocess.run([os.path.join(bin_dir, app), "--help"], capture_output=True, text=True,
                            env=dict(os.environ, COLUMNS="200"))
    if result.returncode != 0:
        raise SystemExit("%s --help failed (exit %d): %s" % (app, result.returncode, result.stderr.strip()))
    return result.stdout


def config_keys(help_output):
    """[(key, kind, help)] from the 'Config options' sections daf's option declarations print."""
    keys = []
    for section in help_output.split("Config options (YAML keys and section.key=value overrides):\n")[1:]:
        current = None
        for line in section.splitlines():
            match = re.match(r"^  (\S+) \((.*)\)$", line)
            if match:
                current = [match.group(1), match.group(2), ""]
                keys.append(current)
            elif line.startswith("      ") and current is not None:
                current[2] = (current[2] + " " + line.strip()).strip()
            elif line.strip() and not line.startswith(" "):
                break  # a footer after the keys (exit codes)
    return keys


def cell(text):
    """Table cell text: '|' would end the cell, '<name>' would be taken for an HTML tag."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")


def options_block(bin_dir, app):
    keys = config_keys(help_text(bin_dir, app))
    if not keys:
        raise SystemExit("%s --help lists no config keys" % app)
    lines = ["| key | type and default | what it does |", "|---|---|---|"]
    for key, kind, text in keys:
        lines.append("| `%s` | %s | %s |" % (key, cell(kind), cell(text)))
    return "\n".join(lines) + "\n"


def machine():
    """What decides the demo's numbers besides the code: CPU (model, family, model number, AVX-512), cores, release."""
    info = {}
    for line in open("/proc/cpuinfo", encoding="utf-8", errors="replace"):
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), value.strip())
    release = "unknown"
    if os.path.exists("/etc/os-release"):
        fields = dict(l.rstrip("\n").split("=", 1) for l in open("/etc/os-release") if "=" in l)
        release = "%s %s" % (fields.get("ID", "?"), fields.get("VERSION_ID", "?").strip('"'))
    return "%s (family %s, model %s, %s), %d cores, %s" % (
        info.get("model name", "unknown CPU"), info.get("cpu family", "?"), info.get("model", "?"),
        "AVX-512" if "avx512f" in info.get("flags", "").split() else "no AVX-512", os.cpu_count(), release)


def read_csv(path):
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def demo_conditions(demo):
    lines = ["| condition | MAE | Has0_F1_score | Corr |", "|---|---|---|---|"]
    for r in read_csv(os.path.join(demo, "summary.csv")):
        lines.append("| %s | %s |" % (r["condition"], " | ".join(
            "%.4f ± %.4f" % (float(r[m + "_mean"]), float(r[m + "_std"])) for m in ("MAE", "Has0_F1_score", "Corr"))))
    return "\n".join(lines) + "\n"


def demo_comparison(demo):
    summary = open(os.path.join(demo, "summary.md"), encoding="utf-8").read()
    section = re.search(r"^## dynamic vs static.*?\n\n((?:\|.*\n)+)", summary, re.M)
    if not section:
        raise SystemExit(demo + "/summary.md: no 'dynamic vs static' comparison table")
    return section.group(1)


def demo_gates(demo):
    rows = [r for r in read_csv(os.path.join(demo, "gates.csv")) if r["condition"] == "dynamic"]
    modalities = list(dict.fromkeys(r["modality"] for r in rows))
    evaluations = list(dict.fromkeys(r["eval"] for r in rows))
    weight = {(r["eval"], r["modality"]): float(r["weight_mean"]) for r in rows}
    lines = ["| evaluation | " + " | ".join(modalities) + " |", "|---" * (len(modalities) + 1) + "|"]
    for e in evaluations:
        lines.append("| %s | %s |" % (e, " | ".join("%.3f" % weight[(e, m)] for m in modalities)))
    return "\n".join(lines) + "\n"


def demo_slices(demo):
    rows = read_csv(os.path.join(demo, "analysis.csv"))
    analysis = open(os.path.join(demo, "analysis.md"), encoding="utf-8").read()
    lines = ["| family | slice | n | dynamic | static | dynamic - static [95% CI] | dynamic's weights text / audio / video |",
             "|---|---|---|---|---|---|---|"]
    tests = []
    for family in ("conflict", "degraded"):
        mean = {(r["slice"], r["condition"]): r for r in rows if r["family"] == family}
        for name in dict.fromkeys(r["slice"] for r in rows if r["family"] == family):
            d, s = mean[(name, "dynamic")], mean[(name, "static")]
            lines.append("| %s | %s | %s | %.4f | %.4f | %.4f [%.4f, %.4f] | %s |" % (
                family, name, d["n"], float(d["mean"]), float(s["mean"]), float(d["difference"]),
                float(d["difference_low"]), float(d["difference_high"]),
                " / ".join("%.3f" % float(d["weight_" + m]) for m in ("text", "audio", "video"))))
        test = re.search(r"^### %s\n.*?Interaction: permutation p = ([0-9.]+)" % family, analysis, re.M | re.S)
        tests.append("%s p = %s" % (family, test.group(1) if test else "not tested"))
    return "\n".join(lines) + "\n\nInteraction (permutation test of the slice labels): " + "; ".join(tests) + ".\n"


EMOTION_SWEEPS = (("ablate-categorical-demo", ("UAR", "accuracy", "F1_weighted"), "4 classes"),
                  ("ablate-emotions-demo", ("WA_mean", "F1_micro", "F1_macro"), "6 emotions"))


def emotions_conditions(runs):
    """Both emotion demos side by side; the best of each column (all higher-is-better) in bold."""
    tables = [(read_csv(os.path.join(runs, sweep, "summary.csv")), metrics, label) for sweep, metrics, label in EMOTION_SWEEPS]
    header = ["condition"]
    for _, metrics, label in tables:
        header += ["%s: %s" % (label, metrics[0])] + list(metrics[1:])
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    best = [max(float(r[m + "_mean"]) for r in rows) for rows, metrics, _ in tables for m in metrics]
    for i, condition in enumerate(r["condition"] for r in tables[0][0]):
        cells, k = [condition], 0
        for rows, metrics, _ in tables:
            for m in metrics:
                mean, std = float(rows[i][m + "_mean"]), float(rows[i][m + "_std"])
                text = "%.4f ± %.4f" % (mean, std)
                cells.append("**%s**" % text if "%.4f" % mean == "%.4f" % best[k] else text)
                k += 1
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def emotions_comparison(runs):
    return "\n".join("%s:\n\n%s" % (label, demo_comparison(os.path.join(runs, sweep)))
                     for sweep, _, label in EMOTION_SWEEPS)


def speech_conditions(runs):
    return ("Made by `scripts/speech-demo.sh` on %s.\n\n" % machine()
            + demo_conditions(os.path.join(runs, "speech-demo")))


def platforms_comparison(path):
    lines = open(path, encoding="utf-8").readlines()
    table = [line for line in lines if line.startswith("|")]
    made = [line for line in lines if line.startswith("Made by")]
    if len(table) < 3 or not made:
        raise SystemExit(path + ": no comparison table with its 'Made by' line (written by scripts/debian13.sh)")
    return made[0] + "\n" + "".join(table)


DEMO_BLOCKS = {"conditions": demo_conditions, "comparison": demo_comparison, "gates": demo_gates,
               "slices": demo_slices}
EMOTION_BLOCKS = {"conditions": emotions_conditions, "comparison": emotions_comparison}


def generate(name, args, current):
    kind, _, argument = name.partition(" ")
    if kind == "options":
        return options_block(args.bin, argument)
    if name == "speech conditions":
        return speech_conditions(args.speech_runs) if args.speech_runs else current
    if name == "platforms comparison":
        return platforms_comparison(args.comparison) if args.comparison else current
    if kind in ("demo", "emotions"):
        demo = os.path.join(args.runs, "ablate-demo") if args.runs else ""
        needed = [demo] if kind == "demo" else [os.path.join(args.runs, s) for s, _, _ in EMOTION_SWEEPS]
        if not args.runs or not all(os.path.exists(os.path.join(d, "summary.csv")) for d in needed):
            return current  # the sweep is not here: left as it is
        if kind == "demo" and argument == "machine":
            return "Made by `scripts/docs_runs.sh` on %s.\n" % machine()
        if kind == "demo" and argument in DEMO_BLOCKS:
            return DEMO_BLOCKS[argument](demo)
        if kind == "emotions" and argument in EMOTION_BLOCKS:
            return EMOTION_BLOCKS[argument](args.runs)
    raise SystemExit("unknown generated block '%s' (known: options APP; demo machine|%s; emotions %s; "
                     "speech conditions; platforms comparison)" % (name, "|".join(DEMO_BLOCKS), "|".join(EMOTION_BLOCKS)))


def doc_files():
    return [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))


def regenerate(text, args, demo=True):
    def block(m):
        if m.group(1).startswith(("demo", "emotions")) and not demo:
            return m.group(0)
        return "<!-- generated: %s -->\n%s<!-- end generated -->" % (m.group(1), generate(m.group(1), args, m.group(2)))
    return BLOCK.sub(block, text)


def diff(before, after, name):
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True),
                                        name + " (as it is)", name + " (as generated)"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "apps"), help="where the daf executables are")
    parser.add_argument("--runs", default=os.path.join(ROOT, "runs"),
                        help="the folder holding ablate-demo, ablate-categorical-demo and ablate-emotions-demo "
                             "(scripts/docs_runs.sh DIR makes DIR/runs); '' leaves the demo blocks as they are")
    parser.add_argument("--speech-runs", default="",
                        help="the runs folder of a scripts/speech-demo.sh run (its --work DIR/runs): remakes the "
                             "speech block; '' (default) leaves it as it is")
    parser.add_argument("--comparison", default="",
                        help="a comparison.md written by scripts/debian13.sh: remakes the platforms block; "
                             "'' (default) leaves it as it is")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 where a block differs")
    args = parser.parse_args()
    # Inputs named on the command line must be there: a wrong path would leave the block silently as it was.
    summary = os.path.join(args.speech_runs, "speech-demo", "summary.csv")
    if args.speech_runs and not os.path.isfile(summary):
        parser.error("--speech-runs %s: no %s (the runs folder of scripts/speech-demo.sh --work DIR, i.e. DIR/runs)"
                     % (args.speech_runs, summary))
    if args.comparison and not os.path.isfile(args.comparison):
        parser.error("--comparison %s: no such file (scripts/debian13.sh writes DAF_DEBIAN13_DIR/comparison.md)"
                     % args.comparison)
    stale = 0
    for path in doc_files():
        text = open(path, encoding="utf-8").read()
        relative = os.path.relpath(path, ROOT)
        updated = regenerate(text, args)
        if updated == text:
            continue
        if not args.check:
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(updated)
            os.replace(path + ".tmp", path)
            print("updated " + relative)
            continue
        recorded = re.search(r"^Made by `scripts/docs_runs.sh` on (.+)\.$", text, re.M)
        if recorded and recorded.group(1) != machine():
            # Another machine: its demo numbers may differ (BLAS kernels); said, not failed on.
            print("%s: the demo blocks were made on %s; this is %s: their differences here, for information:\n%s"
                  % (relative, recorded.group(1), machine(), diff(text, updated, relative)))
            updated = regenerate(text, args, demo=False)
            if updated == text:
                continue
        stale += 1
        sys.stdout.write(diff(text, updated, relative))
    if stale:
        print("\n%d file(s) with generated blocks that differ from what the code produces: run "
              "/usr/bin/python3 scripts/update_docs.py" % stale)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
