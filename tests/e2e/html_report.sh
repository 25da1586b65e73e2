#!/usr/bin/env bash
# daf-eval's report.html and daf-ablate's summary.html: their tables against
# metrics.json and summary.csv (read back from the
# page's HTML with Python's own parser), the escaping of text that looks like
# markup, a page that loads nothing from anywhere and runs only its own script
# (the Content-Security-Policy hash, recomputed here), then the page in Debian's
# Chromium, headless: no console error or policy violation, sorting clicked,
# and screenshots at a laptop and a phone width (kept in build/test-artifacts),
# driven over the DevTools protocol (tests/e2e/browser.py).
source "$(dirname "$0")/common.sh"
require_numpy_h5py
command -v chromium >/dev/null || fail "chromium is not installed (scripts/install-deps.sh installs Debian's)"
artifacts=$(realpath -m "${DAF_ARTIFACTS:-$DAF_BIN/../test-artifacts}")
mkdir -p "$artifacts"
cd "$WORK"

small=(synth.train_size=200 synth.valid_size=60 synth.test_size=90 synth.text_dim=16 synth.audio_dim=8 synth.video_dim=4)
"$DAF_BIN/daf-synth" --preset categorical "${small[@]}" synth.emotion_signal=1.5 --out cat.h5 2>/dev/null
"$DAF_BIN/daf-synth" --preset tiny --out reg.h5 2>/dev/null
"$DAF_BIN/daf-synth" --preset emotions "${small[@]}" --out emo.h5 2>/dev/null
# Transcripts that are markup (the explorer must show them as text and run nothing), and
# one with quotes, an ampersand and non-ASCII text.
"$py" - <<'PY' || fail "writing transcripts into cat.h5"
import h5py
with h5py.File("cat.h5", "a") as f:
    for split in ("train", "valid", "test"):
        n = len(f[split]["ids"])
        text = ["utterance %d: «plain» & \"quoted\"" % i for i in range(n)]
        if split == "test":
            text[0] = "</script><script>document.title='pwned'</script>"
            text[1] = "<img src=x onerror=\"document.title='pwned'\">"
        f[split].create_dataset("transcripts", data=text, dtype=h5py.string_dtype())
PY
# A run folder whose name is markup: the page must show it as text and run nothing.
hostile='run<img src=x onerror=document.title=1><script>document.title=2</script>'
"$DAF_BIN/daf-train" data.cache=cat.h5 model.task=multiclass data.target=emotion "data.classes=[neutral, happy, sad, angry]" \
  model.dim=8 train.max_epochs=2 "output.dir=$hostile" --no-plots 2>/dev/null || fail "daf-train (multiclass)"
"$DAF_BIN/daf-eval" --run "$hostile" >/dev/null 2>log || { cat log; fail "daf-eval (multiclass)"; }
grep -q "report.html" log || fail "daf-eval does not name report.html"
"$DAF_BIN/daf-train" data.cache=reg.h5 model.dim=8 train.max_epochs=2 output.dir=reg --no-plots 2>/dev/null \
  || fail "daf-train (regression)"
"$DAF_BIN/daf-eval" --run reg >/dev/null 2>&1 || fail "daf-eval (regression)"
"$DAF_BIN/daf-train" data.cache=emo.h5 model.task=multilabel "data.targets=[happiness, sadness, anger]" model.dim=8 \
  train.max_epochs=2 output.dir=ml --no-plots 2>/dev/null || fail "daf-train (multilabel)"
"$DAF_BIN/daf-eval" --run ml >/dev/null 2>&1 || fail "daf-eval (multilabel)"

"$py" - "$hostile/eval/test" reg/eval/test ml/eval/test <<'PY' || fail "report.html"
import base64, csv, hashlib, html.parser, json, math, re, sys

class Page(html.parser.HTMLParser):
    """Tables as lists of rows of cell text, every element's attributes, the script's text."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.elements, self.scripts, self.text = [], [], [], []
        self.cell = None
        self.in_script = False
    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag == "table": self.tables.append([])
        elif tag == "tr": self.tables[-1].append([])
        elif tag in ("td", "th"): self.cell = ""
        elif tag == "script": self.in_script, self.scripts = True, self.scripts + [""]
    def handle_endtag(self, tag):
        if tag in ("td", "th"): self.tables[-1][-1].append(self.cell); self.cell = None
        elif tag == "script": self.in_script = False
    def handle_data(self, data):
        if self.in_script: self.scripts[-1] += data
        elif self.cell is not None: self.cell += data
        self.text.append(data)

def page(folder):
    p = Page()
    source = open(folder + "/report.html", encoding="utf-8").read()
    p.feed(source)
    return p, source, json.load(open(folder + "/metrics.json"))

def shown(v):
    return "undefined" if v is None or (isinstance(v, float) and math.isnan(v)) else "%.4f" % v

for folder in sys.argv[1:]:
    p, source, metrics = page(folder)
    rows = {r[0]: r[1] for r in p.tables[0][1:]}
    assert rows == {k: shown(v) for k, v in metrics["metrics"].items()}, (rows, metrics["metrics"])
    # Nothing loaded from anywhere: no src attribute, links only to the page's own fragments.
    for tag, attrs in p.elements:
        assert "src" not in attrs, (tag, attrs)
        for key in ("href", "xlink:href"):
            assert not attrs.get(key) or attrs[key].startswith("#"), (tag, attrs)
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
    ids = [a["id"] for _, a in p.elements if "id" in a]
    assert len(ids) == len(set(ids)), "repeated ids"
    assert [t for t, _ in p.elements].count("svg") == 1, "expected one inline SVG plot"
    # Only the page's own scripts may run: the policy names each one's SHA-256; the
    # explorer's data block is JSON (not run) and parses.
    policy = next(a["content"] for t, a in p.elements if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy, policy
    kinds = [a.get("type") for t, a in p.elements if t == "script"]
    assert kinds == ["application/json", None, None], kinds
    for script in p.scripts[1:]:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert "'sha256-%s'" % digest in policy, (digest, policy)
    assert policy.count("sha256-") == 2, policy
    explorer = json.loads(p.scripts[0])
    predictions = list(csv.DictReader(open(folder + "/predictions.csv")))
    assert [r[0] for r in explorer["rows"]] == [r["id"] for r in predictions], "one explorer row per utterance, in order"

p, source, metrics = page(sys.argv[1])
assert not any(t == "img" for t, _ in p.elements), "an <img> from the run's name became an element"
assert "run<img src=x onerror=document.title=1>" in "".join(p.text), "the run's name is not shown as text"
explorer = json.loads(p.scripts[0])
assert explorer["rows"][0][7] == "</script><script>document.title='pwned'</script>", explorer["rows"][0]
assert "</script" not in source.split('id="explorer-data">')[1].split("</script>")[0]
# Class tasks: the label and prediction by name, the error 1 where the class is wrong.
names = ["neutral", "happy", "sad", "angry"]
for row, r in zip(explorer["rows"], csv.DictReader(open(sys.argv[1] + "/predictions.csv"))):
    assert row[1] == names[int(r["true_class"])] and row[3] == [names[int(r["predicted_class"])]], (row, r)
    assert row[4] == [float(r["true_class"] != r["predicted_class"])], (row, r)
    weights = [float(r["weight_" + m]) for m in explorer["modalities"]]
    assert all(abs(a - b) <= 5e-4 for a, b in zip(row[6][0], weights)), (row[6], weights)
tables = {tuple(t[0]): t for t in p.tables}
confusion = next(t for t in p.tables if t[0][0] == "truth \\ predicted")
assert confusion[0][1:] == ["neutral", "happy", "sad", "angry"], confusion[0]
assert [[int(c) for c in r[1:]] for r in confusion[1:]] == metrics["confusion"], (confusion, metrics["confusion"])
per_class = tables[("class", "precision", "recall", "F1")]
for name, precision, recall, f1 in per_class[1:]:
    assert (precision, recall, f1) == tuple(shown(metrics["per_output"][k + name]) for k in ("precision_", "recall_", "F1_")), name
assert [r[0] for r in per_class[1:]] == ["neutral", "happy", "sad", "angry"]
gate = tables[("class", "n", "text mean", "text std", "audio mean", "audio std", "video mean", "video std")]
expected = [["all", str(len(metrics and [0]) and sum(g["count"] for g in metrics["gate"]["by_class"]))]]
for m in ("text", "audio", "video"):
    expected[0] += ["%.3f" % metrics["gate"]["overall"][m]["mean"], "%.3f" % metrics["gate"]["overall"][m]["std"]]
for g in metrics["gate"]["by_class"]:
    expected.append([g["class"], str(g["count"])] + sum((["%.3f" % g["weights"][m]["mean"], "%.3f" % g["weights"][m]["std"]]
                                                         for m in ("text", "audio", "video")), []))
assert gate[1:] == expected, (gate, expected)

p, source, metrics = page(sys.argv[3])
per_label = next(t for t in p.tables if t[0] == ["label", "accuracy", "WA", "F1"])
assert [r[0] for r in per_label[1:]] == ["happiness", "sadness", "anger"], per_label
for name, accuracy, wa, f1 in per_label[1:]:
    assert [accuracy, wa, f1] == [shown(metrics["per_output"][name + k]) for k in ("_acc", "_WA", "_F1")], name
assert not any(t[0][0] == "truth \\ predicted" for t in p.tables), "a multilabel page has no confusion matrix"
print("report.html: metrics, per-class, per-label and confusion tables equal metrics.json; nothing external;"
      " the script hash checks")
PY

# A sweep (the demo's conditions, small): summary.html beside summary.md, and --report.
"$DAF_BIN/daf-synth" --preset demo synth.train_size=600 synth.valid_size=150 synth.test_size=200 --out demo.h5 2>/dev/null
"$DAF_BIN/daf-ablate" --config "$DAF_SOURCE/configs/ablate-demo.yaml" data.cache=demo.h5 train.max_epochs=3 \
  --out sweep --jobs 2 >sweep.out 2>log || { cat log; fail "daf-ablate"; }
grep -q "sweep/summary.html" sweep.out || fail "the terminal summary does not name summary.html"
cp sweep/summary.html first.html
"$DAF_BIN/daf-ablate" --report sweep 2>log || { cat log; fail "daf-ablate --report"; }
grep -q "wrote sweep/summary.html" log || fail "daf-ablate --report: $(cat log)"
diff <(grep -v "daf-ablate --" first.html) <(grep -v "daf-ablate --" sweep/summary.html) >/dev/null \
  || fail "--report wrote another page (beyond its command line)"
expect_exit 2 "no summary.md" -- "$DAF_BIN/daf-ablate" --report reg
# A run scored on other utterances than the rest: the page keeps its summary, says why it has
# no explorer, and daf-ablate warns.
cp -r sweep broken && sed -i '3d' broken/static/seed-1112/eval/test/predictions.csv
"$DAF_BIN/daf-ablate" --report broken 2>log || { cat log; fail "daf-ablate --report on a sweep with a short run"; }
grep -q "No utterance explorer: the static run of seed 1112 was scored on other utterances" broken/summary.html \
  || fail "the page does not say why it has no explorer"
grep -q "warning: broken/summary.html has no utterance explorer" log || fail "no warning: $(cat log)"
"$py" - <<'PY' || fail "summary.html"
import csv, html.parser, math

class Tables(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.cell, self.best, self.svgs, self.imgs = [], None, False, 0, 0
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table": self.tables.append([])
        elif tag == "tr": self.tables[-1].append([])
        elif tag in ("td", "th"): self.cell, self.best = "", "best" in attrs.get("class", "")
        elif tag == "svg": self.svgs += 1
        elif tag == "img": self.imgs += 1
    def handle_endtag(self, tag):
        if tag in ("td", "th"): self.tables[-1][-1].append((self.cell, self.best)); self.cell = None
    def handle_data(self, data):
        if self.cell is not None: self.cell += data

page = Tables()
page.feed(open("sweep/summary.html", encoding="utf-8").read())
summary = list(csv.DictReader(open("sweep/summary.csv")))
table = page.tables[0]
header = [c for c, _ in table[0]]
assert [r[0][0] for r in table[1:]] == [r["condition"] for r in summary], "one row per condition, in order"
def shown(mean, std, seeds):
    return "%.4f (one value)" % mean if seeds == 1 else "%.4f ± %.4f" % (mean, std)
for row, expected in zip(table[1:], summary):
    for (text, _), metric in zip(row[2:], header[2:]):
        want = shown(float(expected[metric + "_mean"]), float(expected[metric + "_std"]), int(expected["seeds"]))
        assert text == want, (expected["condition"], metric, text, want)
mae = header.index("MAE")
best = min(float(r["MAE_mean"]) for r in summary)
for row, expected in zip(table[1:], summary):
    assert row[mae][1] == ("%.4f" % float(expected["MAE_mean"]) == "%.4f" % best), (expected["condition"], row[mae])
plots = open("sweep/summary.md").read().count("![")
assert page.svgs == plots and page.imgs == 0, (page.svgs, page.imgs, plots)
print("summary.html: %d conditions x %d metrics equal summary.csv, best MAE marked, %d plots inline as SVG"
      % (len(summary), len(header) - 2, plots))

# The utterance explorer's rows, recomputed here from every run's predictions.csv.
import glob, json, re
import numpy as np
source = open("sweep/summary.html", encoding="utf-8").read()
explorer = json.loads(re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', source, re.S).group(1))
conditions = [r["condition"] for r in summary]
assert explorer["conditions"] == conditions and explorer["reference"] == "dynamic" and explorer["baseline"] == "static"
runs = {c: [list(csv.DictReader(open(f))) for f in sorted(glob.glob("sweep/%s/seed-*/eval/test/predictions.csv" % c))]
        for c in conditions}
assert all(len(v) == 3 for v in runs.values()), {c: len(v) for c, v in runs.items()}
rows = explorer["rows"]
assert [r[0] for r in rows] == [r["id"] for r in runs["dynamic"][0]] and len(rows) == 200
truth = np.array([float(r["label"]) for r in runs["dynamic"][0]])
prediction = {c: np.array([[float(r["prediction"]) for r in seed] for seed in v]) for c, v in runs.items()}
error = {c: np.abs(p - truth).mean(axis=0) for c, p in prediction.items()}
for k, c in enumerate(conditions):
    assert all(r[3][k] == "%.3f" % v for r, v in zip(rows, prediction[c].mean(axis=0))), c
    assert np.allclose([r[4][k] for r in rows], error[c], atol=6e-5), c
difference = error["dynamic"] - error["static"]
assert np.allclose([r[5] for r in rows], difference, atol=6e-5)
gated = explorer["gated"]
assert gated == ["dynamic", "static", "mean"], gated  # the fusions with weights (concat has none; one modality: 1)
for g, c in enumerate(gated):
    w = np.array([[[float(r["weight_" + m]) for m in explorer["modalities"]] for r in seed] for seed in runs[c]]).mean(axis=0)
    assert np.allclose([r[6][g] for r in rows], w, atol=6e-4), c
# Slices: each one's utterances as many as analysis.csv counts.
counted = {(r["family"], r["slice"]): int(r["n"]) for r in csv.DictReader(open("sweep/analysis.csv"))}
for s, name in enumerate(explorer["slices"]):
    family, slice_name = name.split(": ", 1)
    assert sum(s in r[9] for r in rows) == counted[(family, slice_name)], name
open("expected.json", "w").write(json.dumps({
    "static_error_0.5": int(sum(round(e, 4) >= 0.5 for e in error["static"])),
    "dynamic_better": int(sum(round(d, 4) < 0 for d in difference)),
    "first_slice": sum(0 in r[9] for r in rows), "first_slice_name": explorer["slices"][0],
    "smallest_difference": float(min(round(d, 4) for d in difference))}))
print("summary.html's explorer: %d utterances x %d conditions, predictions, errors, differences, weights and %d slices"
      " equal those recomputed from the runs" % (len(rows), len(conditions), len(explorer["slices"])))
PY

# The pages in a real browser (tests/e2e/browser.py: Chromium over the DevTools protocol):
# no console error, exception or policy violation; the script ran and sorts; the plot drew.
"$py" - "$DAF_SOURCE/tests/e2e" "$PWD" "$artifacts" "$hostile/eval/test" reg/eval/test ml/eval/test <<'PY' \
  || { tail -20 chromium.log; fail "the pages in Chromium"; }
import csv, json, sys
sys.path.insert(0, sys.argv[1])
from browser import Browser

work, artifacts, folders = sys.argv[2], sys.argv[3], sys.argv[4:]
column_values = """(header) => {
  const table = [...document.querySelectorAll("table.sortable")].find(t => [...t.rows[0].cells].some(c => c.textContent === header));
  const column = [...table.rows[0].cells].findIndex(c => c.textContent === header);
  return [...table.tBodies[0].rows].map(r => r.cells[column].textContent);
}"""
click = """(header) => [...document.querySelectorAll("table.sortable th")].find(c => c.textContent === header).click()"""

def numbers(values):
    return [float(v) if v != "undefined" else float("inf") for v in values]

with Browser(work) as browser:
    for folder in folders:
        url = "file://%s/%s/report.html" % (work, folder)
        browser.open(url, width=1280)
        assert browser.evaluate("document.title").startswith("daf-eval: "), folder
        assert browser.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0, folder
        headers = browser.evaluate("[...document.querySelectorAll('table.sortable th')].map(h => h.tabIndex)")
        assert headers and all(t == 0 for t in headers), ("the script did not run", folder, headers)
        areas = browser.evaluate("[...document.querySelectorAll('figure svg')].map(s => { const b = s.getBBox(); return b.width * b.height; })")
        assert len(areas) == 1 and all(a > 0 for a in areas), ("the plot did not draw", folder, areas)
        # Sorting: by the first modality's mean weight, up then down.
        browser.evaluate("(%s)('text mean')" % click)
        up = browser.evaluate("(%s)('text mean')" % column_values)
        browser.evaluate("(%s)('text mean')" % click)
        down = browser.evaluate("(%s)('text mean')" % column_values)
        assert numbers(up) == sorted(numbers(up)) and numbers(down) == sorted(numbers(down), reverse=True), (up, down)
        assert sorted(up) == sorted(down)
    # The multiclass page: per-class F1, an undefined value last both ways.
    browser.open("file://%s/%s/report.html" % (work, folders[0]), width=1280)
    browser.evaluate("(%s)('F1')" % click)
    up = browser.evaluate("(%s)('F1')" % column_values)
    browser.evaluate("(%s)('F1')" % click)
    down = browser.evaluate("(%s)('F1')" % column_values)
    assert numbers(up) == sorted(numbers(up)), up
    finite = [v for v in numbers(down) if v != float("inf")]
    assert finite == sorted(finite, reverse=True) and numbers(down)[len(finite):] == [float("inf")] * (len(down) - len(finite)), down
    # The explorer of the multiclass page: every test utterance, the markup in transcripts shown
    # as text (no element made, no script run), the filter on the condition's error.
    browser.open("file://%s/%s/report.html" % (work, folders[0]), width=1280)
    count = lambda: browser.evaluate("+document.getElementById('ex-count').dataset.n")
    drawn = lambda: browser.evaluate("document.querySelectorAll('#ex-table tbody tr').length")
    predictions = list(csv.DictReader(open("%s/%s/predictions.csv" % (work, folders[0]))))
    assert count() == len(predictions) == drawn() == 90, (count(), drawn())
    assert "pwned" not in browser.evaluate("document.title")
    assert browser.evaluate("document.querySelectorAll('#explorer img, #explorer script').length") == 0
    transcripts = browser.evaluate("[...document.querySelectorAll('#ex-table td.transcript')].map(c => c.textContent)")
    assert transcripts[:2] == ["</script><script>document.title='pwned'</script>",
                               "<img src=x onerror=\"document.title='pwned'\">"], transcripts[:2]
    assert transcripts[2] == 'utterance 2: «plain» & "quoted"', transcripts[2]
    browser.set_control("ex-error", "1")
    wrong = sum(r["true_class"] != r["predicted_class"] for r in predictions)
    assert count() == wrong and 0 < wrong < 90, (count(), wrong)
    browser.set_control("ex-error", "")
    browser.set_control("ex-text", "UTTERANCE 1")  # case-insensitive: utterances 10-19 (1 is the hostile one)
    assert count() == 10, count()
    browser.screenshot(artifacts + "/html_report-eval-1280.png")
    browser.open("file://%s/%s/report.html" % (work, folders[0]), width=390)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390, "the page is wider than a phone's screen"
    browser.screenshot(artifacts + "/html_report-eval-390.png")
    # The sweep's page: sorting by MAE puts the conditions in MAE order; every plot drew.
    browser.open("file://%s/sweep/summary.html" % work, width=1280)
    areas = browser.evaluate("[...document.querySelectorAll('figure svg')].map(s => { const b = s.getBBox(); return b.width * b.height; })")
    assert areas and all(a > 0 for a in areas), areas
    conditions = lambda: browser.evaluate("[...document.querySelector('table.sortable').tBodies[0].rows].map(r => r.cells[0].textContent)")
    means = lambda: [float(v.split()[0]) for v in browser.evaluate("(%s)('MAE')" % column_values)]
    before = conditions()
    browser.evaluate("(%s)('MAE')" % click)
    assert means() == sorted(means()) and conditions() != before, (conditions(), means())
    browser.screenshot(artifacts + "/html_report-sweep-1280.png")
    # The sweep's explorer: 200 utterances drawn 100 at a time; filters by slice, by a condition's
    # error and by which condition was closer give the counts computed from the runs above.
    expected = json.load(open("expected.json"))
    assert count() == 200 and drawn() == 100, (count(), drawn())
    assert browser.evaluate("document.querySelectorAll('#ex-table .wbar').length") == 100
    legend = browser.evaluate("[...document.querySelectorAll('.legend span')].map(s => s.style.background)")
    bar = browser.evaluate("[...document.querySelector('#ex-table .wbar').children].map(s => s.style.background)")
    assert len(legend) == 3 and legend == bar, (legend, bar)  # each modality's bar in its legend colour
    browser.evaluate("document.getElementById('ex-next').click()")
    assert drawn() == 100 and browser.evaluate("document.getElementById('ex-next').disabled")
    browser.set_control("ex-slice", "0")
    assert count() == expected["first_slice"], (count(), expected)
    browser.set_control("ex-slice", "")
    browser.set_control("ex-condition", "1")  # static
    browser.set_control("ex-error", "0.5")
    assert count() == expected["static_error_0.5"], (count(), expected)
    browser.set_control("ex-error", "")
    browser.set_control("ex-compare", "reference")
    assert count() == expected["dynamic_better"], (count(), expected)
    browser.set_control("ex-compare", "")
    assert count() == 200
    browser.evaluate("document.querySelector('#ex-table th[data-key=difference]').click()")
    first = browser.evaluate("document.querySelector('#ex-table tbody tr').cells[9].textContent")
    assert float(first) == expected["smallest_difference"], (first, expected)
    browser.screenshot_element("#explorer", artifacts + "/html_report-explorer-1280.png")
    browser.open("file://%s/sweep/summary.html" % work, width=390)
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390, "the sweep page is wider than a phone"
    browser.screenshot(artifacts + "/html_report-sweep-390.png")
    assert not browser.problems, browser.problems
print("Chromium: 4 pages, no console error or policy violation; sorting up and down; plots drawn; the explorers'"
      " counts, filters, paging and escaped transcripts; screenshots taken")
PY
[ -s "$artifacts/html_report-eval-1280.png" ] && [ -s "$artifacts/html_report-eval-390.png" ] || fail "no screenshot"
echo "html_report: daf-eval's report.html (multiclass, regression, multilabel) and a sweep's summary.html," \
  "checked in Chromium (screenshots: $artifacts/html_report-{eval,sweep}-{1280,390}.png, html_report-explorer-1280.png)"
