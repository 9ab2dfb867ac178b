"""Views of scored rows. The exact output (every ``contrib_`` column, full precision, exactly
additive) is the default everywhere; the ``people`` view is for reading in a spreadsheet.

The people view keeps the input's own columns except the signals (ids, company, dates,
notes), then the probability and its 90 % interval rounded to two decimals, ``effects`` (what
was recorded and what it did to the odds, strongest first, only the signals that moved them;
a value filled from the row's notes says "(from your notes)"),
the reasons, the next step and which scorer gave the numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from offerodds.scoring.phrases import label
from offerodds.scoring.reasons import MIN_EFFECT
from offerodds.signals.catalogue import STATES, by_name, contribution_signals, input_columns
from offerodds.signals.states import length_ratio, state_codes

__all__ = ["PEOPLE_RESULT_COLUMNS", "VIEWS", "people_columns", "people_view"]

VIEWS = ("exact", "people")
PEOPLE_RESULT_COLUMNS = (
    "offer_probability",
    "offer_probability_low",
    "offer_probability_high",
    "effects",
    "reasons",
    "next_step",
    "next_step_due",
    "scorer",
    "model_version",
)
_ROUND = 2


def people_columns(headers: list[str], colmap: dict[str, str]) -> list[str]:
    """The people view's columns for an input with ``headers``: its own columns but the
    signals (and any named like a column of the view, which the view replaces), then the
    view's."""
    left_out = {colmap[c] for c in input_columns() if c in colmap} | set(PEOPLE_RESULT_COLUMNS)
    return [h for h in headers if h not in left_out] + list(PEOPLE_RESULT_COLUMNS)


def _odds_texts(contributions: np.ndarray) -> tuple[list[str], np.ndarray]:
    """``odds x1.35`` for every cell, as (distinct texts, index of each cell's text)."""
    hundredths = np.rint(np.exp(contributions) * 100).astype(np.int64)
    unique, inverse = np.unique(hundredths, return_inverse=True)
    return [f"odds x{u / 100:.2f}" for u in unique.tolist()], inverse.reshape(contributions.shape)


def _labels(typed: pd.DataFrame, signals: list[str], states: np.ndarray) -> np.ndarray:
    """What each recorded signal of each row reads as ("interview ran 30 % short")."""
    out = np.full(states.shape, "", dtype=object)
    for j, name in enumerate(signals):
        s = by_name()[name]
        recorded = states[:, j] >= 0
        if not recorded.any():
            continue
        if s.kind == "minutes":
            value = length_ratio(typed, s)
        elif s.kind == "scale":
            value = typed[name].to_numpy(dtype=float)
        else:
            value = np.zeros(len(typed))
        keys = pd.MultiIndex.from_arrays([states[recorded, j], value[recorded]])
        codes, distinct = pd.factorize(keys)
        texts = [
            label(name, STATES[s.kind][state], None if s.kind == "yesno" else v) for state, v in distinct
        ]
        out[recorded, j] = np.asarray(texts, dtype=object)[codes]
    return out


def people_view(
    frame: pd.DataFrame, typed: pd.DataFrame, columns: list[str], from_notes: list | None = None
) -> pd.DataFrame:
    """The people view of scored rows.

    Parameters
    ----------
    frame : pandas.DataFrame
        Scored rows: the input columns and the result columns, as the batch loop gives them.
    typed : pandas.DataFrame
        The typed signal frame of the same rows (same order).
    columns : list of str
        The view's columns, from :func:`people_columns`.
    from_notes : list of set of str, optional
        Per row, the signals filled from its notes: their effects say "(from your notes)".
    """
    signals = contribution_signals()
    contributions = frame[[f"contrib_{s}" for s in signals]].to_numpy(dtype=float, na_value=0.0)
    states = state_codes(typed.reset_index(drop=True), signals)
    labels = _labels(typed.reset_index(drop=True), signals, states)
    for i, filled in enumerate(from_notes or ()):
        for j, name in enumerate(signals):
            if name in filled and labels[i, j]:
                labels[i, j] = f"{labels[i, j]} (from your notes)"
    odds, which = _odds_texts(contributions)
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")
    shown = np.take_along_axis((np.abs(contributions) >= MIN_EFFECT) & (states >= 0), order, axis=1)
    labels = np.take_along_axis(labels, order, axis=1)
    which = np.take_along_axis(which, order, axis=1)
    effects = [
        "; ".join(f"{lab}: {odds[w]}" for lab, w, keep in zip(row_labels, row_which, row_shown) if keep)
        for row_labels, row_which, row_shown in zip(labels, which, shown)
    ]
    out = frame.reindex(columns=[c for c in columns if c != "effects"]).copy()
    for c in ("offer_probability", "offer_probability_low", "offer_probability_high"):
        out[c] = frame[c].astype(float).round(_ROUND)
    out.insert(list(out.columns).index("reasons"), "effects", pd.array(effects, dtype="string"))
    return out[columns]
