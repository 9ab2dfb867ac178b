"""Scoring: the batch loop every entry point shares (``offerodds.score``, ``offerodds score``,
the MLflow pyfunc): read a table in chunks, validate, score, advise, and hand each chunk on with
every input row in order, scored (with its next step) or with its problems; which scorer a
command uses; and scoring a file into its output and problems file, streamed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds.errors import warn
from offerodds.advice.decide import Advice, advise, facts_from_frame
from offerodds.advice.timeline import as_of_date
from offerodds.errors import ChampionUnavailable, InputError
from offerodds.files.atomic import check_distinct
from offerodds.files.csvfiles import notice_lines
from offerodds.files.reading import Table, iter_validated, open_table
from offerodds.files.workspace import Workspace
from offerodds.files.writing import PROBLEM_USER_COLUMNS, STDOUT, check_output, formula_safe, open_writer
from offerodds.scoring.results import ADVICE_COLUMNS, result_columns, result_frame
from offerodds.scoring.rulecard import rules as rule_card
from offerodds.scoring.scorer import LinearScorer
from offerodds.scoring.phrases import PP_LEGEND
from offerodds.scoring.views import people_columns, people_view
from offerodds.signals.validation import PROBLEM_COLUMNS, WARNING, Validated, reasons_by_row
from offerodds.stores.guard import lock_for_writing
from offerodds.stores.serving import serving
from offerodds.usecases._notes import (
    FROM_NOTES_COLUMN,
    NOTES_COLUMN,
    NotesColumnMissing,
    filled_from_notes,
    filled_signals,
    listed,
    mark_reasons,
)

__all__ = [
    "CHUNK_ROWS",
    "FRAME_CHUNK_ROWS",
    "Chosen",
    "ScoredChunk",
    "ScoredFile",
    "choose_scorer",
    "default_output",
    "default_rejects",
    "iter_scored",
    "replaced_columns",
    "score_file",
    "score_table",
]

# Rows per chunk when streaming (``offerodds score``): about two chunks are in memory at once
# (one being written while the next is scored), a few KB per row, so memory stays flat however
# large the file; 25,000 rows cost about 5 % more time than 100,000 and about 200 MB less.
CHUNK_ROWS = 25_000
# ``offerodds.score`` returns every row anyway: larger chunks only save time there.
FRAME_CHUNK_ROWS = 100_000


@dataclass(frozen=True)
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


def replaced_columns(table: Table, extra: tuple[str, ...] = (), stacklevel: int = 2) -> list[str]:  # noqa: ARG001
    """Input columns that scoring will replace (they carry result-column names), with a
    warning naming them, attributed to the caller's own line (``stacklevel`` is kept for old
    callers; the first frame outside offerodds is found by itself)."""
    replaced = [h for h in table.headers if h in result_columns() or h in extra]
    if replaced:
        warn(
            f"input columns {replaced} have the names of result columns and are replaced",
        )
    return replaced


def iter_scored(
    table: Table, scorer: LinearScorer, *, chunk_rows: int = CHUNK_ROWS, extra=(), as_of=None,
    from_notes: bool = False,
) -> Iterator[ScoredChunk]:
    """Score ``table`` chunk by chunk, keeping every row in input order.

    ``as_of`` (see :func:`offerodds.advice.timeline.as_of_date`; default today, local time) is
    the date the advice columns are given for; it is fixed once for the whole table.
    ``from_notes``: fill each row's empty signals from its ``notes`` cell (recorded values are
    never replaced) and list what was filled in a last column, ``signals_from_notes``.
    """
    as_of = as_of_date(as_of)
    seen = 0
    if from_notes:
        extra = (*extra, FROM_NOTES_COLUMN)
        if NOTES_COLUMN not in table.colmap:
            raise NotesColumnMissing(
                f"filling from notes needs a `notes` column, and {table.name} has none "
                f"(its columns: {', '.join(map(str, table.headers[:12]))})"
            )
    for chunk in iter_validated(table, chunk_rows, fill=filled_from_notes if from_notes else None):
        raw, checked, first_row, filled = chunk.raw, chunk.checked, chunk.first_row, chunk.filled
        del chunk
        unsure: dict = {}
        result = result_frame(checked.typed, scorer, checked.valid, unsure)
        if filled is not None:
            result["reasons"] = mark_reasons(result["reasons"], filled)
        frame = pd.concat([_passthrough(raw, extra).reset_index(drop=True), result], axis=1)
        del raw, result
        facts = facts_from_frame(frame, table.colmap, checked.typed)
        if unsure.get("cells") is not None:  # noise is no gap either: never named in the advice
            facts.contributions = np.where(unsure["cells"], 0.0, facts.contributions)
        advice = advise(facts, as_of)
        for column, values in zip(ADVICE_COLUMNS, advice.columns(checked.valid)):
            frame[column] = values
        if filled is not None:
            frame[FROM_NOTES_COLUMN] = pd.array([listed(f) for f in filled], dtype="string")
        notices, seen = table.notices[seen:], len(table.notices)
        yield ScoredChunk(frame, checked, first_row, advice, notices)
        del frame, checked, advice  # hold no chunk while the next one is read and scored


def score_table(
    data,
    scorer: LinearScorer,
    *,
    encoding: str | None = None,
    as_of=None,
    from_notes: bool = False,
    row_warnings: bool = False,
) -> pd.DataFrame:
    """Every row of ``data`` (anything :func:`~offerodds.files.reading.open_table` reads), in
    order: the input columns, the result columns (the advice as of ``as_of``), with
    ``from_notes`` the ``signals_from_notes`` column, and ``error`` (empty for scored rows); with
    ``row_warnings``, also ``warnings``: the problems of each row that was scored all the same
    (the MLflow pyfunc answers them per row)."""
    table = open_table(data, encoding=encoding)
    after_error = ("warnings",) if row_warnings else ()
    taken = ("error", FROM_NOTES_COLUMN, *after_error) if from_notes else ("error", *after_error)
    replaced = replaced_columns(table, extra=taken, stacklevel=3)
    parts = []
    chunks = iter_scored(
        table, scorer, chunk_rows=FRAME_CHUNK_ROWS, extra=("error", *after_error), as_of=as_of, from_notes=from_notes
    )
    warned, first = 0, None
    for chunk in chunks:
        for notice in chunk.notices:
            warn(notice.message(table.name))
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
        warn(
            f"row {first.row}: {first.column} = {first.value!r}: {first.reason}{more}; the rows "
            "are scored on what can be used (offerodds validate lists every one)"
        )
    if not parts:
        columns = [h for h in table.headers if h not in replaced]
        notes = [c for c in taken[1:] if c not in after_error]
        out = pd.DataFrame(columns=[*columns, *result_columns(), *notes, "error", *after_error])
    else:
        out = pd.concat(parts, ignore_index=True)
    return out.rename(columns=table.labels) if table.labels else out


# --- which scorer a command uses ----------------------------------------------------------------


@dataclass(frozen=True)
class Chosen:
    """The scorer a command uses and why; ``fell_back`` when a champion is named but cannot
    load, so the rule card serves instead."""

    scorer: LinearScorer
    reason: str
    fell_back: bool = False

    def __str__(self) -> str:
        return f"{self.scorer.kind} {self.scorer.version} ({self.reason})"


def choose_scorer(workspace=None, *, rules: bool = False, fallback: bool = True) -> Chosen:
    """The rule card when ``rules``, else the serving scorer of ``workspace``.

    Raises
    ------
    ChampionUnavailable
        With ``fallback=False``, when the champion named cannot be loaded.
    """
    if rules:
        return Chosen(rule_card(), "--rules asked for the rule card")
    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    try:
        chosen = serving(ws, fallback=fallback)
    except ChampionUnavailable as error:
        raise ChampionUnavailable(f"{error} (--no-fallback: not falling back to the rule card)") from error
    fell_back = ws.champion_pointer.exists() and chosen.scorer.kind == "rules"
    return Chosen(chosen.scorer, chosen.reason, fell_back)


# --- a file scored into its output and problems file ---------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word if n == 1 else word + 's'}"


def default_output(path: Path) -> Path:
    """``<IN stem>.scored.csv`` beside IN."""
    return path.with_name(f"{path.stem}.scored.csv")


def default_rejects(out: str, source: Path) -> Path:
    """``<OUT stem>.rejects.csv`` beside OUT; beside IN when OUT is standard output."""
    base = default_output(source) if out == STDOUT else Path(out)
    return base.with_name(f"{base.stem}.rejects.csv")


@dataclass(frozen=True)
class ScoredFile:
    """What scoring a file did: rows read, scored and rejected, problems found, where each
    went, and the scorer used."""

    source: Path
    output: str
    rejects: str
    chosen: Chosen
    n_read: int
    n_scored: int
    n_rejected: int
    n_errors: int
    n_warnings: int
    notices: tuple = ()
    view: str = "exact"

    @property
    def legend(self) -> str:
        """What the people view's numbers mean (its percentage points); empty for the exact view."""
        return f"effects: {PP_LEGEND}" if self.view == "people" else ""

    def __str__(self) -> str:
        found = _plural(self.n_errors + self.n_warnings, "problem")
        if self.n_warnings:  # a warning keeps its row: say how many of each
            found = _plural(self.n_warnings, "warning")
            found = f"{_plural(self.n_errors, 'error')} and {found}" if self.n_errors else found
        where = "standard output" if self.output == STDOUT else self.output
        scorer = self.chosen.scorer
        return (
            f"read {_plural(self.n_read, 'row')}: scored {self.n_scored:,}, rejected {self.n_rejected:,} "
            f"({found} in {self.rejects}); scorer {scorer.kind} {scorer.version} ({self.chosen.reason}); wrote {where}"
        )

    def warnings(self) -> list[str]:
        """The reader's warnings about quoted cells, at most three and a count of the rest."""
        lines = [f"{n.message(str(self.source))} (listed in {self.rejects})" for n in self.notices[:3]]
        if len(self.notices) > 3:
            lines.append(f"{len(self.notices) - 3} more quoted cells like these, listed in {self.rejects}")
        return lines


def check_outputs(source, output: str | None, rejects: str | None) -> tuple[str, str]:
    """The output and problems file for ``source`` (defaults beside it), refused before
    anything is read when they cannot be written or would overwrite the input."""
    source = Path(source)
    out = check_output(output) if output else str(default_output(source))
    rejects_path = check_output(rejects, "problems file") if rejects else str(default_rejects(out, source))
    if rejects_path == STDOUT == out:
        raise InputError("the scored rows and the problems cannot both go to standard output; give --rejects FILE")
    check_distinct({"the input": source, "the output": out, "the rejects file": rejects_path})
    return out, rejects_path


def score_file(
    source,
    chosen: Chosen | Callable[[], Chosen],
    *,
    output: str | None = None,
    rejects: str | None = None,
    view: str = "exact",
    as_of=None,
    encoding: str | None = None,
    chunk_rows: int | None = None,
    progress: Callable[[int], None] | None = None,
    from_notes: bool = False,
    workspace=None,
) -> ScoredFile:
    """Score the file ``source`` with ``chosen.scorer`` into ``output`` (``-``: standard output)
    and its problems into ``rejects``; ``progress`` is told the rows of each chunk done.
    ``chosen`` may be a function that chooses, called once the names are checked and the input
    opened (so a wrong name or a missing file is said before a model is loaded).
    ``from_notes``: the signals a row left empty are filled from its ``notes`` column and listed
    in a last column, ``signals_from_notes``.

    An output inside the ``workspace`` is written under the workspace lock (``forget``
    rewrites the tables under ``reports/``). The people's view is read in a spreadsheet: the
    cells and headers it passes through from the input are formula-safe; the exact view keeps
    every input cell as written."""
    source = Path(source)
    out, rejects_path = check_outputs(source, output, rejects)
    table = open_table(source, encoding=encoding)
    if from_notes and NOTES_COLUMN not in table.colmap:
        raise NotesColumnMissing(f"--from-notes reads a `notes` column, and {source} has none")
    chosen = chosen() if callable(chosen) else chosen  # chosen once the input opened
    scorer = chosen.scorer
    replaced = replaced_columns(table, extra=(FROM_NOTES_COLUMN,) if from_notes else (), stacklevel=2)
    kept = [h for h in table.headers if h not in replaced]
    people = view == "people"
    columns = people_columns(kept, table.colmap) if people else [*kept, *result_columns()]
    if from_notes:
        columns = [*columns, FROM_NOTES_COLUMN]
    n_read = n_scored = n_errors = n_warnings = n_rejected = 0
    notices = []
    view_columns, user_cells, headers = columns, False, {}
    if people:  # its headers too: a header taken from the input is a cell of the file
        shown = formula_safe(pd.Series(columns, dtype=object)).tolist()
        headers = {c: h for c, h in zip(columns, shown) if c in kept and c != h}
        user_cells = [headers.get(c, c) for c in columns if c in kept]
        columns = [headers.get(c, c) for c in columns]
    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    with lock_for_writing(ws, [out, rejects_path], "score"), open_writer(
        out, columns, formula_safe=user_cells
    ) as writer, open_writer(rejects_path, list(PROBLEM_COLUMNS), formula_safe=PROBLEM_USER_COLUMNS) as rejected:
        # CHUNK_ROWS rows at a time keeps memory flat; the output does not depend on it
        chunks = iter_scored(
            table, scorer, chunk_rows=chunk_rows or CHUNK_ROWS, as_of=as_of, from_notes=from_notes
        )
        for chunk in chunks:
            valid = chunk.checked.valid
            frame = chunk.frame[valid] if not valid.all() else chunk.frame
            if people:
                filled = [filled_signals(v) for v in frame[FROM_NOTES_COLUMN]] if from_notes else None
                frame = people_view(frame, chunk.checked.typed[valid], view_columns, scorer, from_notes=filled)
                frame = frame.rename(columns=headers) if headers else frame
            writer.write(frame)
            problems = chunk.problem_lines  # the rows' problems, and the reader's warnings
            if len(problems):
                rejected.write(problems)
            notices += chunk.notices
            warned = int((problems["severity"] == "warning").sum())
            n_read += len(valid)
            n_scored += int(valid.sum())
            n_rejected += int((~valid).sum())
            n_errors += len(problems) - warned
            n_warnings += warned
            if progress is not None:
                progress(len(valid))
            del chunk, valid, frame  # memory stays at one chunk in hand while the next is scored
    return ScoredFile(
        source, out, rejects_path, chosen, n_read, n_scored, n_rejected, n_errors, n_warnings, tuple(notices), view
    )
