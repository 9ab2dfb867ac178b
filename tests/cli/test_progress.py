"""What a person sees while a large file is scored or a retrain runs: a total, the share done,
the time left, and the phases of a retrain."""

from __future__ import annotations

import pytest

import offerodds
from offerodds.cli.scoring import Progress, expected_rows


def test_a_csv_says_how_many_rows_it_holds(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("interview_id,selling\na,5\nb,4\nc,3")  # no line break after the last row
    assert expected_rows(path) == 3
    path.write_text("interview_id,selling\na,5\nb,4\n")
    assert expected_rows(path) == 2
    assert expected_rows(tmp_path / "missing.csv") is None


def test_the_progress_line_gives_the_total_and_the_time_left():
    progress = Progress(True, total=1_000_000)
    progress.start -= 10.0  # ten seconds in
    progress.rows = 250_000
    line = progress.line()
    assert line.startswith("scored 250,000 of 1,000,000 rows (25%), ")
    assert "about 30 s left" in line
    assert "of" not in Progress(True).line().split("rows")[0]  # no total: no share, no estimate


@pytest.mark.filterwarnings("ignore")
def test_retrain_tells_its_phases(tmp_path, no_tracking_config):
    from tests.conftest import EXAMPLE_OUTCOMES

    phases = []
    report = offerodds.retrain(EXAMPLE_OUTCOMES, workspace=tmp_path, config=no_tracking_config,
                               progress=lambda phase, detail: phases.append((phase, detail)))
    assert [p for p, _ in phases] == ["reading", "fitting", "checking", "saving"]
    assert phases[1][1] == "the candidate on 1,000 outcomes"
    assert report.store.rows_after == 1000
