"""The model store under the workspace's ``models/``: one folder per version and the champion
pointer, the source of truth for which model serves.

An artifact cannot run code when loaded: the fitted parameters are JSON and numpy arrays read
with ``allow_pickle=False``. A manifest records the SHA-256 of every artifact file; a changed,
missing or foreign file is refused with a message saying which. Versions are written under a
temporary name and renamed into place; the pointer is replaced atomically; a lock keeps two
retrains from interleaving.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np

from offerodds.io.files import write_json_atomic
from offerodds.io.workspace import Workspace
from offerodds.scoring.scorer import FitSummary, LinearScorer
from offerodds.signals.encoding import feature_layout

__all__ = ["ModelStore", "StoreError", "load_folder", "verify_folder"]

PARAMS, ARRAYS, MANIFEST = "params.json", "arrays.npz", "manifest.json"
_VERSION = re.compile(r"^v(\d+)$")


class StoreError(RuntimeError):
    """The model store refuses a request (the message says why)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def library_versions() -> dict[str, str]:
    names = ("offerodds", "numpy", "pandas", "scikit-learn", "scipy", "pyarrow")
    found = {}
    for name in names:
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[name] = metadata.version(name)
    return found


def verify_folder(folder: Path, label: str) -> dict:
    """Check every file of a model folder against its manifest; returns the manifest."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise StoreError(f"model {label} has no manifest ({path})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise StoreError(f"model {label}: manifest.json is not valid JSON ({error})") from error
    expected = manifest.get("files", {})
    present = {p.name for p in folder.iterdir()} - {MANIFEST}
    foreign = sorted(present - set(expected))
    if foreign:
        raise StoreError(f"model {label} holds files its manifest does not list: {foreign}; refusing it")
    for name, digest in expected.items():
        if not (folder / name).is_file():
            raise StoreError(f"model {label} is missing {name}")
        if sha256(folder / name) != digest:
            raise StoreError(
                f"model {label}: {name} does not match its SHA-256 in the manifest "
                "(the file was changed after it was stored); refusing it"
            )
    return manifest


def load_folder(folder: Path, label: str) -> LinearScorer:
    """Load a verified model folder (JSON and numpy arrays only: nothing can run code)."""
    folder = Path(folder)
    verify_folder(folder, label)
    try:
        params = json.loads((folder / PARAMS).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise StoreError(f"model {label}: {PARAMS} is not valid JSON ({error})") from error
    names, _ = feature_layout()
    if params.get("features") != names:
        raise StoreError(f"model {label} was trained on a different signal catalogue; retrain it")
    try:
        with np.load(folder / ARRAYS, allow_pickle=False) as arrays:
            coef, covariance = arrays["coef"], arrays["covariance"]
    except (ValueError, KeyError, OSError) as error:
        raise StoreError(f"model {label}: {ARRAYS} cannot be read ({error})") from error
    info = params.get("info") or {}
    return LinearScorer(
        kind=params["kind"],
        version=params.get("version", label),
        intercept=float(params["intercept"]),
        coef=coef,
        covariance=covariance if covariance.size else None,
        interval_inflation=float(info.get("interval_inflation", 1.0)),
        fit=FitSummary.from_dict(info) if params["kind"] == "model" else None,
        source=str(folder),
    )


def _stored_info(scorer: LinearScorer) -> dict:
    """What ``params.json`` keeps under ``info``: the fit summary and the interval inflation."""
    info = scorer.fit.to_dict() if scorer.fit is not None else {}
    return {**info, "interval_inflation": scorer.interval_inflation}


class ModelStore:
    """Versions ``v1``, ``v2``, ... of the learned model, and the champion pointer."""

    def __init__(self, workspace: Workspace):
        self.ws = workspace

    # --- versions ------------------------------------------------------------------------

    def versions(self) -> list[str]:
        """Stored versions, oldest first."""
        if not self.ws.models_dir.is_dir():
            return []
        found = [p.name for p in self.ws.models_dir.iterdir() if p.is_dir() and _VERSION.match(p.name)]
        return sorted(found, key=lambda v: int(v[1:]))

    def next_version(self) -> str:
        versions = self.versions()
        return f"v{int(versions[-1][1:]) + 1}" if versions else "v1"

    def save(self, scorer: LinearScorer, *, metrics: dict | None = None, extra: dict | None = None) -> str:
        """Store ``scorer`` as the next version; returns its name. Call under :meth:`lock`."""
        version = self.next_version()
        self.ws.models_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=self.ws.models_dir))
        try:
            names, owners = feature_layout()
            params = {
                "kind": scorer.kind,
                "version": version,
                "intercept": scorer.intercept,
                "features": names,
                "info": _stored_info(scorer),
            }
            (staging / PARAMS).write_text(json.dumps(params, indent=2, default=str), encoding="utf-8")
            covariance = scorer.covariance if scorer.covariance is not None else np.zeros((0, 0))
            with open(staging / ARRAYS, "wb") as handle:
                np.savez(handle, coef=scorer.coef, covariance=covariance)
            fitted = scorer.fit or FitSummary()
            manifest = {
                "version": version,
                "created": _now(),
                "signals": sorted(set(owners)),
                "label_counts": {
                    "offer": fitted.n_offers,
                    "no_offer": fitted.n_no_offers,
                },
                "metrics": metrics or {},
                "files": {name: sha256(staging / name) for name in (PARAMS, ARRAYS)},
                "libraries": library_versions(),
                **(extra or {}),
            }
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
            os.rename(staging, self.ws.version_dir(version))
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return version

    def manifest_of(self, version: str) -> dict:
        """The manifest of a stored version, read without verifying the artifact."""
        path = self.ws.version_dir(version) / MANIFEST
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def verify(self, version: str) -> dict:
        """Check every file of ``version`` against its manifest; returns the manifest."""
        folder = self.ws.version_dir(version)
        if not folder.is_dir():
            raise StoreError(f"no model {version} in {self.ws.models_dir}")
        return verify_folder(folder, version)

    def load(self, version: str) -> LinearScorer:
        """Load a stored version after verifying it."""
        if not self.ws.version_dir(version).is_dir():
            raise StoreError(f"no model {version} in {self.ws.models_dir}")
        return load_folder(self.ws.version_dir(version), version)

    # --- champion pointer ----------------------------------------------------------------

    def champion(self) -> str | None:
        """The champion's version, or None when no model was promoted."""
        path = self.ws.champion_pointer
        if not path.exists():
            return None
        try:
            return json.loads(path.read_text(encoding="utf-8"))["version"]
        except (json.JSONDecodeError, KeyError, UnicodeDecodeError) as error:
            raise StoreError(f"the champion pointer {path} is unreadable ({error})") from error

    def load_champion(self) -> tuple[str, LinearScorer]:
        version = self.champion()
        if version is None:
            raise StoreError(f"no champion model in {self.ws.models_dir}")
        return version, self.load(version)

    def set_champion(self, version: str | None, reason: str) -> None:
        """Point the champion at ``version`` (None: back to the rule card), atomically."""
        if version is not None:
            self.verify(version)
        previous = self.champion()
        if version is None:
            if self.ws.champion_pointer.exists():
                self.ws.champion_pointer.unlink()
        else:
            write_json_atomic(
                self.ws.champion_pointer, {"version": version, "since": _now(), "reason": reason}
            )
        self._append_history({"at": _now(), "from": previous, "to": version, "reason": reason})

    def _append_history(self, event: dict) -> None:
        path = self.ws.history_file
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(event) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def history(self) -> list[dict]:
        """Champion changes, oldest first."""
        path = self.ws.history_file
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]

    @contextlib.contextmanager
    def lock(self):
        """Exclusive lock for changing the store; a second holder gets a clear error."""
        self.ws.models_dir.mkdir(parents=True, exist_ok=True)
        with open(self.ws.lock_file, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as error:
                raise StoreError(
                    f"another retrain or rollback is running on {self.ws.root}; try again when it ends"
                ) from error
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
