"""Learning from outcomes: the prior logistic regression, folds, fitting with calibration, the
promotion gate's steps and the retrain settings. No I/O and no MLflow here.

Modules: ``prior_logistic``, ``folds``, ``fit``, ``gate``, ``config``.
"""

__all__ = ["config", "fit", "folds", "gate", "prior_logistic"]
