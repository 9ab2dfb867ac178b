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

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from offerodds.files.cleanup import remove_stale_in_workspace
from offerodds.files.atomic import AtomicFile
from offerodds.stores.modelstore import ModelStore
from offerodds.stores.outcomes import OutcomeStore
from offerodds.stores.interview_file import remove_interviews
from offerodds.files.workspace import Workspace
from offerodds.files.writing import formula_safe, is_parquet, write_table

__all__ = ["Forgotten", "forget", "personal_tables"]

ID_COLUMN = "interview_id"


@dataclass
class Forgotten:
    """What :func:`forget` removed, and what it could not."""

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


def _matches(values: pd.Series, ids: set[str], *, shown: bool = False) -> pd.Series:
    """Cells that are one of ``ids`` (``shown``: also as a formula-safe file shows them)."""
    text = values.astype("string").str.strip()
    wanted = ids | ({str(v) for v in formula_safe(pd.Series(sorted(ids), dtype=object))} if shown else set())
    return text.isin(wanted).fillna(False).astype(bool)


def _read(path: Path) -> pd.DataFrame:
    if is_parquet(path):
        return pq.read_table(path).to_pandas()
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def _forget_in_table(path: Path, ids: set[str]) -> tuple[int, set[str]]:
    """Remove the rows of ``ids`` from one table; returns (rows removed, ids found)."""
    frame = _read(path)
    if ID_COLUMN not in frame.columns:
        return 0, set()
    hit = _matches(frame[ID_COLUMN], ids, shown=True)
    if not hit.any():
        return 0, set()
    found = {i for i in ids if _matches(frame.loc[hit, ID_COLUMN], {i}, shown=True).any()}
    kept = frame[~hit.to_numpy()].reset_index(drop=True)
    if is_parquet(path):
        import pyarrow as pa

        with AtomicFile(path, suffix=path.suffix, durable=True, private=True) as tmp:
            pq.write_table(pa.Table.from_pandas(kept, preserve_index=False), tmp)
    else:
        write_table(path, kept.astype(object), formula_safe=True, private=True)
    return int(hit.sum()), found


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
    wanted = list(dict.fromkeys(str(i).strip() for i in ids if str(i).strip()))
    result = Forgotten(ids=wanted)
    if not wanted:
        return result
    ids = set(wanted)
    found: set[str] = set()
    made = any(p.is_dir() for p in (workspace.labelled_dir, workspace.reports_dir, workspace.models_dir))
    if not made and not workspace.tracker.is_file():  # `ask` alone makes only the interview file
        result.not_found = wanted  # no workspace here: nothing to forget, nothing made
        return result
    store = ModelStore(workspace)
    with store.lock():
        result.leftovers = remove_stale_in_workspace(workspace)
        outcomes = OutcomeStore(workspace)
        frame = outcomes.read()
        hit = _matches(frame[ID_COLUMN], ids) if len(frame) else pd.Series([], dtype=bool)
        if hit.any():
            gone = frame[hit.to_numpy()]
            found |= set(gone[ID_COLUMN].astype("string").str.strip())
            result.trained_with = _trained_with(store, gone["ingested_at"].tolist())
            outcomes.write(frame[~hit.to_numpy()].reset_index(drop=True))
            result.store_rows = int(hit.sum())
        tables = [(p, _forget_in_table) for p in personal_tables(workspace)]
        if workspace.tracker.is_file():  # the interview file ``offerodds ask`` keeps there
            tables.insert(0, (workspace.tracker, remove_interviews))
        for path, remove in tables:
            try:
                removed, seen = remove(path, ids)
            except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
                result.unreadable[path] = str(error).splitlines()[0] if str(error) else type(error).__name__
                continue
            if removed:
                result.files[path] = removed
                found |= seen
        try:
            result.champion = store.champion()
        except Exception:  # noqa: BLE001 - an unreadable pointer: no champion to name
            result.champion = None
    result.not_found = [i for i in wanted if i not in found]
    return result
