"""Precision first: where the reader abstains rather than guesses (issue 25, third pass).

One rule a block; each case was written for these tests (none is copied from an evaluation
corpus), and each rule also has a case showing that plain notes still read.
"""

from __future__ import annotations

from offerodds.notes import from_notes
from offerodds.notes.reader import from_notes as read_by_rules  # the rules alone, before the confidence layer (test_confidence.py)


def test_a_sarcastic_note_proposes_nothing_on_the_good_side():
    # the sarcasm cue is in one sentence; the next sentence looks plain but is part of the irony
    note = "Yeah, great 'chat'. She asked if I had any questions with a minute to go."
    assert dict(from_notes(note)) == {}
    note = "Oh great, another panel. They explained the next steps in detail."
    assert "next_steps_explained" not in from_notes(note)
    # what went badly is meant as said
    assert from_notes("Yeah, great 'chat'. He kept checking his phone.")["distracted"] == "yes"
    # lengths and the stage are facts, not tone: they still stand
    reading = from_notes("Yeah, great 'conversation'. First round, booked for 45 minutes.")
    assert reading.get("stage") == "first" and reading.get("scheduled_minutes") == 45
    # without a sarcasm cue the same question reads
    assert from_notes("She asked if I had any questions at the end.")["questions_invited"] == "yes"


def test_a_sentence_about_someone_elses_interview_proposes_nothing_in_any_clause():
    note = "Ha, Maya had her interview there this morning - they gave her a full tour and she met the whole team."
    assert dict(from_notes(note)) == {}
    note = "Tom got his final round at the bank today - the manager walked him round the trading floor."
    assert dict(from_notes(note)) == {}
    # the candidate's own interview still reads
    reading = from_notes("They gave me a full tour of the office and I met the whole team.")
    assert reading["workspace_tour"] == "yes" and reading["introduced_to_team"] == "yes"


def test_a_sentence_listing_the_rounds_gives_no_stage():
    note = "The recruiter explained the process: a take-home, then a technical round, then the final with the CTO."
    reading = from_notes(note)
    assert "stage" not in reading
    assert reading["next_steps_explained"] == "yes"
    # one round named: that is this interview's stage
    assert read_by_rules("Second round with two engineers today.")["stage"] == "other"
    # a round named only by its kind could be any round: no stage
    assert "stage" not in from_notes("Technical round with two engineers today.")
    assert read_by_rules("Screening call with the recruiter, 20 minutes.")["stage"] == "screen"


def test_on_a_panel_one_interviewers_manner_is_not_the_panels():
    note = "Panel of two. The lead was great, leaning in and clearly into it. The other one had her camera off."
    reading = from_notes(note)
    assert "engagement" not in reading
    note = "Two interviewers. The architect grilled me on Kafka, proper deep stuff. The manager asked two HR questions."
    assert "skills_depth" not in from_notes(note)
    # what the note says of them together still stands
    reading = from_notes("Panel of three. They were all really engaged and asked loads of follow-ups.")
    assert reading["engagement"] in (4, 5) and reading["follow_up_questions"] == "yes"
    # one interviewer alone: the same words read
    assert from_notes("The lead was leaning in the whole time, clearly into it.")["engagement"] in (4, 5)


def test_running_past_the_slot_is_not_the_length():
    # "10 minutes past the hour slot" is an overrun, not a 10-minute interview
    reading = from_notes("Ran 10 minutes past the hour slot.")
    assert reading.get("actual_minutes") != 10
    reading = from_notes("Booked for 45 minutes and ran 15 minutes past the allotted time.")
    assert reading.get("actual_minutes") in (None, 60)
    assert reading["scheduled_minutes"] == 45
