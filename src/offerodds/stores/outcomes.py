"""The outcome store: every labelled interview of a workspace, one row per interview.

Rows are keyed by ``interview_id``, or, where a row has none, by a content id: a hash of its
signal values and dates (not its outcome) and its occurrence number among the identical rows of
that file (``h-<16 hex digits>-<n>``). Adding the same file twice changes nothing; two identical
interviews in one file stay two outcomes; and the occurrence numbers follow the rows' outcomes
(then their application, then their order), so sorting a file never moves a label from one row
to another. A store made under the older rule (``h-<16 hex digits>``, identical rows merged) is
migrated when it is read: each old id is the first occurrence of its rows.
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
from offerodds.stores.labelled import Labelled, Stacked
from offerodds.files.workspace import Workspace
from offerodds.signals.catalogue import DATE_COLUMNS, input_columns
from offerodds.errors import StoreError
from offerodds.signals.headers import one_line
from offerodds.signals.labels import OUTCOMES, training_target
from offerodds.signals.validation import typed_signals, validate

__all__ = [
    "KEY_COLUMNS",
    "STORE_TEXT_COLUMNS",
    "OutcomeStore",
    "TrainingSet",
    "content_ids",
    "labelled_now",
    "merge",
    "migrate_ids",
    "release_arrow_memory",
    "repeated_ids",
    "store_rows",
    "training_set",
]

KEY_COLUMNS = ("interview_id", "application_id")
#: The columns :func:`store_rows` takes from a labelled file as written (the signals come typed).
STORE_TEXT_COLUMNS = (*KEY_COLUMNS, *DATE_COLUMNS, "outcome")


#: Stored rows validated at a time (:meth:`OutcomeStore.typed`, :func:`check_store`).
VALIDATE_ROWS = 100_000

#: Stored rows converted to Arrow and written at a time (:meth:`OutcomeStore.write`).
WRITE_ROWS = 100_000

#: A content id of the rule before occurrence numbers (rows with equal answers shared it).
OLD_CONTENT_ID = r"h-[0-9a-f]{16}"


def content_ids(
    typed: pd.DataFrame, dates: pd.DataFrame, outcome: pd.Series | None = None, application: pd.Series | None = None
) -> pd.Series:
    """A stable id per row: ``h-``, 16 hex digits hashed from its signal values and dates, and
    its occurrence number among the identical rows of this frame (1, 2, ...).

    Identical rows are numbered in the order of their outcome, then their application, then
    their position, so that the same rows in any order get the same ids with the same labels.
    """
    basis = pd.concat([typed.astype("string"), dates.astype("string")], axis=1).fillna("")
    hashed = pd.util.hash_pandas_object(basis, index=False, categorize=False).to_numpy()
    n = len(hashed)
    order_frame = pd.DataFrame(
        {
            "h": hashed,
            "outcome": ("" if outcome is None else outcome.astype("string").fillna("").to_numpy()),
            "app": ("" if application is None else application.astype("string").fillna("").to_numpy()),
            "pos": np.arange(n),
        }
    )
    ranked = order_frame.sort_values(["h", "outcome", "app", "pos"], kind="stable")
    occurrence = np.empty(n, dtype=np.int64)
    occurrence[ranked["pos"].to_numpy()] = ranked.groupby("h", sort=False).cumcount().to_numpy() + 1
    return pd.Series([f"h-{h:016x}-{k}" for h, k in zip(hashed, occurrence)], index=typed.index, dtype="string")


def migrate_ids(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """A store frame with content ids of the older rule renamed to the first occurrence of the
    new one (``h-X`` -> ``h-X-1``); returns the frame and how many ids were renamed."""
    if not len(frame) or "interview_id" not in frame.columns:
        return frame, 0
    ids = frame["interview_id"].astype("string")
    old = ids.str.fullmatch(OLD_CONTENT_ID).fillna(False).to_numpy(dtype=bool)
    if not old.any():
        return frame, 0
    frame = frame.copy()
    frame["interview_id"] = ids.where(~old, ids + "-1")
    return frame, int(old.sum())


def repeated_ids(labelled: Labelled) -> dict[str, int]:
    """The ``interview_id`` values that appear on more than one valid row, and how often."""
    if "interview_id" not in labelled.colmap or not len(labelled.raw):
        return {}
    ids = labelled.raw[labelled.colmap["interview_id"]].astype("string").str.strip()
    ids = ids[labelled.valid & ids.fillna("").ne("").to_numpy(dtype=bool)]
    counts = ids.value_counts(sort=False)
    return {str(k): int(v) for k, v in counts[counts > 1].items()}


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

    # the rows taken (all of them: no copy under pandas' copy-on-write), the stage as text;
    # never a copy of every signal beside the labelled frame's (some 230 MB at a million rows)
    typed = labelled.typed[keep].reset_index(drop=True)
    typed = typed.assign(stage=typed["stage"].astype("string"))
    dates = pd.DataFrame({d: text(d) for d in DATE_COLUMNS})
    ids = text("interview_id")
    outcome = labelled.outcome[keep].reset_index(drop=True)
    if ids.isna().any():  # a row without interview_id: its content id (hashing every row)
        ids = ids.fillna(content_ids(typed, dates, outcome, text("application_id")))
    frame = pd.concat(
        [pd.DataFrame({"interview_id": ids, "application_id": text("application_id")}), dates, typed],
        axis=1,
    )
    frame["outcome"] = outcome.astype("string")
    frame["ingested_at"] = pd.Series(ingested_at, index=frame.index, dtype="string")
    return frame


def merge(store: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """Add ``new`` rows to ``store``: latest row per id, latest non-empty outcome per id.

    ``labelled_at`` is when an interview's current label was first given: ingesting the same
    label again does not move it, so the promotion gate can tell which outcomes a champion
    never saw.
    """
    if len(store) and len(new):
        both = pd.concat([store, new], ignore_index=True)
    else:  # one side empty (a new store): its columns, not its types (an empty store's
        # columns are text, and concatenated they would make every signal a Python object)
        columns = list(dict.fromkeys([*store.columns, *new.columns]))
        both = (new if len(new) else store).reindex(columns=columns).reset_index(drop=True)
    if both.empty:
        return both
    # what wins is decided on the keys alone; the rows are then taken once (no frame of all
    # columns is grouped, indexed or reordered: at a million rows each such copy is ~350 MB)
    event = both["ingested_at"].astype("string")
    if "labelled_at" in both.columns:
        event = both["labelled_at"].astype("string").fillna(event)
    keys = pd.DataFrame({"interview_id": both["interview_id"], "outcome": both["outcome"], "_event": event,
                         "_order": np.arange(len(both))})
    del event
    # each id once, in the order it was first seen, with its latest row
    last = keys.groupby("interview_id", sort=False)["_order"].last()
    labelled = keys.loc[keys["outcome"].notna().to_numpy(dtype=bool)]
    previous = labelled.groupby("interview_id", sort=False)["outcome"].shift()
    changed = labelled["outcome"].ne(previous).fillna(True).astype(bool)
    label = labelled.groupby("interview_id", sort=False)["outcome"].last()
    label_time = labelled[changed].groupby("interview_id", sort=False)["_event"].last()
    del keys, labelled, previous, changed
    columns = ["interview_id", *(c for c in both.columns if c != "interview_id")]
    merged = both.take(last.to_numpy())[columns].reset_index(drop=True)
    del both
    merged["outcome"] = label.reindex(last.index).astype("string").array
    merged["labelled_at"] = label_time.reindex(last.index).astype("string").array
    return merged


_REPAIR = "move it aside and run `offerodds retrain` on your labelled files to rebuild it"


def check_store(frame: pd.DataFrame, path) -> None:
    """Refuse a store that offerodds did not write as it is: a missing column, an id that is
    empty or repeated, a signal value or an outcome that no labelled row could have given. The
    message names the store, the row and the column."""
    required = [*KEY_COLUMNS, *input_columns(), "outcome"]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise StoreError(
            f"the outcome store {path} lacks the column(s) {', '.join(missing)}: it was not written by "
            f"offerodds or is damaged; {_REPAIR}"
        )
    if not len(frame):
        return
    ids = frame["interview_id"].astype("string").str.strip()
    if ids.isna().any() or (ids == "").any() or ids.duplicated().any():
        where = int(np.flatnonzero((ids.isna() | (ids == "") | ids.duplicated()).to_numpy(dtype=bool))[0]) + 1
        raise StoreError(f"the outcome store {path}: row {where} has an empty or repeated interview_id; {_REPAIR}")
    columns = list(input_columns())
    for start in range(0, len(frame), VALIDATE_ROWS):  # bounded memory: see OutcomeStore.typed
        block = frame.iloc[start : start + VALIDATE_ROWS][columns].reset_index(drop=True)
        checked = validate(block, {c: c for c in columns}, first_row=start + 1)
        errors = checked.problems[checked.problems["severity"] == "error"]
        if len(errors):
            break
    if len(errors):
        first = errors.iloc[0]
        raise StoreError(
            f"the outcome store {path}: row {first['row']}, {first['column']} = {first['value']!r}: "
            f"{first['reason']}; {len(errors):,} such value(s) in all; {_REPAIR}"
        )
    outcome = frame["outcome"].astype("string")
    bad = (outcome.notna() & ~outcome.isin(OUTCOMES)).to_numpy(dtype=bool)
    if bad.any():
        where = int(np.flatnonzero(bad)[0])
        raise StoreError(
            f"the outcome store {path}: row {where + 1}, outcome = {outcome.iloc[where]!r} is not one of "
            f"{', '.join(OUTCOMES)}; {_REPAIR}"
        )


class OutcomeStore:
    """The workspace's labelled interviews (``data/labelled/outcomes.parquet``)."""

    def __init__(self, workspace: Workspace):
        self.path = workspace.outcome_store
        self.migrated = 0  # content ids of the older rule renamed by the last read

    def read(self) -> pd.DataFrame:
        """The stored rows (content ids of the older rule migrated: write the frame back under
        the lock to keep the migration)."""
        if not self.path.exists():
            columns = [*KEY_COLUMNS, *DATE_COLUMNS, *input_columns(), "outcome", "ingested_at", "labelled_at"]
            return pd.DataFrame({c: pd.Series(dtype="string") for c in columns})
        try:
            table = pq.read_table(self.path)
        except (OSError, ValueError) as error:  # pyarrow's errors are among these
            raise StoreError(f"the outcome store {self.path} cannot be read ({one_line(error)}); {_REPAIR}") from None
        frame, self.migrated = migrate_ids(table.to_pandas())
        del table
        release_arrow_memory()
        check_store(frame, self.path)
        return frame

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
        """Replace the store with ``frame`` (under the workspace lock: the caller holds it),
        atomically: written beside it, then renamed. Converted and written ``WRITE_ROWS``
        rows at a time, so the Arrow copy of a large store is never whole."""
        with AtomicFile(self.path, suffix=".parquet", durable=True, private=True) as tmp:
            if len(frame) <= WRITE_ROWS:
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), tmp)
            else:
                # the types pyarrow infers from the whole frame (a column of Python objects is
                # converted once, on its own), then each part converted to them
                schema = pa.Schema.from_pandas(frame, preserve_index=False)
                with pq.ParquetWriter(tmp, schema) as writer:
                    for start in range(0, len(frame), WRITE_ROWS):
                        part = frame.iloc[start : start + WRITE_ROWS]
                        writer.write_table(pa.Table.from_pandas(part, schema=schema, preserve_index=False))
        release_arrow_memory()

    @staticmethod
    def typed(frame: pd.DataFrame, rows=None) -> pd.DataFrame:
        """The stored signals as the validated signal frame the scorers take (of the rows
        ``rows`` selects, a boolean mask, when given; the index then restarts at 0).

        Validated ``VALIDATE_ROWS`` rows at a time: validating costs about 1.5 KB per row
        while it runs, so a million stored rows at once would cost some 1.5 GB. Each row is
        validated on its own, so the blocks change nothing but the memory."""
        columns = list(input_columns())
        if rows is not None:
            where = np.flatnonzero(rows)
        n = len(frame) if rows is None else len(where)
        stacked = None
        for start in range(0, max(n, 1), VALIDATE_ROWS):
            if rows is None:
                block = frame.iloc[start : start + VALIDATE_ROWS][columns]
            else:
                block = frame.iloc[where[start : start + VALIDATE_ROWS]][columns].reset_index(drop=True)
                block.index += start
            part = typed_signals(block)
            if n <= VALIDATE_ROWS:
                return part
            # each block written into the final arrays as soon as it is validated: never the
            # blocks and their concatenation whole at once
            stacked = stacked or Stacked(part, n)
            stacked.put(start, part)
            del part, block
        return stacked.frame()


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
    rows = store.loc[keep, ["interview_id", "application_id", "labelled_at"]].reset_index(drop=True)
    app = rows["application_id"].astype("string")
    groups = app.fillna(rows["interview_id"].astype("string")).to_numpy(dtype=object)
    return TrainingSet(OutcomeStore.typed(store, keep), y_all[keep], groups, rows["labelled_at"])


def release_arrow_memory() -> None:
    """Return to the system the memory Arrow's allocator keeps after reading and writing the
    store: it holds freed buffers for its next use (some 220 MB after a million rows), and
    the fit that follows does not use Arrow. Memory given back, not hidden: the process's
    resident size is what it holds."""
    pa.default_memory_pool().release_unused()


def labelled_now(store: pd.DataFrame, now: str) -> tuple[pd.DataFrame, np.ndarray]:
    """The typed rows whose label was given at ``now``, and their outcomes (NaN if not trained on)."""
    fresh = (store["labelled_at"].astype("string") == now).fillna(False).to_numpy(dtype=bool)
    return OutcomeStore.typed(store, fresh), training_target(store.loc[fresh, "outcome"])
