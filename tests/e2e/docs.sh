#!/usr/bin/env bash
# The documentation against the code: the generated blocks (docs/options.md's
# key tables, scripts/update_docs.py) equal what the executables print now;
# every relative link in README.md and docs/*.md leads to a file that exists
# (and, with #anchor, to one of its headings, as GitHub makes their anchors);
# every config key a tool's --help lists appears in the docs, and every
# section.key the docs name in `code` is a key some tool has.
source "$(dirname "$0")/common.sh"
"$py" "$DAF_SOURCE/scripts/update_docs.py" --bin "$DAF_BIN" --check || fail "generated blocks differ from the code"
"$py" - "$DAF_SOURCE" "$DAF_BIN" <<'PY' || fail "the docs against the code"
import glob, os, re, subprocess, sys
source, bin_dir = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(source, "scripts"))
from update_docs import config_keys

files = [os.path.join(source, "README.md")] + sorted(glob.glob(os.path.join(source, "docs", "*.md")))
texts = {f: open(f, encoding="utf-8").read() for f in files}

def anchors(text):
    """GitHub's heading anchors: lower case, punctuation but '-' and '_' dropped, spaces as '-'."""
    out, seen = set(), {}
    for heading in re.findall(r"^#{1,6} (.+?)\s*$", re.sub(r"```.*?```", "", text, flags=re.S), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else "%s-%d" % (slug, n))
    return out

problems, links = [], 0
for f, text in texts.items():
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    for target in re.findall(r"\]\(([^)\s]+)\)", prose):
        if re.match(r"^[a-z]+:", target):
            continue  # https:, mailto:
        links += 1
        path, _, anchor = target.partition("#")
        linked = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
        if not os.path.exists(linked):
            problems.append("%s: link to %s: no such file" % (os.path.relpath(f, source), target))
        elif anchor and linked.endswith(".md") and anchor not in anchors(open(linked, encoding="utf-8").read()):
            problems.append("%s: link to %s: no heading with that anchor" % (os.path.relpath(f, source), target))

apps = ["daf-train", "daf-eval", "daf-ablate", "daf-extract", "daf-predict", "daf-synth", "daf-import",
        "daf-export", "daf-manifest", "daf-tokenize"]
keys = set()
for app in apps:
    out = subprocess.run([os.path.join(bin_dir, app), "--help"], capture_output=True, text=True).stdout
    keys |= {k for k, _, _ in config_keys(out)}
assert len(keys) > 100, len(keys)
docs = "".join(texts.values())
for key in sorted(keys):
    if "`%s`" % key not in docs and key + "=" not in docs and key not in docs:
        problems.append("config key %s (in --help) is in no docs page" % key)
sections = {k.split(".")[0] for k in keys}
files_like = re.compile(r"\.(csv|pt|yaml|yml|log|md|h5|json|png|svg|html|txt|model|wav|mp4|py|sh|csd|jsonl|pkl|tsv)$")
named = 0
for f, text in texts.items():
    for span in re.findall(r"`([^`\n]+)`", text):
        for key in re.findall(r"(?<![\w./-])([a-z_]+(?:\.[a-z_0-9]+)+)", span):
            if key.split(".")[0] in sections and not files_like.search(key):
                named += 1
                if key not in keys:
                    problems.append("%s: `%s` is not a config key of any tool" % (os.path.relpath(f, source), key))
print("\n".join(problems))
assert not problems, "%d problems" % len(problems)
print("docs: %d files, %d relative links, %d config keys (each in the docs), %d keys named in the docs (each real)"
      % (len(files), links, len(keys), named))
PY
echo "docs: generated blocks current, links and anchors resolve, config keys match --help both ways"
