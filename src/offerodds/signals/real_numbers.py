"""Numbers that are not real: a complex number with an imaginary part, a Decimal NaN or
infinity. Validation rejects them naming the row and the column, rather than scoring the real
part or reading them as blanks; a complex number without an imaginary part is its real part."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd

__all__ = ["NON_REAL", "non_real", "non_real_cell", "real_parts"]


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
