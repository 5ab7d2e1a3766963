#!/bin/bash
# The outputs of `iraqsim run`, a single run and an ensemble, open with every reader docs/output.md
# names that this machine can run: xarray with the netcdf4 and h5netcdf engines, pandas through
# xarray and h5py (check_output.py), and `ncdump -h` (netCDF-C). Exit 77 (skip) only when a reader is
# not installed (Debian: python3-netcdf4, python3-h5netcdf, netcdf-bin; scripts/install-deps.sh).
# Usage: test_readers.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
set -u

. "$(dirname "$0")/preamble.sh"
python_test_start "xarray numpy h5py" "$@"
skipped=0

"$BIN" run -o single.h5 --replicates 1 -q >run.log 2>&1 || fail "iraqsim run (1 replicate) failed: $(cat run.log)"
"$BIN" run -o ensemble.h5 --replicates 3 --seed 5 -q >run.log 2>&1 || fail "iraqsim run (3 replicates) failed: $(cat run.log)"

for case in "single.h5 1" "ensemble.h5 3"; do
    set -- $case
    [ -s "$1" ] || continue
    $PY "$REPO/tests/python/check_output.py" "$1" --replicates "$2" >check.out 2>check.err
    rc=$?
    cat check.out
    if [ $rc -eq 77 ]; then
        cat check.err >&2
        skipped=1
    elif [ $rc -ne 0 ]; then
        fail "check_output.py $1: $(cat check.err)"
    fi
    if command -v ncdump >/dev/null; then
        if ncdump -h "$1" >ncdump.out 2>ncdump.err; then
            for want in "replicate = $2 ;" "time = " "province = 18 ;" "faction = 10 ;" \
                        'time:units = "days since 2003-01-01" ;' \
                        "float support(replicate, time, province, faction) ;" \
                        "string province(province) ;" ':Conventions = "CF-1.8" ;'; do
                grep -qF -- "$want" ncdump.out || fail "ncdump -h $1 lacks '$want'"
            done
            ncdump -v province_name "$1" 2>&1 | grep -q '"Salah ad-Din"' || fail "ncdump -v province_name $1: no display names"
            echo "$1: ncdump -h reads it"
        else
            fail "ncdump -h $1 failed: $(cat ncdump.err)"
        fi
    else
        echo "SKIP: ncdump not installed (Debian: netcdf-bin)" >&2
        skipped=1
    fi
done

[ "$skipped" -eq 0 ] || [ "$failures" -ne 0 ] || exit 77
finish_checks "all reader checks passed"
