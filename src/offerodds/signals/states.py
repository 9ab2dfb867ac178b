"""What was recorded, signal by signal: the state of each signal in each row of the typed frame.

A state is one of the signal kind's states (:data:`~offerodds.signals.catalogue.STATES`): a
rating below 3 is ``low``, 3 ``middle``, above 3 ``high``; a yes/no answer ``yes`` or ``no``;
an interview that lasted less than the catalogue's ``short_below`` share of its scheduled time
``short``, less than all of it ``nearly``, exactly as long ``full``, longer ``over``; a stage
its round. Explanations name the state recorded, never one inferred from the
sign of a contribution (a learned model may weigh "no handwritten note" above "a note").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from offerodds.signals.catalogue import STATES, STAGES, by_name, catalogue
from offerodds.signals.encoding import length_ratio, numeric_column

__all__ = ["NOT_RECORDED", "length_ratio", "state_codes", "states_of"]

NOT_RECORDED = -1


def _values(typed: pd.DataFrame, column: str) -> np.ndarray:
    """A numeric column of the typed frame as floats (no copy when it is float64 already)."""
    if column in typed.columns and typed[column].dtype == np.float64:
        return typed[column].to_numpy()
    return numeric_column(typed, column)


def _codes(signal, typed: pd.DataFrame, out: np.ndarray | None = None) -> np.ndarray:
    """Index of each row's state in ``STATES[signal.kind]``, -1 where not recorded (into
    ``out`` when given)."""
    if signal.kind == "stage":
        column = typed[signal.name] if signal.name in typed.columns else pd.Series(np.nan, typed.index)
        text = column.astype("string").str.strip().str.lower()
        codes = pd.Index(list(STAGES)).get_indexer(text.fillna("")).astype(np.int8)
        if out is None:
            return codes
        out[:] = codes
        return out
    if signal.kind == "minutes":  # short, nearly, full, over
        x = length_ratio(typed, signal)
        code = (x >= signal.short_below).view(np.int8) + (x >= 1.0).view(np.int8) + (x > 1.0).view(np.int8)
    elif signal.kind == "yesno":  # yes (1.0), no (0.0)
        x = _values(typed, signal.name)
        code = (x == 0.0).view(np.int8)
    else:  # scale: low, middle, high
        x = _values(typed, signal.name)
        code = (x >= 3.0).view(np.int8) + (x > 3.0).view(np.int8)
    # comparisons with NaN are False: a code of 0 there, minus 1 gives NOT_RECORDED
    return np.subtract(code, np.isnan(x).view(np.int8), out=out, dtype=np.int8)


def state_codes(typed: pd.DataFrame, signals: list[str]) -> np.ndarray:
    """The recorded state of each signal in each row, shape (n_rows, n_signals), int8.

    Each entry is the index of the state in ``STATES[kind]`` of that signal
    (``offerodds.signals.catalogue``), or :data:`NOT_RECORDED` (-1).
    """
    out = np.empty((len(typed), len(signals)), dtype=np.int8, order="F")  # a column per signal
    for j, name in enumerate(signals):
        _codes(by_name()[name], typed, out[:, j])
    return out


def states_of(typed: pd.DataFrame, row: int = 0) -> dict[str, str]:
    """Signal name -> the state recorded in row ``row`` of ``typed``, for every recorded signal."""
    one = typed.iloc[[row]]
    found = {}
    for signal in catalogue():
        code = int(_codes(signal, one)[0])
        if code != NOT_RECORDED:
            found[signal.name] = STATES[signal.kind][code]
    return found
