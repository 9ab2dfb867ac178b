"""Streaming writers: CSV or Parquet by extension, chunk by chunk, replaced atomically.

A file is written under a temporary name beside its target and renamed into place only when
complete, so a failed run never leaves a half-written output or corrupts an earlier one.

Files people open in a spreadsheet that echo their data back to them (rejects and problems
files, the people's view of scored rows) name the columns that hold cells taken from the
user's data (``formula_safe=[...]``): a text cell there that a spreadsheet would run as a
formula gets a leading apostrophe (:func:`formula_safe`, the one rule). Columns offerodds
writes itself (row numbers, probabilities, reasons) are never escaped; figures stay numbers.
The exact scored output is written as given.

Formatting and writing a chunk (pyarrow, which releases the GIL) happen on a background thread
while the caller prepares the next chunk; at most one chunk waits in between, so memory stays
flat. A failure on that thread is raised by the next :meth:`TableWriter.write` or on leaving
the ``with`` block.
"""

from __future__ import annotations

import json
import os
import queue
import sys
import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from offerodds.errors import InputError
from offerodds.files.atomic import STDOUT, AtomicFile

__all__ = [
    "FORMATS",
    "PROBLEM_USER_COLUMNS",
    "STDOUT",
    "TableWriter",
    "check_output",
    "formula_safe",
    "formula_safe_frame",
    "is_parquet",
    "open_writer",
    "write_table",
]

#: The columns of a rejects or problems file whose cells come from the user's data.
PROBLEM_USER_COLUMNS = ("interview_id", "column", "value", "file")

_DONE = object()  # tells the background thread that no chunk follows
# A spreadsheet runs a cell starting with one of these as a formula (OWASP, "CSV injection").
_FORMULA_START = "^[=+\\-@\t\r]"
_PLAIN_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"


def formula_safe(values: pd.Series) -> pd.Series:
    """Text a spreadsheet shows as text: a value starting with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return, and not a plain number, gets a leading apostrophe.

    Numbers and missing values are returned unchanged; so is every other text.

    Examples
    --------
    >>> formula_safe(pd.Series(["=HYPERLINK(1)", "-3.5", "@SUM(A1)", "ok", None])).tolist()
    ["'=HYPERLINK(1)", '-3.5', "'@SUM(A1)", 'ok', None]
    """
    if not (pd.api.types.is_object_dtype(values.dtype) or pd.api.types.is_string_dtype(values.dtype)):
        return values
    text = values.astype("string")
    risky = text.str.contains(_FORMULA_START, regex=True).fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return values
    risky &= ~text.str.fullmatch(_PLAIN_NUMBER).fillna(False).to_numpy(dtype=bool)
    if not risky.any():
        return values
    out = values.copy()
    out[risky] = "'" + text[risky]
    return out


def formula_safe_frame(frame: pd.DataFrame, columns=True) -> pd.DataFrame:
    """``frame`` with :func:`formula_safe` applied to ``columns`` (the names of the columns that
    hold the user's data; True: every column). Other columns are left exactly as they are."""
    chosen = list(frame.columns) if columns is True else [c for c in frame.columns if c in set(columns or ())]
    safe = {c: formula_safe(frame[c]) for c in chosen}
    changed = [c for c in chosen if safe[c] is not frame[c]]
    if not changed:
        return frame
    out = frame.copy()
    for c in changed:
        out[c] = safe[c]
    return out


def csv_ready(table: pa.Table) -> pa.Table:
    """``table`` with every nested column (lists, structs, maps: a Parquet input can carry
    them through) as JSON text, which a CSV cell can hold; other columns untouched."""
    nested = [i for i, f in enumerate(table.schema) if pa.types.is_nested(f.type)]
    for i in nested:
        name = table.schema.field(i).name
        values = [None if v is None else json.dumps(v, default=str, ensure_ascii=False) for v in table.column(i).to_pylist()]
        table = table.set_column(i, pa.field(name, pa.string()), pa.array(values, pa.string()))
    return table


def is_parquet(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in {".parquet", ".pq"}


class TableWriter:
    """Write pandas chunks to one CSV or Parquet file, atomically.

    Use as a context manager; the schema is fixed by the first chunk (later chunks are cast).

    Parameters
    ----------
    path : path-like
    columns : list of str, optional
        The header of a file without any chunk.
    formula_safe : bool or collection of str, default False
        The columns whose text cells go through :func:`formula_safe` (those taken from the
        user's data); True for every column.
    private : bool, default False
        The file holds personal data in the workspace: readable by its owner only.
    """

    def __init__(
        self,
        path: str | os.PathLike,
        columns: list[str] | None = None,
        *,
        formula_safe=False,
        private: bool = False,
    ):
        self.path = Path(path)
        self.columns = columns
        self.formula_safe = formula_safe
        self._writer = None
        self._schema = None
        self._target = AtomicFile(self.path, private=private)
        self._tmp = None
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def __enter__(self) -> "TableWriter":
        self._tmp = self._target.__enter__()
        return self

    def write(self, frame: pd.DataFrame) -> None:
        self._raise_failure()
        if self.formula_safe:
            frame = formula_safe_frame(frame, self.formula_safe)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if not is_parquet(self.path):
            table = csv_ready(table)
        if self._writer is None:
            self._schema = table.schema.remove_metadata()
            self._open()
        table = table.cast(self._schema)
        # hand over once the previous chunk is written: one chunk is written while the caller
        # prepares the next, never more (memory stays at two chunks)
        self._queue.join()
        self._raise_failure()
        self._queue.put(table)

    def _open(self) -> None:
        if is_parquet(self.path):
            self._writer = pq.ParquetWriter(self._tmp, self._schema)
        else:
            self._writer = pacsv.CSVWriter(self._tmp, self._schema)
        self._queue = queue.Queue(maxsize=1)
        self._thread = threading.Thread(target=self._drain, name=f"offerodds-writer-{self.path.name}", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        """The background thread: write each queued table; after a failure, only discard."""
        while True:
            table = self._queue.get()
            try:
                if table is _DONE:
                    return
                if self._error is None:
                    self._writer.write_table(table)
            except BaseException as error:  # noqa: BLE001 - handed to the caller's thread
                self._error = error
            finally:
                del table
                self._queue.task_done()

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    def _finish(self) -> None:
        """Wait until every queued chunk is written (or discarded after a failure)."""
        if self._thread is not None:
            self._queue.put(_DONE)
            self._thread.join()
            self._thread = None

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None and self._writer is None:
                self.write(pd.DataFrame(columns=self.columns or []).astype("string"))
            self._finish()
            if self._writer is not None:
                self._writer.close()
            if exc_type is None:
                self._raise_failure()
                self._target.commit()
        finally:
            self._finish()
            self._target.discard()


def write_table(path: str | os.PathLike, frame: pd.DataFrame, *, formula_safe=False, private: bool = False) -> Path:
    """Write one frame to ``path`` (CSV or Parquet by extension) with :class:`TableWriter`."""
    with TableWriter(path, list(frame.columns), formula_safe=formula_safe, private=private) as writer:
        writer.write(frame)
    return Path(path)


# --- where ``offerodds score`` writes: the format follows the extension, ``-`` is standard output

FORMATS = {".csv": "CSV", ".parquet": "Parquet", ".pq": "Parquet"}


def check_output(name: str, what: str = "output") -> str:
    """``name`` when offerodds can write it (a known extension, or ``-``); else an InputError.

    Called before anything is read, so a wrong name costs nothing.
    """
    if name == STDOUT:
        return name
    suffix = Path(name).suffix.lower()
    if suffix not in FORMATS:
        got = f"{suffix!r}" if suffix else "a name without an extension"
        raise InputError(
            f"cannot write the {what} {name}: offerodds writes .csv or .parquet files (the "
            f"extension chooses), or - for standard output; {got} is not one of them"
        )
    return name


class _StdoutWriter:
    """Chunks as CSV on standard output (a header first), for ``-o -``."""

    def __init__(self, columns: list[str], formula_safe=False):
        self.columns = columns
        self.formula_safe = formula_safe
        self._writer = None
        self._schema = None

    def __enter__(self) -> "_StdoutWriter":
        return self

    def write(self, frame) -> None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        if self.formula_safe:

            frame = formula_safe_frame(frame, self.formula_safe)

        table = csv_ready(pa.Table.from_pandas(frame, preserve_index=False))
        if self._writer is None:
            self._schema = table.schema.remove_metadata()
            self._writer = pacsv.CSVWriter(sys.stdout.buffer, self._schema)
        self._writer.write_table(table.cast(self._schema))

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None and self._writer is None:
            import pandas as pd

            self.write(pd.DataFrame(columns=self.columns).astype("string"))
        if self._writer is not None and exc_type is None:
            self._writer.close()  # flushes; a reader gone away raises BrokenPipeError here
        sys.stdout.flush()


def open_writer(name: str, columns: list[str], formula_safe=False):
    """A context manager with ``write(frame)``: an atomic file writer, or standard output.

    ``formula_safe``: the columns (taken from the user's data) whose text a spreadsheet would
    run as a formula is written as text (problems files, the people's view).
    """
    if name == STDOUT:
        return _StdoutWriter(columns, formula_safe)

    return TableWriter(Path(name), columns, formula_safe=formula_safe)
