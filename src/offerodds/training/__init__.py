"""Learning from outcomes: the card-prior posterior and the fit that serves it, folds, Platt
calibration and the recalibrated card, the promotion gate's steps;
``PriorLogisticRegression``, a stand-alone scikit-learn estimator. No I/O and no MLflow here.
The settings are :mod:`offerodds.config`.

Modules: ``card_prior``, ``fit``, ``folds``, ``calibration``, ``gate``, ``prior_logistic``.
"""

__all__ = ["calibration", "card_prior", "fit", "folds", "gate", "prior_logistic"]
