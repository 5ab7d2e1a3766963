#!/bin/bash
# The calibration's scripts (docs/validation.md) on small budgets: screening_metrics.py finds the
# observation keys' effects where they must be and nowhere else, forward_run.py writes ordered bands
# whose governorates sum to the nation, posterior_compare.py reports an effect only from the
# what-if's date, claims_posterior.py runs the claims at each draw's values, history_match.py
# retains the particles within its bound, and the embedded default is the retained particle with the
# smallest 2004-2006 distance.
# Exit 77 (skip) when numpy or h5py is missing.
# Usage: test_calibration_scripts.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
set -u

. "$(dirname "$0")/preamble.sh"
python_test_start "numpy h5py" "$@"

# A Morris screen of three observation keys: IBC's coverage moves only reported civilian deaths,
# SIGACT's base coverage only reported attacks, and neither moves US deaths.
cat > screen.toml <<'EOF'
[sweep]
replicates = 1
seed = 3
design = "morris"
trajectories = 2
set = ["scenario.end=2007-01-07"]
variables = ["reported_civilian_deaths", "reported_attacks", "us_fatalities", "reported_civilian_deaths_sectarian"]
common_random_numbers = true

[[parameter]]
key = "model.observation.ibc_coverage"
min = 0.4
max = 0.9

[[parameter]]
key = "model.observation.sigact_base_coverage"
min = 0.1
max = 0.7

[[parameter]]
key = "model.violence.us_lethality"
min = 0.01
max = 0.08
EOF
"$BIN" sweep screen.toml -o screen -q >sweep.log 2>&1 || fail "iraqsim sweep failed: $(cat sweep.log)"
if $PY "$REPO/scripts/screening_metrics.py" screen/sweep.h5 --csv mu.csv >screen.md 2>screen.err; then
    $PY - <<'EOF' || fail "screening_metrics.py: effects in the wrong places (mu.csv, screen.md)"
import csv
mu = {(r["parameter"], r["metric"]): float(r["mu_star"]) for r in csv.DictReader(open("mu.csv"))}
ibc, sigact, us = "model.observation.ibc_coverage", "model.observation.sigact_base_coverage", "model.violence.us_lethality"
assert mu[(ibc, "ibc_2006")] > 0.1 and mu[(ibc, "sigact_2006")] == 0 and mu[(ibc, "us_2006")] == 0
assert mu[(sigact, "sigact_2006")] > 0.01 and mu[(sigact, "ibc_2006")] == 0
assert mu[(us, "us_2006")] > 0.1 and mu[(us, "ibc_2006")] == 0
EOF
    grep -q "^| \`model.observation.ibc_coverage\` |" screen.md || fail "screen.md lacks the ibc_coverage row"
else
    fail "screening_metrics.py failed: $(cat screen.err)"
fi

# A posterior of two particles, all the weight on the first.
cat > posterior.csv <<'EOF'
population,particle,weight,distance,model.observation.ibc_coverage
0,0,1,0.5,0.9
0,1,0,0.9,0.3
EOF

if $PY "$REPO/scripts/forward_run.py" "$BIN" -o forward --posterior posterior.csv --draws 2 --replicates 1 \
        --jobs 1 --figure forward.png >forward.md 2>forward.err; then
    [ -s forward.png ] || fail "forward_run.py drew no figure"
    grep -q "^| 2008-12 |" forward.md || fail "forward.md lacks December 2008"
    $PY - <<'EOF' || fail "forward_run.py: bands out of order, rows missing, or governorates not summing to the nation"
import csv, collections
rows = list(csv.DictReader(open("forward/forward_monthly.csv")))
assert len(rows) == 3 * 24 * 19, len(rows)
assert all(float(r["p5"]) <= float(r["p50"]) <= float(r["p95"]) for r in rows)
national = {(r["series"], r["month"]): float(r["mean"]) for r in rows if r["level"] == "national"}
summed = collections.defaultdict(float)
for r in rows:
    if r["level"] == "governorate":
        summed[(r["series"], r["month"])] += float(r["mean"])
assert all(abs(summed[k] - v) <= 0.1 * 19 + 1e-6 * v for k, v in national.items())
EOF
    # Every draw is the first particle: its IBC coverage is in the runs' scenario.
    $PY - <<'EOF' || fail "a draw did not run at the drawn particle's values"
import h5py
for draw in ("forward/draw_000.h5", "forward/draw_001.h5"):
    text = h5py.File(draw, "r").attrs["scenario_text"]
    text = text.decode() if isinstance(text, bytes) else str(text)
    assert "ibc_coverage = 0.9\n" in text, draw
EOF
else
    fail "forward_run.py failed: $(cat forward.err)"
fi

if $PY "$REPO/scripts/posterior_compare.py" "$BIN" "$REPO/scenarios/whatif/no-surge.toml" \
        --posterior posterior.csv --draws 2 --replicates 2 --end 2007-06-30 --jobs 1 >compare.md 2>compare.err; then
    grep -q "^| attacks | 2007 |" compare.md || fail "posterior_compare.py: no 2007 effect on attacks"
    ! grep -q "| 2006 |" compare.md || fail "posterior_compare.py: an effect before the surge"
else
    fail "posterior_compare.py failed: $(cat compare.err)"
fi

# The claims over the posterior: each draw's values reach every variant (the draw's F2 effect is the
# one claims.py measures with the particle's value set), a rerun reuses the draws done, and a missing
# posterior is refused.
if $PY "$REPO/scripts/claims_posterior.py" "$BIN" --posterior posterior.csv --draws 2 --replicates 2 \
        --kind forecasts --workdir claims-posterior --csv claims-posterior.csv >claims-posterior.txt 2>claims-posterior.err; then
    grep -q "^F2 \[forecasts\] reported" claims-posterior.txt || fail "claims_posterior.py: no F2 line"
    $PY "$REPO/scripts/claims.py" "$BIN" --kind forecasts --replicates 2 --json \
        --set model.observation.ibc_coverage=0.9 >claims-at-particle.json 2>claims.err || fail "claims.py --set failed: $(cat claims.err)"
    $PY - <<'EOF' || fail "claims_posterior.py: a draw's effect is not claims.py's at the particle's values"
import csv, json
direct = {c["id"]: c["measured"] for c in json.load(open("claims-at-particle.json"))["claims"]}
rows = [r for r in csv.DictReader(open("claims-posterior.csv")) if r["claim"] == "F2"]
assert {r["draw"] for r in rows} == {"0", "1"}, rows
for r in rows:
    assert float(r["value"]) == direct["F2"][r["quantity"]]["mean"], (r, direct["F2"])
EOF
    $PY "$REPO/scripts/claims_posterior.py" "$BIN" --posterior posterior.csv --draws 2 --replicates 2 \
        --kind forecasts --workdir claims-posterior >claims-posterior-again.txt 2>/dev/null &&
        cmp -s claims-posterior.txt claims-posterior-again.txt || fail "claims_posterior.py: the rerun differs"
else
    fail "claims_posterior.py failed: $(cat claims-posterior.err)"
fi
$PY "$REPO/scripts/claims_posterior.py" "$BIN" --posterior missing.csv >/dev/null 2>missing.err
[ $? -eq 2 ] && grep -q "missing.csv" missing.err || fail "claims_posterior.py: a missing posterior not refused with its name"

# History matching: two particles that differ only in the targeting rate (0.001 against 0.1);
# with the bound between their worse late/H1 2007 ratios
# exactly one is retained, the written posterior holds it alone with all the weight, and the
# printed means are its values. A rerun with the same workdir reuses the particles done, and one
# with another seed measures them again.
cat > hm-posterior.csv <<'EOF'
population,particle,weight,distance,model.violence.targeting_rate
0,0,0.5,0.5,0.001
0,1,0.5,0.5,0.1
EOF
if $PY "$REPO/scripts/history_match.py" "$BIN" --posterior hm-posterior.csv --replicates 2 --bound 10 --us-2007 0 inf \
        --workdir hm --csv hm.csv >hm-all.txt 2>hm.err; then
    $PY - <<'EOF' || fail "history_match.py: the two particles' ratios are not distinct or not in the CSV"
import csv
rows = list(csv.DictReader(open("hm.csv")))
assert len(rows) == 2 and all(r["retained"] == "1" for r in rows), rows
a, b = (max(float(r["civilian_ratio"]), float(r["attack_ratio"])) for r in rows)  # a particle's worse ratio
assert a != b, rows
open("bound.txt", "w").write(f"{(a + b) / 2:.6f} {int(b < a)}")
EOF
    read -r bound kept <bound.txt
    $PY "$REPO/scripts/history_match.py" "$BIN" --posterior hm-posterior.csv --replicates 2 --bound "$bound" --us-2007 0 inf \
        --workdir hm --write-posterior hm-retained.csv >hm.txt 2>hm.err || fail "history_match.py failed: $(cat hm.err)"
    grep -q "retained (late/H1 2007 <= .* for both, US hostile deaths 2007 in \[0, inf\]): 1 (50.0% of the weight" hm.txt ||
        fail "history_match.py: not one particle of two retained at the bound between them ($(head -1 hm.txt))"
    value=$([ "$kept" = 1 ] && echo 0.1 || echo 0.001)
    grep -q "^model.violence.targeting_rate = $value\$" hm.txt || fail "history_match.py: the baseline lines are not the one retained particle's (particle $kept)"
    $PY - "$kept" <<'EOF' || fail "history_match.py --write-posterior: not the retained particle alone with weight 1"
import csv, sys
rows = list(csv.DictReader(r for r in open("hm-retained.csv") if not r.startswith("#")))
assert [r["particle"] for r in rows] == [sys.argv[1]] and float(rows[0]["weight"]) == 1.0, rows
EOF
    [ "$(ls hm/*.json | wc -l)" = 2 ] && [ -z "$(ls hm/*.h5 2>/dev/null)" ] || fail "history_match.py: the workdir is not one result per particle"
    # The second observed fact of 2007: a band of US deaths between the two particles' keeps one of
    # them, whatever the ratios (the bound is loose), and names the band.
    $PY - <<'EOF' || fail "history_match.py: the two particles' US deaths of 2007 are not distinct"
import csv
rows = list(csv.DictReader(open("hm.csv")))
a, b = (float(r["us_fatalities_2007"]) for r in rows)
assert a != b, rows
open("band.txt", "w").write(f"{min(a, b) - 1:.3f} {(a + b) / 2:.3f} {int(b < a)}")
EOF
    read -r low high fewer <band.txt
    $PY "$REPO/scripts/history_match.py" "$BIN" --posterior hm-posterior.csv --replicates 2 --bound 10 \
        --us-2007 "$low" "$high" --workdir hm --write-posterior hm-band.csv >hm-band.txt 2>hm.err ||
        fail "history_match.py --us-2007 failed: $(cat hm.err)"
    grep -q "): 1 (50.0% of the weight; 2 by the fall alone)" hm-band.txt ||
        fail "history_match.py --us-2007: not one particle of two retained by a band between them ($(head -1 hm-band.txt))"
    $PY - "$fewer" <<'EOF' || fail "history_match.py --us-2007: the retained particle is not the one inside the band"
import csv, sys
rows = list(csv.DictReader(r for r in open("hm-band.csv") if not r.startswith("#")))
assert [r["particle"] for r in rows] == [sys.argv[1]], rows
EOF
    # The same workdir with another seed measures again, not answering with the first seed's runs.
    $PY "$REPO/scripts/history_match.py" "$BIN" --posterior hm-posterior.csv --replicates 2 --seed 2 --bound 10 --us-2007 0 inf \
        --workdir hm --csv hm-seed2.csv >/dev/null 2>hm.err || fail "history_match.py --seed 2 failed: $(cat hm.err)"
    $PY - <<'EOF' || fail "history_match.py: a workdir of seed 1 answered for seed 2"
import csv
one, two = (list(csv.DictReader(open(f))) for f in ("hm.csv", "hm-seed2.csv"))
assert [r["attack_ratio"] for r in one] != [r["attack_ratio"] for r in two], (one, two)
EOF
else
    fail "history_match.py failed: $(cat hm.err)"
fi
# The embedded default is what docs/validation.md says it is: each fitted value of the baseline is,
# to three significant figures, that of the committed history-matched particle with the smallest
# 2004-2006 distance.
$PY - "$REPO" <<'EOF' || fail "scenarios/history/baseline.toml's fitted values are not the best history-matched particle's"
import csv, sys, tomllib
repo = sys.argv[1]
baseline = tomllib.load(open(f"{repo}/scenarios/history/baseline.toml", "rb"))
rows = list(csv.DictReader(r for r in open(f"{repo}/scenarios/calibration/baseline-2004-2006.history-matched.csv")
                           if not r.startswith("#")))
best = min(rows, key=lambda r: float(r["distance"]))
keys = [k for k in rows[0] if k not in ("population", "particle", "weight", "distance")]
# Every free parameter of the calibration is a column, and so a fitted value of the baseline.
free = open(f"{repo}/scenarios/calibration/baseline-2004-2006.toml").read().count("[[parameter]]")
assert len(keys) == free, (keys, free)
for key in keys:
    value = baseline
    for part in key.split("."):
        value = value[part]
    assert float(f"{float(best[key]):.3g}") == value, (key, best[key], value)
EOF
$PY "$REPO/scripts/history_match.py" "$BIN" --posterior missing.csv >/dev/null 2>missing.err
[ $? -eq 2 ] && grep -q "missing.csv" missing.err || fail "history_match.py: a missing posterior not refused with its name"
# A particle iraqsim refuses stops the match with the reason, and leaves no temporary runs.
printf 'population,particle,weight,distance,model.nonsense\n0,0,1,0.5,3\n' > hm-bad.csv
TMPDIR="$PWD/hm-tmp" && mkdir -p "$TMPDIR" && export TMPDIR
$PY "$REPO/scripts/history_match.py" "$BIN" --posterior hm-bad.csv --replicates 2 >/dev/null 2>hm-bad.err
[ $? -eq 2 ] && grep -q "model.nonsense" hm-bad.err && grep -q "particle 0" hm-bad.err ||
    fail "history_match.py: a refused particle not reported ($(tail -2 hm-bad.err))"
[ -z "$(ls -A hm-tmp)" ] || fail "history_match.py left its temporary runs: $(ls hm-tmp)"
unset TMPDIR

finish_checks "calibration script checks passed"
