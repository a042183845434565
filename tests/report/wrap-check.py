#!/usr/bin/env python3
"""wrap-check.py WIDTH TTY PIPE TOKENS: check TTY, the text report as written on a terminal of
WIDTH columns, against PIPE, the same report written to a pipe (never wrapped), for
tests/report/wrap-tty.sh. TOKENS holds, one a line, texts that must never be broken (paths,
file:line, function names). Prints one line per problem, then "wrapped N" (the number of lines
of PIPE that were wrapped), and exits 0.

- A line of PIPE that fits in WIDTH is the same line in TTY.
- A longer one is several lines in TTY: the first with the same indent, the others with a hanging
  indent (deeper than the first's), together the same words in the same order.
- No line of TTY is longer than WIDTH unless, after its indent, it is one token of TOKENS.
- Each token that PIPE holds is whole on one line of TTY."""
import re
import sys

SGR = re.compile(r"\x1b\[[0-9;]*m")


def indent(line):
    return len(line) - len(line.lstrip(" "))


def main():
    width = int(sys.argv[1])
    tty = [SGR.sub("", l) for l in open(sys.argv[2], encoding="utf-8").read().split("\n")]
    pipe = open(sys.argv[3], encoding="utf-8").read().split("\n")
    tokens = [t for t in open(sys.argv[4], encoding="utf-8").read().split("\n") if t]
    problems, wrapped, j = [], 0, 0

    for n, p in enumerate(pipe, 1):
        if j >= len(tty):
            problems.append("pipe line %d: not in the terminal's output" % n)
            break
        if len(p) <= width:
            if tty[j] != p:
                problems.append("pipe line %d fits but differs: %r / %r" % (n, p, tty[j]))
            j += 1
            continue
        wrapped += 1
        words, first = p.split(), tty[j]
        if indent(first) != indent(p):
            problems.append("pipe line %d: first line's indent %d, not %d" %
                            (n, indent(first), indent(p)))
        got = first.split()
        j += 1
        while len(got) < len(words) and j < len(tty):
            if indent(tty[j]) <= indent(first):
                problems.append("pipe line %d: continuation without hanging indent: %r" %
                                (n, tty[j]))
            got += tty[j].split()
            j += 1
        if got != words:
            problems.append("pipe line %d: the wrapped words differ: %r" % (n, p))
    for i, l in enumerate(tty, 1):
        if len(l) > width and l.lstrip(" ") not in tokens:
            problems.append("terminal line %d is longer than %d: %r" % (i, width, l))
    text = "\n".join(pipe)
    for t in tokens:
        if t in text and not any(t in l for l in tty):
            problems.append("token broken: %r" % t)
    for p in problems:
        print(p)
    print("wrapped %d" % wrapped)


if __name__ == "__main__":
    main()
