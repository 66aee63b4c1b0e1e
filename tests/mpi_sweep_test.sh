#!/usr/bin/env bash
# The MPI sweep driver gives the threaded run's file (docs/sweeps.md), bitwise except wall time.
# Usage: mpi_sweep_test.sh CORESTRIDE_MPI SWEEP_COMPARE [MPIRUN]   (ctest passes them; CORESTRIDE_MPI=ON)
# (the plain corestride is expected next to corestride-mpi)
set -euo pipefail
corestride=$1
compare=$2
mpirun=${3:-mpirun}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
scenarios="$(cd "$(dirname "$0")/../scenarios" && pwd)"
cat > "$dir/spec.cfg" <<SPEC
[sweep]
base = $scenarios/baseline.cfg
design = grid

[parameters]
weakness.glute_med = 0 .. 0.4, 3
SPEC
# As root (CI containers) Open MPI wants --allow-run-as-root; 2 ranks may exceed the cores.
mpiflags=(--oversubscribe)
[ "$(id -u)" -eq 0 ] && mpiflags+=(--allow-run-as-root)

"$corestride" sweep "$dir/spec.cfg" -o "$dir/threads.h5" --jobs 2 --quiet
"$mpirun" "${mpiflags[@]}" -n 2 "$corestride" sweep "$dir/spec.cfg" -o "$dir/mpi.h5" --quiet
"$compare" "$dir/threads.h5" "$dir/mpi.h5"
[ ! -e "$dir/mpi.h5.journal" ] || { echo "journal left behind" >&2; exit 1; }

# Interrupted under MPI (1 point), resumed under MPI: still the same file.
"$mpirun" "${mpiflags[@]}" -n 2 "$corestride" sweep "$dir/spec.cfg" -o "$dir/resumed.h5" --quiet --stop-after 1
[ -e "$dir/resumed.h5.journal" ] && [ ! -e "$dir/resumed.h5" ]
"$mpirun" "${mpiflags[@]}" -n 2 "$corestride" sweep "$dir/spec.cfg" -o "$dir/resumed.h5" --quiet
"$compare" "$dir/threads.h5" "$dir/resumed.h5"

# Bad input under MPI: exit 2 from rank 0, no rank left hanging.
rc=0
"$mpirun" "${mpiflags[@]}" -n 2 "$corestride" sweep "$dir/spec.cfg" -o "$dir/ts.h5" --save=timeseries --quiet || rc=$?
[ "$rc" -eq 2 ] || { echo "expected exit 2 for --save=timeseries under MPI, got $rc" >&2; exit 1; }

# The threaded program started on 2 ranks refuses (each rank would write the whole sweep).
rc=0
"$mpirun" "${mpiflags[@]}" -n 2 "$(dirname "$corestride")/corestride" sweep "$dir/spec.cfg" -o "$dir/plain.h5" --quiet 2>"$dir/plain.err" || rc=$?
[ "$rc" -ne 0 ] && grep -q "use corestride-mpi" "$dir/plain.err" && [ ! -e "$dir/plain.h5" ] ||
  { echo "plain corestride under mpirun -n 2: expected a refusal naming corestride-mpi, got $rc" >&2; cat "$dir/plain.err" >&2; exit 1; }
echo "mpi_sweep_test: ok"
