"""Views of scored rows. The exact output (every ``contrib_`` column, full precision, exactly
additive) is the default everywhere; the ``people`` view is for reading in a spreadsheet.

The people view keeps the input's own columns except the signals (ids, company, dates,
notes), then the probability and its 90 % interval rounded to two decimals, ``effects`` (from
the starting point to the probability in percentage points, then what was recorded and what it
did to the odds and in percentage points, strongest first, only the signals that moved them;
the points add up to the change shown; last, what a context answer changed in how others
counted, and which answers a learned model's pair terms made count together; a value filled
from the row's notes says "(from your notes)"), the reasons, the next
step and which scorer gave the numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from offerodds.scoring.phrases import changed, label, percent_text, pp_text, round_shares, shares
from offerodds.scoring.reasons import MIN_EFFECT
from offerodds.scoring.terms import pair_texts
from offerodds.signals.catalogue import CONTEXT_SIGNALS, STATES, by_name, contribution_signals, input_columns
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


def _context_texts(scorer, typed: pd.DataFrame, contributions: np.ndarray, signals: list[str]) -> list[list[str]]:
    """Per row, what each recorded context answer changed in how other signals counted
    ("structured format: it made the interviewer's body language count for less (engagement
    x1.02 instead of x1.09)"); the scorer's own contributions with the answer and without."""
    out: list[list[str]] = [[] for _ in range(len(typed))]
    if scorer is None:
        return out
    for name in CONTEXT_SIGNALS:
        if name not in typed.columns:
            continue
        recorded = typed[name].notna().to_numpy()
        if not recorded.any():
            continue
        blank = typed.copy()
        blank[name] = np.nan
        without = scorer.decompose(blank).contributions
        moved = np.abs(contributions - without) > 1e-12
        moved[:, signals.index(name)] = False
        kind = STATES[by_name()[name].kind]
        values = typed[name].to_numpy(dtype=float, na_value=np.nan)
        for i in np.flatnonzero(recorded & moved.any(axis=1)):
            state = kind[0] if values[i] == 1.0 else kind[1]  # yes, no
            changes = [(signals[j], float(contributions[i, j]), float(without[i, j])) for j in np.flatnonzero(moved[i])]
            words = changed(name, state, changes, subject="it")
            if words:
                out[i].append(f"{by_name()[name].states[state].label}: {words}")
    return out


def people_view(
    frame: pd.DataFrame, typed: pd.DataFrame, columns: list[str], scorer=None, from_notes: list | None = None
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
    scorer : LinearScorer, optional
        The scorer of the rows: with it, ``effects`` also says what a context answer changed.
    from_notes : list of set of str, optional
        Per row, the signals filled from its notes: their effects say "(from your notes)".
    """
    signals = contribution_signals()
    typed = typed.reset_index(drop=True)
    contributions = frame[[f"contrib_{s}" for s in signals]].to_numpy(dtype=float, na_value=0.0)
    baseline = frame["baseline_log_odds"].to_numpy(dtype=float, na_value=0.0)
    states = state_codes(typed, signals)
    labels = _labels(typed, signals, states)
    for i, filled in enumerate(from_notes or ()):
        for j, name in enumerate(signals):
            if name in filled and labels[i, j]:
                labels[i, j] = f"{labels[i, j]} (from your notes)"
    odds, which = _odds_texts(contributions)
    points = shares(baseline, contributions)
    order = np.argsort(-np.abs(contributions), axis=1, kind="stable")
    shown = np.take_along_axis((np.abs(contributions) >= MIN_EFFECT) & (states >= 0), order, axis=1)
    labels = np.take_along_axis(labels, order, axis=1)
    which = np.take_along_axis(which, order, axis=1)
    sorted_points = np.take_along_axis(points, order, axis=1)
    sorted_c = np.take_along_axis(contributions, order, axis=1)
    context = _context_texts(scorer, typed, contributions, signals)
    for i, pairs in enumerate(pair_texts(scorer, typed, contributions, signals)):
        context[i] += pairs
    start = np.round(100.0 * _expit(baseline), 1)
    final = np.round(100.0 * _expit(baseline + contributions.sum(axis=1)), 1)
    effects = []
    for i in range(len(frame)):
        keep = shown[i]
        # the points of the signals shown add up to the change shown (largest remainder);
        # what the signals not shown moved (each under 0.005 log-odds) goes with them
        rounded = round_shares(sorted_points[i][keep], final[i] - start[i]) if keep.any() else []
        items = [
            f"{lab}: {odds[w]}, {pp_text(pp, c)}"
            for lab, w, pp, c in zip(labels[i][keep], which[i][keep], rounded, sorted_c[i][keep])
        ]
        head = f"from {percent_text(start[i])} to {percent_text(final[i])} ({pp_text(final[i] - start[i])})"
        effects.append("; ".join([head, *items, *context[i]]) if items or context[i] else head)
    out = frame.reindex(columns=[c for c in columns if c != "effects"]).copy()
    for c in ("offer_probability", "offer_probability_low", "offer_probability_high"):
        out[c] = frame[c].astype(float).round(_ROUND)
    out.insert(list(out.columns).index("reasons"), "effects", pd.array(effects, dtype="string"))
    return out[columns]


def _expit(x: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
