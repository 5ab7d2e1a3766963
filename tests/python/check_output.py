#!/usr/bin/python3
"""Opens an iraqsim output file the way users do (xarray, both netCDF engines, and h5py) and checks
the layout docs/output.md promises: named dimensions, decoded time, units, shares in [0, 1]."""
import sys

import h5py
import numpy as np
import xarray as xr


def check(path):
    expected_dims = {"replicate", "time", "province", "community", "faction", "sponsor"}
    for engine in ("netcdf4", "h5netcdf"):
        with xr.open_dataset(path, engine=engine) as ds:
            missing = expected_dims - set(ds.sizes)
            assert not missing, f"{engine}: missing dimensions {missing}"
            assert ds.sizes["province"] == 18, ds.sizes
            assert np.issubdtype(ds.time.dtype, np.datetime64), f"{engine}: time not decoded: {ds.time.dtype}"
            assert str(ds.time.values[0])[:10] == "2003-05-01", ds.time.values[0]
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
            assert ds.attrs["Conventions"] == "CF-1.8"
            for key in ("iraqsim_version", "git_revision", "scenario_text", "seed", "format_version"):
                assert key in ds.attrs, f"provenance attribute {key} missing"
            assert "event" in ds.sizes and ds.sizes["event"] >= 4 * ds.sizes["replicate"], ds.sizes
            firings = ds[["event_time", "event_id", "event_policy", "event_replicate"]].to_dataframe()
            surge = firings[(firings.event_id == "surge_2007") & (firings.event_replicate == 0)]
            assert len(surge) == 1 and surge.event_policy.iloc[0] == "surge", firings
            assert str(surge.event_time.iloc[0])[:10] == "2007-01-11", surge
            frame = ds.us_troops.isel(replicate=0).to_dataframe()
            assert len(frame) == ds.sizes["time"] * 18
    with h5py.File(path, "r") as f:
        assert f["support"].compression == "gzip" and f["support"].shuffle
        assert f["support"].dtype == np.float32
    print(f"{path}: opens in xarray (netcdf4, h5netcdf) and h5py with the documented layout")


if __name__ == "__main__":
    check(sys.argv[1])
