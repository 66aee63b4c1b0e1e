"""The Python scripts' copy of the HDF5 layout (analysis/results_schema.py) against its C++
owner (sim/io/results_schema.cpp), and that plot.py and report.py spell no path themselves.

DUMP prints the C++ schema: lines `#format<TAB>corestride`, `#format_version<TAB>1`,
`#analysis_format<TAB>...`, `#analysis_format_version<TAB>...`, then one line per entry,
`name<TAB>path template<TAB>units`. Every name must be on both sides with the same template and
units, and the four format constants must be equal. Every difference is printed; exit 1 if
there is one (or DUMP prints no entry), else 0.

usage: /usr/bin/python3 results_schema_python_test.py DUMP ANALYSIS_DIR
"""
import io
import os
import subprocess
import sys
import tokenize

# The first components of every path of results_schema: a string literal in the scripts that
# starts with one of these is a path spelled outside the schema.
PATH_STARTS = ("runs/", "/runs", "exercises/", "/exercises", "/summary", "sensitivity/",
               "/sensitivity", "differences/", "/differences", "stick/")
SCRIPTS = ("plot.py", "report.py")


def read_dump(exe, problems):
    """({format key: value}, {name: (template, units)}) printed by the C++ tool."""
    try:
        p = subprocess.run([exe], capture_output=True, text=True)
    except OSError as e:
        problems.append("%s: cannot run (%s)" % (exe, e))
        return {}, {}
    if p.returncode != 0:
        problems.append("%s exited with %d: %s" % (exe, p.returncode, p.stderr.strip()))
    formats, entries = {}, {}
    for number, line in enumerate(p.stdout.splitlines(), 1):
        fields = line.split("\t")
        if line.startswith("#"):
            if len(fields) != 2:
                problems.append("dump line %d: not '#key<TAB>value': %r" % (number, line))
            else:
                formats[fields[0][1:]] = fields[1]
        elif len(fields) != 3:
            problems.append("dump line %d: not 'name<TAB>path<TAB>units': %r" % (number, line))
        elif fields[0] in entries:
            problems.append("dump line %d: %s printed twice" % (number, fields[0]))
        else:
            entries[fields[0]] = (fields[1], fields[2])
    return formats, entries


def compare_formats(schema, formats, problems):
    python = {"format": schema.FORMAT, "format_version": schema.FORMAT_VERSION,
              "analysis_format": schema.ANALYSIS_FORMAT,
              "analysis_format_version": schema.ANALYSIS_FORMAT_VERSION}
    for key, value in python.items():
        if key not in formats:
            problems.append("#%s: not printed by the C++ dump" % key)
            continue
        cpp = formats[key]
        if isinstance(value, int):
            try:
                cpp = int(cpp)
            except ValueError:
                pass
        if type(value) is not type(cpp) or value != cpp:
            problems.append("#%s: C++ %r, Python %r" % (key, formats[key], value))
    for key in formats:
        if key not in python:
            problems.append("#%s: printed by the C++ dump, unknown to this test" % key)


def compare_entries(schema, entries, problems):
    names = set(entries) | set(schema.PATHS) | set(schema.UNITS)
    for name in sorted(names):
        if name not in entries:
            problems.append("%s: in results_schema.py, not in results_schema.cpp" % name)
            continue
        template, units = entries[name]
        if name not in schema.PATHS:
            problems.append("%s: in results_schema.cpp, not in results_schema.py PATHS" % name)
        elif schema.PATHS[name] != template:
            problems.append("%s: path template C++ %r, Python %r" % (name, template,
                                                                     schema.PATHS[name]))
        if name not in schema.UNITS:
            problems.append("%s: in results_schema.cpp, not in results_schema.py UNITS" % name)
        elif schema.UNITS[name] != units:
            problems.append("%s: units C++ %r, Python %r" % (name, units, schema.UNITS[name]))


def literal_starts(source):
    """(line, text at the start) of every string literal in Python source (an f-string's text
    before its first replacement field)."""
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    for k, tok in enumerate(tokens):
        kind = tokenize.tok_name[tok.type]
        if kind == "STRING":
            body = tok.string.lstrip("rRbBuUfF")
            quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
            yield tok.start[0], body[len(quote):-len(quote)]
        elif kind == "FSTRING_START" and k + 1 < len(tokens):      # Python 3.12 and later
            after = tokens[k + 1]
            yield tok.start[0], after.string if tokenize.tok_name[after.type] == "FSTRING_MIDDLE" else ""


def scan_scripts(folder, problems):
    for script in SCRIPTS:
        path = os.path.join(folder, script)
        try:
            with open(path, encoding="utf-8") as f:
                source = f.read()
        except OSError as e:
            problems.append("%s: cannot read (%s)" % (path, e))
            continue
        for line, text in literal_starts(source):
            if text.startswith(PATH_STARTS):
                problems.append("%s:%d: a string literal spells an HDF5 path (%r); take it from "
                                "results_schema.path()" % (script, line, text.split("\n")[0][:60]))


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    exe, folder = argv[1], argv[2]
    sys.path.insert(0, os.path.abspath(folder))
    import results_schema  # noqa: E402 -- from ANALYSIS_DIR

    problems = []
    formats, entries = read_dump(exe, problems)
    if not entries:
        problems.append("%s printed no schema entry" % exe)
    compare_formats(results_schema, formats, problems)
    compare_entries(results_schema, entries, problems)
    scan_scripts(folder, problems)
    for p in problems:
        print("results_schema_python: " + p)
    if problems:
        print("results_schema_python: FAILED, %d problem(s)" % len(problems))
        return 1
    print("results_schema_python: %d entries agree" % len(entries))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
