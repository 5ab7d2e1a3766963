#!/usr/bin/python3
"""Opens an iraqsim output file the way users do (xarray with both netCDF engines, pandas through
xarray, and h5py) and checks the layout docs/output.md promises: named dimensions attached as HDF5
dimension scales, decoded time, units, shares in [0, 1], and the same values whichever reader is
used.

Usage: check_output.py FILE [--replicates N]
Exit status: 0 when every check passes; 1 on a failed check; 77 (skip) when one of the readers'
Python modules (netCDF4, h5netcdf) is not installed, after checking with the others."""
import argparse
import importlib.util
import sys

import h5py
import numpy as np
import xarray as xr

ENGINES = {"netcdf4": "netCDF4", "h5netcdf": "h5netcdf"}
DIM_NAMES = ("replicate", "time", "province", "community", "other_community", "faction", "sponsor",
             "channel", "event", "incident")


def check_xarray(path, engine, replicates):
    expected_dims = {"replicate", "time", "province", "community", "faction", "sponsor"}
    with xr.open_dataset(path, engine=engine) as ds:
        missing = expected_dims - set(ds.sizes)
        assert not missing, f"{engine}: missing dimensions {missing}"
        assert ds.sizes["province"] == 18, ds.sizes
        if replicates is not None:
            assert ds.sizes["replicate"] == replicates, f"{engine}: {ds.sizes['replicate']} replicates"
            assert int(ds.attrs["replicates"]) == replicates, ds.attrs["replicates"]
        assert list(ds.replicate.values) == list(range(ds.sizes["replicate"])), ds.replicate.values
        assert np.issubdtype(ds.time.dtype, np.datetime64), f"{engine}: time not decoded: {ds.time.dtype}"
        assert str(ds.time.values[0])[:10] == "2003-05-01", ds.time.values[0]
        assert (np.diff(ds.time.values) == np.timedelta64(7, "D")).all(), "weeks are not 7 days apart"
        assert ds.support.dims == ("replicate", "time", "province", "faction"), ds.support.dims
        assert ds.us_troops.dims == ("replicate", "time", "province"), ds.us_troops.dims
        for name, var in ds.data_vars.items():
            if var.dtype.kind == "f":
                assert "units" in var.attrs and "long_name" in var.attrs, f"{name} lacks units/long_name"
        support = ds.support.values
        assert np.isfinite(support).all() and support.min() >= 0 and support.max() <= 1
        assert (support.sum(axis=-1) <= 1 + 1e-5).all()
        baghdad = ds.us_troops.sel(province="baghdad", replicate=0)
        assert float(baghdad.sel(time="2007-10-04")) > float(baghdad.sel(time="2006-06-01"))
        assert "province_name" in ds.support.coords, "display names are not coordinates"
        assert "Salah ad-Din" in list(ds.province_name.values)
        assert ds.province.dtype.kind in "OU" and str(ds.province.values[0]) == "anbar", ds.province.values[:2]
        assert ds.attrs["Conventions"] == "CF-1.8"
        for key in ("iraqsim_version", "git_revision", "scenario_text", "seed", "format_version"):
            assert key in ds.attrs, f"provenance attribute {key} missing"
        assert "event" in ds.sizes and ds.sizes["event"] >= 4 * ds.sizes["replicate"], ds.sizes
        firings = ds[["event_time", "event_id", "event_policy", "event_replicate"]].to_dataframe()
        surge = firings[(firings.event_id == "surge_2007") & (firings.event_replicate == 0)]
        assert len(surge) == 1 and surge.event_policy.iloc[0] == "surge", firings
        assert str(surge.event_time.iloc[0])[:10] == "2007-01-11", surge
        # pandas through xarray, as docs/output.md shows it
        frame = ds.us_troops.isel(replicate=0).to_dataframe()
        assert len(frame) == ds.sizes["time"] * 18
        long = ds.support.to_dataframe().reset_index()
        assert list(long.columns[:4]) == ["replicate", "time", "province", "faction"], list(long.columns)
        assert len(long) == support.size
        return {name: (var.dims, np.asarray(var.values)) for name, var in ds.data_vars.items()
                if var.dtype.kind in "fiu"}


def check_h5py(path):
    with h5py.File(path, "r") as f:
        assert f["support"].compression == "gzip"
        assert f["support"].dtype == np.float32
        assert f["time"].attrs["units"] in (b"days since 2003-01-01", "days since 2003-01-01"), f["time"].attrs["units"]
        for name in DIM_NAMES:
            if name in f:
                assert h5py.h5ds.is_scale(f[name].id), f"{name} is not a dimension scale"
        dims = [d[0].name.lstrip("/") for d in f["support"].dims]
        assert dims == ["replicate", "time", "province", "faction"], dims
        provinces = [p.decode() if isinstance(p, bytes) else p for p in f["province"][()]]
        assert provinces[0] == "anbar" and len(provinces) == 18, provinces[:2]
        return {name: f[name][()] for name in f if isinstance(f[name], h5py.Dataset)
                and f[name].dtype.kind in "fiu" and not h5py.h5ds.is_scale(f[name].id)}


def same(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.array_equal(np.isnan(a), np.isnan(b)) and \
        np.array_equal(a[~np.isnan(a)], b[~np.isnan(b)])


def check(path, replicates=None):
    engines = [e for e, mod in ENGINES.items() if importlib.util.find_spec(mod) is not None]
    skipped = [e for e in ENGINES if e not in engines]
    seen = {e: check_xarray(path, e, replicates) for e in engines}
    raw = check_h5py(path)
    for e, values in seen.items():
        for name, (dims, v) in values.items():
            if name in raw and dims[:1] == ("replicate",):
                assert same(v, raw[name]), f"{name}: xarray ({e}) and h5py read different values"
    if len(seen) == 2:
        a, b = seen["netcdf4"], seen["h5netcdf"]
        assert set(a) == set(b), set(a) ^ set(b)
        for name in a:
            assert a[name][0] == b[name][0], f"{name}: dimensions differ between engines"
            assert same(a[name][1], b[name][1]), f"{name}: the engines read different values"
    readers = ", ".join(["xarray (%s)" % e for e in engines] + ["pandas via xarray", "h5py"])
    print(f"{path}: opens in {readers} with the documented layout and the same values")
    if skipped:
        print("SKIP: Python module(s) %s not installed, so xarray's %s engine was not checked "
              "(Debian: python3-netcdf4, python3-h5netcdf)" % (", ".join(ENGINES[e] for e in skipped),
                                                              "/".join(skipped)), file=sys.stderr)
        return 77
    return 0


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file")
    p.add_argument("--replicates", type=int, help="the number of replicates the file must hold")
    a = p.parse_args()
    sys.exit(check(a.file, a.replicates))
