"""The dates of an iraqsim file's weekly records, from the file's own time axis: `time` holds days
since an origin its CF `units` attribute names ("days since YYYY-MM-DD"; docs/output.md). Every
script that turns records into dates reads the origin here, so none assumes one."""

import re

import numpy as np

_UNITS = re.compile(r"days since (\d{4}-\d{2}-\d{2})(?:[ T].*)?")


class TimeUnitsError(ValueError):
    """The file's time axis has no units this module can read."""


def time_origin(f, path=None):
    """The origin of f["time"] (an open h5py.File) as numpy.datetime64 in days. Errors name `path`,
    by default the file's own name."""
    path = path or getattr(f, "filename", "file")
    if "time" not in f:
        raise TimeUnitsError(f"{path}: no 'time' variable")
    units = f["time"].attrs.get("units", b"")
    units = units.decode() if isinstance(units, bytes) else str(units)
    m = _UNITS.fullmatch(units.strip())
    if not m:
        raise TimeUnitsError(f"{path}: time units {units!r} are not 'days since YYYY-MM-DD'")
    return np.datetime64(m[1], "D")


def record_dates(f, path=None):
    """The date of each record of f["time"], as numpy.datetime64[D]."""
    days = np.rint(f["time"][...]).astype("int64")
    return time_origin(f, path) + days.astype("timedelta64[D]")


def in_period(dates, first, last):
    """Mask of the records dated from first to last, both included (ISO dates or datetime64)."""
    return (dates >= np.datetime64(first, "D")) & (dates <= np.datetime64(last, "D"))
