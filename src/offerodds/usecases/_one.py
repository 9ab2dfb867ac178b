"""One interview of a file: ``explain`` and ``followup`` by interview_id (or row number)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from offerodds.advice.drafts import Draft, compose
from offerodds.advice.playbook import playbook
from offerodds.advice.timeline import as_of_date
from offerodds.errors import InputError
from offerodds.files.atomic import AtomicFile, check_distinct
from offerodds.files.reading import open_table
from offerodds.scoring.agreement import unsure_cells
from offerodds.scoring.explanation import Explanation, answer_changes, explanation_from_row, recorded_of
from offerodds.scoring.scorer import LinearScorer
from offerodds.scoring.terms import MIN_EFFECT, blank_effects, pair_effects
from offerodds.signals.states import state_codes
from offerodds.signals.validation import reasons_by_row
from offerodds.usecases._notes import NOTES_COLUMN, NotesColumnMissing, filled_signals
from offerodds.usecases._score import iter_scored, score_table

__all__ = [
    "ExplainedInFile",
    "FollowupInFile",
    "explain_in_file",
    "explain_interview",
    "find_interview",
    "followup_in_file",
    "followup_interview",
]


def _one_interview(interview, scorer: LinearScorer, what: str, as_of=None, from_notes: bool = False):
    """The scored chunk of one interview and its table; a clear error for none, several or an
    invalid one."""
    if isinstance(interview, pd.Series):
        interview = interview.to_dict()
    table = open_table(interview)
    chunks = list(iter_scored(table, scorer, as_of=as_of, from_notes=from_notes))
    n_rows = sum(len(c.frame) for c in chunks)
    if n_rows != 1:
        raise InputError(f"{what} takes one interview, got {n_rows}; use score() for many")
    chunk = chunks[0]
    if not chunk.checked.valid[0]:
        problem = reasons_by_row(chunk.checked.problems, 1)[0]
        raise InputError(f"this interview is invalid: {problem}")
    return table, chunk


def explain_interview(interview, scorer: LinearScorer, *, from_notes: bool = False) -> Explanation:
    """The :class:`Explanation` of one interview (a dict, a Series or a one-row table);
    ``from_notes``: its empty signals filled from its ``notes``, each marked "(from your notes)"."""
    table, chunk = _one_interview(interview, scorer, "explain", from_notes=from_notes)
    row = chunk.frame.iloc[0]
    id_column = table.colmap.get("interview_id")
    interview_id = "" if id_column is None or pd.isna(row[id_column]) else str(row[id_column])
    typed = chunk.checked.typed
    recorded, stage = recorded_of(typed)
    parts = scorer.decompose(typed)
    # effects of uncertain sign: listed, marked, never reasons
    uncertain = unsure_cells(scorer, typed, parts.contributions, state_codes(typed, parts.signals))[0]
    unsure = {s for s, flag in zip(parts.signals, uncertain) if flag}
    explanation = explanation_from_row(row, interview_id, recorded, stage, unsure, answer_changes(scorer, typed))
    if from_notes:
        explanation.from_notes = filled_signals(row.get("signals_from_notes"))
    # a learned model's pairs of signals and the blanks it weighs, in words (a signal x round
    # pair is already said, with its figures, by the round's line: answer_changes)
    explanation.pairs = tuple(e.words for e in pair_effects(scorer, typed) if e.kind != "stage")
    explanation.blanks = {
        s: v for s, v in blank_effects(scorer).items()
        if s in parts.signals and s not in recorded and abs(v) >= MIN_EFFECT
    }
    return explanation


def followup_interview(interview, scorer: LinearScorer, *, as_of=None) -> Draft:
    """The :class:`Draft` of the email one interview's next step calls for."""
    table, chunk = _one_interview(interview, scorer, "followup", as_of)
    return compose(chunk.frame.iloc[0], table.colmap, chunk.advice, 0, playbook())


def find_interview(table, wanted: str) -> dict:
    """The raw cells of one interview of ``table``: by ``interview_id``, else by row number."""
    wanted = wanted.strip()
    id_column = table.colmap.get("interview_id")
    number = int(wanted) if wanted.isdigit() else None
    first, by_number = 1, None
    for raw in table.chunks():
        if id_column is not None:
            ids = raw[id_column].astype("string").str.strip()
            hit = (ids == wanted).fillna(False).to_numpy(bool)
            if hit.any():
                return raw.iloc[int(hit.argmax())].to_dict()
        if number is not None and first <= number < first + len(raw):
            by_number = raw.iloc[number - first].to_dict()
        first += len(raw)
    if by_number is not None:
        return by_number
    where = "interview_id" if id_column is not None else "row number (the file has no interview_id)"
    raise InputError(f"no interview with {where} {wanted!r} in {table.path or 'the input'}")


# --- explain ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExplainedInFile:
    """The explanation of one interview of a file; ``note`` says when ``--id`` was read as a
    row number; ``chart`` is where the chart was drawn, if asked for."""

    explanation: Explanation
    note: str = ""
    chart: Path | None = None

    def __str__(self) -> str:
        return str(self.explanation)


def _pick_row(source, wanted: str, scored, id_column) -> tuple[int, str]:
    """The position of the interview ``wanted`` names: its interview_id, else its row number."""
    wanted = wanted.strip()
    if id_column is not None:
        matches = (scored[id_column].astype("string").str.strip() == wanted).to_numpy(dtype=bool, na_value=False)
        if matches.any():
            return int(matches.argmax()), ""
    if wanted.isdigit() and 1 <= int(wanted) <= len(scored):
        note = f"no interview_id {wanted!r} in {source}: explaining row {wanted}" if id_column is not None else ""
        return int(wanted) - 1, note
    if id_column is None:
        raise InputError(f"{source} has no interview_id column and {len(scored):,} rows; give --id as a row number")
    raise InputError(f"no interview with id {wanted!r} in {source} (nor a row {wanted})")


def explain_in_file(
    source, wanted: str, scorer, *, plot=None, encoding: str | None = None, from_notes: bool = False
) -> ExplainedInFile:
    """Explain the interview ``wanted`` (interview_id, else row number) of the file ``source``
    with ``scorer`` (or a function returning it, called once the input opened); with ``plot``,
    also draw the contributions chart there (a .png); ``from_notes``: its empty signals filled
    from its ``notes`` column."""
    check_distinct({"the input": Path(source), "--plot": plot})
    if plot and Path(plot).suffix.lower() != ".png":
        raise InputError(f"the chart is a PNG image: name it with .png, not {plot}")
    table = open_table(Path(source), encoding=encoding)
    if from_notes and NOTES_COLUMN not in table.colmap:
        raise NotesColumnMissing(f"--from-notes reads a `notes` column, and {source} has none")
    scorer = scorer() if callable(scorer) else scorer  # chosen once the input opened
    with warnings.catch_warnings():  # the other rows' warnings are not this interview's
        warnings.simplefilter("ignore")
        scored = score_table(table, scorer)
    position, note = _pick_row(source, wanted, scored, table.colmap.get("interview_id"))
    row = scored.iloc[position]
    if row["error"]:
        raise InputError(f"interview {wanted} is invalid: {row['error']}")
    inputs = {h: row[h] for h in table.colmap.values() if h in row.index}  # what offerodds reads
    explanation = explain_interview(inputs, scorer, from_notes=from_notes)
    if plot:
        explanation.plot(plot)
    return ExplainedInFile(explanation, note, Path(plot) if plot else None)


# --- followup -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowupInFile:
    """The draft for one interview of a file; ``written`` is the .eml file when one was
    written; ``notes`` are what a person should know (when the email is for, nothing written)."""

    draft: Draft
    written: Path | None = None
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        return str(self.draft)


def _check_draft_target(target: Path | None) -> None:
    """An earlier draft may be replaced; any other file that holds data is refused."""
    if target is None or not target.is_file() or not target.stat().st_size:
        return
    with open(target, "rb") as handle:
        head = handle.read(4096)
    if b"\nX-Unsent: 1" not in head.replace(b"\r\n", b"\n"):
        raise InputError(f"{target} exists and is not an email draft; choose a new name for the draft")


def followup_in_file(
    source, wanted: str, scorer: LinearScorer, *, as_of=None, output=None, encoding: str | None = None,
    workspace=None,
) -> FollowupInFile:
    """The draft for the interview ``wanted`` of the file ``source``; with ``output``, also
    written there as an email file (never sent)."""
    check_distinct({"the input": Path(source), "the draft": output})
    _check_draft_target(Path(output) if output else None)
    table = open_table(Path(source), encoding=encoding)
    interview = find_interview(table, wanted)
    as_of = as_of or as_of_date()
    draft = followup_interview(interview, scorer, as_of=as_of)
    notes = []
    if draft.kind == "status" and draft.next_step_due > str(as_of.day):
        notes.append(f"this email is for {draft.next_step_due}, if you have not heard back by then")
    if not output:
        return FollowupInFile(draft, None, tuple(notes))
    if not draft.kind:
        notes.append(f"no email is called for now, so nothing was written to {output}")
        return FollowupInFile(draft, None, tuple(notes))
    from offerodds.files.workspace import Workspace
    from offerodds.stores.guard import lock_for_writing

    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    with lock_for_writing(ws, [output], "followup"), AtomicFile(Path(output)) as tmp:  # in the workspace: its lock
        tmp.write_bytes(bytes(draft.email()))
    notes.append(f"draft written to {output}; open it in your mail client, edit it and send it yourself")
    return FollowupInFile(draft, Path(output), tuple(notes))
