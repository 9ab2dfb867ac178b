"""Removing rows from a table while every other byte stays as it was: what ``forget`` does to
the interview file ``ask`` keeps and to every table under ``reports/``.

A CSV file is split into its records as written (a quoted cell may span lines); the records to
remove are left out and every other one is written back exactly: same bytes, quoting, line
endings, encoding and byte-order mark. A Parquet file is filtered as an Arrow table (the kept
values, types and schema untouched). The id column is found under any header the reader
accepts (``Interview ID``, `` interview-id ``), and an id matches as written or as a
formula-safe file shows it (``'=x`` for ``=x``).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

from offerodds.files.csvfiles import HEAD_BYTES, detect_encoding, header_line
from offerodds.files.atomic import AtomicFile
from offerodds.files.writing import is_parquet
from offerodds.signals.headers import normalise_header

__all__ = ["id_column", "remove_rows"]

ID_COLUMN = "interview_id"
csv.field_size_limit(2**31 - 1)  # a cell of a million characters is still a cell


def id_column(headers: list[str]) -> int | None:
    """The position of the ``interview_id`` column under any header the reader accepts."""
    for i, header in enumerate(headers):
        if normalise_header(header) == ID_COLUMN:
            return i
    return None


def _layout(path: Path) -> tuple[str, str]:
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    codec = detect_encoding(head, None, str(path))
    text = head.decode(codec, errors="replace")
    _, _, delimiter = header_line(text)
    return codec, delimiter


def _records(handle, delimiter: str) -> Iterator[tuple[str, list[str]]]:
    """(the record's text as written, its fields) for each record of an open text file."""
    consumed: list[str] = []

    def lines():
        for line in handle:
            consumed.append(line)
            yield line

    for fields in csv.reader(lines(), delimiter=delimiter):
        raw = "".join(consumed)
        consumed.clear()
        yield raw, fields


def remove_rows(path: str | os.PathLike, matches, *, private: bool | None = None) -> tuple[int, set[str]]:
    """Remove from the table at ``path`` the rows whose id cell (stripped) ``matches(cell)``
    says is to go, returning (rows removed, id cells removed). Nothing is written when nothing
    matches; a table without an id column is left as it is.

    ``private``: the rewritten file is the owner's only (None keeps the file's permissions).
    """
    path = Path(path)
    if is_parquet(path):
        return _remove_parquet(path, matches, private)
    codec, delimiter = _layout(path)
    kept: list[str] = []
    removed, found = 0, set()
    where = None
    with open(path, encoding=codec, errors="surrogateescape", newline="") as handle:
        for number, (raw, fields) in enumerate(_records(handle, delimiter)):
            if number == 0:
                where = id_column(fields)
                if where is None:
                    return 0, set()
                kept.append(raw)
                continue
            cell = fields[where].strip() if len(fields) > where else ""
            if cell and matches(cell):
                removed += 1
                found.add(cell)
            else:
                kept.append(raw)
    if not removed:
        return 0, set()
    with AtomicFile(path, suffix=path.suffix, durable=True, private=bool(private)) as tmp:  # keeps its mode
        with open(tmp, "w", encoding=codec, errors="surrogateescape", newline="") as out:
            out.writelines(kept)
    return removed, found


def _remove_parquet(path: Path, matches, private: bool | None) -> tuple[int, set[str]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    where = id_column(table.column_names)
    if where is None:
        return 0, set()
    cells = [None if v is None else str(v).strip() for v in table.column(where).to_pylist()]
    hit = [bool(c) and bool(matches(c)) for c in cells]
    if not any(hit):
        return 0, set()
    kept = table.filter(pa.array([not h for h in hit]))
    with AtomicFile(path, suffix=path.suffix, durable=True, private=bool(private)) as tmp:
        pq.write_table(kept, tmp)
    return sum(hit), {c for c, h in zip(cells, hit) if h}
