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

Beyond the card's form, the fit adds informative blanks for the 1-5 scales and a length shape
(hinges) always, and pair terms (signal x stage, signal x signal) screened on the additive fit's
residuals once there are 250 outcomes or more (``training.pairs``), each shrunk towards the
card's form with an evidence-averaged width. The model served stays linear in its columns, and a
pair's log-odds is split half and half between its two signals, so every contribution stays
exactly additive; its covariance is the evidence-averaged posterior's, so the 90 % interval
carries the uncertainty about how far to trust the card, plus the form's misfit measured on
out-of-fold outcomes (``training.misfit``; the retrain summary shows it with a binned held-out
check).

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
from offerodds.signals.encoding import encode, feature_layout
from offerodds.signals.terms import blank_terms, encode_terms, length_terms
from offerodds.training.calibration import calibrate, platt
from offerodds.training.card_prior import ALPHAS, card_posterior, leave_one_out_log_odds
from offerodds.config import FitConfig
from offerodds.training.design import Design, FrameRows
from offerodds.training.folds import splits
from offerodds.training.misfit import PRIOR_MISFIT, binned_check, misfit_estimate
from offerodds.training.pairs import pairs_for, screen_pairs

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
    misfit: bool = True,
    rows: np.ndarray | None = None,
) -> LinearScorer:
    """Fit the learned scorer on a validated signal frame and 0/1 outcomes (no I/O).

    ``alpha`` fixes the departures' prior strength instead of averaging over it (inside the
    gate's folds on large stores). ``misfit=False`` skips measuring the form's misfit on
    out-of-fold outcomes (the gate's own folds need only the point predictions). BLAS runs on
    one thread: the small Hessian products here are many times slower multi-threaded on a
    busy machine.

    ``rows``: fit on the rows at these positions of ``typed`` only (the gate's folds), read
    from it a block at a time instead of copied; ``y`` and ``groups`` then hold those rows'
    values. The model is the one fitted on ``typed.iloc[rows]``, to the last bit.
    """
    if rows is not None:
        typed = FrameRows(typed, rows)
    with threadpool_limits(limits=1, user_api="blas"):
        return _fit(typed, y, groups, config, version, alpha, misfit)


def _posterior(X, y, config, alpha, extras=None, kind=None, beta=None, fixed=None, work=None):
    card = rules()
    return card_posterior(
        X, y, card.coef, card.intercept,
        scale_sd=config.scale_prior_sd, level_sd=config.level_prior_sd, alpha=alpha,
        extras=extras, extra_kind=kind, beta=beta, fixed=fixed, work=work,
    )


def _terms(typed, design, p, y, config, alpha):
    """The extra terms (names, how many, which are shapes or pairs) and the posterior with
    them: informative blanks and the length shape always, pairs screened on the additive fit's
    residuals when the outcomes are many enough (``training.pairs``). The terms are added to
    ``design`` (the card's ``p`` features first), which the posterior reads block by block."""
    names = blank_terms() + length_terms()
    kind = np.array([0] * len(blank_terms()) + [1] * len(length_terms()))
    design.add(names, lambda start, stop: encode_terms(typed.iloc[start:stop], names))
    posterior = _posterior(design, y, config, alpha, kind=kind)
    shape = posterior.pair_strength  # the shape's prior precision, by its evidence
    screened = []
    k = pairs_for(len(y), config.max_pairs)
    if k:
        screened = screen_pairs(typed, y, design @ posterior.coef + posterior.intercept, design, k)
    if screened:
        pairs = [name for name, _ in screened]
        names = names + pairs
        kind = np.concatenate([np.where(kind == 1, 2, kind), np.ones(len(screened), int)])
        design.add(pairs, lambda start, stop: encode_terms(typed.iloc[start:stop], pairs))
        posterior = _posterior(design, y, config, alpha, kind=kind, fixed=shape)
    return names, design.m - p, (kind, shape), posterior, screened


def _design(typed) -> tuple[Design, int]:
    """The card's features of every row in a :class:`~offerodds.training.design.Design`
    (encoded a block of rows at a time: never a float64 array of all of them), and how many."""
    names, _ = feature_layout()
    design = Design(len(typed)).add(names, lambda start, stop: encode(typed.iloc[start:stop]))
    return design, len(names)


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


def _fit(typed, y, groups, config: FitConfig, version, alpha, misfit) -> LinearScorer:
    y = _outcomes(typed, y)
    counts = np.bincount(y.astype(int), minlength=2)
    if counts.min() < config.min_outcomes_per_class:
        raise FitError(
            f"too few outcomes to learn from: {counts[1]} offers and {counts[0]} no-offers "
            f"(at least {config.min_outcomes_per_class} of each are needed)"
        )
    D, p = _design(typed)
    names, q, free, posterior, screened = _terms(typed, D, p, y, config, alpha)
    shape_strength = free[1]
    notes = []
    check_slope = float("nan")
    enough = counts.min() >= config.min_calibration_per_class
    if enough:
        loo = leave_one_out_log_odds(D, y, posterior)
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
        slope, shift, calibration_cov, k = _out_of_fold_platt(D, y, groups, config, alpha, free, posterior)
        theta, cov = calibrate(raw, cov, slope, shift, calibration_cov)
        calibration = f"sigmoid on {k}-fold out-of-fold scores: slope {slope:.3f}, shift {shift:+.3f}"
    elif config.calibration == "platt":
        notes.append("no sigmoid calibration: too few outcomes of the rarer class")
    misfit_var, check = (PRIOR_MISFIT[0] if config.misfit_interval else 0.0), []
    if misfit and enough and config.misfit_interval:
        try:
            misfit_var, check, measured = _misfit(typed, D, y, groups, config, free, posterior, slope, shift, names)
            notes.append(
                f"the form's misfit: {measured[0]:+.3f} +- {measured[1]:.3f} (log-odds squared) measured on "
                f"held-out outcomes, {misfit_var:.3f} with the prior guess, added to the interval's variance"
            )
        except ValueError as error:  # e.g. one application: no folds to hold outcomes out
            notes.append(f"the form's misfit was not measured ({error}): the interval adds the prior guess")
    elif config.misfit_interval and misfit:
        notes.append("the form's misfit was not measured (too few outcomes to hold some out): the interval adds the prior guess")
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
        terms=[[name, float(score)] for name, score in screened],
        pair_strength=posterior.pair_strength if screened else float("nan"),
        shape_strength=float(shape_strength),
        misfit_sd=float(np.sqrt(misfit_var)),
        holdout_check=check,
    )
    learned = LinearScorer(
        kind="model",
        version=version,
        intercept=float(theta[-1]),
        coef=theta[:p],
        covariance=cov,
        interval_inflation=config.interval_inflation,
        fit_summary=summary,
        terms=tuple(names),
        term_coef=theta[p:-1],
        misfit_variance=misfit_var,
    )
    # yes and no in the article's order unless the outcomes are sure of the reversal
    learned = keep_article_order(learned, rules())
    learned.fit_summary.unsure_states = _unsure_from_the_outcomes(D.first(p), y, config, learned)
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


def _refit(D, train, y, config, alpha, free, posterior):
    """The posterior on rows ``train`` with the final model's terms (and, with ``alpha`` given,
    its prior widths)."""
    kind, shape = free
    q = len(kind)
    pairs = posterior.pair_strength if (kind == 1).any() and alpha is not None else None
    # the fold's rows of the same columns (a Design: never a copy of them)
    return _posterior(D.subset(train), y[train], config, alpha, kind=kind, beta=pairs, fixed=shape)


def _misfit(typed, D, y, groups, config: FitConfig, free, posterior, slope, shift, names):
    """The form's misfit variance and the binned held-out check, from out-of-fold log-odds of
    models with the final model's terms and prior widths (``training.misfit``), mapped by the
    served model's calibration."""
    folds = splits(y, groups, config.folds, config.random_state)
    log_odds = np.empty(len(y))
    for train, test in folds:
        part = _refit(D, train, y, config, posterior.prior_strength, free, posterior)
        log_odds[test] = slope * (D.subset(test) @ part.coef + part.intercept) + shift
    variance, measured, se = misfit_estimate(typed, D, y, log_odds, exclude=names)
    return variance, binned_check(y, 1.0 / (1.0 + np.exp(-log_odds))), (measured, se)


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


def _out_of_fold_platt(D, y, groups, config: FitConfig, alpha, free, posterior):
    """Platt's sigmoid on scores of models that did not see the rows they score."""
    scores = np.empty(len(y))
    folds = splits(y, groups, config.folds, config.random_state)
    for train, test in folds:
        part = _refit(D, train, y, config, alpha, free, posterior)
        scores[test] = D.subset(test) @ part.coef + part.intercept
    slope, shift, cov = platt(scores, y)
    if not slope > 0:
        raise FitError(
            "the model's out-of-fold scores run the wrong way (calibration slope "
            f"{slope:+.3f}): the outcomes contradict it, so it is not served"
        )
    return slope, shift, cov, len(folds)
