"""The follow-up email (advice/drafts.py): ``offerodds.followup`` and ``offerodds followup``."""

from __future__ import annotations

import email
import email.policy
import pandas as pd
import pytest

import offerodds
from offerodds.advice.drafts import PLACEHOLDERS
from offerodds.advice.playbook import playbook
from offerodds.cli import main

RULES = playbook()

GOOD = {
    "interview_id": "acme-1",
    "interview_date": "2026-03-02T14:30",
    "company": "Acme Analytics",
    "role": "Data Analyst",
    "interviewer_name": "Ms Rivera",
    "candidate_name": "Sam Lee",
    "stage": "first",
    "selling": 5,
    "introduced_to_team": "yes",
    "eye_contact": 4,
}
WEAK = {
    "interview_id": "bolt-2",
    "interview_date": "2026-03-02",
    "expected_response_date": "2026-03-09",
    "thank_you_sent_on": "2026-03-02",
    "company": "Bolt",
    "stage": "screen",
    "hurried": "yes",
    "scheduled_minutes": 60,
    "actual_minutes": 20,
    "questions_invited": "no",
    "selling": 4,
}


def draft(row, as_of):
    return offerodds.followup(row, model=offerodds.rules(), as_of=as_of)


def test_thank_you_draft_in_the_articles_structure():
    d = draft(GOOD, "2026-03-02T18:00")
    assert d.kind == "thank_you" and d.next_step_due == "2026-03-03"
    assert d.subject == "Thank you: Data Analyst interview"
    paragraphs = d.body.strip().split("\n\n")
    assert paragraphs[0] == "Dear Ms Rivera,"
    assert paragraphs[1].startswith("Thank you") and "Monday 2 March" in paragraphs[1]
    assert "Data Analyst role at Acme Analytics" in paragraphs[1]
    # specific details: the strongest recorded signals, in plain words
    assert RULES.mention["selling"].format(company="Acme Analytics") in paragraphs[2]
    assert RULES.mention["introduced_to_team"] in paragraphs[2]
    assert "interested" in paragraphs[3]  # the interest restated
    assert "[phone number]" in d.body and "[email address]" in d.body  # contact details
    assert d.body.rstrip().endswith("Best regards,\nSam Lee")
    assert "[" not in paragraphs[1] and "[interviewer" not in d.body


def test_missing_fields_become_clear_placeholders():
    d = draft({"stage": "final", "interview_date": "2026-03-02"}, "2026-03-02")
    for key in ("interviewer", "company", "role", "candidate"):
        assert PLACEHOLDERS[key] in d.body + d.subject, key
    assert RULES.draft["details_placeholder"] in d.body  # nothing recorded to recall


def test_status_follow_up_after_the_promised_date_addresses_the_gaps_of_a_weak_interview():
    before = draft(WEAK, "2026-03-05")
    assert before.kind == "" and "No email is called for now" in str(before)
    assert before.next_step_due == "2026-03-10"
    d = draft(WEAK, "2026-03-11")
    assert d.kind == "status" and d.subject.startswith("Following up")
    assert "Monday 9 March" in d.body  # the date they gave
    scored = offerodds.score(WEAK, model=offerodds.rules(), as_of="2026-03-11").iloc[0]
    effects = {s: scored[f"contrib_{s}"] for s in RULES.interview_signals}
    for signal in sorted(effects, key=effects.get)[: RULES.gaps_named]:  # the weakest, addressed
        assert RULES.gap[signal] in d.body, signal
    assert RULES.draft["add_placeholder"] not in d.body
    assert "the odds look low" in d.next_step


def test_no_email_once_the_outcome_is_known():
    d = draft({**GOOD, "outcome": "offer"}, "2026-03-10")
    assert d.kind == "" and d.next_step == RULES.rule("offer").step
    with pytest.raises(ValueError, match="no email"):
        d.email()


def test_cli_prints_and_writes_an_email_file_that_a_mail_client_reads(tmp_path, capsys):
    source = tmp_path / "tracker.csv"
    header = list(GOOD)
    source.write_text(",".join(header) + "\n" + ",".join(str(GOOD[h]) for h in header) + "\n", encoding="utf-8")
    out = tmp_path / "draft.eml"
    code = main(["followup", str(source), "--id", "acme-1", "--as-of", "2026-03-02", "--rules", "-o", str(out)])
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.startswith("Subject: Thank you: Data Analyst interview")
    assert "Dear Ms Rivera," in captured.out and "nothing" not in captured.out
    assert "draft written" in captured.err
    message = email.message_from_bytes(out.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Thank you: Data Analyst interview"
    assert message["X-Unsent"] == "1" and message["To"] is None  # a draft, nobody addressed
    body = message.get_content()
    assert "Dear Ms Rivera," in body and body.rstrip().endswith("Sam Lee")


def test_cli_followup_by_row_number_and_when_nothing_is_due(tmp_path, capsys):
    source = tmp_path / "t.csv"
    source.write_text("stage,interview_date,thank_you_within_24h\nfirst,2026-03-02,yes\n", encoding="utf-8")
    out = tmp_path / "none.eml"
    assert main(["followup", str(source), "--id", "1", "--as-of", "2026-03-04", "--rules", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    # no date was promised: the next step is the status follow-up, drafted for its day
    assert captured.out.startswith("Subject: Following up")
    assert "for 2026-03-11" in captured.err and out.exists()
    waiting = tmp_path / "w.csv"
    waiting.write_text("stage,interview_date,thank_you_within_24h,expected_response_date\n"
                       "first,2026-03-02,yes,2026-03-09\n", encoding="utf-8")
    out.unlink()
    assert main(["followup", str(waiting), "--id", "1", "--as-of", "2026-03-04", "--rules", "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("No email is called for now. Next step (due 2026-03-10): Wait")
    assert not out.exists() and "nothing was written" in captured.err


def test_cli_followup_unknown_id_is_a_one_line_error(tmp_path, capsys):
    source = tmp_path / "t.csv"
    source.write_text("interview_id,stage\na,first\n", encoding="utf-8")
    assert main(["followup", str(source), "--rules", "--id", "nope"]) == 1
    err = capsys.readouterr().err
    assert "no interview with interview_id 'nope'" in err and len(err.strip().splitlines()) == 1


def test_cli_bad_as_of_is_a_usage_error(tmp_path, capsys):
    source = tmp_path / "t.csv"
    source.write_text("interview_id,stage\na,first\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["followup", str(source), "--rules", "--id", "a", "--as-of", "03/02/2026"])
    assert exit_.value.code == 2
    assert "not an ISO date" in capsys.readouterr().err


def test_score_writes_the_advice_as_of_the_date_given(tmp_path, capsys):
    source = tmp_path / "in.csv"
    source.write_text("interview_id,stage,interview_date\na,first,2026-03-02\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["score", str(source), "-o", str(out), "--rules", "--as-of", "2026-03-03", "--quiet"]) == 0
    scored = pd.read_csv(out)
    assert list(scored.columns[-2:]) == ["next_step", "next_step_due"]
    assert scored.loc[0, "next_step_due"] == "2026-03-03"
    assert scored.loc[0, "next_step"] == RULES.rule("thank_you_now").step


def test_a_name_with_braces_is_written_as_given():
    d = draft({**GOOD, "company": "Acme {Labs}", "interviewer_name": "Dr {X}"}, "2026-03-02")
    assert "Dear Dr {X}," in d.body and "Acme {Labs}" in d.body


def test_cli_followup_never_writes_over_the_input_or_a_file_that_is_not_a_draft(tmp_path, capsys):
    source = tmp_path / "t.csv"
    original = "interview_id,stage,interview_date\na,first,2026-03-02\n"
    source.write_text(original, encoding="utf-8")
    base = ["followup", str(source), "--id", "a", "--rules", "--as-of", "2026-03-02", "-o"]
    assert main([*base, str(source)]) == 1
    assert "same file" in capsys.readouterr().err and source.read_text(encoding="utf-8") == original
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    assert main([*base, str(notes)]) == 1
    assert "not an email draft" in capsys.readouterr().err and notes.read_text() == "my notes"
    draft = tmp_path / "d.eml"
    assert main([*base, str(draft)]) == 0 and main([*base, str(draft)]) == 0  # a draft is replaced
