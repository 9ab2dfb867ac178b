"""``offerodds notes`` and ``score --from-notes`` as a person at a terminal uses them."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from offerodds.cli import main

NOTE = "Final round. He kept checking his phone and never asked if I had questions."


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_notes_prints_each_proposal_under_the_words_it_rests_on(capsys):
    code, out, _ = run(capsys, "notes", NOTE)
    assert code == 0
    assert "stage             = final" in out and "distracted        = yes" in out
    assert '"He kept checking his phone and never asked if I had questions"' in out
    assert "these are proposals" in out


def test_notes_that_speak_to_no_signal_say_so(capsys):
    code, out, _ = run(capsys, "notes", "Parking was a nightmare and my shoes pinched.")
    assert code == 0 and "supports no signal value: nothing proposed" in out


def test_notes_json_is_strict_json(capsys):
    code, out, _ = run(capsys, "notes", NOTE, "--json")
    data = json.loads(out, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))
    assert data["values"] == {"stage": "final", "distracted": "yes", "questions_invited": "no"}
    assert set(data["evidence"]) == set(data["values"])


@pytest.fixture()
def tracker(tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"interview_id": ["iv-1", "iv-2"], "stage": ["", "first"],
                  "notes": [NOTE, "We ran the full hour."]}).to_csv(path, index=False)
    return path


def test_notes_reads_one_interview_of_a_file(capsys, tracker):
    code, out, _ = run(capsys, "notes", str(tracker), "--id", "iv-2")
    assert code == 0 and f"interview iv-2 of {tracker}" in out
    assert "scheduled_minutes = 60" in out and "actual_minutes    = 60" in out
    code, out, _ = run(capsys, "notes", str(tracker), "--id", "1")  # a row number
    assert code == 0 and "distracted" in out


@pytest.mark.parametrize("argv, message", [
    (["--id", "nope"], "no interview with id 'nope'"),
    ([], "say which with --id"),
])
def test_a_file_needs_an_id_that_is_in_it(capsys, tracker, argv, message):
    code, _, err = run(capsys, "notes", str(tracker), *argv)
    assert code == 1 and message in err


def test_a_text_file_and_a_json_lines_file_are_read_too(capsys, tmp_path):
    text = tmp_path / "note.txt"
    text.write_text(NOTE, encoding="utf-8")
    code, out, _ = run(capsys, "notes", str(text))
    assert code == 0 and "distracted" in out
    lines = tmp_path / "notes.jsonl"
    lines.write_text(json.dumps({"id": "n1", "text": NOTE}) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "notes", str(lines), "--id", "n1")
    assert code == 0 and "questions_invited" in out


def test_a_file_without_notes_is_named(capsys, tmp_path):
    path = tmp_path / "plain.csv"
    pd.DataFrame({"interview_id": ["a"], "stage": ["final"]}).to_csv(path, index=False)
    code, _, err = run(capsys, "notes", str(path), "--id", "a")
    assert code == 1 and "has no `notes` column" in err
    code, _, err = run(capsys, "score", str(path), "--from-notes", "--rules")
    assert code == 1 and "--from-notes reads a `notes` column" in err


def test_score_from_notes_fills_empty_signals_and_lists_them(capsys, tracker, tmp_path):
    out_path = tmp_path / "scored.csv"
    code, _, err = run(capsys, "score", str(tracker), "--from-notes", "--rules", "-o", str(out_path))
    assert code == 0, err
    scored = pd.read_csv(out_path, dtype=str, keep_default_na=False)
    assert scored.columns[-1] == "signals_from_notes"
    assert scored["signals_from_notes"].tolist() == [
        "distracted = yes; questions_invited = no; stage = final",
        "scheduled_minutes = 60; actual_minutes = 60",  # its stage "first" was recorded: kept
    ]
    assert scored["stage"].tolist() == ["", "first"]  # the input, unchanged
    assert "(from your notes)" in scored.loc[0, "reasons"]
    code, _, _ = run(capsys, "score", str(tracker), "--rules", "-o", str(tmp_path / "plain.csv"))
    assert "signals_from_notes" not in pd.read_csv(tmp_path / "plain.csv").columns


def test_the_people_view_marks_effects_filled_from_notes(capsys, tmp_path):
    path = tmp_path / "mine.csv"
    pd.DataFrame({"interview_id": ["iv-1", "iv-2"], "distracted": ["", "yes"],
                  "notes": ["He was on his phone the whole time.", "He was on his phone the whole time."]}
                 ).to_csv(path, index=False)
    out_path = tmp_path / "people.csv"
    code, _, err = run(capsys, "score", str(path), "--from-notes", "--rules", "--view", "people", "-o", str(out_path))
    assert code == 0, err
    scored = pd.read_csv(out_path, dtype=str, keep_default_na=False)
    filled, recorded = scored["effects"].tolist()
    assert "(from your notes): odds x" in filled  # the notes gave this row's distracted = yes
    assert "(from your notes)" not in recorded  # the same value, recorded by the person: not marked
    assert filled.replace(" (from your notes)", "") == recorded
    code, _, err = run(capsys, "score", str(path), "--rules", "--view", "people", "-o", str(tmp_path / "plain.csv"))
    assert "(from your notes)" not in pd.read_csv(tmp_path / "plain.csv", dtype=str)["effects"].str.cat()
