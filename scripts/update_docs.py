#!/usr/bin/python3
"""Rewrites the generated blocks of README.md and docs/*.md from what the code says now.

A block is everything between a marker line and the end marker:

    <!-- generated: options daf-train -->
    ...
    <!-- end generated -->

and NAME says what produces it:

    options APP   APP's config keys, from its --help (each key's type, default and
                  help are declared once in the code): a Markdown table

    /usr/bin/python3 scripts/update_docs.py [--bin build/apps]           # rewrite the blocks
    /usr/bin/python3 scripts/update_docs.py [--bin build/apps] --check   # exit 1, with a diff, where one differs

--check is what the test e2e.docs runs: a block edited by hand, or code whose
options changed without the docs, fails it.
"""
import argparse
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


def generate(name, bin_dir):
    kind, _, argument = name.partition(" ")
    if kind == "options":
        return options_block(bin_dir, argument)
    raise SystemExit("unknown generated block '%s' (known: options APP)" % name)


def doc_files():
    return [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, "build", "apps"), help="where the daf executables are")
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 where a block differs")
    args = parser.parse_args()
    stale = 0
    for path in doc_files():
        text = open(path, encoding="utf-8").read()
        updated = BLOCK.sub(lambda m: "<!-- generated: %s -->\n%s<!-- end generated -->" %
                            (m.group(1), generate(m.group(1), args.bin)), text)
        if updated == text:
            continue
        relative = os.path.relpath(path, ROOT)
        if args.check:
            stale += 1
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), updated.splitlines(True),
                                                       relative + " (as it is)", relative + " (as generated)"))
        else:
            with open(path + ".tmp", "w", encoding="utf-8") as f:
                f.write(updated)
            os.replace(path + ".tmp", path)
            print("updated " + relative)
    if stale:
        print("\n%d file(s) with generated blocks that differ from what the code produces: run "
              "/usr/bin/python3 scripts/update_docs.py" % stale)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
