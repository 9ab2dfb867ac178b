"""Is a sentence about THIS interview? Notes also hold advice, articles, checklists, hearsay,
someone's reputation, what interviewers do in general, a job ad, a rehearsal or an interview
still to come; a careful reader takes no signal value from any of them.

Each test here is a rule a reader states about any note, not about one writer's wording:

- hearsay and reputation: "is known / famous for", "heard from / that",
  "according to", "on the forum", "reviews say";
- advice, checklists and articles: "advice", "tip", "article", "things to look
  out for", "next time", an imperative "always ..." or "make sure ...";
- a job ad: "the job ad / advert / posting / description said ...";
- interviewers in general: a sentence opening on a bare plural ("Interviewers who ...",
  "Recruiters never ...") in the present tense;
- an interview still to come: "for Monday's final round", "for Friday" with a plan, "the upcoming interview",
  "prep for";
- another interview the note compares this one with: "two years ago", "back in March",
  "compared to my interview at ...";
- a rehearsal: a mock or practice interview, panel or session (a note that opens on one is
  about it throughout, until a sentence turns to the real interview);
- someone else's interview: "Sophie's final", "my sister's interview", when the note also
  speaks of the writer's own ("mine is next week").
"""

from __future__ import annotations

import re

__all__ = ["covers", "not_this_interview", "other_frames", "process_sentence"]

_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|next week|next month)"

_HEARSAY = re.compile(
    r"\b(?:famous for|known for|notorious for|infamous for|has a reputation|reputation for|"
    r"heard (?:from|that)|i've heard|i had heard|according to|rumou?rs?|on (?:the|a) forum|on reddit|on glassdoor|"
    r"reviews? (?:say|said|says)|people (?:say|said)|word is|the word on)\b"
)
_ADVICE = re.compile(
    r"\b(?:advice|advised|tips?|article|blog|things to (?:look out for|watch for|check|ask|notice)|"
    r"look out for|next time|job (?:ad|advert|advertisement|posting|listing|description|spec) (?:said|says|mentioned|mentions|stated|states|listed|lists|asked for|asks for|promised|promises|wanted|wants)|"
    r"the (?:ad|advert|posting|listing) (?:said|says)|a good sign is|a bad sign is|red flags? (?:is|are|include))\b"
)
# an imperative or a to-do: "always send a thank-you", "4) send a thank-you within a day"
_IMPERATIVE = re.compile(
    r"^\W*(?:\w+:\s*)?(?:\d+[).]\s*)?(?:always|make sure|don't forget|do not forget|be sure to|try to|never forget|"
    r"send|write|post|mail|research|prepare|follow up|remember)(?= )(?! (?:me|us|him|her|them)\b)"
)
# "Interviewers who don't ask follow-up questions are the worst": people in general, present tense
_GENERIC = re.compile(
    r"\b(?:an?|the) \w+(?: \w+)? (?:is|are) (?:a |always a )?(?:good|bad|great|positive|negative) (?:sign|signal)s?\b|"
    r"\b\w+s are (?:a |always a )?(?:good|bad|great|positive|negative) (?:sign|signal)s?\b|"
    r"\ban? \w+(?: \w+)? (?:is|are) (?:always )?(?:good|bad)\b(?!\s+(?:at|for|with|about|to))|"
    r"^\W*(?:(?:most|many|some|good|bad|great|all|the best|the worst)\s+)?(?:interviewers|recruiters|hiring managers|companies|employers|"
    r"panels|managers|firms)\s+(?:who|that|which|always|never|usually|often|tend|should|are|don't|do|can|will|love|hate)\b"
)
_TO_COME = re.compile(
    rf"\b(?:(?:for|before) {_DAY}'s|(?:for|before|on) (?:{_DAY})(?!'s)\b(?=.*\b(?:prep|bought|buy|ready|plan|practi[cs]e|print|will|'ll|going to|gonna))|"
    r"(?:interview|round|screen|final) (?:is )?(?:tomorrow|next week)|(?:have|got) (?:a|an|my|the) (?:\w+ )?(?:interview|final|round|screen) (?:tomorrow|next|on)|"
    r"upcoming|prep(?:ping|ared|aring)? for|preparation for|get ready for|getting ready for|ready for (?:the|my|monday|tuesday|wednesday|thursday|friday))\b"
)
# another, earlier interview the writer compares this one with
_AGO = r"(?:a|one|two|three|four|five|six|\d+|a few|several|some) (?:years?|months?|weeks?) ago"
_EARLIER = re.compile(
    rf"\b(?:(?:interview|round|final|screen|panel)\b.*\b{_AGO}|{_AGO}.*\b(?:interview|round|final|screen|panel)|back in (?:january|february|march|april|may|june|july|"
    r"august|september|october|november|december|\d{4}|the day)|compared? (?:to|with)|compare:|in comparison|by contrast|"
    r"the (?:worst|best) (?:one|interview)|another interview|my other interview)\b"
)
_REHEARSAL = re.compile(
    r"\b(?:mock|practi[cs]e (?:interview|panel|round|session|run|call)s?|dry run|role-?play(?:ed|ing)?|rehears(?:al|als|ed|ing))\b"
)
_REAL_AGAIN = re.compile(r"\b(?:the real|the actual|my real|my actual|real interview|actual interview|today's interview|in the interview itself)\b")
# Someone else's interview, named: "Sophie's final", "my sister's interview"
_THEIRS = re.compile(
    r"(?:\b[A-Z][a-z]+|\bmy (?:friend|mate|sister|brother|partner|flatmate|roommate|cousin|colleague|husband|wife|boyfriend|girlfriend|"
    r"mum|mom|dad|son|daughter))'s (?:(?:\w+ )?(?:interview|interviewer|interviewers|final|first round|second round|screen|onsite|panel))\b"
)
_MINE = re.compile(r"\b(?:mine(?:'s| is| was| will)|my own (?:interview|one)|my (?:interview|one) (?:is|was|will)|for me it|my turn)\b", re.I)
# A sentence about the process rather than this round: it names no stage of this interview
_PROCESS = re.compile(
    r"\b(?:process|stages|steps|next (?:is|up|will be|would be)|next (?:stage|step|round|interview) (?:is|will|would)|next:|would follow|will follow|to follow|followed by|"
    r"after (?:that|this) (?:there's|there is|comes|is|would be|will be))\b"
)


_TESTS = (("hearsay", _HEARSAY), ("advice", _ADVICE), ("advice", _IMPERATIVE), ("people in general", _GENERIC),
          ("an interview to come", _TO_COME), ("a rehearsal", _REHEARSAL), ("another interview", _EARLIER))
# What the interview did, then why the writer expected otherwise: "no tour, which I was half
# expecting since the job ad said...": the aside does not reach back over it.
_ASIDE = re.compile(r",\s*(?:which|since|because|as|although|though|whereas)\b|\b(?:since|because)\b")


def not_this_interview(sentence: str) -> str | None:
    """Why a (normalised) sentence is not about the interview the note reports, or None."""
    for name, pattern in _TESTS:
        m = pattern.search(sentence)
        if m:
            return f"{name}: {m.group(0)}"
    return None


# a new statement after a comma: "Next time I'm going to ask for a tour, I didn't see the depot today"
_NEW_STATEMENT = re.compile(r",\s*(?:i|he|she|they|we|it)\s+(?:was|were|did|didn't|had|hadn't|got|never|wasn't|weren't|\w+ed)\b")


def covers(sentence: str, position: int) -> bool:
    """Whether what stands at ``position`` of a (normalised) sentence is not about this
    interview: a test above matches before it with no new statement between them, or after it
    with no aside between them."""
    for _, pattern in _TESTS:
        for m in pattern.finditer(sentence):
            if m.start() <= position:
                new = _NEW_STATEMENT.search(sentence, m.end())
                if new is None or new.start() >= position:
                    return True
            elif not _ASIDE.search(sentence, position, m.start()):
                return True
    return False


def other_frames(sentences: list[tuple[int, str, str]]) -> set[int]:
    """The indices of sentences that speak of another interview because of what the note said
    before: a note that opens on a rehearsal is about it until a sentence turns to the real
    interview; a note comparing someone's interview with the writer's own drops the sentences
    naming theirs. ``sentences``: (index, original, normalised) in order."""
    out: set[int] = set()
    if sentences and _REHEARSAL.search(sentences[0][2]):
        for index, _, norm in sentences:
            if _REAL_AGAIN.search(norm):
                break
            out.add(index)
    if any(_MINE.search(original) for _, original, _ in sentences):
        out |= {index for index, original, _ in sentences if _THEIRS.search(original)}
    return out


def process_sentence(sentence: str, position: int | None = None) -> bool:
    """Whether a sentence describes the hiring process ("the stages are...", "next: final with
    the MD") rather than the round the note reports (from ``position`` on, when given: "Screening
    call - the next stage is a coding session" names this round before the process)."""
    m = _PROCESS.search(sentence)
    return m is not None and (position is None or m.start() <= position)
