"""Scoring metrics for offer-probability predictions.

Pure functions, no I/O and no plotting.  scikit-learn and pandas are imported
lazily so that ``import offerodds`` stays fast.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "CALIBRATION_BINS",
    "calibration_sums",
    "expected_calibration_error",
    "evaluate",
    "paired_bootstrap_logloss",
    "metrics_table",
]

_EPS = 1e-15
#: Equal-width bins of predicted probability for :func:`calibration_sums`; fixed, so that the
#: sums of different batches (retrains, months) pool exactly.
CALIBRATION_BINS = 10
_TABLE_COLUMNS = ["log_loss", "brier", "ece", "roc_auc", "n"]


def check_outcomes_and_probabilities(y_true: Any, p: Any, name_p: str = "p") -> tuple[np.ndarray, np.ndarray]:
    """Check and convert labels and probabilities.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary outcomes (0 = no offer, 1 = offer).
    p : array-like of shape (n,)
        Predicted offer probabilities.
    name_p : str, default "p"
        Name of the probability argument, used in error messages.

    Returns
    -------
    y : ndarray of float, shape (n,)
        Labels as floats in {0.0, 1.0}.
    p : ndarray of float, shape (n,)
        Probabilities as floats in [0, 1].

    Raises
    ------
    ValueError
        On a length mismatch, empty or non-1-D input, NaN values,
        probabilities outside [0, 1] or labels outside {0, 1}.
    """
    try:
        y = np.asarray(y_true, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"y_true must be numeric 0/1 labels: {exc}") from None
    try:
        q = np.asarray(p, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name_p} must be numeric probabilities: {exc}") from None
    if y.ndim != 1 or q.ndim != 1:
        raise ValueError(
            f"y_true and {name_p} must be 1-D, got shapes {y.shape} and {q.shape}"
        )
    if y.shape[0] != q.shape[0]:
        raise ValueError(
            f"length mismatch: y_true has {y.shape[0]} rows, {name_p} has {q.shape[0]}"
        )
    if y.shape[0] == 0:
        raise ValueError("y_true and p are empty")
    if np.isnan(y).any():
        raise ValueError(f"y_true contains NaN ({int(np.isnan(y).sum())} values)")
    if np.isnan(q).any():
        raise ValueError(f"{name_p} contains NaN ({int(np.isnan(q).sum())} values)")
    if (q < 0).any() or (q > 1).any():
        bad = q[(q < 0) | (q > 1)]
        raise ValueError(
            f"{name_p} must be probabilities in [0, 1]; found {bad.size} values "
            f"outside, e.g. {bad[0]!r}"
        )
    bad_y = (y != 0) & (y != 1)
    if bad_y.any():
        raise ValueError(
            f"y_true must contain only 0 and 1; found {int(bad_y.sum())} other "
            f"values, e.g. {y[bad_y][0]!r}"
        )
    return y, q


def _row_logloss(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Per-row binary log-loss with probabilities clipped to [1e-15, 1-1e-15]."""
    q = np.clip(p, _EPS, 1 - _EPS)
    return -(y * np.log(q) + (1 - y) * np.log1p(-q))


def expected_calibration_error(y_true: Any, p: Any, n_bins: int = 15) -> float:
    """Expected calibration error with equal-count (quantile) bins.

    Rows are sorted by predicted probability (stable sort, so ties are
    broken by original row order) and split into ``n_bins`` consecutive
    groups of (almost) equal size with :func:`numpy.array_split`.  The ECE
    is the size-weighted mean over bins of ``|mean(y) - mean(p)|``.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary outcomes in {0, 1}.
    p : array-like of shape (n,)
        Predicted probabilities in [0, 1].
    n_bins : int, default 15
        Number of bins.  When ``n < n_bins`` the empty bins are ignored.

    Returns
    -------
    float
        ECE in [0, 1]; 0 means perfectly calibrated bin averages.

    Raises
    ------
    ValueError
        On invalid inputs (see :func:`evaluate`) or ``n_bins < 1``.
    """
    if int(n_bins) < 1:
        raise ValueError(f"n_bins must be >= 1, got {n_bins}")
    y, q = check_outcomes_and_probabilities(y_true, p)
    order = np.argsort(q, kind="stable")
    n = q.shape[0]
    total = 0.0
    for idx in np.array_split(order, int(n_bins)):
        if idx.size == 0:
            continue
        total += idx.size * abs(y[idx].mean() - q[idx].mean())
    return float(total / n)


def evaluate(y_true: Any, p: Any) -> dict[str, float]:
    """Score predicted offer probabilities against outcomes.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary outcomes in {0, 1}.
    p : array-like of shape (n,)
        Predicted offer probabilities in [0, 1].

    Returns
    -------
    dict
        ``log_loss`` (p clipped to [1e-15, 1-1e-15]), ``brier``,
        ``roc_auc`` (``nan`` when only one class is present), ``ece``
        (15 equal-count bins), ``n`` (number of rows, int) and
        ``offer_rate`` (mean of ``y_true``).

    Raises
    ------
    ValueError
        If the lengths differ, the input is empty, either array contains
        NaN, ``p`` is outside [0, 1] or ``y_true`` is not in {0, 1}.
    """
    from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

    y, q = check_outcomes_and_probabilities(y_true, p)
    y_int = y.astype(int)
    q_clip = np.clip(q, _EPS, 1 - _EPS)
    if np.unique(y_int).size < 2:
        auc = float("nan")
    else:
        auc = float(roc_auc_score(y_int, q))
    return {
        "log_loss": float(log_loss(y_int, q_clip, labels=[0, 1])),
        "brier": float(brier_score_loss(y_int, q, labels=[0, 1])),
        "roc_auc": auc,
        "ece": expected_calibration_error(y, q),
        "n": int(y.shape[0]),
        "offer_rate": float(y.mean()),
    }


def calibration_sums(y_true: Any, p: Any, n_bins: int = CALIBRATION_BINS) -> dict[str, Any]:
    """Sums that describe how probabilities met outcomes and pool exactly across batches.

    Unlike :func:`evaluate`, every figure is a sum, so the sums of several batches (one per
    retrain, say) add up to the sums of their union: a month's log-loss is the month's
    ``log_loss_sum`` over its ``n``. One class alone is fine.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary outcomes in {0, 1}.
    p : array-like of shape (n,)
        Predicted offer probabilities in [0, 1].
    n_bins : int, default ``CALIBRATION_BINS``
        Equal-width bins of ``p`` over [0, 1] for the reliability curve.

    Returns
    -------
    dict
        ``n``, ``offers`` (sum of ``y``), ``expected_offers`` (sum of ``p``),
        ``variance`` (sum of ``p (1 - p)``: the variance of the number of offers if ``p`` is
        right), ``log_loss_sum`` (``p`` clipped as in :func:`evaluate`), ``brier_sum`` and
        ``bins``: lists ``n``, ``offers`` and ``expected_offers`` per bin (bin ``i`` holds
        ``i / n_bins <= p < (i + 1) / n_bins``; ``p = 1`` is in the last).

    Examples
    --------
    >>> s = calibration_sums([1, 0, 0, 1], [0.9, 0.2, 0.1, 0.6])
    >>> s["n"], s["offers"], round(s["expected_offers"], 2), s["bins"]["n"]
    (4, 2, 1.8, [0, 1, 1, 0, 0, 0, 1, 0, 0, 1])
    """
    y, q = check_outcomes_and_probabilities(y_true, p)
    n_bins = int(n_bins)
    which = np.minimum((q * n_bins).astype(int), n_bins - 1)
    return {
        "n": int(y.size),
        "offers": int(y.sum()),
        "expected_offers": float(q.sum()),
        "variance": float((q * (1 - q)).sum()),
        "log_loss_sum": float(_row_logloss(y, q).sum()),
        "brier_sum": float(((q - y) ** 2).sum()),
        "bins": {
            "n": np.bincount(which, minlength=n_bins).astype(int).tolist(),
            "offers": np.bincount(which, weights=y, minlength=n_bins).astype(int).tolist(),
            "expected_offers": np.bincount(which, weights=q, minlength=n_bins).tolist(),
        },
    }


def paired_bootstrap_logloss(
    y: Any,
    p_a: Any,
    p_b: Any,
    n_boot: int = 2000,
    seed: int = 0,
) -> dict[str, float]:
    """Paired bootstrap of the log-loss difference between two scorers.

    For every row the difference ``d = loss_a - loss_b`` is computed
    (negative means model *a* is better on that row).  Rows are resampled
    with replacement ``n_boot`` times; the index matrices are drawn in
    chunks so that memory stays bounded (about 4 million indices at once).

    Parameters
    ----------
    y : array-like of shape (n,)
        Binary outcomes in {0, 1}.
    p_a, p_b : array-like of shape (n,)
        Predicted probabilities of models *a* and *b*.
    n_boot : int, default 2000
        Number of bootstrap resamples.
    seed : int, default 0
        Seed for :func:`numpy.random.default_rng`.

    Returns
    -------
    dict
        ``mean_diff`` (observed mean of ``d``), ``ci_low`` / ``ci_high``
        (2.5 % and 97.5 % percentiles of the bootstrap mean differences),
        ``p_a_not_better`` (fraction of resamples with mean difference
        >= 0) and ``n_boot``.  Model *a* beats *b* by a margin that is
        not luck when ``ci_high < 0``.

    Raises
    ------
    ValueError
        On invalid inputs or ``n_boot < 1``.
    """
    if int(n_boot) < 1:
        raise ValueError(f"n_boot must be >= 1, got {n_boot}")
    yv, qa = check_outcomes_and_probabilities(y, p_a, name_p="p_a")
    _, qb = check_outcomes_and_probabilities(y, p_b, name_p="p_b")
    d = _row_logloss(yv, qa) - _row_logloss(yv, qb)
    n = d.shape[0]
    n_boot = int(n_boot)
    rng = np.random.default_rng(seed)
    chunk = max(1, min(n_boot, 4_000_000 // n))
    means = np.empty(n_boot)
    for start in range(0, n_boot, chunk):
        stop = min(start + chunk, n_boot)
        idx = rng.integers(0, n, size=(stop - start, n))
        means[start:stop] = d[idx].mean(axis=1)
    ci_low, ci_high = np.percentile(means, [2.5, 97.5])
    return {
        "mean_diff": float(d.mean()),
        "ci_low": float(ci_low),
        "ci_high": float(ci_high),
        "p_a_not_better": float(np.mean(means >= 0)),
        "n_boot": n_boot,
    }


def metrics_table(results: dict[str, dict]) -> "pandas.DataFrame":  # noqa: F821
    """Collect :func:`evaluate` outputs into one table.

    Parameters
    ----------
    results : dict of str to dict
        Scorer name -> metrics dict (as returned by :func:`evaluate`).
        Missing metrics become NaN; extra keys are ignored.

    Returns
    -------
    pandas.DataFrame
        One row per scorer (index named ``scorer``) with columns
        ``log_loss``, ``brier``, ``ece``, ``roc_auc``, ``n``.
    """
    import pandas as pd

    rows = {name: {c: m.get(c, np.nan) for c in _TABLE_COLUMNS} for name, m in results.items()}
    table = pd.DataFrame.from_dict(rows, orient="index", columns=_TABLE_COLUMNS)
    table.index.name = "scorer"
    return table
