#!/bin/bash
# A published result the model must reproduce without being told it (docs/model.md, "Cells"): the
# sizes of the baseline's one-sided killing incidents have a power-law tail with an exponent between
# 2.0 and 3.0 (Bohorquez et al., Nature 2009, report about 2.5 for Iraq), estimated by Clauset,
# Shalizi and Newman's method (maximum likelihood, the cut-off minimising the KS distance), in each
# of three seeds. The tail comes from the cells' coalescence and fragmentation: nothing in the model
# draws from a power law, and with every cell broken up each step (fragmentation 1) the tail is gone.
# The bootstrap goodness-of-fit p-values are printed, not asserted (docs/model.md, "Cells", says why).
# Usage: test_incident_tail.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
set -u

. "$(dirname "$0")/preamble.sh"
python_test_start "numpy h5py" "$@"

fit() {  # fit NAME [--set ...]: runs the baseline with the incident log and fits its tail into NAME.json
    local name=$1
    shift
    "$BIN" run -o "$name.h5" --replicates 1 --set output.incidents=true "$@" -q >"$name.log" 2>&1 ||
        { fail "iraqsim run $* failed: $(cat "$name.log")"; return 1; }
    $PY "$REPO/scripts/power_law_fit.py" "$name.h5" --bootstrap 50 --json >"$name.json" 2>"$name.err" ||
        { fail "power_law_fit.py on $name failed: $(cat "$name.err")"; return 1; }
    echo "$name: $(cat "$name.json")"
}

for seed in 1 2 3; do
    if fit "seed$seed" --seed "$seed"; then
        $PY -c "import json, sys; f = json.load(open('seed$seed.json')); sys.exit(0 if 2.0 <= f['alpha'] <= 3.0 and f['tail'] >= 1000 else 1)" ||
            fail "seed $seed: the tail exponent is not in [2.0, 3.0] over at least 1000 incidents: $(cat "seed$seed.json")"
    fi
done
# Without coalescence every incident kills one: the power law is the process's, not an input's.
"$BIN" run -o broken.h5 --replicates 1 --seed 1 --set output.incidents=true --set model.violence.cell_fragmentation=0.5 \
    --set model.violence.cell_steps_per_week=2000 -q >broken.log 2>&1 || fail "iraqsim run (fragmented cells) failed: $(cat broken.log)"
if [ -s broken.h5 ]; then
    $PY - <<'PYEOF' || fail "with cells broken up as fast as they form, large incidents remain"
import h5py, numpy as np, sys
with h5py.File("broken.h5") as f:
    d = f["incident_deaths"][()][f["incident_kind"].asstr()[()] == "one_sided"]
with h5py.File("seed1.h5") as f:
    base = f["incident_deaths"][()][f["incident_kind"].asstr()[()] == "one_sided"]
print(f"incidents of 20 or more deaths: {np.mean(base >= 20):.5f} with cells, {np.mean(d >= 20):.5f} with cells broken up")
sys.exit(0 if np.mean(d >= 20) < 0.1 * np.mean(base >= 20) else 1)
PYEOF
fi
finish_checks "incident sizes: power-law tails with exponents in [2.0, 3.0]"
