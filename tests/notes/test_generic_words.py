"""Generic words that sound like signals but, in new writing, often are not.

Each case below was written for these tests (none is copied from an evaluation corpus). The first
list holds notes that speak to no signal at all: nothing may be proposed. The second list checks
that the narrowed phrases still read what they should.
"""

from __future__ import annotations

import pytest

from offerodds.notes import from_notes
from offerodds.notes.reader import from_notes as read_by_rules  # the rules alone, before the confidence layer (test_confidence.py)

NOTHING = [
    # "engaged" as in to be married, not attention
    "My sister cried when I told her I'm engaged to be married, then asked how the interview went.",
    "We got engaged last month, so a job near home would be ideal.",
    "Still buzzing that Priya is engaged to Tom. Interview at the bank on Friday.",
    # a follow-up that is not an interviewer's question
    "Follow-up with the physio this afternoon, then prep for tomorrow's interview.",
    "My boss asked me for a follow-up on the budget right as I was leaving for the interview.",
    "Booked a follow-up appointment at the GP. Interview went by in a blur.",
    # counting interviews, not naming a round
    "Second interview this week and I'm exhausted. Going to bed early.",
    "That was my third interview in a row with a fintech. All blur together now.",
    # a moment within the interview is not its length
    "About ten minutes in I realised I'd forgotten my portfolio at home.",
    # the candidate's own hurry, someone else's interview, a rehearsal, people who are not interviewers
    "A rushed commute: the train was late and I ran from the station.",
    "Dad had his final round at the council today, fingers crossed for him.",
    "My mock interview with Jo went great, she asked loads of follow-ups.",
    "My flatmate interrupted me constantly while I practised my answers.",
    "The receptionist smiled and offered me a coffee.",
    "The team at my current job are lovely, which makes leaving hard.",
]

READ = [
    ("She turned her phone face-down before we started.", {"distracted": "no"}, []),
    ("He closed his laptop and the call ended.", {}, ["distracted"]),
    ("It felt rushed from the first minute.", {"hurried": "yes"}, []),
    ("He kept glancing down at his phone while I talked.", {"distracted": "yes"}, ["eye_contact"]),
    ("She stared at her laptop and never looked up.", {"eye_contact": 2}, []),
    ("The interviewer seemed really engaged and asked loads of follow-ups.", {"engagement": 4, "follow_up_questions": "yes"}, []),
    ("She asked a couple of follow-ups on my thesis.", {"follow_up_questions": "yes"}, []),
    ("This was the second round; one more to go after it.", {"stage": "other"}, []),
    ("Stiff and formal, no small talk at any point.", {"casual_ending": "no"}, ["rapport"]),
    ("She smiled when she said hello and that was it.", {}, ["enthusiasm"]),  # a middle level: no manner scale
    ("He smiled a lot and clearly liked my answers.", {"enthusiasm": 4}, []),
    ("The slot was 45 minutes and we were done in 30.", {"scheduled_minutes": 45, "actual_minutes": 30}, []),
    ("It ran 90 minutes; they had kept only one hour for it.", {"scheduled_minutes": 60, "actual_minutes": 90}, []),
]


@pytest.mark.parametrize("text", NOTHING, ids=[t[:40] for t in NOTHING])
def test_a_note_that_speaks_to_no_signal_gets_no_proposal(text):
    assert dict(from_notes(text)) == {}


@pytest.mark.parametrize("text, wanted, never", READ, ids=[c[0][:40] for c in READ])
def test_narrowed_phrases_still_read_what_they_say(text, wanted, never):
    reading = read_by_rules(text)
    for column, value in wanted.items():
        assert reading.get(column) == value, (column, dict(reading))
    for column in never:
        assert column not in reading, (column, dict(reading))
