"""Where a learned scorer reads a signal the other way round from the article (the rule card).

Each signal's reading is one contrast of its features, with no context: a scale's weight per
step, a yes/no signal's "yes" against its "no", an interview cut short or run over. The rule
card gives each reading a direction; a learned scorer's posterior gives its estimate and how
sure it is, so the retrain report and the explanations can say where the outcomes disagree with
the article, and with what evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.catalogue import by_name, catalogue
from offerodds.signals.encoding import feature_layout

__all__ = ["SURE", "Reading", "describe", "disagreements", "readings", "weak_states"]


@dataclass(frozen=True)
class Reading:
    """One reading of a signal: the card's effect, the learned one and the evidence for it."""

    signal: str
    reading: str  # what the contrast compares, in words
    card_effect: float  # log-odds, per the contrast
    learned_effect: float
    sd: float  # posterior standard deviation of the learned effect (nan without a posterior)

    @property
    def against_the_article(self) -> bool:
        return self.card_effect != 0 and np.sign(self.learned_effect) == -np.sign(self.card_effect)

    @property
    def probability_reversed(self) -> float:
        """The posterior probability that the effect runs against the article's direction."""
        if not np.isfinite(self.sd) or self.sd <= 0 or self.card_effect == 0:
            return float("nan")
        z = self.learned_effect / self.sd
        return _normal_cdf(-z if self.card_effect > 0 else z)


def _normal_cdf(x: float) -> float:
    """The standard normal CDF, from ``math.erfc`` (accurate in both tails): scoring loads
    no SciPy."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _contrasts() -> list[tuple[str, str, dict[str, float]]]:
    """(signal, reading in words, {feature: coefficient}) for every signal but stage."""
    out = []
    for signal in catalogue():
        if signal.kind == "scale":
            out.append((signal.name, "one step up the 1-5 scale", {signal.name: 0.5}))
        elif signal.kind == "yesno":
            out.append((signal.name, "yes rather than no", {f"{signal.name}=yes": 1.0, f"{signal.name}=no": -1.0}))
        elif signal.kind == "minutes":
            out.append((signal.name, "the full time rather than cut by half", {f"{signal.name}:short": 0.5}))
            out.append((signal.name, "running half as long again", {f"{signal.name}:over": 0.5}))
    return out


def readings(scorer: LinearScorer, card: LinearScorer) -> list[Reading]:
    """Every signal's readings under ``card`` and ``scorer`` (the latter with its evidence)."""
    found = []
    for signal, words, contrast in _contrasts():
        a = _vector(contrast)
        found.append(Reading(signal, words, float(a @ card.coef), float(a @ scorer.coef), _sd(scorer, a)))
    return found


def _vector(contrast: dict[str, float]) -> np.ndarray:
    """A contrast's coefficients laid out over the scorer's features."""
    names, _ = feature_layout()
    a = np.zeros(len(names))
    for feature, c in contrast.items():
        a[names.index(feature)] = c
    return a


def _sd(scorer: LinearScorer, a: np.ndarray) -> float:
    """The posterior standard deviation of ``a @ coef`` (NaN without a posterior)."""
    if scorer.covariance is None:
        return float("nan")
    block = scorer.covariance[: len(a), : len(a)]  # the card's features come first
    return math.sqrt(max(float(a @ block @ a), 0.0))


def disagreements(scorer: LinearScorer, card: LinearScorer) -> list[Reading]:
    """The readings where ``scorer`` runs against the card, most certain first."""
    against = [r for r in readings(scorer, card) if r.against_the_article]
    return sorted(against, key=lambda r: -np.nan_to_num(r.probability_reversed, nan=0.0))


#: Below this posterior probability a reversal is said to be weak evidence, possibly noise.
SURE = 0.9


#: The length ratio a length state is read at: its typical cut or overrun.
_LENGTH_AT = {"short": 0.5, "nearly": 0.9, "full": 1.0, "over": 1.5}


def _state_contrasts() -> list[tuple[str, str, dict[str, float]]]:
    """(signal, state, {feature: coefficient}): what a state adds to the log-odds, up to its
    sign (a low rating adds minus what a high one adds)."""
    out = []
    for signal in catalogue():
        if signal.kind == "scale":
            out += [(signal.name, state, {signal.name: 1.0}) for state in ("high", "low")]
        elif signal.kind == "yesno":
            out += [(signal.name, state, {f"{signal.name}={state}": 1.0}) for state in ("yes", "no")]
        elif signal.kind == "minutes":
            for state, ratio in _LENGTH_AT.items():
                part = "short" if ratio < 1.0 else "over"
                out.append((signal.name, state, {f"{signal.name}:recorded": 1.0, f"{signal.name}:{part}": ratio - 1.0}))
    return out


def weak_states(scorer: LinearScorer) -> frozenset[tuple[str, str]]:
    """The (signal, state) pairs whose effect on this interview's odds the scorer is less than
    ``SURE`` sure of the sign of: where such a state counts against the article's reading, the
    words say the evidence is weak. Empty without a posterior (the rule card)."""
    if scorer.covariance is None:
        return frozenset()
    weak = set()
    for signal, state, contrast in _state_contrasts():
        a = _vector(contrast)
        effect, sd = float(a @ scorer.coef), _sd(scorer, a)
        if sd > 0 and _normal_cdf(abs(effect) / sd) < SURE:
            weak.add((signal, state))
    return frozenset(weak)


def describe(reading: Reading) -> str:
    """One line for a person: the signal, what the article says and what the outcomes say, with
    how sure the outcomes are (below ``SURE``, said to be weak evidence)."""
    question = by_name()[reading.signal].claim
    sure = reading.probability_reversed
    if not np.isfinite(sure):
        outcomes, evidence = "the other way", "no posterior to judge by"
    elif sure >= SURE:
        outcomes, evidence = "the other way", f"{sure:.0%} sure from the outcomes"
    else:
        outcomes, evidence = "lean the other way", f"only {sure:.0%} sure: weak evidence, it may be noise"
    return (
        f"{reading.signal} ({reading.reading}): the article reads it "
        f"{'for' if reading.card_effect > 0 else 'against'} an offer ({reading.card_effect:+.2f} log-odds), "
        f"your outcomes {outcomes} ({reading.learned_effect:+.2f}; {evidence}). The article: {question}"
    )
