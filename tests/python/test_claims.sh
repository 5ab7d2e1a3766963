#!/bin/bash
# The article's claims as tests (docs/policies.md, "Claims as tests"): runs scripts/claims.py with one
# kind of claim over 32 paired replicates. Observed facts and mechanisms pass when each claim passes
# or is a known failure (KNOWN_FAILING in the script); a known failure that passes (FIXED) fails the
# test, so that the list stays honest. Forecasts are never asserted: their test checks that they run.
# Usage: test_claims.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR observed|mechanisms|forecasts
set -u

extra_usage="observed|mechanisms|forecasts"
. "$(dirname "$0")/preamble.sh"
python_test_start "numpy h5py" "$@"
case $EXTRA in
    observed | mechanisms | forecasts) ;;
    *) echo "usage: $0 IRAQSIM_BINARY SCRATCH_DIR REPO_DIR $extra_usage" >&2; exit 2 ;;
esac

$PY "$REPO/scripts/claims.py" "$BIN" --kind "$EXTRA" --replicates 32 --seed 1 --threads 2 --workdir runs ||
    fail "claims.py --kind $EXTRA: a claim failed, or one in KNOWN_FAILING now passes (see above)"
finish_checks "claims ($EXTRA): every claim passes or is a known failure"
