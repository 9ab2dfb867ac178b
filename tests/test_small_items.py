"""The smaller holes an attack on a copy found, each closed: a full disk names the file, an
MLflow run left RUNNING by a dead retrain is closed, an empty report folder of a killed retrain
goes, ask refuses a read-only workspace before asking, nested columns reach CSV as JSON text, a
pipe is not called empty, a damaged outcome store is refused naming the store."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import offerodds
from offerodds import cli
from offerodds.errors import OfferoddsError, StoreError
from offerodds.files.atomic import AtomicFile
from offerodds.files.workspace import Workspace
from offerodds.stores.outcomes import OutcomeStore

from tests.conftest import as_an_ordinary_user, offerodds_env, run_offerodds


def test_a_full_disk_names_the_file(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(OSError) as caught:
        with AtomicFile(target):
            raise OSError(errno.ENOSPC, "No space left on device")
    assert str(target) in str(caught.value) and "No space left" in str(caught.value)
    assert isinstance(caught.value, OfferoddsError) and list(tmp_path.iterdir()) == []


def test_an_empty_report_folder_of_a_killed_retrain_goes_with_the_next_run(tmp_path, capsys):
    ws = Workspace.resolve(tmp_path)
    empty = ws.reports_dir / "retrain-20260302T101500Z"
    kept = ws.reports_dir / "retrain-20260301T101500Z"
    empty.mkdir(parents=True)
    kept.mkdir()
    (kept / "report.html").write_text("<p>a report</p>", encoding="utf-8")
    (tmp_path / "interviews.csv").write_text("interview_id,stage\na,final\n", encoding="utf-8")
    assert cli.main(["forget", "a", "--workspace", str(tmp_path)]) == 0
    assert not empty.exists() and (kept / "report.html").is_file()


def test_ask_refuses_a_read_only_workspace_before_the_first_question(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    ws.chmod(0o555)
    try:
        code, out, err = run_offerodds("ask", "--rules", "--workspace", ws, preexec_fn=as_an_ordinary_user(),
                                       timeout=120)
    finally:
        ws.chmod(0o755)
    assert code == 1 and "cannot be written" in err and "nothing was asked" in err, (out, err)
    assert "When was the interview" not in out  # not one question asked
    assert list(ws.iterdir()) == []


def test_a_nested_parquet_column_passes_through_to_csv_as_json(tmp_path):
    table = pa.table({"interview_id": ["a", "b"], "stage": ["final", "first"],
                      "tags": pa.array([[1, 2], None], pa.list_(pa.int64())),
                      "meta": pa.array([{"x": "=1"}, {"x": None}])})
    pq.write_table(table, tmp_path / "in.parquet")
    assert cli.main(["score", str(tmp_path / "in.parquet"), "--rules", "--workspace", str(tmp_path),
                     "-o", str(tmp_path / "out.csv")]) == 0
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert out["tags"].tolist() == ["[1, 2]", ""] and out["meta"].tolist() == ['{"x": "=1"}', '{"x": null}']
    assert cli.main(["score", str(tmp_path / "in.parquet"), "--rules", "--workspace", str(tmp_path),
                     "-o", str(tmp_path / "out.parquet")]) == 0
    assert pq.read_schema(tmp_path / "out.parquet").field("tags").type == pa.list_(pa.int64())  # kept nested


def test_a_pipe_is_named_as_such_not_called_empty(tmp_path, capsys):
    fifo = tmp_path / "in.csv"
    os.mkfifo(fifo)
    assert cli.main(["score", str(fifo), "--rules", "--workspace", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "is a pipe, not a regular file" in err and "empty" not in err
    assert cli.main(["validate", "/dev/null"]) == 1
    assert "is a device" in capsys.readouterr().err


def _store_with(ws, change) -> None:
    (ws.root / "l.csv").write_text("interview_id,engagement,outcome\na,4,offer\nb,2,no_offer\n", encoding="utf-8")
    frame = pq.read_table(ws.outcome_store).to_pandas() if ws.outcome_store.exists() else None
    if frame is None:
        config = ws.root / "m.toml"
        config.write_text("[fit]\nmin_outcomes_per_class = 1000000\n[tracking]\nenabled = false\n", encoding="utf-8")
        offerodds.retrain(ws.root / "l.csv", workspace=ws.root, config=config)
        frame = pq.read_table(ws.outcome_store).to_pandas()
    pq.write_table(pa.Table.from_pandas(change(frame), preserve_index=False), ws.outcome_store)


@pytest.mark.parametrize(
    "change, named",
    [
        (lambda f: f.assign(engagement=[99.0, 2.0]), "row 1, engagement = '99'"),
        (lambda f: f.drop(columns=["selling"]), "lacks the column(s) selling"),
        (lambda f: f.assign(outcome=["hired", "offer"]), "row 1, outcome = 'hired'"),
        (lambda f: f.assign(interview_id=["a", "a"]), "row 2 has an empty or repeated interview_id"),
    ],
)
def test_a_damaged_outcome_store_is_refused_naming_it(tmp_path, capsys, change, named):
    ws = Workspace.resolve(tmp_path)
    _store_with(ws, change)
    with pytest.raises(StoreError, match="outcome store"):
        OutcomeStore(ws).read()
    capsys.readouterr()
    assert cli.main(["retrain", "--workspace", str(tmp_path), "--config", str(tmp_path / "m.toml")]) == 1
    err = capsys.readouterr().err
    assert str(ws.outcome_store) in err and named in err, err
    assert cli.main(["monitor", str(tmp_path / "l.csv"), "--workspace", str(tmp_path)]) == 1
    assert str(ws.outcome_store) in capsys.readouterr().err


@pytest.mark.slow
def test_a_run_left_running_by_a_dead_retrain_is_closed_by_the_next(mlflow_workspace):
    code = (
        "import os, sys, mlflow\n"
        "mlflow.set_tracking_uri(sys.argv[1])\n"
        "mlflow.set_experiment('offerodds')\n"
        "run = mlflow.start_run()\n"
        "print(run.info.run_id, flush=True)\n"
        "os._exit(0)\n"  # dies without ending its run
    )
    uri = Workspace.resolve(mlflow_workspace).default_tracking_uri
    left = subprocess.run([sys.executable, "-c", code, uri], capture_output=True, text=True,
                          env=offerodds_env(), timeout=300, check=True).stdout.strip()
    code_, out, err = run_offerodds("retrain", "--workspace", mlflow_workspace)
    assert code_ == 0, err
    import mlflow

    mlflow.set_tracking_uri(uri)
    try:
        assert mlflow.tracking.MlflowClient().get_run(left).info.status == "KILLED"
    finally:
        mlflow.set_tracking_uri(None)


def test_a_line_break_in_a_cell_does_not_break_the_drafts_subject(tmp_path, capsys):
    source = tmp_path / "in.csv"
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv_writer = __import__("csv").writer(handle)
        csv_writer.writerow(["interview_id", "stage", "selling", "role", "company"])
        csv_writer.writerow(["a", "final", "4", "Data\r\nAnalyst", "Acme\x1b[2J"])
    draft = tmp_path / "draft.eml"
    assert cli.main(["followup", str(source), "--id", "a", "--rules", "--as-of", "2026-03-01",
                     "-o", str(draft), "--workspace", str(tmp_path)]) == 0
    head = draft.read_bytes().split(b"\n\n", 1)[0]
    assert b"Subject: Thank you: Data Analyst interview" in head
    assert all(line.split(b":")[0] in (b"Subject", b"X-Unsent", b"Content-Type", b"Content-Transfer-Encoding",
                                       b"MIME-Version") for line in head.splitlines())
