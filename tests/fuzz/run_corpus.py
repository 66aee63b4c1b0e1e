#!/usr/bin/env python3
"""Feeds every case of the bad-input corpus to the command it targets.

    run_corpus.py CORESTRIDE SOURCE_DIR WORK_DIR

A case is tests/fuzz/cases/NAME.case: comment lines (#), then `command:` (the corestride
arguments, with {input}, {work} and {src} replaced), `exit:` (the expected exit code),
`expect:` (a fragment the error message must contain, same replacements), `input:` (the
extension of the input file written from the text after the `---` line, `none`, or `fifo`
for a named pipe with no writer). Every case runs with a 60 s timeout.

Prints one line per case that fails and the totals: cases, exit 0/2/3, internal errors
(exit 1), crashes (signals, timeouts), silent acceptances (exit 0 where an error was
expected). Exit 0 when every case gives its exit code and message.
"""
import os
import shlex
import subprocess
import sys


def read_case(path):
    with open(path, "rb") as f:
        raw = f.read()
    head, _, body = raw.partition(b"\n---\n")
    fields = {}
    for line in head.decode().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    for key in ("command", "exit", "expect", "input"):
        if key not in fields:
            raise SystemExit(f"run_corpus: {path}: no '{key}:' line")
    return fields, body


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    exe, src, work = os.path.abspath(argv[1]), argv[2], argv[3]
    cases_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases")
    os.makedirs(work, exist_ok=True)
    totals = {"cases": 0, "exit 0": 0, "exit 2": 0, "exit 3": 0, "internal errors": 0, "crashes": 0,
              "silent acceptances": 0}
    failures = []
    for name in sorted(os.listdir(cases_dir)):
        if not name.endswith(".case"):
            continue
        fields, body = read_case(os.path.join(cases_dir, name))
        case_work = os.path.join(work, name[:-5])
        subprocess.run(["rm", "-rf", case_work], check=True)
        os.makedirs(case_work)
        kind = fields["input"]
        input_path = os.path.join(case_work, "input." + ("fifo" if kind in ("none", "fifo") else kind))
        if kind == "fifo":
            os.mkfifo(input_path)
        elif kind != "none":
            with open(input_path, "wb") as f:
                f.write(body)

        def fill(text):
            return text.replace("{input}", input_path).replace("{work}", case_work).replace("{src}", src)

        command = [exe] + [fill(a) for a in shlex.split(fields["command"])]
        totals["cases"] += 1
        try:
            done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60,
                                  cwd=case_work)
            rc, output = done.returncode, (done.stdout + done.stderr).decode(errors="replace")
        except subprocess.TimeoutExpired:
            rc, output = None, "timed out after 60 s"
        expected = int(fields["exit"])
        if rc is None or rc < 0 or rc >= 128:
            totals["crashes"] += 1
        elif rc == 1:
            totals["internal errors"] += 1
        elif f"exit {rc}" in totals:
            totals[f"exit {rc}"] += 1
        if rc == 0 and expected != 0:
            totals["silent acceptances"] += 1
        fragment = fill(fields["expect"])
        if rc != expected or fragment not in output:
            failures.append(f"{name}: exit {rc} (expected {expected}), output lacks '{fragment}' or differs:\n  "
                            + output.strip().replace("\n", "\n  "))
    for f in failures:
        print("run_corpus: FAILED " + f)
    print("run_corpus: " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
