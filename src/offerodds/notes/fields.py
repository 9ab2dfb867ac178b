"""Notes written as a form: ``Eye contact: good``, ``Timeline - none given``, ``Tour: yes``,
``Engagement: 4/5``. A line that names a signal and gives it a plain value proposes it.
"""

from __future__ import annotations

import re

__all__ = ["field_value"]

# The label a person writes -> the column (whole label only).
_LABELS = [
    (r"eye[- ]?contact", "eye_contact"),
    (r"(?:interviewer(?:'s)? )?engagement|(?:were they |was (?:he|she) )?engaged\??", "engagement"),
    (r"(?:interviewer(?:'s)? )?enthusiasm", "enthusiasm"),
    (r"rapport|chemistry", "rapport"),
    (r"timeline|timeframe|time frame|decision date|(?:when i'?ll )?hear back(?: by)?", "timeline_given"),
    (r"next steps?(?: explained)?", "next_steps_explained"),
    (r"(?:office |workspace |site )?tour", "workspace_tour"),
    (r"(?:met (?:the )?)?team|team intro(?:duction)?s?|met the team", "introduced_to_team"),
    (r"follow-?ups?(?: questions)?", "follow_up_questions"),
    (r"notice(?: period)?(?: discussed| asked)?|start date|availability", "availability_discussed"),
    (r"(?:career )?goals(?: asked)?|(?:five|5)-year plan", "career_goals_asked"),
    (r"growth|progression|career path|promotion path", "growth_discussed"),
    (r"(?:time for )?my questions|q&a|questions invited", "questions_invited"),
    (r"company info(?:rmation)?|info on the company|about the company", "company_info"),
    (r"role info(?:rmation)?|info on the role|role clarity|about the role", "role_info"),
    (r"selling|sales pitch|pitch", "selling"),
    (r"(?:technical |skills? |question )?depth|depth of (?:the )?questions", "skills_depth"),
    (r"(?:their )?answers(?: to my questions)?", "answer_quality"),
    (r"structured(?: format)?|script(?:ed)?", "structured_format"),
    (r"distracted", "distracted"),
    (r"interrupt(?:ed|ions|ed me)?", "interrupted_often"),
    (r"rushed|hurried", "hurried"),
    (r"handwritten (?:note|card)", "handwritten_note"),
]
_LINE = re.compile(
    r"^\W*(?P<label>" + "|".join(f"(?:{label})" for label, _ in _LABELS) + r")\s*(?::|=|-|–)\s*(?P<value>[^.;:]+?)\W*$"
)
_YES = re.compile(r"^(?:yes|y|yep|yeah|yup|done|given|explained|asked|discussed|clear|definitely|✓|✔)(?:,? (?:clearly|definitely|in detail|for sure))?$")
_NO = re.compile(r"^(?:no|n|nope|none|nothing|not given|none given|not explained|not asked|not discussed|zero|never|✗|✘)$")
_HIGH = re.compile(r"^(?:good|great|excellent|strong|high|lots|loads|plenty|very good|really good|solid|amazing|fantastic|brilliant|detailed|in-depth|deep)$")
_MIDDLE = re.compile(r"^(?:ok|okay|fine|average|decent|so-so|meh|mid|medium|moderate|some|mixed|alright|neutral)$")
_LOW = re.compile(r"^(?:poor|bad|low|little|weak|none|zero|terrible|awful|minimal|barely any|lacking|shallow|superficial|vague|generic)$")
_RATING = re.compile(r"^([1-5])\s*(?:/\s*5|out of 5)$")
_STAGES = {"screen": "screen", "screening": "screen", "phone screen": "screen", "first": "first", "1st": "first",
           "first round": "first", "final": "final", "final round": "final", "last": "final"}


def field_value(sentence: str, kinds: dict) -> tuple[str, object] | None:
    """(column, value) when ``sentence`` (normalised) is a form line naming a signal, else None."""
    m = _LINE.match(sentence)
    if m:
        label = m.group("label")
        column = next(c for pattern, c in _LABELS if re.fullmatch(pattern, label))
    else:
        m = re.match(r"^\W*(?:round|stage)\s*(?::|=|-)\s*(?P<value>[\w ]+?)\W*$", sentence)
        if not m:
            return None
        stage = _STAGES.get(m.group("value").strip())
        return ("stage", stage) if stage else None
    value = m.group("value").strip()
    kind = kinds[column]
    if kind == "yesno":
        if _YES.match(value):
            return column, "yes"
        if _NO.match(value):
            return column, "no"
        return None
    rating = _RATING.match(value)
    if rating:
        return column, int(rating.group(1))
    for pattern, level in ((_HIGH, 4), (_MIDDLE, 3), (_LOW, 2)):
        if pattern.match(value):
            return column, level
    if _NO.match(value):
        return column, 2 if column not in ("selling",) else 2
    return None
