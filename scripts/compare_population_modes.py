#!/usr/bin/python3
"""Agent mode against the aggregate core (docs/agents.md, "Agent mode against the aggregate core"):
national support by faction on 1 July of each year and civilian deaths and US fatalities by year,
means over replicates, as Markdown tables.

  iraqsim run -o aggregate.h5 --replicates 4
  iraqsim run scenarios/agents/baseline-agents.toml -o agents.h5 --replicates 4
  scripts/compare_population_modes.py aggregate.h5 agents.h5
"""
import argparse

import numpy as np
import xarray as xr


def summary(path):
    d = xr.open_dataset(path)
    pop = d.residents.sum("community")
    national = (d.support * pop).sum("province") / pop.sum("province")  # [replicate, time, faction]
    first, last = int(d.time.dt.year.min()) + 1, int(d.time.dt.year.max())
    days = lambda y: np.abs((d.time - np.datetime64("%d-07-01" % y)).values.astype("timedelta64[D]").astype(float))
    mid = {y: int(np.argmin(days(y))) for y in range(first, last + 1)}
    years = d.time.dt.year
    deaths = d.civilian_deaths.sum("province").groupby(years).sum().mean("replicate")
    us = d.us_fatalities.sum("province").groupby(years).sum().mean("replicate")
    return d, national, mid, deaths, us


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("aggregate", help="output of the aggregate core (iraqsim run)")
    ap.add_argument("agents", help="output of agent mode, same scenario and seed")
    args = ap.parse_args()
    a, b = summary(args.aggregate), summary(args.agents)
    d, years = a[0], sorted(a[2])
    print("National support on 1 July (mean over replicates), aggregate / agents, %\n")
    print("| faction | " + " | ".join(str(y) for y in years) + " |")
    print("|---|" + "---|" * len(years))
    for f in range(d.sizes["faction"]):
        cells = ["%.1f / %.1f" % (100 * float(a[1].isel(time=a[2][y], faction=f).mean("replicate")),
                                  100 * float(b[1].isel(time=b[2][y], faction=f).mean("replicate"))) for y in years]
        print("| %s | %s |" % (d.faction.values[f], " | ".join(cells)))
    print("\n| year | civilian deaths, aggregate | agents | US fatalities, aggregate | agents |")
    print("|---|---|---|---|---|")
    for y in a[3].year.values:
        print("| %d | %.0f | %.0f | %.0f | %.0f |" % (y, float(a[3].sel(year=y)), float(b[3].sel(year=y)),
                                                   float(a[4].sel(year=y)), float(b[4].sel(year=y))))


if __name__ == "__main__":
    main()
