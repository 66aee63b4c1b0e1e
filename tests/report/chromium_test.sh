#!/usr/bin/env bash
# Writes the report of the small exercises study and opens it in headless Chromium
# (chromium_check.py): it must render (screenshot not blank), every image must load, and the
# console must stay free of errors. Exit 77 (skipped) when chromium or chromedriver is absent,
# unless CORESTRIDE_REQUIRE_CHROMIUM=1 (scripts/test sets it: there the browser is installed,
# so a skip would hide a broken setup).
# usage: chromium_test.sh CORESTRIDE DATA_DIR WORK_DIR
set -euo pipefail
corestride=$1
data=$2
work=$3
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$work"
mkdir -p "$work"
"$corestride" report "$data/exercises.h5" -o "$work/report" >/dev/null
rc=0
/usr/bin/python3 "$here/chromium_check.py" "$work/report/index.html" "$work/screenshot.png" || rc=$?
if [ "$rc" -eq 77 ] && [ "${CORESTRIDE_REQUIRE_CHROMIUM:-0}" = 1 ]; then
  echo "chromium_test.sh: CORESTRIDE_REQUIRE_CHROMIUM=1 but the browser check was skipped" >&2
  exit 1
fi
exit "$rc"
