"""``from_notes``: the signal values a free-text note supports, with the words behind each.

The reading is transparent: each clause of the note is matched against the phrases of
:mod:`offerodds.notes.lexicon`; a match counts only when no real doubt covers its clause,
a negation in scope turns it over (or cancels it), the candidate is not its subject where that
matters, and it is not merely planned. Values that disagree within one note cancel out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from offerodds.notes import context, scopes
from offerodds.notes.fields import field_value
from offerodds.notes.lexicon import lexicon
from offerodds.notes.minutes import read_minutes
from offerodds.notes.text import clauses as split_clauses
from offerodds.signals.catalogue import column_kinds

__all__ = ["NoteReading", "from_notes"]

# Two interviewers set side by side: what the sentence says of "them" does not hold for both.
_TWO_PEOPLE = re.compile(
    r"\b(?:except (?:for )?(?:the|one|him|her)|the other (?:one|interviewer|guy|woman|man|lady|person|panelist|panellist|manager|engineer|lead|recruiter)|"
    r"the other (?:was|wasn't|seemed|did|didn't|kept|never)|one of them|the second (?:one|interviewer|person)|"
    r"the first (?:one|interviewer|person)|(?:his|her|their) colleague|whereas (?:the|his|her)|while (?:the|his|her) (?:colleague|partner|boss)|"
    r"one (?:was|seemed|interviewer)|the (?:senior|junior) one|interviewer (?:one|two|1|2|#1|#2|a|b)|(?:first|second) interviewer)\b"
)
# A note about more than one interviewer.
_PANEL = re.compile(
    r"\b(?:(?:two|three|four|2|3|4) (?:on the panel|interviewers|of them|people interviewed|panelists|panellists)|panel of (?:two|three|four|2|3|4)|"
    r"both (?:interviewers|of them)|the other (?:one|interviewer|guy|woman|man|lady|person|panelist|panellist)|one of them)\b"
)
_TOGETHER = re.compile(r"\b(?:both|they|them|all(?! smiles| ears| business| over| the time| in all| of a sudden| that)|the panel|everyone|each of them|neither|the two of them)\b")
# The signals where two interviewers may differ: how each behaved towards the candidate.
_BAD_WHEN_YES = ("distracted", "interrupted_often", "hurried")
_PERSONAL = ("engagement", "eye_contact", "enthusiasm", "distracted", "interrupted_often", "hurried", "rapport")
_NAMED_SUBJECT = re.compile(r"(?:^|[;,.:]\s*|\band\s+)([A-Z][a-z]+)\s+(?:[a-z]+ly\s+)?(?:was|were|seemed|kept|looked|sounded|barely|never|spent|did|didn't|just|also|is|stared|sat|checked|asked|"
                            r"talked|typed|scrolled|smiled|laughed|interrupted|spoke|took)\b")
# Capitalised words that start a sentence but name nobody ("Interviewer was not very interested").
_NOT_NAMES = frozenset(
    "I It The She He They We This That There Interview Interviewer Interviewers Panel Manager Recruiter Call Screen "
    "Round Everyone Everything Nobody Both Overall Lunch Today Yesterday Tour Office Team Company Role Job Questions "
    "Question Timeline Format Rapport Engagement Energy Vibe Atmosphere Chat Conversation Meeting Which Who What One "
    "Nothing Mine Director Boss Lead Host Founder Someone Somebody Everybody Nobody Candidate Mood Tone Session".split())
# a sentence about an interview still to come: "Interview at 3pm tomorrow, 45 minutes"
_AHEAD = re.compile(r"\b(?:tomorrow|next (?:week|month|monday|tuesday|wednesday|thursday|friday)|later this week|upcoming|coming up)\b")
_NUMBERED = re.compile(r"\binterviewer (?:one|two|1|2|#1|#2|a|b)\b|\b(?:first|second) interviewer\b")
# Interviewers named by their role as the subject of how they behaved ("the product director was
# clearly distracted ... the engineer was focused on me"): two different roles are two people.
_ROLE_SUBJECT = re.compile(
    r"\bthe (?:[a-z]+ )?(manager|director|engineer|recruiter|lead|ceo|cto|cfo|coo|founder|hr person|hr rep|hr lady|hr guy|hr woman|hr man|"
    r"partner|head|vp|supervisor|principal|chef|nurse|analyst|developer|designer|owner|md)\b"
    r"(?=\s+(?:[a-z]+ly\s+)?(?:was|were|seemed|looked|kept|barely|never|spent|sounded|stared|sat|i\b|next to|beside))")


@dataclass(frozen=True)
class Proposal:
    """One proposed value: the column, the value, the note's words it rests on and the phrase
    that matched."""

    column: str
    value: object
    words: str
    phrase: str


class NoteReading(Mapping):
    """What a note supports: a mapping from input column to proposed value (only the columns
    the note speaks to), with ``evidence[column]`` the note's words each value rests on.

    Scales are 1-5 integers, yes/no columns ``"yes"`` or ``"no"``, ``scheduled_minutes`` and
    ``actual_minutes`` numbers of minutes, ``stage`` one of screen, first, final, other.
    """

    def __init__(self, values: dict, evidence: dict, phrases: dict | None = None):
        self._values = dict(values)
        self.evidence = dict(evidence)
        self.phrases = dict(phrases or {})

    def __getitem__(self, key):
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def to_dict(self) -> dict:
        """The proposed values as a plain dict."""
        return dict(self._values)

    def __repr__(self) -> str:
        if not self._values:
            return "NoteReading(): the note supports no signal value"
        lines = ["NoteReading: values the note supports (column = value, from the words quoted)"]
        for column, value in self._values.items():
            lines.append(f"  {column} = {format_value(value)}   from: \"{self.evidence[column]}\"")
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        import html

        if not self._values:
            return "<p>The note supports no signal value.</p>"
        rows = "".join(
            f"<tr><td>{html.escape(c)}</td><td>{html.escape(format_value(v))}</td>"
            f"<td>{html.escape(self.evidence[c])}</td></tr>"
            for c, v in self._values.items()
        )
        return ("<table><thead><tr><th>column</th><th>proposed value</th><th>from the note's words</th>"
                f"</tr></thead><tbody>{rows}</tbody></table>")


def format_value(value) -> str:
    """A proposed value as a person types it (``60``, not ``60.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_PASSING = re.compile(r"\b(?:at first|initially|to begin with|in the beginning|early on|for a (?:minute|moment|second)|briefly|at one point)\b")
# "looked up maybe once": a rarity right after the phrase, in the same stretch of words (not
# across a comma: "took notes, nodded, never once looked at his phone" is not a rare note-taker)
_RARELY = re.compile(r"^\s*(?:\w+\s+){0,2}?(?<!for )(?<!at )(?<!never )(?<!not )(?:maybe |only |just |about )?(?:once|twice)\b(?! (?:again|more))")


def _level(value: int, text: str, start: int, end: int) -> int:
    """A scale rule's level adjusted by an intensifier or a softener right before or after the
    phrase ("fairly engaged", "smiled a couple of times"), or a rarity ("looked up maybe once")."""
    near = text[max(0, start - 30): end + 25]
    after = text[end: end + 30]
    if value >= 4 and _RARELY.match(after):
        return 2
    soft, strong = lexicon().soft, lexicon().strong
    if soft.search(text[max(0, start - 20): start]) or soft.match(after.strip()) or re.match(r"^\W*(?:\w+\W+)?(?:at times|occasionally|now and then|sometimes|a couple of times|once or twice|here and there)\b", after):
        return 3
    if strong.search(near):
        return 5 if value >= 4 else 1 if value <= 2 else value
    return value


_ASKING = re.compile(r"^\W*(?:did|does|do|was|were|is|are|could|would|should|can|will|has|have|had|why|how|what|who|when|where|which|isn't|wasn't|didn't|doesn't|right|maybe|so)\b")


def _question_from(clause) -> int:
    """Where a question starts in a clause of a sentence that ends in "?" (past the end of the
    clause when it is not one): a sentence that asks (``Did she even look at me?``) or is short
    is a question as a whole; in a longer statement only the words after its last comma are
    asked (``she kept cutting in, which was kind of fine?``)."""
    if not clause.question:
        return len(clause.text) + 1
    sentence = clause.sentence_text
    last = sentence.rfind(",")
    if _ASKING.match(sentence) or len(sentence.split()) <= 6 or last < 0:
        return 0
    where = sentence.find(clause.text)
    if where < 0:
        return 0
    if where + len(clause.text) <= last:
        return len(clause.text) + 1
    return max(0, last - where)


_NEGATION_START = re.compile(r"(?:didn't|did not|never|wasn't|was not|weren't|no|not|don't|do not|couldn't|wouldn't|barely|hardly)\b")
_DOUBLE = re.compile(r"\b(?:not like|not that|not as if|can't say|cannot say|couldn't say|wouldn't say|would not say|won't say|"
                     r"it's not that|it isn't that|it wasn't that|i'd never say|i would never say)\W+(?:\w+\W+){0,3}$")


def _double_negative(value, text: str, m: re.Match):
    """A phrase that says something did not happen, itself negated ("it's not like they didn't
    tell me about the company"): it happened. Any other negation of it says nothing."""
    if not _DOUBLE.search(text[: m.start()]):
        return None
    if value == "no":
        return "yes"
    if isinstance(value, int) and value <= 2:
        return 4
    return None


def _sentence_before(clause) -> str:
    """The words of the clause's sentence before the clause."""
    where = clause.sentence_text.find(clause.text)
    return clause.sentence_text[:where] if where > 0 else ""


def _flip(value):
    """A negated reading: yes -> no, a high level -> 2; None where a negation gives no value."""
    if value == "yes":
        return "no"
    if isinstance(value, int) and value >= 4:
        return 2
    return None


def _side(value) -> int:
    if isinstance(value, int):
        return (value > 3) - (value < 3)
    return {"yes": 1, "no": -1}.get(value, 0)


def _merge(found: dict[str, list[Proposal]]) -> dict[str, Proposal]:
    """One value per column; a column read two different ways proposes nothing."""
    merged = {}
    for column, props in found.items():
        values = {p.value for p in props}
        if len(values) == 1:
            merged[column] = props[0]
            continue
        if all(isinstance(v, int) for v in values):
            sides = {_side(v) for v in values}
            if (len(sides) == 1 and 0 not in sides) or max(values) - min(values) == 1:
                # 4 and 5, or 1 and 2, or a middle level and one next to it: the milder level
                mild = min(values, key=lambda v: abs(v - 3))
                merged[column] = next(p for p in props if p.value == mild)
    return merged


# Precision first (issue 25, third pass): where the reader abstains rather than guesses. Each rule
# was kept only because it raised precision on notes it was not shaped on, at no cost in recall on
# the development parts (docs/notes.md, "Abstaining"):
#   sarcastic note   a note with a sarcasm cue anywhere ("Yeah, great 'conversation'.") proposes
#                    nothing on the good side of any signal: its plain-looking praise may be ironic;
#   another interview a sentence about someone else's interview ("Ben had his interview there -
#                    they gave him a tour") proposes nothing in any of its clauses;
#   list of rounds   a sentence naming two or more rounds describes the process, not this round:
#                    no stage from it;
#   one of a panel   with a panel, the manner signals and skills_depth stand only where the note
#                    says them of the interviewers together.
_UNTOUCHED = ("stage", "scheduled_minutes", "actual_minutes")
_STAGE_WORDS = re.compile(r"\b(?:screen(?:ing)?|first round|second round|third round|final(?: round| stage| interview)?|"
                          r"technical (?:round|interview)|take-home|assessment cent(?:er|re)|panel round|case study round)\b")


# Manner scales (issue 25, fourth pass): how the interviewer came across is where new writers'
# notes were read worst (held-out 3 precision 0.54-0.67 on engagement, rapport, skills_depth,
# enthusiasm). Such a scale is proposed only from a clear, one-sided reading: never at the middle
# level (3 is what a softened or hedged phrase gives, "fairly engaged", "smiled at times"), except
# from a form line that states it ("Rapport: 3/5"); and not from a sentence that turns on a contrast
# ("friendly but a bit flat", "engaged, though ..."), where the writer weighs two impressions.
MANNER = ("engagement", "eye_contact", "enthusiasm", "rapport", "skills_depth", "company_info",
          "role_info", "selling", "answer_quality")
_CONTRAST = re.compile(r"\b(?:but|though|although|however|yet|whereas|mixed|then again|on the other hand)\b")



def _stage_count(sentence: str) -> int:
    """How many rounds a sentence names."""
    return len(_STAGE_WORDS.findall(sentence))


def from_notes(text) -> NoteReading:
    """Read a free-text note about an interview and propose the signal values it supports.

    Parameters
    ----------
    text : str
        The note, in English: a message, a diary entry, bullets. Empty or missing text
        proposes nothing.

    Returns
    -------
    NoteReading
        A mapping from input column (the catalogue's names) to proposed value, only for the
        columns the note speaks to; ``.evidence[column]`` holds the words each value rests on.

    Examples
    --------
    >>> import offerodds
    >>> r = offerodds.from_notes("She kept checking her phone and never asked if I had questions.")
    >>> dict(r)
    {'distracted': 'yes', 'questions_invited': 'no'}
    >>> r.evidence["questions_invited"]
    'She kept checking her phone and never asked if I had questions'
    """
    if text is None or (isinstance(text, float) and text != text):
        return NoteReading({}, {})
    if not isinstance(text, str):
        raise TypeError(f"from_notes reads text, not {type(text).__name__}")
    parts = split_clauses(text)
    sarcastic_note = any(scopes.sarcastic(c.text) for c in parts)
    found: dict[str, list[Proposal]] = {}
    # a note written as a form: "Eye contact: good", "Timeline: none given"; such a line is
    # read as a form only
    kinds = column_kinds()
    form_lines: set[int] = set()
    for clause in parts:
        if clause.index in form_lines or scopes.doubtful(clause.sentence_text):
            continue
        field = field_value(clause.sentence_text, kinds)
        if field is not None:
            form_lines.add(clause.index)
            found.setdefault(field[0], []).append(Proposal(field[0], field[1], clause.sentence, clause.sentence))
    held_back = context.held_back_sentences(parts)
    for clause in parts:
        t = clause.text
        if clause.index in form_lines or scopes.doubtful(t) or scopes.elsewhere(t):
            continue
        if clause.index in held_back:
            continue  # taken back, or doubted, by the sentence next to it
        # "he seemed in a hurry, but maybe it was just his style, I can't tell": doubt after takes it
        # back; not a promise they made ("I'd hear by Friday, but who knows" is still a date given)
        doubted_after = context.doubted_after(clause, parts)
        if scopes.elsewhere(clause.sentence_text):
            continue  # "Ben had his interview there - they gave him a tour": all of it is Ben's
        asked_from = _question_from(clause)
        sarcastic = scopes.sarcastic(t)
        two_people = bool(_TWO_PEOPLE.search(clause.sentence_text))
        # a form line whose answer is a no: "Smiles: none" (the label is the clause, its answer the next)
        rest = clause.sentence_text[clause.sentence_text.find(t) + len(t):] if t else ""
        label_no = bool(t) and not _sentence_before(clause).strip(" -*•>") and bool(scopes.label_negation(rest))
        for rule in lexicon().rules:
            column, value, flags = rule.column, rule.value, rule.flags
            for m in rule.pattern.finditer(t):
                if m.start() >= asked_from:
                    continue
                if doubted_after and column not in context.PROMISES:
                    continue
                v = value
                if "x" in flags and scopes.candidate_subject(t, m.start(), _sentence_before(clause)):
                    continue
                if scopes.conditional(t, m.start()):
                    continue
                if context.mine(column, t[max(0, m.start() - 4): m.end()]):
                    continue  # "my answers were vague", "my questions were vague": the candidate's, not theirs
                if column == "stage" and context.NEXT_STEPS.search(clause.sentence_text):
                    continue  # "I asked about next steps and she said a final round with the CEO"
                if column not in context.OWN and context.I_ASKED.search(t[: m.start()]):
                    continue  # "I asked about the training budget and whether they promote from within": my question, not their account
                if column == "met_all_scheduled" and context.CALLED_OFF.search(clause.sentence_text):
                    continue  # "interview cancelled last minute, rescheduled": no meeting took place to count
                if column == "stage" and _stage_count(clause.sentence_text) >= 2:
                    continue  # "a take-home, then a technical round, then the final": the process, not this round
                if "f" in flags and (scopes.future(t, m.start()) or scopes.future_after(t, m.end())
                                     or context.NEXT_LABEL.search(_sentence_before(clause))):
                    continue
                negation = label_no or scopes.negated(t, m.start(), m.end())
                if negation == scopes.DOUBLE:
                    continue
                if negation:
                    v = _double_negative(v, t, m) if _NEGATION_START.match(m.group(0)) else _flip(v)
                    if v is None:
                        continue
                elif isinstance(v, int) and v != 3:
                    v = _level(v, t, m.start(), m.end())
                if column in MANNER and _CONTRAST.search(clause.sentence_text):
                    continue  # a sentence weighing two impressions of the interviewer's manner
                if column in MANNER and context.NEITHER.search(clause.sentence_text):
                    continue  # "neither warm nor cold, no big smiles, no frowns": the middle, said by a hedge
                if column in MANNER and _side(v) > 0 and context.SLIGHT.search(clause.sentence_text):
                    continue  # "talked about the company's values for about two minutes, generic stuff": no high level
                if v in ("yes", "no") and _PASSING.search(t[max(0, m.start() - 25): m.end() + 25]):
                    continue  # "distracted at first, then really into it": no settled answer
                if (sarcastic or sarcastic_note) and _side(v) * (-1 if column in _BAD_WHEN_YES else 1) > 0:
                    continue  # praise in a note with sarcasm in it may be ironic, even in a plain-looking sentence
                if two_people and column not in ("stage", "scheduled_minutes", "actual_minutes",
                                                  "thank_you_within_24h", "handwritten_note"):
                    v = ("two people", v)  # differs by person: cancels below
                found.setdefault(column, []).append(Proposal(column, v, clause.original, m.group(0)))
                break
    # a note about two interviewers that differ cancels the signal; the same reading for both stands
    for column, props in list(found.items()):
        if any(isinstance(p.value, tuple) for p in props):
            inner = {p.value[1] if isinstance(p.value, tuple) else p.value for p in props}
            if len(props) < 2 or len(inner) > 1:
                del found[column]
            else:
                found[column] = [Proposal(p.column, p.value[1] if isinstance(p.value, tuple) else p.value,
                                          p.words, p.phrase) for p in props]
    # a note about two interviewers whose manner points both ways: nothing on their manner
    named = {m.group(1) for m in _NAMED_SUBJECT.finditer(text)} - _NOT_NAMES
    if _NUMBERED.search(text.lower()):
        named |= {"interviewer one", "interviewer two"}  # "interviewer one (Ana) was ...; interviewer two ..."
    roles = {m.group(1) for m in _ROLE_SUBJECT.finditer(text.lower())}
    if len(roles) >= 2:
        named |= {f"the {r}" for r in roles}
    # one of a panel: what the note says of one interviewer's manner or depth is not the panel's
    if _PANEL.search(text.lower()) and len(named) < 2:
        for column in (*_PERSONAL, "skills_depth"):
            if column in found:
                kept = [p for p in found[column] if _TOGETHER.search(p.words.lower())]
                if kept:
                    found[column] = kept
                else:
                    del found[column]
    if _PANEL.search(text.lower()) or len(named) >= 2:
        sides = {_side(p.value) * (-1 if c in _BAD_WHEN_YES else 1)
                 for c in _PERSONAL for p in found.get(c, []) if not isinstance(p.value, tuple)}
        for column in _PERSONAL:
            if 1 in sides and -1 in sides:
                found.pop(column, None)  # their manner points both ways
            elif len(named) >= 2 and column in found:
                # one named interviewer's manner is not the other's: only what the note says of
                # them together stands, or the same reading said of each in turn ("interviewer #1
                # smiled a lot; interviewer #2 smiled a lot too")
                kept = [p for p in found[column] if _TOGETHER.search(p.words.lower())]
                said_of_each = (len({p.words for p in found[column]}) >= 2
                                and len({p.value for p in found[column]}) == 1)
                if kept:
                    found[column] = kept
                elif not said_of_each:
                    del found[column]
    # a second interview that is also the last round is the final
    if "stage" in found and {p.value for p in found["stage"]} == {"other", "final"}:
        found["stage"] = [p for p in found["stage"] if p.value == "final"]
    merged = _merge(found)
    for column in MANNER:
        p = merged.get(column)
        if p is not None and p.value == 3 and p.phrase != p.words:
            del merged[column]  # a middle level read from a hedged phrase: no clear answer
    # lengths: not from a question, a doubt, someone else's interview or a sentence held back
    minutes, minute_words = read_minutes(parts, lambda c: (c.question or scopes.doubtful(c.text) or c.index in held_back
                                                          or scopes.elsewhere(c.sentence_text)
                                                          or bool(_AHEAD.search(c.sentence_text))))
    values = {c: p.value for c, p in merged.items()}
    evidence = {c: p.words for c, p in merged.items()}
    phrases = {c: p.phrase for c, p in merged.items()}
    for column, value in minutes.items():
        values[column] = int(value) if float(value).is_integer() else value
        evidence[column] = minute_words[column]
        phrases[column] = minute_words[column]
    return NoteReading(values, evidence, phrases)
