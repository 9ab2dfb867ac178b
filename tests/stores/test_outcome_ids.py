"""Rows are never merged because their answers are equal (DESIGN.md, "Outcome labels and the
outcome store"): a row without interview_id is keyed by a hash of its answers and dates plus its
occurrence number among identical rows of its file; stores of the older rule are migrated."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

import offerodds
from offerodds.stores.outcomes import OutcomeStore
from offerodds.files.workspace import Workspace


def store_of(root) -> pd.DataFrame:
    return OutcomeStore(Workspace.resolve(root)).read()


def few_answers(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` interviews recorded with only four answers: many rows are identical."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "stage": rng.choice(["screen", "first", "final"], n),
            "selling": rng.integers(1, 6, n).astype(str),
            "rapport": rng.integers(1, 6, n).astype(str),
            "outcome": rng.choice(["offer", "no_offer"], n),
        }
    )


def test_three_hundred_rows_with_equal_answers_stay_three_hundred_outcomes(tmp_path, merge_only_config):
    frame = few_answers(300)
    assert frame.drop(columns="outcome").duplicated().sum() > 100  # the case that collapsed
    path = tmp_path / "few.csv"
    frame.to_csv(path, index=False)
    report = offerodds.retrain(path, workspace=tmp_path / "ws", config=merge_only_config)
    assert (report.rows_read, report.rows_rejected, report.store_rows_after) == (300, 0, 300)
    stored = store_of(tmp_path / "ws")
    assert stored["interview_id"].is_unique
    assert stored["outcome"].value_counts().to_dict() == frame["outcome"].value_counts().to_dict()

    again = offerodds.retrain(path, workspace=tmp_path / "ws", config=merge_only_config)  # twice: no change
    assert (again.store_rows_before, again.store_rows_after) == (300, 300)
    assert store_of(tmp_path / "ws")["outcome"].tolist() == stored["outcome"].tolist()


def test_sorting_the_file_moves_no_label_between_rows(tmp_path, merge_only_config):
    frame = few_answers(200, seed=1)
    frame.to_csv(tmp_path / "a.csv", index=False)
    offerodds.retrain(tmp_path / "a.csv", workspace=tmp_path / "ws", config=merge_only_config)
    first = store_of(tmp_path / "ws").set_index("interview_id")[["outcome", "labelled_at"]]
    for i, order in enumerate((["outcome", "stage"], ["rapport", "selling"])):
        shuffled = frame.sort_values(order, ascending=i == 0).sample(frac=1, random_state=i)
        shuffled.to_csv(tmp_path / "b.csv", index=False)
        report = offerodds.retrain(tmp_path / "b.csv", workspace=tmp_path / "ws", config=merge_only_config)
        assert report.store_rows_after == 200
        now = store_of(tmp_path / "ws").set_index("interview_id")[["outcome", "labelled_at"]]
        # every id kept its label, and no label counts as newly given
        pd.testing.assert_frame_equal(now.sort_index(), first.sort_index())


def test_a_relabelled_copy_of_identical_rows_updates_them_without_adding_any(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    rows = "stage,selling,outcome\nfinal,4,pending\nfinal,4,pending\nfinal,4,pending\n"
    (tmp_path / "a.csv").write_text(rows, encoding="utf-8")
    offerodds.retrain(tmp_path / "a.csv", workspace=ws, config=merge_only_config)
    (tmp_path / "b.csv").write_text("stage,selling,outcome\nfinal,4,pending\nfinal,4,offer\nfinal,4,no_offer\n")
    report = offerodds.retrain(tmp_path / "b.csv", workspace=ws, config=merge_only_config)
    assert report.store_rows_after == 3
    assert sorted(store_of(ws)["outcome"]) == ["no_offer", "offer", "pending"]


def test_a_store_of_the_older_rule_is_migrated_on_first_use(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    rows = "stage,selling,outcome\nfinal,4,offer\nfinal,4,offer\nscreen,2,no_offer\n"
    (tmp_path / "a.csv").write_text(rows, encoding="utf-8")
    offerodds.retrain(tmp_path / "a.csv", workspace=ws, config=merge_only_config)
    path = Workspace.resolve(ws).outcome_store
    stored = pq.read_table(path).to_pandas()
    # what the older rule stored: identical rows merged under an id without occurrence number
    old = stored.drop_duplicates("outcome").copy()
    old["interview_id"] = old["interview_id"].str.rsplit("-", n=1).str[0]
    pq.write_table(pa.Table.from_pandas(old, preserve_index=False), path)

    report = offerodds.retrain(tmp_path / "a.csv", workspace=ws, config=merge_only_config)
    assert report.migrated == 2 and "ids of rows without interview_id renamed" in str(report)
    assert (report.store_rows_before, report.store_rows_after) == (2, 3)  # the merged row is back
    now = pq.read_table(path).to_pandas()  # written back, under the current rule
    assert sorted(now["interview_id"]) == sorted(stored["interview_id"])
    again = offerodds.retrain(tmp_path / "a.csv", workspace=ws, config=merge_only_config)
    assert (again.migrated, again.store_rows_after) == (0, 3)


def test_a_repeated_interview_id_is_counted_and_named(tmp_path, merge_only_config):
    text = (
        "interview_id,stage,selling,outcome\n"
        "a,final,4,offer\na,final,4,no_offer\na,final,4,pending\n"
        "b,first,3,offer\nb,first,3,offer\nc,screen,2,no_offer\n"
    )
    (tmp_path / "dup.csv").write_text(text, encoding="utf-8")
    report = offerodds.retrain(tmp_path / "dup.csv", workspace=tmp_path / "ws", config=merge_only_config)
    assert report.repeated == {str(tmp_path / "dup.csv"): {"a": 3, "b": 2}}
    assert "2 interviews appear more than once in" in str(report)
    assert "a (3 rows), b (2 rows); the last row of each is kept" in str(report)
    assert report.store_rows_after == 3
