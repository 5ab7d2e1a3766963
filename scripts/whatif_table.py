#!/usr/bin/python3
"""Measures every what-if of scenarios/whatif/ against the baseline and prints the Markdown table of
docs/whatifs.md: civilian deaths and attacks in 2007, 2008 and 2003-2011, what-if minus baseline
(relative change) [95% paired-t interval], from `iraqsim compare ... --csv`.

    scripts/whatif_table.py build/iraqsim [--replicates 32] [whatif.toml ...]

Python 3 standard library only.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile


def cell(row):
    diff, low, high = (float(row[k]) for k in ("difference_mean", "difference_low", "difference_high"))
    rel = float(row["relative"]) * 100 if row["relative"] not in ("", "nan") else float("nan")
    return f"{diff:+,.0f} ({rel:+.1f}%) [{low:+,.0f}, {high:+,.0f}]"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("iraqsim")
    parser.add_argument("--replicates", type=int, default=32)
    parser.add_argument("whatifs", nargs="*")
    args = parser.parse_args()
    whatifs = args.whatifs or sorted(
        os.path.join(here, "..", "scenarios", "whatif", f)
        for f in os.listdir(os.path.join(here, "..", "scenarios", "whatif")) if f.endswith(".toml"))
    print("| what-if | civilian deaths 2007 | 2008 | 2003-2011 | attacks 2007 | 2008 | 2003-2011 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for path in whatifs:
            out = os.path.join(tmp, os.path.basename(path) + ".csv")
            subprocess.run([args.iraqsim, "compare", "baseline", path, "--replicates", str(args.replicates),
                            "--var", "civilian_deaths,attacks", "--csv", out],
                           check=True, stdout=subprocess.DEVNULL)
            with open(out, newline="") as f:
                rows = {(r["variable"], r["period"]): r for r in csv.DictReader(f) if r["province"] == "Iraq"}
            cells = [cell(rows[(v, p)]) for v in ("civilian_deaths", "attacks") for p in ("2007", "2008", "all")]
            name = os.path.splitext(os.path.basename(path))[0]
            print(f"| `{name}` | " + " | ".join(cells) + " |")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
