"""The outcome store at scale: written, validated and merged a block of rows at a time, it keeps
every row and value a store written whole keeps (a million outcomes would not fit otherwise)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import offerodds
from offerodds.files.workspace import Workspace
from offerodds.stores import outcomes as outcomes_module
from offerodds.stores.labelled import read_labelled
from offerodds.stores.outcomes import STORE_TEXT_COLUMNS, OutcomeStore, labelled_now, merge, store_rows, training_set
from offerodds.synthetic import generate


def _files(tmp_path):
    """Two labelled files: the second relabels some interviews of the first, blanks some
    outcomes (never erasing a stored one), repeats ids and adds rows without any id."""
    first = generate(1_000, seed=21).drop(columns=["true_probability"])
    first.loc[::9, "interview_id"] = None  # content ids
    second = first.sample(frac=0.5, random_state=2).copy()
    second["outcome"] = np.where(np.arange(len(second)) % 4 == 0, None, "offer")
    second = pd.concat([second, generate(300, seed=22).drop(columns=["true_probability"])], ignore_index=True)
    second.loc[5, "interview_id"] = second.loc[6, "interview_id"]  # an id on two rows: the last wins
    paths = tmp_path / "first.parquet", tmp_path / "second.csv"
    first.to_parquet(paths[0], index=False)
    second.to_csv(paths[1], index=False)
    return paths


def _merge_whole(store: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """The store's merge as it was written before it worked on the keys (every column grouped)."""
    both = pd.concat([store, new], ignore_index=True)
    if both.empty:
        return both
    both["_order"] = np.arange(len(both))
    event = both["ingested_at"].astype("string")
    if "labelled_at" in both.columns:
        event = both["labelled_at"].astype("string").fillna(event)
    both["_event"] = event
    latest = both.groupby("interview_id", sort=False).tail(1).set_index("interview_id")
    labelled = both.loc[both["outcome"].notna().to_numpy(dtype=bool), ["interview_id", "outcome", "_event"]]
    previous = labelled.groupby("interview_id", sort=False)["outcome"].shift()
    changed = labelled["outcome"].ne(previous).fillna(True).astype(bool)
    label = labelled.groupby("interview_id", sort=False)["outcome"].last()
    label_time = labelled[changed].groupby("interview_id", sort=False)["_event"].last()
    latest["outcome"] = label.reindex(latest.index).astype("string")
    latest["labelled_at"] = label_time.reindex(latest.index).astype("string")
    first_seen = both.groupby("interview_id", sort=False)["_order"].min().sort_values().index
    if not first_seen.equals(latest.index):
        latest = latest.loc[first_seen]
    return latest.reset_index().drop(columns=["_order", "_event"])


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as text ("" for missing): values compared whatever the column types."""
    return frame.astype("string").fillna("<missing>")


def test_the_merge_on_keys_keeps_every_row_and_value_of_the_whole_frame_merge():
    files = [generate(400, seed=s).drop(columns=["true_probability"]) for s in (31, 32)]
    files[0].loc[::5, "interview_id"] = None
    files[1] = pd.concat([files[1], files[0].iloc[:150].assign(outcome="no_offer")], ignore_index=True)
    files[1].loc[::3, "outcome"] = None
    store = OutcomeStore.__new__(OutcomeStore)
    empty = pd.DataFrame({c: pd.Series(dtype="string") for c in
                          [*outcomes_module.KEY_COLUMNS, "interview_date", *outcomes_module.input_columns(),
                           "outcome", "ingested_at", "labelled_at"]})
    expected = got = empty
    for day, frame in enumerate(files, 1):
        new = store_rows(read_labelled(frame, raw_columns=STORE_TEXT_COLUMNS), f"2026-01-0{day}T00:00:00")
        expected, got = _merge_whole(expected, new), merge(got, new)
        assert list(got.columns) == list(expected.columns)
        pd.testing.assert_frame_equal(_as_text(got), _as_text(expected))
    assert got["interview_id"].is_unique and len(got) == 800  # the 150 repeated rows merged
    del store


def test_a_store_written_and_read_in_blocks_of_150_rows_equals_one_written_whole(tmp_path, merge_only_config, monkeypatch):
    paths = _files(tmp_path)
    whole, blocks = tmp_path / "whole", tmp_path / "blocks"
    for path in paths:
        offerodds.retrain(path, workspace=whole, config=merge_only_config)
    monkeypatch.setattr(outcomes_module, "WRITE_ROWS", 150)
    monkeypatch.setattr(outcomes_module, "VALIDATE_ROWS", 150)
    for path in paths:
        offerodds.retrain(path, workspace=blocks, config=merge_only_config)
    stores = [pq.read_table(Workspace.resolve(root).outcome_store) for root in (whole, blocks)]
    assert stores[1].num_rows == stores[0].num_rows == 1_000 + 300  # the second file adds 300 interviews
    assert pq.ParquetFile(Workspace.resolve(blocks).outcome_store).metadata.num_row_groups == 9
    assert stores[1].schema.remove_metadata() == stores[0].schema.remove_metadata()
    for name in stores[0].column_names:
        a, b = (t.column(name).combine_chunks() for t in stores)
        if name in ("ingested_at", "labelled_at"):  # the two workspaces' retrains ran at other times:
            a, b = (pd.Series(x.to_pylist()).rank(method="dense") for x in (a, b))  # the same order of them
            pd.testing.assert_series_equal(a, b)
        else:  # every value, bit for bit
            assert a.equals(b), name
    frames = [OutcomeStore(Workspace.resolve(root)).read() for root in (whole, blocks)]
    for frame in frames:
        frame.drop(columns=["ingested_at", "labelled_at"], inplace=True)
    pd.testing.assert_frame_equal(frames[0], frames[1])


def test_the_training_set_validated_in_blocks_equals_the_whole(tmp_path, merge_only_config, monkeypatch):
    paths = _files(tmp_path)
    for path in paths:
        offerodds.retrain(path, workspace=tmp_path / "ws", config=merge_only_config)
    frame = OutcomeStore(Workspace.resolve(tmp_path / "ws")).read()
    now = frame["labelled_at"].dropna().max()
    whole, fresh = training_set(frame), labelled_now(frame, now)
    monkeypatch.setattr(outcomes_module, "VALIDATE_ROWS", 150)
    blocks, fresh_blocks = training_set(frame), labelled_now(frame, now)
    pd.testing.assert_frame_equal(whole.typed, blocks.typed, check_exact=True)
    assert isinstance(blocks.typed["stage"].dtype, pd.CategoricalDtype)
    assert np.array_equal(whole.y, blocks.y) and np.array_equal(whole.groups, blocks.groups)
    pd.testing.assert_series_equal(whole.labelled_at, blocks.labelled_at)
    pd.testing.assert_frame_equal(fresh[0], fresh_blocks[0], check_exact=True)
    assert np.array_equal(fresh[1], fresh_blocks[1], equal_nan=True) and len(fresh[0]) > 150
    assert list(whole.typed.index) == list(range(len(whole.y)))
