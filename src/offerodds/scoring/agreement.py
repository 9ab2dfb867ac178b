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

__all__ = ["SURE", "Reading", "describe", "disagreements", "readings", "weakly_reversed"]


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
    names, _ = feature_layout()
    position = {name: i for i, name in enumerate(names)}
    found = []
    for signal, words, contrast in _contrasts():
        a = np.zeros(len(names))
        for feature, c in contrast.items():
            a[position[feature]] = c
        sd = float("nan")
        if scorer.covariance is not None:
            sd = float(np.sqrt(max(a @ scorer.covariance[:-1, :-1] @ a, 0.0)))
        found.append(Reading(signal, words, float(a @ card.coef), float(a @ scorer.coef), sd))
    return found


def disagreements(scorer: LinearScorer, card: LinearScorer) -> list[Reading]:
    """The readings where ``scorer`` runs against the card, most certain first."""
    against = [r for r in readings(scorer, card) if r.against_the_article]
    return sorted(against, key=lambda r: -np.nan_to_num(r.probability_reversed, nan=0.0))


#: Below this posterior probability a reversal is said to be weak evidence, possibly noise.
SURE = 0.9


def weakly_reversed(scorer: LinearScorer, card: LinearScorer) -> frozenset[str]:
    """The signals ``scorer`` reads against the article on weak evidence: each of their
    readings that runs against the card is less than ``SURE`` to really run that way."""
    weak, strong = set(), set()
    for r in readings(scorer, card):
        if r.against_the_article and np.isfinite(r.probability_reversed):
            (strong if r.probability_reversed >= SURE else weak).add(r.signal)
    return frozenset(weak - strong)


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
