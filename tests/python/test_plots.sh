#!/bin/bash
# The plotting scripts (scripts/plot_*.py) against a small run: default calls, calls with options,
# SVG and PDF output, a GIF animation, and error cases that must fail with a clear message.
# Usage: test_plots.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
set -u

if [ $# -ne 3 ]; then
    echo "usage: $0 IRAQSIM_BINARY SCRATCH_DIR REPO_DIR" >&2
    exit 2
fi
BIN=$1
SCRATCH=$2
REPO=$3
PY=/usr/bin/python3
SCRIPTS=$REPO/scripts

for mod in xarray matplotlib numpy h5py; do
    if ! $PY -c "import $mod" 2>/dev/null; then
        echo "SKIP: $PY cannot import $mod (install Debian's python3-$mod)" >&2
        exit 77
    fi
done

rm -rf "$SCRATCH"
mkdir -p "$SCRATCH" || exit 1
cd "$SCRATCH" || exit 1
export MPLCONFIGDIR=$SCRATCH/mplconfig
export MPLBACKEND=TkAgg  # the scripts must force Agg themselves and never open a window
unset DISPLAY

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

"$BIN" run -o run.h5 --replicates 4 --force -q >run.log 2>&1 || {
    cat run.log >&2
    echo "FAIL: iraqsim run failed" >&2
    exit 1
}

# check_image FILE MIN_BYTES: exists, right magic bytes for its extension, not trivially small
check_image() {
    local f=$1 min=$2
    if [ ! -s "$f" ]; then
        fail "$f was not written"
        return
    fi
    local size
    size=$(stat -c %s "$f")
    if [ "$size" -lt "$min" ]; then
        fail "$f is only $size bytes (expected at least $min)"
    fi
    case "$f" in
    *.png)
        [ "$(head -c 8 "$f" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "$f is not a PNG" ;;
    *.svg)
        head -c 400 "$f" | grep -q '<?xml' && grep -q '<svg' "$f" && tail -c 200 "$f" | grep -q '</svg>' ||
            fail "$f is not an SVG document" ;;
    *.pdf)
        [ "$(head -c 5 "$f")" = "%PDF-" ] || fail "$f is not a PDF" ;;
    *.gif)
        head -c 6 "$f" | grep -q '^GIF8[79]a' || fail "$f is not a GIF" ;;
    esac
}

# ok NAME OUTPUT MIN_BYTES SCRIPT ARGS...: the script succeeds and writes a valid OUTPUT
ok() {
    local name=$1 out=$2 min=$3 script=$4
    shift 4
    rm -f "$out"
    if ! $PY "$SCRIPTS/$script" "$@" >"$name.out" 2>"$name.err"; then
        fail "$name: $script $* exited with $?: $(cat "$name.err")"
        return
    fi
    check_image "$out" "$min"
    grep -q "wrote" "$name.out" || fail "$name: no 'wrote' line on stdout"
}

# bad NAME PATTERN SCRIPT ARGS...: the script fails (non-zero), says 'error:' and matches PATTERN
bad() {
    local name=$1 pattern=$2 script=$3
    shift 3
    $PY "$SCRIPTS/$script" "$@" >"$name.out" 2>"$name.err"
    local rc=$?
    [ "$rc" -ne 0 ] || fail "$name: $script $* succeeded; expected an error"
    grep -q "error:" "$name.err" || fail "$name: no 'error:' message (stderr: $(cat "$name.err"))"
    grep -qi -- "$pattern" "$name.err" || fail "$name: message does not mention '$pattern': $(cat "$name.err")"
    grep -q "Traceback" "$name.err" && fail "$name: a traceback instead of a message: $(cat "$name.err")"
}

# --help works and has examples
for s in plot_timeseries.py plot_ensemble.py plot_map.py; do
    $PY "$SCRIPTS/$s" --help >help.out 2>&1 || fail "$s --help failed"
    grep -q "examples:" help.out || fail "$s --help has no examples"
done

# plot_timeseries.py
ok ts_default run_timeseries_support.png 20000 plot_timeseries.py run.h5
ok ts_options ts_options.png 20000 plot_timeseries.py run.h5 --var support,us_troops \
    --province "Salah ad-Din",ANBAR --faction sunni_parties,"Secular nationalists" --replicate 1 \
    --from 2006-01-01 --to 2009-12-31 -o ts_options.png
ok ts_svg ts.svg 20000 plot_timeseries.py run.h5 --var us_troops --province baghdad,national -o ts.svg
ok ts_pdf ts_fmt.pdf 5000 plot_timeseries.py run.h5 --var loyalty --community sunni_arab --faction jam \
    -o ts_fmt --format pdf
bad ts_missing "no such file" plot_timeseries.py missing.h5
bad ts_var "unknown variable 'bogus'" plot_timeseries.py run.h5 --var bogus
bad ts_province "unknown province 'atlantis'" plot_timeseries.py run.h5 --province atlantis
bad ts_faction "unknown faction" plot_timeseries.py run.h5 --faction nobody
bad ts_date "outside the run" plot_timeseries.py run.h5 --from 1999-01-01
bad ts_replicate "replicate 9" plot_timeseries.py run.h5 --replicate 9
bad ts_notfile "cannot read" plot_timeseries.py run.log

# plot_ensemble.py
ok en_default run_ensemble_support.png 30000 plot_ensemble.py run.h5
ok en_options en_options.png 20000 plot_ensemble.py run.h5 --province baghdad --faction jam,isci \
    --from 2005-01-01 -o en_options.png
ok en_svg en.svg 20000 plot_ensemble.py run.h5 --var us_troops -o en.svg
bad en_var "unknown variable" plot_ensemble.py run.h5 --var nothing
bad en_province "unknown province" plot_ensemble.py run.h5 --province nowhere
bad en_missing "no such file" plot_ensemble.py nothing.h5

# plot_map.py
ok map_default run_map_control.png 20000 plot_map.py run.h5
ok map_options map_options.png 20000 plot_map.py run.h5 --var support --faction "Sadrists / Jaish al-Mahdi" \
    --date 2008-03-25 --replicate 0 -o map_options.png
ok map_svg map.svg 20000 plot_map.py run.h5 --var us_troops --date 2007-10-01 -o map.svg
grep -q "ESOC Iraq v3" map.svg || fail "map.svg lacks the ESOC credit line"
ok map_gif troops.gif 5000 plot_map.py run.h5 --var us_troops --animate troops.gif --every 52 --dpi 50
bad map_date "outside the run" plot_map.py run.h5 --date 2015-01-01
bad map_faction "unknown faction" plot_map.py run.h5 --var support --faction martians
bad map_needs_faction "choose one with --faction" plot_map.py run.h5 --var support
bad map_var "unknown variable" plot_map.py run.h5 --var nothing
bad map_missing "no such file" plot_map.py absent.h5
bad map_animate "gif or .mp4" plot_map.py run.h5 --animate out.avi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed; outputs in $SCRATCH" >&2
    exit 1
fi
echo "all plot checks passed"
