"""Writing files so that a reader never sees half of one: the one atomic-write helper, and the
check that an output is not one of the inputs or the other output.

A file is written under a temporary name beside its target (same folder, so the same file
system) and renamed onto the target only when complete; a failure leaves the target as it was
and removes the temporary file. While it is written, the temporary file is locked (``flock``)
by the process writing it, so a later run can tell a leftover of a killed run (nobody holds
its lock) from a file being written right now, and remove only the leftover.

Permissions: a file that holds personal data (``private=True``: the outcome store, rejects and
reports in the workspace) is readable by its owner only (0600; a folder made for it 0700);
any other file keeps the permissions of the file it replaces, or, when new, gets those of the
user's umask, like a file the user saves.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import time
from pathlib import Path
from offerodds.errors import FileAccessError, FileClash, OfferoddsError

from offerodds.files.locks import lock_fd, native_locks

__all__ = [
    "STDOUT",
    "AtomicFile",
    "FileClash",
    "check_distinct",
    "is_temp_of",
    "lock_is_free",
    "remove_stale_temp",
    "same_file",
    "user_file_mode",
    "write_json_atomic",
]

#: An output named ``-`` is standard output, never a file.
STDOUT = "-"

#: Temporary files offerodds writes start with this (then the target's name).
TEMP_PREFIX = "."
#: ... and carry this mark before the target's suffix: ``.out.csv.k3j4h5g6.offerodds-tmp``.
TEMP_MARK = ".offerodds-tmp"
PRIVATE_FILE, PRIVATE_DIR = 0o600, 0o700


def user_file_mode() -> int:
    """The permissions a new file of this user gets: 0666 less the process's umask."""
    try:  # Linux says it without changing anything
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def temp_pattern(name: str) -> re.Pattern:
    """The names :class:`AtomicFile` gives the temporary files of a target called ``name``."""
    return re.compile(re.escape(f"{TEMP_PREFIX}{name}.") + r"[a-z0-9_]{8}" + re.escape(TEMP_MARK) + r"(\..*)?")


def is_temp_of(entry: str, name: str) -> bool:
    """Whether the file name ``entry`` is a temporary file of a target called ``name``."""
    return temp_pattern(name).fullmatch(entry) is not None


#: Without native locks, a temporary file untouched for this long is taken for a leftover.
STALE_AFTER_SECONDS = 24 * 3600


def lock_is_free(path: Path) -> bool:
    """True when no process holds the lock of the temporary file ``path`` (its writer is gone).

    Without native locks (a POSIX system lacking ``fcntl``) a file is a leftover only when
    nobody has written it for a day; on Windows an open file cannot be removed anyway."""
    if not native_locks():
        try:
            return time.time() - os.lstat(path).st_mtime > STALE_AFTER_SECONDS
        except OSError:
            return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        return lock_fd(fd)
    except OSError:
        return False
    finally:
        os.close(fd)  # closing releases the lock we may have taken


def remove_stale_temp(folder: Path, name: str | None = None) -> list[Path]:
    """Remove the temporary files in ``folder`` that a killed run left (of the target ``name``,
    or of any target); a file a live process is writing is left alone. Returns what went."""
    removed = []
    pattern = temp_pattern(name) if name is not None else re.compile(
        re.escape(TEMP_PREFIX) + r".+\.[a-z0-9_]{8}" + re.escape(TEMP_MARK) + r"(\..*)?"
    )
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
            continue
        path = Path(entry.path)
        if lock_is_free(path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed.append(path)
    return removed


class AtomicFile:
    """A temporary path beside ``path``, renamed onto it when the ``with`` block succeeds.

    Parameters
    ----------
    path : path-like
        The target.
    suffix : str
        Ends the temporary file's name (some writers choose the format by it).
    durable : bool
        Flush the file to disk before the rename.
    private : bool
        The file holds personal data: readable by its owner only (0600; a folder made for it
        0700). Otherwise it gets the permissions of the user's umask.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with AtomicFile(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """

    def __init__(
        self, path: str | os.PathLike, *, suffix: str = "", durable: bool = False, private: bool = False
    ):
        self.path = Path(path)
        self.suffix = suffix
        self.durable = durable
        self.private = private
        self.tmp: Path | None = None
        self._fd: int | None = None
        self._mode = PRIVATE_FILE

    def __enter__(self) -> Path:
        folder = self.path.parent
        try:
            if not folder.is_dir():
                folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR if self.private else 0o777)
            remove_stale_temp(folder, self.path.name)  # leftovers of killed runs, never a live one
            fd, tmp = tempfile.mkstemp(
                prefix=f"{TEMP_PREFIX}{self.path.name}.", suffix=f"{TEMP_MARK}{self.suffix}", dir=folder
            )
        except OSError as error:
            raise _cannot_write(self.path, error) from error
        self._fd, self.tmp = fd, Path(tmp)
        try:  # a signal or an error from here on still removes the temporary file
            with contextlib.suppress(OSError):  # a file system without locks: then none is ever stale
                lock_fd(fd)  # held while we write: the file is not stale
            self._mode = self._target_mode()
            if hasattr(os, "fchmod"):
                os.fchmod(fd, self._mode)
            else:  # Windows
                os.chmod(self.tmp, self._mode)
        except BaseException:
            self.discard()
            raise
        return self.tmp

    def _target_mode(self) -> int:
        if self.private:
            return PRIVATE_FILE
        try:  # a file the user protected (or shared) stays so when it is replaced
            existing = os.lstat(self.path)
        except OSError:
            return user_file_mode()
        return stat.S_IMODE(existing.st_mode) if stat.S_ISREG(existing.st_mode) else user_file_mode()

    def commit(self) -> None:
        """Rename the temporary file onto the target (after flushing it to disk if durable)."""
        if self.durable:
            with open(self.tmp, "rb") as handle:
                os.fsync(handle.fileno())
        os.chmod(self.tmp, self._mode)  # a writer may have made the file anew
        if os.name == "nt":  # Windows renames no file that is open
            self._release()
        os.replace(self.tmp, self.path)
        self._release()

    def discard(self) -> None:
        """Remove the temporary file if it is still there."""
        try:
            if self.tmp is not None and self.tmp.exists():
                self.tmp.unlink()
        finally:
            self._release()

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.commit()
        except OSError as error:
            raise _cannot_write(self.path, error) from error
        finally:
            self.discard()
        if isinstance(exc, OSError) and not isinstance(exc, (OfferoddsError, BrokenPipeError)):
            raise _cannot_write(self.path, exc) from exc  # a full disk, a folder gone meanwhile


def _cannot_write(path: Path, error: OSError) -> FileAccessError:
    return FileAccessError(f"cannot write {path}: {error.strerror or error}")


def write_json_atomic(path: str | os.PathLike, data, *, private: bool = False) -> None:
    """Write ``data`` as JSON to ``path``, atomically and durably."""
    with AtomicFile(path, durable=True, private=private) as tmp:
        tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str), encoding="utf-8")


# --- an output is never one of the inputs -----------------------------------------------------


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether ``a`` and ``b`` are (or would be) the same file: links resolved, existing files
    compared by device and inode (hard links, bind mounts), new ones by their real folder."""
    a, b = Path(a), Path(b)
    with contextlib.suppress(OSError):
        return os.path.samefile(a, b)
    real_a, real_b = Path(os.path.realpath(a)), Path(os.path.realpath(b))
    if real_a.name != real_b.name:
        return False
    try:
        return os.path.samefile(real_a.parent, real_b.parent)
    except OSError:
        return real_a == real_b


def check_distinct(paths: dict[str, str | os.PathLike | None]) -> None:
    """Refuse, before anything is written, two roles (``{"the input": IN, "-o": OUT, ...}``)
    that name the same file. ``None`` and ``-`` (standard output) are not files."""
    given = [(role, path) for role, path in paths.items() if path is not None and os.fspath(path) != STDOUT]
    for i, (role_a, path_a) in enumerate(given):
        for role_b, path_b in given[i + 1 :]:
            if same_file(path_a, path_b):
                raise FileClash(
                    f"{role_b} {os.fspath(path_b)} is the same file as {role_a} {os.fspath(path_a)}; "
                    "writing it would destroy the other: choose another file"
                )
