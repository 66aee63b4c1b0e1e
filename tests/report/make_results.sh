#!/usr/bin/env bash
# Fixture of the figure and report tests: a small exercises study (two strides, so that the
# curves have a standard deviation) and a 2 x 2 sweep with time series, written into DIR.
# usage: make_results.sh CORESTRIDE DIR
set -euo pipefail
corestride=$1
dir=$2
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$dir"
mkdir -p "$dir"
"$corestride" exercises "$here/../../scenarios/weak_glute_med_and_core.cfg" --running.strides=2 \
  -o "$dir/exercises.h5" --quiet >/dev/null
"$corestride" sweep "$here/tiny_sweep.cfg" -o "$dir/sweep.h5" --jobs 2 --save=timeseries --quiet >/dev/null
"$corestride" run "$here/../../scenarios/baseline.cfg" -o "$dir/baseline.h5" --quiet >/dev/null
echo "results in $dir"
