"""Binary logistic regression with an L2 penalty centred on prior weights.

The penalty ``(alpha / 2) * ||w - prior_coef||^2`` shrinks the coefficients
towards a given prior (for example weights from an expert rule card) instead
of towards zero. The strength ``alpha`` can be fixed, chosen from a grid by the
Laplace-approximated model evidence or by cross-validation, or averaged over
the grid with the evidence as weights (Bayesian model averaging, which carries
the uncertainty about ``alpha`` into the posterior covariance).

A scikit-learn estimator for pipelines of your own. Its Newton step, Laplace covariance and
evidence are those of ``training/card_prior.py`` (one home for the evidence maths); what it adds
is the scikit-learn contract (``check_estimator``), sample weights and the CV selections.
``offerodds.fit`` does not use it: a penalty towards the card's weights cannot reach what the
card's free level and overall strength reach where the article is wrong about them.
"""

from __future__ import annotations

import numbers
import warnings

import numpy as np
from scipy.linalg import cho_solve
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import check_cv
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import _check_sample_weight, check_is_fitted, validate_data

from offerodds.scoring.scorer import quadratic_form
from offerodds.training.card_prior import log_evidence, newton
from offerodds.training.folds import splits

__all__ = ["PriorLogisticRegression"]

_SELECTIONS = ("evidence", "evidence_average", "cv", "cv_min")
_NEGLIGIBLE_WEIGHT = 1e-8
_INTERCEPT_RIDGE = 1e-8


def _add_intercept(X):
    return np.hstack([X, np.ones((X.shape[0], 1))])


def _precision(n: int, alpha: float) -> np.ndarray:
    """The prior precision of (weights, intercept): ``alpha`` on every weight, a tiny ridge on
    the (flat-prior) intercept."""
    precision = np.full(n, float(alpha))
    precision[-1] = _INTERCEPT_RIDGE
    return precision


def _free(n: int) -> np.ndarray:
    free = np.zeros(n, dtype=bool)
    free[-1] = True  # the intercept's prior is flat
    return free


def _laplace(X1, y, sw, alpha, centre, theta0, max_iter, tol):
    """The Laplace posterior under ``alpha``, by the package's one Newton step
    (:func:`offerodds.training.card_prior.newton`): (theta, iterations, Cholesky factor of the
    Hessian, the negative log posterior)."""
    precision = _precision(X1.shape[1], alpha)
    scale = max(float(sw.sum()), 1e-12)
    theta, factor, value, n_iter = newton(
        X1, y, 0.0, centre, precision, theta0, tol=tol * scale, max_iter=max_iter, weights=sw
    )
    if n_iter >= max_iter:
        warnings.warn(
            f"the optimiser did not converge in max_iter={max_iter} iterations "
            f"(alpha={alpha:g}); increase max_iter.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return theta, max(n_iter, 1), factor, value


def _fit_one(X1, y, sw, alpha, centre, theta0, max_iter, tol):
    """The posterior mode under ``alpha``: (theta, iterations)."""
    return _laplace(X1, y, sw, alpha, centre, theta0, max_iter, tol)[:2]


def _covariance(factor):
    """The Laplace covariance: the inverse Hessian from its Cholesky factor, symmetrised."""
    cov = cho_solve(factor, np.eye(factor[0].shape[0]), check_finite=False)
    return 0.5 * (cov + cov.T)


def _log_evidence(factor, value, alpha, n):
    """Laplace log marginal likelihood under w ~ N(centre, I / alpha), flat intercept
    (:func:`offerodds.training.card_prior.log_evidence`)."""
    return log_evidence(factor, value, _precision(n, alpha), free=_free(n))


class PriorLogisticRegression(ClassifierMixin, BaseEstimator):
    """Binary logistic regression whose L2 penalty pulls the weights towards a prior.

    Minimises ``sum_i sw_i * logloss(y_i, X_i w + b) + (alpha / 2) * ||w - prior_coef||^2``
    with the package's damped Newton step (the one the learned model uses,
    :mod:`offerodds.training.card_prior`); the intercept ``b`` is unpenalised and started at
    ``prior_intercept``. With ``prior_coef=None`` this is ordinary ridge
    logistic regression (sklearn's ``LogisticRegression(C=1 / alpha)``).

    Parameters
    ----------
    prior_coef : array-like of shape (n_features,), default=None
        Weights the penalty shrinks towards. ``None`` means zeros.
    prior_intercept : float, default=0.0
        Starting value of the (unpenalised) intercept.
    alpha : float or "auto", default="auto"
        Penalty strength (> 0). Large values keep the coefficients at the
        prior. ``"auto"`` selects it from ``alphas`` with ``selection``.
    alphas : array-like, default=None
        Grid searched when ``alpha="auto"``; ``None`` means
        ``np.logspace(-2, 4, 25)``.
    selection : {"evidence", "evidence_average", "cv", "cv_min"}, default="evidence"
        How ``alpha="auto"`` picks alpha. ``"evidence"`` maximises the Laplace
        approximation of the log marginal likelihood under the Gaussian prior
        ``N(prior_coef, I / alpha)``. ``"evidence_average"`` does not pick one:
        it averages the Laplace posteriors of every grid value, weighted by
        their evidence (a uniform prior over the log-spaced grid), so
        ``coef_``/``intercept_`` are the weighted mean of the per-alpha
        solutions and ``covariance_`` is the mixture's covariance
        (``E[cov] + Var[mean]``); ``alpha_`` is then the grid value of highest
        evidence and ``alpha_weights_`` holds the weights. ``"cv"`` takes the largest alpha whose
        cross-validated mean log-loss is within one standard error of the best
        (the choice closest to the prior). ``"cv_min"`` takes the CV minimum.
    cv : int, CV splitter or iterable of (train, test) splits, default=5
        Cross-validation for the CV selections. An int is the number of folds
        (``StratifiedKFold``, or ``StratifiedGroupKFold`` when ``groups`` is
        passed to ``fit``; shuffled with ``random_state=0``), reduced when a
        class or the number of groups is smaller, with a minimum of 2. A
        splitter or an iterable of index pairs is used as given.
    max_iter : int, default=500
        Maximum number of optimiser iterations per fit.
    tol : float, default=1e-8
        Tolerance of the Newton decrement (on the weight-averaged objective).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        Class labels; the decision function is the log-odds of ``classes_[1]``.
    coef_ : ndarray of shape (1, n_features)
        Fitted weights.
    intercept_ : ndarray of shape (1,)
        Fitted intercept.
    alpha_ : float
        Penalty strength used for the final fit (with ``"evidence_average"``:
        the grid value of highest evidence).
    n_iter_ : int
        Optimiser iterations of the final fit.
    alphas_ : ndarray of shape (n_alphas,)
        Sorted grid searched (only when ``alpha="auto"``).
    alpha_scores_ : ndarray of shape (n_alphas,)
        Criterion per grid value (only when ``alpha="auto"``): the log
        evidence (higher is better) for ``"evidence"`` and
        ``"evidence_average"``, the mean CV log-loss (lower is better) for
        ``"cv"`` and ``"cv_min"``.
    alpha_weights_ : ndarray of shape (n_alphas,)
        Posterior weight of each grid value (only with ``"evidence_average"``).
    covariance_ : ndarray of shape (n_features + 1, n_features + 1)
        Laplace posterior covariance of ``(w, b)``: the inverse Hessian of the
        penalised objective at the optimum (intercept last); with
        ``"evidence_average"``, the covariance of the evidence-weighted mixture
        of the per-alpha Laplace posteriors.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names seen during ``fit`` (only when X has string column names).

    Examples
    --------
    >>> import numpy as np
    >>> from offerodds.training.prior_logistic import PriorLogisticRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(200, 2))
    >>> y = (X @ [1.0, -1.0] + rng.logistic(size=200) > 0).astype(int)
    >>> clf = PriorLogisticRegression(prior_coef=[1.0, -1.0]).fit(X, y)
    >>> clf.coef_.shape, clf.predict_proba(X[:3]).shape
    ((1, 2), (3, 2))
    >>> bool(np.all(clf.decision_std(X[:3]) > 0))
    True
    """

    def __init__(
        self,
        prior_coef=None,
        prior_intercept=0.0,
        alpha="auto",
        alphas=None,
        selection="evidence",
        cv=5,
        max_iter=500,
        tol=1e-8,
    ):
        self.prior_coef = prior_coef
        self.prior_intercept = prior_intercept
        self.alpha = alpha
        self.alphas = alphas
        self.selection = selection
        self.cv = cv
        self.max_iter = max_iter
        self.tol = tol

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    # ------------------------------------------------------------------ helpers
    def _check_params(self, n_features):
        auto = isinstance(self.alpha, str) and self.alpha == "auto"
        if not auto and not (
            isinstance(self.alpha, numbers.Real) and not isinstance(self.alpha, bool) and self.alpha > 0
        ):
            raise ValueError(f"alpha must be a float > 0 or 'auto'; got {self.alpha!r}.")
        if self.selection not in _SELECTIONS:
            raise ValueError(f"selection must be one of {_SELECTIONS}; got {self.selection!r}.")
        if not isinstance(self.max_iter, numbers.Integral) or self.max_iter < 1:
            raise ValueError(f"max_iter must be a positive integer; got {self.max_iter!r}.")
        if not isinstance(self.tol, numbers.Real) or self.tol <= 0:
            raise ValueError(f"tol must be a float > 0; got {self.tol!r}.")
        if self.prior_coef is None:
            w0 = np.zeros(n_features)
        else:
            w0 = np.asarray(self.prior_coef, dtype=float).ravel()
            if w0.shape[0] != n_features:
                raise ValueError(
                    f"prior_coef has length {w0.shape[0]} but X has {n_features} features; "
                    "they must match."
                )
            if not np.all(np.isfinite(w0)):
                raise ValueError("prior_coef must be finite.")
        b0 = float(self.prior_intercept)
        if not np.isfinite(b0):
            raise ValueError("prior_intercept must be finite.")
        alphas = None
        if auto:
            grid = np.logspace(-2, 4, 25) if self.alphas is None else self.alphas
            alphas = np.sort(np.asarray(grid, dtype=float).ravel())
            if alphas.size == 0 or not np.all(np.isfinite(alphas)) or np.any(alphas <= 0):
                raise ValueError("alphas must be a non-empty grid of finite values > 0.")
        return auto, alphas, np.append(w0, b0)

    def _cv_splits(self, X, y, groups):
        if not isinstance(self.cv, numbers.Integral):
            # a CV splitter or an iterable of (train, test) index arrays
            return list(check_cv(self.cv, y, classifier=True).split(X, y, groups))
        if isinstance(self.cv, bool) or self.cv < 2:
            raise ValueError(
                f"cv must be an integer >= 2, a CV splitter or an iterable of splits; got {self.cv!r}."
            )
        if groups is not None and np.unique(groups).size < 2:
            raise ValueError("groups must contain at least 2 distinct groups for cross-validation.")
        counts = np.bincount(y.astype(int), minlength=2)
        return splits(y, groups, max(min(self.cv, int(counts.min())), 2), random_state=0)

    def _cv_scores(self, X1, y, sw, alphas, centre, groups):
        folds = self._cv_splits(X1, y, groups)
        losses = np.empty((len(alphas), len(folds)))
        for k, (tr, te) in enumerate(folds):
            theta = centre.copy()
            for j, a in enumerate(alphas[::-1]):  # strong -> weak, warm started
                theta, _ = _fit_one(X1[tr], y[tr], sw[tr], a, centre, theta, self.max_iter, self.tol)
                z = X1[te] @ theta
                fold_loss = np.logaddexp(0.0, z) - y[te] * z
                w = sw[te] if sw[te].sum() > 0 else None
                losses[len(alphas) - 1 - j, k] = np.average(fold_loss, weights=w)
        mean = losses.mean(axis=1)
        se = losses.std(axis=1, ddof=1) / np.sqrt(losses.shape[1])
        best = int(np.argmin(mean))
        if self.selection == "cv_min":
            return mean, float(alphas[best])
        within = mean <= mean[best] + se[best]
        return mean, float(alphas[within].max())

    # ---------------------------------------------------------------------- fit
    def fit(self, X, y, sample_weight=None, groups=None):
        """Fit the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Binary target (any two labels).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative sample weights; weight 2 equals duplicating a row.
        groups : array-like of shape (n_samples,), default=None
            Group labels for the CV selections; no group is split across folds.

        Returns
        -------
        self : PriorLogisticRegression
            The fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64)
        check_classification_targets(y)
        if np.unique(y).size > 2:
            y_type = type_of_target(y, input_name="y")
            raise ValueError(
                "PriorLogisticRegression is binary: Only binary classification is supported. "
                f"The type of the target is {y_type}."
            )
        sw = _check_sample_weight(sample_weight, X, dtype=np.float64, ensure_non_negative=True)
        self.classes_, y_enc = np.unique(y, return_inverse=True)
        present = np.unique(y_enc[sw > 0])
        if self.classes_.size < 2 or present.size < 2:
            raise ValueError(
                "PriorLogisticRegression needs samples of 2 classes (with positive weight); "
                "got 1 class."
            )
        y01 = y_enc.astype(np.float64)
        if groups is not None:
            groups = np.asarray(groups).ravel()
            if groups.shape[0] != X.shape[0]:
                raise ValueError(f"groups has {groups.shape[0]} entries but X has {X.shape[0]} rows.")

        auto, alphas, centre = self._check_params(X.shape[1])
        self.__dict__.pop("alpha_weights_", None)  # from an earlier fit
        X1 = _add_intercept(X)
        if auto:
            if self.selection in ("evidence", "evidence_average"):
                scores, theta = np.empty(alphas.size), centre.copy()
                thetas, iters = np.empty((alphas.size, X1.shape[1])), np.empty(alphas.size, int)
                factors = [None] * alphas.size
                for j in range(alphas.size - 1, -1, -1):  # strong -> weak, warm started
                    theta, iters[j], factors[j], value = _laplace(
                        X1, y01, sw, alphas[j], centre, theta, self.max_iter, self.tol
                    )
                    thetas[j] = theta
                    scores[j] = _log_evidence(factors[j], value, alphas[j], X1.shape[1])
                best = int(np.argmax(scores))
                alpha = float(alphas[best])
            else:
                scores, alpha = self._cv_scores(X1, y01, sw, alphas, centre, groups)
            self.alphas_, self.alpha_scores_ = alphas, scores
        else:
            alpha = float(self.alpha)

        if auto and self.selection == "evidence_average":
            weights = np.exp(scores - scores.max())
            weights /= weights.sum()
            self.alpha_weights_ = weights
            used = np.flatnonzero(weights > _NEGLIGIBLE_WEIGHT)
            w = weights[used] / weights[used].sum()
            mean = w @ thetas[used]
            cov = np.zeros((X1.shape[1], X1.shape[1]))
            for wk, k in zip(w, used):
                dev = thetas[k] - mean
                cov += wk * (_covariance(factors[k]) + np.outer(dev, dev))
            self.alpha_, self.n_iter_ = alpha, int(iters[best])
            self.coef_ = mean[:-1].reshape(1, -1)
            self.intercept_ = mean[-1:].copy()
            self.covariance_ = 0.5 * (cov + cov.T)
            return self

        theta, self.n_iter_, factor, _ = _laplace(X1, y01, sw, alpha, centre, centre.copy(), self.max_iter, self.tol)
        self.alpha_ = alpha
        self.coef_ = theta[:-1].reshape(1, -1)
        self.intercept_ = theta[-1:].copy()
        self.covariance_ = _covariance(factor)
        return self

    # ------------------------------------------------------------------ predict
    def decision_function(self, X):
        """Log-odds of ``classes_[1]``, shape (n_samples,)."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_[0] + self.intercept_[0]

    def decision_std(self, X):
        """Laplace posterior standard deviation of the decision function per row."""
        check_is_fitted(self)
        X1 = _add_intercept(validate_data(self, X, reset=False, dtype=np.float64))
        var = quadratic_form(X1, self.covariance_)
        return np.sqrt(np.clip(var, 0.0, None))

    def predict_proba(self, X):
        """Class probabilities, shape (n_samples, 2), columns ordered as ``classes_``."""
        z = self.decision_function(X)
        return np.column_stack([expit(-z), expit(z)])

    def predict(self, X):
        """Predicted class labels."""
        z = self.decision_function(X)
        return self.classes_[(z > 0).astype(int)]
