"""``offerodds monitor`` and ``offerodds.monitor``: the reference it chooses, the exit codes, the
expected offer rate, the self-contained report, MLflow, and a scoring path that never loads it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds import cli
from offerodds.files.workspace import Workspace
from offerodds.monitoring.expected import expected_rate
from offerodds.usecases import profile_table
from offerodds.synthetic import generate

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
OUTCOMES = REPO / "data" / "examples" / "outcomes.csv"
EXAMPLES = REPO / "data" / "examples" / "interviews.csv"
MOVED = "availability_discussed"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)


def write(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, index=False)
    return path


def moved(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    recorded = frame[MOVED].notna().to_numpy()
    frame.loc[recorded, MOVED] = np.where(np.random.default_rng(0).random(int(recorded.sum())) < 0.95, "yes", "no")
    return frame


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("monitor-files")
    batch = generate(120, seed=41)
    return {
        "reference": write(generate(3000, seed=40), folder / "reference.csv"),
        "same": write(batch, folder / "same.csv"),
        "moved": write(moved(batch), folder / "moved.csv"),
    }


def run(tmp_path, *args) -> int:
    return cli.main([*map(str, args), "--workspace", str(tmp_path / "ws")])


# --- the command ------------------------------------------------------------------------------


def test_a_batch_like_the_reference_exits_0_and_writes_the_report_beside_it(tmp_path, files, capsys):
    batch = Path(shutil.copy(files["same"], tmp_path / "same.csv"))
    assert run(tmp_path, "monitor", batch, "--reference", files["reference"]) == 0
    out = capsys.readouterr().out
    assert "nothing moved beyond chance (59 checks" in out
    assert "batch: 120 interviews from" in out and "reference: 3,000 interviews from" in out
    assert "expected offer rate:" in out and "by the rule card" in out
    assert (tmp_path / "same.monitor.html").is_file()


def test_a_moved_signal_exits_3_names_it_in_plain_words_and_reports_it(tmp_path, files, capsys):
    report = tmp_path / "out" / "drift.html"
    assert run(tmp_path, "monitor", files["moved"], "--reference", files["reference"], "--report", report) == 3
    captured = capsys.readouterr()
    assert f"MOVED beyond chance: {MOVED}" in captured.out
    table_line = next(line for line in captured.out.splitlines() if line.strip().startswith("MOVED  "))
    assert MOVED in table_line and "yes in 9" in table_line
    assert "Were you asked about your availability, start date or notice period?" in captured.out
    assert f"moved beyond chance: {MOVED} (exit code 3)" in captured.err
    page = report.read_text(encoding="utf-8")
    assert MOVED in page and "Moved beyond chance" in page


def test_the_report_is_one_self_contained_file_of_aggregates(tmp_path, files, capsys):
    report = tmp_path / "report.html"
    run(tmp_path, "monitor", files["moved"], "--reference", files["reference"], "--report", report)
    page = report.read_text(encoding="utf-8")
    sources = re.findall(r"src='([^']*)'", page) + re.findall(r'src="([^"]*)"', page)
    assert len(sources) >= 3 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<script" not in page and "<link" not in page and "http" not in page
    batch = pd.read_csv(files["moved"], dtype=str)
    assert not [i for i in batch["interview_id"] if i in page]  # no interview reaches the report
    assert not [c for c in batch["company"].unique() if c in page]
    assert list(tmp_path.glob("*.png")) == []  # the charts live inside the page


def test_without_a_champion_an_outcome_store_or_a_reference_it_is_a_clear_error(tmp_path, files, capsys):
    assert run(tmp_path, "monitor", files["same"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "no reference to compare with" in err[0] and "--reference FILE" in err[0]


@pytest.mark.parametrize("problem", ["missing reference", "all rows bad", "report onto the input"])
def test_bad_input_is_one_line_and_exit_1(tmp_path, files, capsys, problem):
    before = files["same"].read_bytes()
    if problem == "missing reference":
        args = [files["same"], "--reference", tmp_path / "nowhere.csv"]
    elif problem == "report onto the input":
        args = [files["same"], "--reference", files["reference"], "--report", files["same"]]
    else:
        bad = tmp_path / "bad.csv"
        bad.write_text("engagement,hurried\n9,maybe\n7,yes\n", encoding="utf-8")
        args = [bad, "--reference", files["reference"]]
    assert run(tmp_path, "monitor", *args) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("offerodds: error:")
    if problem == "all rows bad":
        assert "nothing to monitor" in err[0] and "2 rows, all with problems" in err[0]
    assert files["same"].read_bytes() == before


def test_rows_with_problems_are_left_out_and_counted(tmp_path, files, capsys):
    frame = pd.read_csv(files["same"], dtype=str)
    frame.loc[5, "engagement"] = "9"
    frame.loc[6, "stage"] = "semi-final"
    batch = write(frame, tmp_path / "some-bad.csv")
    assert run(tmp_path, "monitor", batch, "--reference", files["reference"]) == 0
    assert "batch: 118 interviews from" in capsys.readouterr().out
    assert "(2 rows with problems left out)" in open(tmp_path / "some-bad.monitor.html", encoding="utf-8").read()


# --- the reference by default -----------------------------------------------------------------


@pytest.fixture(scope="module")
def champion_workspace(tmp_path_factory, no_tracking_config, merge_only_config) -> Path:
    """v1 learned from outcomes.csv (1,000 outcomes); then 200 more labels arrived (not trained on)."""
    root = tmp_path_factory.mktemp("champion") / "ws"
    assert offerodds.retrain(OUTCOMES, workspace=root, config=no_tracking_config).promoted
    later = write(generate(200, seed=42), root.parent / "later.csv")
    offerodds.retrain(later, workspace=root, config=merge_only_config)
    return root


@pytest.mark.slow
def test_by_default_the_reference_is_what_the_champion_learned_from(champion_workspace, no_tracking_config, tmp_path):
    report = tmp_path / "report.html"
    result = offerodds.monitor(EXAMPLES, workspace=champion_workspace, config=no_tracking_config, report=report)
    assert result.reference_kind == "champion" and result.reference.rows == 1000
    assert result.reference_label == "the 1,000 interviews champion v1 learned from"
    assert result.expected.scorer == "model v1" and result.expected.model_variance > 0
    assert len(result.calibration) == 2  # the rule card on outcomes.csv, v1 on the later labels
    assert result.per_retrain()["scorer"].tolist() == ["the rule card", "model v1"]
    assert not result.moved  # the example interviews come from the same world
    page = report.read_text(encoding="utf-8")
    assert "Per calendar month of labelling" in page and "alt='reliability over time'" in page


def test_without_a_champion_the_reference_is_the_outcome_store(tmp_path, files, merge_only_config):
    root = tmp_path / "ws"
    offerodds.retrain(files["same"], workspace=root, config=merge_only_config)
    result = offerodds.monitor(files["moved"], workspace=root, config=merge_only_config)
    assert result.reference_kind == "outcome store" and result.reference.rows == 120
    assert result.moved_signals[0] == MOVED


# --- the expected offer rate ------------------------------------------------------------------


def test_the_expected_offer_rate_range_covers_the_offers_as_often_as_it_says():
    card = offerodds.rules()
    rng = np.random.default_rng(7)
    covered = []
    for i in range(100):
        profile = profile_table(generate(60, seed=900 + i), card)
        rate = expected_rate(profile, card)
        assert rate.offers == pytest.approx(profile.probabilities.sum())
        offers = (rng.random((5, profile.rows)) < profile.probabilities).mean(axis=1)  # outcomes as the card says
        covered += list((rate.low <= offers) & (offers <= rate.high))
    assert 0.85 <= np.mean(covered) <= 0.95


@pytest.mark.slow
def test_the_model_is_less_sure_of_the_rate_after_fewer_outcomes():
    batch = generate(500, seed=60)
    few, many = (offerodds.fit(generate(n, seed=61)) for n in (150, 5000))
    widths = [expected_rate(profile_table(batch, m), m).model_half_width for m in (few, many)]
    assert widths[0] > 2 * widths[1] > 0


def test_the_api_returns_what_a_notebook_needs(files):
    result = offerodds.monitor(pd.read_csv(files["moved"]), reference=files["reference"])
    assert result.moved and result.moved_signals[0] == MOVED
    assert result.batch_label.endswith("from the data given")
    assert set(result.checks.columns) >= {"signal", "check", "batch", "reference", "p", "p_adjusted", "moved"}
    assert result.metrics()[f"{MOVED}.values.p_adjusted"] < 0.05
    assert "MOVED beyond chance" in str(result) and result.report_path is None and result.run_id is None


def test_chunks_do_not_change_the_answer(tmp_path, files, capsys):
    assert run(tmp_path, "monitor", files["moved"], "--reference", files["reference"], "--chunk-rows", "17") == 3
    chunked = capsys.readouterr().out
    assert run(tmp_path, "monitor", files["moved"], "--reference", files["reference"]) == 3
    assert capsys.readouterr().out == chunked


# --- MLflow -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_when_the_workspace_tracks_the_figures_and_report_go_to_mlflow(mlflow_workspace, files):
    result = offerodds.monitor(files["moved"], workspace=mlflow_workspace)
    assert result.run_id
    from offerodds.tracking._session import connect

    client = connect(Workspace.resolve(mlflow_workspace)).MlflowClient()
    run = client.get_run(result.run_id)
    assert client.get_experiment(run.info.experiment_id).name == "offerodds-monitor"
    metrics = run.data.metrics
    assert metrics["moved"] >= 1 and metrics[f"{MOVED}.values.p_adjusted"] < 0.05
    assert metrics["batch.interviews"] == 120 and metrics["reference.interviews"] == 1000
    assert 0 < metrics["expected_offer_rate.low"] < metrics["expected_offer_rate"] < metrics["expected_offer_rate.high"]
    assert run.data.tags["offerodds.moved"].startswith(MOVED)
    artifacts = [a.path for a in client.list_artifacts(result.run_id, "report")]
    assert artifacts == ["report/monitor.html"]
    logged = Path(client.download_artifacts(result.run_id, "report/monitor.html")).read_text(encoding="utf-8")
    assert "data:image/png;base64," in logged
    ids = pd.read_csv(files["moved"], dtype=str)["interview_id"]
    assert not [i for i in ids if i in logged or any(i in k for k in metrics)]


# --- the scoring path never loads the monitor -------------------------------------------------


def test_scoring_never_imports_the_monitor_or_scipy_stats(tmp_path):
    code = f"""
        import sys
        import offerodds
        from offerodds.cli import main
        offerodds.score({str(EXAMPLES)!r})
        assert main(["score", {str(EXAMPLES)!r}, "-o", "out.csv", "--quiet"]) == 0
        assert main(["status"]) == 0
        loaded = [m for m in sys.modules if m.startswith(("scipy.stats", "offerodds.monitoring.drift"))]
        assert not loaded, loaded
        print("clean")
        """
    env = {**os.environ, "OFFERODDS_WORKSPACE": str(tmp_path / "ws"), "MLFLOW_DISABLE_TELEMETRY": "true"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "clean" in done.stdout


@pytest.mark.slow
def test_when_mlflow_fails_the_checks_stand_with_a_one_line_warning(tmp_path, files, capsys, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{blocker / 'mlflow.db'}")  # cannot be created
    assert run(tmp_path, "monitor", files["moved"], "--reference", files["reference"]) == 3
    err = capsys.readouterr().err.splitlines()
    warning = [line for line in err if "not logged to MLflow" in line]
    assert len(warning) == 1 and warning[0].startswith("offerodds: warning: the monitor run was not logged to MLflow: ")
    assert not [line for line in err if "Traceback" in line or line.startswith(" ")]
