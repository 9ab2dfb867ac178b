"""Which lock a writer takes (:mod:`offerodds.files.locks` has the protocol): the workspace lock for
a file inside the workspace, a lock of its own for a file ``ask`` appends to elsewhere, none for
an output outside the workspace (it is the user's, written atomically)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from offerodds.files.locks import hold
from offerodds.stores.modelstore import ModelStore
from offerodds.files.workspace import Workspace

__all__ = ["inside", "lock_for_writing", "tracker_lock"]


def inside(path: str | os.PathLike, root: Path) -> bool:
    """Whether ``path`` (existing or not, links resolved) lies inside the folder ``root``."""
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    return real == base or base in real.parents


def lock_for_writing(ws: Workspace, targets, purpose: str, *, wait: float | None = None, on_wait=None):
    """The workspace lock when one of ``targets`` (paths; None and ``-`` skipped) is inside the
    workspace, else nothing to hold. By default it waits as long as another writer needs (a
    score written into ``reports/`` during a retrain is written after it, never refused)."""
    paths = [t for t in targets if t is not None and os.fspath(t) != "-"]
    if not any(inside(t, ws.root) for t in paths):
        return contextlib.nullcontext()
    return ModelStore(ws).lock(purpose, wait=wait, on_wait=on_wait)


def tracker_lock(ws: Workspace, target: Path, on_wait=None):
    """The lock ``ask`` holds while it re-reads and rewrites its interview file: the workspace
    lock for a file in the workspace (``forget`` rewrites it under the same lock), else a lock
    file beside it. It waits as long as it takes: answers a person typed are never dropped."""
    if inside(target, ws.root):
        return ModelStore(ws).lock("ask", wait=None, on_wait=on_wait)
    beside = target.with_name(f".{target.name}.offerodds-lock")
    return hold(beside, "ask", wait=None, busy=f"another offerodds is adding to {target}", on_wait=on_wait)
