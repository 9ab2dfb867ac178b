"""A quote left open: legal CSV, so never refused, but when the quoted cell spans lines shaped
like whole interviews it is reported, naming the line where the quote opens, in the summary of
``offerodds score``, in its problems file, by ``validate``, by ``offerodds.score`` (a Python
warning) and in the problems of a retrain."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import offerodds
from offerodds import cli
from offerodds.files.reading import InputError, open_table

# Line 3 opens a quote that closes on line 6: the three lines in between look like interviews.
OPEN_QUOTE = (
    "interview_id,engagement,notes\n"  # line 1
    "a0,4,fine\n"  # line 2
    'a1,4,"starts here\n'  # line 3: the quote opens
    "a2,3,x\n"
    "a3,5,y\n"
    'a4,2,ends"\n'  # line 6: it closes
    "a5,4,ok\n"
)


def _rows(table):
    return pd.concat(list(table.chunks(2)), ignore_index=True)


def test_a_quote_spanning_rows_is_read_as_one_cell_and_reported_with_its_line(tmp_path):
    path = tmp_path / "interviews.csv"
    path.write_text(OPEN_QUOTE)
    table = open_table(path)
    rows = _rows(table)
    assert rows["interview_id"].tolist() == ["a0", "a1", "a5"]  # legal CSV: read as written
    [notice] = table.notices
    assert (notice.row, notice.interview_id, notice.column, notice.line) == (2, "a1", "notes", 3)
    assert (notice.lines, notice.like_rows) == (4, 3)
    assert "line 3" in notice.reason and "closing quote" in notice.reason


def test_notes_over_several_lines_are_not_reported(tmp_path):
    path = tmp_path / "interviews.csv"
    path.write_text('interview_id,engagement,notes\na1,4,"met the team\nnice office\n\nwill hear back"\n')
    table = open_table(path)
    assert len(_rows(table)) == 1 and table.notices == []


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_the_line_counts_blank_lines_line_endings_and_earlier_cells(tmp_path, newline):
    text = (
        "interview_id;engagement;notes\n"  # 1
        "\n"  # 2: not a row
        'a0;4;"two\nlines"\n'  # 3-4: a note over two lines, nothing row-shaped
        'a1;4;"opens\n'  # 5
        "a2;3;x\n"  # 6
        'a3;5;y"\n'  # 7
    ).replace("\n", newline)
    path = tmp_path / "interviews.csv"
    path.write_bytes(text.encode("utf-16"))
    table = open_table(path)
    _rows(table)
    assert [(n.row, n.line, n.like_rows) for n in table.notices] == [(2, 5, 2)]


def test_the_line_is_found_far_into_a_file_and_across_chunks(tmp_path):
    lines = ["interview_id,engagement,notes"] + [f"r{i},{1 + i % 5},note {i}" for i in range(30_000)]
    lines[20_001] = 'x,4,"opens'  # line 20,002 of the file
    path = tmp_path / "interviews.csv"
    path.write_text("\n".join(lines) + '"\n')
    table = open_table(path)
    n = sum(len(c) for c in table.chunks(7_000))
    assert n == 20_001
    [notice] = table.notices
    assert (notice.row, notice.line, notice.like_rows) == (20_001, 20_002, 9_999)


def test_a_quote_never_closed_is_reported_up_to_the_end(tmp_path):
    path = tmp_path / "interviews.csv"
    path.write_text('interview_id,engagement,notes\na1,4,"never closed\na2,3,x\na3,5,y\n')
    table = open_table(path)
    assert len(_rows(table)) == 1
    assert [(n.line, n.lines, n.like_rows) for n in table.notices] == [(2, 3, 2)]


def test_a_quote_running_past_a_read_block_is_one_line_naming_where_it_opens(tmp_path):
    lines = ["interview_id,engagement,notes", "a0,4,ok", 'a1,4,"opens here']
    lines += [f"a{i},3,some note text for row {i}" for i in range(2, 60_000)]
    path = tmp_path / "interviews.csv"
    path.write_text("\n".join(lines) + "\n")
    table = open_table(path)
    with pytest.raises(InputError) as info:
        _rows(table)
    message = str(info.value)
    assert "\n" not in message
    assert "line 3" in message and "closing quote missing" in message


def test_score_summary_and_problems_file_name_the_line(tmp_path, capsys):
    path = tmp_path / "interviews.csv"
    path.write_text(OPEN_QUOTE)
    code = cli.main(["score", str(path), "--rules", "--workspace", str(tmp_path / "ws")])
    assert code == 0  # a warning, not a refusal
    err = capsys.readouterr().err
    warning = [line for line in err.splitlines() if line.startswith("offerodds: warning")]
    assert len(warning) == 1
    assert "line 3" in warning[0] and "notes" in warning[0] and "row 2" in warning[0]
    scored = pd.read_csv(tmp_path / "interviews.scored.csv", dtype=str)
    assert scored["interview_id"].tolist() == ["a0", "a1", "a5"]
    problems = pd.read_csv(tmp_path / "interviews.scored.rejects.csv", dtype=str)
    [line] = problems.to_dict("records")
    assert (line["row"], line["interview_id"], line["column"], line["value"]) == ("2", "a1", "notes", "starts here")
    assert "line 3" in line["reason"] and "row kept" in line["reason"]


def test_validate_prints_the_warning(tmp_path, capsys):
    path = tmp_path / "interviews.csv"
    path.write_text(OPEN_QUOTE)
    cli.main(["validate", str(path), "--workspace", str(tmp_path / "ws")])
    assert "line 3" in capsys.readouterr().out


def test_offerodds_score_warns(tmp_path):
    path = tmp_path / "interviews.csv"
    path.write_text(OPEN_QUOTE)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = offerodds.score(path, model=offerodds.rules())
    assert len(out) == 3 and (out["error"] == "").all()
    assert any("line 3" in str(w.message) for w in caught)


def test_retrain_lists_the_warning_with_its_problems(tmp_path, merge_only_config):
    path = tmp_path / "labelled.csv"
    path.write_text(
        "interview_id,engagement,notes,outcome\n"
        "a0,4,fine,offer\n"
        'a1,4,"starts here\n'  # line 3
        "a2,3,x,no_offer\n"
        'a3,5,y",offer\n'
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = offerodds.retrain(path, workspace=tmp_path / "ws", config=merge_only_config)
    assert report.rows_rejected == 0
    assert any("line 3" in w for w in report.rejects["reason"])
    assert any("line 3" in str(w.message) for w in caught)
