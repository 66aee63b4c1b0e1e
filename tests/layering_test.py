#!/usr/bin/env python3
"""The layering of sim/ (docs/architecture.md), as far as the compiler cannot check it:

1. every folder of sim/ is a library of CMakeLists.txt, and every .cpp of it is in that
   library (an unlisted file would hide from the layering the build enforces);
2. a header whose first line says "Private to <folder>/" is included by no file outside that
   folder (tests included);
3. no library file outside app/ includes the command-line layer (cli*.h; tests may drive the
   program through it), and no file outside io/
   (and the Python module that mirrors it) spells an HDF5 dataset path of a run.

Usage: layering_test.py SOURCE_DIR. Prints what it checked; exit 1 on the first violation.
"""
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
sim = os.path.join(root, "sim")
cmake = open(os.path.join(root, "CMakeLists.txt"), encoding="utf-8").read()
failures = []


def sources(top, exts):
    for dirpath, _, files in os.walk(top):
        for f in sorted(files):
            if f.endswith(exts):
                yield os.path.join(dirpath, f)


folders = sorted(d for d in os.listdir(sim) if os.path.isdir(os.path.join(sim, d)))
checked = 0
for folder in folders:
    if f"add_library(corestride_{folder} " not in cmake:
        failures.append(f"sim/{folder}/ is not a library corestride_{folder} in CMakeLists.txt")
    for path in sources(os.path.join(sim, folder), (".cpp",)):
        rel = os.path.relpath(path, root)
        checked += 1
        if rel not in cmake and not rel.endswith(("main.cpp", "main_mpi.cpp")):
            failures.append(f"{rel} is not listed in CMakeLists.txt")

private = {}
for path in sources(sim, (".h",)):
    first = open(path, encoding="utf-8").readline()
    m = re.match(r"// Private to (\w+)/", first)
    if m:
        private[os.path.basename(path)] = m.group(1)
include = re.compile(r'#include "([^"]+)"')
users = 0
for top in ("sim", "tests", "bench"):
    for path in sources(os.path.join(root, top), (".cpp", ".h")):
        rel = os.path.relpath(path, root)
        text = open(path, encoding="utf-8").read()
        for name in include.findall(text):
            owner = private.get(os.path.basename(name))
            if owner and not rel.startswith(f"sim/{owner}/"):
                failures.append(f"{rel} includes {name}, private to {owner}/")
            if top == "sim" and os.path.basename(name).startswith("cli") and not rel.startswith("sim/app/"):
                failures.append(f"{rel} includes the command-line layer ({name})")
        users += 1
        if top == "sim" and not rel.startswith("sim/io/") and re.search(r'"/(runs|sweep|exercises|stick)/', text):
            # Comments may name paths; code must not.
            code = "\n".join(l for l in text.splitlines() if not l.strip().startswith("//"))
            if re.search(r'"/(runs|sweep|exercises|stick)/', code):
                failures.append(f"{rel} spells an HDF5 dataset path (only io/ may)")

for f in failures:
    print("layering_test: FAIL:", f)
print(f"layering_test: {len(folders)} folders, {checked} sources listed, {len(private)} private headers, "
      f"{users} files scanned for includes")
sys.exit(1 if failures else 0)
