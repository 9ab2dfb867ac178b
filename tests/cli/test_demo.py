"""`offerodds demo`, the README's first command: the whole loop in a fresh workspace."""

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from offerodds.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"
SRC = Path(__file__).resolve().parents[2] / "src"

pytestmark = pytest.mark.slow


def test_demo_runs_the_whole_loop(tmp_path, capsys):
    root = tmp_path / "demo"
    assert main(["demo", "--workspace", str(root), "--examples", str(EXAMPLES)]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "promoted as v1" in out
    # the libraries' notices are not shown; offerodds' own warnings are about the data (the
    # synthetic examples leave some minutes unpaired, which the score leaves out and says so)
    warned = [line for line in captured.err.splitlines() if line.startswith("offerodds: warning")]
    assert all("the length cannot be judged" in line for line in warned), warned
    before = pd.read_csv(root / "scored-rules.csv")
    after = pd.read_csv(root / "scored-model.csv")
    assert set(before["scorer"]) == {"rules"} and set(after["scorer"]) == {"model"}
    assert len(before) == len(after) == len(pd.read_csv(EXAMPLES / "interviews.csv"))
    assert "offer probability" in out and "reasons:" in out  # one interview explained
    assert "due 2026-" in out and "Subject: Thank you:" in out  # next steps and a draft
    assert (root / "followup.eml").read_bytes().startswith(b"Subject: Thank you:")
    assert set(after["next_step"].dropna()) and after["next_step_due"].notna().all()
    assert (root / "mlflow.db").exists() and "report.html" in out
    # a second run (a new process, as a person runs it) starts afresh instead of piling on
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "offerodds.cli", "demo", "--workspace", str(root), "--examples", str(EXAMPLES)]
    assert subprocess.run(command, env=env, capture_output=True, check=False).returncode == 0
    assert len(list((root / "models").glob("v*"))) == 1


def test_demo_never_touches_a_folder_it_did_not_make(tmp_path, capsys):
    precious = tmp_path / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    assert main(["demo", "--workspace", str(precious), "--examples", str(EXAMPLES)]) == 1
    assert "fresh workspace" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text() == "keep me"


def test_demo_makes_synthetic_examples_when_the_folder_has_none(tmp_path, capsys):
    root = tmp_path / "demo"
    assert main(["demo", "--workspace", str(root), "--examples", str(tmp_path / "nowhere")]) == 0
    out = capsys.readouterr().out
    assert "generating synthetic ones" in out
    assert (root / "interviews.csv").exists() and (root / "outcomes.csv").exists()


def test_a_marker_never_licenses_deleting_a_users_files(tmp_path, capsys):
    # a folder of the user's with a marker in it (copied, or left by offerodds 0.1, whose demo
    # then deleted the whole folder)
    precious = tmp_path / "mine"
    (precious / "sub").mkdir(parents=True)
    (precious / "notes.txt").write_text("keep me")
    (precious / "sub" / "cv.pdf").write_bytes(b"%PDF keep")
    (precious / ".offerodds-demo").write_text("made by offerodds demo; removed by the next demo run\n")
    assert main(["demo", "--workspace", str(precious), "--examples", str(EXAMPLES)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (precious / "notes.txt").read_text() == "keep me"
    assert (precious / "sub" / "cv.pdf").read_bytes() == b"%PDF keep"


def test_a_demo_rerun_deletes_only_what_the_demo_made(tmp_path, capsys):
    root = tmp_path / "demo"
    assert main(["demo", "--workspace", str(root), "--examples", str(EXAMPLES)]) == 0
    made = sorted(p.relative_to(root) for p in root.rglob("*"))
    # the user adds a file of their own, and edits one the demo made
    (root / "my-notes.txt").write_text("mine")
    (root / "scored-rules.csv").write_text("edited by me")
    capsys.readouterr()
    assert main(["demo", "--workspace", str(root), "--examples", str(EXAMPLES)]) == 1
    err = capsys.readouterr().err
    assert "my-notes.txt" in err and "scored-rules.csv" in err
    assert (root / "my-notes.txt").read_text() == "mine"
    assert (root / "scored-rules.csv").read_text() == "edited by me"
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == sorted([*made, Path("my-notes.txt")])
