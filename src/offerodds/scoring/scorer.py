"""The scorer both the rule card and the learned model are: a linear model on the log-odds.

``log_odds = baseline + sum of per-signal contributions``, exactly: a scorer holds one weight per
feature of :class:`~offerodds.signals.features.SignalFeatures` and an intercept; the features a signal
owns, times their weights, are its contribution. ``stage`` owns features too, but they move the
baseline (the log-odds of an interview where nothing was recorded, for its stage).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from statistics import NormalDist

import numpy as np
import pandas as pd

from offerodds.errors import InputError
from offerodds.signals.catalogue import CONTEXT_SIGNALS, catalogue, contribution_signals
from offerodds.signals.encoding import (
    base_features,
    check_signal_frame,
    context_masks,
    encode,
    encode_signal,
    feature_layout,
)
from offerodds.signals.headers import match_columns
from offerodds.signals.terms import encode_terms, parse_term
from offerodds.signals.validation import reasons_by_row, validate

__all__ = ["Decomposition", "FitSummary", "INTERVAL_LEVEL", "LinearScorer", "expit", "quadratic_form"]

INTERVAL_LEVEL = 0.90
_Z = NormalDist().inv_cdf(0.5 + INTERVAL_LEVEL / 2)  # 1.645: the 90 % interval's half-width in sd


def expit(x):
    """The logistic function ``1 / (1 + exp(-x))``, without overflow at either end.

    numpy only: scoring does not load SciPy (its import costs a tenth of a second or more).
    """
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def quadratic_form(X1: np.ndarray, covariance: np.ndarray) -> np.ndarray:
    """``x' C x`` of each row of ``X1``, summed row by row in one fixed order.

    ``einsum`` without ``optimize`` loops over the rows and sums each in the order of its
    indices, whatever the number of rows; a BLAS matrix product picks its summation order by
    shape and CPU, so a row's bits would depend on its chunk. Two steps (``x' C``, then its
    product with ``x``) keep that and take 2.5 times less time than one three-operand
    ``einsum``, which recomputes ``x' C`` inside its loop; the rows are made C-contiguous, the
    layout whose loop order ``einsum`` keeps for any number of rows.
    """
    X1 = np.ascontiguousarray(X1, dtype=float)
    return np.einsum("ij,ij->i", np.einsum("ij,jk->ik", X1, covariance, optimize=False), X1, optimize=False)


@dataclass
class FitSummary:
    """How a learned scorer was fitted: what a person (and the model store) may want to know."""

    n_outcomes: int = 0
    n_offers: int = 0
    n_no_offers: int = 0
    prior_strength: float = float("nan")
    calibration_slope: float = 1.0
    calibration_shift: float = 0.0
    calibration: str = ""
    level_shift: float = 0.0
    card_scale: float = 1.0  # the learned model's multiple of the card's overall strength
    check_slope: float = float("nan")  # Platt's slope on leave-one-out scores (NaN: not checked)
    config: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    raw_coef: list = field(default_factory=list)
    raw_intercept: float = 0.0
    trained_through: str = ""
    n_store_rows: int = 0
    terms: list = field(default_factory=list)  # extra terms learned (signals.terms), with their screening
    pair_strength: float = float("nan")  # the pairs' prior precision (evidence-weighted; NaN: none)
    shape_strength: float = float("nan")  # the length shape's prior precision (evidence-weighted)
    misfit_sd: float = 0.0  # sd of what the model's form missed on outcomes it did not learn from (log-odds)
    holdout_check: list = field(default_factory=list)  # [rows, mean predicted, observed offer rate] per bin
    #: ``signal=state`` whose effect the outcomes alone (the card's relative weights barely
    #: trusted) are less than 90 % sure of the sign of: never reasons.
    unsure_states: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "FitSummary":
        """From a stored dict; keys it does not know are ignored (older or newer stores)."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in dict(data).items() if k in known})


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
    interval_inflation : float
        Multiplies the z of the 90 % interval (1: the posterior's own width).
    fit_summary : FitSummary or None
        How a learned scorer was fitted; None for the rule card.
    source : str
        Where the scorer came from (the rule card's file, a model folder).
    serving_reason : str
        Why it serves, when :func:`offerodds.load_model` chose it.
    terms : tuple of str
        Extra terms beyond the card's features (:mod:`offerodds.signals.terms`: informative
        blanks, the length shape, pairs), each owned by its signal(s).
    term_coef : ndarray of shape (len(terms),) or None
        Their weights; the covariance then covers ``(coef, term_coef, intercept)``.
    misfit_variance : float
        Variance (log-odds**2) of what the model's form cannot represent, measured on outcomes
        it did not learn from; added to the weights' own in the 90 % interval.
    """

    kind: str
    version: str
    intercept: float
    coef: np.ndarray
    covariance: np.ndarray | None = None
    interval_inflation: float = 1.0
    fit_summary: FitSummary | None = None
    source: str = ""
    serving_reason: str = ""
    terms: tuple = ()
    term_coef: np.ndarray | None = None
    misfit_variance: float = 0.0

    def __post_init__(self):
        self.coef = np.asarray(self.coef, dtype=float)
        names, owners = feature_layout()
        self.feature_names = names
        self.feature_owner = np.asarray(owners, dtype=object)
        if self.coef.shape != (len(names),):
            raise InputError(f"a scorer needs {len(names)} feature weights, got shape {self.coef.shape}")
        self.terms = tuple(str(t) for t in self.terms)
        self._terms = [parse_term(t) for t in self.terms]  # ValueError for an unknown term
        if len(set(self.terms)) != len(self.terms):
            raise InputError("a scorer's terms must not repeat")
        self.term_coef = np.zeros(0) if self.term_coef is None else np.asarray(self.term_coef, dtype=float)
        if self.term_coef.shape != (len(self.terms),):
            raise InputError(f"a scorer needs {len(self.terms)} term weights, got shape {self.term_coef.shape}")
        if not np.all(np.isfinite(self.coef)) or not np.isfinite(self.intercept) or not np.all(np.isfinite(self.term_coef)):
            raise InputError("a scorer's weights and intercept must be finite numbers")
        self.misfit_variance = float(self.misfit_variance)
        if not (np.isfinite(self.misfit_variance) and self.misfit_variance >= 0.0):
            raise InputError("a scorer's misfit variance must be a finite number >= 0")
        if self.covariance is not None:
            self.covariance = np.asarray(self.covariance, dtype=float)
            side = len(names) + len(self.terms) + 1
            if self.covariance.shape != (side, side) or not np.all(np.isfinite(self.covariance)):
                raise InputError(f"a scorer's covariance must be a finite {side} x {side} matrix")
        self._signals = contribution_signals()
        self._plan = self._contribution_plan()

    def _contribution_plan(self):
        """Per signal, the positions of its features, to weigh them without building ``X``.

        Each entry is ``(signal, j, base, by_context)``: ``j`` is the signal's contribution
        column (None for ``stage``), ``base`` the positions of its base features and
        ``by_context`` those of its interaction with each context.
        """
        position = {name: i for i, name in enumerate(self.feature_names)}
        owner = self.feature_owner
        column = {s: j for j, s in enumerate(self._signals)}
        plan = []
        for signal in catalogue():
            base_names = base_features(signal)
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

    @property
    def title(self) -> str:
        """The scorer in words, with its version: ``the rule card rules-1`` or ``model v3``."""
        return f"{'the rule card' if self.kind == 'rules' else 'model'} {self.version}"

    def feature_weights(self) -> pd.Series:
        """The weight of each feature of the card's layout, indexed by feature name."""
        return pd.Series(self.coef, index=self.feature_names, name="weight")

    def term_weights(self) -> pd.Series:
        """The weight of each extra term (:mod:`offerodds.signals.terms`), indexed by its name."""
        return pd.Series(self.term_coef, index=list(self.terms), name="weight", dtype=float)

    def design(self, typed: pd.DataFrame) -> np.ndarray:
        """Every row's features, extra terms and a 1 for the intercept: the rows the
        covariance is laid over (shape (n, n_features + len(terms) + 1))."""
        X = encode(typed)
        return np.hstack([X, encode_terms(typed, self.terms), np.ones((len(X), 1))])

    def term_effects(self, typed: pd.DataFrame) -> pd.DataFrame:
        """Each row's log-odds from each extra term (0 where a signal it needs is empty).

        A pair's effect is shared half and half by its two signals' contributions, a stage
        pair's and a blank's belong to their signal: what moved a signal beyond its own
        answer, for explanations to name."""
        return pd.DataFrame(encode_terms(typed, self.terms) * self.term_coef, columns=list(self.terms), index=typed.index)

    def decompose(self, typed: pd.DataFrame) -> Decomposition:
        """Baseline, per-signal contributions, log-odds and interval of each row.

        Parameters
        ----------
        typed : pandas.DataFrame
            The validated signal frame (``offerodds.signals.validation.validate(...).typed``).
        """
        baseline, contributions = self._weigh(typed)
        log_odds = baseline + contributions.sum(axis=1)
        low = high = np.full(len(typed), np.nan)
        if self.covariance is not None:
            sd = np.sqrt(quadratic_form(self.design(typed), self.covariance).clip(min=0.0) + self.misfit_variance)
            z = _Z * self.interval_inflation
            low, high = expit(log_odds - z * sd), expit(log_odds + z * sd)
        return Decomposition(baseline, contributions, self._signals, log_odds, low, high)

    def _weigh(self, typed: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Baseline and contributions, signal by signal, with the same arithmetic as weighing
        ``SignalFeatures().transform(typed)``: each feature times its weight, summed in feature
        order, but without building the (rows x features) matrix.
        """
        check_signal_frame(typed)
        n = len(typed)
        coef = self.coef
        contributions = np.zeros((n, len(self._signals)))
        baseline = None
        context = context_masks(typed)
        for signal, j, base, by_context in self._plan:
            encoded = encode_signal(signal, typed)
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
        if self.terms:  # extra terms, one by one in their order: a pair's half to each signal
            column = {s: j for j, s in enumerate(self._signals)}
            E = encode_terms(typed, self.terms)
            for k, term in enumerate(self._terms):
                if len(term.owners) == 1:
                    contributions[:, column[term.owners[0]]] += E[:, k] * self.term_coef[k]
                else:
                    half = E[:, k] * (0.5 * self.term_coef[k])
                    for owner in term.owners:
                        contributions[:, column[owner]] += half
        if baseline is None:
            baseline = np.full(n, self.intercept) + 0.0
        return baseline, contributions

    def predict_proba(self, frame) -> np.ndarray:
        """Probability of (no offer, offer) for each interview of ``frame``.

        ``frame`` is a DataFrame of interviews (headers matched as :func:`offerodds.score`
        matches them), one dict or a list of dicts; an invalid row is an error here.
        """
        if isinstance(frame, dict):
            frame = pd.DataFrame([frame])
        elif not isinstance(frame, pd.DataFrame):
            frame = pd.DataFrame(list(frame))
        raw = frame.set_axis([str(c) for c in frame.columns], axis=1).reset_index(drop=True)
        checked = validate(raw, match_columns(list(raw.columns)))
        if not checked.valid.all():
            errors = reasons_by_row(checked.problems, len(raw))
            first = int(np.flatnonzero(~checked.valid)[0])
            raise InputError(
                f"{int((~checked.valid).sum())} interview(s) are invalid; row {first + 1}: {errors[first]}"
            )
        p = self.decompose(checked.typed).probability
        return np.column_stack([1.0 - p, p])

    def __repr__(self) -> str:
        return f"<offerodds {self.kind} scorer {self.version}>"
