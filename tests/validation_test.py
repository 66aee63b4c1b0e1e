#!/usr/bin/python3
"""Regression guard of the validation suite (docs/validation.md).

    validation_test.py CORESTRIDE WORKDIR BASELINE.tsv

Runs `corestride validate`, then compares its verdicts with the committed baseline
(tests/validation_baseline.tsv, written by `scripts/validate --update-baseline`): every case
that was within its published band must still be, the set of cases must be the same, and
a case may be skipped only when the baseline says it needs ../shared (hamner_*) and the
shared data are absent. A case outside its band in the baseline may stay outside (the table
lists it as a known weakness); one that moved inside is reported so that the baseline is
updated. Exit 0 on success, 1 on a regression.
"""
import csv
import os
import shutil
import subprocess
import sys


def read_tsv(path):
    with open(path, newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f, delimiter="\t")}


def main():
    exe, work, baseline_path = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(os.path.dirname(os.path.abspath(work)), exist_ok=True)
    p = subprocess.run([exe, "validate", "-o", work, "--quiet"], capture_output=True, text=True)
    print(p.stdout)
    if p.returncode not in (0, 4):
        print("validate failed with exit code %d:\n%s" % (p.returncode, p.stderr))
        return 1
    now = read_tsv(os.path.join(work, "validation.tsv"))
    base = read_tsv(baseline_path)
    errors, notes = [], []
    for key in sorted(set(base) - set(now)):
        errors.append("case %s of the baseline did not run at all" % key)
    for key in sorted(set(now) - set(base)):
        errors.append("new case %s is not in the baseline: run scripts/validate --update-baseline" % key)
    ran = 0
    for key in sorted(set(now) & set(base)):
        n, b = now[key], base[key]
        if n["skipped"]:
            if not key.startswith("hamner_"):
                errors.append("case %s was skipped: %s" % (key, n["skipped"]))
            continue
        ran += 1
        if b["within"] == "1" and n["within"] != "1":
            errors.append("REGRESSION: %s = %s %s is now outside its band %s-%s (was %s)"
                          % (key, n["value"], n["unit"], n["lo"], n["hi"], b["value"]))
        if b["within"] != "1" and n["within"] == "1":
            notes.append("%s moved inside its band (%s %s): update the baseline" % (key, n["value"], n["unit"]))
    for line in notes:
        print("note: " + line)
    for line in errors:
        print("error: " + line)
    print("validation_test: %d cases compared, %d errors" % (ran, len(errors)))
    if ran == 0:
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
