"""``offerodds notes``: the signal values a free-text note supports, with the words behind each.

Nothing is written or stored: the note is read, the proposals printed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from offerodds.cli.common import EXIT_OK, CliError

__all__ = ["add_commands", "note_from_file", "print_reading"]

_TEXT_SUFFIXES = (".txt", ".md", ".text", ".eml")


def _row_note(path: Path, wanted: str | None, encoding: str | None) -> tuple[str, str]:
    """(the note, where it came from) of the interview ``--id`` names in a CSV or Parquet file."""
    from offerodds.files.reading import open_table

    table = open_table(path, encoding=encoding)
    header = table.colmap.get("notes")
    if header is None:
        raise CliError(f"{path} has no `notes` column: nothing to read (its columns: {', '.join(table.headers[:12])})")
    if not wanted:
        raise CliError(f"{path} holds many interviews: say which with --id ID (its interview_id or row number)")
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
    raise CliError(f"no interview with id {wanted!r} in {path} (nor a row {wanted})")


def _jsonl_note(path: Path, wanted: str | None) -> tuple[str, str]:
    """(the note, where) of the line whose ``id`` is ``--id`` in a JSON-lines file of notes."""
    if not wanted:
        raise CliError(f"{path} holds many notes: say which with --id ID")
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise CliError(f"{path} line {n} is not JSON: {error.msg}") from None
            if str(record.get("id", "")).strip() == wanted:
                text = record.get("text", record.get("notes", ""))
                return str(text or ""), f"note {wanted} of {path}"
    raise CliError(f"no note with id {wanted!r} in {path}")


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


def print_reading(reading, where: str = "") -> None:
    """The proposals of a note, one a line with the words behind each, for a person."""
    from offerodds.notes.reader import format_value

    source = f" in {where}" if where else ""
    if not reading:
        print(f"the note{source} supports no signal value: nothing proposed")
        return
    print(f"what the note{source} supports ({len(reading)} value{'s' if len(reading) != 1 else ''}; "
          "each from the words quoted under it):")
    width = max(len(c) for c in reading)
    for column, value in reading.items():
        print(f"  {column:<{width}} = {format_value(value)}")
        print(f"  {'':<{width}}   \"{reading.evidence[column]}\"")
    print("these are proposals: check each against what happened before you record it "
          "(offerodds ask --notes fills them in as answers for you to confirm)")


def cmd_notes(args) -> int:
    from offerodds.notes import from_notes

    source = args.note
    is_file = source == "-" or (len(source) < 4096 and "\n" not in source and Path(source).is_file())
    if args.id is not None and not is_file:
        raise CliError(f"--id picks an interview from a file, and {source[:60]!r} is not a file")
    text, where = note_from_file(source, args.id, args.encoding) if is_file else (source, "")
    reading = from_notes(text)
    if args.json:
        print(json.dumps({"values": reading.to_dict(), "evidence": reading.evidence}, ensure_ascii=False))
    else:
        print_reading(reading, where)
    return EXIT_OK


def add_commands(sub, common) -> None:
    """Register ``notes`` on the ``offerodds`` parser."""
    p = sub.add_parser(
        "notes", parents=[common],
        help="propose signal values from a free-text note about an interview (the words behind each)",
    )
    p.add_argument("note", metavar="TEXT|FILE",
                   help="the note in quotes, a .txt file, '-' for standard input, or an interview "
                   "file (CSV/Parquet with a notes column, or JSON lines) with --id")
    p.add_argument("--id", help="the interview in FILE: its interview_id (or row number)")
    p.add_argument("--json", action="store_true", help="print the proposals and their words as one JSON object")
    p.add_argument("--encoding", help="text encoding of a file that is not UTF-8")
    p.set_defaults(func=cmd_notes)
