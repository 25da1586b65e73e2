#!/usr/bin/env bash
# The documentation against the code: the generated blocks (docs/options.md's
# key tables; the README's demo numbers, on the machine they were made on;
# scripts/update_docs.py) equal what the executables print and compute now;
# every relative link in README.md and docs/*.md leads to a file that exists
# (and, with #anchor, to one of its headings, as GitHub makes their anchors);
# every config key a tool's --help lists appears in the docs, and every
# section.key the docs name in `code` is a key some tool has; every daf
# command in a code block uses only options and keys its tool has and
# configs/ files that exist, and those of daf-train, daf-extract and
# daf-manifest resolve with --print-config (where the command names data or
# encoders a user supplies, up to the first such file).
source "$(dirname "$0")/common.sh"
# The README's demo numbers: the sweeps remade (scripts/docs_runs.sh, ~1 minute) where this is
# the machine they were made on (the same numbers are promised there only).
recorded=$(sed -n 's/^Made by `scripts\/docs_runs.sh` on \(.*\)\.$/\1/p' "$DAF_SOURCE/README.md")
here=$("$py" -c "import sys; sys.path.insert(0, sys.argv[1]); from update_docs import machine; print(machine())" \
  "$DAF_SOURCE/scripts")
runs=""
if [ "$recorded" = "$here" ]; then
  DAF_BIN="$DAF_BIN" bash "$DAF_SOURCE/scripts/docs_runs.sh" "$WORK/docs" || fail "scripts/docs_runs.sh"
  runs=$WORK/docs/runs
else
  echo "docs: the README's demo numbers were made on ${recorded:-(no machine named)}; this is $here: not remade here"
fi
"$py" "$DAF_SOURCE/scripts/update_docs.py" --bin "$DAF_BIN" --runs "$runs" --check || fail "generated blocks differ from the code"
# The blocks remade only from named inputs: a wrong path is an error, not a block silently left as it was.
expect_exit 2 "--speech-runs $WORK/nowhere: no $WORK/nowhere/speech-demo/summary.csv" -- \
  "$py" "$DAF_SOURCE/scripts/update_docs.py" --bin "$DAF_BIN" --runs "" --speech-runs "$WORK/nowhere" --check
expect_exit 2 "--comparison $WORK/nowhere.md: no such file" -- \
  "$py" "$DAF_SOURCE/scripts/update_docs.py" --bin "$DAF_BIN" --runs "" --comparison "$WORK/nowhere.md" --check
"$py" - "$DAF_SOURCE" "$DAF_BIN" <<'PY' || fail "the docs against the code"
import glob, os, re, shlex, subprocess, sys
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
helps = {a: subprocess.run([os.path.join(bin_dir, a), "--help"], capture_output=True, text=True).stdout for a in apps}
keys = set()
for app in apps:
    keys |= {k for k, _, _ in config_keys(helps[app])}
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
# The commands in code blocks (continuation lines joined, comments and what a pipe feeds left out).
flags = {a: set(re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", h.split("Options:", 1)[1].split("Config options")[0]))
         for a, h in helps.items()}
app_keys = {a: {k for k, _, _ in config_keys(h)} for a, h in helps.items()}
app_keys["daf-ablate"] = app_keys["daf-train"]  # its overrides set the runs' keys
app_keys["daf-predict"] = app_keys["daf-tokenize"] = app_keys["daf-extract"]
commands = resolved = 0
printed = {}  # one --print-config run per distinct command (pages repeat the same ones)
for f, text in texts.items():
    for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S):
        for line in re.sub(r"\\\n\s*", " ", block).splitlines():
            try:
                tokens = shlex.split(line.strip().lstrip("$ "), comments=True)
            except ValueError:
                continue
            start = next((i for i, t in enumerate(tokens) if os.path.basename(t) in apps), None)
            if start is None or (start > 0 and tokens[start - 1] != "|"):
                continue
            tokens = tokens[start:]
            if "|" in tokens:
                tokens = tokens[:tokens.index("|")]
            app = os.path.basename(tokens[0])
            where = "%s: `%s`" % (os.path.relpath(f, source), " ".join(tokens))
            commands += 1
            for t in tokens[1:]:
                if t.startswith("-") and t.split("=")[0] not in flags[app]:
                    problems.append("%s: %s has no option %s" % (where, app, t))
                elif re.match(r"^[a-z_]+(\.[a-z_0-9]+)+=", t) and t.split("=")[0] not in app_keys[app]:
                    problems.append("%s: %s has no config key %s" % (where, app, t.split("=")[0]))
                elif t.split("=")[-1].startswith("configs/") and not os.path.exists(os.path.join(source, t.split("=")[-1])):
                    problems.append("%s: %s is not in the repository" % (where, t.split("=")[-1]))
            yaml = [t for t in tokens if t.endswith(".yaml")]
            if "--print-config" in flags[app] and "--merge" not in tokens and all(y.startswith("configs/") for y in yaml):
                resolved += 1
                if tuple(tokens) not in printed:
                    printed[tuple(tokens)] = subprocess.run([os.path.join(bin_dir, app)] + tokens[1:] + ["--print-config"],
                                                            cwd=source, capture_output=True, text=True)
                r = printed[tuple(tokens)]
                user_file = re.search(r"error: .*?: (\S+): (file not found|cannot open file)", r.stderr)
                if r.returncode != 0 and not (r.returncode == 2 and user_file and not user_file.group(1).startswith("configs/")):
                    problems.append("%s: --print-config exits %d: %s" % (where, r.returncode, r.stderr.strip()[-300:]))
print("\n".join(problems))
assert not problems, "%d problems" % len(problems)
print("docs: %d files, %d relative links, %d config keys (each in the docs), %d keys named in the docs (each real),"
      " %d daf commands (options, keys and configs real; %d resolved with --print-config, %d distinct)"
      % (len(files), links, len(keys), named, commands, resolved, len(printed)))
PY
echo "docs: generated blocks current, links and anchors resolve, config keys match --help both ways, commands parse"
