"""The scorer both the rule card and the learned model are: a linear model on the log-odds.

``log_odds = baseline + sum of per-signal contributions``, exactly: a scorer holds one weight per
feature of :class:`~offerodds.features.SignalFeatures` and an intercept; the features a signal
owns, times their weights, are its contribution. ``stage`` owns features too, but they move the
baseline (the log-odds of an interview where nothing was recorded, for its stage).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.special import expit, ndtri

from offerodds.catalogue import CONTEXT_SIGNALS, catalogue, contribution_signals
from offerodds.features import SignalFeatures, _base_features, _column, _encode

INTERVAL_LEVEL = 0.90


@dataclass
class Decomposition:
    """Per-row pieces of a prediction; ``contributions`` has one column per signal."""

    baseline: np.ndarray
    contributions: np.ndarray
    signals: list[str]
    log_odds: np.ndarray
    low: np.ndarray
    high: np.ndarray

    @property
    def probability(self) -> np.ndarray:
        return expit(self.log_odds)


@dataclass(eq=False)
class LinearScorer:
    """A linear log-odds scorer over the signal features.

    Parameters
    ----------
    kind : {"rules", "model"}
        Written to the ``scorer`` output column.
    version : str
        Written to ``model_version`` (``rules-1``, ``v3``, ...).
    intercept : float
        Log-odds of an interview where nothing was recorded and no stage is known.
    coef : ndarray of shape (n_features,)
        One weight per feature of ``SignalFeatures`` (log-odds per unit).
    covariance : ndarray of shape (n_features + 1, n_features + 1) or None
        Posterior covariance of ``(coef, intercept)`` on the served log-odds scale; gives the
        90 % interval. None (the rule card) leaves the interval empty.
    info : dict
        What a person may want to know about the scorer (fit details, notes).
    """

    kind: str
    version: str
    intercept: float
    coef: np.ndarray
    covariance: np.ndarray | None = None
    info: dict = field(default_factory=dict)

    def __post_init__(self):
        self.features = SignalFeatures().fit(pd.DataFrame(columns=["engagement"]))
        self.coef = np.asarray(self.coef, dtype=float)
        n = len(self.features.get_feature_names_out())
        if self.coef.shape != (n,):
            raise ValueError(f"a scorer needs {n} feature weights, got shape {self.coef.shape}")
        self._signals = contribution_signals()
        self._plan = self._contribution_plan()

    def _contribution_plan(self):
        """Per signal, the positions of its features, to weigh them without building ``X``.

        Each entry is ``(signal, j, base, by_context)``: ``j`` is the signal's contribution
        column (None for ``stage``), ``base`` the positions of its base features and
        ``by_context`` those of its interaction with each context.
        """
        names = list(self.features.get_feature_names_out())
        position = {name: i for i, name in enumerate(names)}
        owner = self.features.feature_owner_
        column = {s: j for j, s in enumerate(self._signals)}
        plan = []
        for signal in catalogue():
            base_names = _base_features(signal)
            base = [position[f] for f in base_names]
            by_context = []
            if signal.context_sensitive:
                for context in CONTEXT_SIGNALS:
                    by_context.append((context, [position[f"{f}*{context}"] for f in base_names]))
            owned = sorted(base + [i for _, ids in by_context for i in ids])
            if owned != np.flatnonzero(owner == signal.name).tolist():
                raise RuntimeError(f"the feature layout of {signal.name!r} is not the one scorers weigh")
            plan.append((signal, column.get(signal.name), base, by_context))
        return plan

    def feature_weights(self) -> pd.Series:
        """The weight of each feature, indexed by feature name."""
        return pd.Series(self.coef, index=self.features.get_feature_names_out(), name="weight")

    def decompose(self, typed: pd.DataFrame) -> Decomposition:
        """Baseline, per-signal contributions, log-odds and interval of each row.

        Parameters
        ----------
        typed : pandas.DataFrame
            The validated signal frame (``offerodds.validation.validate(...).typed``).
        """
        baseline, contributions = self._weigh(typed)
        log_odds = baseline + contributions.sum(axis=1)
        low = high = np.full(len(typed), np.nan)
        if self.covariance is not None:
            X = self.features.transform(typed)
            X1 = np.hstack([X, np.ones((len(X), 1))])
            if len(X1) == 1:  # a product with one row is a matrix-vector product in BLAS,
                X1 = np.vstack([X1, X1])  # which sums in another order: keep every row's bits
            # the quadratic form x' C x of each row: one matrix product, then a sum along each
            # row (both independent of how many rows there are)
            quadratic = (X1 @ self.covariance * X1).sum(axis=1)[: len(X)]
            sd = np.sqrt(quadratic.clip(min=0.0))
            z = ndtri(0.5 + INTERVAL_LEVEL / 2) * self.info.get("interval_inflation", 1.0)
            low, high = expit(log_odds - z * sd), expit(log_odds + z * sd)
        return Decomposition(baseline, contributions, self._signals, log_odds, low, high)

    def _weigh(self, typed: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Baseline and contributions, signal by signal, with the same arithmetic as weighing
        ``SignalFeatures().transform(typed)``: each feature times its weight, summed in feature
        order, but without building the (rows x features) matrix.
        """
        self.features._check_frame(typed)
        n = len(typed)
        coef = self.coef
        contributions = np.zeros((n, len(self._signals)))
        baseline = None
        context = {c: _column(typed, c) == 1.0 for c in CONTEXT_SIGNALS}
        for signal, j, base, by_context in self._plan:
            encoded = _encode(signal, typed)
            if j is None:  # stage: moves the baseline
                baseline = self.intercept + (encoded * coef[base]).sum(axis=1)
                continue
            total = np.zeros(n)
            for k, f in enumerate(base):
                total += encoded[:, k] * coef[f]
            for c, ids in by_context:
                for k, f in enumerate(ids):
                    total += (encoded[:, k] * context[c]) * coef[f]
            contributions[:, j] = total
        if baseline is None:
            baseline = np.full(n, self.intercept) + 0.0
        return baseline, contributions

    def predict_proba(self, frame) -> np.ndarray:
        """Probability of (no offer, offer) for each interview of ``frame``.

        ``frame`` is anything :func:`offerodds.score` reads; an invalid row is an error here.
        """
        from offerodds.scoring import score

        scored = score(frame, model=self)
        bad = scored["error"] != ""
        if bad.any():
            first = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValueError(
                f"{int(bad.sum())} interview(s) are invalid; row {first + 1}: "
                f"{scored['error'].iloc[first]}"
            )
        p = scored["offer_probability"].to_numpy(dtype=float)
        return np.column_stack([1.0 - p, p])

    def __repr__(self) -> str:
        return f"<offerodds {self.kind} scorer {self.version}>"
