"""The ``offerodds`` command line against its contract (DESIGN.md, "Command line" and
"Output of scoring").

Most tests call :func:`offerodds.cli.main` in-process and read stdout/stderr with ``capsys``;
one runs the real entry point in a subprocess. Every test works in ``tmp_path`` and passes
``--workspace``, so nothing touches the repository (``data/examples/interviews.csv`` is only
read, or copied first when a command would write beside it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from offerodds import cli
from offerodds.signals.catalogue import template_columns
from offerodds.signals.catalogue import catalogue, contribution_signals, input_columns

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "data" / "examples" / "interviews.csv"
REJECT_COLUMNS = ["row", "interview_id", "column", "value", "reason", "severity"]

# Five rows: rows 2 and 4 (1-based, header not counted) are broken, with two problems and
# three problems; "notes" is a passthrough column, "Eye Contact" a signal under another header.
BROKEN_CSV = (
    "interview_id,Eye Contact,hurried,stage,scheduled_minutes,actual_minutes,notes,interview_date\n"
    "007,4,yes,final,60,60,keep me,2026-01-02\n"
    'b2,9,maybe,final,60,60,"two, problems",2026-01-02\n'
    "c3,,no,,,,,\n"
    "d4,3,no,semi,0,60,x,not-a-date\n"
    "e5,5,y,screen,45,50,N/A,\n"
)
BROKEN_GOOD_IDS = ["007", "c3", "e5"]
BROKEN_PROBLEMS = [  # (row, interview_id, column, value, severity)
    (2, "b2", "Eye Contact", "9", "error"),
    (2, "b2", "hurried", "maybe", "error"),
    (4, "d4", "stage", "semi", "error"),
    (4, "d4", "scheduled_minutes", "0", "error"),
    (4, "d4", "interview_date", "not-a-date", "warning"),  # a date never rejects a row
]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Run in tmp_path; undo what ``main`` changes in the process (warning hook, env)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("OFFERODDS_WORKSPACE", str(tmp_path / "env-workspace"))


def run(tmp_path, *args) -> int:
    """``offerodds ARGS --workspace <tmp_path>/ws`` in-process; the exit code."""
    return cli.main([*map(str, args), "--workspace", str(tmp_path / "ws")])


def read_text_csv(path) -> pd.DataFrame:
    """A CSV as exact text: every cell a string, empty cells as ""."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def stderr_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.strip()]


@pytest.fixture
def interviews(tmp_path) -> Path:
    """A copy of the synthetic example file, so that scoring writes beside it in tmp_path."""
    path = tmp_path / "interviews.csv"
    shutil.copyfile(EXAMPLES, path)
    return path


@pytest.fixture
def broken(tmp_path) -> Path:
    path = tmp_path / "broken.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    return path


# --- score -----------------------------------------------------------------------------------


def test_score_writes_default_output_and_rejects_beside_input(tmp_path, interviews, capsys):
    assert run(tmp_path, "score", interviews) == 0
    out = tmp_path / "interviews.scored.csv"
    rejects = tmp_path / "interviews.scored.rejects.csv"
    assert out.exists() and rejects.exists()

    scored = read_text_csv(out)
    source = read_text_csv(interviews)
    assert len(scored) == len(source) == 200
    # input columns first, unchanged and in order; then the result columns
    assert list(scored.columns[: source.shape[1]]) == list(source.columns)
    pd.testing.assert_frame_equal(scored[list(source.columns)], source)
    for column in ("offer_probability", "offer_log_odds", "baseline_log_odds", "reasons",
                   "scorer", "model_version"):
        assert column in scored.columns
    assert {f"contrib_{s}" for s in contribution_signals()} <= set(scored.columns)
    assert set(scored["scorer"]) == {"rules"}

    # the invariant of DESIGN.md: log-odds = baseline + sum of contributions, p its logistic
    numbers = pd.read_csv(out)
    contrib = numbers[[f"contrib_{s}" for s in contribution_signals()]].sum(axis=1)
    np.testing.assert_allclose(numbers["offer_log_odds"], numbers["baseline_log_odds"] + contrib,
                               atol=1e-9)
    np.testing.assert_allclose(numbers["offer_probability"],
                               1 / (1 + np.exp(-numbers["offer_log_odds"])), atol=1e-12)

    problems = read_text_csv(rejects)
    assert problems.columns.tolist() == REJECT_COLUMNS
    # the example has rows with one of the two minutes: warned about, and scored
    assert len(problems) and set(problems["severity"]) == {"warning"}
    assert problems["reason"].str.contains("the length cannot be judged").all()

    captured = capsys.readouterr()
    assert captured.out == ""
    summary = captured.err.lower()
    assert "read 200 rows" in summary
    assert "scored 200" in summary
    assert "rejected 0" in summary
    assert "rules" in summary  # the scorer
    assert "traceback" not in summary


def test_score_to_parquet(tmp_path, interviews, capsys):
    out = tmp_path / "result" / "out.parquet"
    assert run(tmp_path, "score", interviews, "-o", out) == 0
    assert out.read_bytes()[:4] == b"PAR1"
    scored = pd.read_parquet(out)
    assert len(scored) == 200
    assert scored["interview_id"].tolist() == read_text_csv(interviews)["interview_id"].tolist()
    assert pd.api.types.is_float_dtype(scored["offer_probability"])
    assert scored["offer_probability"].between(0, 1).all()
    # the rejects file stays CSV, named after OUT
    assert (tmp_path / "result" / "out.rejects.csv").exists()
    assert not (tmp_path / "interviews.scored.csv").exists()


def test_score_rejects_option(tmp_path, broken, capsys):
    rejects = tmp_path / "problems" / "mine.csv"
    rejects.parent.mkdir()
    assert run(tmp_path, "score", broken, "--rejects", rejects) == 0
    assert rejects.exists()
    assert not (tmp_path / "broken.scored.rejects.csv").exists()
    assert len(read_text_csv(rejects)) == len(BROKEN_PROBLEMS)
    assert str(rejects) in capsys.readouterr().err


def test_score_broken_rows_go_to_rejects_good_rows_to_output(tmp_path, broken, capsys):
    out = tmp_path / "out.csv"
    assert run(tmp_path, "score", broken, "-o", out) == 0

    scored = read_text_csv(out)
    source = read_text_csv(broken)
    assert scored["interview_id"].tolist() == BROKEN_GOOD_IDS
    # input columns unchanged (exact text: "007" stays "007", "N/A" stays "N/A", empty stays
    # empty) and the extra column "notes" intact
    good = source[source["interview_id"].isin(BROKEN_GOOD_IDS)].reset_index(drop=True)
    pd.testing.assert_frame_equal(scored[list(source.columns)], good)
    assert scored["notes"].tolist() == ["keep me", "", "N/A"]

    problems = read_text_csv(tmp_path / "out.rejects.csv")
    assert problems.columns.tolist() == REJECT_COLUMNS
    got = list(problems[["row", "interview_id", "column", "value", "severity"]].itertuples(index=False))
    assert [tuple(p) for p in got] == [(str(r), i, c, v, s) for r, i, c, v, s in BROKEN_PROBLEMS]
    assert (problems["reason"].str.len() > 0).all()
    assert "1 to 5" in problems.loc[0, "reason"]

    err = capsys.readouterr().err
    assert "read 5 rows" in err and "scored 3" in err and "rejected 2" in err


def test_score_row_numbers_hold_across_chunks(tmp_path, broken):
    """Rows are numbered over the whole file, not per chunk (chunks of one and two rows)."""
    for rows in (1, 2):
        out = tmp_path / f"out{rows}.csv"
        assert run(tmp_path, "score", broken, "-o", out, "--chunk-rows", rows, "--quiet") == 0
        assert read_text_csv(out)["interview_id"].tolist() == BROKEN_GOOD_IDS
        problems = read_text_csv(tmp_path / f"out{rows}.rejects.csv")
        assert problems["row"].astype(int).tolist() == [r for r, *_ in BROKEN_PROBLEMS]


@pytest.mark.parametrize("chunk_rows", [100_000, 7])
def test_score_never_loses_a_row(tmp_path, interviews, chunk_rows):
    """rows scored + rows rejected == rows in, with broken rows spread through the file."""
    frame = read_text_csv(interviews)
    bad_rows = [0, 6, 7, 99, 199]  # 0-based
    frame.loc[bad_rows[0], "engagement"] = "6"
    frame.loc[bad_rows[1], "hurried"] = "sometimes"
    frame.loc[bad_rows[2], "stage"] = "onsite"
    frame.loc[bad_rows[2], "selling"] = "lots"  # two problems, one row
    frame.loc[bad_rows[3], "actual_minutes"] = "-5"
    frame.loc[bad_rows[4], "interview_date"] = "31/31/2026"  # a warning: the row is scored
    source = tmp_path / "mixed.csv"
    frame.to_csv(source, index=False)

    out = tmp_path / "mixed.out.csv"
    assert run(tmp_path, "score", source, "-o", out, "--chunk-rows", chunk_rows, "--quiet") == 0
    scored = read_text_csv(out)
    problems = read_text_csv(tmp_path / "mixed.out.rejects.csv")
    errors = problems[problems["severity"] == "error"]
    rejected_rows = sorted(set(errors["row"].astype(int)))
    assert rejected_rows == [r + 1 for r in bad_rows[:4]]
    assert len(errors) == 5
    assert len(scored) + len(rejected_rows) == len(frame)
    kept = frame.drop(index=bad_rows[:4])["interview_id"].tolist()
    assert scored["interview_id"].tolist() == kept
    assert set(errors["interview_id"]) == set(frame.loc[bad_rows[:4], "interview_id"])
    dated = problems[problems["column"] == "interview_date"]
    assert dated["row"].astype(int).tolist() == [bad_rows[4] + 1] and dated["severity"].tolist() == ["warning"]


def test_strict_exits_3_when_rows_were_rejected(tmp_path, broken, capsys):
    assert run(tmp_path, "score", broken, "--strict") == 3
    # the good rows are still written
    assert read_text_csv(tmp_path / "broken.scored.csv")["interview_id"].tolist() == BROKEN_GOOD_IDS


def test_strict_exits_0_when_clean(tmp_path, interviews, capsys):
    assert run(tmp_path, "score", interviews, "--strict") == 0


def test_score_quiet_prints_nothing(tmp_path, broken, capsys):
    assert run(tmp_path, "score", broken, "--quiet") == 0
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""
    assert (tmp_path / "broken.scored.csv").exists()


# --- errors and usage --------------------------------------------------------------------------


def _missing(tmp_path) -> Path:
    return tmp_path / "no-such-file.csv"


def _no_signal(tmp_path) -> Path:
    path = tmp_path / "nosignal.csv"
    path.write_text("foo,bar\n1,2\n", encoding="utf-8")
    return path


def _not_utf8(tmp_path) -> Path:
    path = tmp_path / "latin1.csv"
    path.write_bytes("interview_id,engagement,notes\na1,4,caf\u00e9\n".encode("cp1252"))
    return path


BAD_FILES = {"missing": _missing, "no-signal-column": _no_signal, "not-utf8": _not_utf8}


def assert_one_line_error(err: str) -> None:
    lines = stderr_lines(err)
    assert len(lines) == 1, lines
    assert lines[0].startswith("offerodds: error:")
    assert "Traceback" not in err


@pytest.mark.parametrize("bad", list(BAD_FILES))
@pytest.mark.parametrize(
    "command",
    [
        ["score", "--quiet"],
        ["validate"],
        ["explain", "--id", "1"],
    ],
    ids=["score-quiet", "validate", "explain"],
)
def test_bad_input_file_exits_1_with_one_line(tmp_path, capsys, bad, command):
    path = BAD_FILES[bad](tmp_path)
    assert run(tmp_path, command[0], path, *command[1:]) == 1
    captured = capsys.readouterr()
    assert_one_line_error(captured.err)
    assert captured.out == ""
    # nothing half-written
    assert not list(tmp_path.glob("*.scored*"))


def test_bad_input_messages_say_what_is_wrong(tmp_path, capsys):
    for bad, words in (("missing", "not found"), ("no-signal-column", "no signal column"),
                       ("not-utf8", "not UTF-8")):
        assert run(tmp_path, "validate", BAD_FILES[bad](tmp_path)) == 1
        assert words in capsys.readouterr().err


@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_score_bad_input_file_one_line_without_quiet(tmp_path, capsys, bad):
    path = BAD_FILES[bad](tmp_path)
    assert run(tmp_path, "score", path) == 1
    assert_one_line_error(capsys.readouterr().err)


def test_file_unreadable_part_way_leaves_no_output(tmp_path, capsys):
    path = tmp_path / "ragged.csv"
    path.write_text("engagement,notes\n4,a\n5,b,c\n3,d\n", encoding="utf-8")
    assert run(tmp_path, "score", path, "--quiet") == 1
    err = capsys.readouterr().err
    assert_one_line_error(err)
    assert "line 3" in err
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["ragged.csv"]


@pytest.mark.parametrize(
    "argv",
    [[], ["bogus"], ["score"], ["explain", "x.csv"], ["score", "x.csv", "--no-such-option"]],
    ids=["no-command", "unknown-command", "score-without-IN", "explain-without-id", "bad-option"],
)
def test_bad_usage_exits_2(tmp_path, capsys, argv):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err


def test_debug_shows_the_exception(tmp_path):
    with pytest.raises(Exception, match="not found"):
        run(tmp_path, "validate", tmp_path / "missing.csv", "--debug")


# --- validate ----------------------------------------------------------------------------------


def test_validate_prints_problems_and_count_and_exits_3_on_errors(tmp_path, broken, capsys):
    assert run(tmp_path, "validate", broken) == 3  # as score --strict: rows with errors
    out = capsys.readouterr().out
    lines = out.splitlines()
    for row, interview_id, column, value, severity in BROKEN_PROBLEMS:
        assert any(
            line.startswith(f"row {row}") and interview_id in line and column in line
            and repr(value) in line and (("warning" in line) == (severity == "warning"))
            for line in lines
        ), (row, column)
    assert "5 rows; 3 valid, 2 with errors" in out
    assert not list(tmp_path.glob("*.scored*"))  # validate writes nothing


def test_validate_exits_0_when_rows_have_warnings_only(tmp_path, broken, interviews, capsys):
    assert run(tmp_path, "validate", broken, "--strict") == 3  # --strict: still accepted
    assert run(tmp_path, "validate", interviews) == 0
    out = capsys.readouterr().out
    assert "200 rows; 200 valid, 0 with errors" in out
    assert "valid rows with warnings (scored anyway)" in out


# --- explain -----------------------------------------------------------------------------------


def _scored_example_row(tmp_path, interview_id: str) -> pd.Series:
    out = tmp_path / "for-explain.csv"
    assert run(tmp_path, "score", EXAMPLES, "-o", out, "--quiet") == 0
    scored = pd.read_csv(out, dtype={"interview_id": str})
    return scored.set_index("interview_id").loc[interview_id]


def test_explain_prints_what_was_recorded_and_its_effect(tmp_path, capsys):
    import offerodds
    from offerodds.scoring import phrases

    interview_id = "syn-1-000003"
    row = _scored_example_row(tmp_path, interview_id)
    capsys.readouterr()
    assert run(tmp_path, "explain", EXAMPLES, "--id", interview_id) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Interview {interview_id}: offer probability {round(100 * row['offer_probability'])} %")
    raw = read_text_csv(EXAMPLES).set_index("interview_id").loc[interview_id].to_dict()
    table = offerodds.explain(raw, model=offerodds.rules()).table()
    assert len(table) >= 5
    lines = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert len(lines) == len(table)
    for line, r in zip(lines, table.itertuples()):  # strongest first, in plain words
        assert line.startswith(r.recorded), (line, r.recorded)
        if r.effect == "changed others":  # a context answer: what it changed, not "x1.00"
            assert " made " in line or "count for" in line, line
        else:
            assert phrases.odds_text(row[f"contrib_{r.signal}"]) in line
    assert "log-odds" not in out and "reasons:" in out


def test_explain_unknown_id_exits_1(tmp_path, capsys):
    assert run(tmp_path, "explain", EXAMPLES, "--id", "no-such-interview") == 1
    captured = capsys.readouterr()
    assert_one_line_error(captured.err)
    assert "no-such-interview" in captured.err


def test_explain_by_row_number_without_id_column(tmp_path, capsys):
    path = tmp_path / "noid.csv"
    path.write_text("engagement,selling\n3,3\n5,5\n", encoding="utf-8")
    assert run(tmp_path, "explain", path, "--id", "2") == 0
    out = capsys.readouterr().out
    assert "engaged, attentive interviewer (5/5)" in out and "sold you the job (5/5)" in out


def test_explain_by_row_number_when_no_interview_id_matches(tmp_path, capsys):
    path = tmp_path / "ids.csv"
    path.write_text("interview_id,engagement,selling\nacme-1,3,3\nacme-2,5,1\n", encoding="utf-8")
    assert run(tmp_path, "explain", path, "--id", "2") == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Interview acme-2:")
    assert "explaining row 2" in captured.err
    assert run(tmp_path, "explain", path, "--id", "3") == 1  # neither an id nor a row
    assert "no interview with id '3'" in capsys.readouterr().err


def test_explain_finds_id_under_any_matching_header(tmp_path, capsys):
    path = tmp_path / "ids.csv"
    path.write_text("Interview ID,engagement\nx1,4\nx2,5\n", encoding="utf-8")
    assert run(tmp_path, "explain", path, "--id", "x2") == 0
    assert "x2" in capsys.readouterr().out


def test_explain_invalid_row_exits_1(tmp_path, broken, capsys):
    assert run(tmp_path, "explain", broken, "--id", "b2") == 1
    err = capsys.readouterr().err
    assert_one_line_error(err)
    assert "invalid" in err


def test_explain_plot_writes_png(tmp_path, capsys):
    png = tmp_path / "x.png"
    assert run(tmp_path, "explain", EXAMPLES, "--id", "syn-1-000000", "--plot", png) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 5_000
    assert str(png) in capsys.readouterr().err


def test_explain_chart_title_states_the_probability_once():
    import offerodds

    explanation = offerodds.explain(
        {"interview_id": "t1", "selling": 5, "hurried": "yes"}, model=offerodds.rules()
    )
    title = explanation.plot().axes[0].get_title()
    assert title.count(f"{round(100 * explanation.offer_probability)} %") == 1, title


# --- signals and template ------------------------------------------------------------------------


def test_signals_lists_every_signal(tmp_path, capsys):
    assert run(tmp_path, "signals") == 0
    out = capsys.readouterr().out
    named = [line.split()[0] for line in out.splitlines() if line and not line[0].isspace()]
    assert named == [s.name for s in catalogue()]
    for s in catalogue():
        assert s.question in out
        for column in s.columns:
            assert column in out


def test_template_header_is_accepted_by_score(tmp_path, capsys):
    blank = tmp_path / "blank.csv"
    assert run(tmp_path, "template", "-o", blank) == 0
    header = blank.read_text(encoding="utf-8").splitlines()
    assert len(header) == 1
    columns = header[0].split(",")
    assert set(input_columns()) <= set(columns)
    assert "interview_id" in columns and "outcome" in columns

    # an empty template scores to an empty output
    assert run(tmp_path, "score", blank, "--strict", "--quiet") == 0
    assert len(read_text_csv(tmp_path / "blank.scored.csv")) == 0

    # fill in one row
    values = {
        "interview_id": "me-1", "interview_date": "2026-03-02", "company": "Acme", "role": "Analyst",
        "engagement": "5", "eye_contact": "4", "hurried": "no", "selling": "5",
        "scheduled_minutes": "45", "actual_minutes": "60", "stage": "final",
        "availability_discussed": "yes", "thank_you_within_24h": "Y",
    }
    row = ",".join(values.get(c, "") for c in columns)
    filled = tmp_path / "filled.csv"
    filled.write_text(f"{header[0]}\n{row}\n", encoding="utf-8")
    assert run(tmp_path, "score", filled, "--strict") == 0
    scored = pd.read_csv(tmp_path / "filled.scored.csv", dtype={"interview_id": str})
    assert len(scored) == 1 and scored.loc[0, "interview_id"] == "me-1"
    assert read_text_csv(tmp_path / "filled.scored.rejects.csv").empty
    assert scored.loc[0, "offer_probability"] > 0.35  # better than a final round's base rate
    assert scored.loc[0, "signals_recorded"] == 8  # length (two columns) and stage count once


def test_template_to_stdout(tmp_path, capsys):
    assert run(tmp_path, "template") == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    assert out.strip().split(",") == template_columns()


def test_workspace_from_environment(tmp_path, interviews, capsys, monkeypatch):
    """Without --workspace, OFFERODDS_WORKSPACE names the workspace (here: no champion)."""
    monkeypatch.setenv("OFFERODDS_WORKSPACE", str(tmp_path / "from-env"))
    assert cli.main(["score", str(interviews)]) == 0
    assert str(tmp_path / "from-env") in capsys.readouterr().err


# --- the real entry point ------------------------------------------------------------------------


def test_console_entry_point_in_subprocess(tmp_path, broken):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p
    )
    env["OFFERODDS_WORKSPACE"] = str(tmp_path / "ws")
    out = tmp_path / "sub.csv"
    done = subprocess.run(
        [sys.executable, "-m", "offerodds.cli", "score", str(broken), "-o", str(out), "--strict",
         "--workspace", str(tmp_path / "ws")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr
    assert "scored 3" in done.stderr and "rejected 2" in done.stderr
    assert read_text_csv(out)["interview_id"].tolist() == BROKEN_GOOD_IDS
    assert len(read_text_csv(tmp_path / "sub.rejects.csv")) == len(BROKEN_PROBLEMS)


def test_entry_point_warns_about_replaced_result_columns(tmp_path):
    source = tmp_path / "with-results.csv"
    source.write_text("engagement,offer_probability\n4,0.9\n", encoding="utf-8")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "offerodds.cli", "score", str(source), "--workspace", str(tmp_path / "ws")],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if line.startswith("offerodds: warning:")]
    assert len(warned) == 1 and "offer_probability" in warned[0]
