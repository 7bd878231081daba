#!/usr/bin/env python3
"""Plants realistic one-line bugs one at a time and reports which tests catch each.

    scripts/plant_bugs.py [--build build] [--only ID,...] [--list FILE]

Each row of the list (default tests/planted_bugs.tsv: id, file, the exact text to find, what to put
instead, a description; tab-separated, '#' starts a comment) must match exactly one place in its
file. For each row the script edits the file, rebuilds the tests and the program, runs ctest, puts
the file back byte for byte (also on Ctrl+C or a failed build), and prints a Markdown table of the
bug, the file and the tests that failed. In the texts, \\n is a newline, \\t a tab and \\\\ a
backslash. A bug whose build fails counts as not planted. Exit status
1 when a planted bug survived, so the suite's claim "it catches these" is checked, not hoped.
"""
import argparse
import pathlib
import re
import signal
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def read_list(path):
    rows = []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5:
            sys.exit(f"{path}:{number}: expected 5 tab-separated fields, got {len(fields)}")
        rows.append(dict(zip(("id", "file", "find", "replace", "what"), fields)))
    return rows


def unescape(text):
    """\\n a newline, \\t a tab, \\\\ a backslash."""
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def run_one(row, build):
    path = ROOT / row["file"]
    original = path.read_bytes()
    text = original.decode()
    find, replace = unescape(row["find"]), unescape(row["replace"])
    if text.count(find) != 1:
        return "not planted (the text to find occurs %d times)" % text.count(find), []
    try:
        path.write_text(text.replace(find, replace, 1))
        built = subprocess.run(["cmake", "--build", str(build), "-j2"], cwd=ROOT, capture_output=True, text=True)
        if built.returncode != 0:
            return "not planted (does not build)", []
        tested = subprocess.run(["ctest", "--test-dir", str(build), "-j2", "--timeout", "600"], cwd=ROOT,
                                capture_output=True, text=True)
        failed = re.findall(r"^\s*\d+ - (.+?) \((?:Failed|Timeout|SEGFAULT|Subprocess aborted|Exception)\)",
                            tested.stdout, re.M)
        return ("caught" if failed else "SURVIVED"), failed
    finally:
        path.write_bytes(original)


def main():
    # A stop (SIGTERM) unwinds like Ctrl+C, so the planted file is put back.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--list", default=str(ROOT / "tests" / "planted_bugs.tsv"))
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    rows = read_list(pathlib.Path(args.list))
    if args.only:
        wanted = set(args.only.split(","))
        rows = [r for r in rows if r["id"] in wanted]
    build = (ROOT / args.build).resolve()
    print("| bug | file | what | verdict | tests that failed |")
    print("|---|---|---|---|---|")
    survived = 0
    for row in rows:
        verdict, failed = run_one(row, build)
        survived += verdict == "SURVIVED"
        shown = "; ".join(failed[:4]) + (f" (+{len(failed) - 4} more)" if len(failed) > 4 else "")
        print(f"| {row['id']} | {row['file']} | {row['what']} | {verdict} | {shown} |", flush=True)
    subprocess.run(["cmake", "--build", str(build), "-j2"], cwd=ROOT, capture_output=True)  # back to the real code
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
