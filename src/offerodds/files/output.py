"""Where and how ``offerodds score`` writes: the format follows the file's extension (``.csv``,
``.parquet``), ``-`` is standard output (CSV), and anything else is refused before a row is
read. The exact view is the default; ``--view people`` writes the rounded one
(:mod:`offerodds.scoring.views`)."""

from __future__ import annotations

import sys
from pathlib import Path

from offerodds.errors import InputError

__all__ = ["FORMATS", "STDOUT", "check_output", "open_writer"]

STDOUT = "-"
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
            from offerodds.files.writing import formula_safe_frame

            frame = formula_safe_frame(frame, self.formula_safe)
        from offerodds.files.writing import csv_ready

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
    from offerodds.files.writing import TableWriter

    return TableWriter(Path(name), columns, formula_safe=formula_safe)
