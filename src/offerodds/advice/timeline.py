"""The candidate's calendar: the as-of date, and the dates of a row read in the candidate's
time zone.

Every date the advice compares is read in one time zone, the candidate's: the zone of the
as-of date-time when it carries an offset, else this machine's local zone. A date alone is
that calendar day; a date-time without an offset is a wall-clock time in that zone; a
date-time with an offset (``2026-03-02T09:00-05:00``) is a moment, converted into that zone,
so an interview in another zone lands on the day and hour it was for the candidate. The
24-hour window is counted on that wall clock (on the night a daylight-saving change falls in
it, it is an hour longer or shorter than 24 real hours).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from offerodds.errors import InputError
from offerodds.signals.dates import Dates, parse_dates

__all__ = ["AsOf", "Local", "as_of_date", "localise"]

NAT_DAY = np.datetime64("NaT", "D")


@dataclass(frozen=True)
class AsOf:
    """The date the advice is given for (``--as-of``).

    Attributes
    ----------
    day : numpy.datetime64
        The calendar day (``datetime64[D]``).
    moment : numpy.datetime64 or None
        The wall-clock time in ``zone`` (``datetime64[s]``) when a time of day was given; then
        the 24-hour window is judged to the minute, else by the day.
    zone : datetime.tzinfo or None
        The candidate's time zone; None is this machine's local zone.
    """

    day: np.datetime64
    moment: np.datetime64 | None = None
    zone: dt.tzinfo | None = None

    def __str__(self) -> str:
        if self.moment is None:
            return str(self.day)
        return str(self.moment).replace("T", " ")[:16]


def _error(value) -> InputError:
    return InputError(
        f"as-of date {value!r} is not an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM, "
        "optionally with an offset such as +01:00)"
    )


def as_of_date(value=None) -> AsOf:
    """The as-of date from what a caller gave.

    Parameters
    ----------
    value : None, str, datetime.date, datetime.datetime, pandas.Timestamp or numpy.datetime64
        None is today in this machine's local time. A date-time (with or without an offset)
        judges the 24-hour window to the minute.

    Returns
    -------
    AsOf

    Raises
    ------
    ValueError
        When ``value`` is not a date.

    Examples
    --------
    >>> str(as_of_date("2026-03-03")), str(as_of_date("2026-03-03T09:30+01:00"))
    ('2026-03-03', '2026-03-03 09:30')
    """
    if isinstance(value, AsOf):
        return value
    if value is None:
        return AsOf(np.datetime64(dt.date.today(), "D"))
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise _error(value)
        value = pd.Timestamp(value).to_pydatetime()
    if isinstance(value, dt.datetime):
        if pd.isna(value):
            raise _error(value)
        zone = value.tzinfo
        wall = value.replace(tzinfo=None)
        return AsOf(np.datetime64(wall.date(), "D"), np.datetime64(wall, "s"), zone)
    if isinstance(value, dt.date):
        return AsOf(np.datetime64(value, "D"))
    if not isinstance(value, str) or not value.strip():
        raise _error(value)
    parsed = parse_dates(pd.Series([value.strip()], dtype=object))
    if not parsed.known[0]:
        raise _error(value)
    day = parsed.clock[0].astype("datetime64[D]")
    if not parsed.has_time[0]:
        return AsOf(day)
    offset = parsed.offset[0]
    zone = None if np.isnan(offset) else dt.timezone(dt.timedelta(seconds=float(offset)))
    return AsOf(day, parsed.clock[0], zone)


@dataclass
class Local:
    """One date column read in the candidate's zone."""

    clock: np.ndarray  # datetime64[s], NaT where not recorded
    day: np.ndarray  # datetime64[D]
    has_time: np.ndarray  # bool
    known: np.ndarray  # bool: a date was recorded


def _local_zone() -> dt.tzinfo:
    from dateutil.tz import tzlocal

    return tzlocal()


def localise(dates: Dates, zone: dt.tzinfo | None) -> Local:
    """``dates`` in the candidate's zone (``zone``; None: this machine's local zone)."""
    clock = dates.clock
    moments = ~np.isnan(dates.offset)
    if moments.any():  # only cells that gave an offset move
        clock = clock.copy()
        utc = clock[moments] - dates.offset[moments].astype("timedelta64[s]")
        there = pd.DatetimeIndex(utc).tz_localize("UTC").tz_convert(zone or _local_zone())
        clock[moments] = there.tz_localize(None).to_numpy(dtype="datetime64[s]")
    return Local(clock, clock.astype("datetime64[D]"), dates.has_time, ~np.isnat(clock))
