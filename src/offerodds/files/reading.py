"""Reading interview tables: CSV, Parquet, a pandas DataFrame, an Arrow-native table (Polars,
pyarrow, DuckDB: ``arrow.py``), one dict or a list of dicts.

This module finds the signal columns of a table (see ``catalogue.py``) and hands out its raw rows
in chunks, unchanged: every CSV cell is read as text, so a passthrough column keeps its exact
characters (an id ``007`` stays ``007``, ``N/A`` stays ``N/A``). Checking the values is the job
of ``validation.py``.

Every file-level problem is an :class:`InputError` whose message is one line naming what is
wrong; the CLI prints it and exits 1.
"""

from __future__ import annotations


import codecs
import csv
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from offerodds.files.arrow import ACCEPTED, ArrowSource, arrow_source, rebatch, to_pandas_chunk
from offerodds.files.intake import no_signalling_nan, refuse_non_file
from offerodds.files.csvfiles import (
    HEAD_BYTES,
    SCAN_BLOCK,
    LineFinder,
    QuoteNotice,
    check_utf8,
    decode_error,
    detect_encoding,
    find_ragged_line,
    find_runaway_quote,
    header_line,
    open_csv,
    quote_notices,
)
from offerodds.signals.headers import InputError, check_unique, match_columns, one_line, require_signals, warn_lookalikes
from offerodds.signals.validation import Validated, validate

__all__ = ["InputError", "QuoteNotice", "Table", "ValidatedChunk", "iter_validated", "open_table"]

PARQUET_SUFFIXES = (".parquet", ".pq")
_PANDAS_INDEX = re.compile(r"__index_level_\d+__")


@dataclass(eq=False)  # holds a DataFrame, which has no single truth value
class Table:
    """An opened input table: its headers, the columns recognised, and its rows in chunks.

    Attributes
    ----------
    headers : list of str
        Original headers, in order.
    colmap : dict
        Canonical column name -> original header (see :func:`match_columns`).
    kind : str
        ``"csv"``, ``"parquet"``, ``"frame"`` (pandas) or ``"arrow"`` (an Arrow-native table).
    path : pathlib.Path or None
        The file, when read from one.
    n_rows : int or None
        Number of rows when known without reading them (frames, Parquet, Arrow tables), else None.
    labels : dict
        For a frame whose column labels are not all strings: header -> the original label, so
        the output can give the labels back unchanged.
    notices : list of QuoteNotice
        Warnings found while reading the chunks so far (a CSV cell quoted over lines shaped
        like whole rows); each chunk's are added before the chunk is handed out.
    """

    headers: list[str]
    colmap: dict[str, str]
    kind: str
    path: Path | None = None
    n_rows: int | None = None
    labels: dict = field(default_factory=dict)
    notices: list[QuoteNotice] = field(default_factory=list)
    _frame: pd.DataFrame | None = field(default=None, repr=False)
    _arrow: ArrowSource | None = field(default=None, repr=False)
    _name: str = field(default="input", repr=False)
    _encoding: str = field(default="utf8", repr=False)
    _delimiter: str = field(default=",", repr=False)
    _no_body: bool = field(default=False, repr=False)

    @property
    def name(self) -> str:
        """The file as the caller named it (``input`` for a frame)."""
        return self._name

    def chunks(self, chunk_rows: int = 100_000) -> Iterator[pd.DataFrame]:
        """Yield the raw rows, in order, at most ``chunk_rows`` at a time.

        Parameters
        ----------
        chunk_rows : int, default 100_000
            Rows per chunk; every chunk but the last has exactly this many.

        Yields
        ------
        pandas.DataFrame
            Raw values under the original headers, with a RangeIndex from 0. Together the
            chunks hold every row exactly once; a table without rows yields one empty chunk.

        Raises
        ------
        InputError
            When the file turns out to be unreadable part-way (a ragged row, a byte the
            encoding cannot decode).
        """
        if int(chunk_rows) < 1:
            raise InputError(f"chunk_rows must be at least 1, got {chunk_rows}")
        chunk_rows = int(chunk_rows)
        if self.kind == "frame":
            yield from self._frame_chunks(chunk_rows)
        elif self.kind == "arrow":
            yield from self._arrow_chunks(chunk_rows)
        elif self.kind == "parquet":
            yield from self._parquet_chunks(chunk_rows)
        else:
            yield from self._csv_chunks(chunk_rows)

    def _frame_chunks(self, chunk_rows: int) -> Iterator[pd.DataFrame]:
        frame = self._frame
        n = len(frame)
        if n == 0:
            yield frame.reset_index(drop=True)
            return
        for start in range(0, n, chunk_rows):
            yield no_signalling_nan(frame.iloc[start : start + chunk_rows].reset_index(drop=True))

    def _arrow_chunks(self, chunk_rows: int) -> Iterator[pd.DataFrame]:
        try:
            for table in self._arrow.tables(self.headers, chunk_rows):
                yield to_pandas_chunk(table)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - the producer's own failure part-way
            raise InputError(f"reading the {self._name} failed: {one_line(exc)}") from exc

    def _parquet_chunks(self, chunk_rows: int) -> Iterator[pd.DataFrame]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            pf = pq.ParquetFile(self.path)
            schema = pa.schema([pf.schema_arrow.field(h) for h in self.headers])
            batches = pf.iter_batches(batch_size=chunk_rows, columns=self.headers)
            for table in rebatch(batches, chunk_rows, schema):
                yield to_pandas_chunk(table)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - any reading failure is a file problem
            message = f"{self._name}: could not read it as Parquet: {one_line(exc)}"
            raise InputError(message) from exc

    def _csv_chunks(self, chunk_rows: int) -> Iterator[pd.DataFrame]:
        import pyarrow as pa

        self.notices = []
        if self._no_body:
            yield pd.DataFrame({h: pd.Series([], dtype=str) for h in self.headers})
            return
        finder = LineFinder(self.path, self._encoding, self._delimiter)
        first_row = 1
        try:
            reader = open_csv(self.path, self._encoding, self._delimiter, self.headers)
            schema = reader.schema
            for table in rebatch(reader, chunk_rows, schema):
                id_column = self.colmap.get("interview_id")
                self.notices += quote_notices(table, first_row, self.headers, self._delimiter, id_column, finder)
                first_row += table.num_rows
                yield to_pandas_chunk(table)
        except InputError:
            raise
        except pa.ArrowInvalid as exc:
            raise self._parse_error(exc) from exc
        except UnicodeDecodeError as exc:
            raise decode_error(self._name, self._encoding, exc) from exc
        except Exception as exc:  # noqa: BLE001 - I/O and anything else pyarrow raises
            raise InputError(f"{self._name}: could not read it: {one_line(exc)}") from exc
        finally:
            finder.close()

    def _parse_error(self, exc: Exception) -> InputError:
        """A one-line InputError for a pyarrow CSV error, naming the line when it can."""
        message = str(exc)
        if "Expected" in message and "columns" in message:
            where = find_ragged_line(self.path, self._encoding, self._delimiter)
            if where is not None:
                line, got, expected = where
                return InputError(
                    f"{self._name}: line {line} has {got} fields but the header has {expected} "
                    "(a delimiter or quote out of place?)"
                )
        if "straddl" in message:  # one row longer than a read block
            line = find_runaway_quote(self.path, self._encoding, self._delimiter, len(self.headers))
            where = f"the quote that opens on line {line}" if line is not None else "a row"
            return InputError(
                f"{self._name}: {where} runs on for more than {SCAN_BLOCK >> 20} MiB; "
                "is a closing quote missing?"
            )
        if "invalid UTF8" in message:
            return InputError(
                f"{self._name} is not UTF-8 text; save it as UTF-8 or pass --encoding "
                "(for example cp1252)"
            )
        return InputError(f"{self._name}: {one_line(message)}")


def _open_csv_table(path: Path, name: str, encoding: str | None) -> Table:
    import pyarrow as pa

    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    if head.startswith(b"PAR1"):  # a Parquet file under another name
        return _open_parquet_table(path, name)
    codec = detect_encoding(head, encoding, name)
    utf8 = codec in ("utf-8", "utf-8-sig")
    if utf8:
        check_utf8(path, name)
    whole = len(head) >= size
    decoder = codecs.getincrementaldecoder("utf-8-sig" if utf8 else codec)(errors="replace")
    text = decoder.decode(head, final=whole)
    if not text.strip():
        raise InputError(f"{name} is empty (no header line)")
    line, end, delimiter = header_line(text)
    if end is None and not whole:
        raise InputError(
            f"{name}: the first line is longer than {HEAD_BYTES >> 20} MiB; is it a CSV file?"
        )
    try:
        headers = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as exc:
        raise InputError(f"{name}: cannot read the header line ({exc})") from None
    if headers:
        headers[0] = headers[0].lstrip("\ufeff")
    check_unique(headers)
    try:
        colmap = match_columns(headers)
    except InputError:
        if text.lstrip()[:1] in ("{", "["):
            message = f"{name} looks like JSON; offerodds reads CSV or Parquet files"
            raise InputError(message) from None
        raise
    no_body = whole and (end is None or not text[end:].strip("\r\n"))  # a blank cell is a row
    table = Table(
        headers=headers,
        colmap={},
        kind="csv",
        path=path,
        _name=name,
        _encoding="utf8" if utf8 else codec,
        _delimiter=delimiter,
        _no_body=no_body,
    )
    if not no_body:
        try:  # let pyarrow confirm the header (and the first block) the way it will read it
            schema = open_csv(path, table._encoding, delimiter, headers).schema
        except pa.ArrowInvalid as exc:
            raise table._parse_error(exc) from exc
        except UnicodeDecodeError as exc:
            raise decode_error(name, table._encoding, exc) from exc
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"{name}: could not read it: {one_line(exc)}") from exc
        if schema.names != headers:  # pyarrow read the header otherwise: trust pyarrow
            headers = list(schema.names)
            check_unique(headers)
            colmap = match_columns(headers)
            table.headers = headers
    table.colmap = colmap
    return table


def _open_parquet_table(path: Path, name: str) -> Table:
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - whatever pyarrow says, it is not Parquet
        raise InputError(f"{name} is not a Parquet file ({one_line(exc, 120)})") from exc
    headers = [n for n in pf.schema_arrow.names if not _PANDAS_INDEX.fullmatch(n)]
    check_unique(headers)
    return Table(
        headers=headers,
        colmap=match_columns(headers),
        kind="parquet",
        path=path,
        n_rows=pf.metadata.num_rows,
        _name=name,
    )


def _frame_table(frame: pd.DataFrame) -> Table:
    labels = {}
    if not all(isinstance(c, str) for c in frame.columns):
        labels = {str(c): c for c in frame.columns if not isinstance(c, str)}
        frame = frame.set_axis([str(c) for c in frame.columns], axis=1)
    headers = list(frame.columns)
    check_unique(headers)
    return Table(
        headers=headers,
        colmap=match_columns(headers),
        kind="frame",
        n_rows=len(frame),
        labels=labels,
        _frame=frame,
    )


def _arrow_table(source: ArrowSource) -> Table:
    headers = [n for n in source.schema.names if not _PANDAS_INDEX.fullmatch(n)]
    check_unique(headers)
    return Table(
        headers=headers,
        colmap=match_columns(headers),
        kind="arrow",
        n_rows=source.n_rows,
        _arrow=source,
        _name=source.type_name,
    )


@dataclass
class ValidatedChunk:
    """One chunk of a table's rows as read (``raw``, original headers) and as validated
    (``checked``: the typed signals, which rows are valid, the problems by row number);
    ``first_row`` is the 1-based number of its first row in the whole table; ``filled`` is
    what a ``fill`` step added to each row before validation (None without one)."""

    raw: pd.DataFrame
    checked: Validated
    first_row: int
    filled: list | None = None


def iter_validated(table: Table, chunk_rows: int = 100_000, fill=None) -> Iterator[ValidatedChunk]:
    """The one chunk loop every reader uses: ``table``'s rows in order, ``chunk_rows`` at a
    time, each chunk validated with row numbers that count from the top of the table.

    ``fill(raw, colmap) -> (frame, colmap, filled)``, when given, completes a chunk before it
    is validated (``score --from-notes``); ``raw`` stays as read. Without one, a table whose only
    column offerodds reads is ``notes`` is an InputError."""
    if fill is None:
        require_signals(table.headers, table.colmap, table.name)
    first_row = 1
    for raw in table.chunks(chunk_rows):
        read, colmap, filled = fill(raw, table.colmap) if fill is not None else (raw, table.colmap, None)
        yield ValidatedChunk(raw, validate(read, colmap, first_row), first_row, filled)
        del read
        first_row += len(raw)


def open_table(source: Any, *, encoding: str | None = None) -> Table:
    """Open an input table without reading its rows yet.

    Parameters
    ----------
    source : str, pathlib.Path, pandas.DataFrame, Arrow-native table, dict or list of dict
        A file (``.parquet`` / ``.pq`` is Parquet, anything else CSV), a pandas frame, a Polars
        DataFrame or LazyFrame, a pyarrow Table, RecordBatch or RecordBatchReader (read in
        batches, once), a DuckDB relation or anything else with ``__arrow_c_stream__``, one
        interview as a dict, or a list of interviews.
    encoding : str, optional
        Text encoding of a CSV file. By default UTF-8 (a byte-order mark is removed) or
        UTF-16/UTF-32 when the file starts with their byte-order mark.

    Returns
    -------
    Table

    Raises
    ------
    InputError
        With a one-line message, for a missing file, a directory, an empty file, a file that
        is not a readable table, a table without any signal column, or any other input type.

    Examples
    --------
    >>> t = open_table({"interview_id": "a1", "engagement": 4})
    >>> t.colmap["engagement"], t.n_rows
    ('engagement', 1)
    """
    if isinstance(source, Table):
        return source
    table = _open(source, encoding)
    warn_lookalikes(table.headers, table.colmap)
    return table


def _open(source: Any, encoding: str | None) -> Table:
    if isinstance(source, pd.DataFrame):
        return _frame_table(source)
    if isinstance(source, dict):
        return _frame_table(pd.DataFrame([source]))
    if isinstance(source, list):
        for i, item in enumerate(source, start=1):
            if not isinstance(item, dict):
                raise InputError(
                    f"item {i} of the list is of type {type(item).__name__}, not a dict; "
                    "pass one dict per interview"
                )
        return _frame_table(pd.DataFrame(source))
    if not isinstance(source, (str, os.PathLike)):
        found = arrow_source(source)
        if found is not None:
            return _arrow_table(found)
        kind = type(source)
        where = "" if kind.__module__ == "builtins" else f"{kind.__module__.split('.')[0]}."
        raise InputError(f"cannot read input of type {where}{kind.__qualname__}; pass {ACCEPTED}")
    name = os.fspath(source)
    path = Path(name)
    if not path.exists():
        raise InputError(f"{name} not found")
    if path.is_dir():
        raise InputError(f"{name} is a directory, not a file")
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"{name}: {one_line(exc)}") from exc
    refuse_non_file(info.st_mode, name)  # a pipe or a device is not called empty
    if info.st_size == 0:
        raise InputError(f"{name} is empty")
    try:
        if path.suffix.lower() in PARQUET_SUFFIXES:
            return _open_parquet_table(path, name)
        return _open_csv_table(path, name, encoding)
    except InputError as exc:
        message = str(exc)
        if not message.startswith(name):
            message = f"{name}: {message}"
        raise InputError(message) from exc.__cause__
    except OSError as exc:
        raise InputError(f"{name}: {one_line(exc)}") from exc

