"""Cells of a frame that pandas itself cannot look at, made readable before anything else."""

from __future__ import annotations

import decimal

import pandas as pd

__all__ = ["no_signalling_nan"]


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
