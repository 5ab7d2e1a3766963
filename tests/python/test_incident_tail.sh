#!/bin/bash
# A published result the model must reproduce without being told it (docs/model.md, "Cells"): the
# sizes of the baseline's one-sided killing incidents have a power-law tail with an exponent between
# 2.0 and 3.0 (Bohorquez et al., Nature 2009, report about 2.5 for Iraq), by Clauset, Shalizi and
# Newman's method (maximum likelihood, the cut-off minimising the KS distance), and the power law is
# not rejected by its bootstrap goodness-of-fit test (p > 0.1). The tail comes from the cells'
# coalescence and fragmentation: nothing in the model draws from a power law.
# Usage: test_incident_tail.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
set -u

. "$(dirname "$0")/preamble.sh"
python_test_start "numpy h5py" "$@"

"$BIN" run -o incidents.h5 --replicates 1 --seed 7 --set output.incidents=true -q >run.log 2>&1 ||
    fail "iraqsim run with the incident log failed: $(cat run.log)"
if [ -s incidents.h5 ]; then
    $PY "$REPO/scripts/power_law_fit.py" incidents.h5 --bootstrap 100 --json >fit.json 2>fit.err ||
        fail "power_law_fit.py failed: $(cat fit.err)"
    cat fit.json
    $PY - <<'PYEOF' || fail "the tail is not a power law with an exponent in [2.0, 3.0]: $(cat fit.json)"
import json, sys
fit = json.load(open("fit.json"))
ok = 2.0 <= fit["alpha"] <= 3.0 and fit["p_value"] > 0.1 and fit["tail"] >= 100
sys.exit(0 if ok else 1)
PYEOF
fi
finish_checks "incident sizes: power-law tail $(cat fit.json 2>/dev/null)"
