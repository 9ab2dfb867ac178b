"""Adding one interview to a person's interview file (what ``offerodds ask`` writes), the CSV
that ``score``, ``validate`` and ``retrain`` read.

The file is replaced atomically (the old bytes, then the new row), so an interrupted run never
leaves half a row; every existing row and byte stays as it was. A file that lacks a column the
new row needs (``interview_id``, or an answer given) gets it added at the end of the header,
its rows an empty cell there. The new row gets a fresh ``interview_id``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import secrets
import tempfile
from datetime import date
from pathlib import Path

from offerodds.files.csvfiles import HEAD_BYTES, detect_encoding, header_line
from offerodds.files.atomic import AtomicFile
from offerodds.files.writing import is_parquet
from offerodds.signals.catalogue import template_columns
from offerodds.signals.headers import InputError, lookalikes, match_columns, normalise_header

__all__ = ["append_interview", "check_tracker", "fresh_id", "remove_interviews"]


def fresh_id(taken: set[str], today: date | None = None) -> str:
    """A new interview id, ``iv-<YYYYMMDD>-<6 hex digits>``, not among ``taken``."""
    stamp = (today or date.today()).strftime("%Y%m%d")
    while True:
        candidate = f"iv-{stamp}-{secrets.token_hex(3)}"
        if candidate not in taken:
            return candidate


def _layout(path: Path) -> tuple[str, str, str, bool]:
    """Codec, delimiter, line ending and whether the file ends with a line ending."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - 2))
        tail = handle.read()
    codec = detect_encoding(head, None, str(path))
    if codec not in ("utf-8", "utf-8-sig"):
        raise InputError(f"{path}: offerodds ask adds rows to UTF-8 files only, and this one is {codec}")
    text = head.decode("utf-8-sig", errors="replace")
    _, _, delimiter = header_line(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    return "utf-8-sig" if head.startswith(b"\xef\xbb\xbf") else "utf-8", delimiter, newline, tail.endswith(b"\n")


def _line(values: list[str], delimiter: str, newline: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerow(values)
    return buffer.getvalue()


def check_tracker(path: str | os.PathLike, *, writable: bool = False) -> None:
    """Refuse, before any question is asked, a file a row cannot be added to.

    Raises
    ------
    InputError
        For a Parquet file, a directory, a file that is not UTF-8 CSV text, or (``writable``)
        a file or folder that cannot be written (a read-only workspace).
    """
    path = Path(path)
    if is_parquet(path):
        raise InputError(f"{path}: offerodds ask adds rows to a CSV file, not Parquet")
    if path.is_dir():
        raise InputError(f"{path} is a directory, not a file")
    if path.exists() and path.stat().st_size:
        _layout(path)
        headers = tracker_headers(path)
        try:
            colmap = match_columns(headers)
        except InputError:  # no signal column yet (or two headers for one): none is taken
            colmap = {}
        alike = lookalikes(headers, colmap)
        if alike:  # a new column beside a misspelt one would split the answers in two
            header, column = alike[0]
            raise InputError(
                f"{path} has a column {header!r} that looks like {column!r}: rename it to "
                f"{column!r} (offerodds never renames a header itself), then run ask again"
            )
    if writable:
        _check_writable(path)


def tracker_headers(path: str | os.PathLike) -> list[str]:
    """The header of an interview file (empty for a missing or empty file)."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return []
    rows, _ = _read_rows(path)
    return list(rows[0]) if rows else []


def new_columns(path: str | os.PathLike, answers: dict[str, str]) -> list[str]:
    """The columns :func:`append_interview` would add at the end of an existing file's header
    (answered columns it does not have yet); none for a new file, which gets the template's."""
    headers = tracker_headers(path)
    if not headers:
        return []
    where = {normalise_header(h) for h in headers}
    return [c for c, v in answers.items() if str(v).strip() and c not in where and c != "interview_id"]


def _check_writable(path: Path) -> None:
    """Try what adding a row will do (a new file beside ``path``, renamed over it): a
    read-only folder or file is said now, not after every question was answered."""
    folder = path.parent if str(path.parent) else Path(".")
    probe = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".offerodds-probe.", dir=folder)
        os.close(fd)
        if path.exists():
            with open(path, "r+b"):
                pass
    except OSError as error:
        raise InputError(
            f"{path} cannot be written ({error.strerror or error}): nothing was asked; "
            "choose a file you may write with -o"
        ) from None
    finally:
        if probe is not None:
            with contextlib.suppress(OSError):
                os.unlink(probe)


def append_interview(path: str | os.PathLike, answers: dict[str, str], *, private: bool = False) -> str:
    """Append one interview to the CSV at ``path`` (created with the template's header if
    missing) and return its fresh ``interview_id``.

    Parameters
    ----------
    path : path
        The interview file (CSV).
    answers : dict
        Canonical column name -> the text to write (unanswered columns may be left out).
    private : bool, default False
        A new file is readable by its owner only (the workspace's own interview file); an
        existing file keeps its permissions.

    Returns
    -------
    str
        The new row's ``interview_id``.

    Raises
    ------
    InputError
        For a Parquet file, a file that is not UTF-8 CSV, or one whose rows cannot be read.
    """
    path = Path(path)
    check_tracker(path)
    answers = {k: v for k, v in answers.items() if k != "interview_id"}
    if not path.exists() or path.stat().st_size == 0:
        headers = template_columns()
        interview_id = fresh_id(set())
        row = {**answers, "interview_id": interview_id}
        with AtomicFile(path, durable=True, private=private) as tmp:
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                out.write(_line(headers, ",", "\n"))
                out.write(_line([row.get(h, "") for h in headers], ",", "\n"))
        return interview_id
    rows, (codec, delimiter, newline, ends_with_newline) = _read_rows(path)
    headers = rows[0] if rows else []
    where = {normalise_header(h): i for i, h in enumerate(headers)}
    id_column = where.get("interview_id")
    taken = {r[id_column].strip() for r in rows[1:] if id_column is not None and len(r) > id_column}
    interview_id = fresh_id(taken)
    row = {**answers, "interview_id": interview_id}
    missing = [c for c, v in row.items() if str(v).strip() and c not in where]
    with AtomicFile(path, durable=True) as tmp:
        if missing:  # rewrite with the new columns at the end; every cell as it was
            headers = [*headers, *missing]
            where.update({c: len(headers) - len(missing) + k for k, c in enumerate(missing)})
            with open(tmp, "w", encoding=codec, newline="") as out:
                out.write(_line(headers, delimiter, newline))
                for r in rows[1:]:
                    out.write(_line(r + [""] * (len(headers) - len(r)) if r else r, delimiter, newline))
                out.write(_line(_values(row, where, len(headers)), delimiter, newline))
        else:  # the old bytes, then the new line
            with open(path, "rb") as source, open(tmp, "wb") as out:
                while block := source.read(1 << 20):
                    out.write(block)
                if not ends_with_newline:
                    out.write(newline.encode())
                out.write(_line(_values(row, where, len(headers)), delimiter, newline).encode("utf-8"))
    return interview_id


def _read_rows(path: Path) -> tuple[list[list[str]], tuple]:
    """Every row of an interview file as text, and its layout (encoding, delimiter, line
    ending, whether it ends with one)."""
    layout = _layout(path)
    codec, delimiter, *_ = layout
    try:
        with open(path, encoding=codec, newline="") as handle:
            return list(csv.reader(handle, delimiter=delimiter)), layout
    except (csv.Error, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read it as CSV ({error})") from None


def _values(row: dict[str, str], where: dict[str, int], width: int) -> list[str]:
    values = [""] * width
    for column, value in row.items():
        if column in where:
            values[where[column]] = str(value)
    return values


def remove_interviews(path: str | os.PathLike, ids: set[str]) -> tuple[int, set[str]]:
    """Remove the rows whose ``interview_id`` is one of ``ids`` from an interview file, every
    other row and its layout (encoding, delimiter, line ending) kept; returns (rows removed,
    ids found). A file without an ``interview_id`` column is left as it is."""
    path = Path(path)
    rows, (codec, delimiter, newline, _) = _read_rows(path)
    if not rows:
        return 0, set()
    id_column = {normalise_header(h): i for i, h in enumerate(rows[0])}.get("interview_id")
    if id_column is None:
        return 0, set()
    gone = [r for r in rows[1:] if len(r) > id_column and r[id_column].strip() in ids]
    if not gone:
        return 0, set()
    kept = [rows[0], *(r for r in rows[1:] if not (len(r) > id_column and r[id_column].strip() in ids))]
    with AtomicFile(path, durable=True) as tmp:
        with open(tmp, "w", encoding=codec, newline="") as out:
            out.writelines(_line(r, delimiter, newline) for r in kept)
    return len(gone), {r[id_column].strip() for r in gone}
