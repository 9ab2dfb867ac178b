"""Writing files so that a reader never sees half of one: the one atomic-write helper.

A file is written under a temporary name beside its target (same folder, so the same file
system) and renamed onto the target only when complete; a failure leaves the target as it was
and removes the temporary file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

__all__ = ["AtomicFile", "write_json_atomic"]

#: Temporary files offerodds writes start with this (then the target's name).
TEMP_PREFIX = "."


class AtomicFile:
    """A temporary path beside ``path``, renamed onto it when the ``with`` block succeeds.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with AtomicFile(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """

    def __init__(self, path: str | os.PathLike, *, suffix: str = "", durable: bool = False):
        self.path = Path(path)
        self.suffix = suffix
        self.durable = durable
        self.tmp: Path | None = None

    def __enter__(self) -> Path:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{self.path.name}.", suffix=self.suffix, dir=self.path.parent)
        os.close(fd)
        self.tmp = Path(tmp)
        return self.tmp

    def commit(self) -> None:
        """Rename the temporary file onto the target (after flushing it to disk if durable)."""
        if self.durable:
            with open(self.tmp, "rb") as handle:
                os.fsync(handle.fileno())
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        """Remove the temporary file if it is still there."""
        if self.tmp is not None and self.tmp.exists():
            self.tmp.unlink()

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.commit()
        finally:
            self.discard()


def write_json_atomic(path: str | os.PathLike, data) -> None:
    """Write ``data`` as JSON to ``path``, atomically and durably."""
    with AtomicFile(path, durable=True) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str), encoding="utf-8")
