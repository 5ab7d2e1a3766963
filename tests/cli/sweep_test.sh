#!/usr/bin/env bash
# One end-to-end case of `iraqsim sweep`: sweep_test.sh CASE IRAQSIM SCRATCH_DIR PYTHON TESTS_DIR.
# Sweeps here are short (16 weeks of 2007) so that the suite stays fast under sanitizers too.
set -uo pipefail
case_name=$1 iraqsim=$2 scratch=$3 python=$4 tests_dir=$5
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"  # fail, expect, contains
rm -rf "$scratch" && mkdir -p "$scratch" && cd "$scratch" || exit 1

# 6 points x 2 replicates = 12 runs over 16 weeks, a date and a number swept.
cat > small.toml <<'EOF'
[sweep]
replicates = 2
seed = 3
design = "latin_hypercube"
points = 6
set = ["scenario.start=2007-01-04", "scenario.end=2007-04-26"]
every_weeks = 2

[[parameter]]
key = "model.loyalty.opinion_noise"
min = 0.0
max = 0.05

[[parameter]]
key = "event.surge_2007.date"
min = 2007-01-04
max = 2007-03-01
EOF

# same_data A B: every variable of the two sweep files holds the same values (NaN equal to NaN).
same_data() {
  "$python" - "$1" "$2" <<'EOF' || fail "$1 and $2 differ"
import sys
import h5py, numpy as np
a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
names = sorted(k for k in a if isinstance(a[k], h5py.Dataset))
assert names == sorted(k for k in b if isinstance(b[k], h5py.Dataset)), "different variables"
bad = []
for k in names:
    x, y = a[k][()], b[k][()]
    same = np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y)
    if not same:
        bad.append(k)
assert not bad, "differ: %s" % bad
assert not np.isnan(a["support"][()]).any(), "support has fill values"
print("same data:", len(names), "variables")
EOF
}

case $case_name in
  help)
    expect 0 "$iraqsim" sweep --help
    for word in --resume --array-index --array-count --stitch --threads --plan mpirun "Exit codes"; do contains out "$word"; done
    expect 0 "$iraqsim" --help; contains out "sweep SWEEP.toml"; contains out "analyze DIR"
    expect 0 "$iraqsim" analyze --help; contains out "attacks_by_year"; contains out "Exit codes" ;;
  bad_sweep)
    printf '[sweep]\nreplicats = 2\ndesign = "sobol"\npoints = 4\n\n[[parameter]]\nkey = "model.loyalty.opinion_nois"\nmin = 0.0\nmax = 0.1\n\n[[parameter]]\nkey = "model.loyalty.diffusion_rate"\nmin = 0.0\nmax = 5.0\n' > bad.toml
    expect 3 "$iraqsim" sweep bad.toml -o outdir
    contains err "bad.toml:2:1: error: sweep.replicats: unknown key (did you mean 'sweep.replicates'?)"
    printf '[sweep]\ndesign = "sobol"\npoints = 4\n\n[[parameter]]\nkey = "model.loyalty.opinion_nois"\nmin = 0.0\nmax = 0.1\n\n[[parameter]]\nkey = "model.loyalty.diffusion_rate"\nmin = 0.0\nmax = 5.0\n' > bad.toml
    expect 3 "$iraqsim" sweep bad.toml -o outdir
    contains err "bad.toml:6:1: error: model.loyalty.opinion_nois: unknown key (did you mean 'model.loyalty.opinion_noise'?)"
    contains err "bad.toml:13:1: error: model.loyalty.diffusion_rate: value 5.0 is out of range"
    [[ ! -e outdir ]] || fail "an output directory was made for an invalid sweep"
    expect 3 "$iraqsim" sweep small.toml -o outdir --set scenario.sed=1; contains err "scenario.sed"
    expect 4 "$iraqsim" sweep nothere.toml -o outdir; contains err "nothere.toml"
    expect 4 "$iraqsim" sweep small.toml -o nowhere/outdir; contains err "does not exist"
    expect 2 "$iraqsim" sweep small.toml; contains err "-o DIR"
    expect 2 "$iraqsim" sweep small.toml -o x --array-index 2 --array-count 2; contains err "array-index"
    [[ ! -e outdir && ! -e x ]] || fail "an output directory was made for a bad command line" ;;
  examples_plan)
    mapfile -t files < <(find "$tests_dir/../scenarios/sweeps" -name '*.toml' | sort)
    [[ ${#files[@]} -ge 3 ]] || fail "fewer than 3 example sweeps"
    for f in "${files[@]}"; do
      expect 0 "$iraqsim" sweep "$f" --plan; contains out "points x"; contains out "point seed assignments"
    done
    # An event's date is sampled by day within its range.
    expect 0 "$iraqsim" sweep "$tests_dir/../scenarios/sweeps/surge-timing.toml" --plan
    contains out "event.surge_2007.date=2007-"; ! grep -q "date=2005-" out || fail "a date outside its range" ;;
  threads_same_data)
    expect 0 "$iraqsim" sweep small.toml -o t1 --threads 1; contains out "12 run(s)"; contains out "runs/s"
    contains out "wrote t1/sweep.h5: 6 points x 2 replicates"
    expect 0 "$iraqsim" sweep small.toml -o t2 --threads 2 -q
    same_data t1/sweep.h5 t2/sweep.h5 ;;
  arrays_same_data)
    expect 0 "$iraqsim" sweep small.toml -o whole -q
    expect 0 "$iraqsim" sweep small.toml -o arr --array-index 1 --array-count 2; contains out "array task 1 of 2"
    contains out "iraqsim sweep --stitch arr"; [[ ! -e arr/sweep.h5 ]] || fail "an array task stitched"
    SLURM_ARRAY_TASK_ID=7 SLURM_ARRAY_TASK_MIN=7 SLURM_ARRAY_TASK_COUNT=2 expect 0 "$iraqsim" sweep small.toml -o arr
    contains err "Slurm array task 0 of 2"
    expect 0 "$iraqsim" sweep --stitch arr; contains out "from 2 shard(s)"
    same_data whole/sweep.h5 arr/sweep.h5
    expect 4 "$iraqsim" sweep --stitch arr; contains err "exists"
    expect 0 "$iraqsim" sweep --stitch arr --force -q ;;
  mpi_same_data)
    command -v mpirun >/dev/null || { echo "no mpirun: skipped"; exit 77; }
    expect 0 "$iraqsim" sweep small.toml -o one -q
    # OpenMPI's MPI_Init reports leaks of its own under AddressSanitizer.
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
      expect 0 mpirun --allow-run-as-root --oversubscribe -np 2 "$iraqsim" sweep small.toml -o two
    if grep -q "has no MPI" err; then echo "built without MPI: skipped"; exit 77; fi
    contains out "2 ranks"; contains out "from 2 shard(s)"
    same_data one/sweep.h5 two/sweep.h5 ;;
  resume_after_kill)
    expect 0 "$iraqsim" sweep small.toml -o whole -q
    # Killed (SIGKILL) after 5 runs are committed, then in the middle of writing a run.
    IRAQSIM_TEST_KILL_AFTER_RUNS=5 expect 137 "$iraqsim" sweep small.toml -o cut --threads 2 -q
    [[ $(cat cut/shards/*.journal | wc -l) == 5 ]] || fail "expected 5 journaled runs"
    expect 4 "$iraqsim" sweep small.toml -o cut -q; contains err "--resume"
    IRAQSIM_TEST_KILL_MID_WRITE=3 expect 137 "$iraqsim" sweep small.toml -o cut --resume -q
    expect 4 "$iraqsim" sweep --stitch cut; contains err "runs are missing"
    expect 0 "$iraqsim" sweep small.toml -o cut --resume; contains out "already complete"
    same_data whole/sweep.h5 cut/sweep.h5 ;;
  missing_shard)
    expect 0 "$iraqsim" sweep small.toml -o arr --array-index 0 --array-count 3 -q
    expect 0 "$iraqsim" sweep small.toml -o arr --array-index 2 --array-count 3 -q
    expect 4 "$iraqsim" sweep --stitch arr
    contains err "4 of 12 runs are missing"; contains err "array task) 1 of 3: 4 runs missing (it left no shard"
    [[ ! -e arr/sweep.h5 ]] || fail "a sweep.h5 was written over missing runs"
    expect 0 "$iraqsim" sweep small.toml -o arr --array-index 1 --array-count 3 -q
    shard=$(ls arr/shards/*w0002of0003.h5); rm "$shard"
    expect 4 "$iraqsim" sweep --stitch arr; contains err "shards/$(basename "$shard") is missing"
    expect 4 "$iraqsim" sweep --stitch nothere; contains err "no sweep.toml"
    printf '[sweep]\ndesign = "grid"\n[[parameter]]\nkey = "model.loyalty.opinion_noise"\nlevels = [0.0]\n' > other.toml
    expect 4 "$iraqsim" sweep other.toml -o arr; contains err "holds another sweep" ;;
  xarray_reads)
    expect 0 "$iraqsim" sweep small.toml -o lhs -q
    cat > morris.toml <<'EOF'
[sweep]
replicates = 1
design = "morris"
trajectories = 3
variables = []
common_random_numbers = true
set = ["scenario.start=2007-01-04", "scenario.end=2007-03-01"]
[[parameter]]
key = "model.loyalty.opinion_noise"
min = 0.0
max = 0.05
[[parameter]]
key = "model.loyalty.diffusion_rate"
min = 0.0
max = 0.1
EOF
    expect 0 "$iraqsim" sweep morris.toml -o morris; contains out "Morris effects"
    sed -e 's/design = "morris"/design = "saltelli"/' -e 's/trajectories = 3/points = 4/' morris.toml > saltelli.toml
    expect 0 "$iraqsim" sweep saltelli.toml -o saltelli; contains out "Sobol indices"
    # Across a new year, for the summaries by calendar year.
    sed -e 's/2007-01-04/2006-11-02/' -e 's/2007-03-01/2007-02-22/' morris.toml > years.toml
    expect 0 "$iraqsim" sweep years.toml -o years -q
    # iraqsim analyze takes metrics and metric groups by name.
    expect 0 "$iraqsim" analyze years --metric attacks_by_year,peak_attacks --csv effects.csv
    contains out "Morris elementary effects"; contains out "attacks_2006 \[attacks\]"; contains out "mu\*"
    contains out "peak_attacks \[attacks/week\]"
    [[ $(grep -c '^attacks_2007,model.loyalty.opinion_noise,morris_' effects.csv) == 3 ]] || fail "effects.csv: $(cat effects.csv)"
    expect 0 "$iraqsim" analyze saltelli/sweep.h5 --metric final_support; contains out "final_support_jam"; contains out "S1 2.5%"
    expect 2 "$iraqsim" analyze years --metric atacks_by_year; contains err "did you mean 'attacks_by_year'"
    expect 2 "$iraqsim" analyze lhs; contains err "latin_hypercube design"
    expect 4 "$iraqsim" analyze nowhere; contains err "nowhere"
    cat > check.py <<'EOF'
import sys
import numpy as np, xarray as xr
scratch = sys.argv[1]
for engine in ("netcdf4", "h5netcdf"):
    with xr.open_dataset(scratch + "/lhs/sweep.h5", engine=engine) as ds:
        assert ds.support.dims == ("run", "replicate", "time", "province", "faction"), ds.support.dims
        assert ds.sizes["run"] == 6 and ds.sizes["replicate"] == 2, dict(ds.sizes)
        assert np.issubdtype(ds.time.dtype, np.datetime64) and str(ds.time.values[0])[:10] == "2007-01-04"
        s = ds.support.values
        assert np.isfinite(s).all() and s.min() >= 0 and s.max() <= 1
        assert ds.summary.dims == ("run", "replicate", "metric")
        assert "final_support_jam" in list(ds.metric.values)
        dates = ds["event.surge_2007.date"].values
        assert np.issubdtype(dates.dtype, np.datetime64), dates.dtype
        assert (dates >= np.datetime64("2007-01-04")).all() and (dates <= np.datetime64("2007-03-01")).all()
        noise = ds["model.loyalty.opinion_noise"].values
        assert ((noise >= 0) & (noise <= 0.05)).all()
        strata = np.sort(np.floor(ds.unit_sample.sel(parameter="model.loyalty.opinion_noise").values * 6))
        assert (strata == np.arange(6)).all(), strata
        assert ds.attrs["Conventions"] == "CF-1.8" and "sweep_text" in ds.attrs
    with xr.open_dataset(scratch + "/morris/sweep.h5", engine=engine) as ds:
        assert ds.morris_mu_star.dims == ("parameter", "metric"), ds.morris_mu_star.dims
        assert ds.sizes["run"] == 9
        assert np.isfinite(ds.morris_mu_star.sel(metric="final_support_jam").values).all()
        assert "support" not in ds
    with xr.open_dataset(scratch + "/saltelli/sweep.h5", engine=engine) as ds:
        assert ds.sizes["run"] == 16 and ds.sobol_total.dims == ("parameter", "metric")
        for name in ("sobol_first", "sobol_first_low", "sobol_first_high", "sobol_total_low", "sobol_total_high"):
            assert name in ds, name
    with xr.open_dataset(scratch + "/years/sweep.h5", engine=engine) as ds:
        assert list(ds.year.values) == [2006, 2007], ds.year.values
        for flow in ("civilian_deaths", "attacks", "us_fatalities"):
            by_year, total = ds[flow + "_by_year"], ds["total_" + flow]
            assert by_year.dims == ("run", "replicate", "year"), by_year.dims
            assert total.dims == ("run", "replicate") and ds["peak_" + flow].dims == ("run", "replicate")
            assert np.allclose(by_year.sum("year"), total), (by_year.values, total.values)
            assert np.allclose(by_year.sel(year=2007), ds.summary.sel(metric=flow + "_2007"))
            assert (ds["peak_" + flow] <= total).all()
            assert by_year.attrs["units"] == total.attrs["units"] and "long_name" in by_year.attrs
        assert ds.attacks_by_year.attrs["units"] == "attacks" and ds.peak_attacks.attrs["units"] == "attacks/week"
        for group in ("final_support", "final_militia"):
            assert ds[group].dims == ("run", "replicate", "faction"), ds[group].dims
            assert np.allclose(ds[group].sel(faction="jam"), ds.summary.sel(metric=group + "_jam"))
        assert ds.final_militia.attrs["units"] == "persons" and ds.final_support.attrs["units"] == "1"
        assert float(ds.total_civilian_deaths.min()) > 0 and float(ds.final_militia.min()) >= 0
        assert np.isfinite(ds.morris_mu_star.sel(metric="attacks_2006").values).all()
print("sweep.h5 opens in xarray with both engines")
EOF
    # From another directory: the virtual datasets find their shards beside sweep.h5.
    expect 0 env -C / "$python" "$scratch/check.py" "$scratch"; cat out ;;
  slurm_scripts)
    # The Slurm scripts with Slurm's environment faked: sbatch and srun are stand-ins.
    slurm=$tests_dir/../scripts/slurm
    expect 0 "$iraqsim" sweep small.toml -o whole -q
    for task in 0 1; do
      SWEEP=small.toml DIR=arr IRAQSIM=$iraqsim SLURM_ARRAY_TASK_ID=$task SLURM_ARRAY_TASK_MIN=0 \
        SLURM_ARRAY_TASK_COUNT=2 SLURM_CPUS_PER_TASK=1 expect 0 bash "$slurm/sweep-array.sbatch"
    done
    DIR=arr IRAQSIM=$iraqsim expect 0 bash "$slurm/sweep-stitch.sbatch"
    same_data whole/sweep.h5 arr/sweep.h5
    mkdir bin
    printf '#!/bin/bash\necho "$*" >> sbatch.calls\necho $((1000 + $(wc -l < sbatch.calls)))\n' > bin/sbatch
    printf '#!/bin/bash\nshift\nexec mpirun --allow-run-as-root --oversubscribe -np 2 "$@"\n' > bin/srun
    chmod +x bin/sbatch bin/srun
    PATH=$PWD/bin:$PATH IRAQSIM=$iraqsim expect 0 bash "$slurm/submit-array.sh" small.toml sub 4 --account=x
    contains out "array job 1001 (4 tasks), stitch job 1002"; contains sbatch.calls "--array=0-3"
    contains sbatch.calls "--dependency=afterok:1001"; contains sbatch.calls "--account=x"
    command -v mpirun >/dev/null || { echo "no mpirun: the MPI script is not run"; exit 0; }
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 PATH=$PWD/bin:$PATH SWEEP=small.toml DIR=mpi \
      IRAQSIM=$iraqsim SLURM_CPUS_PER_TASK=1 expect 0 bash "$slurm/sweep-mpi.sbatch"
    if ! grep -q "has no MPI" err; then same_data whole/sweep.h5 mpi/sweep.h5; fi ;;
  *) fail "unknown case" ;;
esac
echo "ok [$case_name]"
