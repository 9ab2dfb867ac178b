"""Calibration over time: every retrain's prospective check kept as aggregates
(offerodds.stores.calibration_log), pooled per retrain and per calendar month of labelling
(offerodds.monitoring.over_time), and shown by ``offerodds status``."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import brier_score_loss, log_loss

import offerodds
from offerodds import cli
from offerodds.evaluation.metrics import calibration_sums
from offerodds.stores.calibration_log import CalibrationLog
from offerodds.files.workspace import Workspace
from offerodds.monitoring.over_time import per_month, per_retrain, reliability_curves, text_block
from offerodds.synthetic import generate


@pytest.fixture(autouse=True)
def _restore_warning_hook(monkeypatch):
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)


def record(labelled_at: str, y, p, scorer=("rules", "rules-1")) -> dict:
    return {"labelled_at": labelled_at, "month": labelled_at[:7], "scorer": scorer[0], "version": scorer[1],
            **calibration_sums(np.asarray(y, float), np.asarray(p, float))}


# --- sums that pool exactly -------------------------------------------------------------------


def test_pooled_sums_give_the_metrics_of_the_union():
    rng = np.random.default_rng(0)
    p = rng.uniform(0.02, 0.98, 900)
    y = (rng.random(900) < p).astype(float)
    records = [record("2026-03-01T10:00:00", y[:400], p[:400]), record("2026-03-20T10:00:00", y[400:], p[400:])]
    month = per_month(records).iloc[0]
    assert month["month"] == "2026-03" and month["n"] == 900 and month["offers"] == int(y.sum())
    assert month["log_loss"] == pytest.approx(log_loss(y, p), rel=1e-12)
    assert month["brier"] == pytest.approx(brier_score_loss(y, p), rel=1e-12)
    assert month["expected_rate"] == pytest.approx(p.mean())
    assert month["verdict"] == "as expected"
    retrains = per_retrain(records)
    assert retrains["n"].tolist() == [400, 500] and retrains["labelled"].tolist() == ["2026-03-01", "2026-03-20"]


def test_months_are_kept_apart_and_a_miscalibrated_month_is_called_out():
    rng = np.random.default_rng(1)
    p = np.full(500, 0.2)
    right = (rng.random(500) < 0.2).astype(float)
    too_many = (rng.random(500) < 0.35).astype(float)  # the scorer said 20 %, 35 % came
    months = per_month([record("2026-01-15T00:00:00", right, p), record("2026-02-15T00:00:00", too_many, p)])
    assert months["month"].tolist() == ["2026-01", "2026-02"]
    assert months["verdict"].tolist() == ["as expected", "more offers than expected"]
    assert months.loc[1, "p"] < 1e-6


def test_a_month_served_by_two_scorers_shows_two_lines():
    """One scorer was right, the other said 20 % where 50 % came: the month's two lines say
    so; pooled, the right one would be blamed too."""
    rng = np.random.default_rng(2)
    p = np.full(400, 0.2)
    right = (rng.random(400) < 0.2).astype(float)
    off = (rng.random(400) < 0.5).astype(float)
    records = [
        record("2026-12-02T00:00:00", off, p, ("rules", "rules-1")),
        record("2026-12-20T00:00:00", right, p, ("model", "v1")),
        record("2026-12-28T00:00:00", right[:100], p[:100], ("rules", "rules-1")),
    ]
    months = per_month(records)
    assert len(months) == 2 and set(months["month"]) == {"2026-12"}
    by = months.set_index("scorer")
    assert set(by.index) == {"the rule card", "model v1"}
    assert by.loc["model v1", "n"] == 400 and by.loc["model v1", "verdict"] == "as expected"
    assert by.loc["the rule card", "n"] == 500
    assert by.loc["the rule card", "verdict"] == "more offers than expected"
    lines = [line for line in text_block(records) if line.startswith("  2026-12 by")]
    assert len(lines) == 2
    assert any("model v1" in line and "as expected" in line for line in lines)


def test_reliability_curves_come_from_the_binned_sums():
    p = np.array([0.05, 0.05, 0.55, 0.55, 0.95])
    y = np.array([0, 0, 1, 0, 1.0])
    curves = reliability_curves([record("2026-01-01T00:00:00", y, p), record("2026-02-01T00:00:00", y, p)])
    pooled = curves["all retrains"]
    assert pooled["n"].tolist() == [4, 4, 2]
    assert pooled["observed"].tolist() == [0.0, 0.5, 1.0]
    assert pooled["predicted"].tolist() == pytest.approx([0.05, 0.55, 0.95])
    assert len(curves) == 3  # pooled, then each retrain


# --- the log ----------------------------------------------------------------------------------


def test_the_log_keeps_records_and_skips_a_damaged_line_with_a_warning(tmp_path):
    log = CalibrationLog(Workspace(tmp_path))
    log.append(record("2026-01-01T00:00:00", [1, 0], [0.6, 0.3]))
    with open(log.path, "a", encoding="utf-8") as handle:
        handle.write("{not json\n")
    log.append(record("2026-02-01T00:00:00", [0], [0.1]))
    with pytest.warns(UserWarning, match=r"calibration.jsonl, line 2: not a calibration record"):
        records = log.read()
    assert [r["month"] for r in records] == ["2026-01", "2026-02"]
    assert not list(tmp_path.rglob(".calibration.jsonl*"))  # no temporary file left behind


# --- every retrain's prospective check --------------------------------------------------------


def labelled_file(tmp_path: Path, name: str, n: int, seed: int) -> tuple[Path, pd.DataFrame]:
    frame = generate(n, seed=seed)
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path, frame


def test_each_retrain_keeps_its_prospective_check_and_status_shows_them(tmp_path, merge_only_config, capsys):
    root = tmp_path / "ws"
    first, first_frame = labelled_file(tmp_path, "first.csv", 120, seed=31)
    second, second_frame = labelled_file(tmp_path, "second.csv", 80, seed=32)
    report = offerodds.retrain(first, workspace=root, config=merge_only_config)
    offerodds.retrain(first, workspace=root, config=merge_only_config)  # nothing newly labelled
    offerodds.retrain(second, workspace=root, config=merge_only_config)
    records = CalibrationLog(Workspace(root)).read()
    assert len(records) == 2
    assert report.prospective_sums == records[0]
    for rec, frame in zip(records, (first_frame, second_frame)):
        assert rec["scorer"] == "rules" and rec["n"] == len(frame)
        assert rec["offers"] == int((frame["outcome"] == "offer").sum())
        expected = offerodds.score(frame, model=offerodds.rules())["offer_probability"].sum()
        assert rec["expected_offers"] == pytest.approx(expected)
    text = json.dumps(records)
    assert "syn-" not in text and "app-" not in text  # aggregates only: no interview ids

    assert cli.main(["status", "--workspace", str(root)]) == 0
    out = capsys.readouterr().out
    block = out[out.index("calibration over time"):]
    assert "120 outcomes" in block and "80 outcomes" in block and "200 outcomes" in block
    assert block.count("by the rule card") == 3  # two retrains, one month: one line per scorer
    assert block == "\n".join(text_block(records)) + "\n"


def test_status_says_when_nothing_was_checked_yet(tmp_path, capsys):
    assert cli.main(["status", "--workspace", str(tmp_path / "ws")]) == 0
    assert "calibration over time: no retrain has checked newly labelled outcomes yet" in capsys.readouterr().out
