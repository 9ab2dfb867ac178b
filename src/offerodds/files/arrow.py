"""Arrow-native tables as input: Polars DataFrames and LazyFrames, pyarrow Tables, RecordBatches
and RecordBatchReaders, DuckDB relations, and anything else that speaks the Arrow PyCapsule
stream protocol (``__arrow_c_stream__``).

They are read through pyarrow's own interface (:meth:`pyarrow.RecordBatchReader.from_stream`),
batch by batch, so offerodds needs neither Polars nor DuckDB installed and never holds more than
a chunk of a reader's rows as pandas at once. Each chunk becomes pandas the way a Parquet file's
batches do (``reading.py``), so a table scores to the same values whether it arrives as Arrow or
as the pandas frame its own ``to_pandas()`` makes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from offerodds.signals.headers import InputError, one_line

__all__ = ["ACCEPTED", "ArrowSource", "arrow_source", "is_table_like", "pa_schema_of", "rebatch", "to_pandas_chunk"]

ACCEPTED = (
    "a CSV or Parquet file path, a pandas or Polars DataFrame, a Polars LazyFrame, a pyarrow Table, "
    "RecordBatch or RecordBatchReader, a DuckDB relation (or any object with __arrow_c_stream__), "
    "one dict or a list of dicts"
)


@dataclass
class ArrowSource:
    """An Arrow-native table, ready to be read as record batches.

    ``first`` is the reader opened to learn the schema (handed out by the first :meth:`reader`
    call); ``reopen`` opens a fresh one over all the rows, None for a source that can be read
    only once (a RecordBatchReader, an unknown stream).
    """

    schema: Any
    type_name: str
    n_rows: int | None
    first: Any
    reopen: Callable[[], Any] | None

    def reader(self):
        """A RecordBatchReader over every row; raises InputError when a one-shot source was read."""
        if self.first is not None:
            reader, self.first = self.first, None
            return reader
        if self.reopen is None:
            raise InputError(
                f"this {self.type_name} was already read (a stream can be read only once); pass a new "
                "one, or a pyarrow Table (reader.read_all()) to read it again"
            )
        return self.reopen()

    def tables(self, headers: list[str], chunk_rows: int):
        """pyarrow tables of ``headers``' columns, ``chunk_rows`` rows each (see :func:`rebatch`)."""
        reader = self.reader()
        batches = reader if list(reader.schema.names) == headers else (b.select(headers) for b in reader)
        return rebatch(batches, chunk_rows, pa_schema_of(reader.schema, headers))


def _polars_lazy(source) -> bool:
    kind = type(source)
    return kind.__module__.split(".")[0] == "polars" and kind.__name__ == "LazyFrame"


def is_table_like(source) -> bool:
    """Whether ``source`` is one Arrow-native table (so a caller taking "a table or a list of
    them" must not iterate over it)."""
    return hasattr(source, "__arrow_c_stream__") or _polars_lazy(source) or _has_to_arrow(source)


def _has_to_arrow(source) -> bool:
    return callable(getattr(source, "to_arrow", None)) and not isinstance(source, type)


def _from_stream(source, type_name: str):
    import pyarrow as pa

    try:
        return pa.RecordBatchReader.from_stream(source)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as exc:
        if "non-struct" in str(exc):
            raise InputError(
                f"a {type_name} is one column, not a table; pass the table it belongs to "
                "(for a Polars Series, series.to_frame())"
            ) from exc
        raise InputError(f"cannot read the {type_name} as an Arrow table: {one_line(exc)}") from exc


def _lazy_source(frame, type_name: str) -> ArrowSource:
    """A Polars LazyFrame, computed and read batch by batch (``collect_batches``) where this
    Polars has it, else collected whole."""
    import pyarrow as pa

    def batches_of(frames):
        for part in frames:
            yield from pa.RecordBatchReader.from_stream(part)

    def open_reader():
        collect_batches = getattr(frame, "collect_batches", None)
        if collect_batches is None:
            return pa.RecordBatchReader.from_stream(frame.collect())
        frames = iter(collect_batches())
        first = next(frames, None)
        if first is None:  # no rows: the schema of the empty result
            return pa.RecordBatchReader.from_stream(frame.head(0).collect())
        head = pa.RecordBatchReader.from_stream(first)
        return pa.RecordBatchReader.from_batches(head.schema, itertools.chain(head, batches_of(frames)))

    try:
        first = open_reader()
    except Exception as exc:  # noqa: BLE001 - Polars' own errors: the query cannot run
        raise InputError(f"the Polars LazyFrame could not be computed: {one_line(exc)}") from exc
    return ArrowSource(first.schema, type_name, None, first, open_reader)


def arrow_source(source) -> ArrowSource | None:
    """``source`` as an :class:`ArrowSource`, or None when it is not an Arrow-native table.

    Raises
    ------
    InputError
        For an Arrow-native object that is not a table (a single column, a LazyFrame whose
        query fails).
    """
    import pyarrow as pa

    type_name = type(source).__name__
    if _polars_lazy(source):
        return _lazy_source(source, type_name)
    if isinstance(source, pa.RecordBatchReader):
        return ArrowSource(source.schema, type_name, None, source, None)
    if isinstance(source, (pa.Table, pa.RecordBatch)):
        table = pa.table(source) if isinstance(source, pa.RecordBatch) else source
        return ArrowSource(table.schema, type_name, table.num_rows, table.to_reader(), table.to_reader)
    if not hasattr(source, "__arrow_c_stream__"):
        if not _has_to_arrow(source):
            return None
        converted = source.to_arrow()  # e.g. a table of a library without the stream protocol
        if isinstance(converted, (pa.Table, pa.RecordBatch, pa.RecordBatchReader)):
            found = arrow_source(converted)
            found.type_name = type_name
            return found
        return None
    first = _from_stream(source, type_name)
    height = getattr(source, "height", None)  # a Polars DataFrame knows its rows
    n_rows = height if isinstance(height, int) else None
    # A table-like object (a Polars DataFrame, a DuckDB relation) hands out a fresh stream on each
    # call; anything else (a stream) is read once.
    table_like = type(source).__module__.split(".")[0] in ("polars", "duckdb", "_duckdb")
    reopen = (lambda: _from_stream(source, type_name)) if table_like else None
    return ArrowSource(first.schema, type_name, n_rows, first, reopen)


def pa_schema_of(schema, headers: list[str]):
    """``schema`` narrowed to ``headers``, in their order."""
    import pyarrow as pa

    return pa.schema([schema.field(h) for h in headers])


def to_pandas_chunk(table) -> pd.DataFrame:
    frame = table.to_pandas(ignore_metadata=True)
    if not (isinstance(frame.index, pd.RangeIndex) and frame.index.start == 0):
        frame = frame.reset_index(drop=True)
    return frame


def rebatch(batches, chunk_rows: int, empty_schema) -> Iterator[Any]:
    """Regroup record batches into pyarrow tables of exactly ``chunk_rows`` rows (last: fewer).

    Yields one empty table (with ``empty_schema`` when no batch came) when there are no rows.
    """
    import pyarrow as pa

    schema = None
    pending: list = []
    n = 0
    yielded = False
    for batch in batches:
        if schema is None:
            schema = batch.schema
        if batch.num_rows == 0:
            continue
        pending.append(batch)
        n += batch.num_rows
        while n >= chunk_rows:
            table = pa.Table.from_batches(pending, schema)
            yield table.slice(0, chunk_rows)
            yielded = True
            rest = table.slice(chunk_rows)
            pending, n = rest.to_batches(), rest.num_rows
    if n or not yielded:
        yield pa.Table.from_batches(pending, schema if schema is not None else empty_schema)
