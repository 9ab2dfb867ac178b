"""The problem report of validation: one line per bad cell, its columns and severities, and
the problems of each row in one text; and the cells that are numbers but not real ones.

An ``error`` (a scale of 7, "maybe" in a yes/no) rejects its row; a ``warning`` (a date that
cannot be read, minutes that cannot be compared) keeps the row, scored on what can be used.
"""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd

__all__ = [
    "ERROR",
    "NON_REAL",
    "PROBLEM_COLUMNS",
    "WARNING",
    "empty_problems",
    "errors_only",
    "non_real",
    "non_real_cell",
    "real_parts",
    "reasons_by_row",
]

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


# --- numbers that are not real: a complex number with an imaginary part, a Decimal NaN or
# infinity. Validation rejects them naming the row and the column, rather than scoring the real
# part or reading them as blanks; a complex number without an imaginary part is its real part.

NON_REAL = "not a real number ({what}): give a plain number"


def non_real_cell(value) -> str | None:
    """What makes one cell a number that is not real (an imaginary part, a Decimal NaN or
    infinity); None for any other cell (a complex number with no imaginary part is real)."""
    if isinstance(value, (complex, np.complexfloating)):
        return "a complex number" if value.imag != 0 else None
    if isinstance(value, decimal.Decimal) and not value.is_finite():
        return "a Decimal NaN" if value.is_nan() else "a Decimal infinity"
    return None


def non_real(series: pd.Series) -> np.ndarray | None:
    """The reason for each cell that is a number but not a real one (None elsewhere), or None
    when the column has none: a complex column's every recorded cell, or such objects."""
    dtype = series.dtype
    if pd.api.types.is_complex_dtype(dtype):
        values = series.to_numpy()
        out = np.where(np.isnan(values.real) | (values.imag == 0), None, "a complex number").astype(object)
    elif pd.api.types.is_object_dtype(dtype):
        out = np.array([non_real_cell(v) for v in series.to_numpy()], dtype=object)
    else:
        return None
    return out if any(r is not None for r in out) else None


def real_parts(series: pd.Series) -> pd.Series:
    """Complex cells as their real part (those with an imaginary part are reported apart)."""
    if pd.api.types.is_complex_dtype(series.dtype):
        return pd.Series(series.to_numpy().real, index=series.index)
    if pd.api.types.is_object_dtype(series.dtype):
        values = series.to_numpy()
        if any(isinstance(v, (complex, np.complexfloating)) for v in values):
            real = [v.real if isinstance(v, (complex, np.complexfloating)) and v.imag == 0 else v for v in values]
            return pd.Series(real, index=series.index, dtype=object)
    return series
