"""Scopes, as clinical text tools read them (NegEx, ConText): does a negation, a real doubt, a
future or the candidate as subject reach a matched phrase?

A trigger governs the words after it (or before it, for the few post-triggers) up to the end of
its clause or a terminator (a comma, a new subject, a linking word), as NegEx's scope rules do.
Pseudo-triggers ("no doubt", "not only") are removed first so that they negate nothing.
"""

from __future__ import annotations

import re

__all__ = ["DOUBLE", "candidate_subject", "doubtful", "future", "negated", "sarcastic"]

# What ``negated`` returns for two stacked negations that no rule reads ("hardly a moment where
# she wasn't engaged"): the reader proposes nothing from the phrase.
DOUBLE = "two negations"

# Words that are not negations although they contain one (NegEx's pseudo-negations).
_PSEUDO = re.compile(
    r"\b(?:no doubt|not only|not just|no wonder|nothing but|not least|not to mention|no matter|"
    r"not bad|no problem|not a problem|no worries|can't wait|not too long|not long after|without a doubt|"
    r"no question about it|not sure why|no idea why|never mind|not that i|had no trouble|no stranger|so much as|"
    r"no shortage of|no lack of|not short of|no end of|more than a few|not a few|"
    # idioms that deny nothing: "not gonna lie", "why not", "not once, not twice, but ten times"
    r"not gonna lie|not going to lie|no lie|why not|not once,? not twice|no offen[cs]e|not kidding)\b"
)
# Negation triggers (pre-): they negate what follows in their scope.
_NEG = re.compile(
    r"\b(?:not|no|never|without|nobody|no one|no-one|none|nothing|neither|nor|hardly|barely|scarcely|zero|"
    r"lack of|lacked|lacking|absence of|absent|failed to|fail to|refused to|didn't|don't|doesn't|wasn't|weren't|"
    r"isn't|aren't|won't|wouldn't|couldn't|can't|cannot|haven't|hasn't|hadn't|shouldn't|did not|do not|does not|"
    r"was not|were not|is not|are not|could not|would not|had not|has not|have not|nowhere|rather than|instead of|"
    r"far from|less than|not once|not even|not a single|not any|forgot to|forgotten to|neglected to|"
    r"(?:did|do|does|could|would|should|was|were|is|are|ca|has|have|had|wid|wis)nae)\b|n't\b"
)
# What ends a negation's scope before the match (NegEx terminators) beyond the clause's end.
_TERMINATOR = re.compile(
    r"[,;:()]|\b(?:and|so|which|who|because|since|when|until|after|before|as|if|though|then|instead|just|"
    r"only|except|apart|other than|also|plus|while)\b"
)
# Post-negations: the thing named, then said not to have happened.
_POST_NEG = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:was|were|is|are|got|had)?\s*(?:n't|not|never|none|zero)\b(?!\s+(?:only|just|bad))|"
    r"^\W*(?:on |about |of |to )?(?:absolutely |precisely |literally )?(?:nothing|nobody|no one|no-one)(?:\s+at all)?\s*(?:[.!?,;]|$)|"
    r"^\W*(?:\w+\W+){0,3}?(?:never (?:came up|happened|mentioned|discussed|asked)|did(?:n't| not) (?:come up|happen)|"
    r"(?:was|were)(?:n't| not| never) (?:mentioned|discussed|raised|covered|explained|offered|given|asked|touched|brought))"
)
# Real doubt (ConText's uncertainty): nothing in its clause is proposed.
_DOUBT = re.compile(
    r"\b(?:not sure|unsure|not certain|uncertain|hard to (?:tell|say|know|read|judge)|difficult to (?:tell|say|read|judge)|"
    r"tough to (?:tell|say|read)|impossible to (?:tell|say|read)|can't tell|couldn't tell|cannot tell|could not tell|"
    r"can't say|couldn't say|no idea (?:if|whether)|don't know (?:if|whether)|do not know (?:if|whether)|"
    r"didn't know (?:if|whether)|not clear (?:if|whether)|unclear (?:if|whether)|(?:maybe|perhaps|possibly)(?! (?:\d|a |an |one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|once|twice|half|a couple|a few))|might have|"
    r"may have|might've|could have been|could've been|i guess|i suppose|i wonder|who knows|can't remember|"
    r"cannot remember|don't remember|do not remember|can't recall|don't recall|or not|or maybe|either way|"
    r"50/50|fifty-fifty|doubt|dunno|idk|not convinced|might be|may be|could be|hard to read|no way to know|"
    r"can't be sure|couldn't be sure|if (?:that|it) (?:counts|means)|not that i noticed|not really sure|"
    r"if anything|in theory|supposedly|i think so|sort of maybe|does (?:that|it|this) (?:even )?count|mixing (?:it|them|things) up)\b"
)
# A future or a plan: the thing has not happened yet.
_FUTURE = re.compile(
    r"\b(?:will|would|'ll|going to|gonna|next (?:round|time|stage|step|interview|week)|later|hope to|hoping|"
    r"if i|should i|supposed to|planning|plan to|tomorrow|want to|wants to|would like|might|may|could|"
    r"promised to|offered to|expect to|need to|needs to|have to|has to|got to|gotta|must|should|remember to|"
    r"reminder|meaning to|meant to|through to|invited to|made it to|move on to|moved on to|moving on to|"
    r"advance to|advanced to|progress to|progressed to|go through to|next up|next (?:is|will be|would be|are)|next\s*[:=-]|"
    r"(?:^|\bi |\bwe )(?:thought about|was thinking about|considered|toyed with|decided against))(?:\b|(?<=[:=-]))"
)
# Who is the subject: the candidate ("I") or someone else, found backwards from the match.
_SUBJECT = re.compile(
    r"\b(?:(?P<i>i|i'm|i've|i'd|myself|my \w+(?: \w+)? (?:was|were|felt|seemed|got|sounded|came across))|(?P<other>he|she|they|interviewer|interviewers|manager|"
    r"managers|recruiter|recruiters|panel|panelists?|panellists?|lead|director|founder|ceo|cto|cfo|coo|vp|head|"
    r"hr|boss|guy|guys|woman|man|lady|engineer|engineers|person|people|everyone|everybody|both|we|nobody|"
    r"company|team|partner|owner|chair|host|interviewee|someone|somebody|colleague|colleagues|it|this|that|"
    r"who|mr|ms|mrs|dr|[a-z]+'s))\b"
)
# "where I see", "if I had", "what I did": the candidate inside a clause about something else.
_SUBORDINATE = re.compile(
    r"\b(?:where|what|if|whether|when|how|that|why|than|as|before|after|while|because|until|since|once|whom|which|"
    r"answer|answers|question|questions|thing|things|point|points|project|projects|example|examples|everything|anything|something|all)\s*$"
)
_PASSIVE = re.compile(r"\b(?:was|were|got|been|being|get|am|be)\s+(?:\w+ly\s+)?(?:also\s+|then\s+|even\s+)?$")
_SARCASM = re.compile(r"\b(?:great,? another|wow,? such|very informative\.|(?:sure|oh sure),? (?:they|he|she) '|yeah,? (?:great|right|sure|brilliant|lovely)|(?:great|lovely|brilliant|fantastic) '\w+'|yeah right|/s|not!|as if|oh great|oh sure|sure,|lol no|(?:so|real|super) fun|sarcas(?:m|tic|tically))\b|\((?:not|NOT|Not)\.?(?:\)|\s*$)|\brolls eyes\b|^not\W*$")


def _strip_pseudo(text: str) -> str:
    return _PSEUDO.sub(lambda m: "_" * len(m.group(0)), text)


# Fillers and intensifiers that sit between a negation and what it denies without ending its
# scope: "nobody asked, like, where I see myself", "never so much as glanced", "not so interested".
_FILLER = re.compile(r"(?:,\s*)?\b(?:like|um+|uh+|erm+|er|you know|i mean|basically|literally|honestly)\b(?:\s*,)?")
_INTENSIFIER = re.compile(r"^(?:\s*\b(?:so much as|so|that|too|even|really|once|at all)\b)+")


_FRONTED = re.compile(r"^\W*(?:\w+\W+){0,2}?,\s*(?:he|she|they|it|that|this) (?:was|were|did|is|are)(?: not|n't)\W*$")


def negated(text: str, start: int, end: int, window: int = 7) -> str | None:
    """The negation that reaches ``text[start:end]`` (the trigger's words), or None.

    A pre-trigger reaches the match when at most ``window`` words and no terminator stand
    between them; a post-trigger when it follows within a few words.
    """
    before = _strip_pseudo(text[:start])
    for m in reversed(list(_NEG.finditer(before))):
        gap = _FILLER.sub(" ", _INTENSIFIER.sub(" ", before[m.end():]))
        # a denial covers each thing joined by "or"/"nor": "neither of them asked about my plans
        # or said a word about progression"; each conjunct must fall within the window
        if max(len(part.split()) for part in re.split(r"\b(?:or|nor)\b", gap)) > window or len(gap.split()) > 3 * window:
            return None
        if _TERMINATOR.search(gap):
            return None
        # a double negative ("I wouldn't say he wasn't keen", "can't say she didn't") says yes
        earlier = list(_NEG.finditer(before[: m.start()]))
        if earlier and not before[earlier[-1].end(): m.start()].strip():
            return None  # "didn't not ask": a double negative says it happened
        if earlier:
            gap2 = before[earlier[-1].end(): m.start()]
            if len(gap2.split()) <= 4 and not _TERMINATOR.search(gap2):
                if re.search(r"\b(?:say|said|claim|pretend|think|call it|argue|mean|like|that)\b",
                             gap2 + " " + earlier[-1].group(0)):
                    return None
                return DOUBLE  # "hardly a moment where she wasn't engaged": two negations, no plain reading
        return m.group(0)
    after = _strip_pseudo(text[end:])
    # a form line or a checklist: "Smiles: none", "Handwritten card ✘"
    if not text[:start].strip(" -*•>") and _LABEL_NEG.match(after):
        return after.strip()[:12]
    m = _CROSS.match(after)
    if m:
        return m.group(0).strip()
    m = _FRONTED.match(after)
    if m:
        return m.group(0).strip()  # "selling it, he was not": the thing first, then denied
    m = _POST_NEG.search(after)
    # a parenthesis is an aside about something else: "asked about my notice (none!)"
    if m and not re.search(r"[,;:(]|\band\b|\bbut\b", after[: m.end()]):
        return m.group(0).strip()
    return None


_LABEL_NEG = re.compile(r"^\s*[:=]\s*(?:none|no|nope|never|zero|nil|nothing|0|not really|n/a)\b")


def label_negation(after: str) -> bool:
    """Whether the words after a form label answer it with a no (``: none``, ``= 0``)."""
    return bool(_LABEL_NEG.match(after))
_CROSS = re.compile(r"^\s*(?:\w+\s+){0,2}?[✘✗❌✖]")


_WITHIN = re.compile(r"\b(?:nothing|to (?:nobody|no one|no-one)|zero|(?<!a )little)\b")


def denied_within(phrase: str) -> bool:
    """Whether a matched phrase holds a denial of amount ("asked me nothing about", "told very
    little about"); phrases that say yes through a negation ("didn't let me finish") are meant."""
    return bool(_WITHIN.search(_strip_pseudo(phrase)))


def doubtful(text: str) -> str | None:
    """The words of real doubt in a clause, or None."""
    m = _DOUBT.search(text)
    return m.group(0) if m else None


def future(text: str, start: int) -> bool:
    """Whether the match is something planned or promised rather than done."""
    return bool(_FUTURE.search(text[:start]))


_FUTURE_AFTER = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:(?:is|will be|'s|would be) (?:next|tomorrow|planned|scheduled|booked|coming|on (?:monday|tuesday|wednesday|thursday|friday|the \d+(?:st|nd|rd|th)?))|next (?:week|month|time|monday|tuesday|wednesday|thursday|friday)|"
    r"tomorrow|coming up|later this|to come|in (?:a|one|two|three|\d+) (?:days?|weeks?)|(?:would|will|is to|was to) (?:follow|come next|be next)|to follow)\b"
)


_CONDITION = re.compile(
    r"(?:^|\W)(?:(?<!asked )(?<!ask )(?<!asks )(?<!asking )(?<!wondered )(?<!checked )(?<!know )(?<!see )(?<!me )if|"
    r"in case|unless|hopefully|i hope|hoping|would be (?:great|nice|good) if|"
    r"^\W*(?:had|were) (?:they|she|he|we|you|it|the \w+) (?!been\b))\b"
)


def conditional(text: str, start: int) -> bool:
    """Whether the match stands in a condition or a wish ("if they ask about my notice period")."""
    return bool(_CONDITION.search(text[:start]))


def future_after(text: str, end: int) -> bool:
    """Whether the words after the match put it in the future ("the final round is next week")."""
    return bool(_FUTURE_AFTER.search(text[end:]))


def candidate_subject(text: str, start: int, sentence_before: str | None = None) -> bool:
    """Whether the candidate is the subject of what the match says (``I asked ...``, ``Felt
    relaxed``), not the interviewer (``she asked ...``, ``I was asked ...``).

    ``sentence_before``: the words of the sentence before the clause, where a subject may
    stand ("The interviewer was lovely: warm, smiling ...")."""
    before = text[:start]
    if _ME_WHO.search(before):
        return True  # "I was the one who was distracted"
    if sentence_before is not None and not _SUBJECT.search(before) and not _SUBJECT.search(sentence_before):
        if _ACTED_ON_ME.match(text):
            return False  # "asked about my notice period": what was done to the candidate
        return bool(_DIARY_VERB.match(text)) and not _SOMEONE_ELSE.search(text)
    last = None
    for m in _SUBJECT.finditer(before):
        if m.group("i") is not None and _SUBORDINATE.search(before[: m.start()]):
            continue
        last = m
    if last is None or last.group("i") is None:
        return False
    # "the engineer I was supposed to meet was off sick": the candidate in a relative clause
    if len(re.findall(r"\b(?:was|were|is|are|had|has|did)\b", before[last.end():])) >= 2:
        return False
    return not (_PASSIVE.search(before) and _PARTICIPLE.match(text[start:]))


_ME_WHO = re.compile(r"\b(?:i was|i'm|i am|it was me|it's me|it was i)(?: the one| the only one)? (?:who|that)\W+(?:\w+\W+){0,3}$")
_PARTICIPLE = re.compile(
    r"(?:asked|shown|given|told|taken|brought|sent|offered|introduced|walked|interviewed|grilled|quizzed|invited|"
    r"interrupted|cut|pressed|probed|encouraged|led|questioned|challenged|sold|pitched|toured|greeted)\b"
)
# A clause without a subject ("Rushed through my answers", "Felt relaxed"): a diary's "I",
# unless it speaks of someone else ("Kept glancing at her second monitor").
_DIARY_VERB = re.compile(
    r"^\W*(?:(?:just|really|never|totally|kind of|so|also|then)\s+)?(?:\w+ed|felt|was|got|kept|made|had|forgot|tried|spent|went|"
    r"did|said|told|sent|wrote|thought|knew|took|gave|saw|ran|sat|stood|left|came|am|feel|think)\b(?!\s+me\b)"
)
_ACTED_ON_ME = re.compile(
    r"^\W*(?:asked|quizzed|showed|told|gave|offered|explained|mentioned|walked|introduced|invited|probed|grilled|"
    r"pressed|wanted to know|grilled|took)\W+(?:\w+\W+){0,2}?(?:my|me)\b"
)
_SOMEONE_ELSE = re.compile(r"\b(?:he|she|they|his|her|their|him|them|interviewer|manager|recruiter|panel)\b")


# Someone else's interview, or a habit rather than this interview: nothing here is proposed.
_ELSEWHERE = re.compile(
    r"\b(?:(?:my|a) (?:friend|mate|colleague|sister|brother|partner|flatmate|roommate|cousin|husband|wife|boyfriend|girlfriend|"
    r"mum|mom|dad|son|daughter|niece|nephew|aunt|auntie|uncle|nan|nana|gran|grandma|grandad|grandpa|fiance|fiancee|neighbou?r)"
    r"(?: of mine)?(?: (?:said|says|told|had|has|got|gets|was|who|'s|interviewed|went|did|heard|hears|applied)|'s (?:\w+ )?(?:interview|final|screen|interviewer|onsite)s?)|"
    r"(?:my|a) (?:mentor|coach|adviser|advisor|teacher|tutor|dad|mum|mom|father|mother|parents|friends) (?:says|said|thinks|thought|told me|reckons)|"
    r"someone (?:else|i know)|(?:had|has|got|did) (?:his|her) (?:interview|final|first round|second round|screen)|other candidates|another candidate|usually|normally|typically|"
    r"last time|the previous (?:interview|round)|my (?:last|previous) interview|at my (?:last|previous|old) (?:job|interview|company)|"
    # an earlier interview set against this one: "last week at Lomax they ...", "unlike the first round, where ..."
    r"(?:last|the other) (?:week|month|monday|tuesday|wednesday|thursday|friday) at [a-z]+|unlike (?:the|my) (?:first|last|previous|other|earlier) (?:round|interview|one)|"
    r"(?:the|my) (?:first|previous|last|earlier) (?:interview|round) was\b(?=.{0,60}\bthis one)|"
    r"when i (?:interviewed|applied|was interviewing) (?:at|with|for|there)|"
    r"in my (?:last|previous|old) (?:job|role|company)|"
    # a rehearsal, the candidate's present job, or people who are not the interviewers
    r"(?:mum|mom|dad|nan|nana|gran|grandma|grandad|grandpa) (?:said|says|told|had|has|got|gets|was|thinks|reckons|went|did)|"
    r"mock interviews?|practice interviews?|practi[cs]ed|practi[cs]ing|rehears(?:al|als|ed|ing)|role-?play(?:ed|ing)?|"
    r"(?:at|in) my (?:current|present|day) (?:job|role|company|work)|my current (?:boss|manager|team|job)|"
    r"the (?:receptionist|security guard|barista|taxi driver|uber driver|cab driver|doorman|porter|bus driver)|"
    # someone else's interview by name ("Sana's interviewer", "my sister's interview", "Sophie's final")
    # and hearsay about how the company interviews ("heard from a guy on the forum that ...")
    r"(?<!today's )(?<!yesterday's )(?<!week's )(?<!morning's )(?<!afternoon's )(?<!monday's )(?<!tuesday's )(?<!wednesday's )"
    r"(?<!thursday's )(?<!friday's )(?<!saturday's )(?<!sunday's )(?<!evening's )(?<!night's )(?<!month's )(?<!year's )"
    r"(?<!company's )(?<!firm's )(?<!bank's )(?<!the )(?<!this )(?<!that )"
    r"\b(?!today|yesterday|tomorrow|week|morning|afternoon|evening|night|month|year|company|firm|bank|it|that|there|here|what|who|one|"
    r"manager|interviewer|recruiter|panel|director|lead|ceo|cto|hr|team|boss|founder)"
    r"[a-z]+'s (?:interview|interviewer|interviewers|final|first round|second round|screen|panel|assessment)|"
    r"heard (?:from|that|they|it)|i've heard|word is|on (?:glassdoor|reddit|the forum|a forum|linkedin)|according to (?:glassdoor|reddit|the forum|reviews))\b"
)


def elsewhere(text: str) -> bool:
    """Whether a clause is about another interview or a habit ("my friend got a tour")."""
    return bool(_ELSEWHERE.search(text))


def sarcastic(text: str) -> bool:
    """Whether a clause says the opposite of its words (``yeah right``, ``/s``, ``(not)``)."""
    return bool(_SARCASM.search(text))
