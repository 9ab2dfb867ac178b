"""The problem report of validation: one line per bad cell, its columns and severities, and
the problems of each row in one text.

An ``error`` (a scale of 7, "maybe" in a yes/no) rejects its row; a ``warning`` (a date that
cannot be read, minutes that cannot be compared) keeps the row, scored on what can be used.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ERROR", "PROBLEM_COLUMNS", "WARNING", "empty_problems", "errors_only", "reasons_by_row"]

PROBLEM_COLUMNS = ("row", "interview_id", "column", "value", "reason", "severity")
ERROR, WARNING = "error", "warning"


def empty_problems() -> pd.DataFrame:
    """A problem report without any line, with the columns of :attr:`Validated.problems`."""
    return pd.DataFrame(
        {
            "row": np.array([], dtype=np.int64),
            **{c: pd.Series([], dtype=object) for c in PROBLEM_COLUMNS[1:]},
        }
    )


def errors_only(problems: pd.DataFrame) -> pd.DataFrame:
    """The problems that reject their row (a report without ``severity`` is all errors)."""
    if "severity" not in problems.columns:
        return problems
    return problems[problems["severity"].to_numpy() == ERROR]


def reasons_by_row(problems: pd.DataFrame, n_rows: int, first_row: int = 1, severity: str = ERROR) -> np.ndarray:
    """One text per row: its problems, or "" for a row without any.

    Parameters
    ----------
    problems : pandas.DataFrame
        As in :attr:`Validated.problems`.
    n_rows : int
        Number of rows of the chunk.
    first_row : int, default 1
        Row number of the chunk's first row, as given to :func:`validate`.
    severity : {"error", "warning"}, default "error"
        Which problems to give: those that reject their row, or those of rows kept.

    Returns
    -------
    numpy.ndarray of str (object dtype), length ``n_rows``
        ``"<column>: <reason> (got '<value>')"`` per problem of that severity, joined by
        ``"; "``.
    """
    out = np.full(n_rows, "", dtype=object)
    if severity == ERROR:
        problems = errors_only(problems)
    elif "severity" in problems.columns:
        problems = problems[problems["severity"].to_numpy() == severity]
    else:  # a report without severities is all errors
        problems = problems.iloc[0:0]
    if len(problems) == 0:
        return out
    message = (
        problems["column"].astype(str)
        + ": "
        + problems["reason"].astype(str)
        + " (got '"
        + problems["value"].astype(str)
        + "')"
    ).to_numpy(dtype=object)
    rows = problems["row"].to_numpy(dtype=np.int64) - first_row
    keep = (rows >= 0) & (rows < n_rows)
    rows, message = rows[keep], message[keep]
    order = np.argsort(rows, kind="stable")
    rows, message = rows[order], message[order]
    # k-th problem of its row: 0 for the first, 1 for the second, ...
    starts = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    rank = np.arange(len(rows)) - np.repeat(starts, np.diff(np.r_[starts, len(rows)]))
    first = rank == 0
    out[rows[first]] = message[first]
    for k in range(1, int(rank.max(initial=0)) + 1):
        at = rank == k
        out[rows[at]] = out[rows[at]] + "; " + message[at]
    return out
