"""The learned scorer: a logistic model with the rule card as its prior, Platt-calibrated.

``fit`` learns :class:`PriorLogisticRegression` on the signal features, its L2 penalty pulling
towards the rule card's weights, then calibrates it with a sigmoid fitted on out-of-fold scores
of that one final model (``CalibratedClassifierCV(method="sigmoid", ensemble=False)``). The
calibration is an affine map of the log-odds, so the served weights are the fitted weights times
the calibration slope and every contribution stays exactly additive. The slope must be positive:
a model whose out-of-fold scores run the wrong way is refused, never served flipped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from offerodds.features import SignalFeatures
from offerodds.prior_logistic import PriorLogisticRegression
from offerodds.rulecard import rules
from offerodds.scorer import LinearScorer


class FitError(ValueError):
    """The outcomes cannot give a model that is fit to serve (the message says why)."""


@dataclass(frozen=True)
class FitConfig:
    """Settings of :func:`fit` (the retrain pipeline reads them from its TOML configuration).

    Parameters
    ----------
    folds : int
        Cross-validation folds, for calibration and for choosing the prior strength.
    selection : {"evidence", "cv", "cv_min"}
        How the prior strength is chosen (see :class:`PriorLogisticRegression`).
    min_outcomes_per_class : int
        Fewer of either class is too few to learn from.
    min_calibration_per_class : int
        Fewer of either class than this keeps the prior's scale instead of calibrating.
    interval_inflation : float
        Widens the Laplace interval to account for the prior strength being estimated.
    """

    folds: int = 5
    selection: str = "evidence"
    min_outcomes_per_class: int = 5
    min_calibration_per_class: int = 25
    interval_inflation: float = 1.0
    random_state: int = 0


def splits(y: np.ndarray, groups: np.ndarray | None, folds: int, random_state: int = 0):
    """Stratified folds, grouped (one application never in two folds) when ``groups`` is given."""
    n_splits = int(min(folds, np.bincount(y.astype(int)).min()))
    if groups is not None:
        n_splits = min(n_splits, len(np.unique(groups)))
        splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
        return list(splitter.split(np.zeros(len(y)), y, groups))
    splitter = StratifiedKFold(n_splits, shuffle=True, random_state=random_state)
    return list(splitter.split(np.zeros(len(y)), y))


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
    cross-validation on large stores, where the choice barely moves).
    """
    y = np.asarray(y, dtype=float)
    counts = np.bincount(y.astype(int), minlength=2)
    if counts.min() < config.min_outcomes_per_class:
        raise FitError(
            f"too few outcomes to learn from: {counts[1]} offers and {counts[0]} no-offers "
            f"(at least {config.min_outcomes_per_class} of each are needed)"
        )
    card = rules()
    X = SignalFeatures().fit(typed).transform(typed)
    estimator = PriorLogisticRegression(
        prior_coef=card.coef, prior_intercept=card.intercept,
        alpha="auto" if alpha is None else alpha,
        selection=config.selection,
        cv=config.folds,
    )
    notes = []
    if counts.min() >= config.min_calibration_per_class:
        folds = splits(y, groups, config.folds, config.random_state)
        calibrated = CalibratedClassifierCV(estimator, method="sigmoid", ensemble=False, cv=folds)
        calibrated.fit(X, y)
        pair = calibrated.calibrated_classifiers_[0]
        fitted = pair.estimator
        slope, shift = -float(pair.calibrators[0].a_), -float(pair.calibrators[0].b_)
        if slope <= 0:
            raise FitError(
                "the model's out-of-fold scores run the wrong way (calibration slope "
                f"{slope:+.3f}): the outcomes contradict it, so it is not served"
            )
        calibration = f"sigmoid on {len(folds)}-fold out-of-fold scores: slope {slope:.3f}, shift {shift:+.3f}"
    else:
        fitted = estimator.fit(X, y, groups=groups)
        slope, shift = 1.0, 0.0
        calibration = (
            f"skipped: {counts.min()} outcomes of the rarer class is too few to calibrate "
            f"(needs {config.min_calibration_per_class}); the prior's scale is kept"
        )
        notes.append(calibration)
    coef = slope * fitted.coef_.ravel()
    intercept = slope * float(fitted.intercept_[0]) + shift
    info = {
        "n_outcomes": int(len(y)),
        "n_offers": int(counts[1]),
        "n_no_offers": int(counts[0]),
        "prior_strength": float(fitted.alpha_),
        "calibration_slope": slope,
        "calibration_shift": shift,
        "calibration": calibration,
        "interval_inflation": config.interval_inflation,
        "config": asdict(config),
        "notes": notes,
        "raw_coef": fitted.coef_.ravel().tolist(),
        "raw_intercept": float(fitted.intercept_[0]),
    }
    return LinearScorer(
        kind="model",
        version=version,
        intercept=intercept,
        coef=coef,
        covariance=slope**2 * fitted.covariance_,
        info=info,
    )


def fit(labelled, *, config: FitConfig | None = None) -> LinearScorer:
    """Learn a scorer from labelled interviews; nothing is written to disk.

    Parameters
    ----------
    labelled : pandas.DataFrame, path, or list of dict
        Interviews with an ``outcome`` column (``offer`` / ``no_offer``; ``withdrawn``,
        ``pending`` and empty outcomes are not trained on). ``application_id``, when present,
        keeps the rounds of one application in one cross-validation fold.
    config : FitConfig, optional

    Returns
    -------
    LinearScorer
        ``kind == "model"``; use it as ``model=`` in :func:`offerodds.score` and
        :func:`offerodds.explain`. Its ``info`` says how it was fitted.

    Raises
    ------
    FitError
        Too few outcomes, or outcomes that contradict the signals.
    ValueError
        Invalid rows (their problems are named).

    Examples
    --------
    >>> import offerodds
    >>> from offerodds.synthetic import generate
    >>> model = offerodds.fit(generate(500, seed=3))
    >>> model.kind
    'model'
    """
    from offerodds.training_data import read_labelled

    data = read_labelled(labelled)
    if len(data.problems):
        first = data.problems.iloc[0]
        raise ValueError(
            f"{len(data.problems)} problem(s) in the labelled data; first: row {first.row}, "
            f"{first.column} = {first.value!r}: {first.reason}"
        )
    train = data.trainable()
    return fit_arrays(train.typed, train.y, train.groups, config or FitConfig())
