"""One formula-safety rule for every file a spreadsheet reads (the rejects files of score and
retrain, the people's view): applied to the cells taken from the user's data only, never twice;
figures offerodds writes stay numbers; the exact scored output stays byte-exact."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from offerodds import cli

PREFIXES = {"equals": "=1+1", "plus": "+1+1", "minus": "-1+A1", "at": "@SUM(A1)", "tab": "\t=1+1", "cr": "\r=1+1"}


def write_rows(path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("prefix", PREFIXES)
def test_score_rejects_and_people_view_escape_each_prefix_once(tmp_path, prefix):
    bad = PREFIXES[prefix]
    rows = [
        {"interview_id": bad, "stage": "final", "selling": bad, "company": bad},  # invalid: rejected
        {"interview_id": f"'{bad}", "stage": "final", "selling": "4", "company": bad},  # valid: scored
    ]
    source = tmp_path / "in.csv"
    write_rows(source, rows)
    ws = str(tmp_path / "ws")
    assert cli.main(["score", str(source), "--rules", "--workspace", ws, "-o", str(tmp_path / "exact.csv")]) == 0
    assert cli.main(["score", str(source), "--rules", "--workspace", ws, "--view", "people",
                     "-o", str(tmp_path / "people.csv")]) == 0

    problems = read_rows(tmp_path / "exact.rejects.csv")
    assert problems[0]["interview_id"] == "'" + bad and problems[0]["value"] == "'" + bad
    assert problems[0]["column"] == "selling" and problems[0]["row"] == "1"
    assert not problems[0]["reason"].startswith("'")  # offerodds's own words are not escaped

    people = read_rows(tmp_path / "people.csv")
    assert people[0]["company"] == "'" + bad  # a cell from the user's data
    assert people[0]["interview_id"] == f"'{bad}"  # already safe: not escaped twice
    assert float(people[0]["offer_probability"]) > 0  # a figure, written as a number
    raw = (tmp_path / "people.csv").read_bytes().decode("utf-8")
    probability = people[0]["offer_probability"]
    assert f",{probability}," in raw  # unquoted: a spreadsheet reads it as a number

    exact = read_rows(tmp_path / "exact.csv")
    assert exact[0]["company"] == bad and exact[0]["interview_id"] == f"'{bad}"  # as given


def test_the_people_view_escapes_a_header_from_the_input(tmp_path):
    source = tmp_path / "in.csv"
    write_rows(source, [{"interview_id": "a", "stage": "final", "=cmd|' /C calc'!A0": "x"}])
    assert cli.main(["score", str(source), "--rules", "--workspace", str(tmp_path), "--view", "people",
                     "-o", str(tmp_path / "people.csv")]) == 0
    header = read_rows(tmp_path / "people.csv")[0]
    assert "'=cmd|' /C calc'!A0" in header and "=cmd|' /C calc'!A0" not in header


@pytest.mark.parametrize("prefix", PREFIXES)
def test_retrain_rejects_escape_each_prefix(tmp_path, prefix, merge_only_config):
    bad = PREFIXES[prefix]
    labelled = tmp_path / "labelled.csv"
    write_rows(labelled, [{"interview_id": bad, "engagement": bad, "outcome": "offer"},
                          {"interview_id": "fine", "engagement": "4", "outcome": bad}])
    ws = tmp_path / "ws"
    assert cli.main(["retrain", str(labelled), "--workspace", str(ws), "--config", str(merge_only_config)]) == 0
    problems = read_rows(ws / "reports" / "retrain.rejects.csv")
    assert [p["row"] for p in problems] == ["1", "2"]
    assert problems[0]["interview_id"] == "'" + bad and problems[0]["value"] == "'" + bad
    assert problems[1]["value"] == "'" + bad and problems[1]["interview_id"] == "fine"
