"""What a set of interviews looks like, as counts: per signal, how many left it empty and how
many gave each value; the scorer's predicted probabilities; and the sums behind the offer rate
the scorer expects. Built chunk by chunk, so a file of any size is profiled with flat memory
(the probabilities, 8 bytes a row, are the only per-row figures kept).

Each signal's values fall into a few named categories, in the catalogue's terms: a scale's
ratings 1 to 5 (a rating between two whole numbers counts as the nearer, 2.5 as 3), yes and
no, the stages, and for interview length how the actual length compared with the scheduled one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from offerodds.scoring.scorer import LinearScorer, quadratic_form
from offerodds.signals.catalogue import STAGES, Signal, catalogue
from offerodds.signals.encoding import length_ratio, numeric_column
from offerodds.signals.labels import training_target

__all__ = ["LENGTH_CATEGORIES", "Profile", "ProfileBuilder", "categories", "categorise"]

# Interview length, actual / scheduled minutes: (the ratio's upper bound, not included; words).
LENGTH_CATEGORIES = (
    (0.75, "cut short by more than a quarter"),
    (0.95, "a little short"),
    (1.05, "about as scheduled"),
    (1.25, "ran a little over"),
    (np.inf, "ran over by a quarter or more"),
)


def categories(signal: Signal) -> list[str]:
    """The names of a signal's value categories, in order."""
    if signal.kind == "scale":
        return ["1", "2", "3", "4", "5"]
    if signal.kind == "yesno":
        return ["no", "yes"]
    if signal.kind == "stage":
        return list(STAGES)
    return [words for _, words in LENGTH_CATEGORIES]


def categorise(signal: Signal, typed: pd.DataFrame) -> np.ndarray:
    """Each row's category of ``signal`` (an index into :func:`categories`), -1 where empty."""
    if signal.kind == "stage":
        stage = typed[signal.name].astype("string").str.strip().str.lower()
        codes = np.full(len(typed), -1)
        for i, name in enumerate(STAGES):
            codes[(stage == name).fillna(False).to_numpy(dtype=bool)] = i
        return codes
    if signal.kind == "minutes":
        ratio = length_ratio(typed, signal)
        bounds = np.array([b for b, _ in LENGTH_CATEGORIES[:-1]])
        codes = np.searchsorted(bounds, np.where(np.isfinite(ratio), ratio, 0.0), side="right")
        return np.where(np.isfinite(ratio), codes, -1)
    x = numeric_column(typed, signal.name)
    if signal.kind == "scale":
        codes = np.floor(np.where(np.isfinite(x), x, 1.0) + 0.5).astype(int) - 1
    else:  # yes/no: 1.0 yes, 0.0 no
        codes = np.where(np.isfinite(x), x, 0.0).astype(int)
    return np.where(np.isfinite(x), codes, -1)


@dataclass
class Profile:
    """The counts that describe a set of interviews (see the module docstring).

    Attributes
    ----------
    rows : int
        Interviews profiled (rows without problems).
    left_out : int
        Rows with problems, left out as ``offerodds score`` would reject them.
    counts : dict
        Signal name -> counts, ``[not recorded, category 1, category 2, ...]``.
    probabilities : ndarray
        The scorer's offer probability of each profiled interview.
    variance : float
        Sum of ``p (1 - p)``: the variance of the number of offers among these interviews
        if every ``p`` is right.
    gradient : ndarray or None
        Sum over interviews of ``p (1 - p) (x, 1)``: how the expected number of offers moves
        with the scorer's weights; None for a scorer without a covariance (the rule card).
    labelled, offers : int
        Interviews with an outcome of offer or no-offer, and the offers among them (0 when the
        table has no ``outcome`` column).
    """

    rows: int = 0
    left_out: int = 0
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    probabilities: np.ndarray = field(default_factory=lambda: np.zeros(0))
    variance: float = 0.0
    gradient: np.ndarray | None = None
    labelled: int = 0
    offers: int = 0

    @property
    def expected_offers(self) -> float:
        """The number of offers the scorer expects among these interviews (sum of ``p``)."""
        return float(self.probabilities.sum())


class ProfileBuilder:
    """Adds chunks of validated interviews to a :class:`Profile`.

    Parameters
    ----------
    scorer : LinearScorer
        Gives the predicted probabilities (and their uncertainty when it has a covariance).
    """

    def __init__(self, scorer: LinearScorer):
        self.scorer = scorer
        self.profile = Profile(counts={s.name: np.zeros(len(categories(s)) + 1, dtype=np.int64) for s in catalogue()})
        if scorer.covariance is not None:
            self.profile.gradient = np.zeros(scorer.covariance.shape[0])
        self._probabilities: list[np.ndarray] = []

    def add(self, typed: pd.DataFrame, left_out: int = 0, outcome: pd.Series | None = None) -> None:
        """Add the valid rows of one chunk: ``typed`` (the validated signal frame of those rows
        only), the number of rows left out for problems and, if known, their outcomes (text)."""
        profile = self.profile
        profile.rows += len(typed)
        profile.left_out += int(left_out)
        for signal in catalogue():
            codes = categorise(signal, typed)
            profile.counts[signal.name] += np.bincount(codes + 1, minlength=len(profile.counts[signal.name]))
        if len(typed):
            p = self.scorer.decompose(typed).probability
            self._probabilities.append(p)
            weight = p * (1.0 - p)
            profile.variance += float(weight.sum())
            if profile.gradient is not None:
                profile.gradient += weight @ self.scorer.design(typed)
        if outcome is not None:
            y = training_target(outcome)
            profile.labelled += int(np.isfinite(y).sum())
            profile.offers += int(np.nansum(y))

    def finish(self) -> Profile:
        """The profile of every chunk added."""
        self.profile.probabilities = np.concatenate(self._probabilities) if self._probabilities else np.zeros(0)
        self._probabilities = [self.profile.probabilities]
        return self.profile


def model_variance(profile: Profile, scorer: LinearScorer) -> float | None:
    """Variance of the expected number of offers from the scorer's own uncertainty (the delta
    method over its posterior covariance, widened as its interval is); None without one."""
    if profile.gradient is None or scorer.covariance is None:
        return None
    g = profile.gradient[None, :]
    return float(quadratic_form(g, scorer.covariance)[0]) * scorer.interval_inflation**2
