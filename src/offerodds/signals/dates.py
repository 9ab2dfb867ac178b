"""Dates and date-times as a row carries them (DESIGN.md, "Signals": ISO dates, or date-times
where the hour matters), read once: validation asks which cells are not dates, the advice asks
what they say.

:func:`parse_dates` keeps what a person wrote: a date alone (``2026-03-02``), a wall-clock
date-time (``2026-03-02T14:30``, read later in the candidate's own time zone) or a date-time
with an offset (``2026-03-02T14:30+01:00``, ``...Z``: a precise moment). Each distinct text is
parsed once, so a column of a million rows costs about as much as its few hundred dates.

Besides ISO 8601, the dates people commonly write are read when their meaning is clear: year
first with slashes or dots (``2026/03/10``, ``2026.03.10``), the month in words, in English
(``10 March 2026``, ``10 Mar 2026``, ``March 10, 2026``, ``Tuesday 10 March 2026``,
``10-Mar-2026``), and numbers with the year last when the order of day and month is clear
(``25/03/2026``: there is no month 25, so the day comes first; ``03/25/2026``; ``03/03/2026``).
Not guessed: a numeric date whose day and month could be swapped (``03/10/2026``: 3 October or
10 March?), a two-digit year (``10/03/26``), anything else. Such a cell is ``bad``;
:func:`unread_reason` says why. Validation reports it as a warning: a date never changes the
probability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["AMBIGUOUS", "OUT_OF_RANGE", "UNREADABLE", "Dates", "parse_dates", "unread_reason"]

UNREADABLE = "not a date offerodds can read; write it as YYYY-MM-DD (2026-03-10)"
#: Dates are read from 1900 to 2200: an interview outside that is a typing slip, and dates at
#: the edge of the calendar (9999-12-31T23:59-12:00) cannot be moved between time zones.
FIRST_YEAR, LAST_YEAR = 1900, 2200
OUT_OF_RANGE = f"a date before {FIRST_YEAR} or after {LAST_YEAR}; offerodds leaves it unread (is the year right?)"
_LOW = np.datetime64(f"{FIRST_YEAR}-01-01T00:00:00", "s")
_HIGH = np.datetime64(f"{LAST_YEAR + 1}-01-01T00:00:00", "s")
_YEAR = r"^\s*[+-]?(\d{4,})"
AMBIGUOUS = "day and month could be either way round ({a} {b} or {c} {d}); write it as YYYY-MM-DD"
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WORDS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d-%b-%Y", "%d-%B-%Y")
_YEAR_FIRST = r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"
_YEAR_LAST = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"
_WEEKDAY = r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"

# an offset (or Z) after a time of day: what makes a date-time a precise moment
_OFFSET = r"[T ]\d{1,2}(?::?\d{2}){0,2}(?:[.,]\d+)?\s*(?P<offset>[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_TIME = r"^\s*\d{4}-?\d{2}-?\d{2}[T ]\d"


@dataclass
class Dates:
    """What the cells of one date column say, one entry per cell.

    Attributes
    ----------
    clock : numpy.ndarray of datetime64[s]
        The wall-clock time as written (midnight for a date alone); NaT where the cell is empty
        or not a date.
    has_time : numpy.ndarray of bool
        A time of day was given.
    offset : numpy.ndarray of float
        Seconds east of UTC where the cell gave an offset (``Z`` is 0); NaN for a wall-clock
        time or a date alone.
    bad : numpy.ndarray of bool
        The cell is not empty but is not a date.
    """

    clock: np.ndarray
    has_time: np.ndarray
    offset: np.ndarray
    bad: np.ndarray

    @classmethod
    def empty(cls, n: int) -> "Dates":
        """``n`` cells with nothing recorded."""
        return cls(
            np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"),
            np.zeros(n, bool),
            np.full(n, np.nan),
            np.zeros(n, bool),
        )

    @property
    def known(self) -> np.ndarray:
        return ~np.isnat(self.clock)


def _in_range(dates: Dates) -> Dates:
    """Dates outside the years read (:data:`FIRST_YEAR` to :data:`LAST_YEAR`) made ``bad``."""
    known = ~np.isnat(dates.clock)
    out = known & ((dates.clock < _LOW) | (dates.clock >= _HIGH))
    if out.any():
        dates = Dates(*(np.array(getattr(dates, n), copy=True) for n in ("clock", "has_time", "offset", "bad")))
        dates.clock[out] = np.datetime64("NaT")
        dates.has_time[out] = False
        dates.offset[out] = np.nan
        dates.bad[out] = True
    return dates


def _from_datetimes(series: pd.Series) -> Dates:
    """A column pandas already holds as datetimes (a frame passed to ``offerodds.score``)."""
    try:
        return _in_range(_from_datetime_values(series))
    except (ValueError, OverflowError, NotImplementedError, pd.errors.OutOfBoundsDatetime):
        return parse_dates(series.astype(object).map(lambda v: "" if pd.isna(v) else v.isoformat()))


def _from_datetime_values(series: pd.Series) -> Dates:
    values = pd.DatetimeIndex(series)
    offset = np.full(len(values), np.nan)
    if values.tz is not None:
        utc = values.tz_convert("UTC").tz_localize(None)
        values = values.tz_localize(None)  # the wall clock in the column's own zone
        offset = (values - utc).total_seconds().to_numpy(dtype=float, copy=True)
    clock = values.to_numpy(dtype="datetime64[s]")
    has_time = ~np.isnat(clock) & (clock != clock.astype("datetime64[D]"))
    offset[np.isnat(clock)] = np.nan
    return Dates(clock, has_time, offset, np.zeros(len(values), bool))


def _offset_seconds(text: pd.Series) -> np.ndarray:
    """Seconds east of UTC of each text's offset; NaN where it has none."""
    found = text.str.extract(_OFFSET, expand=True)["offset"]
    out = np.full(len(text), np.nan)
    given = found.notna().to_numpy(bool)
    if given.any():
        raw = found[given].str.upper().str.replace(":", "", regex=False)
        zulu = (raw == "Z").to_numpy(bool)
        digits = raw.where(~zulu, "+0000").str.pad(5, side="right", fillchar="0")
        sign = np.where(digits.str[0] == "-", -1.0, 1.0)
        hours = digits.str[1:3].astype(float).to_numpy()
        minutes = digits.str[3:5].astype(float).to_numpy()
        out[given] = sign * (hours * 3600 + minutes * 60)
    return out


def _day_month(text: str) -> tuple[int, int, int] | None:
    """(first, second, year) of a numeric date written with the year last, else None."""
    found = pd.Series([text], dtype=object).str.extract(_YEAR_LAST).iloc[0]
    return None if found.isna().any() else (int(found[0]), int(found[1]), int(found[2]))


def unread_reason(text: str) -> str:
    """Why a date cell was not read: its day and month could be either way round, or it is not
    a date offerodds can read."""
    year = pd.Series([str(text)], dtype=object).str.extract(_YEAR).iloc[0, 0]
    if isinstance(year, str) and not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return OUT_OF_RANGE
    parts = _day_month(str(text).strip())
    if parts is not None:
        a, b, _ = parts
        if 1 <= a <= 12 and 1 <= b <= 12 and a != b:
            return AMBIGUOUS.format(a=a, b=_MONTHS[b - 1], c=b, d=_MONTHS[a - 1])
    return UNREADABLE


def _from_parts(year: pd.Series, month: pd.Series, day: pd.Series) -> np.ndarray:
    text = year.str.zfill(4) + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").to_numpy(dtype="datetime64[s]")


def _other_forms(texts: pd.Series) -> np.ndarray:
    """The dates people write besides ISO 8601, where their meaning is clear (a date alone);
    NaT where a text is none of them or could be read two ways."""
    out = np.full(len(texts), np.datetime64("NaT"), dtype="datetime64[s]")
    texts = texts.reset_index(drop=True)
    parts = texts.str.extract(_YEAR_FIRST)
    found = parts[0].notna().to_numpy(bool)
    if found.any():
        out[found] = _from_parts(parts[0][found], parts[1][found], parts[2][found])
    parts = texts.str.extract(_YEAR_LAST)
    found = parts[0].notna().to_numpy(bool) & np.isnat(out)
    if found.any():
        a, b, year = (parts[i][found] for i in range(3))
        first, second = a.astype(int), b.astype(int)
        day_first = ((first > 12) | (first == second)).to_numpy(bool)
        month_first = ((second > 12) & (first <= 12)).to_numpy(bool)
        day = np.where(day_first, a, b)
        month = np.where(day_first, b, a)
        read = day_first | month_first  # both 12 or under and different: not guessed
        rows = np.flatnonzero(found)[read]
        out[rows] = _from_parts(year[read], pd.Series(month[read], index=year[read].index),
                                pd.Series(day[read], index=year[read].index))
    todo = np.isnat(out) & ~found
    if todo.any():
        words = texts[todo].str.replace(_WEEKDAY, "", regex=True, case=False)
        words = words.str.replace(r"(\d)(st|nd|rd|th)\b", r"\1", regex=True)
        rows = np.flatnonzero(todo)
        for form in _WORDS:
            left = np.isnat(out[rows])
            if not left.any():
                break
            parsed = pd.to_datetime(words[left], format=form, errors="coerce")
            out[rows[left]] = parsed.to_numpy(dtype="datetime64[s]")
    return out


def _parse_texts(texts: pd.Series) -> Dates:
    """Parse distinct, stripped, non-empty texts (the work of :func:`parse_dates`); a year
    outside :data:`FIRST_YEAR` to :data:`LAST_YEAR` is ``bad`` before anything parses it."""
    texts = texts.reset_index(drop=True)
    year = texts.str.extract(_YEAR)[0]
    outside = (year.notna() & ~year.fillna("2000").astype(int).between(FIRST_YEAR, LAST_YEAR)).to_numpy(bool)
    if outside.any():
        dates = Dates.empty(len(texts))
        dates.bad[outside] = True
        inside = np.flatnonzero(~outside)
        if len(inside):
            part = _parse_texts(texts[~outside])
            for name in ("clock", "has_time", "offset", "bad"):
                getattr(dates, name)[inside] = getattr(part, name)
        return dates
    try:
        return _in_range(_parse_in_range(texts))
    except (ValueError, OverflowError, NotImplementedError, pd.errors.OutOfBoundsDatetime):
        if len(texts) == 1:  # a text pandas cannot place on the calendar: not a date
            dates = Dates.empty(1)
            dates.bad[0] = True
            return dates
        parts = [_parse_texts(texts.iloc[i : i + 1]) for i in range(len(texts))]  # one at a time
        return Dates(*(np.concatenate([getattr(p, n) for p in parts]) for n in ("clock", "has_time", "offset", "bad")))


def _parse_in_range(texts: pd.Series) -> Dates:
    instants = pd.to_datetime(texts, format="ISO8601", errors="coerce", utc=True)
    utc = instants.dt.tz_localize(None).to_numpy(dtype="datetime64[s]")
    offset = _offset_seconds(texts)
    bad = np.isnat(utc)
    shift = np.where(np.isnan(offset) | bad, 0.0, offset).astype("timedelta64[s]")
    clock = utc + shift  # an offset's wall clock; other texts were read as written
    has_time = texts.str.contains(_TIME, regex=True).to_numpy(bool) & ~bad
    offset[bad] = np.nan
    if bad.any():  # not ISO: the other forms people write (a date alone)
        other = _other_forms(texts[bad])
        clock[bad] = other
        bad[np.flatnonzero(bad)[~np.isnat(other)]] = False
    return Dates(clock, has_time, offset, bad)


_KNOWN: dict[str, tuple] = {}  # text -> (clock, has_time, offset, bad), remembered across chunks
_KNOWN_MAX = 50_000  # distinct texts remembered; beyond, the memory starts afresh


def _lookup(texts: list[str]) -> Dates:
    """The parse of each text, from memory where it was seen before."""
    todo = [t for t in dict.fromkeys(texts) if t not in _KNOWN]
    if todo:
        if len(_KNOWN) + len(todo) > _KNOWN_MAX:
            _KNOWN.clear()
        fresh = _parse_texts(pd.Series(todo, dtype=object))
        for j, text in enumerate(todo):
            _KNOWN[text] = (fresh.clock[j], fresh.has_time[j], fresh.offset[j], fresh.bad[j])
    parts = [_KNOWN[t] for t in texts]
    return Dates(
        np.array([p[0] for p in parts], dtype="datetime64[s]"),
        np.array([p[1] for p in parts], dtype=bool),
        np.array([p[2] for p in parts], dtype=float),
        np.array([p[3] for p in parts], dtype=bool),
    )


def parse_dates(series: pd.Series) -> Dates:
    """Read a column of dates and date-times (ISO 8601, and the other forms above).

    Parameters
    ----------
    series : pandas.Series
        Text as read from a file, or any values a frame held (datetimes, dates, strings).

    Returns
    -------
    Dates

    Examples
    --------
    >>> d = parse_dates(pd.Series(["2026-03-02", "2026-03-02T14:30+01:00", "", "soon"]))
    >>> d.has_time.tolist(), float(d.offset[1]), d.bad.tolist()
    ([False, True, False, False], 3600.0, [False, False, False, True])
    """
    n = len(series)
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return _from_datetimes(series)
    out = Dates.empty(n)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)  # each distinct cell once
    if len(uniques) == 0:
        return out
    texts = [u.strip() if isinstance(u, str) else str(u).strip() for u in np.asarray(uniques, dtype=object)]
    parsed = _lookup(texts)
    blank = np.array([t == "" for t in texts], dtype=bool)
    parsed.clock[blank] = np.datetime64("NaT")
    parsed.bad[blank] = False
    at = codes >= 0
    pick = codes[at]
    out.clock[at] = parsed.clock[pick]
    out.has_time[at] = parsed.has_time[pick]
    out.offset[at] = parsed.offset[pick]
    out.bad[at] = parsed.bad[pick]
    return out
