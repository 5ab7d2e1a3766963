#!/usr/bin/python3
"""Golden summary of the historical baseline for a fixed seed.

Runs nothing itself: it reads an output file of `iraqsim run` (seed 1, 4 replicates, the embedded
baseline) and compares a small set of headline numbers with tests/scenarios/baseline_golden.json,
each within its relative tolerance. The numbers are means over replicates, so the tolerance covers
floating-point differences between CPUs (glibc picks FMA variants of exp at run time) but not a
change of the model.

When the model changes on purpose, regenerate and commit the new file with the change:

    build/iraqsim run -o /tmp/golden.h5 --seed 1 --replicates 4 --force -q
    /usr/bin/python3 tests/scenarios/golden_summary.py /tmp/golden.h5 --regenerate
"""
import argparse
import json
import pathlib
import sys

import numpy as np
import xarray as xr

GOLDEN = pathlib.Path(__file__).with_name("baseline_golden.json")
TOLERANCE = 1e-4  # relative; float32 outputs, means over replicates


def summary(path):
    ds = xr.open_dataset(path)
    mean = lambda da: float(da.mean("replicate"))
    at = lambda var, date: var.sel(time=date, method="nearest")
    weights = ds.residents.sum("community")
    national_support = (ds.support * weights).sum("province") / weights.sum("province")
    out = {}
    for date in ("2003-05-01", "2007-10-04", "2011-12-29"):
        out[f"us_troops_total@{date}"] = mean(at(ds.us_troops, date).sum("province"))
        for faction in ("isci", "jam", "government", "sunni_parties", "kurdish_parties", "secular_nationalists"):
            out[f"support[{faction}]@{date}"] = mean(at(national_support, date).sel(faction=faction))
        out[f"nationalism_focus[baghdad,shia_arab,iran]@{date}"] = mean(
            at(ds.nationalism_focus, date).sel(province="baghdad", community="shia_arab", sponsor="iran"))
        out[f"residents_total@{date}"] = mean(at(ds.residents, date).sum(["province", "community"]))
    out["us_troops[baghdad]@2007-10-04"] = mean(at(ds.us_troops, "2007-10-04").sel(province="baghdad"))
    out["us_posture[baghdad]@2007-10-04"] = mean(at(ds.us_posture, "2007-10-04").sel(province="baghdad"))
    out["dependence[iran,isci]@2003-05-01"] = mean(at(ds.dependence, "2003-05-01").sel(sponsor="iran", faction="isci"))
    out["policy_log_entries"] = int(ds.sizes["event"])
    year = lambda var, y: mean(var.sel(time=slice(f"{y}-01-01", f"{y}-12-31")).sum(["time", "province"]))
    for y in (2004, 2006, 2008, 2010):
        for var in ("civilian_deaths", "attacks", "us_fatalities", "reported_attacks", "reported_civilian_deaths"):
            out[f"{var}_total@{y}"] = year(ds[var], y)
    for faction in ("jam", "special_groups", "government", "sunni_insurgents", "awakening", "aqi"):
        out[f"militia[{faction}]@2008-07-03"] = mean(at(ds.militia, "2008-07-03").sel(faction=faction).sum("province"))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="output of: iraqsim run --seed 1 --replicates 4")
    parser.add_argument("--regenerate", action="store_true", help=f"write {GOLDEN.name} from FILE")
    args = parser.parse_args()
    current = summary(args.file)
    if args.regenerate:
        GOLDEN.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
        print(f"wrote {GOLDEN} ({len(current)} numbers)")
        return 0
    golden = json.loads(GOLDEN.read_text())
    failures = []
    for key in sorted(set(golden) | set(current)):
        if key not in golden or key not in current:
            failures.append(f"{key}: only in {'golden' if key in golden else 'this run'}")
            continue
        want, got = golden[key], current[key]
        if not np.isclose(got, want, rtol=TOLERANCE, atol=1e-9):
            failures.append(f"{key}: got {got!r}, golden {want!r}")
    if failures:
        print("the baseline differs from its golden summary (regenerate if the model changed on purpose):")
        print("\n".join("  " + f for f in failures))
        return 1
    print(f"{len(golden)} headline numbers match the golden summary")
    return 0


if __name__ == "__main__":
    sys.exit(main())
