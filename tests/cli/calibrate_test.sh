#!/usr/bin/env bash
# One end-to-end case of `iraqsim calibrate`: calibrate_test.sh CASE IRAQSIM SCRATCH_DIR PYTHON TESTS_DIR.
# The calibrations here are tiny synthetic recoveries (2006 only, 2 populations of 12 particles) so
# that the suite stays fast under sanitizers too.
set -uo pipefail
case_name=$1 iraqsim=$2 scratch=$3 python=$4 tests_dir=$5
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"  # fail, expect, contains
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1

cat > tiny.toml <<'EOF2'
[calibration]
seed = 5
populations = 2
particles = 12
set = ["scenario.start=2006-05-04"]
fit_start = 2006-06-01
fit_end = 2006-12-31

[[parameter]]
key = "model.observation.ibc_coverage"
lower = 0.3
upper = 0.9
truth = 0.6

[[parameter]]
key = "model.violence.attack_rate"
lower = 0.03
upper = 0.2
prior = "log-uniform"
truth = 0.08

[[target]]
series = "ibc_monthly"

[[target]]
series = "sigact_monthly"
weight = 2
EOF2

# without_comments FILE: the file's lines that are not comments (the provenance header has a date).
without_comments() { grep -v '^#' "$1" | sed 's/  #.*//'; }

case $case_name in
  help)
    expect 0 "$iraqsim" calibrate --help
    for word in --resume --force --threads --check "Exit codes" calibrated.toml posterior.csv; do contains out "$word"; done
    expect 0 "$iraqsim" --help; contains out "calibrate FILE.toml" ;;
  bad_file)
    printf '[calibration]\npopulatons = 2\n\n[[parameter]]\nkey = "model.violence.attak_rate"\nlower = 0.1\nupper = 0.2\n\n[[target]]\nseries = "ibc_monthly"\n' > bad.toml
    expect 3 "$iraqsim" calibrate bad.toml -o outdir
    contains err "bad.toml:2:1: error: calibration.populatons: unknown key (did you mean 'calibration.populations'?)"
    printf '[calibration]\nfit_end = 2008-12-31\n\n[[parameter]]\nkey = "model.violence.attak_rate"\nlower = 0.1\nupper = 0.2\n\n[[target]]\nseries = "ibc_monthly"\n' > bad.toml
    expect 3 "$iraqsim" calibrate bad.toml -o outdir
    contains err "bad.toml:2:1: error: calibration.fit_end: must be on or before 2006-12-31"
    printf '[calibration]\n\n[[parameter]]\nkey = "model.violence.attak_rate"\nlower = 0.1\nupper = 0.2\n\n[[target]]\nseries = "ibc_monthly"\n' > bad.toml
    expect 3 "$iraqsim" calibrate bad.toml -o outdir
    contains err "bad.toml:4:1: error: model.violence.attak_rate: unknown key (did you mean 'model.violence.attack_rate'?)"
    [[ ! -e outdir ]] || fail "an output directory was made for an invalid calibration"
    expect 4 "$iraqsim" calibrate nothere.toml -o outdir; contains err "nothere.toml"
    expect 2 "$iraqsim" calibrate tiny.toml; contains err "-o DIR"
    expect 4 "$iraqsim" calibrate tiny.toml -o nowhere/outdir; contains err "does not exist" ;;
  examples_check)
    mapfile -t files < <(find "$tests_dir/../scenarios/calibration" -name '*.toml' | sort)
    [[ ${#files[@]} -ge 1 ]] || fail "no calibration files"
    for f in "${files[@]}"; do
      expect 0 "$iraqsim" calibrate "$f" --check; contains out "ibc_monthly: 36 moments (2004-01 .. 2006-12)"
      contains out "sigact_monthly: 35 moments (2004-02 .. 2006-12)"
    done ;;
  overlay_runs)
    expect 0 "$iraqsim" calibrate tiny.toml -o cal --threads 2
    contains out "posterior (population 2"; contains out "model.violence.attack_rate"
    contains err "population 2/2 done"
    for f in calibrated.toml posterior.csv populations.csv fit.csv populations/population_002.csv; do
      [[ -s cal/$f ]] || fail "cal/$f is missing"
    done
    for word in "# method: ABC-SMC" "# objective:" "# date: " "# calibration: tiny.toml" "synthetic" "git "; do
      contains cal/calibrated.toml "$word"
    done
    expect 0 "$iraqsim" check cal/calibrated.toml
    expect 0 "$iraqsim" config cal/calibrated.toml
    value=$(grep '^model.violence.attack_rate = ' cal/calibrated.toml | sed 's/^[^=]*= *//; s/ .*//')
    contains out "attack_rate = $value"
    expect 0 "$iraqsim" run cal/calibrated.toml -o run.h5 --set scenario.end=2006-09-30 -q
    [[ $(wc -l < cal/posterior.csv) == 37 ]] || fail "posterior.csv should hold 3 x 12 particles"
    "$python" - cal/posterior.csv <<'EOF2' || fail "posterior.csv is not what it should be"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for pop in "012":
    w = sum(float(r["weight"]) for r in rows if r["population"] == pop)
    assert abs(w - 1) < 1e-9, (pop, w)
assert all(0.3 <= float(r["model.observation.ibc_coverage"]) <= 0.9 for r in rows)
EOF2
    # The fit improves its objective: the last population's median distance is below the prior's.
    "$python" - cal/populations.csv <<'EOF2' || fail "the calibration did not improve its objective"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
first, last = float(rows[0]["median_distance"]), float(rows[-1]["median_distance"])
assert len(rows) == 3 and last < first, (first, last)
EOF2
    expect 4 "$iraqsim" calibrate tiny.toml -o cal; contains err "--resume"
    expect 0 "$iraqsim" calibrate tiny.toml -o cal --force -q
    [[ ! -s out ]] || fail "-q printed something" ;;
  resume_after_kill)
    expect 0 "$iraqsim" calibrate tiny.toml -o whole --threads 1 -q
    IRAQSIM_TEST_CALIBRATE_KILL_AFTER_POPULATION=1 "$iraqsim" calibrate tiny.toml -o killed --threads 2 -q >out 2>err
    [[ $? != 0 ]] || fail "the test kill did not end the run"
    [[ -s killed/populations/population_001.csv && ! -e killed/populations/population_002.csv ]] || fail "the kill left the wrong states"
    [[ ! -e killed/posterior.csv ]] || fail "a killed run wrote its results"
    expect 0 "$iraqsim" calibrate tiny.toml -o killed --resume --threads 2
    contains err "resuming after population 1"
    cmp whole/posterior.csv killed/posterior.csv || fail "the resumed posterior differs from the uninterrupted one"
    cmp whole/fit.csv killed/fit.csv || fail "the resumed fit differs"
    diff <(without_comments whole/calibrated.toml) <(without_comments killed/calibrated.toml) || fail "the overlays differ"
    # Another calibration cannot resume this directory.
    sed 's/seed = 5/seed = 6/' tiny.toml > other.toml
    expect 4 "$iraqsim" calibrate other.toml -o killed --resume; contains err "another calibration" ;;
  evaluate)
    # The distance at the base scenario's own values, with no fitting; --set moves the point.
    expect 0 "$iraqsim" calibrate tiny.toml --evaluate
    contains out "distance at the base scenario's values (4 replicates)"; contains out "ibc_monthly"; contains out "sigact_monthly"
    at_default=$(grep -o "values (4 replicates): [0-9.]*" out | sed 's/.*: //')
    expect 0 "$iraqsim" calibrate tiny.toml --evaluate --set model.violence.attack_rate=0.2 -o moved
    contains out "model.violence.attack_rate                       0.2"
    moved=$(grep -o "values (4 replicates): [0-9.]*" out | sed 's/.*: //')
    [[ -n $at_default && -n $moved && $at_default != "$moved" ]] || fail "--set did not move the distance ($at_default, $moved)"
    [[ -s moved/fit.csv && ! -e moved/posterior.csv ]] || fail "--evaluate -o wrote the wrong files"
    expect 4 "$iraqsim" calibrate tiny.toml --evaluate -o moved; contains err "exists"
    expect 0 "$iraqsim" calibrate tiny.toml --evaluate -o moved --force -q
    expect 2 "$iraqsim" calibrate tiny.toml --evaluate --resume ;;
  mpi_ranks)
    # Two MPI ranks share each batch's simulations and end where one process does, also when a
    # killed run is resumed; a bad directory ends every rank.
    command -v mpirun >/dev/null || { echo "no mpirun: skipped"; exit 77; }
    "$iraqsim" calibrate --help >out 2>&1; contains out "mpirun"
    # OpenMPI's MPI_Init reports leaks of its own under AddressSanitizer.
    export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
    mpi=(mpirun --allow-run-as-root --oversubscribe -np 2)
    expect 0 "$iraqsim" calibrate tiny.toml -o one --threads 2 -q
    expect 0 "${mpi[@]}" "$iraqsim" calibrate tiny.toml -o two --threads 1
    if grep -q "has no MPI" err; then echo "built without MPI: skipped"; exit 77; fi
    contains out "wrote two/calibrated.toml"
    [[ $(grep -c "wrote two/calibrated.toml" out) == 1 ]] || fail "more than one rank reported"
    cmp one/posterior.csv two/posterior.csv || fail "two ranks give another posterior than one process"
    cmp one/fit.csv two/fit.csv || fail "two ranks give another fit"
    IRAQSIM_TEST_CALIBRATE_KILL_AFTER_POPULATION=1 "${mpi[@]}" "$iraqsim" calibrate tiny.toml -o killed -q >out 2>err
    [[ $? != 0 ]] || fail "the test kill did not end the run"
    expect 0 "${mpi[@]}" "$iraqsim" calibrate tiny.toml -o killed --resume -q
    cmp one/posterior.csv killed/posterior.csv || fail "the resumed two-rank posterior differs"
    "${mpi[@]}" "$iraqsim" calibrate tiny.toml -o two -q >out 2>err && fail "an existing directory was accepted"
    contains err "give --resume" ;;
  *) fail "unknown case" ;;
esac
exit 0
