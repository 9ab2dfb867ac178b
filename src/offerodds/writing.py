"""Streaming writers: CSV or Parquet by extension, chunk by chunk, replaced atomically.

A file is written under a temporary name beside its target and renamed into place only when
complete, so a failed run never leaves a half-written output or corrupts an earlier one.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq


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
        self._tmp = None

    def __enter__(self) -> "TableWriter":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        os.close(fd)
        self._tmp = Path(tmp)
        return self

    def write(self, frame: pd.DataFrame) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        if self._writer is None:
            self._schema = table.schema.remove_metadata()
            self._open()
        table = table.cast(self._schema)
        self._writer.write_table(table)

    def _open(self) -> None:
        if is_parquet(self.path):
            self._writer = pq.ParquetWriter(self._tmp, self._schema)
        else:
            self._writer = pacsv.CSVWriter(self._tmp, self._schema)

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None and self._writer is None:
                self.write(pd.DataFrame(columns=self.columns or []).astype("string"))
            if self._writer is not None:
                self._writer.close()
            if exc_type is None:
                os.replace(self._tmp, self.path)
        finally:
            if self._tmp.exists():
                self._tmp.unlink()
