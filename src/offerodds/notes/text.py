"""Text preparation for reading notes: one spelling, sentences and clauses, numbers.

Everything here keeps to plain English text: the note is lower-cased, British spellings and
common typos are mapped to one form (so the patterns are written once), and the note is cut into
sentences (bullets and line breaks count as sentence ends) and clauses (``but``, ``though``,
``however``... start a new one), which bound the scope of a negation or a doubt.
"""

from __future__ import annotations

import re

__all__ = ["Clause", "clauses", "normalise", "number"]

# One spelling for the words the patterns use (British -> American, frequent typos and
# non-native forms). Whole words only; the key is what a note may say.
SPELLING = {
    # British and American
    "programme": "program", "programmes": "programs", "organised": "organized", "organise": "organize",
    "realised": "realized", "realise": "realize", "recognised": "recognized", "apologised": "apologized",
    "summarised": "summarized", "emphasised": "emphasized", "prioritised": "prioritized",
    "centre": "center", "behaviour": "behavior", "favour": "favor", "colour": "color",
    "enquired": "inquired", "enquire": "inquire", "enquiry": "inquiry", "travelling": "traveling",
    "cancelled": "canceled", "analysing": "analyzing", "analysed": "analyzed", "humour": "humor",
    "specialised": "specialized", "mins": "minutes", "min": "minutes",
    "minuets": "minutes", "minuts": "minutes", "minites": "minutes", "mintues": "minutes", "mnutes": "minutes",
    # typos of words the patterns rely on
    "intervew": "interview", "interveiw": "interview", "inteview": "interview", "interivew": "interview",
    "intreview": "interview", "interviw": "interview", "intervier": "interviewer", "interveiwer": "interviewer",
    "intervewer": "interviewer", "inteviewer": "interviewer", "interviwer": "interviewer",
    "interviewr": "interviewer", "interveiwers": "interviewers", "intervewers": "interviewers",
    "questons": "questions", "qustions": "questions", "quesitons": "questions", "questoins": "questions",
    "questios": "questions", "qeustions": "questions", "questiosn": "questions", "qs": "questions",
    "recieve": "receive", "recieved": "received", "definately": "definitely", "definetly": "definitely",
    "enthusiastc": "enthusiastic", "enthusastic": "enthusiastic", "enthousiastic": "enthusiastic",
    "enthusiatic": "enthusiastic", "entusiastic": "enthusiastic", "engagd": "engaged", "enaged": "engaged",
    "distracetd": "distracted", "distrcted": "distracted", "distracte": "distracted", "distractd": "distracted",
    "interupted": "interrupted", "interrumpted": "interrupted", "interupting": "interrupting",
    "interrupt": "interrupt", "interupt": "interrupt", "interuppted": "interrupted", "interrupte": "interrupted",
    "schedulled": "scheduled", "scheduld": "scheduled", "sceduled": "scheduled", "shedule": "schedule",
    "scheduale": "schedule", "schedualed": "scheduled", "shceduled": "scheduled",
    "availabilty": "availability", "availibility": "availability", "avaliability": "availability",
    "notise": "notice", "salery": "salary", "compnay": "company", "comapny": "company", "compay": "company",
    "rapor": "rapport", "raport": "rapport", "rappport": "rapport", "hurryed": "hurried", "rushd": "rushed",
    "thankyou": "thank-you", "thanks-you": "thank-you", "handwriten": "handwritten", "hand-written": "handwritten",
    "hand written": "handwritten", "tour'd": "toured", "offce": "office", "ofice": "office",
    "explaned": "explained", "explianed": "explained", "expained": "explained", "descibed": "described",
    "detialed": "detailed", "detaled": "detailed", "detailled": "detailed", "deatiled": "detailed",
    "opportunites": "opportunities", "oportunities": "opportunities", "promtion": "promotion",
    "carrer": "career", "carreer": "career", "creer": "career", "experiance": "experience",
    "expirience": "experience", "experince": "experience", "proccess": "process", "procces": "process",
    "seperate": "separate", "tommorow": "tomorrow", "tomorow": "tomorrow", "wensday": "wednesday",
    "wednesay": "wednesday", "thursay": "thursday", "firday": "friday", "begining": "beginning",
    "untill": "until", "wich": "which", "becuase": "because", "beacuse": "because", "alot": "a lot",
    "realy": "really", "reallly": "really", "verry": "very", "smilling": "smiling", "smileing": "smiling",
    "noded": "nodded", "noding": "nodding", "lookd": "looked", "teh": "the", "hte": "the", "dind't": "didn't",
    "didnt": "didn't", "dint": "didn't", "doesnt": "doesn't", "dont": "don't", "wasnt": "wasn't",
    "werent": "weren't", "wouldnt": "wouldn't", "couldnt": "couldn't", "havent": "haven't", "hasnt": "hasn't",
    "isnt": "isn't", "arent": "aren't", "wont": "won't", "cant": "can't", "im": "i'm", "ive": "i've",
    "theyd": "they'd", "theyll": "they'll", 
    "u": "you", "ur": "your", "abt": "about", "bc": "because", "b/c": "because", "w/": "with", "w": "with",
    "w/o": "without", "convo": "conversation", "mgr": "manager", "ppl": "people",
    "tbh": "to be honest", "imo": "in my opinion", 
    "wfh": "work from home", "asap": "as soon as possible",
}

_ISATION = re.compile(r"(?<=\w\w)isation(?=s?\b|'s\b)")
_SPELL_RE = re.compile(r"(?<![\w'])(" + "|".join(sorted(map(re.escape, SPELLING), key=len, reverse=True)) + r")(?![\w'])")

# Number words, for lengths and counts.
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
         "eighty": 80, "ninety": 90}
NUMBER_WORD = (
    r"(?:(?:twenty|thirty|fou?rty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?"
    r"|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
    r"|seventeen|eighteen|nineteen|a hundred|one hundred|a|an)"
)
NUMBER = rf"(?:\d+(?:\.\d+)?|{NUMBER_WORD})"


def number(text: str) -> float | None:
    """The value of a number written in digits or words (``45``, ``1.5``, ``forty-five``, ``an``)."""
    text = text.strip().lower()
    try:
        return float(text)
    except ValueError:
        pass
    if text in ("a hundred", "one hundred"):
        return 100.0
    parts = re.split(r"[- ]", text)
    total = 0
    for p in parts:
        if p in _TENS:
            total += _TENS[p]
        elif p in _UNITS:
            total += _UNITS[p]
        else:
            return None
    return float(total)


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                         "\u2014": " - ", "\u2026": "...", "\u00a0": " ", "`": "'", "\u00b4": "'"})


def normalise(text: str) -> str:
    """Lower-case, one kind of quote and dash, one spelling, single spaces."""
    text = text.translate(_QUOTES).lower()
    text = _SPELL_RE.sub(lambda m: SPELLING[m.group(1)], text)
    text = _ISATION.sub("ization", text)
    return re.sub(r"[ \t]+", " ", text).strip()


# Sentence ends: . ! ? (not inside numbers such as 1.5 or 10.40), line breaks, bullets, semicolons.
_SENTENCE_END = re.compile(
    r"(?<!\d)[.!?]+['\"\u2019\u201d]?(?=\s|$|[\"')])|(?<=\d)[.!?]+(?=\s+[A-Za-z\"'(]|$)|\n+|;|\s[\u2022\u25cf*]\s|^\s*[-\u2022*]\s|\s+-\s+(?=[A-Z])|\s*\|\s*"
)
# Clause starts inside a sentence: a contrast ends the scope of a negation or a doubt.
_CLAUSE_CUT = re.compile(
    r",\s*yet\s+|,?\s+\b(?:but|however|though|although|whereas|except that|apart from that|on the other hand|while the other|"
    r"then again|and then|even so|still,)\b\s*|\s+-\s+|:\s+"
)


class Clause:
    """One clause of a note: its original words (for evidence), its normalised text, and the
    question or exclamation mark its sentence ended with."""

    __slots__ = ("original", "text", "sentence", "question", "index", "sentence_text")

    def __init__(self, original: str, text: str, sentence: str, question: bool, index: int, sentence_text: str):
        self.original = original
        self.text = text
        self.sentence = sentence
        self.question = question
        self.index = index
        self.sentence_text = sentence_text

    def __repr__(self) -> str:
        return f"Clause({self.text!r})"


def _split_keep(text: str, pattern: re.Pattern) -> list[tuple[str, str]]:
    """Pieces of ``text`` between matches of ``pattern``, each with the separator that ended it."""
    out, start = [], 0
    for m in pattern.finditer(text):
        out.append((text[start:m.start()], m.group(0)))
        start = m.end()
    out.append((text[start:], ""))
    return out


def clauses(note: str) -> list[Clause]:
    """The note cut into clauses, in order; each knows its sentence."""
    result: list[Clause] = []
    for index, (sentence, end) in enumerate(_split_keep(note, _SENTENCE_END)):
        sentence = sentence.strip(" \t-*\u2022>")
        if not sentence:
            continue
        # "?" closing a quotation ("kept asking 'what if...?'") does not make the note ask
        question = "?" in end and not re.search(r"\?['\"\u2019\u201d]", end) and not re.search(
            r"(?:^|\s)['\"\u2018\u201c][^'\"\u2019\u201d]*$", sentence)
        norm_sentence = normalise(sentence)
        for piece, _ in _split_keep(sentence, _CLAUSE_CUT):
            piece = piece.strip(" ,")
            if piece:
                result.append(Clause(piece, normalise(piece), sentence, question, index, norm_sentence))
    return result
