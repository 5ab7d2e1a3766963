#!/usr/bin/env bash
# One end-to-end case of the iraqsim command line: cli_test.sh CASE IRAQSIM SCRATCH_DIR PYTHON TESTS_DIR.
# Each case asserts exit codes, messages and files, and fails loudly with what it saw.
set -uo pipefail
case_name=$1 iraqsim=$2 scratch=$3 python=$4 tests_dir=$5
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"  # fail, expect, contains
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1

no_partial() { ! ls -A . "${1:-.}" 2>/dev/null | grep -q partial || fail "a partial file was left behind"; }

case $case_name in
  help)
    expect 0 "$iraqsim" --help; contains out "Usage: iraqsim"; contains out "Exit codes"
    expect 0 "$iraqsim" run --help; contains out "--replicates"; contains out "--force"
    expect 0 "$iraqsim" info --help
    expect 2 "$iraqsim"; expect 2 "$iraqsim" frobnicate; contains err "unknown command" ;;
  version)
    expect 0 "$iraqsim" --version; contains out "iraqsim 0."; contains out "HDF5 1.10" ;;
  default_run)
    expect 0 "$iraqsim" run -o base.h5; contains out "wrote base.h5"; contains out "weeks/s"
    contains out "2003-05-01"; [[ -s base.h5 ]] || fail "no output file"; no_partial ;;
  same_seed_same_bytes)
    expect 0 "$iraqsim" run -o a.h5 --seed 7 --replicates 3 -q
    expect 0 "$iraqsim" run -o b.h5 --seed 7 --replicates 3 -q
    cmp a.h5 b.h5 || fail "same seed, different bytes" ;;
  threads_same_bytes)
    expect 0 "$iraqsim" run -o t1.h5 --replicates 6 --threads 1 -q
    expect 0 "$iraqsim" run -o t2.h5 --replicates 6 --threads 2 -q
    cmp t1.h5 t2.h5 || fail "1 and 2 threads give different bytes" ;;
  checkpoint_resume)
    # Checkpoint and restart (docs/agents.md): a run stopped at a checkpoint and resumed writes the
    # same datasets as an uninterrupted run, in aggregate and agents mode; the checkpoint is deleted
    # once the output is written; damaged checkpoints are refused, naming the file.
    agents="$tests_dir/../scenarios/agents/baseline-agents.toml"
    short=(--set scenario.end=2007-06-28 --replicates 2 --seed 5)
    expect 0 "$iraqsim" run --help; contains out "--checkpoint-every"; contains out "--stop-at-week"
    expect 0 "$iraqsim" resume --help; contains out "CHECKPOINT"
    expect 0 "$iraqsim" run "${short[@]}" -o whole.h5 -q
    expect 0 "$iraqsim" run "${short[@]}" -o cut.h5 --checkpoint-every 30 --stop-at-week 100
    contains out "iraqsim resume cut.h5.checkpoint"
    [[ -s cut.h5.checkpoint && ! -e cut.h5 ]] || fail "a stopped run must leave its checkpoint and no output"
    expect 2 "$iraqsim" resume cut.h5.checkpoint --stop-at-week 50; contains err "after the checkpoint's week"
    head -c 5000 cut.h5.checkpoint > truncated.checkpoint
    expect 4 "$iraqsim" resume truncated.checkpoint -o never.h5; contains err "truncated.checkpoint"
    contains err "truncated or corrupt"; [[ ! -e never.h5 ]] || fail "output written from a truncated checkpoint"
    expect 4 "$iraqsim" resume whole.h5; contains err "not an iraqsim checkpoint"
    expect 0 "$iraqsim" resume cut.h5.checkpoint --threads 1 -q
    [[ -s cut.h5 && ! -e cut.h5.checkpoint ]] || fail "resume must write the output and delete the checkpoint"
    expect 0 "$iraqsim" run "$agents" "${short[@]}" -o agents_whole.h5 --set population.persons_per_agent=1000 -q
    expect 0 "$iraqsim" run "$agents" "${short[@]}" -o agents_cut.h5 --set population.persons_per_agent=1000 \
      --checkpoint ck.bin --stop-at-week 60 -q
    expect 0 "$iraqsim" resume ck.bin --stop-at-week 150 -q
    expect 0 "$iraqsim" resume ck.bin -o agents_resumed.h5 --threads 2 -q
    [[ ! -e ck.bin ]] || fail "the checkpoint was not deleted"; no_partial
    expect 2 "$iraqsim" run -o x.h5 --checkpoint y.bin; contains err "checkpoint"
    expect 0 "$python" -c "
import h5py, numpy as np, sys
bad = []
for a, b in (('whole.h5', 'cut.h5'), ('agents_whole.h5', 'agents_resumed.h5')):
    x, y = h5py.File(a), h5py.File(b)
    bad += [(a, k) for k in x if k not in y or not np.array_equal(x[k][()], y[k][()])]
    bad += [(b, k) for k in y if k not in x]
sys.exit('differ: %s' % bad if bad else 0)" ;;
  agents_mode)
    # Agent mode (docs/agents.md): the baseline with citizen agents runs, gives the same bytes at 1
    # and 2 threads, keeps every output's meaning (support shares in [0, 1]) and differs from the
    # aggregate core; a wrong mode is an error naming file:line:column and key.
    agents="$tests_dir/../scenarios/agents/baseline-agents.toml"
    expect 0 "$iraqsim" run "$agents" -o a1.h5 --threads 1 --check -q
    expect 0 "$iraqsim" run "$agents" -o a2.h5 --threads 2 -q
    cmp a1.h5 a2.h5 || fail "agents mode: 1 and 2 threads give different bytes"
    expect 0 "$iraqsim" run -o agg.h5 -q
    expect 0 "$python" -c "
import sys, numpy as np, xarray as xr
a, g = xr.open_dataset('a1.h5'), xr.open_dataset('agg.h5')
if set(a.data_vars) != set(g.data_vars): sys.exit('agents mode changed the variables')
s = a.support.values
if not (np.all(s >= 0) and np.all(s <= 1 + 1e-6)): sys.exit('support out of [0, 1]')
if np.array_equal(s, g.support.values): sys.exit('agents mode gave the aggregate core\'s support')
if abs(float(s[0, 0].sum()) - float(g.support.values[0, 0].sum())) > 0.05 * s.shape[-2]: sys.exit('week 0 support far from the aggregate')
"
    printf '[scenario]\nname = "x"\n[population]\nmode = "agent"\npersons_per_agent = 0.5\n' > bad.toml
    expect 3 "$iraqsim" check bad.toml
    contains err "bad.toml:4:1: error: population.mode"; contains err "bad.toml:5:1: error: population.persons_per_agent" ;;
  seed_changes_output)
    expect 0 "$iraqsim" run -o a.h5 --seed 1 -q
    expect 0 "$iraqsim" run -o b.h5 --seed 2 -q
    ! cmp -s a.h5 b.h5 || fail "different seeds gave identical files" ;;
  refuses_overwrite)
    expect 0 "$iraqsim" run -o r.h5 -q; cp r.h5 r.orig
    expect 4 "$iraqsim" run -o r.h5 --seed 99; contains err "exists"; contains err "--force"
    cmp r.h5 r.orig || fail "the existing result was changed"; no_partial ;;
  force_overwrites)
    expect 0 "$iraqsim" run -o f.h5 --seed 1 -q; cp f.h5 f.orig
    expect 0 "$iraqsim" run -o f.h5 --seed 2 --force -q
    ! cmp -s f.h5 f.orig || fail "--force did not replace the file"; no_partial ;;
  unwritable_path)
    mkdir ro && chmod 555 ro
    if [[ $(id -u) == 0 ]]; then
      # root writes anywhere: make the target a directory instead, which no one can overwrite
      mkdir ro2 && expect 4 "$iraqsim" run -o ro2 --force; contains err "not a regular file"
    else
      expect 4 "$iraqsim" run -o ro/x.h5; contains err "not writable"; [[ ! -e ro/x.h5 ]] || fail "file created"
    fi
    no_partial ro ;;
  missing_directory)
    expect 4 "$iraqsim" run -o nowhere/x.h5; contains err "does not exist"; [[ ! -e nowhere ]] || fail "directory created" ;;
  bad_option)
    expect 2 "$iraqsim" run --frobnicate; contains err "frobnicate"
    expect 2 "$iraqsim" run --seed notanumber; [[ -z $(ls) || $(ls) == $'err\nout' ]] || fail "files created: $(ls)" ;;
  compare_files)
    expect 0 "$iraqsim" run -o base.h5 --seed 3 --replicates 3 -q
    expect 0 "$iraqsim" run "$tests_dir/../scenarios/whatif/no-surge.toml" -o nosurge.h5 --seed 3 --replicates 3 -q
    expect 0 "$iraqsim" compare base.h5 nosurge.h5 --csv effects.csv
    contains out "effect of 'no-surge' against 'baseline': 3 paired replicates, seed 3"
    contains out "us_fatalities"; contains out "[95% interval]"
    head -1 effects.csv | grep -q "^variable,period,province,baseline_mean" || fail "no CSV header"
    grep -q "^us_fatalities,2007,Iraq," effects.csv || fail "no 2007 row in the CSV"
    # Before the surge the two runs are the same replicates: no difference at all.
    grep "^civilian_deaths,2005,Iraq," effects.csv | cut -d, -f6 | grep -qx "0" || fail "2005 differs before any change"
    expect 0 "$iraqsim" compare base.h5 base.h5 --var us_fatalities --by-province -q
    contains out "anbar"; ! grep -q "civilian_deaths" out || fail "--var did not restrict the table" ;;
  compare_posterior)
    # Both sides at each of 2 posterior draws; the table says how much of the spread is parameters.
    posterior="$tests_dir/../scenarios/calibration/baseline-2004-2006.posterior.csv"
    expect 0 "$iraqsim" compare baseline "$tests_dir/../scenarios/whatif/no-surge.toml" --replicates 2 --draws 2 \
      --posterior "$posterior" --var us_fatalities --csv post.csv -q
    contains out "over 2 draws from population 11"; contains out "parameter share"; contains out "[5-95% of draws]"
    head -1 post.csv | grep -q ",relative,parameter_share$" || fail "no parameter_share column in the CSV"
    grep -q "^us_fatalities,2007,Iraq," post.csv || fail "no 2007 row in the CSV"
    # The same draws for the same seed: byte-identical CSV.
    expect 0 "$iraqsim" compare baseline "$tests_dir/../scenarios/whatif/no-surge.toml" --replicates 2 --draws 2 \
      --posterior "$posterior" --var us_fatalities --csv again.csv -q
    cmp -s post.csv again.csv || fail "the same posterior comparison gave another CSV"
    expect 2 "$iraqsim" compare base.h5 other.h5 --posterior "$posterior"
    contains err "give scenarios, not output files"
    printf 'population,particle,weight,distance,model.nonsense\n1,0,1,0.5,3\n' > bad.csv
    expect 3 "$iraqsim" compare baseline baseline --replicates 2 --draws 2 --posterior bad.csv
    contains err "model.nonsense" ;;
  compare_rejects_unpaired)
    expect 0 "$iraqsim" run -o a.h5 --seed 3 --replicates 2 -q
    expect 0 "$iraqsim" run -o b.h5 --seed 4 --replicates 2 -q
    expect 0 "$iraqsim" run -o c.h5 --seed 3 --replicates 3 -q
    expect 2 "$iraqsim" compare a.h5 b.h5; contains err "seeds differ"; contains err "--seed 3"
    expect 2 "$iraqsim" compare a.h5 c.h5; contains err "replicates"
    expect 4 "$iraqsim" compare a.h5 missing.h5; contains err "missing.h5"
    expect 2 "$iraqsim" compare a.h5; contains err "BASELINE and WHATIF"
    expect 2 "$iraqsim" compare a.h5 a.h5 --var support; contains err "not a compared variable"
    expect 4 "$iraqsim" compare a.h5 a.h5 --csv nowhere/e.csv; [[ ! -e nowhere ]] || fail "directory created" ;;
  compare_scenarios)
    expect 0 "$iraqsim" compare baseline "$tests_dir/../scenarios/whatif/no-ceasefire.toml" --replicates 2 -q --var attacks
    contains out "effect of 'no-ceasefire' against 'baseline': 2 paired replicates"; contains out "attacks" ;;
  bad_replicates)
    expect 2 "$iraqsim" run --replicates 0; contains err "replicates"
    expect 2 "$iraqsim" run --replicates 9223372036854775807; contains err "replicates"
    expect 2 "$iraqsim" run --threads -1; contains err "threads"
    [[ ! -e baseline.h5 ]] || fail "an output file was written" ;;
  info_describes)
    expect 0 "$iraqsim" run -o i.h5 --replicates 2 --seed 5 -q
    expect 0 "$iraqsim" info i.h5; contains out "seed: 5"; contains out "replicates: 2"
    contains out "support(replicate=2, time="; contains out "province=18"; contains out "us_troops" ;;
  info_rejects_missing)
    expect 4 "$iraqsim" info nothere.h5; contains err "nothere.h5"
    echo "not hdf5" > plain.txt; expect 4 "$iraqsim" info plain.txt; contains err "not an HDF5 file" ;;
  ncdump_reads)
    expect 0 "$iraqsim" run -o n.h5 -q
    expect 0 ncdump -h n.h5
    for d in "replicate = 1" "time = " "province = 18" "community = 4" "faction = " "sponsor = 4" \
             'time:units = "days since 2003-01-01"' "float support(replicate, time, province, faction)" \
             "float us_troops(replicate, time, province)" "string province(province)"; do contains out "$d"; done ;;
  xarray_reads)
    expect 0 "$iraqsim" run -o x.h5 --replicates 2 -q
    expect 0 "$python" "$tests_dir/python/check_output.py" x.h5; cat out ;;
  scenario_run)
    expect 0 "$iraqsim" run "$tests_dir/../scenarios/validation/diffusion-only.toml" -q
    [[ -s diffusion-only.h5 ]] || fail "the scenario's name does not name the default output"
    expect 0 "$iraqsim" info diffusion-only.h5; contains out "scenario_name: diffusion-only"
    contains out "replicates: 2" ;;
  config_reproduces_run)
    printf '[scenario]\nname = "cfg"\nseed = 11\nreplicates = 2\n[model.loyalty]\ndiffusion_rate = 0.03\n' > s.toml
    expect 0 "$iraqsim" run s.toml -o direct.h5 -q
    expect 0 "$iraqsim" config s.toml; cp out resolved.toml
    expect 0 "$iraqsim" run resolved.toml -o via_config.h5 -q
    expect 0 "$python" -c "
import h5py, numpy as np, sys
a, b = h5py.File('direct.h5'), h5py.File('via_config.h5')
bad = [k for k in a if k not in b or not np.array_equal(a[k][()], b[k][()])]
sys.exit('differ: %s' % bad if bad else 0)" ;;
  set_wins_over_file)
    printf '[scenario]\nseed = 5\n' > s.toml
    expect 0 "$iraqsim" config s.toml --set scenario.seed=6 --set model.loyalty.opinion_noise=0.5
    contains out "seed = 6"; contains out "opinion_noise = 0.5"
    expect 0 "$iraqsim" run s.toml --seed 8 -o x.h5 -q; expect 0 "$iraqsim" info x.h5; contains out "seed: 8" ;;
  set_rejects_bad)
    expect 3 "$iraqsim" run --set scenario.sed=5 -o x.h5; contains err "did you mean 'scenario.seed'"
    expect 3 "$iraqsim" run --set model.loyalty.diffusion_rate=abc -o x.h5; contains err "expected a number"
    expect 3 "$iraqsim" run --set event.nothing.date=2007-01-01 -o x.h5; contains err "no event with id 'nothing'"
    expect 3 "$iraqsim" run --set noequals -o x.h5; contains err "path=value"
    [[ ! -e x.h5 ]] || fail "an output was written for an invalid scenario"; no_partial ;;
  noise_off_replicates_equal)
    # Every random draw is opinion noise or violence: with both off, replicates are identical.
    expect 0 "$iraqsim" run --set model.loyalty.opinion_noise=0 --set model.violence.attack_rate=0 \
      --set model.violence.sectarian_rate=0 --set model.violence.targeting_rate=0 \
      --set model.violence.battle_rate=0 --set model.violence.collateral_per_1000=0 --replicates 2 -o n.h5 -q
    expect 0 "$python" -c "
import h5py, numpy as np, sys
s = h5py.File('n.h5')['support'][()]
sys.exit(0 if np.array_equal(s[0], s[1]) else 'replicates differ with noise off')"
    expect 0 "$iraqsim" run --replicates 2 -o y.h5 -q
    expect 0 "$python" -c "
import h5py, numpy as np, sys
s = h5py.File('y.h5')['support'][()]
sys.exit('replicates identical with noise on' if np.array_equal(s[0], s[1]) else 0)" ;;
  check_every_scenario)
    # sweeps: sweep_test.sh; calibrations: calibrate_test.sh; Epstein's models: validate_test.sh
    mapfile -t files < <(find "$tests_dir/../scenarios" -name '*.toml' -not -path '*/sweeps/*' -not -path '*/calibration/*' -not -name 'epstein-*' | sort)
    [[ ${#files[@]} -gt 0 ]] || fail "no scenarios found"
    expect 0 "$iraqsim" check "${files[@]}"
    for f in "${files[@]}"; do
      expect 0 "$iraqsim" config "$f"; cp out resolved.toml; expect 0 "$iraqsim" check resolved.toml
      expect 0 "$iraqsim" run "$f" -o run.h5 --force --check -q
    done ;;
  check_reports_all)
    printf '[scenario]\nseeed = 1\nreplicates = 0\n[model.loyalty]\ndiffusion_rate = nan\n' > bad.toml
    expect 3 "$iraqsim" check bad.toml "$tests_dir/../scenarios/history/baseline.toml"
    contains err "bad.toml:2:1: error: scenario.seeed: unknown key (did you mean 'scenario.seed'?)"
    contains err "bad.toml:3:1: error: scenario.replicates"; contains err "bad.toml:5:1: error: model.loyalty.diffusion_rate"
    contains out "baseline.toml: ok" ;;
  incident_log)
    # The log is off by default; on, it lists every killing incident and leaves the run unchanged.
    expect 0 "$iraqsim" run --set scenario.end=2006-12-31 --replicates 2 -o off.h5 -q
    expect 0 "$iraqsim" run --set scenario.end=2006-12-31 --replicates 2 --set output.incidents=true -o on.h5 -q
    expect 0 "$python" -c "
import sys, numpy as np, xarray as xr
off, on = xr.open_dataset('off.h5'), xr.open_dataset('on.h5')
if 'incident' in off.dims: sys.exit('incident log written when off')
if on.sizes['incident'] < 1000: sys.exit('too few incidents: %d' % on.sizes['incident'])
if not np.array_equal(off.civilian_deaths.values, on.civilian_deaths.values): sys.exit('logging changed the run')
d = on.incident_deaths.values
if (d < 1).any(): sys.exit('an incident with no deaths')
if not set(on.incident_perpetrator.values.astype(str)) <= set(on.faction.values.astype(str)): sys.exit('unknown perpetrator')
# One-sided incidents sum to the one-sided deaths the model counted (battles aside).
one = on.incident_kind.values.astype(str) == 'one_sided'
if not one.any(): sys.exit('no one-sided incidents')
x = d[one]; x = x[x >= 5]
alpha = 1 + len(x) / np.log(x / 4.5).sum()
if not 2.0 < alpha < 3.0: sys.exit('tail exponent %.2f outside (2, 3)' % alpha)
" ;;
  docs_match_registry)
    expect 0 "$iraqsim" config --docs
    diff -u "$tests_dir/../docs/scenario.md" out || fail "docs/scenario.md is stale: regenerate with iraqsim config --docs" ;;
  export_csv)
    expect 0 "$iraqsim" run -o e.h5 --replicates 2 -q
    expect 0 "$iraqsim" export e.h5 --csv -o out.csv; [[ -s out.csv ]] || fail "no CSV written"; no_partial
    [[ $(head -1 out.csv) == "replicate,date,province,community,other_community,faction,sponsor,channel,variable,value,units" ]] \
      || fail "header: $(head -1 out.csv)"
    expect 0 "$python" -c "
import csv, sys
import numpy as np, xarray as xr
ds = xr.open_dataset('e.h5')
series = [v for v in ds.data_vars if ds[v].dims[:2] == ('replicate', 'time')]
expected = sum(ds[v].size for v in series)
with open('out.csv', newline='') as f:
    rows = list(csv.DictReader(f))
assert len(rows) == expected, (len(rows), expected)
assert sorted({r['variable'] for r in rows}) == sorted(series), series
want = ds.loyalty.sel(replicate=1, time='2007-06-07', province='baghdad', community='sunni_arab', faction='aqi')
got = [r for r in rows if r['variable'] == 'loyalty' and r['replicate'] == '1' and r['date'] == '2007-06-07'
       and r['province'] == 'baghdad' and r['community'] == 'sunni_arab' and r['faction'] == 'aqi']
assert len(got) == 1 and got[0]['units'] == '1', got
assert np.float32(got[0]['value']) == want.values, (got[0]['value'], float(want))
troops = [r for r in rows if r['variable'] == 'us_troops' and r['replicate'] == '0' and r['province'] == 'baghdad']
assert len(troops) == ds.sizes['time'] and troops[0]['date'] == '2003-05-01', troops[:1]
assert all(r['community'] == '' and r['faction'] == '' for r in troops)
values = np.array([float(r['value']) for r in troops], dtype=np.float32)
assert np.array_equal(values, ds.us_troops.sel(replicate=0, province='baghdad').values)
print('ok', len(rows), 'rows')"
    cp out.csv out.orig
    expect 4 "$iraqsim" export e.h5 --csv -o out.csv --var us_troops; contains err "exists"; contains err "--force"
    cmp out.csv out.orig || fail "the existing CSV was changed"; no_partial
    expect 0 "$iraqsim" export e.h5 --csv -o out.csv --var us_troops --force
    [[ $(wc -l < out.csv) == $(( 1 + $(grep -c ',us_troops,' out.orig) )) && $(grep -c ',us_troops,' out.csv) -gt 0 ]] \
      || fail "--force --var us_troops: $(wc -l < out.csv) lines, not the us_troops rows alone"; no_partial
    expect 0 "$iraqsim" export e.h5 --csv --var us_posture; cmp <(head -1 out) <(head -1 out.orig) || fail "stdout header"
    ! grep -qv -e ',us_posture,' -e '^replicate,' out || fail "--var us_posture wrote other variables"
    expect 2 "$iraqsim" export e.h5 --csv --var nope -o bad.csv; contains err "unknown variable 'nope'"; contains err "support"
    [[ ! -e bad.csv ]] || fail "a CSV was written for a bad --var"
    expect 2 "$iraqsim" export e.h5 -o bad.csv; contains err "--csv"
    echo "not hdf5" > plain.txt; expect 4 "$iraqsim" export plain.txt --csv; contains err "not an HDF5 file"
    expect 4 "$iraqsim" export nothere.h5 --csv -o bad.csv; contains err "nothere.h5"; [[ ! -e bad.csv ]] || fail "bad.csv"
    expect 0 "$iraqsim" export --help; contains out "--var"; contains out "other_community"; no_partial ;;
  golden_baseline)
    expect 0 "$iraqsim" run -o golden.h5 --seed 1 --replicates 4 -q
    expect 0 "$python" "$tests_dir/scenarios/golden_summary.py" golden.h5; cat out ;;
  *) fail "unknown case" ;;
esac
echo "ok [$case_name]"
