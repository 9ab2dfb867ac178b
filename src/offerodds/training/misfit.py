"""What the model's form misses, measured on outcomes it did not learn from, and a binned check
of predicted against observed offer rates there.

The posterior's covariance says how sure the weights are *if the form is right*. Where the
world has interactions, shapes or groups the form cannot represent, the truth sits off the
model's log-odds by a function ``g(x)`` the weights' uncertainty does not include, and an
interval built from the weights alone narrows as outcomes grow while the truth stays outside.

``g`` is estimated from out-of-fold residuals: each row is predicted by a model fitted on the
other folds (the same terms and prior widths as the final model), and its working residual
``(y - p) / (p (1 - p))`` (the log-odds gap a logistic fit would close, with weight
``p (1 - p)``) is what a flexible learner (scikit-learn's histogram gradient boosting, shallow
and slow) may find a pattern in. Two such learners are fitted on disjoint halves of the
applications; the outcomes' own noise is independent between the halves, so the mean product
of their two predictions, over all rows, estimates the mean of ``g(x)**2`` that both can find
(the misfit variance), without the noise that one learner alone would mistake for pattern. It is
clipped at 0, underestimates what neither half can learn, and is added to the weights' own
variance in every interval.
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

__all__ = ["CHECK_BINS", "binned_check", "misfit_variance"]

#: Bins of the held-out check (equal counts of rows, by predicted probability).
CHECK_BINS = 10
#: Rows above which the learners see a fixed random subset (their cost grows with rows).
MAX_ROWS = 100_000


def misfit_variance(features: np.ndarray, y: np.ndarray, log_odds: np.ndarray, halves: np.ndarray, seed: int = 0) -> float:
    """The misfit variance (log-odds**2) from out-of-fold ``log_odds`` of rows ``features``.

    ``halves`` is each row's half (0 or 1): rows of one application in one half."""
    from sklearn.ensemble import HistGradientBoostingRegressor
    from threadpoolctl import threadpool_limits

    y = np.asarray(y, dtype=float)
    p = expit(log_odds)
    w = np.clip(p * (1.0 - p), 1e-4, None)
    z = np.clip((y - p) / w, -30.0, 30.0)
    if len(y) > MAX_ROWS:
        rows = np.sort(np.random.default_rng(seed).choice(len(y), MAX_ROWS, replace=False))
        features, z, w, halves = features[rows], z[rows], w[rows], halves[rows]
    predictions = []
    with threadpool_limits(limits=1):
        for half in (0, 1):
            mine = halves == half
            if mine.sum() < 40 or (~mine).sum() < 40:
                return 0.0
            learner = HistGradientBoostingRegressor(
                learning_rate=0.05, max_iter=150, max_depth=3, min_samples_leaf=20,
                l2_regularization=1.0, early_stopping=False, random_state=seed,
            )
            learner.fit(features[mine], z[mine], sample_weight=w[mine])
            predictions.append(learner.predict(features))
    return float(max(np.mean(predictions[0] * predictions[1]), 0.0))


def binned_check(y: np.ndarray, probability: np.ndarray, bins: int = CHECK_BINS) -> list[list[float]]:
    """``[rows, mean predicted, observed offer rate]`` per bin of equal counts of rows, by
    predicted probability (lowest first)."""
    order = np.argsort(probability, kind="stable")
    out = []
    for part in np.array_split(order, min(bins, max(len(order), 1))):
        if len(part):
            out.append([int(len(part)), float(probability[part].mean()), float(np.asarray(y)[part].mean())])
    return out
