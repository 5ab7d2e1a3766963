#!/bin/bash
# Builds the gallery (docs/gallery.md and its figures in docs/img/gallery/) from one command: runs the
# historical baseline and the what-ifs of scenarios/whatif/ (no-surge, no-ceasefire) with a modest
# ensemble and a fixed seed into a scratch folder, a small Morris screening, and draws every figure
# with the plotting scripts (docs/plotting.md). Figures and page are regenerated whole; the runs are
# kept in the scratch folder for a closer look.
set -euo pipefail

usage() {
    cat <<'EOF'
usage: scripts/make_gallery.sh [options]

Runs baseline, no-surge and no-ceasefire (same seed, so their replicates pair up)
and a Morris screening, then writes the gallery's figures and regenerates its page.

options:
  --bin PATH         the iraqsim binary (default: $IRAQSIM, else build/iraqsim, else
                     iraqsim on PATH)
  --scratch DIR      folder for the runs (default: a new folder under /tmp, kept)
  --replicates N     replicates per run (default: 8)
  --seed N           master seed of the three runs (default: 1)
  --threads N        worker threads (default: 1; results do not depend on it)
  --out DIR          folder of the figures (default: docs/img/gallery)
  --doc FILE         the page to write (default: docs/gallery.md; figures are linked
                     relative to it)
  --dpi N            PNG resolution (default: 90)
  --no-sweep         leave out the Morris screening figure
  -h, --help         this help

examples:
  scripts/make_gallery.sh                                   # the committed gallery
  scripts/make_gallery.sh --replicates 2 --out /tmp/g --doc /tmp/g/gallery.md --no-sweep
EOF
}

REPO=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
PY=/usr/bin/python3
BIN=${IRAQSIM:-}
SCRATCH=""
REPS=8
SEED=1
THREADS=1
OUT=$REPO/docs/img/gallery
DOC=$REPO/docs/gallery.md
DPI=90
SWEEP=1
while [ $# -gt 0 ]; do
    case $1 in
    --bin) BIN=$2; shift 2 ;;
    --scratch) SCRATCH=$2; shift 2 ;;
    --replicates) REPS=$2; shift 2 ;;
    --seed) SEED=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --doc) DOC=$2; shift 2 ;;
    --dpi) DPI=$2; shift 2 ;;
    --no-sweep) SWEEP=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "make_gallery.sh: error: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
done
if [ -z "$BIN" ]; then
    if [ -x "$REPO/build/iraqsim" ]; then BIN=$REPO/build/iraqsim
    elif command -v iraqsim >/dev/null; then BIN=$(command -v iraqsim)
    else echo "make_gallery.sh: error: no iraqsim binary: build it, or give --bin PATH (or IRAQSIM=PATH)" >&2; exit 2
    fi
fi
[ -x "$BIN" ] || { echo "make_gallery.sh: error: $BIN is not an executable" >&2; exit 2; }
[ -n "$SCRATCH" ] || SCRATCH=$(mktemp -d /tmp/iraqsim-gallery.XXXXXX)
mkdir -p "$SCRATCH" "$OUT" "$(dirname "$DOC")"
OUT=$(cd "$OUT" && pwd)
DOC=$(cd "$(dirname "$DOC")" && pwd)/$(basename "$DOC")
REL=$(realpath --relative-to="$(dirname "$DOC")" "$OUT")
export MPLCONFIGDIR=$SCRATCH/mplconfig

echo "make_gallery: runs in $SCRATCH, figures in $OUT, page $DOC"
run() { "$BIN" run "$@" --replicates "$REPS" --seed "$SEED" --threads "$THREADS" --force -q; }
run -o "$SCRATCH/baseline.h5"
run "$REPO/scenarios/whatif/no-surge.toml" -o "$SCRATCH/no-surge.h5"
run "$REPO/scenarios/whatif/no-ceasefire.toml" -o "$SCRATCH/no-ceasefire.h5"
if [ "$SWEEP" = 1 ]; then
    rm -rf "$SCRATCH/screening"
    "$BIN" sweep "$REPO/scenarios/sweeps/screening-morris.toml" -o "$SCRATCH/screening" --threads "$THREADS" -q
fi

S=$REPO/scripts
B=$SCRATCH/baseline.h5
plot() { $PY "$S/$1" "${@:2}" --dpi "$DPI" >/dev/null; }
# plot_compare.py prints its summary line first: keep it for the caption
compare() { $PY "$S/plot_compare.py" "$@" --dpi "$DPI" | sed -n '1s/^.*shown: //p'; }

plot plot_timeseries.py "$B" -o "$OUT/baseline_timeseries.png"
plot plot_ensemble.py "$B" --var militia --faction jam,special_groups,aqi,awakening,sunni_insurgents,government \
    --columns 2 -o "$OUT/baseline_ensemble.png"
plot plot_map.py "$B" --date 2007-06-01 -o "$OUT/baseline_map.png"
plot plot_observed.py "$B" -o "$OUT/baseline_observed.png"
NS1=$(compare "$B" "$SCRATCH/no-surge.h5" --var civilian_deaths -o "$OUT/compare_no_surge_civilian_deaths.png")
NS2=$(compare "$B" "$SCRATCH/no-surge.h5" --var attacks_on_us --province baghdad,anbar \
    -o "$OUT/compare_no_surge_attacks_on_us.png")
NC1=$(compare "$B" "$SCRATCH/no-ceasefire.h5" --var attacks_by --faction jam,special_groups \
    --from 2006-01-01 --to 2009-12-31 -o "$OUT/compare_no_ceasefire_attacks.png")
NC2=$(compare "$B" "$SCRATCH/no-ceasefire.h5" --var civilian_deaths --province baghdad \
    -o "$OUT/compare_no_ceasefire_baghdad.png")
if [ "$SWEEP" = 1 ]; then
    plot plot_sweep.py "$SCRATCH/screening" --metric total_civilian_deaths -o "$OUT/sweep_screening.png"
fi

VERSION=$("$BIN" info "$B" | sed -n 's/^ *iraqsim_version: //p')
REV=$("$BIN" info "$B" | sed -n 's/^ *git_revision: //p')
SWEEP_SECTION=""
if [ "$SWEEP" = 1 ]; then
    SWEEP_SECTION=$(cat <<EOF

## Sensitivity: a Morris screening

Which uncertain parameters move total civilian deaths at all? \`scenarios/sweeps/screening-morris.toml\`:
20 Morris trajectories over five loyalty, nationalism and population parameters (120 points, 2
replicates each, common random numbers). Top: the metric against each parameter (dots: each point's
mean over replicates; line: median in bins); bottom: the elementary effects, mu* (importance) and
sigma (interactions or non-linearity).

![Total civilian deaths against each screened parameter, with Morris mu* and sigma]($REL/sweep_screening.png)

\`\`\`sh
iraqsim sweep scenarios/sweeps/screening-morris.toml -o screening
scripts/plot_sweep.py screening --metric total_civilian_deaths
\`\`\`
EOF
)
fi

cat >"$DOC" <<EOF
# Gallery

What iraqsim's outputs look like, drawn by the scripts of \`docs/plotting.md\` from three runs of
$REPS replicates with seed $SEED: the historical baseline (the embedded default) and two what-ifs,
\`scenarios/whatif/no-surge.toml\` and \`scenarios/whatif/no-ceasefire.toml\` (each file's header says
what question it asks and what it changes). iraqsim $VERSION, git revision $REV.

The figures show the model as it stands, not findings: the model is still being calibrated, and
its observed series stop in December 2006 on purpose (later months are held back for validation).

Regenerate this page and every figure with one command (about a minute on one core):

\`\`\`sh
scripts/make_gallery.sh --bin build/iraqsim      # --help for the options
\`\`\`

## The baseline

Support by faction in Baghdad, the mean over replicates, with the policy events of the baseline as
dashed lines:

![Support by faction in Baghdad]($REL/baseline_timeseries.png)

Fighters of six factions, national, as fan charts over the replicates (median, 50% and 90% bands):

![Fighters by faction, spread over replicates]($REL/baseline_ensemble.png)

The faction with the largest support in each governorate, June 2007. Boundaries: ESOC Iraq v3
(Berman, Shapiro & Felter 2011).

![The leading faction by governorate, June 2007]($REL/baseline_map.png)

\`\`\`sh
iraqsim run -o baseline.h5 --replicates $REPS --seed $SEED
scripts/plot_timeseries.py baseline.h5
scripts/plot_ensemble.py baseline.h5 --var militia --faction jam,special_groups,aqi,awakening,sunni_insurgents,government --columns 2
scripts/plot_map.py baseline.h5 --date 2007-06-01
\`\`\`

## Simulated observations beside the observed data

What an IBC-like count, a SIGACT-like record and the US casualty lists would have recorded in the
baseline (\`reported_civilian_deaths\`, \`reported_attacks\`, \`us_fatalities\`), summed over Iraq by
calendar month, against the monthly data in \`data/observed/\` (grey: months held back for
validation).

![Simulated IBC-like deaths, SIGACT-like attacks and US deaths beside the observed data]($REL/baseline_observed.png)

Credits: civilian deaths, Iraq Body Count, https://www.iraqbodycount.org/ (monthly table as of 6
March 2012, via A. Beger, Code_IBC_Province; non-commercial use only, with credit to IBC); attacks,
ESOC Iraq v3 (Empirical Studies of Conflict; Berman, Shapiro & Felter, "Can Hearts and Minds Be
Bought?", JPE 119(4), 2011); US military deaths, cochransean/iraq-war-vis (MIT) after the Guardian
Datablog, "Iraq war: the conflict in statistics", and a DoD-derived casualty list. Details and
caveats: \`data/NOTICE.md\` and each file's \`.md\`.

\`\`\`sh
scripts/plot_observed.py baseline.h5
\`\`\`

## What if there had been no surge?

\`no-surge\` removes the surge of January 2007: the national troop level is held at its January
2007 level, with the pre-surge allocation and posture (\`scenarios/whatif/no-surge.toml\`). Both
runs use seed $SEED, so replicate r of each shares its random streams and the top panel shows the
paired differences, no-surge minus baseline, by month.

Civilian deaths, Iraq. The paired difference summed over the whole run: $NS1.

![No surge minus baseline: civilian deaths]($REL/compare_no_surge_civilian_deaths.png)

Attacks on US forces in Baghdad and Anbar, where the surge went. The paired difference summed over
the whole run: $NS2.

![No surge minus baseline: attacks on US forces in Baghdad and Anbar]($REL/compare_no_surge_attacks_on_us.png)

## What if Sadr had not frozen the Mahdi Army in August 2007?

\`no-ceasefire\` removes Sadr's ceasefire of 2007-08-29 and its extension of 2008-02-22, keeping the
Basra offensive and the stand-down orders that followed it (\`scenarios/whatif/no-ceasefire.toml\`).

Attacks on US and Iraqi forces by the Mahdi Army and the Special Groups, 2006-2009. The paired
difference summed over those years: $NC1.

![No ceasefire minus baseline: attacks by JAM and the Special Groups]($REL/compare_no_ceasefire_attacks.png)

Civilian deaths in Baghdad. The paired difference summed over the whole run: $NC2.

![No ceasefire minus baseline: civilian deaths in Baghdad]($REL/compare_no_ceasefire_baghdad.png)

\`\`\`sh
iraqsim run scenarios/whatif/no-surge.toml -o no-surge.h5 --replicates $REPS --seed $SEED
iraqsim run scenarios/whatif/no-ceasefire.toml -o no-ceasefire.h5 --replicates $REPS --seed $SEED
scripts/plot_compare.py baseline.h5 no-surge.h5 --var civilian_deaths
scripts/plot_compare.py baseline.h5 no-surge.h5 --var attacks_on_us --province baghdad,anbar
scripts/plot_compare.py baseline.h5 no-ceasefire.h5 --var attacks_by --faction jam,special_groups --from 2006-01-01 --to 2009-12-31
scripts/plot_compare.py baseline.h5 no-ceasefire.h5 --var civilian_deaths --province baghdad
\`\`\`
$SWEEP_SECTION
EOF

total=$(du -cb "$OUT"/*.png | tail -1 | cut -f1)
echo "make_gallery: wrote $(ls "$OUT"/*.png | wc -l) figures ($((total / 1024)) KiB) and $DOC"
