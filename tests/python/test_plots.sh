#!/bin/bash
# The plotting scripts (scripts/plot_*.py) against small runs and sweeps: default calls, calls with
# options, SVG and PDF output, a GIF animation, and error cases that must fail with a clear message.
# plot_compare.py gets a baseline and a what-if (scenarios/whatif/no-surge.toml) of the same seed and
# files that cannot pair; plot_sweep.py tiny Morris and Saltelli sweeps (tests/python/sweep-*.toml).
# Usage: test_plots.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR [GROUP]
# GROUP: basic (plot_timeseries, plot_ensemble, plot_map), analysis (plot_compare, plot_sweep,
# plot_observed) or all (the default); ctest runs the two groups as two tests.
set -u

extra_usage="[basic|analysis|all]"
. "$(dirname "$0")/preamble.sh"
python_test_start "xarray matplotlib numpy h5py" "$@"
GROUP=${EXTRA:-all}
case $GROUP in
basic | analysis | all) ;;
*) echo "$0: unknown group '$GROUP' (basic, analysis or all)" >&2; exit 2 ;;
esac
want() { [ "$GROUP" = all ] || [ "$GROUP" = "$1" ]; }
SCRIPTS=$REPO/scripts

"$BIN" run -o run.h5 --replicates 4 --force -q >run.log 2>&1 || {
    cat run.log >&2
    echo "FAIL: iraqsim run failed" >&2
    exit 1
}

# plot_compare.py: a what-if of the same seed, and files that must not pair with the baseline
quiet_run() { "$BIN" run "$@" --force -q >>run.log 2>&1 || { cat run.log >&2; echo "FAIL: iraqsim run $* failed" >&2; exit 1; }; }
if want analysis; then
quiet_run "$REPO/scenarios/whatif/no-surge.toml" -o whatif.h5 --replicates 4
quiet_run "$REPO/scenarios/whatif/no-surge.toml" -o seed7.h5 --replicates 4 --seed 7
quiet_run -o two.h5 --replicates 2
quiet_run -o short.h5 --replicates 4 --set scenario.end=2005-12-31
quiet_run -o every2.h5 --replicates 4 --set output.every_weeks=2
# plot_sweep.py: a Morris design with a date parameter and a Saltelli design (Sobol indices)
for s in morris saltelli; do
    "$BIN" sweep "$REPO/tests/python/sweep-$s-tiny.toml" -o "sweep-$s" --set scenario.end=2006-12-31 -q \
        >sweep.log 2>&1 || { cat sweep.log >&2; echo "FAIL: iraqsim sweep $s failed" >&2; exit 1; }
done
fi

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
helps="plot_timeseries.py plot_ensemble.py plot_map.py"
want analysis && helps="$helps plot_compare.py plot_sweep.py plot_observed.py"
want basic || helps=${helps#plot_timeseries.py plot_ensemble.py plot_map.py }
for s in $helps; do
    $PY "$SCRIPTS/$s" --help >help.out 2>&1 || fail "$s --help failed"
    grep -q "examples:" help.out || fail "$s --help has no examples"
done

if want basic; then
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
fi

if want analysis; then
# plot_compare.py
ok cmp_default whatif_vs_run_civilian_deaths.png 20000 plot_compare.py run.h5 whatif.h5
grep -q "median" cmp_default.out || fail "cmp_default: no summary line on stdout"
ok cmp_options cmp_options.png 20000 plot_compare.py run.h5 whatif.h5 --var attacks_on_us \
    --province Baghdad,ANBAR --per year -o cmp_options.png
ok cmp_share cmp.svg 20000 plot_compare.py run.h5 whatif.h5 --var support --faction awakening \
    --province anbar --per week --from 2006-06-01 --to 2009-12-31 -o cmp.svg
ok cmp_faction cmp.pdf 5000 plot_compare.py run.h5 whatif.h5 --var attacks_by --faction jam,special_groups \
    -o cmp --format pdf
bad cmp_seed "same seed" plot_compare.py run.h5 seed7.h5
bad cmp_replicates "4 and 2 replicates" plot_compare.py run.h5 two.h5
bad cmp_time "time axes differ" plot_compare.py run.h5 short.h5
bad cmp_every "every 2 weeks" plot_compare.py every2.h5 every2.h5 --var civilian_deaths
bad cmp_share_needs_faction "choose one with --faction" plot_compare.py run.h5 whatif.h5 --var support
bad cmp_var "no variable 'bogus'" plot_compare.py run.h5 whatif.h5 --var bogus
bad cmp_dims "dimension" plot_compare.py run.h5 whatif.h5 --var backing
bad cmp_province "unknown province" plot_compare.py run.h5 whatif.h5 --province atlantis
bad cmp_missing "no such file" plot_compare.py run.h5 absent.h5
bad cmp_sweep "sweep file" plot_compare.py run.h5 sweep-morris/sweep.h5

# plot_sweep.py
ok sw_morris sweep-morris-tiny_sweep_total_civilian_deaths.png 20000 plot_sweep.py sweep-morris/sweep.h5
ok sw_dir sw_dir.png 20000 plot_sweep.py sweep-morris --metric final_support_jam --param diffusion_rate \
    -o sw_dir.png
ok sw_sobol sw_sobol.svg 20000 plot_sweep.py sweep-saltelli/sweep.h5 --metric peak_attacks -o sw_sobol.svg
grep -q "Sobol" sw_sobol.svg || fail "sw_sobol.svg has no Sobol panel"
ok sw_noindex sw_noindex.pdf 5000 plot_sweep.py sweep-saltelli --no-indices -o sw_noindex.pdf
bad sw_metric "no metric 'bogus'" plot_sweep.py sweep-morris --metric bogus
bad sw_param "no swept parameter 'nothing'" plot_sweep.py sweep-morris --param nothing
bad sw_run "not an iraqsim sweep file" plot_sweep.py run.h5
bad sw_missing "no such file" plot_sweep.py absent/sweep.h5

# plot_observed.py
ok obs_default run_observed.png 20000 plot_observed.py run.h5
ok obs_options obs.svg 20000 plot_observed.py run.h5 --series civilian_deaths,attacks --to 2007-12-31 \
    --events -o obs.svg
grep -q "Iraq Body Count" obs.svg || fail "obs.svg lacks the IBC credit line"
grep -q "ESOC Iraq v3" obs.svg || fail "obs.svg lacks the ESOC credit line"
ok obs_log obs.pdf 5000 plot_observed.py run.h5 --series us_fatalities --log -o obs.pdf
bad obs_series "unknown series" plot_observed.py run.h5 --series casualties
bad obs_every "every 2 weeks" plot_observed.py every2.h5
bad obs_data "not found" plot_observed.py run.h5 --data-dir "$SCRATCH"
bad obs_missing "no such file" plot_observed.py absent.h5
fi

finish_checks "all plot checks passed ($GROUP)"
