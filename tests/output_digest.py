#!/usr/bin/env python3
"""Bitwise guard on what `run` and `sweep` write.

    output_digest.py CORESTRIDE WORKDIR DIGEST.tsv [--update]

Runs the baseline scenario and the three-point list sweep (time series saved), takes a
SHA-256 of every dataset and every attribute of both files, and compares them with the
committed digests in DIGEST.tsv. Left out, because they change from run to run or from
machine to machine without any change of the code's results: the wall times (`wall_time_s`
attributes and the `wall_time_s` column of a sweep's /summary), the software version
attribute and the sweep's absolute `spec_file` path.

A change that is meant to move results (a physics fix) regenerates the file with --update and
says so in its commit; a refactor must leave it untouched (issue 11: same results, bitwise).
Exit 0 when every digest matches, 1 when some differ (each one is listed), 2 on bad use.
"""
import hashlib
import os
import subprocess
import sys

import h5py
import numpy as np

SKIP_ATTRIBUTES = {"wall_time_s", "software_version", "spec_file"}


def _bytes(value):
    """A canonical byte string of an HDF5 value (numbers: dtype and raw bytes)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    array = np.asarray(value)
    if array.dtype.kind in "OSU":
        return repr([x.decode() if isinstance(x, bytes) else str(x) for x in array.ravel()]).encode() + repr(array.shape).encode()
    return array.dtype.str.encode() + repr(array.shape).encode() + np.ascontiguousarray(array).tobytes()


def digests(path, label):
    out = {}
    with h5py.File(path, "r") as f:
        def attributes(name, obj):
            for key, value in obj.attrs.items():
                if key not in SKIP_ATTRIBUTES:
                    out[f"{label}:{name}@{key}"] = hashlib.sha256(_bytes(value)).hexdigest()

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                data = obj[()]
                if name == "summary" and "columns" in obj.attrs:
                    columns = [c.decode() if isinstance(c, bytes) else str(c) for c in obj.attrs["columns"]]
                    keep = [i for i, c in enumerate(columns) if c != "wall_time_s"]
                    data = np.asarray(data)[:, keep]
                out[f"{label}:/{name}"] = hashlib.sha256(_bytes(data)).hexdigest()
            attributes("/" + name, obj)

        attributes("/", f)
        f.visititems(visit)
    return out


def main(argv):
    if len(argv) not in (4, 5) or (len(argv) == 5 and argv[4] != "--update"):
        print(__doc__, file=sys.stderr)
        return 2
    exe, work, table = argv[1], argv[2], argv[3]
    update = len(argv) == 5
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    os.makedirs(work, exist_ok=True)
    run_file, sweep_file = os.path.join(work, "baseline.h5"), os.path.join(work, "sweep.h5")
    for command in (
        [exe, "run", os.path.join(root, "scenarios", "baseline.cfg"), "-o", run_file, "--overwrite", "--quiet"],
        [exe, "sweep", os.path.join(root, "scenarios", "sweeps", "glute_list.cfg"), "-o", sweep_file,
         "--save=timeseries", "--jobs", "2", "--overwrite", "--quiet"],
    ):
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if done.returncode != 0:
            print(f"output_digest: {' '.join(command)} exited {done.returncode}:\n{done.stdout}", file=sys.stderr)
            return 1
    now = {}
    now.update(digests(run_file, "run"))
    now.update(digests(sweep_file, "sweep"))
    if update:
        with open(table + ".tmp", "w") as f:
            f.write("# entry\tsha256 (tests/output_digest.py; regenerate with --update only for a change meant to move results)\n")
            for key in sorted(now):
                f.write(f"{key}\t{now[key]}\n")
        os.replace(table + ".tmp", table)
        print(f"output_digest: {len(now)} digests written to {table}")
        return 0
    committed = {}
    with open(table) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            key, value = line.rstrip("\n").split("\t")
            committed[key] = value
    differ = sorted(k for k in set(now) | set(committed) if now.get(k) != committed.get(k))
    for key in differ:
        state = "missing now" if key not in now else "new" if key not in committed else "differs"
        print(f"output_digest: {key}: {state}")
    print(f"output_digest: {len(now)} digests, {len(differ)} differ from {table}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
