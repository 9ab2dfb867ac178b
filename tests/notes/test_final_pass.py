"""Issue 25, last pass: kinds of wrong readings found on three writers' notes the reader had not
seen (denials it missed, a length in the plan's unit), each shown read as meant next to the plain
case that must still read."""

from offerodds import from_notes


def test_a_denial_covers_each_thing_joined_by_or():
    reading = from_notes("Neither of them asked about my career plans or said a word about progression.")
    assert reading["career_goals_asked"] == "no" and reading["growth_discussed"] == "no"
    # "and" still ends it: what follows is said to have happened
    reading = from_notes("He didn't ask about my goals, and he told me about progression routes.")
    assert reading["career_goals_asked"] == "no" and reading["growth_discussed"] == "yes"


def test_zero_and_nothing_deny_what_they_are_said_of():
    assert from_notes("She asked zero about where I want to be long-term.")["career_goals_asked"] == "no"
    assert from_notes("Sold me on absolutely nothing.")["selling"] <= 2
    assert from_notes("She asked about where I want to be in five years.")["career_goals_asked"] == "yes"
    assert from_notes("He really sold me on the role.")["selling"] >= 4


def test_scots_negations_deny():
    assert from_notes("naw they didnae show me round, we just sat in the wee room")["workspace_tour"] == "no"
    assert from_notes("they showed me round the whole building")["workspace_tour"] == "yes"


def test_a_thing_considered_or_decided_against_was_not_done():
    assert "handwritten_note" not in from_notes("Thought about a handwritten note too but decided against it.")
    assert from_notes("I sent a handwritten note the same day.")["handwritten_note"] == "yes"


def test_a_length_said_without_its_unit_takes_the_plans_unit():
    reading = from_notes("The interview was supposed to be 1 hour but lasted 2.")
    assert (reading["scheduled_minutes"], reading["actual_minutes"]) == (60, 120)
    assert from_notes("Scheduled 1 hour, lasted 90.")["actual_minutes"] == 90
    assert from_notes("Booked for 45 minutes, took 20.")["actual_minutes"] == 20
    reading = from_notes("Panel was scheduled for two hours and ran to two hours fifteen.")
    assert reading["actual_minutes"] == 135
    assert from_notes("we talked for one hour twenty")["actual_minutes"] == 80


def test_introduced_to_nobody_is_no():
    assert from_notes("They introduced me to nobody. Just the one interviewer, in and out.")["introduced_to_team"] == "no"
    assert from_notes("She introduced me to the team.")["introduced_to_team"] == "yes"
    assert from_notes("Met the partner and the two associates as planned, nobody dropped out.")["met_all_scheduled"] == "yes"


def test_sarcasm_markers_hold_back_praise():
    assert dict(from_notes("Great listener. (not.)")) == {}
    assert dict(from_notes("Great, another interviewer who let me finish maybe one sentence out of five.")) == {}
    assert "company_info" not in from_notes("Wow, such detailed info about the company: 'we're a startup'. That's it.")
    assert from_notes("She let me finish every answer.")["interrupted_often"] == "no"
    assert from_notes("They explained the next steps in detail.")["next_steps_explained"] == "yes"
    # a parenthesis that starts with "not" is not a retraction
    assert from_notes("She walked me around the office (not naming them).")["workspace_tour"] == "yes"


def test_an_earlier_interview_set_against_this_one_is_not_this_one():
    reading = from_notes("Last week at Lomax they interrupted me constantly. Today's interview at Pryor was calm.")
    assert "interrupted_often" not in reading
    assert "workspace_tour" not in from_notes("Unlike the first round, where I got the full office tour, today's final was all video.")
    assert from_notes("They interrupted me constantly.")["interrupted_often"] == "yes"


def test_take_as_long_as_you_need_is_not_an_invitation_to_ask():
    assert "questions_invited" not in from_notes("no rush at all, he said take as long as you need")
    assert from_notes("She gave me plenty of time to ask questions.")["questions_invited"] == "yes"
