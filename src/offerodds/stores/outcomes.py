"""The outcome store: every labelled interview of a workspace, one row per interview.

Rows are keyed by ``interview_id``, or, where a row has none, by a content id hashed from its
signal values and dates (not its outcome), so adding the same file twice changes nothing.
The label ingested last wins; an empty outcome never erases a stored one. The store is a
Parquet file replaced atomically (written beside it, then renamed), readable by its owner only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from offerodds.files.atomic import AtomicFile
from offerodds.stores.labelled import Labelled
from offerodds.files.workspace import Workspace
from offerodds.signals.catalogue import DATE_COLUMNS, input_columns
from offerodds.signals.labels import training_target
from offerodds.signals.validation import typed_signals

__all__ = ["KEY_COLUMNS", "OutcomeStore", "TrainingSet", "content_ids", "labelled_now", "merge", "store_rows", "training_set"]

KEY_COLUMNS = ("interview_id", "application_id")


def content_ids(typed: pd.DataFrame, dates: pd.DataFrame) -> pd.Series:
    """A stable id per row from its signal values and dates (``h-`` and 16 hex digits)."""
    basis = pd.concat([typed.astype("string"), dates.astype("string")], axis=1).fillna("")
    hashed = pd.util.hash_pandas_object(basis, index=False, categorize=False).to_numpy()
    return pd.Series([f"h-{h:016x}" for h in hashed], index=typed.index, dtype="string")


def store_rows(labelled: Labelled, ingested_at: str) -> pd.DataFrame:
    """The valid labelled rows in the store's shape (typed signals, keys, dates, outcome)."""
    colmap = labelled.colmap
    keep = labelled.valid
    raw = labelled.raw[keep].reset_index(drop=True)

    def text(name: str) -> pd.Series:
        if name not in colmap:
            return pd.Series(pd.NA, index=raw.index, dtype="string")
        values = raw[colmap[name]].astype("string").str.strip()
        return values.mask(values == "")

    typed = labelled.typed[keep].reset_index(drop=True).copy()
    typed["stage"] = typed["stage"].astype("string")
    dates = pd.DataFrame({d: text(d) for d in DATE_COLUMNS})
    ids = text("interview_id")
    ids = ids.fillna(content_ids(typed, dates))
    frame = pd.concat(
        [pd.DataFrame({"interview_id": ids, "application_id": text("application_id")}), dates, typed],
        axis=1,
    )
    frame["outcome"] = labelled.outcome[keep].reset_index(drop=True).astype("string")
    frame["ingested_at"] = ingested_at
    return frame


def merge(store: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Add ``new`` rows to ``store``: latest row per id, latest non-empty outcome per id.

    ``labelled_at`` is when an interview's current label was first given: ingesting the same
    label again does not move it, so the promotion gate can tell which outcomes a champion
    never saw.
    """
    both = pd.concat([store, new], ignore_index=True)
    if both.empty:
        return both
    both["_order"] = np.arange(len(both))
    event = both["ingested_at"].astype("string")
    if "labelled_at" in both.columns:
        event = both["labelled_at"].astype("string").fillna(event)
    both["_event"] = event
    latest = both.groupby("interview_id", sort=False).tail(1).set_index("interview_id")
    labelled = both[both["outcome"].notna()]
    previous = labelled.groupby("interview_id", sort=False)["outcome"].shift()
    changed = labelled["outcome"].ne(previous).fillna(True).astype(bool)
    label = labelled.groupby("interview_id", sort=False)["outcome"].last()
    label_time = labelled[changed].groupby("interview_id", sort=False)["_event"].last()
    latest["outcome"] = label.reindex(latest.index).astype("string")
    latest["labelled_at"] = label_time.reindex(latest.index).astype("string")
    first_seen = both.groupby("interview_id", sort=False)["_order"].min()
    latest = latest.loc[first_seen.sort_values().index]
    return latest.reset_index().drop(columns=["_order", "_event"])


class OutcomeStore:
    """The workspace's labelled interviews (``data/labelled/outcomes.parquet``)."""

    def __init__(self, workspace: Workspace):
        self.path = workspace.outcome_store

    def read(self) -> pd.DataFrame:
        if not self.path.exists():
            columns = [*KEY_COLUMNS, *DATE_COLUMNS, *input_columns(), "outcome", "ingested_at", "labelled_at"]
            return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
        return pq.read_table(self.path).to_pandas()

    def outcome_counts(self) -> dict[str, int]:
        """How many stored interviews have each outcome ("" for none yet); reads one column."""
        if not self.path.exists():
            return {}
        column = pq.read_table(self.path, columns=["outcome"]).column("outcome").to_pylist()
        counts: dict[str, int] = {}
        for value in column:
            counts[value or ""] = counts.get(value or "", 0) + 1
        return counts

    def write(self, frame: pd.DataFrame) -> None:
        with AtomicFile(self.path, suffix=".parquet", durable=True, private=True) as tmp:
            pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)

    @staticmethod
    def typed(frame: pd.DataFrame) -> pd.DataFrame:
        """The stored signals as the validated signal frame the scorers take."""
        return typed_signals(frame[list(input_columns())])


@dataclass
class TrainingSet:
    """The store's rows labelled offer or no_offer, ready for fitting."""

    typed: pd.DataFrame
    y: np.ndarray
    groups: np.ndarray
    labelled_at: pd.Series

    @property
    def label_counts(self) -> dict[str, int]:
        return {"offer": int((self.y == 1).sum()), "no_offer": int((self.y == 0).sum())}


def training_set(store: pd.DataFrame) -> TrainingSet:
    """The trainable rows of a store frame; the rounds of one application share a group."""
    y_all = training_target(store["outcome"])
    keep = np.isfinite(y_all)
    rows = store[keep].reset_index(drop=True)
    app = rows["application_id"].astype("string")
    groups = app.fillna(rows["interview_id"].astype("string")).to_numpy(dtype=object)
    return TrainingSet(OutcomeStore.typed(rows), y_all[keep], groups, rows["labelled_at"])


def labelled_now(store: pd.DataFrame, now: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The typed rows whose label was given at ``now``, and their outcomes (NaN if not trained on)."""
    fresh = store[(store["labelled_at"].astype("string") == now).fillna(False).to_numpy(dtype=bool)]
    return OutcomeStore.typed(fresh).reset_index(drop=True), training_target(fresh["outcome"])
