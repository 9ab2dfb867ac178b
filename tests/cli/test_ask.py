"""``offerodds ask``: one interview entered by answering questions, answers piped on standard
input to a real process, as a script or a person at a terminal would; the row it adds is read
by ``score`` and ``validate``."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pandas as pd
import pytest

from offerodds.usecases import questions
from offerodds.stores.interview_file import append_interview
from offerodds.signals.catalogue import template_columns
from tests.conftest import REPO_ROOT, answers_for, ask

SRC = REPO_ROOT / "src"

def test_questions_start_with_the_interview_then_the_catalogue():
    asked = [column for column, _ in questions()]
    assert asked[:6] == ["interview_date", "company", "role", "interviewer_name", "candidate_name", "stage"]
    assert asked.count("stage") == 1 and "scheduled_minutes" in asked and "actual_minutes" in asked
    assert asked[-1] == "expected_response_date"


def test_ask_creates_the_tracker_and_prints_probability_explanation_and_next_step(tmp_path):
    tracker = tmp_path / "mine.csv"
    lines = answers_for(interview_date="2026-03-02T14:30", company="Acme", role="Data Analyst",
                        interviewer_name="Ms Rivera", candidate_name="Sam Lee", stage="final",
                        selling="5", introduced_to_team="yes", expected_response_date="2026-03-09")
    done = ask(tmp_path, lines, "-o", str(tracker), "--as-of", "2026-03-02T18:00")
    assert done.returncode == 0, done.stderr
    assert "offer probability" in done.stdout  # the explanation
    assert "met the team" in done.stdout and "sold you the job (5/5)" in done.stdout  # in plain words
    assert "next step (due 2026-03-03): Send a thank-you email now" in done.stdout
    assert "offerodds followup" in done.stdout and "added interview iv-" in done.stderr

    with open(tracker, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == template_columns()
    row = dict(zip(rows[0], rows[1]))
    assert row["interview_id"].startswith("iv-") and row["company"] == "Acme" and row["selling"] == "5"
    assert row["engagement"] == "" and row["expected_response_date"] == "2026-03-09"

    # score and validate read it as any other file
    out = tmp_path / "scored.csv"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    run = [sys.executable, "-m", "offerodds.cli"]
    scored = subprocess.run([*run, "score", str(tracker), "-o", str(out), "--rules", "--as-of", "2026-03-02"],
                            capture_output=True, text=True, env=env)
    assert scored.returncode == 0, scored.stderr
    result = pd.read_csv(out)
    assert len(result) == 1 and result.loc[0, "next_step_due"] == "2026-03-03"
    valid = subprocess.run([*run, "validate", str(tracker)], capture_output=True, text=True, env=env)
    assert valid.returncode == 0 and "1 valid" in valid.stdout


def test_a_wrong_answer_is_explained_and_asked_again(tmp_path):
    lines = answers_for(stage="final")
    at = [column for column, _ in questions()].index("engagement")
    lines[at : at + 1] = ["7", "four", "4"]  # two wrong answers, then a good one
    date_at = 0
    lines[date_at : date_at + 1] = ["03/12/2026", "2026-12-31"]  # 3 December or 12 March?
    done = ask(tmp_path, lines)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("a scale must be a number from 1 to 5; try again") == 1
    assert "not a number; try again" in done.stdout
    assert "day and month could be either way round (3 December or 12 March); write it as YYYY-MM-DD; try again" in done.stdout
    tracker = pd.read_csv(tmp_path / "interviews.csv", dtype=str, keep_default_na=False)  # the workspace's
    assert tracker.loc[0, "engagement"] == "4" and tracker.loc[0, "interview_date"] == "2026-12-31"


def test_end_of_input_skips_the_rest_and_a_second_interview_is_appended(tmp_path):
    tracker = tmp_path / "t.csv"
    first = ask(tmp_path, ["2026-03-02", "Acme"], "-o", str(tracker), "--as-of", "2026-03-05")
    assert first.returncode == 0, first.stderr
    assert "Send a thank-you email today" in first.stdout
    second = ask(tmp_path, ["2026-03-04", "Bolt", "", "", "", "screen", "2"], "-o", str(tracker))
    assert second.returncode == 0, second.stderr
    frame = pd.read_csv(tracker, dtype=str, keep_default_na=False)
    assert frame["company"].tolist() == ["Acme", "Bolt"]
    assert frame["interview_id"].nunique() == 2 and frame.loc[1, "engagement"] == "2"


def test_no_answer_at_all_adds_nothing(tmp_path):
    done = ask(tmp_path, [])
    assert done.returncode == 1 and "nothing was added" in done.stderr
    assert not (tmp_path / "interviews.csv").exists()


def test_an_existing_file_keeps_its_bytes_and_gains_only_the_columns_it_needs(tmp_path):
    tracker = tmp_path / "mine.csv"
    original = "Interview ID;Eye Contact;notes\r\n007;4;\"keep; me\"\r\n"
    tracker.write_bytes(original.encode("utf-8"))
    new_id = append_interview(tracker, {"eye_contact": "3"})
    text = tracker.read_bytes().decode("utf-8")
    assert text.startswith(original) and text.endswith(f"{new_id};3;\r\n")  # same delimiter and line ends
    append_interview(tracker, {"eye_contact": "5", "company": "Acme"})  # a column it lacks
    frame = pd.read_csv(tracker, sep=";", dtype=str, keep_default_na=False)
    assert list(frame.columns) == ["Interview ID", "Eye Contact", "notes", "company"]
    assert frame["Interview ID"].tolist()[0] == "007" and frame["notes"].tolist()[0] == "keep; me"
    assert frame["company"].tolist() == ["", "", "Acme"]


def test_a_parquet_tracker_is_refused_before_any_question(tmp_path):
    from offerodds.signals.headers import InputError

    with pytest.raises(InputError, match="CSV file, not Parquet"):
        append_interview(tmp_path / "t.parquet", {"stage": "first"})
    done = ask(tmp_path, ["2026-03-02"], "-o", str(tmp_path / "t.parquet"))
    assert done.returncode == 1 and "not Parquet" in done.stderr
    assert "When was the interview" not in done.stdout


def _row(tracker: Path) -> dict:
    with open(tracker, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return dict(zip(rows[0], rows[-1]))


def test_notes_given_with_the_option_become_defaults_that_enter_confirms(tmp_path):
    tracker = tmp_path / "mine.csv"
    note = "Final round. She never asked if I had any questions, and the panel read from a fixed list of questions."
    done = ask(tmp_path, answers_for(), "-o", str(tracker), "--notes", note, notes=None)
    assert done.returncode == 0, done.stderr
    assert "Paste your notes" not in done.stdout  # given already: not asked
    assert "[from your notes: no]" in done.stdout and "[from your notes: final]" in done.stdout
    assert 'your notes: "She never asked if I had any questions' in done.stdout  # the words behind it
    row = _row(tracker)
    assert row["stage"] == "final" and row["questions_invited"] == "no" and row["structured_format"] == "yes"
    assert row["notes"] == note and row["engagement"] == ""  # nothing the notes do not say


def test_notes_pasted_at_the_first_question_can_be_changed_or_cleared(tmp_path):
    tracker = tmp_path / "mine.csv"
    lines = answers_for()
    asked = [column for column, _ in questions()]
    lines[asked.index("questions_invited")] = "yes"  # the candidate knows better
    lines[asked.index("structured_format")] = "-"  # and leaves this one empty
    note = "She never asked if I had any questions.\nThe panel read from a fixed list of questions."
    done = ask(tmp_path, lines, "-o", str(tracker), notes=note)
    assert done.returncode == 0, done.stderr
    assert "Paste your notes" in done.stdout
    row = _row(tracker)
    assert row["questions_invited"] == "yes" and row["structured_format"] == ""
    assert row["notes"] == note


def test_notes_that_support_nothing_leave_every_question_as_before(tmp_path):
    tracker = tmp_path / "mine.csv"
    done = ask(tmp_path, answers_for(company="Acme"), "-o", str(tracker), notes="Parking was a nightmare.")
    assert done.returncode == 0, done.stderr
    assert "from your notes" not in done.stdout
    row = _row(tracker)
    assert row["company"] == "Acme" and row["notes"] == "Parking was a nightmare."
    assert all(row[c] == "" for c in ("stage", "engagement", "hurried"))

def test_ask_says_when_it_adds_a_column(tmp_path):
    tracker = tmp_path / "mine.csv"
    tracker.write_text("interview_id,selling\na1,4\n", encoding="utf-8")
    done = ask(tmp_path, answers_for(selling="5", company="Acme"), "-o", str(tracker), "--as-of", "2026-03-02")
    assert done.returncode == 0, done.stderr
    assert "added 1 column at the end of its header: company" in done.stderr
    assert pd.read_csv(tracker, dtype=str).columns.tolist() == ["interview_id", "selling", "company"]


def test_ask_refuses_a_tracker_with_a_misspelt_column_before_any_question(tmp_path):
    """A column `timeline_given` beside `timline_given` would split one answer over two
    columns: ask names the header to rename and adds nothing."""
    from offerodds.errors import InputError

    tracker = tmp_path / "mine.csv"
    original = "interview_id,timline_given\na1,yes\n"
    tracker.write_text(original, encoding="utf-8")
    done = ask(tmp_path, answers_for(timeline_given="yes"), "-o", str(tracker))
    assert done.returncode == 1
    assert "'timline_given' that looks like 'timeline_given'" in done.stderr
    assert "When was the interview" not in done.stdout  # refused before the questions
    assert tracker.read_text(encoding="utf-8") == original
    with pytest.raises(InputError, match="looks like 'timeline_given'"):
        append_interview(tracker, {"timeline_given": "yes"})


