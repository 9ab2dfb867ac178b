"""Strict parsing and safe printing: version names matched whole, no control character from a
user's data reaches the terminal, and numbers that are not real are rejected naming row and
column."""

from __future__ import annotations

import csv
import decimal
import json
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds import cli
from offerodds.files.workspace import Workspace
from offerodds.stores.modelfiles import is_version
from offerodds.stores.modelstore import ModelStore, StoreError
from offerodds.stores.serving import serving

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.mark.parametrize("name", ["v1\n", "v1\r", " v1", "v1 ", "v01", "v1/..", "v\u0661"])
def test_a_version_name_is_matched_whole(tmp_path, name):
    assert not is_version(name)
    ws = Workspace.resolve(tmp_path)
    ws.models_dir.mkdir()
    ws.champion_pointer.write_text(json.dumps({"version": name}), encoding="utf-8")
    with pytest.raises(StoreError):
        ModelStore(ws).champion()
    assert serving(ws).scorer.kind == "rules"


def _hostile_file(path, engagement: str = "4"):
    row = {"interview_id": "a\x1b[2Jb\rforged", "stage": "final", "selling": "4",
           "company": "Ac\x1b]8;;http://x\x07me", "role": "R\rX", "interviewer_name": "N\u202eeman",
           "engagement": engagement, "note\x1b[31m": "x"}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{bad}"],
        ["explain", "{good}", "--id", "1", "--rules"],
        ["followup", "{good}", "--id", "1", "--rules", "--as-of", "2026-03-01"],
        ["forget", "a\x1b[2Jb\rforged", "gone\x1b]8;;x\x07"],
    ],
)
def test_no_control_character_from_a_cell_reaches_the_terminal(tmp_path, capsys, command):
    bad = _hostile_file(tmp_path / "bad.csv", engagement="9\x1b[31m")
    good = _hostile_file(tmp_path / "good.csv")
    argv = [a.format(bad=bad, good=good, out=tmp_path / "r.csv") for a in command]
    (tmp_path / "interviews.csv").write_bytes(bad.read_bytes())
    cli.main([*argv, "--workspace", str(tmp_path)])
    said = capsys.readouterr()
    assert said.out or said.err
    assert not CONTROL.search(said.out + said.err), (said.out + said.err)[:500]
    assert "\\x1b" in said.out + said.err  # shown, escaped


@pytest.mark.parametrize(
    "value, what",
    [
        (5 + 7j, "a complex number"),
        (np.complex128(4 + 1j), "a complex number"),
        (decimal.Decimal("NaN"), "a Decimal NaN"),
        (decimal.Decimal("-Infinity"), "a Decimal infinity"),
        (decimal.Decimal("sNaN"), "not a number"),
    ],
)
def test_a_number_that_is_not_real_is_rejected_naming_row_and_column(value, what):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = offerodds.score([{"stage": "final", "engagement": 4}, {"stage": "final", "engagement": value}])
    assert result["error"].iloc[0] == "" and result["offer_probability"].notna().iloc[0]
    assert result["error"].iloc[1].startswith("engagement:") and what in result["error"].iloc[1]
    assert pd.isna(result["offer_probability"].iloc[1])


def test_a_complex_column_is_rejected_where_recorded_and_a_retrain_names_row_and_column(tmp_path, merge_only_config):
    frame = pd.DataFrame({"interview_id": ["a", "b", "c"], "stage": ["final"] * 3,
                          "engagement": np.array([4 + 0j, np.nan, 3 + 2j]), "outcome": ["offer", "no_offer", "offer"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        scored = offerodds.score(frame.drop(columns="outcome"))
    assert [bool(e) for e in scored["error"]] == [False, False, True]  # 4+0j is the real number 4
    assert scored["offer_probability"].iloc[0] == offerodds.score({"stage": "final", "engagement": 4})[
        "offer_probability"].iloc[0]
    report = offerodds.retrain(frame, workspace=tmp_path / "ws", config=merge_only_config)
    rejects = report.rejects
    assert rejects[["row", "column"]].values.tolist() == [[3, "engagement"]]
    assert report.store_rows_after == 2
