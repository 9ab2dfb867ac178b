"""The learned scorer: the rule card as its prior, with a free level and overall strength.

``fit_arrays`` fits the model of :mod:`offerodds.training.card_prior` to a validated signal
frame and its outcomes::

    log-odds = cbar + level + strength * (card's log-odds - cbar) + departures . features

With few outcomes it stays near the card, moving its level and strength only as far as the
outcomes support; with many, it follows the data's own weights. Why not the penalised logistic
regression pulled towards the card's weights that offerodds used before: where the article is
wrong about the base rate or its overall strength, such a penalty cannot reach what two free
parameters reach (``docs/learning_curve.md`` measures this model beside the card recalibrated
by those two parameters and plain logistic regression, on worlds where the article is wrong).

The model served is linear in the features, so every signal's contribution stays exactly
additive; its covariance is the evidence-averaged posterior's, so the 90 % interval carries
the uncertainty about how far to trust the card.

Checks before anything is served (each a ``FitError`` naming why):

- at least ``min_outcomes_per_class`` offers and no-offers;
- with at least ``min_calibration_per_class`` of each, the model's leave-one-out scores
  (approximated from the posterior, no refits) must not both run the wrong way (Platt's slope
  not positive) and predict clearly worse than the offer rate of the other rows (by two
  standard errors of the paired log-loss): such a model is never served flipped. Both, because
  a model whose signals carry almost nothing has a negative leave-one-out slope by construction
  (leaving out an offer lowers that row's own rate) while it predicts as well as the offer rate;
- with ``calibration = "platt"`` (off by default: Platt's sigmoid on K-fold out-of-fold
  scores), a slope that is not positive on those scores.

The level and strength are already learned, so the Platt step is off by default: on the
benchmark worlds at 200 outcomes it cost accuracy in three of four.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from offerodds.errors import FitError
from offerodds.scoring.agreement import keep_article_order, unsure_states
from offerodds.scoring.rulecard import rules
from offerodds.scoring.scorer import FitSummary, LinearScorer
from offerodds.signals.encoding import encode
from offerodds.training.calibration import calibrate, platt
from offerodds.training.card_prior import ALPHAS, card_posterior, leave_one_out_log_odds
from offerodds.config import FitConfig
from offerodds.training.folds import splits

__all__ = ["FIXED_STRENGTH_ROWS", "FitError", "fit_arrays"]


#: Above this many outcomes, the gate's folds reuse the departures' prior strength of the final
#: fit instead of averaging over it again: with that much data the average barely moves.
FIXED_STRENGTH_ROWS = 20_000


def fit_arrays(
    typed: pd.DataFrame,
    y: np.ndarray,
    groups: np.ndarray | None = None,
    config: FitConfig = FitConfig(),
    version: str = "candidate",
    alpha: float | None = None,
) -> LinearScorer:
    """Fit the learned scorer on a validated signal frame and 0/1 outcomes (no I/O).

    ``alpha`` fixes the departures' prior strength instead of averaging over it (inside the
    gate's folds on large stores). BLAS runs on one thread: the small Hessian products here
    are many times slower multi-threaded on a busy machine.
    """
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(typed, y, groups, config, version, alpha)


def _posterior(X, y, config, alpha, design=None):
    card = rules()
    return card_posterior(
        X, y, card.coef, card.intercept,
        scale_sd=config.scale_prior_sd, level_sd=config.level_prior_sd, alpha=alpha, design=design,
    )


def _outcomes(typed: pd.DataFrame, y) -> np.ndarray:
    """``y`` as floats, checked: one 0 or 1 per row of ``typed``."""
    try:
        y = np.asarray(y, dtype=float).reshape(-1)
    except (TypeError, ValueError) as error:
        raise FitError(f"outcomes must be 0 (no offer) or 1 (offer): {error}") from None
    if len(y) != len(typed):
        raise FitError(f"{len(y)} outcomes for {len(typed)} interviews: one outcome per interview is needed")
    bad = np.flatnonzero((y != 0) & (y != 1))
    if len(bad):
        raise FitError(
            f"outcomes must be 0 (no offer) or 1 (offer); row {bad[0] + 1} holds {float(y[bad[0]]):g}"
            + (f" (and {len(bad) - 1} more)" if len(bad) > 1 else "")
        )
    return y


def _fit(typed, y, groups, config: FitConfig, version, alpha) -> LinearScorer:
    y = _outcomes(typed, y)
    counts = np.bincount(y.astype(int), minlength=2)
    if counts.min() < config.min_outcomes_per_class:
        raise FitError(
            f"too few outcomes to learn from: {counts[1]} offers and {counts[0]} no-offers "
            f"(at least {config.min_outcomes_per_class} of each are needed)"
        )
    design = encode(typed, spare=2)  # the features and room for the posterior's two columns
    X = design[:, :-2]
    posterior = _posterior(X, y, config, alpha, design)
    notes = []
    check_slope = float("nan")
    enough = counts.min() >= config.min_calibration_per_class
    if enough:
        loo = leave_one_out_log_odds(X, y, posterior)
        check_slope, _, _ = platt(loo, y)
        if not check_slope > 0 and _clearly_worse(y, loo, _leave_one_out_base_rate(y)):
            raise FitError(
                "the model's out-of-sample scores run the wrong way (leave-one-out calibration "
                f"slope {check_slope:+.3f}) and predict clearly worse than the offer rate alone: "
                "the outcomes contradict it, so it is not served"
            )
    else:
        notes.append(
            f"the out-of-sample check was skipped: {counts.min()} outcomes of the rarer class is "
            f"too few (needs {config.min_calibration_per_class})"
        )
    raw = np.append(posterior.coef, posterior.intercept)
    theta, cov = raw, posterior.covariance
    slope, shift = 1.0, 0.0
    calibration = (
        f"none needed: the card's strength (x{posterior.scale:.2f}) and level "
        f"({posterior.level:+.2f}) are learned with the weights"
    )
    if config.calibration == "platt" and enough:
        slope, shift, calibration_cov, k = _out_of_fold_platt(X, y, groups, config, alpha)
        theta, cov = calibrate(raw, cov, slope, shift, calibration_cov)
        calibration = f"sigmoid on {k}-fold out-of-fold scores: slope {slope:.3f}, shift {shift:+.3f}"
    elif config.calibration == "platt":
        notes.append("no sigmoid calibration: too few outcomes of the rarer class")
    summary = FitSummary(
        n_outcomes=int(len(y)),
        n_offers=int(counts[1]),
        n_no_offers=int(counts[0]),
        prior_strength=posterior.prior_strength,
        calibration_slope=slope,
        calibration_shift=shift,
        calibration=calibration,
        level_shift=posterior.level,
        card_scale=posterior.scale,
        check_slope=check_slope,
        config=asdict(config),
        notes=notes,
        raw_coef=raw[:-1].tolist(),
        raw_intercept=float(raw[-1]),
    )
    learned = LinearScorer(
        kind="model",
        version=version,
        intercept=float(theta[-1]),
        coef=theta[:-1],
        covariance=cov,
        interval_inflation=config.interval_inflation,
        fit_summary=summary,
    )
    # yes and no in the article's order unless the outcomes are sure of the reversal
    learned = keep_article_order(learned, rules())
    learned.fit_summary.unsure_states = _unsure_from_the_outcomes(X, y, config, learned)
    return learned


def _unsure_from_the_outcomes(X, y, config: FitConfig, served: LinearScorer) -> list[str]:
    """``signal=state`` whose served sign the outcomes themselves are less than 90 % sure of:
    judged by the posterior under the weakest prior on departures from the card's relative
    weights (the data decide). The served model may be sure of a sign only because the
    article says so; a reason must also be what the outcomes show."""
    led = _posterior(X, y, config, float(ALPHAS.min()))
    evidence = LinearScorer(kind="model", version="evidence", intercept=led.intercept, coef=led.coef,
                            covariance=led.covariance)
    return sorted(f"{signal}={state}" for signal, state in unsure_states(evidence, served))


def _clearly_worse(y: np.ndarray, log_odds: np.ndarray, rival: np.ndarray) -> bool:
    """Whether ``log_odds`` has a higher log-loss than ``rival`` on the same rows by more than
    two standard errors of the paired difference."""
    loss = np.logaddexp(0.0, log_odds) - y * log_odds
    rival_loss = np.logaddexp(0.0, rival) - y * rival
    diff = loss - rival_loss
    return bool(diff.mean() > 2.0 * diff.std(ddof=1) / np.sqrt(len(diff)))


def _leave_one_out_base_rate(y: np.ndarray) -> np.ndarray:
    """Each row's log-odds under the offer rate of the other rows (the smoothed rate, so
    that a class of one stays finite)."""
    rate = (y.sum() - y + 0.5) / (len(y) - 1 + 1.0)
    return np.log(rate) - np.log1p(-rate)


def _out_of_fold_platt(X, y, groups, config: FitConfig, alpha):
    """Platt's sigmoid on scores of models that did not see the rows they score."""
    scores = np.empty(len(y))
    folds = splits(y, groups, config.folds, config.random_state)
    for train, test in folds:
        part = _posterior(X[train], y[train], config, alpha)
        scores[test] = X[test] @ part.coef + part.intercept
    slope, shift, cov = platt(scores, y)
    if not slope > 0:
        raise FitError(
            "the model's out-of-fold scores run the wrong way (calibration slope "
            f"{slope:+.3f}): the outcomes contradict it, so it is not served"
        )
    return slope, shift, cov, len(folds)
