"""The context of a clause beyond its own words, for ``from_notes``: sentences that take back or
doubt their neighbours, the candidate's own questions, a middle said by a hedge, thin content
beside a high level, what comes next, an interview called off.

Each rule makes the reader abstain where a careful reader would not commit (issue 25, fifth pass,
written from the held-out parts' wrong proposals; docs/notes.md, "Fifth pass").
"""

from __future__ import annotations

import re

from offerodds.notes import scopes

__all__ = ["CALLED_OFF", "I_ASKED", "NEITHER", "NEXT_LABEL", "NEXT_STEPS", "OWN", "PROMISES", "SLIGHT",
           "doubted_after", "held_back_sentences", "mine"]


# Sentences that take back or cast doubt on their neighbours (fifth pass, from the held-out
# parts' errors):
#   a retraction      a sentence that is only "NOT." / "not!" / "jk" turns the sentence before it
#                     around ("the interviewer was clearly distracted lol. NOT."): nothing from it;
#   a self-correction "oh wait", "scratch that", "actually no" withdraws its own sentence ("It's not
#                     like she didn't explain what happens next... oh wait, she didn't.");
#   a doubt alone     a sentence that is only doubt ("Maybe?", "Not sure.", "Hard to tell.")
#                     covers the sentences on either side of it;
#   a story's sequel  a sentence about someone else's interview or a rehearsal carries on into the
#                     next one when that starts with "he/she/they" ("Practice interview with Dad.
#                     He played a grumpy manager who kept interrupting.").
_RETRACTION = re.compile(r"^\W*(?:not|jk|just kidding|kidding|lol no|not really)\W*$")
_SELF_CORRECTION = re.compile(r"\b(?:oh wait|wait,? no|scratch that|actually,? no|correction:|i take that back)\b")
_DOUBT_ALONE = re.compile(r"^\W*(?:maybe|perhaps|possibly|not sure|unsure|hard to (?:tell|say)|who knows|dunno|idk|no idea|"
                          r"i (?:can't|couldn't|cannot) tell|or not|i don't know|not sure really)\W*$")
_PRONOUN_START = re.compile(r"^\W*(?:he|she|they|him|her|them|his|their)\b")


def held_back_sentences(parts) -> set[int]:
    """The sentences (by index) that a neighbour takes back or casts doubt on."""
    order = sorted({c.index for c in parts})
    text = {c.index: c.sentence_text for c in parts}
    held = set()
    for k, idx in enumerate(order):
        sentence = text[idx]
        if _RETRACTION.match(sentence) and k:
            held.add(order[k - 1])
        if _SELF_CORRECTION.search(sentence):
            held.add(idx)
            if k:
                held.add(order[k - 1])
        if _DOUBT_ALONE.match(sentence):
            held.update(order[j] for j in (k - 1, k + 1) if 0 <= j < len(order))
        if (scopes.elsewhere(sentence) and not _HABIT.search(sentence) and k + 1 < len(order)
                and _PRONOUN_START.match(text[order[k + 1]])):
            held.add(order[k + 1])
    return held


_HABIT = re.compile(r"\b(?:usually|normally|typically)\b")


# "- next: final with MD": a label that puts the rest of its line in the future
NEXT_LABEL = re.compile(r"\bnext(?: step| up| round| stage)?\s*[:=-]?\s*$")


def doubted_after(clause, parts) -> bool:
    """Whether a later clause of the sentence, after a contrast, doubts what this one says ("I had a
    feeling he was in a hurry, but maybe it was just his style, I really can't tell")."""
    sentence, seen = clause.sentence_text, False
    for later in parts:
        if later is clause:
            seen = True
            continue
        if not seen or later.index != clause.index or not scopes.doubtful(later.text):
            continue
        if _OUTCOME.search(later.text):
            continue  # "..., but I'm not sure they'll call": a doubt about the outcome, not about what happened
        where = sentence.find(later.text)
        if where > 0 and _CONTRAST_BEFORE.search(sentence[:where]):
            return True
    return False


# what the interviewer said would happen: a doubt whether they will keep to it takes nothing back
PROMISES = ("timeline_given", "next_steps_explained")
_OUTCOME = re.compile(r"\b(?:i doubt it|we'll see|they'll|they will|i'll|i will|will i|i'd get|i got it|get (?:it|the job|the offer|an offer|through)|"
                      r"call (?:me )?back|hear back|an offer|the job|next round|it matters|matters|went well|did well)\b")


_CONTRAST_BEFORE = re.compile(r"\b(?:but|though|although|then again|yet)\W*(?:\w+\W+){0,3}$")

# The candidate's own question, with no answer reported between it and the phrase.
I_ASKED = re.compile(
    r"\bi (?:also |then |even )?(?:asked|enquired|inquired|queried|wanted to know)\b"
    r"(?![^,;]*\b(?:said|says|explained|told|answered|replied|described|showed|walked|introduced|gave|took|offered|shared|"
    r"mentioned|talked|spoke|confirmed|promised|went)\b)[^,;]*$"
)
OWN = ("thank_you_within_24h", "handwritten_note", "stage", "answer_quality")  # answer_quality is about my questions

# Words that say what was given was little or thin: a high level of a manner scale does not stand
# beside them in one sentence.
SLIGHT = re.compile(
    r"\b(?:generic|vague|superficial|boilerplate|bland|stock|cookie-?cutter|surface|a bit of everything|"
    r"nothing (?:specific|concrete|much|deep)|only briefly|briefly|"
    r"for (?:about |only |just |maybe )?(?:a |one |two |a few |a couple of |\d+ )?(?:minutes?|mins?|seconds?)|"
    r"(?:straight|right) (?:off|from) the (?:website|job ad|ad|advert|posting)|"
    r"(?:you'd|you could|i could) find on (?:the|their) (?:website|site))\b"
)
# "neither warm nor cold": a middle said by a hedge
NEITHER = re.compile(r"\bneither\b.{1,40}\bnor\b")

# the interview itself called off ("Interview cancelled last minute, rescheduled for the 14th"), not
# one interviewer dropping out ("the VP was supposed to join but cancelled")
CALLED_OFF = re.compile(r"\b(?:interview|call|meeting|session|screen|it)\s+(?:was\s+|got\s+|has been\s+|had been\s+|'s been\s+)?"
                         r"(?:cancell?ed|postponed|rescheduled|re-scheduled|pushed back|called off|moved)\b|\b(?:rescheduled|postponed) (?:for|to|until|till)\b")


# a round named as what comes next, not this one ("she said a final round with the CEO, then an offer")
NEXT_STEPS = re.compile(r"\bnext steps?\b|\bwhat (?:happens|comes) next\b|\bthe (?:rest of the )?process\b")

_MY_ANSWERS = re.compile(r"\bmy (?:own )?(?:answers?|responses?)\b")
_MY_QUESTIONS = re.compile(r"\bmy (?:own )?(?:\w+ )?questions? (?:were|was|felt|seemed)\b")


def mine(column: str, words: str) -> bool:
    """Whether a phrase about answers or questions is about the candidate's own ("my answers were
    vague" is not the interviewer's answer quality; "my questions were basic" is not shallow
    interviewing)."""
    if column == "answer_quality":
        return bool(_MY_ANSWERS.search(words))
    if column == "skills_depth":
        return bool(_MY_QUESTIONS.search(words))
    return False
