"""The batch loop every entry point shares (``offerodds.score``, ``offerodds score``, the MLflow
pyfunc): read a table in chunks, validate, score, advise, and hand each chunk on with every
input row in order, scored (with its next step) or with its problems."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from offerodds.advice.decide import Advice, advise, facts_from_frame
from offerodds.advice.timeline import as_of_date
from offerodds.files.csvfiles import notice_lines
from offerodds.files.reading import Table, open_table
from offerodds.scoring.results import ADVICE_COLUMNS, result_columns, result_frame
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.validation import WARNING, Validated, reasons_by_row, validate

__all__ = [
    "CHUNK_ROWS",
    "FRAME_CHUNK_ROWS",
    "ScoredChunk",
    "iter_scored",
    "replaced_columns",
    "score_table",
]

# Rows per chunk when streaming (``offerodds score``): about two chunks are in memory at once
# (one being written while the next is scored), a few KB per row, so memory stays flat however
# large the file; 25,000 rows cost about 5 % more time than 100,000 and about 200 MB less.
CHUNK_ROWS = 25_000
# ``offerodds.score`` returns every row anyway: larger chunks only save time there.
FRAME_CHUNK_ROWS = 100_000


@dataclass
class ScoredChunk:
    """One chunk of input after scoring: all rows, with passthrough and result columns, and
    the advice behind their next steps (the rule chosen for each row, for a draft) and the
    reader's warnings about it (:class:`~offerodds.files.reading.QuoteNotice`)."""

    frame: pd.DataFrame
    checked: Validated
    first_row: int
    advice: Advice
    notices: list = field(default_factory=list)

    @property
    def problem_lines(self) -> pd.DataFrame:
        """The lines of the problems file for this chunk: its problems and warnings, by row."""
        if not self.notices:
            return self.checked.problems
        lines = pd.concat([self.checked.problems, notice_lines(self.notices)], ignore_index=True)
        return lines.sort_values("row", kind="stable").reset_index(drop=True)


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
    table: Table, scorer: LinearScorer, *, chunk_rows: int = CHUNK_ROWS, extra=(), as_of=None
) -> Iterator[ScoredChunk]:
    """Score ``table`` chunk by chunk, keeping every row in input order.

    ``as_of`` (see :func:`offerodds.advice.timeline.as_of_date`; default today, local time) is
    the date the advice columns are given for; it is fixed once for the whole table.
    """
    as_of = as_of_date(as_of)
    first_row = 1
    seen = 0
    for raw in table.chunks(chunk_rows):
        n_rows = len(raw)
        checked = validate(raw, table.colmap, first_row)
        result = result_frame(checked.typed, scorer, checked.valid)
        frame = pd.concat([_passthrough(raw, extra).reset_index(drop=True), result], axis=1)
        del raw, result
        advice = advise(facts_from_frame(frame, table.colmap, checked.typed), as_of)
        for column, values in zip(ADVICE_COLUMNS, advice.columns(checked.valid)):
            frame[column] = values
        notices, seen = table.notices[seen:], len(table.notices)
        yield ScoredChunk(frame, checked, first_row, advice, notices)
        del frame, checked, advice  # hold no chunk while the next one is read and scored
        first_row += n_rows


def score_table(
    data, scorer: LinearScorer, *, encoding: str | None = None, as_of=None, row_warnings: bool = False
) -> pd.DataFrame:
    """Every row of ``data`` (anything :func:`~offerodds.files.reading.open_table` reads), in
    order: the input columns, the result columns (the advice as of ``as_of``) and ``error``
    (empty for scored rows); with ``row_warnings``, also ``warnings``: the problems of each row
    that was scored all the same (the MLflow pyfunc answers them per row)."""
    table = open_table(data, encoding=encoding)
    extra = ("error", "warnings") if row_warnings else ("error",)
    replaced = replaced_columns(table, extra=extra, stacklevel=3)
    parts = []
    chunks = iter_scored(table, scorer, chunk_rows=FRAME_CHUNK_ROWS, extra=extra, as_of=as_of)
    warned, first = 0, None
    for chunk in chunks:
        for notice in chunk.notices:
            warnings.warn(notice.message(table.name), stacklevel=3)
        errors = reasons_by_row(chunk.checked.problems, len(chunk.frame), chunk.first_row)
        part = chunk.frame.assign(error=pd.array(errors, dtype="string"))
        if row_warnings:
            kept_rows = reasons_by_row(chunk.checked.problems, len(chunk.frame), chunk.first_row, WARNING)
            part = part.assign(warnings=pd.array(kept_rows, dtype="string"))
        parts.append(part)
        kept = chunk.checked.problems[chunk.checked.problems["severity"].to_numpy() == "warning"]
        if len(kept) and first is None:
            first = kept.iloc[0]
        warned += len(kept)
    if warned:  # problems that kept their rows scored: said once, the first of them shown
        more = f" (and {warned - 1} more like it)" if warned > 1 else ""
        warnings.warn(
            f"row {first.row}: {first.column} = {first.value!r}: {first.reason}{more}; the rows "
            "are scored on what can be used (offerodds validate lists every one)",
            stacklevel=3,
        )
    if not parts:
        columns = [h for h in table.headers if h not in replaced]
        out = pd.DataFrame(columns=[*columns, *result_columns(), *extra])
    else:
        out = pd.concat(parts, ignore_index=True)
    return out.rename(columns=table.labels) if table.labels else out
