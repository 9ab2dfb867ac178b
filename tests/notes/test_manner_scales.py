"""Manner scales (how the interviewer came across) are proposed only from a clear, one-sided
reading: never at the middle level from a hedged phrase, never from a sentence that weighs two
impressions with a contrast. A form line that states a level still stands."""

import pytest

from offerodds.notes import from_notes
from offerodds.notes.reader import MANNER


@pytest.mark.parametrize("text, column", [
    ("She was fairly engaged.", "engagement"),
    ("She smiled at times.", "enthusiasm"),
    ("He was somewhat friendly.", "rapport"),
])
def test_no_middle_level_from_a_hedged_phrase(text, column):
    assert column not in from_notes(text)


@pytest.mark.parametrize("text", [
    "He was friendly but a bit flat.",
    "She seemed engaged, though she kept glancing at the clock.",
    "Really warm guy, however the chat never got going.",
])
def test_a_contrast_in_the_sentence_gives_no_manner_scale(text):
    reading = from_notes(text)
    assert not set(reading) & set(MANNER), dict(reading)


def test_the_contrast_rule_leaves_other_columns():
    assert from_notes("He was very warm, though he rushed the end.")["hurried"] == "yes"


def test_a_plain_descriptor_still_reads():
    assert from_notes("She was really engaged.")["engagement"] >= 4


def test_a_form_line_may_state_the_middle_level():
    assert from_notes("Rapport: 3/5")["rapport"] == 3
