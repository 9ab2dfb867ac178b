"""The outcome store (DESIGN.md, "Outcome labels and the outcome store"), through the path a
user takes: ``offerodds.retrain(labelled, workspace=...)``.

Most tests use a configuration whose class minimum no store reaches, so retrain merges the
labels into the store and stops before fitting anything (fast, and no MLflow).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.stores import outcomes as outcomes_module
from offerodds.stores.outcomes import OutcomeStore
from offerodds.synthetic import generate
from offerodds.files.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_OUTCOMES = REPO / "data" / "examples" / "outcomes.csv"
CONTENT_ID = r"^h-[0-9a-f]{16}-[1-9][0-9]*$"


def store_of(root) -> pd.DataFrame:
    return OutcomeStore(Workspace.resolve(root)).read()


def write_csv(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def outcome_of(store: pd.DataFrame, interview_id: str):
    row = store[store["interview_id"] == interview_id]
    assert len(row) == 1, f"{interview_id} is stored {len(row)} times"
    value = row["outcome"].iloc[0]
    return None if pd.isna(value) else value


# --- dedupe and latest label ------------------------------------------------------------------


def test_merging_the_same_file_twice_leaves_the_row_count_unchanged(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    first = offerodds.retrain(EXAMPLE_OUTCOMES, workspace=ws, config=merge_only_config)
    stored = store_of(ws)
    assert (first.store_rows_before, first.store_rows_after) == (0, 1000)
    assert len(stored) == 1000 and stored["interview_id"].is_unique

    second = offerodds.retrain(EXAMPLE_OUTCOMES, workspace=ws, config=merge_only_config)
    again = store_of(ws)
    assert (second.store_rows_before, second.store_rows_after) == (1000, 1000)
    assert again["interview_id"].tolist() == stored["interview_id"].tolist()
    assert again["outcome"].tolist() == stored["outcome"].tolist()
    assert second.label_counts == first.label_counts == {"offer": 295, "no_offer": 705}


def test_the_label_ingested_last_wins(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    header = "interview_id,engagement,stage,outcome\n"
    a = write_csv(tmp_path / "a.csv", header + "x1,4,final,offer\nx2,2,screen,no_offer\n")
    b = write_csv(tmp_path / "b.csv", header + "x1,4,final,no_offer\nx3,3,first,offer\n")
    offerodds.retrain(a, workspace=ws, config=merge_only_config)
    offerodds.retrain(b, workspace=ws, config=merge_only_config)
    store = store_of(ws)
    assert sorted(store["interview_id"]) == ["x1", "x2", "x3"]
    assert outcome_of(store, "x1") == "no_offer"
    assert outcome_of(store, "x2") == "no_offer"
    assert outcome_of(store, "x3") == "offer"

    offerodds.retrain(a, workspace=ws, config=merge_only_config)  # and back again
    assert outcome_of(store_of(ws), "x1") == "offer"


def test_within_one_file_the_last_row_of_an_interview_wins(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    path = write_csv(
        tmp_path / "dupes.csv",
        """
        interview_id,engagement,outcome
        d1,2,pending
        d1,3,no_offer
        d1,5,offer
        """,
    )
    report = offerodds.retrain(path, workspace=ws, config=merge_only_config)
    store = store_of(ws)
    assert report.store_rows_after == 1
    assert outcome_of(store, "d1") == "offer"
    assert float(store["engagement"].iloc[0]) == 5.0


def test_an_empty_outcome_never_erases_a_stored_one(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    header = "interview_id,engagement,stage,outcome\n"
    labelled = write_csv(tmp_path / "labelled.csv", header + "e1,4,final,offer\ne2,2,first,withdrawn\n")
    unlabelled = write_csv(tmp_path / "later.csv", header + "e1,5,final,\ne2,2,first,   \ne3,3,screen,\n")
    offerodds.retrain(labelled, workspace=ws, config=merge_only_config)
    report = offerodds.retrain(unlabelled, workspace=ws, config=merge_only_config)
    store = store_of(ws)
    assert report.rows_rejected == 0
    assert outcome_of(store, "e1") == "offer"
    assert outcome_of(store, "e2") == "withdrawn"
    assert outcome_of(store, "e3") is None  # kept, with no label yet
    # the row itself is the latest one (only the outcome is sticky)
    assert float(store.loc[store["interview_id"] == "e1", "engagement"].iloc[0]) == 5.0


def test_outcome_spelling_is_normalised(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    path = write_csv(
        tmp_path / "spelling.csv",
        """
        interview_id,engagement,outcome
        s1,4, OFFER
        s2,2,No Offer
        s3,3,no-offer
        s4,3,Withdrawn
        """,
    )
    report = offerodds.retrain(path, workspace=ws, config=merge_only_config)
    store = store_of(ws)
    assert report.rows_rejected == 0
    got = [outcome_of(store, i) for i in ("s1", "s2", "s3", "s4")]
    assert got == ["offer", "no_offer", "no_offer", "withdrawn"]


# --- content ids for rows without interview_id --------------------------------------------------

NO_ID = """
eye_contact,hurried,engagement,stage,interview_date,outcome
4,yes,3,final,2026-03-01,offer
4,yes,3,final,2026-03-02,offer
4,no,3,final,2026-03-01,no_offer
2,,5,screen,2026-04-10,pending
"""


def test_rows_without_interview_id_get_content_ids(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    path = write_csv(tmp_path / "no-id.csv", NO_ID)
    report = offerodds.retrain(path, workspace=ws, config=merge_only_config)
    ids = store_of(ws)["interview_id"]
    assert report.store_rows_after == 4
    assert ids.str.fullmatch(CONTENT_ID).all(), ids.tolist()
    # a different date or a different signal value is a different interview
    assert ids.is_unique


def test_content_id_ignores_the_outcome_and_the_spelling_of_the_same_values(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    a = write_csv(
        tmp_path / "a.csv",
        """
        Eye Contact,hurried,engagement,stage,interview_date,outcome
        4,yes,3,final,2026-03-01,offer
        """,
    )
    b = write_csv(
        tmp_path / "b.csv",
        """
        eye_contact,hurried,engagement,stage,interview_date,outcome,company
        4.0,Y,3,Final,2026-03-01,no_offer,Acme
        """,
    )
    offerodds.retrain(a, workspace=ws, config=merge_only_config)
    first = store_of(ws)["interview_id"].tolist()
    report = offerodds.retrain(b, workspace=ws, config=merge_only_config)
    store = store_of(ws)
    assert report.store_rows_after == 1
    assert store["interview_id"].tolist() == first
    assert outcome_of(store, first[0]) == "no_offer"  # relabelled, not duplicated


def test_content_ids_are_stable_across_runs(tmp_path, merge_only_config):
    """The same file gives the same ids in another Python process (no per-run hash seed)."""
    path = write_csv(tmp_path / "no-id.csv", NO_ID)
    offerodds.retrain(path, workspace=tmp_path / "here", config=merge_only_config)
    code = (
        "import sys, offerodds\n"
        "offerodds.retrain(sys.argv[1], workspace=sys.argv[2], config=sys.argv[3])\n"
    )
    path_entries = [str(REPO / "src"), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in path_entries if p)}
    env["PYTHONHASHSEED"] = "12345"  # a different str-hash seed than this process
    subprocess.run(
        [sys.executable, "-c", code, str(path), str(tmp_path / "there"), str(merge_only_config)],
        check=True,
        env=env,
        timeout=300,
    )
    here, there = store_of(tmp_path / "here"), store_of(tmp_path / "there")
    assert here["interview_id"].tolist() == there["interview_id"].tolist()


# --- which labels train -------------------------------------------------------------------------


def test_withdrawn_and_pending_are_kept_but_not_trained_on(tmp_path, no_tracking_config):
    frame = generate(160, seed=31)
    rng = np.random.default_rng(31)
    kept = rng.choice(len(frame), size=20, replace=False)
    frame.loc[kept[:12], "outcome"] = "withdrawn"
    frame.loc[kept[12:], "outcome"] = "pending"
    path = tmp_path / "labelled.csv"
    frame.to_csv(path, index=False)
    expected = frame["outcome"].value_counts().to_dict()

    report = offerodds.retrain(path, workspace=tmp_path / "ws", config=no_tracking_config)
    store = store_of(tmp_path / "ws")
    assert len(store) == 160
    assert store["outcome"].value_counts().to_dict() == expected
    assert report.label_counts == {"offer": expected["offer"], "no_offer": expected["no_offer"]}
    assert report.candidate is not None, str(report)
    info = report.candidate.fit_summary
    assert (info.n_offers, info.n_no_offers) == (expected["offer"], expected["no_offer"])


def test_too_few_labels_of_a_class_count_only_offers_and_no_offers(tmp_path, no_tracking_config):
    rows = ["interview_id,engagement,outcome"]
    rows += [f"o{i},5,offer" for i in range(4)] + [f"n{i},1,no_offer" for i in range(10)]
    rows += [f"w{i},3,withdrawn" for i in range(10)]  # withdrawn do not make up for missing offers
    path = write_csv(tmp_path / "few.csv", "\n".join(rows) + "\n")
    report = offerodds.retrain(path, workspace=tmp_path / "ws", config=no_tracking_config)
    assert report.label_counts == {"offer": 4, "no_offer": 10}
    assert report.decision == "not trained"
    assert report.store_rows_after == 24


def test_invalid_outcomes_are_rejected_rows_with_a_reason(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    path = write_csv(
        tmp_path / "bad.csv",
        """
        interview_id,engagement,outcome
        ok1,4,offer
        bad1,3,maybe
        ok2,2,no_offer
        """,
    )
    report = offerodds.retrain(path, workspace=ws, config=merge_only_config)
    assert (report.rows_read, report.rows_rejected) == (3, 1)
    problem = report.rejects[report.rejects["column"] == "outcome"]
    assert len(problem) == 1
    line = problem.iloc[0]
    assert (int(line["row"]), line["interview_id"], line["value"]) == (2, "bad1", "maybe")
    for word in ("offer", "no_offer", "withdrawn", "pending"):
        assert word in line["reason"]
    assert sorted(store_of(ws)["interview_id"]) == ["ok1", "ok2"]


# --- the store file -----------------------------------------------------------------------------


def test_the_store_file_is_replaced_atomically(tmp_path, merge_only_config, monkeypatch):
    ws = Workspace.resolve(tmp_path / "ws")
    renames = []
    real_replace = os.replace

    def spy(src, dst, *args, **kwargs):
        renames.append((Path(src), Path(dst)))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", spy)
    offerodds.retrain(EXAMPLE_OUTCOMES, workspace=ws.root, config=merge_only_config)
    offerodds.retrain(EXAMPLE_OUTCOMES, workspace=ws.root, config=merge_only_config)
    into_store = [(s, d) for s, d in renames if d == ws.outcome_store]
    assert len(into_store) == 2, renames
    assert all(s.parent == ws.outcome_store.parent and s != d for s, d in into_store)
    assert sorted(p.name for p in ws.labelled_dir.iterdir()) == ["outcomes.parquet"]


def test_a_failed_store_write_keeps_the_old_store_and_leaves_no_temp_file(
    tmp_path, merge_only_config, monkeypatch
):
    ws = Workspace.resolve(tmp_path / "ws")
    header = "interview_id,engagement,outcome\n"
    a = write_csv(tmp_path / "a.csv", header + "a1,4,offer\n")
    offerodds.retrain(a, workspace=ws.root, config=merge_only_config)
    before = ws.outcome_store.read_bytes()

    def broken_write(table, where, *args, **kwargs):
        Path(where).write_bytes(b"PAR1 half a file")
        raise OSError("disk full")

    b = write_csv(tmp_path / "b.csv", header + "a1,4,no_offer\n")
    with monkeypatch.context() as patched:
        patched.setattr(outcomes_module.pq, "write_table", broken_write)
        with pytest.raises(OSError, match="disk full"):
            offerodds.retrain(b, workspace=ws.root, config=merge_only_config)
    assert ws.outcome_store.read_bytes() == before
    assert outcome_of(store_of(ws.root), "a1") == "offer"
    assert sorted(p.name for p in ws.labelled_dir.iterdir()) == ["outcomes.parquet"]


def test_labelled_at_is_when_the_current_label_was_first_given(tmp_path, merge_only_config):
    ws = tmp_path / "ws"
    header = "interview_id,engagement,outcome\n"
    a = write_csv(tmp_path / "a.csv", header + "x1,4,offer\nx2,2,no_offer\nx3,3,\n")
    b = write_csv(tmp_path / "b.csv", header + "x1,4,no_offer\nx2,2,no_offer\nx3,3,offer\n")

    offerodds.retrain(a, workspace=ws, config=merge_only_config)
    first = store_of(ws).set_index("interview_id")
    t_a = first.loc["x1", "ingested_at"]
    assert first.loc["x1", "labelled_at"] == t_a
    assert first.loc["x2", "labelled_at"] == t_a
    assert pd.isna(first.loc["x3", "labelled_at"])  # no label yet

    offerodds.retrain(a, workspace=ws, config=merge_only_config)  # the same labels again
    again = store_of(ws).set_index("interview_id")
    assert again["labelled_at"].equals(first["labelled_at"])

    offerodds.retrain(b, workspace=ws, config=merge_only_config)
    later = store_of(ws).set_index("interview_id")
    t_b = later.loc["x1", "ingested_at"]
    assert t_b > t_a
    assert later.loc["x1", "labelled_at"] == t_b  # relabelled: offer -> no_offer
    assert later.loc["x2", "labelled_at"] == t_a  # the same label: it keeps its time
    assert later.loc["x3", "labelled_at"] == t_b  # labelled for the first time
