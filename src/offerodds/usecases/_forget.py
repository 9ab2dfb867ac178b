"""Forgetting interviews: removing them, for good, from every file of the workspace that holds
interview rows (the outcome store, the interview file ``offerodds ask`` keeps there, and each
table under ``reports/``: the rejects of retrains and any report listing interviews).

Files are rewritten atomically, readable by their owner only; the old bytes are not kept
anywhere (no backup, no temporary file left: leftovers of killed runs are removed first, under
the workspace lock). What models learned from the interviews stays in them until a retrain
fits a model without them: :class:`Forgotten` names the stored versions trained since the
interviews were stored. The other reports (HTML pages and charts) hold aggregates only.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from offerodds.errors import InputError
from offerodds.files.cleanup import remove_stale_in_workspace
from offerodds.files.exact import remove_rows
from offerodds.files.locks import wait_limit
from offerodds.files.workspace import Workspace
from offerodds.files.writing import formula_safe, is_parquet
from offerodds.stores.modelstore import ModelStore
from offerodds.stores.outcomes import OLD_CONTENT_ID, OutcomeStore

__all__ = ["Forgotten", "forget", "personal_tables"]

ID_COLUMN = "interview_id"


@dataclass(frozen=True)
class Forgotten:
    """What :func:`forget` removed, and what it could not (immutable, like every use case's result)."""

    ids: list[str]
    store_rows: int = 0  # rows removed from the outcome store
    files: dict[Path, int] = field(default_factory=dict)  # report or rejects file -> lines removed
    not_found: list[str] = field(default_factory=list)
    trained_with: list[str] = field(default_factory=list)  # stored versions that saw them
    champion: str | None = None
    leftovers: list[Path] = field(default_factory=list)  # temporary files of killed runs removed
    unreadable: dict[Path, str] = field(default_factory=dict)  # tables that could not be checked


def personal_tables(ws: Workspace) -> list[Path]:
    """The tables under ``reports/`` (CSV and Parquet, any depth): rejects and reports."""
    if not ws.reports_dir.is_dir():
        return []
    found = [
        p
        for p in ws.reports_dir.rglob("*")
        if p.is_file() and not p.is_symlink() and not p.name.startswith(".")
        and (p.suffix.lower() == ".csv" or is_parquet(p))
    ]
    return sorted(found)


def _matcher(ids: set[str]):
    """Whether a cell (stripped) is one of ``ids``, as written or as a formula-safe file shows it."""
    shown = {str(v) for v in formula_safe(pd.Series(sorted(ids), dtype=object))}
    wanted = ids | shown
    return wanted.__contains__


def _matches(values: pd.Series, ids: set[str]) -> pd.Series:
    """Cells of the outcome store that are one of ``ids``."""
    text = values.astype("string").str.strip()
    return text.isin(ids).fillna(False).astype(bool)


def _when(text) -> dt.datetime | None:
    try:
        when = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _trained_with(store: ModelStore, stored_at: list) -> list[str]:
    """Stored versions created after the first of the forgotten interviews was stored (all of
    them when that time is unknown)."""
    times = [t for t in (_when(s) for s in stored_at) if t is not None]
    first = min(times) if len(times) == len(stored_at) and times else None
    versions = []
    for version in store.versions():
        created = _when(store.manifest_of(version).get("created"))
        if first is None or created is None or created >= first.replace(microsecond=0):
            versions.append(version)
    return versions


def forget(workspace: Workspace, ids) -> Forgotten:
    """Remove the interviews ``ids`` from the outcome store, the workspace's interview file and
    every table under ``reports/``.

    Parameters
    ----------
    workspace : Workspace
    ids : iterable of str
        ``interview_id`` values (surrounding spaces ignored), or the content ids (``h-...``)
        the store gave rows without one.

    Returns
    -------
    Forgotten
    """
    ids = [ids] if isinstance(ids, str) else list(ids)
    if any(not str(i).strip() for i in ids):
        raise InputError("an empty interview id was given: name each interview to forget by its interview_id")
    wanted = list(dict.fromkeys(str(i).strip() for i in ids))
    if not wanted:
        return Forgotten(ids=wanted)
    ids = set(wanted) | {f"{i}-1" for i in wanted if re.fullmatch(OLD_CONTENT_ID, i)}  # an id of the older rule
    found: set[str] = set()
    store_rows, files, trained_with, unreadable = 0, {}, [], {}
    made = any(p.is_dir() for p in (workspace.labelled_dir, workspace.reports_dir, workspace.models_dir))
    if not made and not workspace.tracker.is_file():  # `ask` alone makes only the interview file
        return Forgotten(ids=wanted, not_found=wanted)  # no workspace here: nothing to forget, nothing made
    store = ModelStore(workspace)
    with store.lock("forget", wait=wait_limit()):  # a short writer (ask) holding it: wait
        leftovers = remove_stale_in_workspace(workspace)
        outcomes = OutcomeStore(workspace)
        frame = outcomes.read()
        hit = _matches(frame[ID_COLUMN], ids) if len(frame) else pd.Series([], dtype=bool)
        if hit.any():
            gone = frame[hit.to_numpy()]
            found |= set(gone[ID_COLUMN].astype("string").str.strip())
            trained_with = _trained_with(store, gone["ingested_at"].tolist())
            outcomes.write(frame[~hit.to_numpy()].reset_index(drop=True))
            store_rows = int(hit.sum())
        matches = _matcher(ids)
        # every other row kept byte for byte (formula-safe files included: nothing re-escaped)
        tables = [(p, True) for p in personal_tables(workspace)]
        if workspace.tracker.is_file():  # the interview file ``offerodds ask`` keeps there
            tables.insert(0, (workspace.tracker, None))  # keeps its own permissions
        for path, private in tables:
            try:
                removed, seen = remove_rows(path, matches, private=private)
            except (OSError, ValueError, UnicodeDecodeError, csv.Error) as error:
                unreadable[path] = str(error).splitlines()[0] if str(error) else type(error).__name__
                continue
            if removed:
                files[path] = removed
                found |= {i for i in ids if any(_matcher({i})(c) for c in seen)}
        try:
            champion = store.champion()
        except Exception:  # noqa: BLE001 - an unreadable pointer: no champion to name
            champion = None
    return Forgotten(
        ids=wanted,
        store_rows=store_rows,
        files=files,
        not_found=[i for i in wanted if i not in found and f"{i}-1" not in found],
        trained_with=trained_with,
        champion=champion,
        leftovers=leftovers,
        unreadable=unreadable,
    )
