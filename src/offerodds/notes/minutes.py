"""The interview's length from a note: the minutes scheduled and the minutes it lasted.

Only what is exact or can be worked out: "booked for an hour", "a 45-minute slot", "ended after
twenty minutes", "went 40 minutes over the planned 30", "we used all of them", clock times
("from 2:00 to 2:35", "done by 10:40 for a 10:00-11:00 slot"). Approximations ("about 45
minutes", "well over an hour", "nearly an hour") give nothing.
"""

from __future__ import annotations

import re

from offerodds.notes.text import NUMBER, number

__all__ = ["read_minutes"]

# An amount of time, in digits or words: "45 minutes", "an hour", "1.5 hours", "an hour and a
# half", "half an hour", "90-minute", "1h30", "two and a half hours", "quarter of an hour".
_AMOUNT = re.compile(
    rf"(?<![\w.:])(?:(?P<half>half an? hour|half-hour|half hour)|(?P<quarter>(?:a )?quarter of an hour|quarter-hour)|"
    rf"(?P<h>{NUMBER})(?P<andhalf> and (?:a )?half)? ?(?:-| )?(?:hours?|hrs?|h)\b(?:(?: and |,? ?)(?:(?P<hm>{NUMBER}) ?(?:-| )?(?:minutes?|mins?|m)\b|(?P<hhalf>(?:a )?half)|(?P<hquarter>(?:a )?quarter)|(?P<hb>\d{{1,2}})\b(?!\s*(?:am|pm|[:.]\d))))?|"
    rf"(?P<hh>\d+)h(?P<mm>\d\d)\b|(?P<m>{NUMBER}) ?(?:-| )?(?:minutes?|mins?|m)\b)"
)
_APPROX = re.compile(
    r"(?:about|around|roughly|approximately|approx\.?|~|nearly|almost|over|under|more than|less than|just over|just under|"
    r"well over|well under|at least|at most|maybe|some|close to|upwards of|give or take|or so|ish|a good|a solid|barely|"
    r"not even|probably|like|up to|up till|for about|-ish|odd|plus|\+)\s*$"
)
_APPROX_AFTER = re.compile(r"^\s*(?:-?ish|or so|or more|or less|give or take|plus|\+|odd|at most|at least|tops|max)\b")

# What the amount is: the plan or what happened.
_SCHEDULED_BEFORE = re.compile(
    r"(?:scheduled|booked|planned|slotted|blocked(?: out)?|blocked off|set|allotted|allocated|meant to (?:be|last|take|run)|supposed to (?:be|last|take|run)|"
    r"due to (?:last|take|run|be)|expected to (?:last|take|run|be)|slated|invite said|invitation said|calendar said|"
    r"put aside|set aside|reserved|down as|billed as|advertised as|meant to give me|supposed to give me|was meant to be|"
    r"slot (?:was|is|of)|slot:|booking was|invite was|invite said|scheduled:|planned:|booked:|(?:had|have|they) kept(?: only| just)?)(?: (?:for|as|at|in))?(?: (?:a|an|the|full|whole))?\s*[:=-]?\s*$"
)
_SCHEDULED_AFTER = re.compile(r"^\s*(?:-|\s)?(?:slot|interview slot|time ?slot|block|booking|window|meeting (?:slot|invite)|invite|scheduled|booked|planned|allotted|calendar)")
_SCHEDULED_NOUN = re.compile(r"(?:planned|scheduled|booked|allotted|allocated|expected|original|full|whole|intended|agreed)\s*$")
_ACTUAL_BEFORE = re.compile(
    r"(?:lasted|lasting|took|ran|run|went on for|went for|talked for|spoke for|chatted for|ended (?:it )?after|ended at|"
    r"finished after|was over (?:in|after)|were done (?:in|after)|done in|done after|wrapped up (?:in|after)|over in|over after|"
    r"cut (?:it )?(?:short )?(?:after|at)|stopped (?:it )?after|only|just|in total|all in all|total of|actual|actually|"
    r"it was|interview was|call was|meeting was|chat was|conversation was|we had|i got|i had|kept me for|for a full|for the full|"
    r"at the|lasted (?:only|just|a mere)|a mere|after only|after just|after|wrapped in|wrapped after|actual:|actual|"
    r"took (?:us|me)|finished at the|ended at the|(?:we|i) (?:only |just )?(?:had|got)|ran (?:to|until|till)|went (?:on )?(?:to|until|till)|"
    r"reality:|in reality|going for|went on for)(?: (?:for|about|only|just|a|an|the))?\s*[:=-]?\s*$"
)
_ACTUAL_AFTER = re.compile(r"^\s*(?:in total|total|long|later|of talking|of chatting|of questions|conversation|interview|call|chat|meeting)\b")
_RAN_OVER = re.compile(r"^\s*(?:over(?:time)?|longer|more than (?:planned|scheduled|booked|expected)|past (?:the|our|its) (?:(?:hour|\w+-minute|\w+ minute|allotted|booked|scheduled|planned) )?(?:slot|time|end|mark|booking))\b")
_RAN_SHORT = re.compile(r"^\s*(?:early|short|shorter|less than (?:planned|scheduled|booked)|before (?:the|our|its) (?:end|time|slot))\b")
_FULL = re.compile(
    r"\b(?:(?:used|took|went|ran|lasted|filled|needed) (?:up )?(?:all|every minute|the (?:full|whole|entire))(?: of)? (?:them|it|the time|the slot|the hour|our time|"
    r"the (?:\w+ )?(?:minutes|hours?)|\w+ minutes|\w+ hours?)|used all of (?:them|it)|used (?:it|them) all|(?:the|its|our) full (?:time|slot|allotted time|scheduled time|duration)|"
    r"(?:whole|entire) (?:slot|allotted time|scheduled time)|right (?:up )?to the (?:minute|wire)|on time to the minute|"
    r"exactly (?:as|on) (?:planned|scheduled)|finished (?:right )?on time|ended (?:right |exactly )?on time)\b"
)
_CLOCK = re.compile(
    r"(?<![\w:.])(?P<h>[01]?\d|2[0-3])(?:[:.](?P<m>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?(?![\w:])"
)
_RANGE = re.compile(
    r"(?:from\s+)?(?P<a>(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?)\s*(?:-|to|till|until|–)\s*"
    r"(?P<b>(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:am|pm|a\.m\.|p\.m\.)?)(?![\d:])"
)


def _amount(m: re.Match) -> float | None:
    if m.group("half"):
        return 30.0
    if m.group("quarter"):
        return 15.0
    if m.group("hh"):
        return int(m.group("hh")) * 60.0 + int(m.group("mm"))
    if m.group("h"):
        h = number(m.group("h"))
        if h is None:
            return None
        total = h * 60
        if m.group("andhalf") or m.group("hhalf"):
            total += 30
        if m.group("hquarter"):
            total += 15  # "an hour and a quarter"
        if m.group("hb"):
            total += int(m.group("hb"))
        if m.group("hm"):
            extra = number(m.group("hm"))
            if extra is None:
                return None
            total += extra
        return total
    v = number(m.group("m"))
    return v


def _clock(text: str) -> float | None:
    m = _CLOCK.fullmatch(text.strip().replace(" ", ""))
    if not m:
        m = _CLOCK.fullmatch(text.strip())
        if not m:
            return None
    h, mm = int(m.group("h")), int(m.group("m") or 0)
    ap = (m.group("ap") or "").replace(".", "")
    if ap == "pm" and h < 12:
        h += 12
    if ap == "am" and h == 12:
        h = 0
    return h * 60.0 + mm


def _span(a: str, b: str) -> float | None:
    """Minutes between two clock times (am/pm carried over from the second when the first has none)."""
    ta, tb = _clock(a), _clock(b)
    if ta is None or tb is None:
        return None
    has_ap = lambda s: re.search(r"[ap]\.?m", s) is not None  # noqa: E731
    if not has_ap(a) and has_ap(b) and re.search(r"p\.?m", b):
        ta2 = _clock(a + "pm")
        if ta2 is not None and ta2 <= tb:
            ta = ta2
    if has_ap(a) and not has_ap(b) and re.search(r"p\.?m", a):
        tb2 = _clock(b + "pm")  # "booked 2pm-3pm, finished at 2:40": the afternoon carries over
        if tb2 is not None and tb2 > ta:
            tb = tb2
    if not (has_ap(a) or has_ap(b) or ":" in a or "." in a or ":" in b or "." in b):
        return None  # "2 to 3" alone could be anything
    d = tb - ta
    if d <= 0 and not has_ap(a) and not has_ap(b):
        d += 12 * 60
    return d if 0 < d <= 600 else None


class Length:
    """What a note says of the interview's length."""

    def __init__(self):
        self.scheduled: float | None = None
        self.actual: float | None = None
        self.over: float | None = None
        self.short: float | None = None
        self.full = False
        self.scheduled_words = self.actual_words = ""
        self.conflict: set[str] = set()  # the lengths the note gives two different values for
        self.weak = False  # the actual length rests only on a bare amount ("Phone screen, 45 mins")

    def _set(self, which: str, value: float, words: str, weak: bool = False) -> None:
        old = getattr(self, which)
        if which == "actual" and old is not None and (weak or self.weak):
            if weak:
                return  # a bare amount does not overrule a stated one
            self.weak = False  # a stated length overrules a bare amount
        elif old is not None and abs(old - value) > 1e-9:
            self.conflict.add(which)
        if which == "actual" and old is None:
            self.weak = weak
        setattr(self, which, value)
        setattr(self, f"{which}_words", words)


_BOTH_AFTER = re.compile(r"^\s*,?\s*(?:exactly |just |right )?(?:as (?:planned|scheduled|booked|expected|agreed)|on schedule|on the dot)\b")
_FOR_SLOT = re.compile(r"^\s*(?:for|of) (?:a|an|the|our|my) (?:\d+|[a-z-]+) ?-?(?:minutes?|hours?)?\s*(?:-\s*)?(?:slot|interview|call|booking|window|block)\b")
_INTERVIEW_NOUN = re.compile(r"^\s*(?:-\s?)?(?:video|phone|zoom|teams|in-person|onsite|on-site|panel)?\s*(?:call|interview|chat|screen|screening|slot|meeting|session|video|panel|conversation)\b")
_NOT_THE_INTERVIEW = re.compile(
    r"\b(?:every|each|per|a day|a week|commute|notice|break|later|ago|late|early|wait(?:ed|ing)?|drive|train|bus|walk|"
    r"away|before|prep(?:ared)?|presentation|test|exercise|task|assignment|lunch|spent|another|other|first|last|next|"
    r"remaining|final|extra|additional|about)\s*$"
)
_NOT_AFTER = re.compile(
    r"^\s*(?:late|early|ago|before|wait|waiting|commute|drive|walk|break|presentation|of prep|notice|each|apiece|per|"
    r"to get|to find|in reception|in the lobby|on (?:how|the|my|their|his|her|what)|talking about|discussing|explaining|"
    r"describing|of (?:the|my|it|that)|into|in,|later|after|(?:only |just )?for (?:my|the|our|your|any|some) questions|(?:only |just )?for q&a|left|remaining|to spare)\b"
)


_HOURS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "noon": 12, "midday": 12}
_WORD_CLOCK = re.compile(
    r"\b(?P<m>five|ten|twenty|twenty-five|twenty five|quarter|half|\d{1,2}(?= minutes))(?: minutes)? (?P<dir>past|to|after|before) "
    r"(?P<h>one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midday|\d{1,2})\b(?!\s*(?:minutes|hours))"
)
_WORD_MINUTES = {"five": 5, "ten": 10, "twenty": 20, "twenty-five": 25, "twenty five": 25, "quarter": 15, "half": 30}


def _clock_words(text: str) -> str:
    """Clock times in words as digits: "ten past three" -> "3:10", "twenty to four" -> "3:40"."""
    def digits(m):
        minutes = _WORD_MINUTES.get(m.group("m"))
        minutes = int(m.group("m")) if minutes is None else minutes
        hour = _HOURS.get(m.group("h"))
        hour = int(m.group("h")) if hour is None else hour
        if not 0 < minutes < 60 or not 0 < hour <= 12:
            return m.group(0)
        if m.group("dir") in ("to", "before"):
            hour, minutes = (hour - 1) or 12, 60 - minutes
        return f"{hour}:{minutes:02d}"
    return _WORD_CLOCK.sub(digits, text)


_OTHER_THING = re.compile(
    r"\b(?:commute|journey|drive|trip|train|bus|tube|flight|ride|walk|test|exercise|task|take-home|presentation|prep|"
    r"preparation|lunch|coffee|break|wait|waited|tour|parking|traffic|reception|lobby|security|getting there)\b(?!.*\b(?:interview|call|chat)\b)"
)


_ENDED_AFTER = re.compile(
    r"\b(?:finish(?:ed)?|end(?:ed|s)?(?: it| the (?:call|interview|meeting))?|done|over|stop(?:ped)?|wrap(?:ped)?(?: (?:it )?up)?|"
    r"cut (?:it|us|me)(?: short| off)?|leave|left|hung up|gone|let me go|thanked me) (?:only |just )?after\s*$"
)
_ENDS = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:said '?(?:thank|thanks|ok|okay|that's|that was|goodbye|bye|we're|we are|we were)|told (?:me )?'?(?:ok|that's)|"
    r"ended|finished|wrap|wrapped|stopped|thanked|hung up|cut|closed the (?:call|interview|meeting)|was over|were done|we were done|it was over|"
    r"let me go|that was it|done)\b"
)


def _clause_amounts(text: str, length: Length, words: str) -> None:
    whole = re.search(r"\b(?:the|a) (?P<kind>full|whole|entire) hour\b", text)
    if whole and not _APPROX.search(text[: whole.start()]):
        if whole.group("kind") == "full":
            length._set("scheduled", 60.0, words)
        length._set("actual", 60.0, words)
    for m in _AMOUNT.finditer(text):
        if re.fullmatch(r"an? (?:hr|h)", m.group(0).strip()):
            continue  # "an HR generalist", not an hour
        value = _amount(m)
        if value is None or not 0 < value <= 1440:
            continue
        before, after = text[: m.start()], text[m.end():]
        tail = before[-45:]
        if _APPROX.search(before) or _APPROX_AFTER.search(after):
            continue
        if _RAN_OVER.match(after) or re.search(r"(?:overran|ran over|went over|over|overrun|ran long|ran late|longer) by\s*$", tail):
            length._set("over", value, words)
            continue
        if re.search(r"(?:cut short|short|shorter|early) by\s*$", tail):
            length._set("short", value, words)
            continue
        if _RAN_SHORT.match(after) and re.search(r"(?:ended|finished|wrapped|stopped|cut|done|over|let me go|let us go)", before[-40:]):
            length._set("short", value, words)
            continue
        if re.search(r"\b(?:the|a) full\s*$", tail) or _BOTH_AFTER.match(after):
            length._set("scheduled", value, words)
            length._set("actual", value, words)
            continue
        if re.search(r"\b(?:the|a|for the|for a) (?:whole|entire)\s*$", tail):
            length._set("actual", value, words)
            continue
        scheduled_here = _SCHEDULED_BEFORE.search(tail) or _SCHEDULED_AFTER.match(after) or re.search(
            r"(?:planned|scheduled|booked|allotted|expected|original|intended)\s*$", tail)
        actual_verb = re.search(r"(?:lasted|took|ran|was|were|only|just|it was a|went on for|we had|talked for)\W+(?:\w+\W+){0,1}$", tail)
        if scheduled_here or (_INTERVIEW_NOUN.match(after) and not actual_verb and re.search(r"-|(?:minutes?|hours?|m)\b", text[m.start():m.end()] + after[:3])):
            length._set("scheduled", value, words)
            continue
        if _NOT_THE_INTERVIEW.search(tail[-25:]) or _NOT_AFTER.match(after) or _OTHER_THING.search(tail[-30:]):
            continue  # "the commute was 40 minutes", "spent ten minutes on the team's plans"
        if _FOR_SLOT.match(after) or re.match(r"^\s*with (?:them|him|her|the panel|the interviewer|the recruiter|\w+)\b", after):
            length._set("actual", value, words)
            continue
        if re.search(r"\bafter\s*$", tail) and not _ENDED_AFTER.search(tail) and not _ENDS.match(after):
            continue  # "after 10 minutes he closed his laptop": a moment in it, not its end
        if _ACTUAL_BEFORE.search(tail) or _ACTUAL_AFTER.match(after):
            length._set("actual", value, words)
            continue
        if re.search(r"(?:^|[:,(]|\s-)\s*$", before) and re.search(r"\b(?:interview|call|chat|screen|screening|meeting|round|panel|it was (?:short|quick|brief|long))\b", text):
            length._set("actual", value, words, weak=True)  # "screening call with the recruiter: twelve minutes"
    # "scheduled for thirty minutes and went on for fifty-five": the unit said once
    if length.actual is None and length.scheduled is not None:
        bare = re.search(rf"(?:went on for|lasted|ran (?:for|to)|took|finished after|ended after|actual:?|done in|done after|over in|over after|wrapped (?:up )?(?:in|after)|finished in)\s+(?:only\s+|just\s+)?((?!an?\b){NUMBER})\b(?!\s*(?:-|minutes?|hours?|people|questions|am|pm|[:.]\d))", text)
        if bare and number(bare.group(1)) is not None:
            length._set("actual", number(bare.group(1)), words)


_START_END = re.compile(r"(\d{1,2}[:.]\d\d\s*(?:am|pm)?)\s*start\W+(\d{1,2}[:.]\d\d\s*(?:am|pm)?)\s*(?:end|finish)\b")


def read_minutes(clauses, doubtful) -> tuple[dict, dict]:
    """(values, evidence) for ``scheduled_minutes`` and ``actual_minutes`` from the note's
    clauses; ``doubtful(clause)`` says whether real doubt covers a clause."""
    length = Length()
    sentences: dict[int, list] = {}
    for c in clauses:
        sentences.setdefault(c.index, []).append(c)
    slot_start = None  # a booked slot's start carries to a later "we wrapped up at 14:35"
    for index, parts in sentences.items():
        sentence = _clock_words(parts[0].sentence_text)
        words = parts[0].sentence
        if any(doubtful(c) for c in parts):
            continue
        _clause_amounts(sentence, length, words)
        for m in _RANGE.finditer(sentence):
            d = _span(m.group("a"), m.group("b"))
            if d is None:
                continue
            before = sentence[: m.start()][-60:]
            if re.search(r"(?:scheduled|booked|slot|planned|invite|invitation|supposed|meant|calendar|down for|set for|was for)\W*(?:\w+\W+){0,3}$", before) or re.match(
                    r"^\s*-?\s*(?:slot|window|block|booked|booking|scheduled|planned|meeting slot|meeting invite|invite|calendar|on (?:the |my |our )?calendar|in the (?:calendar|invite))\b", sentence[m.end():]):
                length._set("scheduled", d, words)
                slot_start = m.group("a")
            elif not re.search(r"\b(?:lunch|break|commute|train|wait|waited|waiting|traffic|then|next|tomorrow|on (?:monday|tuesday|wednesday|thursday|friday))\b", before[-30:]):
                length._set("actual", d, words)  # a plain "9:30-9:50" or "ran from 10:00 to 11:20" is when it took place
        bare = re.search(r"\b(?:the|a|an|our|my|their)? ?(?:planned|scheduled|booked|allotted|allocated|original|expected) (\d{1,3})\b(?! ?(?:-|people|questions|candidates|interviewers|am|pm|[:.]\d))", sentence)
        amount = _AMOUNT.search(sentence)
        if bare and (length.scheduled is None) and amount:
            # the unit said once: "lasted 3 hrs (scheduled 3)" is three hours planned
            unit = 60.0 if amount.group("h") and not amount.group("hm") and int(bare.group(1)) <= 12 else 1.0
            length._set("scheduled", float(bare.group(1)) * unit, words)
        if _FULL.search(sentence):
            length.full = True
            if not length.actual_words:
                length.actual_words = words
        # clock: "started at 10:05 and finished at 10:40" / "done by 10:40 for a 10-11 slot"
        start = re.search(r"(?:started|starting|began|beginning|start(?:ed)? at|kicked off|began at|came in at|joined at|from)\s+(?:(?:\d+ minutes |a bit |very )?(?:late|early),?\s+)?(?:at\s+)?(\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)?)", sentence)
        end = re.search(r"(?:finished|ended|wrapped up|wrapped|done|over|out|hung up|ran (?:until|till|to)|went (?:on )?(?:until|till|to))\s+(?:at\s+|by\s+)?(\d{1,2}(?:[:.]\d\d)?\s*(?:am|pm)?)(?!\s*(?:minutes|hours|mins|h\d))", sentence)
        start_end = _START_END.search(sentence)  # a tracker's "10:00 start, 10:50 end"
        if start_end:
            d = _span(start_end.group(1), start_end.group(2))
            if d is not None:
                length._set("actual", d, words)
        elif start and end:  # in either order: "ended at 10.15 after starting at 10.00"
            d = _span(start.group(1), end.group(1))
            if d is not None:
                length._set("actual", d, words)
        elif (end and slot_start is not None
              and not re.search(r"\b(?:started|began|kicked off)\s+(?:\w+\s+)?(?:late|early|after|at)\b|\blate start\b", sentence)):
            d = _span(slot_start, end.group(1))  # "slot was 10:00-11:00, we finished at 10:35"
            if d is not None:
                length._set("actual", d, words)
    values: dict = {}
    evidence: dict = {}
    if "scheduled" in length.conflict:
        return values, evidence  # two plans: nothing can be worked out
    sched, actual = length.scheduled, length.actual
    if "actual" in length.conflict:
        actual = length.actual = None
        length.over = length.short = None
        length.full = length.weak = False
    if length.weak and sched is None and (length.over is not None or length.short is not None):
        sched, actual = actual, None  # "Phone interview, 45 mins ... finished 10 minutes early": 45 was the plan
        length.scheduled_words = length.actual_words
    if sched is not None and actual == sched and length.over is not None:
        actual = sched + length.over  # "went the full hour, actually 5 mins over"
    if sched is not None and actual is None:
        if length.over is not None:
            actual = sched + length.over
        elif length.short is not None and length.short < sched:
            actual = sched - length.short
        elif length.full:
            actual = sched
        if actual is not None:
            length.actual_words = length.actual_words or length.scheduled_words
    if sched is not None:
        values["scheduled_minutes"], evidence["scheduled_minutes"] = sched, length.scheduled_words
    if actual is not None:
        values["actual_minutes"], evidence["actual_minutes"] = actual, length.actual_words
    if sched is None and actual is None and length.full and False:
        pass
    return values, evidence
