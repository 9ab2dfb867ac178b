"""Scoring: from any table of interviews to probabilities, contributions and reasons.

The one path every entry point shares (``offerodds.score``, ``offerodds score``, the MLflow
pyfunc): read in chunks, validate, decompose with the serving scorer, assemble the output
columns of DESIGN.md ("Output of scoring").
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from offerodds.catalogue import catalogue, contribution_signals
from offerodds.reading import Table, open_table
from offerodds.reasons import _reason_codes
from offerodds.scorer import LinearScorer
from offerodds.validation import Validated, reasons_by_row, validate

# Rows per chunk when streaming (``offerodds score``): about two chunks are in memory at once
# (one being written while the next is scored), a few KB per row, so memory stays flat however
# large the file; 25,000 rows cost about 5 % more time than 100,000 and about 200 MB less.
CHUNK_ROWS = 25_000
# ``score`` returns every row anyway: larger chunks only save time there.
_FRAME_CHUNK_ROWS = 100_000


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
        "next_step",
        "next_step_due",
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
    import pyarrow as pa

    dictionary = pa.array(list(texts), type=pa.large_string())
    indices = pa.array(np.asarray(index, dtype=np.int32))
    return pd.arrays.ArrowStringArray(
        pa.DictionaryArray.from_arrays(indices, dictionary).dictionary_decode()
    )


def _no_strings(n: int) -> pd.api.extensions.ExtensionArray:
    """A pandas ``string`` column of ``n`` missing values."""
    import pyarrow as pa

    return pd.arrays.ArrowStringArray(pa.nulls(n, type=pa.large_string()))


def result_frame(typed: pd.DataFrame, scorer: LinearScorer, valid: np.ndarray) -> pd.DataFrame:
    """The result columns for ``typed``; rows where ``valid`` is False get no prediction."""
    parts = scorer.decompose(typed)
    valid = np.asarray(valid, dtype=bool)
    invalid = ~valid
    n = len(typed)
    if n:
        texts, inverse = _reason_codes(parts.contributions, parts.signals)
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
    frame["next_step"] = _no_strings(n)
    frame["next_step_due"] = _no_strings(n)
    return frame


@dataclass
class ScoredChunk:
    """One chunk of input after scoring: all rows, with passthrough and result columns."""

    frame: pd.DataFrame
    checked: Validated
    first_row: int


def _passthrough(raw: pd.DataFrame, extra: tuple[str, ...] = ()) -> pd.DataFrame:
    taken = [c for c in raw.columns if c in result_columns() or c in extra]
    return raw.drop(columns=taken) if taken else raw


def replaced_columns(table: Table, extra: tuple[str, ...] = (), stacklevel: int = 2) -> list[str]:
    """Input columns that scoring will replace (they carry result-column names), with a
    warning naming them, attributed ``stacklevel`` frames up from the caller."""
    replaced = [h for h in table.headers if h in result_columns() or h in extra]
    if replaced:
        warnings.warn(
            f"input columns {replaced} have the names of result columns and are replaced",
            stacklevel=stacklevel + 1,
        )
    return replaced


def iter_scored(
    table: Table, scorer: LinearScorer, *, chunk_rows: int = CHUNK_ROWS, extra=()
) -> Iterator[ScoredChunk]:
    """Score ``table`` chunk by chunk, keeping every row in input order."""
    first_row = 1
    for raw in table.chunks(chunk_rows):
        n_rows = len(raw)
        checked = validate(raw, table.colmap, first_row)
        result = result_frame(checked.typed, scorer, checked.valid)
        frame = pd.concat([_passthrough(raw, extra).reset_index(drop=True), result], axis=1)
        del raw, result
        yield ScoredChunk(frame, checked, first_row)
        del frame, checked  # hold no chunk while the next one is read and scored
        first_row += n_rows


def score(data, model: LinearScorer | None = None, *, encoding: str | None = None) -> pd.DataFrame:
    """Score interviews: probability of an offer, per-signal contributions and reasons.

    Parameters
    ----------
    data : pandas.DataFrame, str, pathlib.Path, dict or list of dict
        A table of interviews (CSV or Parquet path, or a frame), one interview as a dict, or a
        list of dicts. Headers match the signal columns ignoring case, surrounding spaces and
        spaces/hyphens versus underscores; other columns pass through unchanged.
    model : scorer, optional
        What :func:`offerodds.fit` or :func:`offerodds.rules` returned; by default the
        workspace's serving scorer (the champion model, else the rule card).
    encoding : str, optional
        Text encoding of a CSV file that is not UTF-8.

    Returns
    -------
    pandas.DataFrame
        One row per input row, in input order: the input columns, then the result columns
        (``offer_probability``, ..., ``contrib_<signal>``, ``reasons``, ``scorer``, ...) and
        ``error``: empty for scored rows, the problems of an invalid row (which gets no
        probability).

    Examples
    --------
    >>> import offerodds
    >>> out = offerodds.score({"engagement": 5, "selling": 4, "hurried": "no"},
    ...                       model=offerodds.rules())
    >>> round(float(out.loc[0, "offer_probability"]), 3)
    0.312
    """
    from offerodds.serving import load_model

    scorer = model if model is not None else load_model()
    table = open_table(data, encoding=encoding)
    replaced = replaced_columns(table, extra=("error",))
    parts = []
    for chunk in iter_scored(table, scorer, chunk_rows=_FRAME_CHUNK_ROWS, extra=("error",)):
        errors = reasons_by_row(chunk.checked.problems, len(chunk.frame), chunk.first_row)
        parts.append(chunk.frame.assign(error=pd.array(errors, dtype="string")))
    if not parts:
        columns = [h for h in table.headers if h not in replaced]
        out = pd.DataFrame(columns=[*columns, *result_columns(), "error"])
    else:
        out = pd.concat(parts, ignore_index=True)
    return out.rename(columns=table.labels) if table.labels else out
