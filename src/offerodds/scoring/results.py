"""The result columns of scoring (DESIGN.md, "Output of scoring"), assembled for a chunk of
validated rows: probability, interval, log-odds, per-signal contributions, reasons, scorer."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pyarrow as pa

from offerodds.scoring.agreement import unsure_cells
from offerodds.scoring.reasons import reason_codes
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.catalogue import catalogue, contribution_signals
from offerodds.signals.states import state_codes

__all__ = ["ADVICE_COLUMNS", "result_columns", "result_frame", "signals_recorded"]

#: The advice columns (offerodds.advice fills them): always the last two result columns.
ADVICE_COLUMNS = ("next_step", "next_step_due")


@functools.cache
def result_columns() -> tuple[str, ...]:
    """The columns scoring adds after the input columns, in order."""
    return (
        "offer_probability",
        "offer_probability_low",
        "offer_probability_high",
        "offer_log_odds",
        "baseline_log_odds",
        *(f"contrib_{s}" for s in contribution_signals()),
        "signals_recorded",
        "reasons",
        "scorer",
        "model_version",
        *ADVICE_COLUMNS,
    )


def signals_recorded(typed: pd.DataFrame) -> np.ndarray:
    """How many signals of the catalogue each row records (length needs both minutes)."""
    count = np.zeros(len(typed), dtype=np.int64)
    columns = [c for s in catalogue() for c in s.columns]
    present = [c for c in dict.fromkeys(columns) if c in typed.columns]
    known = typed[present].notna().to_numpy(dtype=bool)  # one pass over the typed frame
    position = {c: i for i, c in enumerate(present)}
    for signal in catalogue():
        count += known[:, [position[c] for c in signal.columns]].all(axis=1)
    return count


def _strings(texts, index: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A pandas ``string`` column whose i-th value is ``texts[index[i]]``, built in Arrow."""
    dictionary = pa.array(list(texts), type=pa.large_string())
    indices = pa.array(np.asarray(index, dtype=np.int32))
    return pd.arrays.ArrowStringArray(
        pa.DictionaryArray.from_arrays(indices, dictionary).dictionary_decode()
    )


def _no_strings(n: int) -> pd.api.extensions.ExtensionArray:
    """A pandas ``string`` column of ``n`` missing values."""
    return pd.arrays.ArrowStringArray(pa.nulls(n, type=pa.large_string()))


def result_frame(
    typed: pd.DataFrame, scorer: LinearScorer, valid: np.ndarray, unsure: dict | None = None
) -> pd.DataFrame:
    """The result columns for ``typed``; rows where ``valid`` is False get no prediction.

    The advice columns come empty: the batch loop (``offerodds.usecases._score``) fills them.
    ``unsure``, when given, receives under ``"cells"`` the (rows x signals) mask of effects the
    scorer is less than 90 % sure of the sign of (None for the rule card), for the advice.
    """
    parts = scorer.decompose(typed)
    valid = np.asarray(valid, dtype=bool)
    invalid = ~valid
    n = len(typed)
    if n:
        states = state_codes(typed, parts.signals)
        # effects the model is less than 90 % sure of the sign of are never reasons
        uncertain = unsure_cells(scorer, typed, parts.contributions, states)
        texts, inverse = reason_codes(parts.contributions, parts.signals, states, uncertain)
        if unsure is not None:
            unsure["cells"] = uncertain if uncertain.any() else None
        del uncertain
        del states
        index = np.where(valid, inverse, len(texts))  # invalid rows: ""
        reason_column = _strings([*texts, ""], index)
        del inverse, index
    else:
        reason_column = _strings([], np.zeros(0, dtype=np.int32))
    # every float column in one block (column-major, as pandas keeps it): no further copies
    names = [
        "offer_probability",
        "offer_probability_low",
        "offer_probability_high",
        "offer_log_odds",
        "baseline_log_odds",
        *(f"contrib_{signal}" for signal in parts.signals),
    ]
    floats = np.empty((n, len(names)), order="F")
    floats[:, 0] = parts.probability
    floats[:, 1] = parts.low
    floats[:, 2] = parts.high
    floats[:, 3] = parts.log_odds
    floats[:, 4] = parts.baseline
    floats[:, 5:] = parts.contributions
    del parts
    floats[invalid] = np.nan
    frame = pd.DataFrame(floats, columns=names, index=typed.index, copy=False)
    recorded = pd.array(signals_recorded(typed), dtype="Int64")
    recorded[invalid] = pd.NA
    frame["signals_recorded"] = recorded
    frame["reasons"] = reason_column
    frame["scorer"] = _strings(["", scorer.kind], valid)
    frame["model_version"] = _strings(["", scorer.version], valid)
    for column in ADVICE_COLUMNS:
        frame[column] = _no_strings(n)
    return frame
