"""The words of the next step: a rule's text with the weakest signals of the row said as
circumstance (what the interviewer did) and what the candidate can do about them in writing,
composed once per distinct key (see :func:`offerodds.advice.decide.advise`)."""

from __future__ import annotations

import numpy as np

from offerodds.advice.playbook import Playbook
from offerodds.scoring.phrases import says
from offerodds.signals.catalogue import STATES, by_name

__all__ = ["S", "text_of_key"]

S = max(len(s) for s in STATES.values())  # states per signal in a key's digit


def _named(rules: Playbook, gaps: np.ndarray, states: np.ndarray) -> list[str]:
    """Each recorded gap said as what was recorded ("you sent no handwritten note")."""
    names = []
    for j, code in zip(gaps, states):
        if j >= 0 and code >= 0:
            signal = rules.interview_signals[j]
            names.append(says(signal, STATES[by_name()[signal].kind][code]))
    return names


def _gap_text(rules: Playbook, gaps: np.ndarray, states: np.ndarray) -> str:
    """The gaps named by what was recorded ("you sent no handwritten note")."""
    names = _named(rules, gaps, states)
    if not names:
        return rules.gaps_unnamed_text
    return rules.gaps_named_text.format(names="; ".join(names))


def _circumstances(rules: Playbook, gaps: np.ndarray, states: np.ndarray) -> str:
    """The weakest signals said as what the interviewer did ("the interview was cut well
    short and ..."), framed by ``circumstances_named_text``; empty when none is named."""
    names = _named(rules, gaps, states)
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return rules.circumstances_named_text.format(names=joined)


def _actions(rules: Playbook, gaps: np.ndarray, states: np.ndarray) -> str:
    """What the candidate can do about the weakest signals in writing (``[act]``), each once."""
    acts = [
        rules.act[rules.interview_signals[j]]
        for j, code in zip(gaps, states)
        if j >= 0 and code >= 0 and rules.interview_signals[j] in rules.act
    ]
    acts = list(dict.fromkeys(acts))
    if not acts:
        return rules.actions_unnamed_text
    return acts[0] if len(acts) == 1 else ", ".join(acts[:-1]) + " and " + acts[-1]


def _compose(rules: Playbook, rule: int, added: tuple[bool, ...], gaps: np.ndarray, states: np.ndarray) -> str:
    fields = {
        "gaps": _gap_text(rules, gaps, states),
        "circumstances": _circumstances(rules, gaps, states),
        "actions": _actions(rules, gaps, states),
    }
    text = rules.rules[rule].step.format(**fields)
    extra = [a.text.format(**fields) for a, on in zip(rules.additions, added) if on]
    if extra:
        text = text.rstrip(".") + "; " + "; ".join(extra) + "."
    return text


def text_of_key(rules: Playbook, key: int, width: int) -> str:
    """The ``next_step`` text of a key built in :func:`advise` (its digits, read back)."""
    gaps, states = [], []
    for _ in range(rules.gaps_named):
        key, digit = divmod(key, width)
        position, state = divmod(digit - 1, S) if digit else (-1, -1)
        gaps.append(position)
        states.append(state)
    added = []
    for _ in rules.additions:
        key, bit = divmod(key, 2)
        added.append(bool(bit))
    rule = key - 1
    if rule < 0:
        return ""
    return _compose(rules, rule, tuple(reversed(added)), np.array(gaps[::-1]), np.array(states[::-1]))


