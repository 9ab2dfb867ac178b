"""How likely each proposal of the note reader is to be right, and the proposals kept.

The rules of :mod:`offerodds.notes.reader` propose values; this layer gives each proposal a
probability that a careful reader would infer the same value, and drops the proposals below the
shipped threshold (0 as shipped, so nothing is dropped: held out by writer, a threshold for
precision did not raise it; the pipeline's ``wrong_costs`` sets one).

The probability is a logistic regression over features of the proposal that do not depend on
which rule matched: the column and the kind of value, the words of its clause (negation and how
near it is, doubt, contrast, the subject, plans and conditions, generic or reported speech,
questions and quotes, length) and the note around it (rehearsals, other people's interviews,
advice, several interviewers, how many values it proposes and whether they pull both ways).
Its weights are data, ``resources/notes_confidence.json``, written by
``python pipelines/train_notes_confidence.py`` from the labelled notes of ``data/notes/``;
reading them costs one dot product a proposal, no new dependency.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from functools import lru_cache
from importlib import resources

from offerodds.notes.reader import NoteReading
from offerodds.notes.reader import from_notes as read_by_rules

__all__ = ["WEIGHTS_FILE", "Judge", "confidences", "features", "from_notes", "judge", "judged"]

WEIGHTS_FILE = "resources/notes_confidence.json"

_W = r"(?:\w+\W+)"
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|nothing|none|neither|nor|without|barely|hardly|very little|few|didn't|wasn't|weren't|"
                       r"don't|doesn't|couldn't|wouldn't|isn't|aren't|haven't|hasn't|hadn't|cannot|can't|zero|nope)\b|n't\b")
_DOUBT = re.compile(r"\b(?:maybe|perhaps|might|may have|possibly|probably|not sure|unsure|no idea|dunno|don't know|can't tell|"
                    r"hard to (?:tell|say|read)|i guess|i suppose|kind of|kinda|sort of|sorta|guess|unclear|can't remember|"
                    r"don't remember|not certain|wondering|wonder if|or not|or was it|idk)\b")
_CONFIDENT = re.compile(r"\b(?:i think|i reckon|pretty sure|fairly sure|i'm sure|definitely|clearly|obviously|seemed|seems)\b")
_CONTRAST = re.compile(r"\b(?:but|though|although|however|yet|whereas|while|except|mixed|on the other hand|then again)\b")
_FIRST = re.compile(r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b")
_THIRD = re.compile(r"\b(?:he|she|they|him|her|them|his|their|interviewer|interviewers|manager|recruiter|panel|panellists|"
                    r"panelists|hr|lead|director|ceo|founder|boss|team)\b")
_OPENS_FIRST = re.compile(r"^\W*(?:i|i'm|i've|i'd|my|me)\b")
_MODAL = re.compile(r"\b(?:will|would|'ll|going to|gonna|should|could|shall|hope|hoping|plan|planning|intend|want to|"
                    r"wants to|supposed to|expect|expecting|next time|tomorrow|next week|if|unless|in case|whether)\b")
_CONDITIONAL = re.compile(r"\b(?:if|unless|in case|whether|would have|could have|should have)\b")
_GENERIC = re.compile(r"\b(?:always|usually|generally|in general|typically|normally|often|tend to|tends to|every time|"
                      r"most (?:interviewers|companies|recruiters)|interviewers who|recruiters who|companies that|"
                      r"a good interviewer|a good sign|a bad sign|red flag|they say|people say)\b")
_REPORTED = re.compile(r"\b(?:said|says|told|tells|heard|according to|apparently|supposedly|mentioned that|claims?|rumou?r)\b")
_ELSEWHERE = re.compile(r"\b(?:mock|practi[cs]e|rehears\w*|role-?play\w*|dry run|friend|friend's|mate|sister|brother|cousin|"
                        r"flatmate|roommate|mum|mom|dad|parent|partner|husband|wife|colleague|article|blog|reddit|forum|"
                        r"glassdoor|podcast|video|youtube|job ad|advert|posting|job description|advice|tips?|checklist|"
                        r"coach|adviser|advisor|last year|last time|previous|another company|other company|old job|"
                        r"current job|my boss)\b")
# where the words may come from other than this interview: a source, a rehearsal, another time
_SOURCE = re.compile(r"\b(?:article|blog|reddit|forum|glassdoor|podcast|youtube|job ad|advert|posting|job description|"
                     r"advice|tips? (?:for|from|on)|checklist|(?:everyone|everybody|people|they|reviews?) (?:says?|said|reckons?)|"
                     r"according to|heard (?:that|from)|my (?:coach|adviser|advisor|mentor|tutor) (?:says|said|told))\b")
_REHEARSAL = re.compile(r"\b(?:mock|practi[cs]e|rehears\w*|role-?play\w*|dry run|prep\w*)\b")
_ANOTHER_TIME = re.compile(r"\b(?:last year|years? ago|last time|previous|another company|other company|old job|current job|"
                           r"next week|tomorrow|upcoming|on (?:monday|tuesday|wednesday|thursday|friday))\b")
_SEVERAL = re.compile(r"\b(?:panel|both|the other|one of them|two interviewers|three interviewers|two of them|"
                      r"colleague|second interviewer|first interviewer|each of them|neither|one was|whereas)\b")
_SARCASM = re.compile(r"\b(?:yeah right|oh sure|oh great|sure,|lol|lmao|as if|/s|not!|thanks a lot|wonderful|brilliant|"
                      r"fantastic|great)\b|'\w+'|\"\w+\"")
_FORM = re.compile(r"^\W*[\w /()'-]{2,40}\s*(?::|=|\||->|—|-)\s*\S")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}\b")
_THEIRS = re.compile(r"\b(?:[a-z]+'s (?:\w+ )?(?:interview|interviewer|interviewers|final|round|screen|panel|boss|manager)|"
                     r"my (?:friend|mate|girlfriend|boyfriend|sister|brother|cousin|flatmate|roommate|partner|husband|wife|"
                     r"mum|mom|dad|son|daughter|colleague)\b)")
_CUT = re.compile(r"[,;:()!?]|\s[-\u2013\u2014]\s|\b(?:but|though|although|however|whereas|while|and then)\b")
_WORD = re.compile(r"[a-z']+|\d+|[?!\"]")

_SCALES = ("engagement", "eye_contact", "enthusiasm", "rapport", "skills_depth", "company_info", "role_info",
           "selling", "answer_quality")
_BAD_WHEN_YES = ("distracted", "interrupted_often", "hurried", "inexperienced_interviewer")
_MANNER = ("engagement", "eye_contact", "enthusiasm", "rapport", "distracted", "interrupted_often", "hurried")
_MINUTES = ("scheduled_minutes", "actual_minutes")
_OWN = ("thank_you_within_24h", "handwritten_note")
HASH_BUCKETS = 512


def _kind(column: str, value) -> str:
    if column in _MINUTES:
        return "minutes"
    if column == "stage":
        return f"stage_{value}"
    if value in ("yes", "no"):
        return value
    if isinstance(value, (int, float)):
        return "high" if value > 3 else "low" if value < 3 else "middle"
    return "other"


def _polarity(column: str, value) -> int:
    """+1 when the value speaks well of the interview, -1 when badly, 0 otherwise."""
    kind = _kind(column, value)
    side = {"yes": 1, "no": -1, "high": 1, "low": -1}.get(kind, 0)
    return -side if column in _BAD_WHEN_YES else side


def _bucket(n: float, edges: tuple) -> str:
    return str(sum(n > e for e in edges))


def _hashed(token: str) -> str:
    return f"h{zlib.crc32(token.encode('utf-8')) % HASH_BUCKETS}"


def features(column: str, value, words: str, phrase: str, text: str, reading: dict,
             ngrams: bool = False) -> dict[str, float]:
    """The features of one proposal (``column = value`` from ``words``, the matched ``phrase``)
    of a note ``text`` whose proposals are ``reading`` (column -> value); ``ngrams`` adds hashed
    words and word pairs of the clause (off in the shipped model: they did not help on writers
    held out)."""
    clause = (words or "").lower().replace("\u2019", "'")
    note = (text or "").lower().replace("\u2019", "'")
    kind = _kind(column, value)
    f: dict[str, float] = {f"col={column}": 1.0, f"kind={kind}": 1.0}
    group = ("scale" if column in _SCALES else "minutes" if column in _MINUTES else "stage" if column == "stage"
             else "own" if column in _OWN else "event")
    f[f"group={group}"] = 1.0
    tokens = _WORD.findall(clause)
    n = len(tokens)
    f[f"clause_words={_bucket(n, (4, 8, 14, 22, 35))}"] = 1.0
    where = clause.find((phrase or "").lower()) if phrase else -1
    before = clause[:where] if where >= 0 else clause
    negs = list(_NEGATION.finditer(clause))
    if negs:
        f["neg_in_clause"] = 1.0
        f[f"neg_in_clause_kind={kind}"] = 1.0
        # a negation counts for the phrase only within its own stretch of words (no comma, dash
        # or "but" between them): "no script, just a relaxed chat" does not negate "relaxed"
        reach_before = _CUT.split(before)[-1] if where >= 0 else before
        near = [len(_WORD.findall(reach_before[m.end():])) for m in _NEGATION.finditer(reach_before)]
        if near:
            f["neg"] = 1.0
            f[f"neg_kind={kind}"] = 1.0
            f[f"neg_before_dist={_bucket(min(near), (1, 3, 6))}"] = 1.0
        elif where >= 0 and _NEGATION.search(_CUT.split(clause[where:])[0]):
            f["neg"] = 1.0
            f[f"neg_kind={kind}"] = 1.0
            f["neg_after"] = 1.0
        if len(negs) >= 2:
            f["neg_twice"] = 1.0
    for name, pattern, scope in (("doubt", _DOUBT, clause), ("confident", _CONFIDENT, clause),
                                 ("contrast", _CONTRAST, clause), ("modal", _MODAL, clause),
                                 ("conditional", _CONDITIONAL, clause), ("generic", _GENERIC, clause),
                                 ("reported", _REPORTED, clause), ("sarcasm", _SARCASM, clause),
                                 ("note_doubt", _DOUBT, note), ("note_generic", _GENERIC, note),
                                 ("note_sarcasm", _SARCASM, note), ("note_contrast", _CONTRAST, note)):
        if pattern.search(scope):
            f[name] = 1.0
    if f.get("contrast") and group == "scale":
        f["contrast_scale"] = 1.0
    if f.get("doubt") and group == "scale":
        f["doubt_scale"] = 1.0
    elsewhere = {m.group(0) for m in _ELSEWHERE.finditer(note)}
    if elsewhere:
        f["note_elsewhere"] = 1.0
        if len(elsewhere) >= 2:
            f["note_elsewhere_2"] = 1.0
    if _ELSEWHERE.search(clause):
        f["clause_elsewhere"] = 1.0
    for name, pattern in (("source", _SOURCE), ("rehearsal", _REHEARSAL), ("another_time", _ANOTHER_TIME)):
        if pattern.search(clause):
            f[f"clause_{name}"] = 1.0
            f["clause_not_this"] = 1.0
        elif pattern.search(note):
            f[f"note_{name}"] = 1.0
            f["note_not_this"] = 1.0
    first, third = bool(_FIRST.search(clause)), bool(_THIRD.search(clause))
    f[f"subject={'first' if first and not third else 'third' if third and not first else 'both' if first else 'none'}"] = 1.0
    if _OPENS_FIRST.match(clause):
        f["opens_first"] = 1.0
        if column not in _OWN:
            f["opens_first_not_own"] = 1.0
    if "?" in clause:
        f["question"] = 1.0
    elif "?" in note:
        f["note_question"] = 1.0
    if '"' in clause or re.search(r"(?:^|\s)'\w", clause):
        f["quotes"] = 1.0
    if re.search(r"\b[A-Z]{2,}\b", (words or "").replace("I'", "")) and not _FORM.match(words or ""):
        f["capitals"] = 1.0  # "SO engaged": emphasis, often ironic
    if "!" in clause:
        f["exclaim"] = 1.0
    if _FORM.match(words or ""):
        f["form_line"] = 1.0
    if phrase:
        p_words = len(_WORD.findall(phrase.lower()))
        f[f"phrase_words={_bucket(p_words, (1, 2, 4))}"] = 1.0
    if _SEVERAL.search(note) or len(set(_NAME.findall(text or ""))) >= 2:
        f["several_people"] = 1.0
        if column in _MANNER or column in _SCALES:
            f["several_people_manner"] = 1.0
    if _THEIRS.search(clause):
        f["clause_theirs"] = 1.0
    if _THEIRS.search(note):
        f["note_theirs"] = 1.0
    if len(tokens) <= 3:
        f["bare"] = 1.0
    f[f"col={column}*kind={kind}"] = 1.0
    count = len(reading)
    f[f"proposals={_bucket(count, (1, 2, 4, 6))}"] = 1.0
    same_clause = sum(1 for c in reading if c != column and reading.evidence.get(c) == words) \
        if hasattr(reading, "evidence") else 0
    if same_clause:
        f["shares_clause"] = 1.0
    mine = _polarity(column, value)
    others = {_polarity(c, v) for c, v in reading.items() if c != column and c in _MANNER + _SCALES}
    if column in _MANNER + _SCALES and mine and -mine in others:
        f["conflict"] = 1.0
    if ngrams:
        for a in tokens:
            f[_hashed(a)] = f.get(_hashed(a), 0.0) + 1.0
        for a, b in zip(tokens, tokens[1:]):
            f[_hashed(a + " " + b)] = f.get(_hashed(a + " " + b), 0.0) + 1.0
    return f


class Judge:
    """A fitted confidence: ``probability(feats)`` is the chance a proposal is right."""

    def __init__(self, intercept: float, weights: dict[str, float], threshold: float, ngrams: bool):
        self.intercept = float(intercept)
        self.weights = dict(weights)
        self.threshold = float(threshold)
        self.ngrams = bool(ngrams)

    @classmethod
    def from_dict(cls, data: dict) -> "Judge":
        return cls(data["intercept"], data["weights"], data["threshold"], data["ngrams"])

    def probability(self, feats: dict[str, float]) -> float:
        z = self.intercept
        for name in sorted(feats):  # a fixed order: the same sum on every machine
            w = self.weights.get(name)
            if w is not None:
                z += w * feats[name]
        return 1.0 / (1.0 + math.exp(-z))


@lru_cache(maxsize=1)
def judge() -> Judge | None:
    """The shipped confidence (``None`` if the package ships no weights)."""
    try:
        text = resources.files("offerodds").joinpath(WEIGHTS_FILE).read_text("utf-8")
    except FileNotFoundError:
        return None
    return Judge.from_dict(json.loads(text))


def confidences(reading, text: str, model: Judge) -> dict[str, float]:
    """column -> probability that the proposal is right, for every proposal of ``reading``."""
    phrases = getattr(reading, "phrases", {}) or {}
    return {
        column: model.probability(features(column, value, reading.evidence.get(column, ""),
                                           phrases.get(column, ""), text, reading, model.ngrams))
        for column, value in reading.items()
    }


def judged(reading, text: str, model: Judge | None = None):
    """``reading`` keeping only the proposals whose probability of being right reaches the
    threshold, each with its ``confidence``."""
    model = model or judge()
    if model is None or not len(reading):
        return NoteReading(reading.to_dict(), reading.evidence, getattr(reading, "phrases", {}), {})
    probs = confidences(reading, text, model)
    keep = [c for c in reading if probs[c] >= model.threshold]
    return NoteReading({c: reading[c] for c in keep}, {c: reading.evidence[c] for c in keep},
                       {c: reading.phrases.get(c, "") for c in keep}, {c: round(probs[c], 3) for c in keep})


def from_notes(text) -> NoteReading:
    """Read a free-text note about an interview and propose the signal values it supports,
    each with the probability that it is right.

    The rules of :mod:`offerodds.notes.reader` propose; a proposal whose probability of being
    right (a logistic regression trained on labelled notes, ``resources/notes_confidence.json``)
    is under the shipped threshold is dropped (the threshold is 0 as shipped: nothing is).

    Parameters
    ----------
    text : str
        The note, in English: a message, a diary entry, bullets. Empty or missing text
        proposes nothing.

    Returns
    -------
    NoteReading
        A mapping from input column (the catalogue's names) to proposed value, only for the
        columns the note speaks to; ``.evidence[column]`` holds the words each value rests on and
        ``.confidence[column]`` the probability that a careful reader infers the same value.

    Examples
    --------
    >>> import offerodds
    >>> r = offerodds.from_notes("She kept checking her phone and never asked if I had questions.")
    >>> dict(r)
    {'distracted': 'yes', 'questions_invited': 'no'}
    >>> r.evidence["questions_invited"]
    'She kept checking her phone and never asked if I had questions'
    >>> r.confidence["distracted"] > 0.5
    True
    """
    return judged(read_by_rules(text), text)
