"""Several interviewers in one note: what is said of one of them is not said of all.

A sentence that sets two interviewers side by side ("the other one", "two of them", "the third
guy", "interviewer one ... interviewer two", "part 2 the director") tags its manner readings; a
note about a panel keeps a manner reading only where the note says it of them together ("both
were engaged"); two interviewers named, numbered or named by role whose manner points both ways
propose nothing on their manner.
"""

from __future__ import annotations

import re
from dataclasses import replace

__all__ = ["BAD_WHEN_YES", "BY_PERSON", "TWO_PEOPLE", "several_interviewers", "side"]

# Two interviewers set side by side: what the sentence says of "them" does not hold for both.
TWO_PEOPLE = re.compile(
    r"\b(?:except (?:for )?(?:the|one|him|her)|the other (?:one|interviewer|guy|woman|man|lady|person|panelist|panellist|manager|engineer|lead|recruiter|two|three)|"
    r"the other (?:was|wasn't|seemed|did|didn't|kept|never)|(?<!the )(?:one|two|three) of them|the (?:second|third|fourth|fifth|last) (?:one|interviewer|person|guy|woman|man|lady|panelist|panellist)|"
    r"the (?:first|last) (?:one|two|three|interviewer|person|guy|woman|man|lady)|the (?:third|fourth|fifth)\b|(?:his|her|their) colleague|whereas (?:the|his|her)|while (?:the|his|her) (?:colleague|partner|boss)|"
    r"one (?:was|seemed|interviewer)|the (?:senior|junior) one|interviewer (?:one|two|1|2|#1|#2|a|b)|(?:first|second) interviewer|part (?:one|two|1|2)|^one (?:\w+ed|was|seemed))\b"
)
# A note about more than one interviewer.
_PANEL = re.compile(
    r"\b(?:(?:two|three|four|2|3|4) (?:on the panel|interviewers|of them|people interviewed|panelists|panellists)|panel of (?:two|three|four|2|3|4)|"
    r"both (?:interviewers|of them)|the other (?:one|interviewer|guy|woman|man|lady|person|panelist|panellist)|one of them|"
    r"(?:second|third|other) interviewer)\b"
)
_TOGETHER = re.compile(r"\b(?:both|they|them|all(?! smiles| ears| business| over| the time| in all| of a sudden| that)|the panel(?! chair| lead| member| head| convenor)|everyone|each of them|neither|the two of them)\b")
_SOME_OF = re.compile(r"\b(?<!the )(?:one|two|three|some|most|a couple|none|either) of (?:them|the \w+)\b")


def _together(words: str) -> bool:
    """Whether words speak of the interviewers together ("both were engaged"), not of some of
    them ("two of them were friendly")."""
    return bool(_TOGETHER.search(_SOME_OF.sub(" ", words.lower())))
# The signals where two interviewers may differ: how each behaved towards the candidate.
BAD_WHEN_YES = ("distracted", "interrupted_often", "hurried")
BY_PERSON = ("engagement", "eye_contact", "enthusiasm", "distracted", "interrupted_often", "hurried", "rapport",
              "skills_depth", "answer_quality")
_PERSONAL = ("engagement", "eye_contact", "enthusiasm", "distracted", "interrupted_often", "hurried", "rapport")
_NAMED_SUBJECT = re.compile(r"(?:^|[;,.:]\s*|\band\s+)([A-Z][a-z]+)\s+(?:[a-z]+ly\s+)?(?:was|were|seemed|kept|looked|sounded|barely|never|spent|did|didn't|just|also|is|stared|sat|checked|asked|"
                            r"talked|typed|scrolled|smiled|laughed|interrupted|spoke|took)\b")
# Capitalised words that start a sentence but name nobody ("Interviewer was not very interested").
_NOT_NAMES = frozenset(
    "I It The She He They We This That There Interview Interviewer Interviewers Panel Manager Recruiter Call Screen "
    "Round Everyone Everything Nobody Both Overall Lunch Today Yesterday Tour Office Team Company Role Job Questions "
    "Question Timeline Format Rapport Engagement Energy Vibe Atmosphere Chat Conversation Meeting Which Who What One "
    "Nothing Mine Director Boss Lead Host Founder Someone Somebody Everybody Nobody Candidate Mood Tone Session".split())
_NUMBERED = re.compile(r"\binterviewer (?:one|two|1|2|#1|#2|a|b)\b|\b(?:first|second) interviewer\b")
# Interviewers named by their role as the subject of how they behaved ("the product director was
# clearly distracted ... the engineer was focused on me"): two different roles are two people.
_ROLE_SUBJECT = re.compile(
    r"\bthe (?:[a-z]+ )?(manager|director|engineer|recruiter|lead|ceo|cto|cfo|coo|founder|hr person|hr rep|hr lady|hr guy|hr woman|hr man|"
    r"partner|head|vp|supervisor|principal|chef|nurse|analyst|developer|designer|owner|md|chair|(?:woman|man|guy|lady) from \w+)\b"
    r"(?=\s+(?:[a-z]+ly\s+)?(?:was|were|seemed|looked|kept|barely|never|spent|sounded|stared|sat|i\b|next to|beside))")


def side(value) -> int:
    """Which side of a signal a value is on: +1 (yes, 4-5), -1 (no, 1-2), 0 (3 or other)."""
    if isinstance(value, int):
        return (value > 3) - (value < 3)
    return {"yes": 1, "no": -1}.get(value, 0)


def several_interviewers(found: dict, text: str) -> None:
    """Remove, in place, the manner readings of ``found`` (column -> proposals) that hold for one
    interviewer of several only."""
    # a note about two interviewers that differ cancels the signal; the same reading for both stands
    for column, props in list(found.items()):
        if any(isinstance(p.value, tuple) for p in props):
            inner = {p.value[1] if isinstance(p.value, tuple) else p.value for p in props}
            if len(props) < 2 or len(inner) > 1:
                del found[column]
            else:
                found[column] = [replace(p, value=p.value[1] if isinstance(p.value, tuple) else p.value) for p in props]
    # a note about two interviewers whose manner points both ways: nothing on their manner
    named = {m.group(1) for m in _NAMED_SUBJECT.finditer(text)} - _NOT_NAMES
    if _NUMBERED.search(text.lower()):
        named |= {"interviewer one", "interviewer two"}  # "interviewer one (Ana) was ...; interviewer two ..."
    roles = {m.group(1) for m in _ROLE_SUBJECT.finditer(text.lower())}
    if len(roles) >= 2:
        named |= {f"the {r}" for r in roles}
    # one of a panel: what the note says of one interviewer's manner or depth is not the panel's
    if _PANEL.search(text.lower()) and len(named) < 2:
        for column in (*_PERSONAL, "skills_depth", "answer_quality"):
            if column in found:
                kept = [p for p in found[column] if _together(p.words)]
                if kept:
                    found[column] = kept
                else:
                    del found[column]
    if _PANEL.search(text.lower()) or len(named) >= 2:
        sides = {side(p.value) * (-1 if c in BAD_WHEN_YES else 1)
                 for c in _PERSONAL for p in found.get(c, []) if not isinstance(p.value, tuple)}
        for column in _PERSONAL:
            if 1 in sides and -1 in sides:
                found.pop(column, None)  # their manner points both ways
            elif len(named) >= 2 and column in found:
                # one named interviewer's manner is not the other's: only what the note says of
                # them together stands, or the same reading said of each in turn ("interviewer #1
                # smiled a lot; interviewer #2 smiled a lot too")
                kept = [p for p in found[column] if _together(p.words)]
                said_of_each = (len({p.words for p in found[column]}) >= 2
                                and len({p.value for p in found[column]}) == 1)
                if kept:
                    found[column] = kept
                elif not said_of_each:
                    del found[column]
