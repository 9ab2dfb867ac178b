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
    "PP_LEGEND",
    "UNCERTAIN",
    "changed",
    "context_note",
    "context_weights",
    "signal_words",
    "pp_text",
    "percent_text",
    "round_shares",
    "shares",
    "shown_shares",
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
    are less than 90 % sure of the effect's sign, and the sentence says so (such an effect is
    never among the reasons)."""
    text = f"{says(signal, state)}: {counted(contribution)}"
    if weak and contribution != 0:
        text = f"{text} ({UNCERTAIN})"
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


#: What a percentage point means wherever one is shown (terminal, chart, people view, HTML).
PP_LEGEND = (
    "pp = percentage points: the change from the starting point to this probability, shared "
    "in proportion to how strongly each answer moved the odds, so they add up to the change"
)
#: Decimals of the percentages and percentage points shown with them.
PP_DECIMALS = 1


def shares(baseline_log_odds, contributions) -> np.ndarray:
    """Each signal's share, in percentage points, of the change from the starting probability
    (nothing recorded) to the final one, in proportion to its log-odds contribution.

    ``100 * (expit(baseline + sum(c)) - expit(baseline))`` is split as ``c_j * slope``, where
    ``slope`` is that change divided by ``sum(c)`` (the logistic's mean slope between the two
    log-odds; its slope at the start where the contributions cancel exactly). The shares sum to
    the change in probability (to rounding in the last bits) and each has the sign of its
    contribution.

    Parameters
    ----------
    baseline_log_odds : float or array of shape (n,)
    contributions : array of shape (k,) or (n, k)

    Returns
    -------
    numpy.ndarray of the shape of ``contributions``
    """
    c = np.asarray(contributions, dtype=float)
    flat = c.ndim == 1
    c2 = c[None, :] if flat else c
    b = np.broadcast_to(np.asarray(baseline_log_odds, dtype=float), (len(c2),))
    total = c2.sum(axis=1)
    start = _expit_array(b)
    change = _expit_array(b + total) - start
    tiny = np.abs(total) < 1e-12
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(tiny, start * (1.0 - start), change / np.where(tiny, 1.0, total))
    out = 100.0 * c2 * slope[:, None]
    return out[0] if flat else out


def round_shares(values, target: float, decimals: int = PP_DECIMALS) -> np.ndarray:
    """``values`` rounded to ``decimals`` so that they sum to ``target`` (itself rounded to
    ``decimals``): largest-remainder rounding. Each value moves by less than one unit of the
    last decimal shown, except where ``target`` is further than that from the values' sum."""
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return v.copy()
    scale = 10.0**decimals
    units = v * scale
    floors = np.floor(units)
    want = int(round(float(target) * scale))
    missing = want - int(floors.sum())
    remainder = units - floors
    order = np.argsort(-remainder, kind="stable")  # largest remainders first
    out = floors.copy()
    k = len(v)
    if missing >= 0:
        for i in range(missing):
            out[order[i % k]] += 1
    else:
        for i in range(-missing):
            out[order[::-1][i % k]] -= 1
    return out / scale


def shown_shares(baseline_log_odds: float, contributions) -> tuple[np.ndarray, float, float]:
    """The shares of one interview as shown to a person: (rounded shares, starting
    percentage, final percentage), both percentages rounded to ``PP_DECIMALS``; the shares
    add up to their difference exactly as shown."""
    c = np.asarray(contributions, dtype=float)
    start = round(100.0 * float(_expit_array(np.array([baseline_log_odds]))[0]), PP_DECIMALS)
    final = round(100.0 * float(_expit_array(np.array([baseline_log_odds + c.sum()]))[0]), PP_DECIMALS)
    return round_shares(shares(baseline_log_odds, c), final - start), start, final


def pp_text(value: float, contribution: float | None = None) -> str:
    """``+3.6 pp``; the sign is the contribution's (``-0.0 pp``: less than 0.05 against)."""
    sign = value if contribution is None else contribution
    magnitude = f"{abs(value):.{PP_DECIMALS}f}"
    return f"{'-' if sign < 0 else '+'}{magnitude} pp" if sign != 0 else f"{magnitude} pp"


def percent_text(value: float) -> str:
    """A percentage shown beside percentage points: ``15.4 %``."""
    return f"{value:.{PP_DECIMALS}f} %"


#: How a group of signals is named when an answer changed what they counted.
_GROUP_WORDS = {"body_language": "the interviewer's body language", "rapport": "the rapport between you"}
#: Said beside an effect whose sign the model is less than 90 % sure of (never a reason).
UNCERTAIN = "uncertain: the outcomes are less than 90 % sure which way it counts"


def signal_words(signal: str) -> str:
    """A signal's name in words: ``eye contact``."""
    return signal.replace("_", " ")


def changed(signal: str, state: str, changes, subject: str = "") -> str:
    """What a recorded answer changed in how other signals counted, in words: ``the set list of
    questions made the interviewer's body language count for less (engagement x1.02 instead of
    x1.09)``; empty when it changed nothing.

    Parameters
    ----------
    signal, state : str
        The answer that changed the others (a context answer, a round).
    changes : list of (signal, contribution, contribution without the answer)
        Log-odds, as :func:`offerodds.scoring.explanation.answer_changes` gives them.
    subject : str, optional
        Who made the change, when the answer was named just before ("it"); by default the
        answer's own words.
    """
    changes = [c for c in changes if c[1] != c[2]]
    if not changes:
        return ""
    s = by_name()[signal].states[state]
    subject = subject or s.acts or s.label
    groups = {by_name()[name].group for name, _, _ in changes}
    if len(groups) == 1 and next(iter(groups)) in _GROUP_WORDS:
        what = _GROUP_WORDS[next(iter(groups))]
    elif groups <= set(_GROUP_WORDS):
        what = "the interviewer's body language and the rapport between you"
    else:
        what = _and([signal_words(name) for name, _, _ in changes])
    now = sum(abs(c) for _, c, _ in changes)
    before = sum(abs(b) for _, _, b in changes)
    how = "count for less" if now < before else "count for more" if now > before else "count differently"
    detail = "; ".join(
        f"{signal_words(name)} x{math.exp(c):.2f} instead of x{math.exp(b):.2f}" for name, c, b in changes
    )
    return f"{subject} made {what} {how} ({detail})"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _expit_array(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def context_weights(scorer) -> dict[str, float]:
    """For each context answer (a structured format, an inexperienced interviewer), how much
    the signals it changes count with it, as a multiple of what they count without it (the
    median over those signals' features: x0.60 is 40 % less); NaN where none has a weight."""
    from offerodds.signals.catalogue import CONTEXT_SIGNALS

    w = scorer.feature_weights()
    out = {}
    for context in CONTEXT_SIGNALS:
        ratios = [
            (float(w[name]) + float(w[f"{name}*{context}"])) / float(w[name])
            for name in w.index
            if f"{name}*{context}" in w.index and abs(float(w[name])) > 1e-9
        ]
        out[context] = float(np.median(ratios)) if ratios else float("nan")
    return out


def context_note(learned, card) -> str:
    """One line for a weights chart: what each context answer does to body language and
    rapport, on the card and in the learned model (the chart shows effects without context)."""
    mine, theirs = context_weights(learned), context_weights(card)
    parts = []
    for context, value in mine.items():
        acts = by_name()[context].states["yes"].acts or signal_words(context)
        parts.append(f"{acts} makes body language and rapport count x{theirs[context]:.2f} as much on the "
                     f"rule card, x{value:.2f} in the learned model")
    text = "; ".join(parts) + "."
    return text[:1].upper() + text[1:]


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
