#!/usr/bin/env python3
"""Random-mutation fuzzer of the model, scenario, sweep and motion readers.

    mutate.py CORESTRIDE SOURCE_DIR WORK_DIR [--cases N] [--seed S]

Each case takes a valid input (the shipped model, the baseline scenario, the list sweep, the
motion fixtures), applies one to three random mutations (delete, duplicate or swap lines,
replace a number by a hostile token, truncate, insert bytes) and feeds it to the command that
reads it. Seeded and deterministic: the same seed gives the same cases.

A case passes when the program neither crashes (signal, 60 s timeout) nor reports an internal
error (exit 1). A mutated model that `model check` accepts must also be accepted by `run`:
`model check` has to catch everything `run` would reject. Exit 0 when every case passes;
prints the totals (cases, exit 0/2/3, internal errors, crashes, check/run disagreements).
"""
import os
import random
import re
import subprocess
import sys

HOSTILE = ["-1", "0", "1e308", "1e-320", "nan", "inf", "-inf", "0x1p3", "", "abc", "1e400", "99999999999999999999",
           "1,2", "=", "-0", "3.5.1", "1e", "\u00e9", "\x00"]


def mutate(rng, data):
    lines = data.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(7)
        if op == 0 and len(lines) > 1:
            del lines[rng.randrange(len(lines))]
        elif op == 1 and lines:
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
        elif op == 2 and len(lines) > 1:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == 3 and lines:
            i = rng.randrange(len(lines))
            numbers = list(re.finditer(rb"-?\d+(\.\d+)?(e-?\d+)?", lines[i]))
            if numbers:
                m = rng.choice(numbers)
                token = rng.choice(HOSTILE).encode()
                lines[i] = lines[i][:m.start()] + token + lines[i][m.end():]
        elif op == 4:
            text = b"\n".join(lines)
            lines = text[:rng.randrange(len(text) + 1)].split(b"\n")
        elif op == 5 and lines:
            i = rng.randrange(len(lines))
            junk = bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
            k = rng.randrange(len(lines[i]) + 1)
            lines[i] = lines[i][:k] + junk + lines[i][k:]
        elif op == 6 and lines:
            i = rng.randrange(len(lines))
            lines[i] = lines[i].replace(b"=", b" ", 1) if rng.random() < 0.5 else lines[i].replace(b" ", b"", 1)
    return b"\n".join(lines)


def run(command, cwd):
    try:
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, cwd=cwd)
        return done.returncode, (done.stdout + done.stderr).decode(errors="replace")
    except subprocess.TimeoutExpired:
        return None, "timed out after 60 s"


def main(argv):
    args = argv[1:]
    cases, seed = 80, 20261203
    while len(args) > 3:
        flag, value = args[-2], args[-1]
        if flag == "--cases":
            cases = int(value)
        elif flag == "--seed":
            seed = int(value)
        else:
            print(__doc__, file=sys.stderr)
            return 2
        args = args[:-2]
    if len(args) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    exe, src, work = os.path.abspath(args[0]), os.path.abspath(args[1]), os.path.abspath(args[2])
    subprocess.run(["rm", "-rf", work], check=True)
    os.makedirs(work)
    rng = random.Random(seed)

    def read(path):
        with open(os.path.join(src, path), "rb") as f:
            return f.read()

    spec = read("scenarios/sweeps/glute_list.cfg").replace(b"../baseline.cfg",
                                                           os.path.join(src, "scenarios/baseline.cfg").encode())
    seeds = {
        "model": read("models/trunk_hip.model"),
        "scenario": read("scenarios/weak_glute_med_and_core.cfg"),
        "sweep": spec,
        "motion": read("tests/fixtures/motion/simm_mixed.mot"),
        "grf": read("tests/fixtures/motion/grf_windows.sto"),
    }
    totals = {"cases": 0, "exit 0": 0, "exit 2": 0, "exit 3": 0, "internal errors": 0, "crashes": 0,
              "check/run disagreements": 0}
    failures = []
    model_runs = 0
    for n in range(cases):
        kind = ["model", "model", "scenario", "sweep", "motion", "grf"][n % 6]
        case = os.path.join(work, f"case_{n:03d}_{kind}")
        os.makedirs(case)
        ext = {"model": "model", "scenario": "cfg", "sweep": "cfg", "motion": "mot", "grf": "sto"}[kind]
        path = os.path.join(case, "input." + ext)
        with open(path, "wb") as f:
            f.write(mutate(rng, seeds[kind]))
        out = os.path.join(case, "out.h5")
        if kind == "model":
            command = [exe, "model", "check", path]
        elif kind == "scenario":
            command = [exe, "run", path, "-o", out, "--quiet"]
        elif kind == "sweep":
            command = [exe, "sweep", path, "-o", out, "--quiet", "--stop-after", "1", "--max-points", "50"]
        else:
            motion = path if kind == "motion" else os.path.join(src, "tests/fixtures/motion/simm_mixed.mot")
            grf = path if kind == "grf" else os.path.join(src, "tests/fixtures/motion/grf_windows.sto")
            command = [exe, "run", "--motion.source=files", f"--motion.kinematics={motion}", f"--motion.grf={grf}",
                       "-o", out, "--quiet"]
        rc, output = run(command, case)
        totals["cases"] += 1
        if rc is None or rc < 0 or rc >= 128:
            totals["crashes"] += 1
            failures.append(f"case {n} ({kind}): crash or hang (exit {rc}): {output.strip()[:300]}")
        elif rc == 1:
            totals["internal errors"] += 1
            failures.append(f"case {n} ({kind}): internal error: {output.strip()[:300]}")
        elif f"exit {rc}" in totals:
            totals[f"exit {rc}"] += 1
        # A model that check accepts must run (at most a few runs: each simulates a stride).
        if kind == "model" and rc == 0 and model_runs < 4:
            model_runs += 1
            rrc, routput = run([exe, "run", f"--model.file={path}", "-o", out, "--quiet"], case)
            if rrc not in (0, 3):
                totals["check/run disagreements"] += 1
                failures.append(f"case {n} (model): check accepted it, run gave exit {rrc}: {routput.strip()[:300]}")
    for f in failures:
        print("mutate: FAILED " + f)
    print(f"mutate: seed {seed}, " + ", ".join(f"{k} {v}" for k, v in totals.items()))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
