#!/bin/bash
# scripts/faction_strength.py (docs/validation.md, "Faction strength"): on a file whose fighters are
# known, the model's figure is the most national fighters in any week of the estimate's period (a
# year, years or a month), averaged over replicates, and the verdict follows the ratio; an estimate
# it cannot read is named by file and line (exit 2); and on the default run every faction of
# data/derived/factions.csv gets a ratio. Exit 77 (skip) when numpy or h5py is missing.
# Usage: test_faction_strength.sh IRAQSIM_BINARY SCRATCH_DIR REPO_DIR
set -u

. "$(dirname "$0")/preamble.sh"
python_test_start "numpy h5py" "$@"
SCRIPT=$REPO/scripts/faction_strength.py

# Two factions, two provinces, weekly from 2005-12-01 to 2007-01-25, two replicates. Faction a has
# 1,000 + week fighters in each province, replicate 1 twice replicate 0's; b has 100 throughout but
# 10,000 in one week of 2005 (outside its period). The time origin is not the one iraqsim writes
# (2003-01-01): the script must take the file's own.
$PY - <<'PY' || fail "could not write the synthetic run"
import datetime, h5py, numpy as np
start = datetime.date(2005, 12, 1)
weeks = 61
days = [7 * w for w in range(weeks)]
m = np.zeros((2, weeks, 2, 2))
for w in range(weeks):
    m[0, w, :, 0] = 1000 + w
    m[1, w, :, 0] = 2 * (1000 + w)
m[:, :, :, 1] = 50
m[:, 2, 0, 1] = 9950  # 2005-12-15: 10,000 nationally
with h5py.File("synthetic.h5", "w") as f:
    f["militia"] = m
    f["time"] = np.array(days, dtype=float)
    f["time"].attrs["units"] = "days since 2005-12-01"
    f["faction"] = np.array([b"a", b"b"])
with open("factions.csv", "w") as f:
    f.write("id,peak_fighters_estimate\n")
    f.write("a,3000 (2006)\n")     # in 2006: the last week of 2006 is 2006-12-28, week 56
    f.write("b,100 (2006-01)\n")   # January 2006 only
PY
$PY "$SCRIPT" synthetic.h5 --factions factions.csv --markdown >table.md 2>err.txt || fail "faction_strength.py failed: $(cat err.txt)"
# a: week 56 holds 1,056 a province, 2,112 nationally (replicate 0) and 4,224 (replicate 1): mean 3,168.
grep -qF "| a | 3000 (2006) | 3,168 " table.md || fail "a's figure is not the mean of the replicates' peaks in 2006: $(cat table.md)"
grep -qF "| 1.06 | within 2x |" table.md || fail "a's ratio and verdict are wrong: $(cat table.md)"
# b: 100 in January 2006 (the 10,000 of December 2005 is outside the period), its own peak 10,000.
grep -qF "| b | 100 (2006-01) | 100 (100-100) | 1.00 | within 2x | 10,000 (2005-12-15) |" table.md ||
    fail "b's period or own peak is wrong: $(cat table.md)"
sed -i 's/^b,100 (2006-01)$/b,100 (2006-13)/' factions.csv
$PY "$SCRIPT" synthetic.h5 --factions factions.csv >/dev/null 2>err.txt
rc=$?
[ "$rc" -eq 2 ] || fail "an unreadable estimate exited $rc, not 2"
grep -q "factions.csv:3: peak_fighters_estimate" err.txt || fail "the error does not name file, line and key: $(cat err.txt)"
$PY -c 'import h5py; h5py.File("synthetic.h5", "r+")["time"].attrs["units"] = "weeks since 2005-12-01"' ||
    fail "could not change the time units"
$PY "$SCRIPT" synthetic.h5 >/dev/null 2>err.txt
rc=$?
[ "$rc" -eq 2 ] || fail "time units that are not days exited $rc, not 2"
grep -qF "synthetic.h5: time units 'weeks since 2005-12-01'" err.txt || fail "the error does not name the file and units: $(cat err.txt)"
$PY -c 'import h5py; h5py.File("synthetic.h5", "r+")["time"].attrs["units"] = "days since 2005-12-01"' ||
    fail "could not restore the time units"
printf 'id,peak_fighters_estimate\na,10000 (2006)\nb,10 (2006)\n' >two.csv
$PY "$SCRIPT" synthetic.h5 --factions two.csv >two.txt
grep -qE "^a .* 0\.32 +low " two.txt || fail "a ratio of 0.32 is not 'low': $(cat two.txt)"
grep -qE "^b .* 10\.00 +high " two.txt || fail "a ratio of 10 is not 'high': $(cat two.txt)"

# The default run: every faction with an estimate gets a ratio.
"$BIN" run -o baseline.h5 --replicates 2 -q >run.log 2>&1 || fail "iraqsim run failed: $(cat run.log)"
$PY "$SCRIPT" baseline.h5 --markdown >baseline.md 2>err.txt || fail "faction_strength.py on the default run failed: $(cat err.txt)"
rows=$(grep -cE '^\| [a-z_]+ \| [0-9]+ \(.*\) \| [0-9,]+ \([0-9,]+-[0-9,]+\) \| [0-9.]+ \| (within 2x|low|high) \|' baseline.md)
factions=$(($(wc -l <"$REPO/data/derived/factions.csv") - 1))
[ "$rows" -eq "$factions" ] || fail "$rows rows with a ratio for $factions factions: $(cat baseline.md)"

finish_checks "faction_strength.py: periods, replicates, verdicts and errors as documented; $rows factions on the default run"
