"""No leftovers: temporary files go when a run is stopped, the leftovers of killed runs go at the
next start, and a folder offerodds made for itself (the demo's) is emptied of exactly what it
made, never of anything else.

- :func:`unwinding_on_sigterm` runs a command with SIGTERM raising ``SystemExit(143)``, as
  Ctrl-C raises ``KeyboardInterrupt``: the ``with`` blocks of :class:`~offerodds.files.atomic.AtomicFile`
  and the model store's staging folder run their cleanup on either signal. The CLI uses it;
  a notebook's signals are left alone.
- :func:`remove_stale_in_workspace`, called under the workspace lock, removes what killed
  retrains left: temporary files in ``models/``, ``data/labelled/`` and ``reports/`` that no
  live process holds, and the model store's staging folders (only a holder of the lock makes
  them, so under the lock every one is a leftover).
- :class:`CreatedFiles` records the files a run made (device, inode, size, modification time)
  and removes only those that are still exactly what it made.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import threading
from collections.abc import Callable
from dataclasses import astuple, dataclass
from pathlib import Path

from offerodds.files.atomic import TEMP_MARK, lock_is_free, remove_stale_temp
from offerodds.files.workspace import Workspace

__all__ = ["CreatedFiles", "remove_stale_in_workspace", "unwinding_on_sigterm"]

# A retrain's report folder: "retrain-20260302T101500Z" (and the like).
_RETRAIN_REPORT = re.compile(r"retrain-[0-9A-Za-z_.:+\-]+")
# What the model store's save() stages a version in: ".v3-k2j4h5g6" (tempfile.mkdtemp).
_STAGING = re.compile(r"\.v\d+-[a-z0-9_]{8}")
# Temporary files of offerodds before they carried TEMP_MARK: ".outcomes.parquet.k2j4h5g6.parquet".
_OLD_TEMP = re.compile(r"\.(?P<target>.+?(?P<ext>\.[A-Za-z0-9]+)?)\.[a-z0-9_]{8}(?P=ext)?")


def unwinding_on_sigterm(func: Callable, *args):
    """Call ``func(*args)`` with SIGTERM raising ``SystemExit(143)`` in the main thread.

    Every ``with`` and ``finally`` block then runs, as on Ctrl-C, so temporary files are
    removed; a second SIGTERM during that cleanup is ignored (SIGKILL still works, and the
    next start removes what is left). The previous handler is restored afterwards.
    """
    if threading.current_thread() is not threading.main_thread():
        return func(*args)

    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # let the cleanup finish
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return func(*args)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _old_temp(entry: os.DirEntry, folder: Path) -> bool:
    """A temporary file of an earlier offerodds beside its target (same name and extension)."""
    match = _OLD_TEMP.fullmatch(entry.name)
    return (
        match is not None
        and TEMP_MARK not in entry.name
        and entry.is_file(follow_symlinks=False)
        and lock_is_free(folder / entry.name)
    )


def remove_stale_in_workspace(ws: Workspace) -> list[Path]:
    """Remove what killed runs left in the workspace; call it holding the workspace lock.

    Returns the paths removed.
    """
    removed: list[Path] = []
    folders = [ws.models_dir, ws.labelled_dir, ws.reports_dir]
    if ws.reports_dir.is_dir():
        folders += [p for p in ws.reports_dir.iterdir() if p.is_dir() and not p.is_symlink()]
    for folder in folders:
        removed += remove_stale_temp(folder)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            path = folder / entry.name
            if folder == ws.models_dir and _STAGING.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
            elif _old_temp(entry, folder):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
    if ws.reports_dir.is_dir():  # a retrain's report folder made, then killed before any file
        for entry in os.scandir(ws.reports_dir):
            path = ws.reports_dir / entry.name
            if _RETRAIN_REPORT.fullmatch(entry.name) and entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    path.rmdir()  # only when empty: a report is never removed
                    removed.append(path)
    return removed


# --- a folder's own files ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Made:
    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, stat: os.stat_result) -> "_Made":
        return cls(stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


class CreatedFiles:
    """The files and folders a run made under ``root``, as recorded in a marker file there.

    :meth:`record` lists everything under ``root`` (links not followed) with its device,
    inode, size and modification time; :meth:`removable` says whether everything under
    ``root`` now is still what was recorded, and :meth:`remove` deletes exactly that.
    A file that was changed, replaced, or added since is never deleted.
    """

    VERSION = 1

    def __init__(self, root: Path, marker: Path):
        self.root, self.marker = Path(root), Path(marker)

    def _walk(self):
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            for name in [*dirs, *files]:
                path = Path(folder) / name
                if path != self.marker:
                    yield path

    def record(self) -> None:
        """Write the marker: everything under ``root`` now was made by this run."""
        made = {}
        for path in self._walk():
            stat = path.lstat()
            kind = "dir" if path.is_dir() and not path.is_symlink() else "file"
            made[path.relative_to(self.root).as_posix()] = [kind, *astuple(_Made.of(stat))]
        text = json.dumps({"made_by": "offerodds demo", "version": self.VERSION, "made": made}, indent=1)
        self.marker.write_text(text + "\n", encoding="utf-8")

    def _recorded(self) -> dict | None:
        try:
            data = json.loads(self.marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != self.VERSION or not isinstance(data.get("made"), dict):
            return None
        return data["made"]

    def foreign(self) -> list[str] | None:
        """What under ``root`` the run did not make (or that changed since); None when the
        marker is missing or unreadable (then nothing is known to be the run's own)."""
        made = self._recorded()
        if made is None:
            return None
        found = []
        for path in self._walk():
            key = path.relative_to(self.root).as_posix()
            entry = made.get(key)
            stat = path.lstat()
            is_dir = path.is_dir() and not path.is_symlink()
            if not isinstance(entry, list) or len(entry) != 5:
                found.append(key)
            elif entry[0] == "dir" and is_dir:
                if (entry[1], entry[2]) != (stat.st_dev, stat.st_ino):
                    found.append(key)
            elif entry[0] != "file" or is_dir or _Made(*entry[1:]) != _Made.of(stat):
                found.append(key)
        return found

    def remove(self) -> None:
        """Delete what the run made (call only when :meth:`foreign` is empty), then the marker."""
        made = self._recorded() or {}
        for key in sorted(made, key=lambda k: k.count("/"), reverse=True):
            path = self.root / key
            if made[key][0] == "dir":
                with contextlib.suppress(OSError):
                    path.rmdir()  # empty by now, or it holds something not ours: kept
            else:
                with contextlib.suppress(OSError):
                    if _Made.of(path.lstat()) == _Made(*made[key][1:]):  # still the very file made
                        path.unlink()
        self.marker.unlink(missing_ok=True)
