"""Where a learned scorer reads a signal the other way round from the article (the rule card).

Each signal's reading is one contrast of its features, with no context: a scale's weight per
step, a yes/no signal's "yes" against its "no", an interview cut short or run over. The rule
card gives each reading a direction; a learned scorer's posterior gives its estimate and how
sure it is, so the retrain report and the explanations can say where the outcomes disagree with
the article, and with what evidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from statistics import NormalDist

import numpy as np

from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.catalogue import by_name, catalogue
from offerodds.signals.encoding import encode, feature_layout

__all__ = [
    "FAMILY_LEVEL",
    "SURE",
    "Reading",
    "contribution_sd",
    "describe",
    "disagreements",
    "keep_article_order",
    "readings",
    "uncertain_cells",
    "unsure_cells",
    "unsure_states",
    "weak_states",
]


@dataclass(frozen=True)
class Reading:
    """One reading of a signal: the card's effect, the learned one and the evidence for it."""

    signal: str
    reading: str  # what the contrast compares, in words
    card_effect: float  # log-odds, per the contrast
    learned_effect: float
    sd: float  # posterior standard deviation of the learned effect (nan without a posterior)

    @property
    def against_the_article(self) -> bool:
        return self.card_effect != 0 and np.sign(self.learned_effect) == -np.sign(self.card_effect)

    @property
    def probability_reversed(self) -> float:
        """The posterior probability that the effect runs against the article's direction."""
        if not np.isfinite(self.sd) or self.sd <= 0 or self.card_effect == 0:
            return float("nan")
        z = self.learned_effect / self.sd
        return _normal_cdf(-z if self.card_effect > 0 else z)


def _normal_cdf(x: float) -> float:
    """The standard normal CDF, from ``math.erfc`` (accurate in both tails): scoring loads
    no SciPy."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _contrasts() -> list[tuple[str, str, dict[str, float]]]:
    """(signal, reading in words, {feature: coefficient}) for every signal but stage."""
    out = []
    for signal in catalogue():
        if signal.kind == "scale":
            out.append((signal.name, "one step up the 1-5 scale", {signal.name: 0.5}))
        elif signal.kind == "yesno":
            out.append((signal.name, "yes rather than no", {f"{signal.name}=yes": 1.0, f"{signal.name}=no": -1.0}))
        elif signal.kind == "minutes":
            out.append((signal.name, "the full time rather than cut by half", {f"{signal.name}:short": 0.5}))
            out.append((signal.name, "running half as long again", {f"{signal.name}:over": 0.5}))
    return out


def readings(scorer: LinearScorer, card: LinearScorer) -> list[Reading]:
    """Every signal's readings under ``card`` and ``scorer`` (the latter with its evidence)."""
    found = []
    for signal, words, contrast in _contrasts():
        a = _vector(contrast)
        found.append(Reading(signal, words, float(a @ card.coef), float(a @ scorer.coef), _sd(scorer, a)))
    return found


def _vector(contrast: dict[str, float]) -> np.ndarray:
    """A contrast's coefficients laid out over the scorer's features."""
    names, _ = feature_layout()
    a = np.zeros(len(names))
    for feature, c in contrast.items():
        a[names.index(feature)] = c
    return a


def _sd(scorer: LinearScorer, a: np.ndarray) -> float:
    """The posterior standard deviation of ``a @ coef`` (NaN without a posterior)."""
    if scorer.covariance is None:
        return float("nan")
    block = scorer.covariance[: len(a), : len(a)]  # the card's features come first
    return math.sqrt(max(float(a @ block @ a), 0.0))


def disagreements(scorer: LinearScorer, card: LinearScorer) -> list[Reading]:
    """The readings where ``scorer`` runs against the card, most certain first."""
    against = [r for r in readings(scorer, card) if r.against_the_article]
    return sorted(against, key=lambda r: -np.nan_to_num(r.probability_reversed, nan=0.0))


#: Below this posterior probability a reversal is said to be weak evidence, possibly noise.
SURE = 0.9


#: The length ratio a length state is read at: its typical cut or overrun.
_LENGTH_AT = {"short": 0.5, "nearly": 0.9, "full": 1.0, "over": 1.5}


def _state_contrasts() -> list[tuple[str, str, dict[str, float]]]:
    """(signal, state, {feature: coefficient}): what a state adds to the log-odds, up to its
    sign (a low rating adds minus what a high one adds)."""
    out = []
    for signal in catalogue():
        if signal.kind == "scale":
            out += [(signal.name, state, {signal.name: 1.0}) for state in ("high", "low")]
        elif signal.kind == "yesno":
            out += [(signal.name, state, {f"{signal.name}={state}": 1.0}) for state in ("yes", "no")]
        elif signal.kind == "minutes":
            for state, ratio in _LENGTH_AT.items():
                part = "short" if ratio < 1.0 else "over"
                out.append((signal.name, state, {f"{signal.name}:recorded": 1.0, f"{signal.name}:{part}": ratio - 1.0}))
    return out


def weak_states(scorer: LinearScorer) -> frozenset[tuple[str, str]]:
    """The (signal, state) pairs whose effect on this interview's odds the scorer is less than
    ``SURE`` sure of the sign of: where such a state counts against the article's reading, the
    words say the evidence is weak. Empty without a posterior (the rule card)."""
    if scorer.covariance is None:
        return frozenset()
    weak = set()
    for signal, state, contrast in _state_contrasts():
        a = _vector(contrast)
        effect, sd = float(a @ scorer.coef), _sd(scorer, a)
        if sd > 0 and _normal_cdf(abs(effect) / sd) < SURE:
            weak.add((signal, state))
    return frozenset(weak)


#: The level of a check across signals (Benjamini-Hochberg on each signal's best-supported
#: state), or None: each state checked on its own at ``SURE``. None by default: at 300
#: outcomes the outcomes alone are sure of almost no signal once the number of signals is
#: accounted for, so reasons would vanish (docs/reasons.md, "Signals that carry nothing").
FAMILY_LEVEL: float | None = None


def unsure_states(
    evidence: LinearScorer, served: LinearScorer, family_level: float | None = None
) -> frozenset[tuple[str, str]]:
    """The (signal, state) pairs whose effect ``served`` gives a sign that ``evidence`` (a
    posterior led by the outcomes) does not support: the served model may be sure of a sign
    only because the article says so, or the outcomes may point the other way.

    Two checks, both needed for a state to be eligible as a reason:

    - the state's own sign is at least ``SURE`` (90 %) sure under ``evidence``;
    - with a ``family_level`` (default the module's ``FAMILY_LEVEL``, read when called; None
      skips this check), its signal passes Benjamini-Hochberg across all signals checked: a
      signal's doubt is the chance its best-supported state has the served sign wrong, and
      the signals whose doubt ranks at or below the largest k with doubt <= level * k / m
      pass. A signal that fails makes every one of its states unsure.
    """
    if evidence.covariance is None:
        return frozenset()
    family_level = FAMILY_LEVEL if family_level is None else family_level
    out, doubt = set(), {}
    for signal, state, contrast in _state_contrasts():
        a = _vector(contrast)
        effect, sd = float(a @ evidence.coef), _sd(evidence, a)
        side = np.sign(float(a @ served.coef))
        if side == 0 or sd <= 0:
            continue
        wrong = 1.0 - _normal_cdf(side * effect / sd)
        doubt.setdefault(signal, []).append((state, wrong))
        if wrong > 1.0 - SURE:
            out.add((signal, state))
    # a middle rating moves the odds only by what the outcomes say of leaving the scale empty
    # (a learned blank): no direction of the article's, and not in ``evidence``: never a reason
    out.update((s.name, "middle") for s in catalogue() if s.kind == "scale" and s.name in doubt)
    if family_level is None:
        return frozenset(out)
    ranked = sorted(doubt, key=lambda s: (min(w for _, w in doubt[s]), s))
    m = len(ranked)
    passed = max((k + 1 for k, s in enumerate(ranked) if min(w for _, w in doubt[s]) <= family_level * (k + 1) / m),
                 default=0)
    for later in ranked[passed:]:
        out.update((later, state) for state, _ in doubt[later])
    return frozenset(out)


def describe(reading: Reading) -> str:
    """One line for a person: the signal, what the article says and what the outcomes say, with
    how sure the outcomes are (below ``SURE``, said to be weak evidence)."""
    question = by_name()[reading.signal].claim
    sure = reading.probability_reversed
    if not np.isfinite(sure):
        outcomes, evidence = "the other way", "no posterior to judge by"
    elif sure >= SURE:
        outcomes, evidence = "the other way", f"{sure:.0%} sure from the outcomes"
    else:
        outcomes, evidence = "lean the other way", f"only {sure:.0%} sure: weak evidence, it may be noise"
    return (
        f"{reading.signal} ({reading.reading}): the article reads it "
        f"{'for' if reading.card_effect > 0 else 'against'} an offer ({reading.card_effect:+.2f} log-odds), "
        f"your outcomes {outcomes} ({reading.learned_effect:+.2f}; {evidence}). The article: {question}"
    )


def contribution_sd(scorer: LinearScorer, typed) -> np.ndarray | None:
    """The posterior standard deviation of every row's every signal contribution, shape
    (n_rows, n_signals) in ``scorer``'s contribution order; None without a posterior (the rule
    card).

    A contribution is the row's features owned by the signal times their weights, so its
    variance is the quadratic form of those features in their block of the covariance: it
    includes whatever context (or pair term) the signal's features carry for this row.
    Computed signal by signal, row by row in a fixed order (no BLAS kernel choice).
    """
    if scorer.covariance is None:
        return None
    X = encode(typed)
    cov = scorer.covariance[:-1, :-1]
    owner = scorer.feature_owner
    signals = list(scorer._signals)
    out = np.zeros((len(X), len(signals)))
    for j, signal in enumerate(signals):
        ids = np.flatnonzero(owner == signal)
        if not len(ids):
            continue
        x = np.ascontiguousarray(X[:, ids])
        block = cov[np.ix_(ids, ids)]
        q = np.einsum("ij,ij->i", np.einsum("ij,jk->ik", x, block, optimize=False), x, optimize=False)
        out[:, j] = np.sqrt(np.clip(q, 0.0, None))
    return out


def uncertain_cells(contributions: np.ndarray, sd: np.ndarray | None) -> np.ndarray:
    """Cells whose contribution's sign the model is less than ``SURE`` sure of (a posterior
    probability of the sign below 0.9): never an interview's reasons, marked in explanations.
    All False without a posterior."""
    c = np.asarray(contributions, dtype=float)
    if sd is None:
        return np.zeros(c.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.abs(c) / sd
    # P(sign right) = Phi(|c| / sd) < SURE  <=>  |c| / sd < Phi^-1(SURE)
    return (sd > 0) & ~(z >= _Z_SURE)


#: The z whose normal CDF is ``SURE`` (1.2816 for 0.9), from the standard library.
_Z_SURE = NormalDist().inv_cdf(SURE)


def keep_article_order(scorer: LinearScorer, card: LinearScorer) -> LinearScorer:
    """``scorer`` with every yes/no signal's yes and no in the article's order unless the
    outcomes are at least ``SURE`` sure of the reversal.

    Where the learned ``yes - no`` runs against the card's with a posterior probability below
    ``SURE``, the weights (and intercept) are replaced by their posterior mean given
    ``yes - no = 0``: the Gaussian posterior conditioned on a tie, ``w - S a (a'w) / (a'S a)``.
    Yes and no then score alike (the article's order, not reversed), and the other weights
    move only as far as they are correlated with that contrast. Without a posterior, the
    scorer is returned as it is.
    """
    if scorer.covariance is None:
        return scorer
    names, _ = feature_layout()
    p = len(names)
    full = np.concatenate([scorer.coef, scorer.term_coef, [scorer.intercept]])  # the covariance's order
    cov = scorer.covariance
    ties = []
    for signal in catalogue():
        if signal.kind != "yesno" or signal.direction not in ("+", "-"):
            continue
        a = np.zeros(len(full))
        a[names.index(f"{signal.name}=yes")], a[names.index(f"{signal.name}=no")] = 1.0, -1.0
        card_effect, learned = float(a[:p] @ card.coef), float(a @ full)
        variance = float(a @ cov @ a)
        if card_effect == 0 or np.sign(learned) != -np.sign(card_effect) or variance <= 0:
            continue
        if _normal_cdf(abs(learned) / math.sqrt(variance)) < SURE:  # not sure of the reversal
            ties.append(a)
    if not ties:
        return scorer
    A = np.array(ties)
    # the posterior mean given A w = 0 (all the ties at once): w - S A' (A S A')^-1 A w
    full = full - cov @ A.T @ np.linalg.solve(A @ cov @ A.T, A @ full)
    for a in ties:  # a tie to the last bit: no is never a hair above yes
        yes, no = int(np.flatnonzero(a > 0)[0]), int(np.flatnonzero(a < 0)[0])
        full[no] = full[yes]
    return replace(scorer, coef=full[:p].copy(), term_coef=full[p:-1].copy(), intercept=float(full[-1]))


def unsure_cells(scorer: LinearScorer, typed, contributions: np.ndarray, states: np.ndarray) -> np.ndarray:
    """The cells never to be reasons: effects whose sign ``scorer``'s posterior is less than
    ``SURE`` sure of for this row (:func:`uncertain_cells`), and states whose sign the outcomes
    alone were less than ``SURE`` sure of when it was fitted (``fit.unsure_states``). All False
    for the rule card.

    Parameters
    ----------
    contributions, states : ndarray of shape (n_rows, n_signals)
        In ``scorer``'s contribution order (``Decomposition.signals``), the states as
        ``offerodds.signals.states.state_codes`` gives them.
    """
    out = uncertain_cells(contributions, contribution_sd(scorer, typed))
    summary = scorer.fit_summary
    listed = summary.unsure_states if summary is not None else []
    if listed:
        from offerodds.signals.catalogue import STATES

        by_signal: dict[str, list[int]] = {}
        for item in listed:
            signal, _, state = str(item).partition("=")
            if signal in by_name() and state in STATES[by_name()[signal].kind]:
                by_signal.setdefault(signal, []).append(STATES[by_name()[signal].kind].index(state))
        for j, signal in enumerate(scorer._signals):
            if signal in by_signal:
                out[:, j] |= np.isin(states[:, j], by_signal[signal])
    return out
