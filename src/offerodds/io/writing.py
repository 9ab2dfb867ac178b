"""Streaming writers: CSV or Parquet by extension, chunk by chunk, replaced atomically.

A file is written under a temporary name beside its target and renamed into place only when
complete, so a failed run never leaves a half-written output or corrupts an earlier one.

Formatting and writing a chunk (pyarrow, which releases the GIL) happen on a background thread
while the caller prepares the next chunk; at most one chunk waits in between, so memory stays
flat. A failure on that thread is raised by the next :meth:`TableWriter.write` or on leaving
the ``with`` block.
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from offerodds.io.files import AtomicFile

__all__ = ["TableWriter", "is_parquet"]

_DONE = object()  # tells the background thread that no chunk follows


def is_parquet(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in {".parquet", ".pq"}


class TableWriter:
    """Write pandas chunks to one CSV or Parquet file, atomically.

    Use as a context manager; the schema is fixed by the first chunk (later chunks are cast).
    """

    def __init__(self, path: str | os.PathLike, columns: list[str] | None = None):
        self.path = Path(path)
        self.columns = columns
        self._writer = None
        self._schema = None
        self._target = AtomicFile(self.path)
        self._tmp = None
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def __enter__(self) -> "TableWriter":
        self._tmp = self._target.__enter__()
        return self

    def write(self, frame: pd.DataFrame) -> None:
        self._raise_failure()
        table = pa.Table.from_pandas(frame, preserve_index=False)
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
