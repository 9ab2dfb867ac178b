"""Formula-safe files: every cell offerodds echoes from user data into a rejects or problems
file shows as text in a spreadsheet; scored output keeps the user's columns exactly."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from offerodds import cli
from offerodds.files.writing import formula_safe

DANGEROUS = ['=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
             "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),  # not a plain number: a spreadsheet would compute it
        ("-3", "-3"),  # plain numbers stay numbers
        ("+3.5", "+3.5"),
        ("-.5e3", "-.5e3"),
        ("'=already", "'=already"),  # nothing starts with a formula character: unchanged
        ("a=1", "a=1"),
        (" =1", " =1"),
        ("", ""),
    ],
)
def test_formula_safe(value, expected):
    assert formula_safe(pd.Series([value], dtype=object)).tolist() == [expected]


def test_formula_safe_leaves_numbers_and_missing_values():
    assert formula_safe(pd.Series([-1, 2])).tolist() == [-1, 2]
    assert formula_safe(pd.Series(["=1", None], dtype=object)).tolist() == ["'=1", None]
    once = formula_safe(pd.Series(DANGEROUS, dtype=object))
    assert formula_safe(once).tolist() == once.tolist()  # applying it twice changes nothing more


def _text_cells(path) -> list[str]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    return [*frame.columns, *frame.to_numpy().ravel().tolist()]


def _starts_a_formula(cell: str) -> bool:
    return cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not cell.lstrip("+-").replace(".", "", 1).isdigit()


def test_score_rejects_file_is_formula_safe_and_scored_output_exact(tmp_path, capsys):
    rows = [{"interview_id": v, "engagement": "9", "notes": v} for v in DANGEROUS]
    rows += [{"interview_id": "ok", "engagement": DANGEROUS[0], "notes": "-1"}]
    rows += [{"interview_id": DANGEROUS[1], "engagement": "4", "notes": DANGEROUS[2]}]  # valid: scored
    frame = pd.DataFrame(rows)
    frame["=cmd|' /C calc'!A0"] = "7"  # a header that is a formula: passes through
    source = tmp_path / "in.csv"
    frame.to_csv(source, index=False, quoting=csv.QUOTE_ALL)  # a bare CR in a cell would end its line
    assert cli.main(["score", str(source), "--rules", "--workspace", str(tmp_path / "ws")]) == 0
    rejects = tmp_path / "in.scored.rejects.csv"
    cells = _text_cells(rejects)
    assert not [c for c in cells if _starts_a_formula(c)]
    problems = pd.read_csv(rejects, dtype=str, keep_default_na=False)
    assert "'" + DANGEROUS[0] in problems["interview_id"].tolist()
    assert "'" + DANGEROUS[0] in problems["value"].tolist()
    scored = pd.read_csv(tmp_path / "in.scored.csv", dtype=str, keep_default_na=False)
    assert scored.loc[0, "interview_id"] == DANGEROUS[1] and scored.loc[0, "notes"] == DANGEROUS[2]
    assert scored.loc[0, "=cmd|' /C calc'!A0"] == "7"  # passthrough, exactly as given


def test_retrain_rejects_file_is_formula_safe(tmp_path, capsys, merge_only_config):
    labelled = tmp_path / "labelled.csv"
    frame = pd.DataFrame({"interview_id": DANGEROUS, "engagement": "9", "outcome": "offer"})
    frame.loc[len(frame)] = ["=valid()", "4", "offer"]
    frame.to_csv(labelled, index=False, quoting=csv.QUOTE_ALL)
    ws = tmp_path / "ws"
    code = cli.main(["retrain", str(labelled), "--workspace", str(ws), "--config", str(merge_only_config)])
    assert code == 0
    cells = _text_cells(ws / "reports" / "retrain.rejects.csv")
    assert not [c for c in cells if _starts_a_formula(c)]
    assert sum(c.startswith("'") for c in cells) >= len(DANGEROUS)
    # the outcome store keeps the id exactly: it is data, not a file for a spreadsheet
    assert pd.read_parquet(ws / "data" / "labelled" / "outcomes.parquet")["interview_id"].tolist() == ["=valid()"]
