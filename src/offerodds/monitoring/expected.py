"""The offer rate a scorer expects for a batch, before any outcome is known, with its
uncertainty.

If each probability ``p_i`` is right, the number of offers among the batch's interviews has
mean ``sum p_i`` and variance ``sum p_i (1 - p_i)`` (a Poisson-binomial count: chance alone).
A learned model's probabilities are themselves uncertain: the delta method over its posterior
covariance gives the variance of ``sum p_i`` (the model's own uncertainty), widened as its 90 %
interval is. The two add up; the range is the normal approximation at the same 90 % level as
the scorer's intervals. The rule card has no posterior: its range is chance alone, and its
probabilities were never calibrated on the user's outcomes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy.special import ndtri

from offerodds.monitoring.profile import Profile, model_variance
from offerodds.scoring.scorer import INTERVAL_LEVEL, LinearScorer

__all__ = ["ExpectedRate", "expected_rate", "percent", "scorer_name"]


def percent(share: float) -> str:
    """A share as people write it here: ``0.324`` -> ``32.4 %``."""
    return f"{100 * share:.1f} %"


def scorer_name(kind: str, version: str) -> str:
    """How a person calls a scorer: ``the rule card``, ``model v3``."""
    return "the rule card" if kind == "rules" else f"model {version}"


@dataclass(frozen=True)
class ExpectedRate:
    """The expected offer rate of a batch and its 90 % range.

    Attributes
    ----------
    n : int
        Interviews in the batch.
    offers : float
        Expected number of offers (sum of the probabilities).
    chance_variance : float
        Variance of the number of offers if every probability is right.
    model_variance : float or None
        Variance of the expected number from the model's own uncertainty (None: the rule card).
    scorer : str
        Which scorer expects it (``model v3``, ``the rule card``).
    """

    n: int
    offers: float
    chance_variance: float
    model_variance: float | None
    scorer: str

    @property
    def rate(self) -> float:
        return self.offers / self.n if self.n else float("nan")

    def _half_width(self, variance: float) -> float:
        z = float(ndtri(0.5 + INTERVAL_LEVEL / 2))
        return z * math.sqrt(max(variance, 0.0)) / self.n if self.n else float("nan")

    @property
    def low(self) -> float:
        """Lower end of the 90 % range of the batch's offer rate (chance and model)."""
        return max(0.0, self.rate - self._half_width(self.chance_variance + (self.model_variance or 0.0)))

    @property
    def high(self) -> float:
        return min(1.0, self.rate + self._half_width(self.chance_variance + (self.model_variance or 0.0)))

    @property
    def model_half_width(self) -> float | None:
        """Half the 90 % range of the expected rate from the model's uncertainty alone."""
        return None if self.model_variance is None else self._half_width(self.model_variance)

    def words(self) -> str:
        """One sentence for a person."""
        if not self.n:
            return "no interview to expect anything of"
        text = (
            f"{percent(self.rate)} (90 % range {percent(self.low)} to {percent(self.high)}), "
            f"about {self.offers:,.0f} offers from {self.n:,} interview{'s' if self.n != 1 else ''}, by {self.scorer}"
        )
        chance = self._half_width(self.chance_variance)
        if self.model_variance is None:
            return text + "; the range is chance alone, and the rule card is not calibrated on your outcomes"
        return text + (
            f"; chance alone would give +/- {100 * chance:.1f} points, the model's own uncertainty "
            f"+/- {100 * self.model_half_width:.1f}"
        )

    def as_dict(self) -> dict:
        return {
            "n": self.n, "offers": self.offers, "rate": self.rate, "low": self.low, "high": self.high,
            "chance_variance": self.chance_variance, "model_variance": self.model_variance,
        }


def expected_rate(profile: Profile, scorer: LinearScorer) -> ExpectedRate:
    """What ``scorer`` expects of the interviews ``profile`` describes."""
    return ExpectedRate(
        n=profile.rows,
        offers=profile.expected_offers,
        chance_variance=profile.variance,
        model_variance=model_variance(profile, scorer),
        scorer=scorer_name(scorer.kind, scorer.version),
    )
