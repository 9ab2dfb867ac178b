"""What is refused or made readable before a table is opened: a path that is not a regular
file, cells of a frame that pandas itself cannot look at."""

from __future__ import annotations

import decimal
import stat

import pandas as pd

from offerodds.errors import InputError

__all__ = ["no_signalling_nan", "refuse_non_file"]


def no_signalling_nan(chunk: pd.DataFrame) -> pd.DataFrame:
    """A Decimal signalling NaN (``Decimal('sNaN')``) makes pandas raise on any look at it:
    such a cell is replaced by its text, so it is reported (or passed through) like any other."""
    replaced = None
    for name in chunk.columns:
        column = chunk[name]
        if not pd.api.types.is_object_dtype(column.dtype):
            continue
        hit = [isinstance(v, decimal.Decimal) and v.is_snan() for v in column.to_numpy()]
        if any(hit):
            if replaced is None:
                replaced = chunk.copy()
            replaced[name] = column.where(~pd.Series(hit, index=column.index), column.map(str))
    return chunk if replaced is None else replaced


def refuse_non_file(mode: int, name: str) -> None:
    """A pipe, a terminal or a device is refused naming what it is: read twice, it is gone
    (and its size, 0, would call it empty)."""
    if stat.S_ISREG(mode):
        return
    kind = "a pipe" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) else "not a file"
    raise InputError(
        f"{name} is {kind}, not a regular file; offerodds reads a file more than once: "
        "save the data to a .csv or .parquet file first"
    )
