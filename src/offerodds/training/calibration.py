"""Platt calibration as an affine map of the log-odds, with its own uncertainty, and the rule
card recalibrated: the card's log-odds with a free level and scale (two parameters), the honest
rival every learned model must beat and what serves when outcomes are still few.

Because the map is affine, a calibrated scorer is still linear in the features: its weights are
the raw weights times the slope, so every contribution stays exactly additive.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit

from offerodds.errors import FitError
from offerodds.scoring.rulecard import rules
from offerodds.scoring.scorer import FitSummary, LinearScorer

__all__ = ["calibrate", "card_log_odds", "platt", "recalibrated_card"]


def platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float, np.ndarray]:
    """Platt's sigmoid on scores (with his smoothed targets, as scikit-learn's ``sigmoid``):
    slope, shift and their covariance (the inverse Hessian at the optimum)."""
    n1 = float(y.sum())
    n0 = len(y) - n1
    target = np.where(y > 0, (n1 + 1.0) / (n1 + 2.0), 1.0 / (n0 + 2.0))
    G = np.column_stack([scores, np.ones_like(scores)])

    def hessian(p):
        q = expit(G @ p)
        return G.T @ (G * (q * (1.0 - q))[:, None])

    def fun(p):
        z = G @ p
        return float(np.sum(np.logaddexp(0.0, z) - target * z)), G.T @ (expit(z) - target)

    res = minimize(
        fun, np.array([1.0, 0.0]), jac=True, hess=hessian, method="trust-exact",
        options={"gtol": 1e-10, "maxiter": 200},
    )
    H = hessian(res.x)
    try:
        cov = np.linalg.inv(H)
    except np.linalg.LinAlgError:
        cov = np.linalg.pinv(H)
    return float(res.x[0]), float(res.x[1]), 0.5 * (cov + cov.T)


def calibrate(raw: np.ndarray, raw_cov: np.ndarray, slope: float, shift: float, calibration_cov: np.ndarray):
    """The calibrated ``(coef, intercept)`` vector ``slope * raw + shift * e_b`` and its
    covariance: ``slope**2`` times the raw covariance plus the calibration's own uncertainty
    (the covariance of slope and shift, a rank-two term)."""
    e_b = np.zeros(len(raw))
    e_b[-1] = 1.0
    theta = slope * raw + shift * e_b
    cov = (
        slope**2 * raw_cov
        + calibration_cov[0, 0] * np.outer(raw, raw)
        + calibration_cov[1, 1] * np.outer(e_b, e_b)
        + calibration_cov[0, 1] * (np.outer(raw, e_b) + np.outer(e_b, raw))
    )
    return theta, 0.5 * (cov + cov.T)


#: Rows whose card log-odds are computed at a time (each row's on its own: the blocks change
#: only the memory; all 800,000 rows of a fold at once cost some 700 MB).
LOG_ODDS_ROWS = 100_000


def card_log_odds(card: LinearScorer, typed: pd.DataFrame) -> np.ndarray:
    """The card's log-odds of each row, ``LOG_ODDS_ROWS`` rows at a time."""
    if len(typed) <= LOG_ODDS_ROWS:
        return card.decompose(typed).log_odds
    return np.concatenate([card.decompose(typed.iloc[start : start + LOG_ODDS_ROWS]).log_odds
                           for start in range(0, len(typed), LOG_ODDS_ROWS)])


def recalibrated_card(
    typed: pd.DataFrame | None, y: np.ndarray, version: str = "candidate", log_odds: np.ndarray | None = None
) -> LinearScorer:
    """The rule card with its level and overall scale learned from ``y`` (Platt on its
    log-odds); the interval comes from the posterior of those two parameters. ``log_odds``:
    the card's log-odds of the rows (``card_log_odds``), computed already (``typed`` is then
    not read).

    Raises
    ------
    ValueError
        When the outcomes run against the card (a slope that is not positive): such a card is
        never served flipped.
    """
    y = np.asarray(y, dtype=float)
    card = rules()
    slope, shift, cov2 = platt(card_log_odds(card, typed) if log_odds is None else log_odds, y)
    if not slope > 0:
        raise FitError(
            f"the outcomes run against the rule card (slope {slope:+.3f}): it is not recalibrated"
        )
    raw = np.append(card.coef, card.intercept)
    theta, cov = calibrate(raw, np.zeros((len(raw), len(raw))), slope, shift, cov2)
    counts = np.bincount(y.astype(int), minlength=2)
    summary = FitSummary(
        n_outcomes=int(len(y)),
        n_offers=int(counts[1]),
        n_no_offers=int(counts[0]),
        calibration_slope=slope,
        calibration_shift=shift,
        card_scale=slope,
        calibration=f"the rule card recalibrated: slope {slope:.3f}, shift {shift:+.3f}",
        notes=["the rule card's points with a level and scale learned from the outcomes"],
        raw_coef=card.coef.tolist(),
        raw_intercept=float(card.intercept),
    )
    return LinearScorer(
        kind="model", version=version, intercept=float(theta[-1]), coef=theta[:-1], covariance=cov, fit_summary=summary
    )
