"""``offerodds forget ID ... [--retrain]``: interviews removed from the workspace for good."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from offerodds import cli
from offerodds.usecases import forget
from offerodds.files.workspace import Workspace

EXAMPLE_OUTCOMES = Path(__file__).resolve().parents[2] / "data" / "examples" / "outcomes.csv"

FORGOTTEN = ["FORGET-ME-0001", "FORGET-ME-0002", '=HYPERLINK("FORGET-ME-0003")']
REJECTED = "FORGET-ME-BAD-0004"


def _labelled(path, base_rows: int = 0):
    """Labelled interviews: the forgotten ones (one rejected), and others that stay."""
    rows = [
        {"interview_id": FORGOTTEN[0], "engagement": "5", "selling": "5", "stage": "final", "outcome": "offer"},
        {"interview_id": FORGOTTEN[1], "engagement": "1", "hurried": "yes", "stage": "screen", "outcome": "no_offer"},
        {"interview_id": FORGOTTEN[2], "engagement": "4", "stage": "first", "outcome": "offer"},
        {"interview_id": REJECTED, "engagement": "9", "stage": "first", "outcome": "offer"},
        {"interview_id": "stays-1", "engagement": "3", "stage": "first", "outcome": "no_offer"},
        {"interview_id": "stays-2", "engagement": "7", "stage": "first", "outcome": "offer"},  # rejected, stays
    ]
    pd.DataFrame(rows).to_csv(path, index=False, quoting=csv.QUOTE_ALL)
    return path


def _traces(root, ids) -> list[str]:
    """Every file under ``root`` that still holds one of ``ids`` (as UTF-8 bytes)."""
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.relative_to(root)}: {i}" for i in ids if i.encode() in data]
    return found


@pytest.mark.slow
def test_forget_leaves_no_trace_of_the_ids_in_the_workspace(mlflow_workspace, tmp_path, capsys):
    ws = Workspace.resolve(mlflow_workspace)
    labelled = _labelled(tmp_path / "labelled.csv")
    # tracked retrain with MLflow (the packaged defaults), forced: v2 is trained with them
    assert cli.main(["retrain", str(labelled), "--workspace", str(ws.root), "--force"]) == 0
    ids = [*FORGOTTEN, REJECTED]
    assert _traces(ws.root, ids)  # they are in the store and the rejects file
    # a report listing interviews (as a monitoring report might), and a killed run's leftover
    (ws.reports_dir / "monitor").mkdir()
    pd.DataFrame({"interview_id": [FORGOTTEN[0], "stays-1"], "drift": [0.1, 0.2]}).to_csv(
        ws.reports_dir / "monitor" / "rows.csv", index=False
    )
    shutil.copy(ws.outcome_store, ws.labelled_dir / ".outcomes.parquet.k3j4h5g6.parquet")
    # the interview file ``offerodds ask`` keeps in the workspace, in a layout of its own
    tracker = "\ufeffinterview_id;engagement;notes\r\nstays-1;3;x\r\nFORGET-ME-0001;5;\"a;b\"\r\n"
    ws.tracker.write_bytes(tracker.encode("utf-8"))
    store_before = pd.read_parquet(ws.outcome_store)
    capsys.readouterr()

    assert cli.main(["forget", *ids, "--workspace", str(ws.root)]) == 0
    out = capsys.readouterr().out
    assert _traces(ws.root, ids) == []
    assert "forgot 4 interviews" in out
    assert "keep what they learned until the next retrain: v2" in out
    store = pd.read_parquet(ws.outcome_store)
    assert len(store) == len(store_before) - 3 and "stays-1" in set(store["interview_id"])
    kept = store_before[~store_before["interview_id"].isin(FORGOTTEN)].reset_index(drop=True)
    pd.testing.assert_frame_equal(store.reset_index(drop=True), kept)  # the others, untouched
    rejects = pd.read_csv(ws.retrain_rejects, dtype=str)
    assert rejects["interview_id"].tolist() == ["stays-2"]
    assert pd.read_csv(ws.reports_dir / "monitor" / "rows.csv")["interview_id"].tolist() == ["stays-1"]
    assert ws.tracker.read_bytes() == "\ufeffinterview_id;engagement;notes\r\nstays-1;3;x\r\n".encode()


@pytest.mark.slow
def test_forget_with_retrain_fits_without_them(tmp_path, capsys, no_tracking_config):
    ws = tmp_path / "ws"
    assert cli.main(["retrain", str(EXAMPLE_OUTCOMES), "--workspace", str(ws), "--config", str(no_tracking_config)]) == 0
    labelled = _labelled(tmp_path / "labelled.csv")
    assert cli.main(["retrain", str(labelled), "--workspace", str(ws), "--config", str(no_tracking_config), "--force"]) == 0
    capsys.readouterr()
    code = cli.main(["forget", FORGOTTEN[0], "--retrain", "--workspace", str(ws), "--config", str(no_tracking_config)])
    assert code == 0
    out = capsys.readouterr().out
    assert "forgot 1 interview in" in out and "decision:" in out  # the retrain ran
    if "promoted as v3" in out:
        assert "v3 was trained without the forgotten interviews" in out
        assert "the stored versions v2 still hold what they learned" in out
    else:
        assert "the champion v2 was trained with them and still serves" in out


def test_forget_an_id_that_is_not_there_changes_nothing(tmp_path, capsys, merge_only_config):
    ws = Workspace.resolve(tmp_path / "ws")
    labelled = _labelled(tmp_path / "labelled.csv")
    assert cli.main(["retrain", str(labelled), "--workspace", str(ws.root), "--config", str(merge_only_config)]) == 0
    before = {p: p.read_bytes() for p in ws.root.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert cli.main(["forget", "nobody", "--workspace", str(ws.root)]) == 0
    out = capsys.readouterr().out
    assert "not in the workspace" in out and "nobody" in out and "forgot" not in out
    assert {p: p.read_bytes() for p in ws.root.rglob("*") if p.is_file()} == before


def test_forget_finds_ids_with_spaces_and_as_a_rejects_file_shows_them(tmp_path, merge_only_config):
    ws = Workspace.resolve(tmp_path / "ws")
    labelled = _labelled(tmp_path / "labelled.csv")
    cli.main(["retrain", str(labelled), "--workspace", str(ws.root), "--config", str(merge_only_config)])
    assert "'" + "=HYPERLINK" in ws.retrain_rejects.read_text() or REJECTED in ws.retrain_rejects.read_text()
    done = forget(ws, [f"  {FORGOTTEN[2]} ", REJECTED])
    assert done.not_found == [] and done.store_rows == 1
    assert done.files == {ws.retrain_rejects: 1}
    assert REJECTED not in ws.retrain_rejects.read_text()
