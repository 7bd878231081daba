#!/usr/bin/env python3
"""Lists the longest functions in C++ sources: `scripts/function_lengths.py [--top N] DIR...`.

A function is a brace block opened after a parenthesised signature at namespace or class level
(lambdas and blocks inside a function count towards that function). Its length is the number of
lines from the signature's first line to the closing brace. Strings, characters and comments are
skipped, so braces inside them do not count. Used for the README's architecture figures and the
issue notes ("no function over 100 lines in app/ and ui/").
"""
import argparse
import pathlib
import re


def strip_code(text):
    """The text with comments, strings and character literals blanked (newlines kept)."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(")" + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j])); i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(" " * (min(j + 1, n) - i)); i = j + 1
        else:
            out.append(c); i += 1
    return "".join(out)


def functions(path):
    code = strip_code(path.read_text(errors="replace"))
    stack = []  # kinds of open braces: ns, class, function, block
    statement_start = 0  # offset where the current statement began
    found = []
    for i, c in enumerate(code):
        if c == "{":
            head = code[statement_start:i]
            inside_function = any(k == "function" for k in stack)
            if inside_function:
                kind = "block"
            elif re.search(r"\bnamespace\b", head) or re.search(r'\bextern\s*$', head):
                kind = "ns"
            elif re.search(r"\b(class|struct|union|enum)\b[^()]*$", head):
                kind = "class"
            elif ")" in head and not re.search(r"=\s*$", head.strip()):
                kind = "function"
                first = statement_start + len(head) - len(head.lstrip())
                name = re.findall(r"([~\w:]+(?:operator\S*)?)\s*\(", head)
                found.append([name[0] if name else "?", code.count("\n", 0, first) + 1, None, len(stack)])
            else:
                kind = "block"
            stack.append(kind)
            statement_start = i + 1
        elif c == "}":
            kind = stack.pop() if stack else "block"
            if kind == "function":
                for f in reversed(found):
                    if f[2] is None and f[3] == len(stack):
                        f[2] = code.count("\n", 0, i) + 1
                        break
            statement_start = i + 1
        elif c == ";":
            statement_start = i + 1
        elif c == ":" and stack and stack[-1] == "class" and re.search(r"\b(public|private|protected)\s*$", code[statement_start:i]):
            statement_start = i + 1
    return [(name, start, end) for name, start, end, _ in found if end]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--over", type=int, default=0, help="exit 1 if a function is longer than this")
    args = parser.parse_args()
    rows = []
    for d in args.dirs:
        for path in sorted(pathlib.Path(d).rglob("*.[ch]*")):
            if path.suffix in (".cpp", ".h", ".hpp", ".cc"):
                rows += [(end - start + 1, f"{path}:{start}", name) for name, start, end in functions(path)]
    rows.sort(key=lambda r: -r[0])
    for length, where, name in rows[: args.top]:
        print(f"{length:5d}  {where}  {name}")
    if args.over and rows and rows[0][0] > args.over:
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
