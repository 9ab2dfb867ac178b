"""``offerodds notes``: the signal values a free-text note supports, with the words behind each.

Nothing is written or stored: the note is read, the proposals printed.
"""

from __future__ import annotations

import json
from pathlib import Path

from offerodds.cli.common import EXIT_OK
from offerodds.errors import InputError

__all__ = ["add_commands", "print_reading"]

def print_reading(reading, where: str = "") -> None:
    """The proposals of a note, one a line with the words behind each, for a person."""
    from offerodds.usecases import format_value

    source = f" in {where}" if where else ""
    if not reading:
        print(f"the note{source} supports no signal value: nothing proposed")
        return
    confidence = getattr(reading, "confidence", {}) or {}
    print(f"what the note{source} supports ({len(reading)} value{'s' if len(reading) != 1 else ''}; "
          "each from the words quoted under it"
          + ("; \"likely right\" is the estimated chance that a careful reader reads the same value"
             if confidence else "") + "):")
    width = max(len(c) for c in reading)
    value_width = max(len(format_value(v)) for v in reading.values())
    for column, value in reading.items():
        sure = f"   (likely right: {confidence[column]:.2f})" if column in confidence else ""
        print(f"  {column:<{width}} = {format_value(value):<{value_width}}{sure}")
        print(f"  {'':<{width}}   \"{reading.evidence[column]}\"")
    print("these are proposals: check each against what happened before you record it "
          "(offerodds ask --notes fills them in as answers for you to confirm)")


def cmd_notes(args) -> int:
    from offerodds.usecases import from_notes, note_from_file

    source = args.note
    is_file = source == "-" or (len(source) < 4096 and "\n" not in source and Path(source).is_file())
    if args.id is not None and not is_file:
        raise InputError(f"--id picks an interview from a file, and {source[:60]!r} is not a file")
    text, where = note_from_file(source, args.id, args.encoding) if is_file else (source, "")
    reading = from_notes(text)
    if args.json:
        print(json.dumps({"values": reading.to_dict(), "evidence": reading.evidence,
                          "probability_right": reading.confidence}, ensure_ascii=False))
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
