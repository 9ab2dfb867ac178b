"""The words of explanations: what was recorded, whether it counted for or against this
interview, and by how much, the way people read it.

Every phrase comes from the catalogue (``resources/signals.toml``, ``states``), keyed by signal
and recorded state, never by the sign of a contribution; the sign only says which side the
state counted on. Where it counted on the side the article does not read it on (a learned
model weighing "no handwritten note" as a plus), the words say so.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from offerodds.signals.catalogue import SCALE_MAX, by_name, catalogue

__all__ = [
    "DISAGREES",
    "WEAK",
    "counted",
    "disagrees",
    "label",
    "meaning",
    "odds_text",
    "points",
    "points_text",
    "reason_phrase",
    "says",
    "state_effects",
]

DISAGREES = "your outcomes disagree with the article here"
#: Added where the outcomes are less than ``scoring.agreement.SURE`` sure of the state's sign.
WEAK = "on weak evidence, it may be noise"
_COUNTED = {1: "counted for you", -1: "counted against you", 0: "counted neither way"}


def _sign(contribution: float) -> int:
    return int(contribution > 0) - int(contribution < 0)


def says(signal: str, state: str) -> str:
    """The sentence naming a recorded state ("you sent no handwritten note")."""
    return by_name()[signal].states[state].says


def label(signal: str, state: str, value: float | None = None) -> str:
    """A few words naming a recorded state, with its value when given: a rating for a scale
    ("good eye contact (5/5)"), actual over scheduled minutes for the length ("interview ran
    30 % short")."""
    s = by_name()[signal]
    text = s.states[state].label
    if s.kind == "minutes":
        share = abs(value - 1.0) * 100 if value is not None and np.isfinite(value) else float("nan")
        percent = "?" if math.isnan(share) else "<1" if 0 < share < 0.5 else f"{share:.0f}"
        return text.format(percent=percent)
    if s.kind == "scale" and value is not None and np.isfinite(value):
        return f"{text} ({value:g}/{SCALE_MAX:g})"
    return text


def disagrees(signal: str, state: str, contribution: float) -> bool:
    """Whether the state counted on the side the article does not read it on."""
    return by_name()[signal].reading(state) * _sign(contribution) < 0


def counted(contribution: float) -> str:
    """``counted for you``, ``counted against you`` or ``counted neither way``."""
    return _COUNTED[_sign(contribution)]


def meaning(signal: str, state: str, contribution: float, weak: bool = False) -> str:
    """What was recorded and how it counted, in one sentence ("you sent no handwritten note:
    counted for you; your outcomes disagree with the article here"); ``weak``: the outcomes
    are not sure of the disagreement, and the sentence says so."""
    text = f"{says(signal, state)}: {counted(contribution)}"
    if not disagrees(signal, state, contribution):
        return text
    return f"{text}; {DISAGREES}" + (f" ({WEAK})" if weak else "")


def reason_phrase(signal: str, state: str, side: int, weak: bool = False) -> str:
    """A phrase of the ``reasons`` column, listed under "for" (``side`` 1) or "against" (-1)."""
    text = says(signal, state)
    if by_name()[signal].reading(state) * side >= 0:
        return text
    return f"{text} ({DISAGREES}" + (f", {WEAK})" if weak else ")")


def odds_text(contribution: float) -> str:
    """The effect on the odds of an offer: ``odds x1.35`` (x1.00 is no effect)."""
    return f"odds x{math.exp(contribution):.2f}"


def points(log_odds: float, contribution: float) -> float:
    """Percentage points the probability would lose without this contribution (negative:
    would gain)."""
    return 100.0 * (_expit(log_odds) - _expit(log_odds - contribution))


def points_text(value: float) -> str:
    """``+3.6 pts``; ``0 pts`` for less than 0.05."""
    return "0 pts" if abs(value) < 0.05 else f"{value:+.1f} pts"


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


# The recorded values that stand for each state in :func:`state_effects`: the far end of a
# scale, and a length cut to half its time or run over by half.
_TYPICAL = {"high": 5.0, "short": 0.5, "full": 1.0, "over": 1.5}


def state_effects(scorer, *, context: bool = False) -> pd.DataFrame:
    """What each recorded state does to the log-odds of an offer, in plain words.

    One row per state that can move the odds, without any context answer: a 5 on a scale
    ("engaged, attentive interviewer (5/5)"; a 1 counts the same the other way), each yes/no
    answer, and a length that ran its full time, half its time ("interview ran 50 % short")
    or half as long again. For a weights chart of a scorer beside the rule card.

    Parameters
    ----------
    scorer : LinearScorer
    context : bool, default False
        Also list the context signals' own answers (a structured format, an inexperienced
        interviewer), which the rule card gives no points.

    Returns
    -------
    pandas.DataFrame
        Columns ``signal``, ``state``, ``label``, ``effect`` (log-odds) and ``disagrees``
        (the effect runs against the article's reading of the state).
    """
    w = scorer.feature_weights()
    rows = []

    def add(signal, state, value, effect):
        effect = float(effect)
        rows.append((signal, state, label(signal, state, value), effect, disagrees(signal, state, effect)))

    for s in catalogue():
        if s.kind == "stage" or (s.direction == "context" and not context):
            continue
        if s.kind == "scale":
            add(s.name, "high", _TYPICAL["high"], w[s.name])
        elif s.kind == "yesno":
            for state in ("yes", "no"):
                add(s.name, state, None, w[f"{s.name}={state}"])
        else:
            base, short, over = (float(w[f"{s.name}:{p}"]) for p in ("recorded", "short", "over"))
            add(s.name, "full", 1.0, base)
            add(s.name, "short", _TYPICAL["short"], base + (_TYPICAL["short"] - 1.0) * short)
            add(s.name, "over", _TYPICAL["over"], base + (_TYPICAL["over"] - 1.0) * over)
    return pd.DataFrame(rows, columns=["signal", "state", "label", "effect", "disagrees"])
