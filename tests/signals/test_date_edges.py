"""Dates at the edge of the calendar, in any date column: a warning for that row, the row scored
on what can be used, in the command line, the Python API and ``validate`` alike."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds import cli
from offerodds.signals.catalogue import DATE_COLUMNS

EDGES = ["9999-12-31T23:59-12:00", "0001-01-01T00:00+14:00", "9999-12-31", "0001-01-01T00:00Z", "1899-12-31"]


@pytest.mark.parametrize("column", DATE_COLUMNS)
def test_the_command_line_scores_every_row_and_warns_for_each_edge_date(tmp_path, column, capsys):
    rows = "".join(f"e{i},final,4,{text}\n" for i, text in enumerate(EDGES))
    source = tmp_path / "edges.csv"
    source.write_text(f"interview_id,stage,selling,{column}\n{rows}ok,final,4,2026-03-02\n", encoding="utf-8")
    assert cli.main(["score", str(source), "--rules", "--workspace", str(tmp_path), "--as-of", "2026-03-03"]) == 0
    scored = pd.read_csv(tmp_path / "edges.scored.csv", dtype=str, keep_default_na=False)
    assert scored["interview_id"].tolist() == [*(f"e{i}" for i in range(len(EDGES))), "ok"]
    assert scored["offer_probability"].astype(float).nunique() == 1  # dates never change it
    assert (scored[column] == [*EDGES, "2026-03-02"]).all()  # the cells as written
    problems = pd.read_csv(tmp_path / "edges.scored.rejects.csv", dtype=str, keep_default_na=False)
    assert problems["interview_id"].tolist() == [f"e{i}" for i in range(len(EDGES))]
    assert set(problems["severity"]) == {"warning"} and set(problems["column"]) == {column}
    assert problems["reason"].str.contains("before 1900 or after 2200").all()

    capsys.readouterr()
    assert cli.main(["validate", str(source)]) == 0
    said = capsys.readouterr().out
    assert said.count("[warning: the row is still scored]") == len(EDGES)
    assert f"{len(EDGES) + 1} rows; {len(EDGES) + 1} valid" in said


@pytest.mark.parametrize(
    "value",
    [
        *EDGES,
        dt.datetime(9999, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=-12))),
        dt.datetime(1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=14))),
        dt.date(1, 1, 1),
    ],
)
def test_the_api_scores_the_row_and_warns(value):
    for column in DATE_COLUMNS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = offerodds.score({"stage": "final", "selling": 4, column: value})
        assert result["error"].iloc[0] == "" and 0 < result["offer_probability"].iloc[0] < 1
        assert any("before 1900 or after 2200" in str(w.message) for w in caught), column


def test_a_frame_of_datetimes_at_the_edge_is_scored():
    edge = pd.Series(np.array(["9999-12-31T23:59", "2026-03-02T10:00"], dtype="datetime64[s]"))
    for values in (edge, edge.dt.tz_localize("Etc/GMT+12"), edge.dt.tz_localize("Etc/GMT-14")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = offerodds.score(pd.DataFrame({"stage": ["final", "final"], "interview_date": values}))
        assert (result["error"] == "").all() and result["offer_probability"].notna().all()
