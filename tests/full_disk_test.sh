#!/usr/bin/env bash
# full_disk_test.sh CORESTRIDE SOURCE_DIR WORK_DIR: writing results onto a full disk must end
# with a clear error (exit 2), no file at the final name and no temporary file left, never a
# crash. The full disk is a file-size limit (ulimit -f, SIGXFSZ ignored): writes fail with
# EFBIG, through the same path as ENOSPC (HDF5 cannot flush the file). It used to exit 139:
# HDF5's exit-time cleanup crashed on the file whose flush had failed.
set -uo pipefail
exe=$1 src=$2 work=$3
umount "$work/tmpfs" 2>/dev/null   # left mounted by a killed earlier run
rm -rf "$work"; mkdir -p "$work"
fail=0
check() {   # check NAME RC OUTPUT PATTERN
  local name=$1 rc=$2 out=$3
  if [ "$rc" -ne 2 ]; then echo "full_disk_test: $name exited $rc, expected 2: $out" >&2; fail=1; fi
  if ! grep -q "cannot" <<<"$out"; then echo "full_disk_test: $name: no clear message: $out" >&2; fail=1; fi
}
out=$(bash -c "trap '' XFSZ; ulimit -f 100; exec '$exe' run '$src/scenarios/baseline.cfg' -o '$work/run.h5' --quiet" 2>&1)
check run $? "$out"
[ -e "$work/run.h5" ] && { echo "full_disk_test: run left $work/run.h5" >&2; fail=1; }
out=$(bash -c "trap '' XFSZ; ulimit -f 100; exec '$exe' sweep '$src/scenarios/sweeps/glute_list.cfg' -o '$work/sweep.h5' --save=timeseries --jobs 1 --quiet" 2>&1)
check sweep $? "$out"
[ -e "$work/sweep.h5" ] && { echo "full_disk_test: sweep left $work/sweep.h5" >&2; fail=1; }
# The same on a real full file system (a 400 KiB tmpfs) where this machine lets us mount one.
mnt="$work/tmpfs"
mkdir -p "$mnt"
if mount -t tmpfs -o size=400k tmpfs "$mnt" 2>/dev/null; then
  out=$("$exe" run "$src/scenarios/baseline.cfg" -o "$mnt/run.h5" --quiet 2>&1)
  check "run on a full tmpfs" $? "$out"
  [ -n "$(ls -A "$mnt")" ] && { echo "full_disk_test: files left on the full tmpfs: $(ls -A "$mnt")" >&2; fail=1; }
  umount "$mnt"
else
  echo "full_disk_test: cannot mount a tmpfs here; the tmpfs variant is skipped (the file-size limit above ran)"
fi
left=$(find "$work" -name '*.tmp.*' | head -3)
[ -n "$left" ] && { echo "full_disk_test: temporary files left: $left" >&2; fail=1; }
[ "$fail" -eq 0 ] && echo "full_disk_test: run and sweep on a full disk: exit 2, clear message, nothing left"
exit "$fail"
