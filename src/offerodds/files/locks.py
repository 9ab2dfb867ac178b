"""One lock protocol for every writer of a workspace file, on any operating system.

Every command that rewrites or appends to a file of the workspace (``ask``, ``forget``,
``retrain`` and its rejects file, ``rollback``, ``sync``, ``score -o`` or ``followup -o`` into
the workspace) does the same three things: take the workspace lock, read the file again under
it (never trust what was read before), and write it atomically
(:class:`~offerodds.files.atomic.AtomicFile`). A file outside the workspace that ``ask`` appends to
gets a lock of its own beside it (``.NAME.offerodds-lock``), with the same protocol.

The locks are the operating system's own (``flock`` on POSIX, ``LockFileEx`` on Windows), taken
through the ``filelock`` library, so a process that dies releases its lock. Where neither is
available (a POSIX system without ``fcntl``), ``filelock``'s soft lock (a marker file holding the
owner's process id) stands in.

Waiting: a command that changes the model store (``retrain``, ``rollback``, ``sync``) is refused
in one line when another holds the lock, as before. ``ask`` and a score or draft written into
the workspace wait their turn for as long as it takes (``ask`` never drops answers a person
typed); ``forget`` waits up to ``OFFERODDS_LOCK_WAIT`` seconds (default 60) for a short writer
and is refused at once while a retrain runs, saying who holds the lock.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import time
import warnings
from pathlib import Path

from offerodds.errors import OfferoddsError

__all__ = ["LockBusy", "holder_of", "hold", "native_locks", "lock_fd", "unlock_fd"]

#: The seconds a short writer waits for the lock before giving up (override: OFFERODDS_LOCK_WAIT).
DEFAULT_WAIT = 60.0
_POLL = 0.02
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_BINARY = getattr(os, "O_BINARY", 0)


class LockBusy(OfferoddsError, RuntimeError):
    """Another process holds the lock (and we may not, or no longer, wait)."""


def _filelock():
    with warnings.catch_warnings():  # "only soft file lock is available": we say it ourselves
        warnings.simplefilter("ignore")
        import filelock
    return filelock


def native_locks() -> bool:
    """Whether the operating system's own file locks can be used here."""
    return sys.platform == "win32" or bool(_filelock().has_fcntl)


def lock_fd(fd: int, *, blocking: bool = False) -> bool:
    """Lock an open file descriptor (exclusive, whole file); False when another holds it.

    Raises OSError where no native lock exists."""
    return _filelock().lock_descriptor(fd, blocking=blocking)


def unlock_fd(fd: int) -> None:
    with contextlib.suppress(OSError):
        _filelock().unlock_descriptor(fd)


def wait_limit() -> float:
    """``OFFERODDS_LOCK_WAIT`` seconds (a number >= 0), else 60."""
    text = os.environ.get("OFFERODDS_LOCK_WAIT", "")
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_WAIT
    return value if value >= 0 and value == value else DEFAULT_WAIT


def holder_of(path: Path) -> str:
    """What the lock's holder wrote into it (``retrain 1234``), or "" when unknown."""
    for candidate in (path, Path(f"{path}.soft")):
        try:
            fd = os.open(candidate, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | _BINARY)
        except OSError:
            continue
        try:
            text = os.read(fd, 200).decode("utf-8", errors="replace")
        except OSError:
            text = ""
        finally:
            os.close(fd)
        text = text.strip().splitlines()[0] if text.strip() else ""
        if text and text.split()[0].isidentifier() and _alive(text):
            return text
    return ""


def _alive(holder: str) -> bool:
    """Whether the process a holder line names still runs (a killed holder's line is stale;
    the lock itself was released by the system). Off POSIX, assumed alive."""
    parts = holder.split()
    if os.name != "posix" or len(parts) < 2 or not parts[1].isdigit():
        return True
    try:
        os.kill(int(parts[1]), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _open_lock_file(path: Path, private: bool) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC | _BINARY, 0o600 if private else 0o644)
    except OSError as error:
        why = "is a symbolic link" if error.errno == errno.ELOOP else f"cannot be opened ({error.strerror})"
        raise LockBusy(f"the lock file {path} {why}") from error


def _write_holder(fd: int, purpose: str) -> None:
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        os.ftruncate(fd, 0)
        os.write(fd, f"{purpose} {os.getpid()}\n".encode())


@contextlib.contextmanager
def hold(
    path: str | os.PathLike,
    purpose: str,
    *,
    wait: float | None = 0.0,
    refuse_if_held_by: tuple[str, ...] = (),
    busy: str = "the lock is held",
    on_wait=None,
):
    """Hold the lock file ``path`` for ``purpose`` (one word: ``retrain``, ``ask``, ...).

    Parameters
    ----------
    wait : float or None
        Seconds to wait for a holder to finish; 0 refuses at once, None waits as long as it takes.
    refuse_if_held_by : tuple of str
        Holders not worth waiting for (a retrain can run for minutes): refused at once.
    busy : str
        The start of the one-line refusal (the holder and the path follow).
    on_wait : callable, optional
        Called once, with the holder's description, when we start waiting.

    Raises
    ------
    LockBusy
        When the lock stays held (the message names the holder), or the lock file is a link.
    """
    path = Path(path)
    if not native_locks():
        yield from _hold_soft(path, purpose, wait=wait, busy=busy, on_wait=on_wait)
        return
    fd = _open_lock_file(path, private=True)
    try:
        deadline = None if wait is None else time.monotonic() + wait
        told = False
        while not lock_fd(fd):
            holder = holder_of(path)
            kind = holder.split()[0] if holder else ""
            if (deadline is not None and time.monotonic() >= deadline) or (kind and kind in refuse_if_held_by):
                now = f" (now: {holder.split()[0]}, process {holder.split()[1]})" if len(holder.split()) > 1 else ""
                raise LockBusy(f"{busy}{now}; try again when it ends")
            if not told and on_wait is not None:
                on_wait(holder)
                told = True
            time.sleep(_POLL)
        try:
            _write_holder(fd, purpose)
            yield
        finally:
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)
            unlock_fd(fd)
    finally:
        os.close(fd)


def _hold_soft(path: Path, purpose: str, *, wait, busy, on_wait):
    """The lock as a marker file (no native locks here): ``filelock``'s soft lock, which breaks
    the marker of a process that is gone."""
    filelock = _filelock()
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.SoftFileLock(f"{path}.soft", timeout=-1 if wait is None else wait)
    try:
        if on_wait is not None:
            try:
                lock.acquire(timeout=0)
            except filelock.Timeout:
                on_wait(holder_of(path))
                lock.acquire()
        else:
            lock.acquire()
    except filelock.Timeout as error:
        raise LockBusy(f"{busy}; try again when it ends") from error
    try:
        yield
    finally:
        lock.release()
