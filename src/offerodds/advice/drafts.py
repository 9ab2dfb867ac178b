"""The email a next step calls for (the thank-you, or the status follow-up), drafted in the
article's structure from one scored interview; offerodds never sends it.

The structure (Job Interview Follow Up / Sending a follow-up email): the person's name, thanks
for the interview, specific details from it (its strongest recorded signals, in plain words),
the interest restated, what to add (after a weak interview: the gaps, one sentence each),
thanks again, contact details and a professional sign-off. Every field that was not recorded
is a ``[placeholder]`` to fill in; the texts are in ``resources/advice.toml``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy

import numpy as np
import pandas as pd

from offerodds.advice.decide import Advice
from offerodds.advice.playbook import Playbook
from offerodds.errors import InputError
from offerodds.signals.catalogue import by_name

__all__ = ["Draft", "PLACEHOLDERS", "compose"]

#: What a draft writes where a field was not recorded.
PLACEHOLDERS = {
    "interviewer": "[interviewer's name]",
    "company": "[company]",
    "role": "[role]",
    "candidate": "[your full name]",
    "date": "[date of the interview]",
    "promised": "[the date they gave]",
}
_FIELDS = {
    "interviewer": "interviewer_name",
    "company": "company",
    "role": "role",
    "candidate": "candidate_name",
}


@dataclass
class Draft:
    """A follow-up email to review and send yourself, or the reason none is called for.

    Attributes
    ----------
    kind : str
        ``"thank_you"``, ``"status"``, or ``""`` when the next step calls for no email.
    subject, body : str
        The email (empty when ``kind`` is ``""``).
    next_step, next_step_due : str
        The interview's advice (as in the scored output).
    interview_id : str
    """

    kind: str
    subject: str
    body: str
    next_step: str
    next_step_due: str
    interview_id: str = ""

    def __str__(self) -> str:
        due = f" (due {self.next_step_due})" if self.next_step_due else ""
        if not self.kind:
            return f"No email is called for now. Next step{due}: {self.next_step}"
        return f"Subject: {self.subject}\n\n{self.body}"

    def _repr_html_(self) -> str:
        return f"<pre style='white-space: pre-wrap'>{html.escape(str(self))}</pre>"

    def email(self) -> EmailMessage:
        """The draft as an email message (a Subject and a plain-text body; no recipient address,
        which offerodds does not know). ``bytes(draft.email())`` is an ``.eml`` file."""
        if not self.kind:
            raise InputError(f"no email is called for now: {self.next_step}")
        message = EmailMessage(policy=default_policy)
        # a line break or other control character from a cell (a company written over two
        # lines) cannot stand in a header: each run of them reads as one space
        message["Subject"] = re.sub(r"[\x00-\x1f\x7f]+", " ", self.subject).strip()
        message["X-Unsent"] = "1"  # mail clients open it as a draft to edit and send
        message.set_content(self.body, cte="8bit")  # readable as text in any editor
        return message


def _say_date(day) -> str:
    """``Monday 2 March`` (the year goes without saying in a follow-up)."""
    if day is None or np.isnat(day):
        return ""
    d = pd.Timestamp(day).date()
    return f"{d:%A} {d.day} {d:%B}"


def _cell(row: pd.Series, header: str | None) -> str:
    if header is None or header not in row.index:
        return ""
    value = row[header]
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value).strip()


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _reads(advice: Advice, i: int, signal: str) -> int:
    """The article's reading of the state row ``i`` recorded for ``signal`` (+1 a good sign)."""
    state = advice.state_of(i, signal)
    return 0 if state is None else by_name()[signal].reading(state)


def _strengths(row: pd.Series, rules: Playbook, advice: Advice, i: int) -> list[str]:
    """The signals that counted most for this interview (largest first), at most two; only a
    state the article reads as a good sign, the one a draft's sentence recalls ("the tour of
    the workspace" needs a tour)."""
    effects = {
        s: float(row[f"contrib_{s}"])
        for s in rules.interview_signals
        if f"contrib_{s}" in row.index and s in rules.mention and pd.notna(row[f"contrib_{s}"])
        and _reads(advice, i, s) > 0
    }
    strong = [s for s, v in sorted(effects.items(), key=lambda kv: -kv[1]) if v >= rules.mention_min_effect]
    return strong[:2]


def compose(row: pd.Series, colmap: dict[str, str], advice: Advice, i: int, rules: Playbook) -> Draft:
    """The draft for row ``i`` of a scored chunk.

    Parameters
    ----------
    row : pandas.Series
        The scored row (input columns under their own headers, result columns).
    colmap : dict
        Canonical column name -> header.
    advice : Advice
        The chunk's advice; row ``i`` is ``row``.
    rules : Playbook
    """
    rule = advice.rule_of(i)
    interview_id = _cell(row, colmap.get("interview_id"))
    due = "" if np.isnat(advice.due[i]) else str(advice.due[i])
    step = advice.step(i)
    if rule is None or not rule.draft:
        return Draft("", "", "", step, due, interview_id)
    fields = {key: _cell(row, colmap.get(column)) or PLACEHOLDERS[key] for key, column in _FIELDS.items()}
    fields["date"] = _say_date(advice.interview_day[i]) or PLACEHOLDERS["date"]
    fields["promised"] = _say_date(advice.promised_day[i]) or PLACEHOLDERS["promised"]
    common, texts = rules.draft, rules.draft[rule.draft]

    def fill(template: str) -> str:
        return template.format(**fields)

    if rule.draft == "status":
        known = not np.isnat(advice.promised_day[i])
        fields["promised_sentence"] = fill(texts["promised_sentence"] if known else texts["no_promise_sentence"])
    strengths = _strengths(row, rules, advice, i)
    if strengths:  # the fields go in once: a name with braces in it stays as written
        details = common["details"].format(mentions=_and([fill(rules.mention[s]) for s in strengths]))
    else:
        details = common["details_placeholder"]
    # only a gap whose state the article reads as a bad sign: the one its sentence addresses
    gaps = [s for s in advice.gap_signals(i) if s in rules.gap and _reads(advice, i, s) < 0] if advice.weak[i] else []
    if gaps:
        add = " ".join(dict.fromkeys(fill(rules.gap[s]) for s in gaps))
    else:
        add = common["add_placeholder"]
    paragraphs = [
        fill(common["greeting"]),
        fill(texts["thanks"]),
        details,
        fill(texts["interest"]),
        add,
        fill(texts["closing"]),
        fill(common["contact"]),
        fill(common["sign_off"]) + "\n" + fill(common["candidate"]),
    ]
    return Draft(rule.draft, fill(texts["subject"]), "\n\n".join(paragraphs) + "\n", step, due, interview_id)

