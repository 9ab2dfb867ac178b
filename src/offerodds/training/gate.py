"""The promotion gate's steps: out-of-fold predictions of the candidate and its rivals, and the
verdict. Plain functions with no I/O and no MLflow; ``offerodds.pipeline`` wires them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from offerodds.evaluation.metrics import calibration_sums, evaluate, metrics_table, paired_bootstrap_logloss
from offerodds.scoring.rulecard import rules
from offerodds.scoring.scorer import LinearScorer
from offerodds.training.config import GateConfig
from offerodds.training.fit import FIXED_STRENGTH_ROWS, FitConfig, FitError, fit_arrays
from offerodds.training.folds import splits

__all__ = ["Decision", "calibration_record", "judge", "out_of_fold", "predict", "prospective", "unseen_by"]


def predict(scorer: LinearScorer, typed: pd.DataFrame) -> np.ndarray:
    """Offer probability of each row of a validated signal frame."""
    return scorer.decompose(typed).probability


def out_of_fold(
    typed: pd.DataFrame,
    y: np.ndarray,
    groups: np.ndarray | None,
    config: FitConfig,
    candidate: LinearScorer,
) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities of the candidate's whole fitting procedure, and of the
    rule card and a base-rate model, on the same rows.

    Each fold refits everything (prior strength, calibration) on the other folds; above
    ``FIXED_STRENGTH_ROWS`` rows the candidate's prior strength is kept fixed, since its
    choice barely moves with that much data and it keeps retraining fast.
    """
    n = len(y)
    candidate_p, base_p = np.empty(n), np.empty(n)
    alpha = None if n <= FIXED_STRENGTH_ROWS else candidate.fit.prior_strength
    card = rules()
    for train, test in splits(y, groups, config.folds, config.random_state):
        base_p[test] = y[train].mean()
        try:
            model = fit_arrays(
                typed.iloc[train],
                y[train],
                None if groups is None else groups[train],
                config,
                alpha=alpha,
            )
        except FitError:
            model = card  # a fold whose model would not be served predicts as the card
        candidate_p[test] = predict(model, typed.iloc[test])
    return {"candidate": candidate_p, "rules": predict(card, typed), "base_rate": base_p}


@dataclass
class Decision:
    """The promotion gate's verdict, with every comparison it made."""

    promote: bool
    reasons: list[str]
    table: pd.DataFrame
    comparisons: dict[str, dict] = field(default_factory=dict)


def judge(
    y: np.ndarray,
    oof: dict[str, np.ndarray],
    gate: GateConfig,
    champion_p: np.ndarray | None = None,
    unseen: np.ndarray | None = None,
    seed: int = 0,
) -> Decision:
    """Decide whether the candidate is clearly better, out of sample only.

    It must beat the rule card and the base rate on out-of-fold log-loss in all but
    ``gate.max_luck`` of paired bootstrap resamples; where a champion exists, on the outcomes
    it never saw (``unseen``), the candidate must not be worse than it.
    """
    results = {name: evaluate(y, p) for name, p in oof.items()}
    reasons, comparisons, promote = [], {}, True
    for rival in ("rules", "base_rate"):
        test = paired_bootstrap_logloss(y, oof["candidate"], oof[rival], n_boot=gate.bootstrap, seed=seed)
        comparisons[f"candidate_vs_{rival}"] = test
        won = test["mean_diff"] < 0 and test["p_a_not_better"] <= gate.max_luck
        promote &= won
        verdict = "beats" if won else "does not clearly beat"
        reasons.append(
            f"candidate {verdict} the {rival.replace('_', ' ')} on out-of-fold log-loss "
            f"(difference {test['mean_diff']:+.4f}, 95 % interval {test['ci_low']:+.4f} to "
            f"{test['ci_high']:+.4f}, not better in {test['p_a_not_better']:.1%} of resamples)"
        )
    if champion_p is not None:
        unseen = np.zeros(len(y), dtype=bool) if unseen is None else unseen
        if unseen.sum() == 0:
            promote = False
            reasons.append("no outcomes were added since the champion was trained: nothing new to judge it on")
        else:
            results["candidate, unseen outcomes"] = evaluate(y[unseen], oof["candidate"][unseen])
            results["champion, unseen outcomes"] = evaluate(y[unseen], champion_p[unseen])
            cand = results["candidate, unseen outcomes"]["log_loss"]
            champ = results["champion, unseen outcomes"]["log_loss"]
            comparisons["candidate_vs_champion_unseen"] = {"candidate": cand, "champion": champ, "n": int(unseen.sum())}
            ok = cand <= champ + gate.champion_tolerance
            promote &= ok
            reasons.append(
                f"on the {int(unseen.sum())} outcomes the champion never saw, the candidate's log-loss "
                f"is {cand:.4f} against the champion's {champ:.4f}: "
                + ("not worse" if ok else "worse")
            )
    return Decision(bool(promote), reasons, metrics_table(results), comparisons)


def prospective(scorer: LinearScorer, typed: pd.DataFrame, y: np.ndarray) -> dict | None:
    """How ``scorer`` predicted outcomes it never saw (the labels given now); None when they
    are not of both kinds."""
    known = np.isfinite(y)
    if not known.any() or len(np.unique(y[known])) < 2:
        return None
    return evaluate(y[known], predict(scorer, typed[known]))


def calibration_record(scorer: LinearScorer, typed: pd.DataFrame, y: np.ndarray, labelled_at: str) -> dict | None:
    """The prospective check as aggregates that pool across retrains (``calibration_sums``),
    with when the labels were given (``labelled_at``, ISO, and its calendar ``month``) and
    which scorer predicted them; None when no outcome is an offer or a no-offer.

    Unlike :func:`prospective`, one class alone is recorded: three offers and no no-offer
    still say something about calibration.
    """
    known = np.isfinite(y)
    if not known.any():
        return None
    return {
        "labelled_at": labelled_at,
        "month": labelled_at[:7],
        "scorer": scorer.kind,
        "version": scorer.version,
        **calibration_sums(y[known], predict(scorer, typed[known])),
    }


def unseen_by(scorer: LinearScorer, labelled_at: pd.Series) -> np.ndarray:
    """Rows whose current label was given after ``scorer`` was trained."""
    since = scorer.fit.trained_through if scorer.fit is not None else ""
    return (labelled_at.astype("string").fillna("") > since).to_numpy(dtype=bool)
