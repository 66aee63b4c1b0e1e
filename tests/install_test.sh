#!/usr/bin/env bash
# install_test.sh BUILD_DIR WORK_DIR: `cmake --install` into a fresh prefix, then, from a
# directory outside the source tree and with no CORESTRIDE_* variables, the installed program
# must use the installed data (not the source tree it was built from) and run the demo study
# with its report.
set -euo pipefail
build=$1 work=$2
rm -rf "$work"
mkdir -p "$work/elsewhere"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
exe="$work/prefix/bin/corestride"
share="$work/prefix/share/corestride"
cd "$work/elsewhere"
unset CORESTRIDE_DATA CORESTRIDE_MODEL
first=$("$exe" model info | sed -n 1p)
if [ "$first" != "file $share/models/trunk_hip.model" ]; then
  echo "install_test: the installed program uses '$first', not $share/models/trunk_hip.model" >&2
  exit 1
fi
"$exe" exercises "$share/scenarios/weak_glute_med_and_core.cfg" -o ex.h5 --quiet
"$exe" report ex.h5 -o report >/dev/null
for f in ex.h5 report/index.html; do
  [ -s "$f" ] || { echo "install_test: $f missing after the installed demo study" >&2; exit 1; }
done
echo "install_test: installed program ran the demo study from $work/elsewhere with data from $share"
