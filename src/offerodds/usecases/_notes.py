"""Notes into a scoring run: fill the EMPTY signal cells of each row from its ``notes`` cell
(``offerodds score --from-notes``, ``offerodds.score(..., from_notes=True)``).

A value someone recorded is never replaced; the input columns reach the output unchanged; what
was filled is listed per row in ``signals_from_notes``, and the reasons mark each filled
signal "(from your notes)". Retraining never calls this: what a model learns about blanks comes
from what people recorded.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds.errors import InputError
from offerodds.files.reading import open_table
from offerodds.notes import from_notes
from offerodds.notes.reader import format_value
from offerodds.signals.catalogue import by_name, catalogue, input_columns

__all__ = [
    "FROM_NOTES_COLUMN", "NOTES_COLUMN", "NotesColumnMissing", "filled_from_notes", "filled_signals", "listed", "mark_reasons",
    "note_from_file",
]

NOTES_COLUMN = "notes"
FROM_NOTES_COLUMN = "signals_from_notes"
_SIGNAL_OF = {c: s.name for s in catalogue() for c in s.columns}


class NotesColumnMissing(InputError):
    """Filling from notes was asked for and the table has no ``notes`` column."""


def _empty(values: pd.Series) -> np.ndarray:
    text = values.astype("string").str.strip()
    return (values.isna() | (text == "")).fillna(True).to_numpy(dtype=bool)


def filled_from_notes(raw: pd.DataFrame, colmap: dict) -> tuple[pd.DataFrame, dict, list[dict]]:
    """``raw`` with its empty signal cells filled from each row's notes, the column map that
    reads it, and per row what was filled (column -> value).

    The returned frame is a copy used only to validate and score; the caller passes the
    original columns through untouched.
    """
    header = colmap.get(NOTES_COLUMN)
    if header is None:
        raise NotesColumnMissing("filling from notes needs a `notes` column, and this table has none")
    filled_rows: list[dict] = [{} for _ in range(len(raw))]
    notes = raw[header].to_numpy(dtype=object)
    columns = input_columns()
    empty = {c: (_empty(raw[colmap[c]]) if c in colmap else np.ones(len(raw), dtype=bool)) for c in columns}
    for i, text in enumerate(notes):
        if not isinstance(text, str) or not text.strip():
            continue
        for column, value in from_notes(text).items():
            if empty[column][i]:
                filled_rows[i][column] = value
    if not any(filled_rows):
        return raw, colmap, filled_rows
    frame = raw.copy()
    new_map = dict(colmap)
    for column in columns:
        values = [row.get(column) for row in filled_rows]
        if all(v is None for v in values):
            continue
        if column not in new_map:
            name = column
            while name in frame.columns:
                name = f"_{name}"
            new_map[column] = name
            frame[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
        target = new_map[column]
        cells = frame[target].astype(object).to_numpy(copy=True)
        for i, v in enumerate(values):
            if v is not None:
                cells[i] = format_value(v)
        frame[target] = cells
    return frame, new_map, filled_rows


def listed(filled: dict) -> str:
    """What notes filled for one row, in catalogue order (``distracted = yes; actual_minutes = 20``)."""
    return "; ".join(f"{c} = {format_value(filled[c])}" for c in input_columns() if c in filled)


def filled_signals(listed_text) -> frozenset:
    """The signals a ``signals_from_notes`` cell lists (``interview_length`` for its minutes)."""
    if not isinstance(listed_text, str) or not listed_text.strip():
        return frozenset()
    columns = [part.split("=", 1)[0].strip() for part in listed_text.split(";")]
    return frozenset(_SIGNAL_OF[c] for c in columns if c in _SIGNAL_OF)


def mark_reasons(reasons: pd.Series, filled_rows: list[dict]) -> pd.Series:
    """The reasons with each signal filled from notes marked "(from your notes)"."""
    out = reasons.astype(object).to_numpy(copy=True)
    for i, filled in enumerate(filled_rows):
        if not filled or not isinstance(out[i], str):
            continue
        text = out[i]
        for name in dict.fromkeys(_SIGNAL_OF[c] for c in filled):
            for state in by_name()[name].states.values():
                if state.says in text and f"{state.says} (from your notes)" not in text:
                    text = text.replace(state.says, f"{state.says} (from your notes)")
        out[i] = text
    return pd.Series(out, index=reasons.index, dtype=reasons.dtype)


# --- one note from a file (``offerodds notes FILE --id ID``) ------------------------------------

_TEXT_SUFFIXES = (".txt", ".md", ".text", ".eml")


def _row_note(path: Path, wanted: str | None, encoding: str | None) -> tuple[str, str]:
    """(the note, where it came from) of the interview ``--id`` names in a CSV or Parquet file."""
    table = open_table(path, encoding=encoding)
    header = table.colmap.get("notes")
    if header is None:
        raise InputError(f"{path} has no `notes` column: nothing to read (its columns: {', '.join(table.headers[:12])})")
    if not wanted:
        raise InputError(f"{path} holds many interviews: say which with --id ID (its interview_id or row number)")
    id_header = table.colmap.get("interview_id")
    row_number = 0
    for chunk in table.chunks():
        if id_header is not None:
            ids = chunk[id_header].astype("string").str.strip()
            hits = (ids == wanted).fillna(False).to_numpy(dtype=bool)
            if hits.any():
                cell = chunk[header].iloc[int(hits.argmax())]
                return ("" if not isinstance(cell, str) else cell), f"interview {wanted} of {path}"
        if wanted.isdigit() and row_number < int(wanted) <= row_number + len(chunk):
            if id_header is None or not (chunk[id_header].astype("string").str.strip() == wanted).any():
                cell = chunk[header].iloc[int(wanted) - row_number - 1]
                return ("" if not isinstance(cell, str) else cell), f"row {wanted} of {path}"
        row_number += len(chunk)
    raise InputError(f"no interview with id {wanted!r} in {path} (nor a row {wanted})")


def _jsonl_note(path: Path, wanted: str | None) -> tuple[str, str]:
    """(the note, where) of the line whose ``id`` is ``--id`` in a JSON-lines file of notes."""
    if not wanted:
        raise InputError(f"{path} holds many notes: say which with --id ID")
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(f"{path} line {n} is not JSON: {error.msg}") from None
            if str(record.get("id", "")).strip() == wanted:
                text = record.get("text", record.get("notes", ""))
                return str(text or ""), f"note {wanted} of {path}"
    raise InputError(f"no note with id {wanted!r} in {path}")


def note_from_file(source: str, wanted: str | None = None, encoding: str | None = None) -> tuple[str, str]:
    """The note a ``notes`` argument names: ``-`` (standard input), a text file, one row of a
    CSV or Parquet interview file or of a JSON-lines file of notes (``--id``)."""
    if source == "-":
        return sys.stdin.read(), "standard input"
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        return path.read_text(encoding=encoding or "utf-8"), str(path)
    if suffix == ".jsonl":
        return _jsonl_note(path, wanted)
    return _row_note(path, wanted, encoding)
