"""Learning from outcomes: the card-prior posterior and the fit that serves it, folds, Platt
calibration and the recalibrated card, the promotion gate's steps and the retrain settings;
``PriorLogisticRegression``, a stand-alone scikit-learn estimator. No I/O and no MLflow here.

Modules: ``card_prior``, ``fit``, ``folds``, ``calibration``, ``gate``, ``config``,
``prior_logistic``.
"""

__all__ = ["calibration", "card_prior", "config", "fit", "folds", "gate", "prior_logistic"]
