#!/usr/bin/env bash
# Benchmark (not a test) of the HTML report at CMU-MOSEI's size: the demo sweep
# (7 conditions x 3 seeds, with its slice analysis) on a synthetic cache whose
# test split has MOSEI's 4,659 utterances, each with a transcript of MOSEI's
# typical length (~20 words), so that summary.html's utterance explorer holds
# 4,659 rows x 7 conditions. Prints summary.html's size and, in Debian's
# Chromium (headless, tests/e2e/browser.py), the time to load the page, to
# draw the explorer, and to filter and sort its rows. The training is short
# (3 epochs on 2,000 utterances): the page is what is measured.
#   scripts/bench_report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$PWD/build/apps
export OMP_WAIT_POLICY=PASSIVE GLOG_minloglevel=2
command -v chromium >/dev/null || { echo "needs Debian's chromium (scripts/install-deps.sh)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
"$bin/daf-synth" --preset demo synth.train_size=2000 synth.valid_size=500 synth.test_size=4659 --out mosei.h5 2>/dev/null
/usr/bin/python3 - <<'PY'
import h5py, numpy as np
words = ("i think the movie was really good but the ending felt a little too long and honestly "
         "not what i expected from the trailer so yeah").split()
rng = np.random.default_rng(0)
with h5py.File("mosei.h5", "a") as f:
    for split in ("train", "valid", "test"):
        n = len(f[split]["ids"])
        text = [" ".join(rng.choice(words, size=rng.integers(8, 33))) for _ in range(n)]
        f[split].create_dataset("transcripts", data=text, dtype=h5py.string_dtype())
PY
start=$(date +%s.%N)
"$bin/daf-ablate" --config "$OLDPWD/configs/ablate-demo.yaml" data.cache=mosei.h5 train.max_epochs=3 --out sweep \
  --jobs 2 >/dev/null 2>log || { cat log; exit 1; }
echo "sweep (21 runs, 3 epochs) and collect: $(printf '%.0f' "$(echo "$(date +%s.%N) - $start" | bc)") s"
start=$(date +%s.%N)
"$bin/daf-ablate" --report sweep 2>/dev/null
echo "daf-ablate --report (summary.html alone): $(printf '%.2f' "$(echo "$(date +%s.%N) - $start" | bc)") s"
/usr/bin/python3 - "$OLDPWD/tests/e2e" "$work" <<'PY'
import os, sys, time
sys.path.insert(0, sys.argv[1])
from browser import Browser

work = sys.argv[2]
page = work + "/sweep/summary.html"
size = os.path.getsize(page)
timings = {"load (navigation start to load event, explorer drawn)": [], "filter: static's error >= 0.5": [],
           "sort by the error difference": [], "text search": []}
with Browser(work) as browser:
    for _ in range(5):
        browser.open("file://" + page, width=1280)
        timings["load (navigation start to load event, explorer drawn)"].append(browser.evaluate(
            "performance.getEntriesByType('navigation')[0].loadEventEnd"))
        assert browser.evaluate("+document.getElementById('ex-count').dataset.n") == 4659
        for name, action in (("filter: static's error >= 0.5", "set('ex-condition', '1'); set('ex-error', '0.5')"),
                             ("sort by the error difference", "set('ex-error', ''); document.querySelector('#ex-table th[data-key=difference]').click()"),
                             ("text search", "set('ex-text', 'movie was')")):
            timings[name].append(browser.evaluate(
                "(() => { const set = (id, v) => { const e = document.getElementById(id); e.value = v;"
                " e.dispatchEvent(new Event(e.tagName === 'SELECT' ? 'change' : 'input')); };"
                " const t = performance.now(); %s; return performance.now() - t; })()" % action))
    assert not browser.problems, browser.problems
print("\n| summary.html, 4,659 utterances x 7 conditions | |\n|---|---|")
print("| file size | %.2f MB (%d bytes) |" % (size / 1e6, size))
for name, values in timings.items():
    values.sort()
    print("| %s | median %.0f ms (of 5: %s) |" % (name, values[2], ", ".join("%.0f" % v for v in values)))
PY
