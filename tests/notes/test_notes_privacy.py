"""Notes are personal data: they never reach the outcome store, a model, MLflow or a report, and
``forget`` removes the copy ``ask`` keeps."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from offerodds import cli

EXAMPLE_OUTCOMES = Path(__file__).resolve().parents[2] / "data" / "examples" / "outcomes.csv"
SECRET = "QUOKKA-7731"  # a word no file of a workspace would hold by chance


def _traces(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]


@pytest.mark.slow
def test_a_retrain_on_labelled_notes_leaves_no_trace_of_them(tmp_path, capsys):
    """The whole retrain, MLflow tracking on (the packaged defaults): store, model files,
    report, MLflow database and artifacts hold no word of the notes."""
    labelled = pd.read_csv(EXAMPLE_OUTCOMES, dtype=str, keep_default_na=False)
    labelled["notes"] = f"{SECRET}: she was on her phone the whole time and rushed me out after 20 minutes."
    source = tmp_path / "labelled.csv"
    labelled.to_csv(source, index=False)
    ws = tmp_path / "ws"
    assert cli.main(["retrain", str(source), "--workspace", str(ws), "--force"]) == 0
    out = capsys.readouterr()
    assert "promoted" in out.out
    assert SECRET not in out.out + out.err
    assert any(ws.rglob("*.db")) or any(ws.rglob("meta.yaml"))  # MLflow did record the run
    assert _traces(ws) == []


def test_forget_removes_the_notes_ask_kept(tmp_path, capsys, monkeypatch):
    from offerodds.stores.interview_file import append_interview

    ws = tmp_path / "ws"
    ws.mkdir()
    tracker = ws / "interviews.csv"
    interview = append_interview(tracker, {"stage": "final", "notes": f"{SECRET} she showed me round the lab"})
    kept = append_interview(tracker, {"stage": "first", "notes": "another interview"})
    assert _traces(ws) == ["interviews.csv"]
    assert cli.main(["forget", interview, "--workspace", str(ws)]) == 0
    assert _traces(ws) == []
    assert kept in tracker.read_text(encoding="utf-8")
