"""An exact forget: the rows it keeps are byte-identical in every table it rewrites, ids are
found under every header the reader accepts, and the retrain's rejects file is written under the
workspace lock, so a forget never runs between the retrain and that file."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import offerodds
from offerodds import cli
from offerodds.stores.modelstore import ModelStore, StoreError
from offerodds.files.workspace import Workspace


def forget(ws, *ids, capsys=None) -> str:
    assert cli.main(["forget", *ids, "--workspace", str(ws)]) == 0
    return capsys.readouterr().out if capsys else ""


KEPT = [
    b'keep-1,@home,+44 20 7946 0000,=1+1\r\n',
    b'"keep-2","quoted ""as written""","a cell\r\nover two lines",  -3 \r\n',
    b"keep-3,\t tab,'=already,caf\xc3\xa9\r\n",
]


@pytest.mark.parametrize("header", ["interview_id", "Interview ID", " interview-id ", "INTERVIEW_ID"])
def test_kept_rows_stay_byte_identical_under_any_id_header(tmp_path, header, capsys):
    ws = tmp_path / "ws"
    (ws / "reports").mkdir(parents=True)
    head = f"{header},where,phone,note\r\n".encode()
    gone = b"gone,x,y,z\r\n"
    body = b"\xef\xbb\xbf" + head + KEPT[0] + gone + KEPT[1] + b"'=bad,shown formula-safe,,\r\n" + KEPT[2]
    table = ws / "reports" / "scored.csv"
    table.write_bytes(body)
    tracker = ws / "interviews.csv"
    tracker.write_bytes(head + gone + KEPT[0] + KEPT[2])
    said = forget(ws, "gone", "=bad", capsys=capsys)
    assert table.read_bytes() == b"\xef\xbb\xbf" + head + KEPT[0] + KEPT[1] + KEPT[2]
    assert tracker.read_bytes() == head + KEPT[0] + KEPT[2]
    assert "forgot 2 interviews in" in said and "2 rows from reports/scored.csv" in said
    assert "1 row from interviews.csv" in said and "0 from" not in said


def test_a_parquet_table_keeps_its_other_rows_and_types(tmp_path, capsys):
    ws = tmp_path / "ws"
    (ws / "reports").mkdir(parents=True)
    table = pa.table({"Interview ID": ["a", "b", "c"], "score": [0.1, 0.2, 0.3], "note": ["@x", None, "+1 2"]})
    path = ws / "reports" / "scored.parquet"
    pq.write_table(table, path)
    forget(ws, "b", capsys=capsys)
    assert pq.read_table(path).equals(table.take([0, 2]))


def test_forget_with_an_empty_id_is_an_error_and_changes_nothing(tmp_path, capsys):
    (tmp_path / "interviews.csv").write_text("interview_id,stage\na,final\n", encoding="utf-8")
    assert cli.main(["forget", "", "--workspace", str(tmp_path)]) == 1
    assert "empty interview id" in capsys.readouterr().err
    assert (tmp_path / "interviews.csv").read_text(encoding="utf-8") == "interview_id,stage\na,final\n"


def test_the_retrains_rejects_file_is_written_under_the_lock(tmp_path, merge_only_config, monkeypatch):
    import offerodds.usecases._retrain as pipeline

    labelled = tmp_path / "labelled.csv"
    labelled.write_text("interview_id,engagement,outcome\nbad-one,9,offer\nok,4,offer\n", encoding="utf-8")
    ws = Workspace.resolve(tmp_path / "ws")
    seen = {}
    real = pipeline.training_set

    def while_locked(store):
        seen["rejects"] = ws.retrain_rejects.read_text(encoding="utf-8")
        with pytest.raises(StoreError):  # a forget now would wait: the lock is still held
            with ModelStore(ws).lock("forget", wait=0):
                pass  # pragma: no cover
        return real(store)

    monkeypatch.setattr(pipeline, "training_set", while_locked)
    offerodds.retrain(labelled, workspace=ws.root, config=merge_only_config)
    assert "bad-one" in seen["rejects"]
