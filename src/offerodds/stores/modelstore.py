"""The model store under the workspace's ``models/``: one folder per version and the champion
pointer, the source of truth for which model serves.

The pointer names a version, ``v1``, ``v2``, ..., and nothing else: never a path. Versions are
folders directly inside ``models/``; a version folder that is a symbolic link, or a file in it
that is one, is refused. Every load reads each file once, checks it against the manifest's
SHA-256 and parses those same bytes into a checked scorer (:mod:`offerodds.stores.modelfiles`).

A new version is written under a temporary name, loaded back with the same checks, and renamed
into place; the pointer is replaced atomically; ``history.jsonl`` records each change and is
reconciled with the pointer if a command was killed between the two; a lock keeps two commands
that change the store from interleaving. Named checkpoints (:mod:`offerodds.files.faults`) let the
tests kill a promotion at each step.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np

from offerodds.errors import warn as say_warning
from offerodds.files.faults import checkpoint
from offerodds.files.atomic import write_json_atomic
from offerodds.stores.modelfiles import (
    ARRAYS,
    MANIFEST,
    PARAMS,
    StoreError,
    is_version,
    load_folder,
    read_bytes,
    read_json,
    sha256,
    verify_folder,
)
from offerodds.files.workspace import Workspace
from offerodds.scoring.scorer import FitSummary, LinearScorer
from offerodds.signals.encoding import feature_layout

__all__ = ["ModelStore", "StoreError", "is_version", "load_folder", "parse_version", "sha256", "verify_folder"]

_LATE = " (recorded late: the command that made this change was interrupted before recording it)"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def library_versions() -> dict[str, str]:
    names = ("offerodds", "numpy", "pandas", "scikit-learn", "scipy", "pyarrow")
    found = {}
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def parse_version(text: str) -> str | None:
    """A version as a person types it: ``v3`` or ``3`` is ``v3``; ``rules`` is None (the rule card).

    Anything else (a path, ``..``, ``v3/x``) is a :class:`StoreError`.
    """
    cleaned = str(text).strip()
    if cleaned.lower() == "rules":
        return None
    candidate = f"v{int(cleaned)}" if cleaned.isdigit() and cleaned.isascii() else cleaned
    if not is_version(candidate):
        raise StoreError(f"{text!r} is not a model version: give a stored version such as v3 (or 3), or 'rules'")
    return candidate


def _write_durably(folder: Path, name: str, data: bytes) -> None:
    with open(folder / name, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if not hasattr(os, "O_DIRECTORY"):  # Windows: a folder cannot be opened, nor synced
        return
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stored_info(scorer: LinearScorer) -> dict:
    """What ``params.json`` keeps under ``info``: the fit summary and the interval inflation."""
    info = scorer.fit_summary.to_dict() if scorer.fit_summary is not None else {}
    return {**info, "interval_inflation": scorer.interval_inflation, "misfit_variance": scorer.misfit_variance}


def _event_problem(event) -> str | None:
    """Why a history line is not a champion change, or None when it is one."""
    if not isinstance(event, dict):
        return f"a {type(event).__name__}, not an event"
    for key in ("from", "to"):
        if key not in event or not (event[key] is None or is_version(event[key])):
            return f"{key!r} is {event.get(key)!r}, not a version or null"
    if not isinstance(event.get("at"), str) or not isinstance(event.get("reason"), str):
        return "'at' and 'reason' must be text"
    return None


class ModelStore:
    """Versions ``v1``, ``v2``, ... of the learned model, and the champion pointer."""

    def __init__(self, workspace: Workspace):
        self.ws = workspace

    # --- versions ------------------------------------------------------------------------

    def _names(self) -> list[str]:
        """Every entry of ``models/`` named like a version, whatever it is."""
        if not self.ws.models_dir.is_dir():
            return []
        return sorted((n for n in os.listdir(self.ws.models_dir) if is_version(n)), key=lambda v: int(v[1:]))

    def versions(self) -> list[str]:
        """Stored versions (real folders, not links), oldest first."""
        return [n for n in self._names() if self.ws.version_dir(n).is_dir() and not self.ws.version_dir(n).is_symlink()]

    def next_version(self) -> str:
        names = self._names()
        return f"v{int(names[-1][1:]) + 1}" if names else "v1"

    def save(self, scorer: LinearScorer, *, metrics: dict | None = None, extra: dict | None = None) -> str:
        """Store ``scorer`` as the next version; returns its name. Call under :meth:`lock`.

        The files are loaded back with the checks every load makes before the folder is
        renamed into place: the store never holds a version it would refuse to serve.
        """
        version = self.next_version()
        self.ws.models_dir.mkdir(parents=True, exist_ok=True)
        names, owners = feature_layout()
        params = {
            "kind": scorer.kind,
            "version": version,
            "intercept": scorer.intercept,
            "features": names,
            "terms": list(scorer.terms),
            "info": _stored_info(scorer),
        }
        params_bytes = json.dumps(params, indent=2, default=str).encode("utf-8")
        buffer = io.BytesIO()
        covariance = scorer.covariance if scorer.covariance is not None else np.zeros((0, 0))
        np.savez(buffer, coef=np.concatenate([scorer.coef, scorer.term_coef]), covariance=covariance)
        fitted = scorer.fit_summary or FitSummary()
        manifest = {
            "version": version,
            "created": _now(),
            "signals": sorted(set(owners)),
            "label_counts": {"offer": fitted.n_offers, "no_offer": fitted.n_no_offers},
            "metrics": metrics or {},
            "files": {PARAMS: sha256(params_bytes), ARRAYS: sha256(buffer.getvalue())},
            "libraries": library_versions(),
            **(extra or {}),
        }
        self._remove_stale_staging()
        staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=self.ws.models_dir))
        try:
            _write_durably(staging, PARAMS, params_bytes)
            _write_durably(staging, ARRAYS, buffer.getvalue())
            _write_durably(staging, MANIFEST, json.dumps(manifest, indent=2, default=str).encode("utf-8"))
            load_folder(staging, version)
            _fsync_folder(staging)
            checkpoint("save.staged")
            os.rename(staging, self.ws.version_dir(version))
            _fsync_folder(self.ws.models_dir)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        checkpoint("save.renamed")
        return version

    def _remove_stale_staging(self) -> None:
        """Staging folders a killed save left behind (only a lock holder saves, so none is live)."""
        for entry in self.ws.models_dir.glob(".v*-*"):
            if entry.is_dir() and not entry.is_symlink() and is_version(entry.name[1:].split("-")[0]):
                shutil.rmtree(entry, ignore_errors=True)

    def _folder(self, version: str) -> Path:
        if not is_version(version):
            raise StoreError(f"{version!r} is not a model version (v1, v2, ...); refusing it")
        return self.ws.version_dir(version)

    def manifest_of(self, version: str) -> dict:
        """The manifest of a stored version, read without verifying the artifact ({} if none)."""
        try:
            manifest = read_json(self._folder(version) / MANIFEST, f"model {version}: {MANIFEST}")
        except (OSError, StoreError):
            return {}
        return manifest if isinstance(manifest, dict) else {}

    def verify(self, version: str) -> dict:
        """Check every file of ``version`` against its manifest; returns the manifest."""
        return verify_folder(self._folder(version), version)

    def load(self, version: str) -> LinearScorer:
        """Load a stored version (read once, hash-checked, every value checked)."""
        return load_folder(self._folder(version), version)

    # --- champion pointer ----------------------------------------------------------------

    def _pointer(self) -> dict | None:
        """The pointer's content, checked; None when there is no pointer (the rule card)."""
        path = self.ws.champion_pointer
        try:
            data = read_json(path, "the champion pointer")
        except FileNotFoundError:
            return None
        if not isinstance(data, dict):
            raise StoreError(f"the champion pointer {path} holds a {type(data).__name__}, not {{\"version\": ...}}")
        if not is_version(data.get("version")):
            raise StoreError(
                f"the champion pointer {path} names {data.get('version')!r}, not a version folder of "
                f"{self.ws.models_dir} such as v3; refusing it"
            )
        return data

    def champion(self) -> str | None:
        """The champion's version, or None when no model was promoted.

        A pointer that is not ``{"version": "v<digits>", ...}`` raises :class:`StoreError`.
        """
        pointer = self._pointer()
        return pointer["version"] if pointer else None

    def load_champion(self) -> tuple[str, LinearScorer]:
        version = self.champion()
        if version is None:
            raise StoreError(f"no champion model in {self.ws.models_dir}")
        return version, self.load(version)

    def set_champion(self, version: str | None, reason: str) -> str | None:
        """Point the champion at ``version`` (None: back to the rule card), atomically; returns
        the previous champion. Call under :meth:`lock`."""
        if version is not None:
            self.load(version)  # never point at a version that would not serve
        events = self._read_history(warn=False)
        self._record_unrecorded(events)
        try:
            previous = self.champion()
        except StoreError:
            previous = None  # an unreadable pointer is replaced, not followed
        since = _now()
        if version is None:
            with contextlib.suppress(FileNotFoundError):
                self.ws.champion_pointer.unlink()
        else:
            pointer = {"version": version, "since": since, "reason": reason, "previous": previous}
            write_json_atomic(self.ws.champion_pointer, pointer)
        checkpoint("pointer.replaced")
        try:
            self._append_history({"at": since, "from": previous, "to": version, "reason": reason})
        except (OSError, StoreError) as error:  # the change is made; the next one records it
            say_warning(f"the champion changed but {self.ws.history_file} could not record it ({error})")
        checkpoint("champion.set")
        return previous

    # --- history -------------------------------------------------------------------------

    def _append_history(self, event: dict) -> None:
        path = self.ws.history_file
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o644)
        except OSError as error:
            raise StoreError(f"{path} cannot be written ({error.strerror})") from error
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def _read_history(self, *, warn: bool) -> list[dict]:
        path = self.ws.history_file
        try:
            raw = read_bytes(path, str(path))
        except FileNotFoundError:
            return []
        events = []
        for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                event = json.loads(line)
                problem = _event_problem(event)
            except (ValueError, RecursionError) as error:
                problem = f"not JSON: {error}"
            if problem is None:
                events.append(event)
            elif warn:
                say_warning(f"{path} line {number} is damaged and was skipped ({problem})")
        return events

    def _unrecorded(self, events: list[dict]) -> dict | None:
        """The change the pointer shows but the history lacks (a command killed in between)."""
        try:
            pointer = self._pointer()
        except StoreError:
            return None
        current = pointer["version"] if pointer else None
        last = events[-1]["to"] if events else None
        if current == last:
            return None
        since = pointer.get("since") if pointer else None
        reason = pointer.get("reason") if pointer else None
        return {
            "at": since if isinstance(since, str) else _now(),
            "from": last,
            "to": current,
            "reason": (reason if isinstance(reason, str) else "changed") + _LATE,
        }

    def _record_unrecorded(self, events: list[dict]) -> None:
        missing = self._unrecorded(events)
        if missing is not None:
            self._append_history(missing)
            events.append(missing)

    def history(self) -> list[dict]:
        """Champion changes, oldest first. A damaged line is skipped with a warning naming the
        file and the line; a change the pointer shows but the file lacks is included."""
        events = self._read_history(warn=True)
        missing = self._unrecorded(events)
        return events + ([missing] if missing else [])

    # --- lock ----------------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self, purpose: str = "retrain", *, wait: float | None = 0.0, on_wait=None):
        """The workspace lock (:mod:`offerodds.files.locks`), held while changing the store or any
        workspace file. By default a second holder is refused at once with a clear error;
        ``wait`` seconds (None: as long as it takes) let a short writer wait its turn, except
        behind a retrain, which can run for minutes (refused at once unless ``wait`` is None)."""
        from offerodds.files.locks import LockBusy, hold

        refuse = () if wait is None else ("retrain",)
        try:
            with hold(
                self.ws.lock_file,
                purpose,
                wait=wait,
                refuse_if_held_by=refuse,
                busy=f"another retrain, rollback or sync is running on {self.ws.root}",
                on_wait=on_wait,
            ):
                yield
        except LockBusy as error:
            raise StoreError(str(error)) from None
