"""Reading the dates people write: ISO, day-month-year in words, and numeric dates whose order
is clear.

Accepted (a time of day may follow an ISO date):

- ISO 8601: ``2026-03-10``, ``2026-03-10T09:00``, ``2026-03-10 09:00``, ``2026-03-10T09:00Z``;
- year first with slashes or dots: ``2026/03/10``, ``2026.03.10``;
- month in words, in English: ``10 March 2026``, ``10 Mar 2026``, ``March 10, 2026``,
  ``Mar 10 2026``, ``10-Mar-2026``, ``Tuesday 10 March 2026``;
- numbers with the year last (``/``, ``.`` or ``-`` between them) when the order is clear:
  ``25/03/2026`` (no month 25: day first), ``03/25/2026`` (month first), ``03/03/2026``.

Not guessed: a numeric date whose day and month could be swapped (``03/10/2026``: 3 October
or 10 March?) is ambiguous, and a two-digit year (``10/03/26``) or anything else is unreadable.
Dates never change the probability, so either is a warning that leaves the date unread, never
a reason to reject the interview (``validation``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["AMBIGUOUS", "UNREADABLE", "parse_dates"]

UNREADABLE = "not a date offerodds can read; write it as YYYY-MM-DD (2026-03-10)"
AMBIGUOUS = "day and month could be either way round ({a} {b} or {c} {d}); write it as YYYY-MM-DD"

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_WORDS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d-%b-%Y", "%d-%B-%Y")
_YEAR_FIRST = r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$"
_YEAR_LAST = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"
_WEEKDAY = r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+"


def _from_parts(year, month, day) -> pd.Series:
    text = year.str.zfill(4) + "-" + month.str.zfill(2) + "-" + day.str.zfill(2)
    return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce", utc=True)


def parse_dates(text: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Read a column of stripped date texts.

    Parameters
    ----------
    text : pandas.Series of str
        Stripped texts; missing cells are NA (they are neither read nor a problem).

    Returns
    -------
    dates : pandas.Series of datetime64[ns, UTC]
        The date (and time) of each cell; NaT where missing, ambiguous or unreadable.
    problems : numpy.ndarray of object
        None for a cell read or missing, else why it was not read (:data:`UNREADABLE`, or
        :data:`AMBIGUOUS` naming both readings).

    Examples
    --------
    >>> dates, problems = parse_dates(pd.Series(["10 March 2026", "03/10/2026", "soon"]))
    >>> dates.dt.strftime("%Y-%m-%d").tolist()[0], problems.tolist()[0]
    ('2026-03-10', None)
    >>> problems.tolist()[1]
    'day and month could be either way round (3 October or 10 March); write it as YYYY-MM-DD'
    """
    text = text.astype("string").reset_index(drop=True)
    present = text.notna().to_numpy()
    dates = pd.to_datetime(text, format="ISO8601", errors="coerce", utc=True)
    problems = np.full(len(text), None, dtype=object)

    todo = present & dates.isna().to_numpy()
    if todo.any():
        parts = text[todo].str.extract(_YEAR_FIRST)
        found = parts[0].notna()
        if found.any():
            dates[found[found].index] = _from_parts(parts[0][found], parts[1][found], parts[2][found])
    todo = present & dates.isna().to_numpy()
    if todo.any():
        parts = text[todo].str.extract(_YEAR_LAST)
        found = parts[0].notna()
        if found.any():
            a, b, year = (parts[i][found] for i in range(3))
            first, second = a.astype(int), b.astype(int)
            day_first = (first > 12) | (first == second)
            month_first = (second > 12) & (first <= 12)
            read = day_first | month_first
            day = a.where(day_first, b)
            month = b.where(day_first, a)
            index = read[read].index
            dates[index] = _from_parts(year[read], month[read], day[read])
            unclear = ~read & (first >= 1) & (second >= 1) & (first <= 12) & (second <= 12)
            for i in unclear[unclear].index:
                x, y = int(first[i]), int(second[i])
                problems[i] = AMBIGUOUS.format(a=x, b=_MONTHS[y - 1], c=y, d=_MONTHS[x - 1])
    todo = present & dates.isna().to_numpy() & (problems == None)  # noqa: E711 - elementwise
    if todo.any():
        words = text[todo].str.replace(_WEEKDAY, "", regex=True, case=False)
        words = words.str.replace(r"(\d)(st|nd|rd|th)\b", r"\1", regex=True)
        for form in _WORDS:
            missing = dates[words.index].isna()
            if not missing.any():
                break
            subset = words[missing.to_numpy()]
            dates[subset.index] = pd.to_datetime(subset, format=form, errors="coerce", utc=True)
    unread = present & dates.isna().to_numpy() & (problems == None)  # noqa: E711
    problems[unread] = UNREADABLE
    return dates, problems
