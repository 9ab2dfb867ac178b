"""Cues around a matched phrase that change what it says, for any writer:

- **a round that is not this one**: "the final round would be with the MD", "what the second
  round would involve" (a round still to come), "my first interview in four years" / "first interview ever" (the candidate's life, not a stage);
- **a round named by its kind only** ("the technical round", "a case interview"): no stage;
- **a stated last round**: "second interview, which is the last round" is the final;
- **thin content**: "told me about the company: honestly pretty vague", "described the role in
  two sentences, very generic": the topic came up, but the information was not rich;
- **an unticked box**: "☐ handwritten note", "✘ thank-you": not done;
- **a stated middle**: "neither enthusiastic nor bored", "not super engaged, not checked out
  either", "medium energy": the middle, so neither side is proposed;
- **not yet**: "hasn't sent it yet", "not yet" is not "no", and a thank-you not yet sent is not
  sent;
- **"not ... exactly"**: "I'd not say he was distracted exactly": a hedge, no answer;
- **doubt next door**: a short sentence of doubt with nothing of its own ("Hard to tell.")
  covers the sentence before it; a bare "NOT." takes it back.
"""

from __future__ import annotations

import re

from offerodds.notes import scopes
from offerodds.notes.lexicon import lexicon

__all__ = ["unseen", "changed", "denied_by_form", "doubted_from_outside", "excused", "middle", "round_of", "unnumbered", "not_exactly", "not_yet", "round_elsewhere", "stated_last_round", "thin", "unticked"]

_AHEAD = re.compile(
    r"^\W*(?:\w+\W+){0,2}?(?:would|will|'ll|shall|is going to|is with|is on|is at|is in|will be|would be|involves?|to follow)\b"
)
_LIFETIME = re.compile(r"^\W*(?:ever|in (?:\w+ ){0,2}(?:years?|months?|ages|a while|a long time|my life|my career))\b")
_EXPECT = re.compile(
    r"\b(?:expect|expecting|about|invite(?:d)? (?:me )?to|invitation to|prepare for|preparing for|"
    r"(?:go|goes|going|progress|progresses|move|moves) (?:on )?(?:through )?to|(?:wants?|want|invited|asked) me back for)\s+(?:\w+\s+){0,2}$"
)


def round_elsewhere(text: str, start: int, end: int) -> bool:
    """Whether the round named at ``text[start:end]`` is not the one the note reports."""
    return bool(_AHEAD.match(text[end:]) or _LIFETIME.match(text[end:])
                or _EXPECT.search(text[max(0, start - 40):start]))


_LAST_ROUND = re.compile(
    r"\b(?:is|was|'s|as) (?:the |their |our )?(?:last|final) (?:round|stage|interview|step|one)\b|"
    r"\(\s*(?:the )?(?:final|last)(?: (?:one|round|stage|interview))?\s*\)|\bso (?:it's |it was |this was )?(?:the )?final\b"
)
_ORDINALS = {"first": 1, "1st": 1, "one": 1, "1": 1, "second": 2, "2nd": 2, "two": 2, "2": 2, "third": 3, "3rd": 3,
             "three": 3, "3": 3, "fourth": 4, "4th": 4, "four": 4, "4": 4, "fifth": 5, "5th": 5, "five": 5, "5": 5}
_OF = "|".join(_ORDINALS)
_N_OF_M = re.compile(
    rf"\b(?:(?P<a>{_OF}) (?:round|stage|interview)s?|(?:round|stage|interview) (?P<b>{_OF}))\W+(?:\(\s*)?(?:out )?of (?:the )?(?P<m>{_OF})\b|"
    rf"\b(?P<c>{_OF}) of (?P<n>{_OF}) (?:rounds|stages|interviews)\b"
)


_KIND_OF_ROUND = re.compile(r"^(?:technical|tech|case|coding|take-?home|competency|behavioral|hr)\b")


def unnumbered(phrase: str, sentence: str) -> bool:
    """Whether a round is named only by its kind ("the technical round", "a case interview"):
    which round it was is not said."""
    return bool(_KIND_OF_ROUND.match(phrase)) and not _N_OF_M.search(sentence)


def round_of(sentence: str) -> str | None:
    """"2nd round (of 2)" -> final, "round 2 of 4" -> other; None when no total is said."""
    m = _N_OF_M.search(sentence)
    if not m:
        return None
    n = _ORDINALS[m.group("a") or m.group("b") or m.group("c")]
    total = _ORDINALS[m.group("m") or m.group("n")]
    if n == total:
        return "final"
    return "other" if 1 < n < total else ("first" if n == 1 else None)
_NEXT = re.compile(r"\b(?:next|will|would|'ll|then|after that|another|following)\b")


def stated_last_round(sentence: str) -> str | None:
    """The words saying the round the note reports is the last one, or None."""
    m = _LAST_ROUND.search(sentence)
    if m is None or _NEXT.search(sentence[max(0, m.start() - 30): m.start()]):
        return None
    return m.group(0)


THIN_COLUMNS = ("company_info", "role_info", "selling", "skills_depth", "answer_quality")
_THIN = re.compile(
    r"\b(?:vague|vaguely|generic|boilerplate|superficial|shallow|surface-level|(?<!a )little|not much|nothing (?:much|specific|concrete|new)|"
    r"in (?:like )?(?:one|two|a couple of|a few) sentences|for (?:about |like )?(?:a |one |two |a couple of )?(?:minutes?|seconds?)\b|"
    r"a bit of everything|only the (?:title|name)|stuff you'd find|off the website|from the (?:website|ad)|still (?:don't|do not) know)"
)


def thin(sentence: str) -> str | None:
    """The words saying that what was told was thin, or None."""
    m = _THIN.search(sentence)
    return m.group(0) if m else None


_UNTICKED = re.compile(r"^\s*(?:\[ \]|\u2610|\u2717|\u2718|\u274c|\u2612)")
_TICK_AFTER = re.compile(r"^[^.;]*?(?:\u2717|\u2718|\u274c|\u2610)")


def unticked(text: str, end: int) -> bool:
    """Whether a line of a checklist is not ticked (``☐ handwritten note``, ``card ✘``)."""
    return bool(_UNTICKED.match(text)) or bool(_TICK_AFTER.match(text[end:]))


_NEITHER = re.compile(r"\bneither\b.+\bnor\b|\b(?:middle[- ]of[- ]the[- ]road|medium|so-so|nothing special)\b|\bnot\b[^,;]+,\s*(?:but )?not\b[^,;]+\beither\b")


def middle(text: str) -> bool:
    """Whether a clause says neither one side nor the other ("neither warm nor cold")."""
    return bool(_NEITHER.search(text))


_NOT_YET = re.compile(r"(?:\b(?:not yet|yet to|not (?:\w+ ){1,3}yet)|n't (?:\w+ ){1,3}yet)\b")


_OVERDUE = re.compile(r"\b(?:(?:it's been|it has been|already|after) (?:\w+ )?(?:days?|weeks?)|(?:two|three|four|five|\d+|several) days|a week)\b")


def not_yet(text: str) -> bool:
    """Whether a sentence says something has not happened YET (and not that it is a day or
    more overdue: "hasn't gone out yet and it's been two days" is a no)."""
    return bool(_NOT_YET.search(text)) and not _OVERDUE.search(text)


_EXACTLY = re.compile(r"\b(?:exactly|as such|per se|strictly speaking)\b")


def not_exactly(text: str) -> bool:
    """Whether a negated clause hedges itself ("not distracted exactly")."""
    return bool(_EXACTLY.search(text))


_RETRACT = re.compile(r"^\W*(?:not|nope|(?:oh )?wait,? (?:no|she didn't|he didn't|they didn't)|scratch that|just kidding|jk|kidding)\W*$")


def _says_nothing(text: str) -> bool:
    """Whether no phrase of the rules occurs in a text."""
    return not any(rule.pattern.search(text) for rule in lexicon().rules)


_STRONG_DOUBT = re.compile(
    r"\b(?:not sure|unsure|not certain|hard to (?:tell|say|know|judge)|can't tell|couldn't tell|cannot tell|no idea (?:if|whether)|"
    r"i (?:don't|do not|didn't) know(?! (?:how|when|what|where))|dunno|who knows|does (?:that|it|this) (?:even )?count|mixing (?:it|them|things) up|"
    r"(?:can't|couldn't) (?:remember|recall)|or (?:maybe )?not|^\W*maybe\W*$|^\W*(?:maybe|perhaps) \w+\W*$|(?:could|might|may) have been nothing|probably nothing)"
)


def doubted_from_outside(parts) -> set[int]:
    """Sentences that real doubt covers from outside: a short sentence of doubt with nothing of
    its own ("Hard to tell." "Does that count?" "Maybe?") covers the sentence before it, and a
    very short one after it ("Couldn't tell you if she liked me. Poker face."); a bare "NOT."
    takes back the sentence before it."""
    out: set[int] = set()
    by_sentence: dict[int, list] = {}
    for c in parts:
        by_sentence.setdefault(c.index, []).append(c)
    order = sorted(by_sentence)
    for k, index in enumerate(order):
        clauses = by_sentence[index]
        sentence = clauses[0].sentence_text
        if _RETRACT.match(sentence):
            out.update(order[k - 1: k])
            continue
        if len(sentence.split()) > 12 or not all(_STRONG_DOUBT.search(c.text) and _says_nothing(c.text) for c in clauses):
            continue
        out.add(index)
        out.update(order[k - 1: k])
        if k + 1 < len(order) and len(by_sentence[order[k + 1]][0].sentence_text.split()) <= 4:
            out.add(order[k + 1])
    return out


_NOT_ASKED_HEADER = re.compile(
    r"\b(?:not|never|n't|no)\b[^:]*\b(?:asked|discussed|mentioned|covered|raised|talked about|done|given|explained|offered|shown|"
    r"told|get|got|happen\w*|came up)\b[^:]*:\s*$"
)
_FORM_NO = re.compile(r"^\s*\??\s*[:=]\s*(?:no|nope|nah|none|never|not really|not at all|\u2717|\u2718|\u274c)\b")


def denied_by_form(sentence: str, before: str, end: int) -> bool:
    """Whether a list or a form line says that what a phrase names did not happen: "Things I was
    NOT asked: my notice period, ..." (a denying header), "Met everyone on the schedule: no"."""
    return bool(_NOT_ASKED_HEADER.search(before)) or bool(_FORM_NO.match(sentence[end:]))


# The interviewer's manner changed during the interview, or the writer excuses it: no settled
# reading of it ("seemed bored, then perked up at the end", "to be fair he was typing up my answers").
_CHANGED = re.compile(
    r"\b(?:perked up|warmed up|came alive|livened up|loosened up|opened up|switched off|lost interest|tuned out|"
    r"(?:did |finally )?relax(?:ed)? (?:at|by|towards) the end|by the end (?:he|she|they) (?:was|were)|changed completely)\b"
)
_EXCUSED = re.compile(
    r"\b(?:to be fair|in fairness|in (?:his|her|their) defen[cs]e|to (?:his|her|their) credit|i believe (?:him|her|them)|"
    r"(?:not|isn't|wasn't) (?:really )?(?:his|her|their) fault|felt like (?:excitement|enthusiasm)|wasn't a reflection on me)\b"
)


def changed(sentence: str) -> bool:
    """Whether a sentence says the interviewer's manner changed during the interview."""
    return bool(_CHANGED.search(sentence))


def excused(sentence: str) -> bool:
    """Whether a sentence excuses what the interviewer did ("to be fair, he was typing my answers")."""
    return bool(_EXCUSED.search(sentence))


_UNSEEN = re.compile(
    r"\b(?:on the phone|over the phone|by phone|phone (?:interview|screen|screening|call)|telephone (?:interview|screen|call)|"
    r"camera(?:s)? (?:was |were )?off|no video|audio only|audio-only|voice only)\b"
)


def unseen(sentence: str) -> bool:
    """Whether a sentence says the interviewer could not be seen (a phone call, camera off):
    eye contact was not possible, so none is read from it."""
    return bool(_UNSEEN.search(sentence))
