"""The learned scorer: a logistic model with the rule card as its prior, Platt-calibrated.

``fit`` learns :class:`PriorLogisticRegression` on the signal features, its L2 penalty pulling
towards the rule card's weights, then calibrates it with a sigmoid (Platt's method) fitted on
out-of-fold scores of that one model, as ``CalibratedClassifierCV(method="sigmoid",
ensemble=False)`` does. The calibration is an affine map of the log-odds, so the served weights
are the fitted weights times the calibration slope and every contribution stays exactly
additive. The slope must be positive: a model whose out-of-fold scores run the wrong way is
refused, never served flipped.

The prior, and what the served interval accounts for
-----------------------------------------------------
- The weights' prior is ``N(card, (I + (CARD_SCALE_FREEDOM**2 - 1) u u') / alpha)``, ``u`` the
  card's direction: the card's overall strength (all its points scaled together) is
  ``CARD_SCALE_FREEDOM`` times less certain than the relative sizes of its points. It is fitted
  as :class:`PriorLogisticRegression`'s isotropic prior on linearly transformed features.
- By default (``selection="evidence_average"``) the posterior is averaged over the grid of prior
  strengths, weighted by their evidence, so its covariance carries the uncertainty about the
  prior strength (``E[cov] + Var[mean]``) instead of treating the chosen strength as known.
- The covariance served is that of the calibrated weights: ``slope**2`` times the posterior
  covariance, plus the calibration's own uncertainty (the covariance of Platt's slope and
  shift, a rank-two term).
- The overall level has a prior too: the mean log-odds over the training interviews is pulled
  towards the level at which the model's mean probability equals the card's (a Gaussian prior
  on that one linear combination, its width averaged over ``LEVEL_PRIOR_SDS`` by evidence).
  With few outcomes the observed offer rate is mostly noise and the card's level is kept;
  with many, the data's level wins.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit
from sklearn.base import clone
from threadpoolctl import threadpool_limits

from offerodds.scoring.rulecard import rules
from offerodds.scoring.scorer import FitSummary, LinearScorer
from offerodds.signals.encoding import encode
from offerodds.training.calibration import calibrate, platt
from offerodds.training.config import FitConfig
from offerodds.training.folds import splits
from offerodds.training.prior_logistic import PriorLogisticRegression

#: Prior standard deviation along the card's own direction, relative to the other directions.
CARD_SCALE_FREEDOM = 4.0
#: Widths (log-odds) of the level prior, averaged over with their evidence as weights.
LEVEL_PRIOR_SDS = np.logspace(-2, 1, 31)


class FitError(ValueError):
    """The outcomes cannot give a model that is fit to serve (the message says why)."""


#: Above this many outcomes, the calibration folds reuse the prior strength of the final fit
#: instead of choosing it again: with that much data the choice barely moves.
FIXED_STRENGTH_ROWS = 20_000


def _card_direction(coef: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``A`` and its inverse: an isotropic prior ``N(A^-1 card, I / alpha)`` on the weights of
    the features ``X @ A`` is the prior ``N(card, (I + (f**2 - 1) u u') / alpha)`` on ``A w~``."""
    u = coef / np.linalg.norm(coef)
    f = CARD_SCALE_FREEDOM
    uu = np.outer(u, u)
    eye = np.eye(len(u))
    return eye + (f - 1.0) * uu, eye - (f - 1.0) / f * uu


def _level_prior(theta, cov, X, card_rate):
    """Condition ``N(theta, cov)`` on a Gaussian prior for the mean log-odds over the rows of
    ``X``, centred where the model's mean probability equals ``card_rate``; the prior's width is
    averaged over ``LEVEL_PRIOR_SDS``, weighted by the evidence. Returns the mixture's mean and
    covariance and the resulting shift of the mean log-odds."""
    if not 0.0 < card_rate < 1.0:
        return theta, cov, 0.0
    e = np.append(X.mean(axis=0), 1.0)
    z = X @ theta[:-1] + theta[-1]
    gap = brentq(lambda d: expit(z + d).mean() - card_rate, -50.0, 50.0)
    ce = cov @ e
    v = float(e @ ce)
    if not v > 0.0:
        return theta, cov, 0.0
    spread = v + LEVEL_PRIOR_SDS**2  # the gap's variance under each width
    log_w = -0.5 * np.log(spread) - 0.5 * gap**2 / spread
    w = np.exp(log_w - log_w.max())
    w /= w.sum()
    gains = gap / spread  # each width's posterior: mean theta + ce * gain, cov - ce ce' / spread
    mean_gain = float(w @ gains)
    mean = theta + ce * mean_gain
    # E[cov] + Var[mean] over the widths: cov - E[1 / spread] ce ce' + Var[gain] ce ce'
    factor = float(w @ (gains - mean_gain) ** 2) - float(w @ (1.0 / spread))
    mixed = cov + factor * np.outer(ce, ce)
    return mean, 0.5 * (mixed + mixed.T), float(e @ (mean - theta))


def fit_arrays(
    typed: pd.DataFrame,
    y: np.ndarray,
    groups: np.ndarray | None = None,
    config: FitConfig = FitConfig(),
    version: str = "candidate",
    alpha: float | None = None,
) -> LinearScorer:
    """Fit the learned scorer on a validated signal frame and 0/1 outcomes (no I/O).

    ``alpha`` fixes the prior strength instead of choosing it (used inside outer
    cross-validation on large stores, where the choice barely moves). BLAS runs on one
    thread: the small Hessian products here are many times slower multi-threaded on a
    busy machine.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(typed, y, groups, config, version, alpha)


def _fit(typed, y, groups, config, version, alpha) -> LinearScorer:
    y = np.asarray(y, dtype=float)
    counts = np.bincount(y.astype(int), minlength=2)
    if counts.min() < config.min_outcomes_per_class:
        raise FitError(
            f"too few outcomes to learn from: {counts[1]} offers and {counts[0]} no-offers "
            f"(at least {config.min_outcomes_per_class} of each are needed)"
        )
    card = rules()
    X = encode(typed)
    A, A_inv = _card_direction(card.coef)
    Xt = X @ A
    estimator = PriorLogisticRegression(
        prior_coef=A_inv @ card.coef, prior_intercept=card.intercept,
        alpha="auto" if alpha is None else alpha,
        selection=config.selection,
        cv=config.folds,
    )
    notes = []
    calibration_cov = np.zeros((2, 2))
    if counts.min() >= config.min_calibration_per_class:
        folds = splits(y, groups, config.folds, config.random_state)
        fitted = clone(estimator).fit(Xt, y, groups=groups)
        per_fold = estimator
        if len(y) > FIXED_STRENGTH_ROWS:
            per_fold = clone(estimator).set_params(alpha=float(fitted.alpha_))
        scores = np.empty(len(y))
        for train, test in folds:
            part = clone(per_fold).fit(
                Xt[train], y[train], groups=None if groups is None else groups[train]
            )
            scores[test] = part.decision_function(Xt[test])
        slope, shift, calibration_cov = platt(scores, y)
        if slope <= 0:
            raise FitError(
                "the model's out-of-fold scores run the wrong way (calibration slope "
                f"{slope:+.3f}): the outcomes contradict it, so it is not served"
            )
        calibration = f"sigmoid on {len(folds)}-fold out-of-fold scores: slope {slope:.3f}, shift {shift:+.3f}"
    else:
        fitted = estimator.fit(Xt, y, groups=groups)
        slope, shift = 1.0, 0.0
        calibration = (
            f"skipped: {counts.min()} outcomes of the rarer class is too few to calibrate "
            f"(needs {config.min_calibration_per_class}); the prior's scale is kept"
        )
        notes.append(calibration)
    # back from the transformed features: w = A w~ (the intercept is unchanged)
    B = np.eye(len(A) + 1)
    B[:-1, :-1] = A
    raw = B @ np.append(fitted.coef_.ravel(), fitted.intercept_[0])
    raw_cov = B @ fitted.covariance_ @ B.T
    theta, cov = calibrate(raw, raw_cov, slope, shift, calibration_cov)
    card_rate = float(expit(X @ card.coef + card.intercept).mean())
    theta, cov, level_shift = _level_prior(theta, cov, X, card_rate)
    summary = FitSummary(
        n_outcomes=int(len(y)),
        n_offers=int(counts[1]),
        n_no_offers=int(counts[0]),
        prior_strength=float(fitted.alpha_),
        calibration_slope=slope,
        calibration_shift=shift,
        calibration=calibration,
        level_shift=level_shift,
        config=asdict(config),
        notes=notes,
        raw_coef=raw[:-1].tolist(),
        raw_intercept=float(raw[-1]),
    )
    return LinearScorer(
        kind="model",
        version=version,
        intercept=float(theta[-1]),
        coef=theta[:-1],
        covariance=cov,
        interval_inflation=config.interval_inflation,
        fit=summary,
    )
