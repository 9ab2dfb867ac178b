"""Checking and typing the raw rows of an input table, one column at a time.

:func:`validate` turns a chunk of raw rows (strings from a CSV, or whatever a DataFrame held)
into a typed frame with one column per signal input column of the catalogue, and lists every
bad cell as a problem: row, interview id, column as the user wrote it, value, reason and
severity. An ``error`` (a scale of 7, "maybe" in a yes/no) rejects its row; a ``warning`` (a
date offerodds cannot read, minutes that cannot be compared) keeps the row, which is scored on
what can be used: dates never change the probability, and a length needs both minutes. Each
column is checked with vectorised pandas operations, never a Python loop over rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from offerodds.errors import InputError
from offerodds.signals.catalogue import (
    DATE_COLUMNS,
    catalogue,
    MINUTES_MAX,
    NO_WORDS,
    SCALE_MAX,
    SCALE_MIN,
    STAGES,
    YES_WORDS,
    column_kinds,
    input_columns,
)
from offerodds.signals.dates import parse_dates, unread_reason
from offerodds.signals._problems import (
    ERROR, NON_REAL, PROBLEM_COLUMNS, WARNING, empty_problems, errors_only, non_real, real_parts, reasons_by_row,
)

__all__ = [
    "DATE_COLUMNS",
    "ERROR",
    "PROBLEM_COLUMNS",
    "REASONS",
    "WARNING",
    "Validated",
    "cell_text",
    "empty_problems",
    "errors_only",
    "reasons_by_row",
    "typed_signals",
    "validate",
]


REASONS = {
    "number": "not a number",
    "scale": f"a scale must be a number from {SCALE_MIN:g} to {SCALE_MAX:g}",
    "minutes": f"minutes must be more than 0 and at most {MINUTES_MAX:g}",
    "yesno": "expected yes or no (yes/no, y/n, true/false, t/f, 1/0)",
    "stage": f"stage must be one of {', '.join(STAGES)}",
    "length": "{present} without {missing}: the length cannot be judged, so it is left out",
}

_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"
_YES = sorted(YES_WORDS)
_NO = sorted(NO_WORDS)


@dataclass
class Validated:
    """The result of :func:`validate` for one chunk of rows.

    Attributes
    ----------
    typed : pandas.DataFrame
        One column per signal input column (catalogue order), one row per raw row: float64
        for scales, minutes and yes/no (1.0 yes, 0.0 no), a Categorical over ``STAGES`` for
        ``stage``; NaN where not recorded or invalid.
    problems : pandas.DataFrame
        One line per bad cell, columns ``row``, ``interview_id``, ``column``, ``value``,
        ``reason``, ``severity`` (``error`` or ``warning``); sorted by row, then by the
        column's position in the input.
    valid : numpy.ndarray of bool
        True for the rows without an error (a row with warnings only is valid).
    """

    typed: pd.DataFrame
    problems: pd.DataFrame
    valid: np.ndarray


@dataclass
class _Checked:
    """One column parsed: values for ``typed``, the bad cells' positions and their reasons."""

    values: object
    where: np.ndarray  # positions of the bad cells
    reasons: np.ndarray  # object array of str, one per bad cell


def _checked(values, bad: np.ndarray, reason: str) -> _Checked:
    where = np.flatnonzero(bad)
    return _Checked(values, where, np.full(len(where), reason, dtype=object))


def _text(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Stripped text of every cell and the mask of missing cells (None, NaN, blank)."""
    dtype = series.dtype
    if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
        text = series
    else:  # numbers, bools and anything else as Python writes them: 1.0 -> "1.0", True -> "True"
        text = series.astype(str)
    stripped = text.str.strip()
    missing = series.isna().to_numpy(bool) | (stripped == "").to_numpy(bool, na_value=True)
    return stripped, missing


def _is_plain_numeric(series: pd.Series) -> bool:
    dtype = series.dtype
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _parse_numbers(stripped: pd.Series) -> np.ndarray:
    """Decimal numbers in stripped text as floats; NaN where the text is not one."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = pa.array(stripped, from_pandas=True)
    if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
        text = text.cast(pa.string())
    is_number = pc.match_substring_regex(text, _NUMBER)
    numbers = pc.cast(pc.if_else(is_number, text, pa.scalar(None, text.type)), pa.float64())
    return np.array(numbers.to_numpy(zero_copy_only=False), dtype=float)


def _numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Float values, missing mask and not-a-number mask of a column of numbers."""
    if _is_plain_numeric(series):  # a copy: the caller's frame is never written to
        values = series.to_numpy(dtype=float, na_value=np.nan, copy=True)
        missing = np.isnan(values)
        return values, missing, np.zeros(len(series), bool)
    stripped, missing = _text(series)
    values = _parse_numbers(stripped)
    not_number = ~missing & np.isnan(values)
    values[missing] = np.nan
    return values, missing, not_number


def _check_range(series: pd.Series, low: float, high: float, low_open: bool, reason: str):
    values, missing, not_number = _numbers(series)
    with np.errstate(invalid="ignore"):
        above_low = values > low if low_open else values >= low
        in_range = above_low & (values <= high)
    bad = not_number | (~missing & ~in_range)
    where = np.flatnonzero(bad)
    reasons = np.where(not_number[where], REASONS["number"], reason).astype(object)
    values[bad] = np.nan
    return _Checked(values, where, reasons)


def _check_yesno(series: pd.Series) -> _Checked:
    if pd.api.types.is_bool_dtype(series.dtype):
        missing = series.isna().to_numpy(bool)
        values = series.to_numpy(dtype=float, na_value=np.nan)
        bad = np.zeros(len(series), bool)
    elif _is_plain_numeric(series):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        missing = np.isnan(values)
        bad = ~missing & (values != 1.0) & (values != 0.0)
    else:
        stripped, missing = _text(series)
        lowered = stripped.str.lower()
        yes = lowered.isin(_YES).to_numpy(bool)
        no = lowered.isin(_NO).to_numpy(bool)
        values = np.where(yes, 1.0, np.where(no, 0.0, np.nan))
        bad = ~missing & ~yes & ~no
    values = np.where(bad | missing, np.nan, values)
    return _checked(values, bad, REASONS["yesno"])


def _check_stage(series: pd.Series) -> _Checked:
    stripped, missing = _text(series)
    lowered = stripped.str.lower()
    known = lowered.isin(list(STAGES)).to_numpy(bool)
    codes = pd.Index(list(STAGES)).get_indexer(lowered.where(known))  # -1 where not a stage
    values = pd.Categorical.from_codes(codes, categories=list(STAGES))
    return _checked(values, ~missing & ~known, REASONS["stage"])


def _check_date(series: pd.Series) -> _Checked:
    """Dates (``dates.parse_dates``): one that cannot be read is reported, never a value."""
    where = np.flatnonzero(parse_dates(series).bad)
    texts = series.iloc[where].astype(str).str.strip()
    reasons = {text: unread_reason(text) for text in dict.fromkeys(texts)}  # few distinct ones
    return _Checked(None, where, np.array([reasons[text] for text in texts], dtype=object))


def _check(series: pd.Series, kind: str) -> _Checked:
    if kind in ("scale", "minutes", "yesno") and (unreal := non_real(series)) is not None:
        return _with_non_real(real_parts(series), kind, unreal)
    if kind in ("scale", "minutes", "yesno"):
        series = real_parts(series)  # 4+0j is 4
    if len(series) >= _BY_VALUE_MIN_ROWS and _is_text_dtype(series.dtype):
        return _check_by_value(series, kind)
    return _check_cells(series, kind)


def _with_non_real(series: pd.Series, kind: str, unreal: np.ndarray) -> _Checked:
    """Check the column with its non-real cells left out, then report those as errors."""
    bad = np.array([r is not None for r in unreal], dtype=bool)
    checked = _check_cells(series.astype(object).where(~bad, None), kind)
    values = np.array(checked.values, dtype=float, copy=True)
    values[bad] = np.nan
    reasons = dict(zip(checked.where.tolist(), checked.reasons.tolist()))
    reasons |= {i: NON_REAL.format(what=unreal[i]) for i in np.flatnonzero(bad).tolist()}
    where = np.array(sorted(reasons), dtype=np.int64)
    return _Checked(values, where, np.array([reasons[i] for i in where.tolist()], dtype=object))


def _check_cells(series: pd.Series, kind: str) -> _Checked:
    if kind == "scale":
        return _check_range(series, SCALE_MIN, SCALE_MAX, False, REASONS["scale"])
    if kind == "minutes":
        return _check_range(series, 0.0, MINUTES_MAX, True, REASONS["minutes"])
    if kind == "yesno":
        return _check_yesno(series)
    if kind == "stage":
        return _check_stage(series)
    if kind == "date":
        return _check_date(series)
    raise ValueError(f"unknown kind of column: {kind!r}")


_BY_VALUE_MIN_ROWS = 1024


def _is_text_dtype(dtype) -> bool:
    """A pandas string dtype: every cell is a str or missing (never a number or a bool)."""
    if isinstance(dtype, pd.StringDtype):
        return True
    if isinstance(dtype, pd.ArrowDtype):
        import pyarrow as pa

        return pa.types.is_string(dtype.pyarrow_dtype) or pa.types.is_large_string(dtype.pyarrow_dtype)
    return False


_KNOWN: dict[str, dict[str, tuple[float, object]]] = {}  # kind -> text -> (value, reason)
_KNOWN_MAX = 20_000  # distinct texts remembered per kind; beyond, the memory starts afresh


def _check_by_value(series: pd.Series, kind: str) -> _Checked:
    """:func:`_check_cells` on each distinct text once, spread back to every cell.

    A column of text holds few distinct values (``yes``, ``no``, ``4``, blanks...), and every
    check is a function of the cell's text alone, so the result is the same as checking each
    cell, for a fraction of the work. The verdict on each text is remembered (per kind of
    column, a bounded number of texts), so later chunks look it up.
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if len(uniques) > len(series) // 2:  # mostly distinct: nothing to gain
        return _check_cells(series, kind)
    known = _KNOWN.setdefault(kind, {})
    if len(known) + len(uniques) > _KNOWN_MAX:
        known.clear()
    texts = uniques.to_numpy(dtype=object, na_value=None)
    verdicts = [known.get(text) for text in texts]
    todo = [i for i, verdict in enumerate(verdicts) if verdict is None]
    if todo:
        fresh = _check_cells(pd.Series(uniques.take(todo), dtype=series.dtype), kind)
        values = fresh.values
        if isinstance(values, pd.Categorical):
            values = values.codes.astype(float)
        elif values is None:  # dates: only good or bad
            values = np.zeros(len(todo))
        reason = np.full(len(todo), None, dtype=object)
        reason[fresh.where] = fresh.reasons
        for j, i in enumerate(todo):
            verdicts[i] = known[texts[i]] = (float(values[j]), reason[j])
    n_values = len(verdicts)
    value_of = np.empty(n_values + 1)
    reason_of = np.empty(n_values + 1, dtype=object)
    for i, (value, why) in enumerate(verdicts):
        value_of[i] = value
        reason_of[i] = why
    # the last slot is the missing cell: no value, no problem
    value_of[n_values] = -1.0 if kind == "stage" else np.nan
    reason_of[n_values] = None
    codes = np.where(codes < 0, n_values, codes)
    bad_of = np.array([why is not None for why in reason_of], dtype=bool)
    where = np.flatnonzero(bad_of[codes])
    if kind == "stage":
        values = pd.Categorical.from_codes(value_of[codes].astype(np.int64), categories=list(STAGES))
    elif kind == "date":
        values = None
    else:
        values = value_of[codes]
    return _Checked(values, where, reason_of[codes[where]])


def cell_text(series: pd.Series) -> np.ndarray:
    """Cells as the text a person wrote: "" for missing, 4.0 in a float column as "4" (a
    whole number read where blanks made the column float), True as "True"."""
    text = series.astype(str)  # missing cells stay missing
    if pd.api.types.is_float_dtype(series.dtype):
        text = text.str.replace(r"\.0$", "", regex=True)
    return text.fillna("").to_numpy(dtype=object)


def _typed_frame(n: int, columns: dict[str, object]) -> pd.DataFrame:
    """The typed frame in catalogue order, built without stacking copies of the columns."""
    names = input_columns()
    kinds = column_kinds()
    numeric = [c for c in names if kinds[c] != "stage"]
    block = np.full((len(numeric), n), np.nan)  # one float block, rows = columns
    for i, c in enumerate(numeric):
        if c in columns:
            block[i] = columns[c]
    frame = pd.DataFrame(block.T, columns=numeric, index=pd.RangeIndex(n), copy=False)
    for c in names:
        if kinds[c] == "stage":
            values = columns.get(c)
            if values is None:
                values = pd.Categorical.from_codes(np.full(n, -1), categories=list(STAGES))
            frame.insert(names.index(c), c, values)
    return frame


def validate(raw: pd.DataFrame, colmap: dict[str, str], first_row: int = 1) -> Validated:
    """Check and type one chunk of raw rows.

    Parameters
    ----------
    raw : pandas.DataFrame
        Raw rows under their original headers (strings from a CSV, or any values from a
        frame).
    colmap : dict
        Canonical column name -> original header, as from ``reading.match_columns``.
    first_row : int, default 1
        Row number of the chunk's first row in the problem report (1 = first data row of the
        file, header not counted).

    Returns
    -------
    Validated
        The typed frame, the problems and the valid-row mask.

    Examples
    --------
    >>> raw = pd.DataFrame({"Eye Contact": ["4", "7"]})
    >>> v = validate(raw, {"eye_contact": "Eye Contact"})
    >>> v.valid.tolist(), v.problems["reason"].tolist()
    ([True, False], ['a scale must be a number from 1 to 5'])
    """
    n = len(raw)
    position = {h: i for i, h in enumerate(raw.columns)}
    kinds = {**column_kinds(), **dict.fromkeys(DATE_COLUMNS, "date")}
    typed: dict[str, object] = {}
    found: list[tuple[np.ndarray, int, str, np.ndarray, pd.Series, str]] = []
    for canon in (*input_columns(), *DATE_COLUMNS):
        header = colmap.get(canon)
        if header is None or header not in position:
            continue
        series = raw.iloc[:, position[header]]
        checked = _check(series, kinds[canon])
        if canon not in DATE_COLUMNS:
            typed[canon] = checked.values
        if len(checked.where):
            severity = WARNING if kinds[canon] == "date" else ERROR  # dates never change the score
            found.append((checked.where, position[header], header, checked.reasons, series, severity))
    found += _lengths_not_compared(raw, colmap, position, typed, found)

    valid = np.ones(n, bool)
    for where, *_, severity in found:
        if severity == ERROR:
            valid[where] = False
    return Validated(
        typed=_typed_frame(n, typed),
        problems=_problems(raw, colmap, found, first_row),
        valid=valid,
    )


def _lengths_not_compared(raw, colmap, position, typed, found) -> list:
    """A warning for each minutes cell whose partner is empty: the length needs both."""
    warnings = []
    for signal in (s for s in catalogue() if s.kind == "minutes"):
        pair = [typed.get(c) for c in signal.columns]
        if all(v is None for v in pair):
            continue
        n = len(raw)
        known = [np.zeros(n, bool) if v is None else ~np.isnan(v) for v in pair]
        for i, column in enumerate(signal.columns):
            other = signal.columns[1 - i]
            header, other_header = colmap.get(column), colmap.get(other)
            other_bad = np.zeros(n, bool)  # an error in the partner already rejects the row
            for where, _, h, *_ in found:
                if h == other_header:
                    other_bad[where] = True
            alone = np.flatnonzero(known[i] & ~known[1 - i] & ~other_bad)
            if len(alone):
                reason = REASONS["length"].format(present=column, missing=other)
                series = raw.iloc[:, position[header]]
                reasons = np.full(len(alone), reason, dtype=object)
                warnings.append((alone, position[header], header, reasons, series, WARNING))
    return warnings


def typed_signals(frame: pd.DataFrame) -> pd.DataFrame:
    """The typed signal frame of a frame whose signal columns carry their canonical names
    (a generated frame, the outcome store); a value that is not valid is an error."""
    colmap = {c: c for c in input_columns() if c in frame.columns}
    checked = validate(frame.reset_index(drop=True), colmap)
    errors = errors_only(checked.problems)
    if len(errors):
        first = errors.iloc[0]
        raise InputError(f"row {first.row}: {first.column} = {first.value!r}: {first.reason}")
    return checked.typed.set_axis(frame.index)


def _problems(raw, colmap, found, first_row: int) -> pd.DataFrame:
    if not found:
        return empty_problems()
    pos = np.concatenate([w for w, *_ in found])
    col_pos = np.concatenate([np.full(len(w), p) for w, p, *_ in found])
    headers = np.concatenate([np.full(len(w), h, dtype=object) for w, _, h, *_ in found])
    reasons = np.concatenate([r for *_, r, _, _ in found])
    values = np.concatenate([cell_text(s.iloc[w]) for w, *_, s, _ in found])
    severity = np.concatenate([np.full(len(w), level, dtype=object) for w, *_, level in found])
    order = np.lexsort((col_pos, pos))
    pos = pos[order]
    id_header = colmap.get("interview_id")
    if id_header is not None and id_header in raw.columns:
        ids = cell_text(raw[id_header].iloc[pos])
    else:
        ids = np.full(len(pos), "", dtype=object)
    return pd.DataFrame(
        {
            "row": (pos + first_row).astype(np.int64),
            "interview_id": ids,
            "column": headers[order],
            "value": values[order],
            "reason": reasons[order],
            "severity": severity[order],
        }
    )
