"""The encodings of the signals: from the validated signal frame to the features scorers weigh.

Plain numpy functions (no scikit-learn), so scoring stays light; :class:`SignalFeatures`
wraps them as a scikit-learn transformer. Every feature is owned by exactly one signal, and a
signal left empty sets all of its features to 0, so it contributes exactly nothing. The
encodings follow the article's reading of each signal (``resources/signals.toml``):

- a 1-5 scale enters as ``(rating - 3) / 2``: -1 at 1, 0 at 3, +1 at 5;
- a yes/no signal has one indicator per answer (``<signal>=yes``, ``<signal>=no``), so the
  points for "yes" and for "no" can differ;
- interview length is judged against the scheduled length: ``interview_length:recorded``
  (1 when both are known), ``interview_length:short`` (``min(ratio, 1) - 1``, how much was cut)
  and ``interview_length:over`` (``clip(ratio - 1, 0, 1)``, how much it ran over), so cutting
  short and running over may weigh differently;
- body language and rapport signals also get their features multiplied by each context
  (``<feature>*structured_format``, ``<feature>*inexperienced_interviewer``, 1 when the context
  answer is yes), owned by the same signal, so context can change what they are worth;
- ``stage`` has one indicator per stage; it shifts the baseline rather than contributing.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from offerodds.errors import InputError
from offerodds.signals.catalogue import CONTEXT_SIGNALS, STAGES, catalogue, input_columns

__all__ = [
    "base_features",
    "check_signal_frame",
    "encode",
    "context_masks",
    "encode_signal",
    "feature_layout",
    "length_ratio",
    "numeric_column",
]


def base_features(signal) -> list[str]:
    if signal.kind == "scale":
        return [signal.name]
    if signal.kind == "yesno":
        return [f"{signal.name}=yes", f"{signal.name}=no"]
    if signal.kind == "minutes":
        return [f"{signal.name}:recorded", f"{signal.name}:short", f"{signal.name}:over"]
    return [f"{signal.name}={stage}" for stage in STAGES]


@functools.cache
def _layout(interactions: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Feature names and, for each, the signal that owns it."""
    names, owners = [], []
    for signal in catalogue():
        base = base_features(signal)
        names += base
        owners += [signal.name] * len(base)
        if interactions and signal.context_sensitive:
            for context in CONTEXT_SIGNALS:
                names += [f"{f}*{context}" for f in base]
                owners += [signal.name] * len(base)
    return tuple(names), tuple(owners)


def feature_layout(interactions: bool = True) -> tuple[list[str], list[str]]:
    """Feature names and, for each, the signal that owns it."""
    names, owners = _layout(bool(interactions))
    return list(names), list(owners)


def numeric_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[name]
    numeric = pd.to_numeric(values, errors="coerce")
    if not pd.api.types.is_numeric_dtype(values) and numeric.isna().sum() > values.isna().sum():
        raise InputError(
            f"SignalFeatures takes the validated signal frame, but column {name!r} holds text "
            "such as 'yes'; pass offerodds.signals.validation.validate(...).typed, or use offerodds.score"
        )
    return numeric.to_numpy(dtype=float, na_value=np.nan)


def length_ratio(frame: pd.DataFrame, signal) -> np.ndarray:
    """Actual over scheduled minutes of each row: NaN where either is not recorded, or where
    their ratio is not finite (1e-310 scheduled minutes are valid; the ratio overflows). The
    length's features, terms, states and profile all read it here."""
    scheduled, actual = (numeric_column(frame, c) for c in signal.columns)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = actual / scheduled
    return np.where(np.isfinite(ratio), ratio, np.nan)


def encode_signal(signal, frame: pd.DataFrame) -> np.ndarray:
    """Base features of one signal, shape (n, k); exactly 0 where the signal is not recorded."""
    if signal.kind == "scale":
        x = (numeric_column(frame, signal.name) - 3.0) / 2.0
        return np.nan_to_num(x, nan=0.0)[:, None]
    if signal.kind == "yesno":
        x = numeric_column(frame, signal.name)
        return np.column_stack([(x == 1.0), (x == 0.0)]).astype(float)
    if signal.kind == "minutes":
        ratio = length_ratio(frame, signal)
        known = np.isfinite(ratio)
        ratio = np.where(known, ratio, 1.0)
        return np.column_stack(
            [known.astype(float), np.minimum(ratio, 1.0) - 1.0, np.clip(ratio - 1.0, 0.0, 1.0)]
        )
    stage = frame[signal.name] if signal.name in frame.columns else pd.Series(np.nan, frame.index)
    if isinstance(stage.dtype, pd.CategoricalDtype):
        # what validation gives: normalise each category once, then look the codes up
        # (a last row of zeros for a missing value, code -1)
        names = pd.Series(stage.cat.categories).astype("string").str.strip().str.lower()
        lookup = np.zeros((len(names) + 1, len(STAGES)))
        lookup[:-1] = np.column_stack([names.to_numpy(dtype=object, na_value=None) == s for s in STAGES])
        codes = stage.cat.codes.to_numpy(dtype=np.int64)
        return lookup[np.where(codes < 0, len(names), codes)]
    stage = stage.astype("string").str.strip().str.lower().to_numpy(dtype=object, na_value=None)
    return np.column_stack([stage == s for s in STAGES]).astype(float)


def context_masks(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """For each context signal, the rows where it was answered yes."""
    return {c: numeric_column(frame, c) == 1.0 for c in CONTEXT_SIGNALS}


def check_signal_frame(X) -> None:
    """Refuse anything but a DataFrame naming at least one signal column."""
    if not isinstance(X, pd.DataFrame):
        raise TypeError(
            "SignalFeatures needs a pandas DataFrame with named signal columns "
            f"(see offerodds.catalogue()), got {type(X).__name__}"
        )
    if not set(X.columns) & set(input_columns()):
        raise InputError(
            "SignalFeatures found no signal column; expected some of: "
            + ", ".join(input_columns()[:5])
            + ", ..."
        )


def encode(frame: pd.DataFrame, interactions: bool = True, spare: int = 0) -> np.ndarray:
    """Every feature of every row, shape (n_rows, n_features), float64, in layout order.

    The features are written signal by signal into one array (never a list of blocks and
    their concatenation: at a million rows that doubled the peak). ``spare``: columns left
    after the features (uninitialised) in the same array, which is then returned whole, shape
    (n_rows, n_features + spare), for a caller that adds columns without copying the features.
    """
    check_signal_frame(frame)
    names, _ = feature_layout(interactions)
    out = np.empty((len(frame), len(names) + spare))
    context = context_masks(frame)
    at = 0
    for signal in catalogue():
        base = encode_signal(signal, frame)
        out[:, at : at + base.shape[1]] = base
        at += base.shape[1]
        if interactions and signal.context_sensitive:
            for c in CONTEXT_SIGNALS:
                np.multiply(base, context[c][:, None], out=out[:, at : at + base.shape[1]])
                at += base.shape[1]
    if at != len(names):
        raise AssertionError(f"encode wrote {at} features, the layout names {len(names)}")
    return out
