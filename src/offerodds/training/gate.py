"""The promotion gate's steps: out-of-fold predictions of the candidate and its rivals, and the
verdict. Plain functions with no I/O and no MLflow; ``offerodds.usecases._retrain`` wires them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from offerodds.evaluation.metrics import calibration_sums, evaluate, metrics_table, paired_bootstrap_logloss
from offerodds.scoring.rulecard import rules
from offerodds.scoring.scorer import LinearScorer
from offerodds.training.calibration import card_log_odds, recalibrated_card
from offerodds.config import GateConfig
from offerodds.training.fit import FIXED_STRENGTH_ROWS, FitConfig, FitError, fit_arrays
from offerodds.training.folds import splits

__all__ = [
    "CANDIDATE",
    "RECALIBRATED",
    "Decision",
    "is_rule_card",
    "judge",
    "out_of_fold",
    "predict",
    "prospective",
    "prospective_sums",
    "readable_table",
    "unseen_by",
]

#: The names of the two models the gate may promote, as in the out-of-fold table.
CANDIDATE, RECALIBRATED = "candidate", "recalibrated_card"


#: Rows scored at a time by :func:`predict` (a learned model's interval encodes every feature).
PREDICT_ROWS = 100_000


def predict(scorer: LinearScorer, typed: pd.DataFrame, rows: np.ndarray | None = None) -> np.ndarray:
    """Offer probability of each row of a validated signal frame (of its rows ``rows`` only,
    when given: never copied whole), in blocks of rows (each row's probability is computed on
    its own, so the blocks change nothing but the memory)."""
    n = len(typed) if rows is None else len(rows)
    if rows is None and n <= PREDICT_ROWS:
        return scorer.decompose(typed).probability

    def part(start):
        where = slice(start, start + PREDICT_ROWS)
        return typed.iloc[where] if rows is None else typed.iloc[rows[where]]

    return np.concatenate([scorer.decompose(part(start)).probability for start in range(0, n, PREDICT_ROWS)] or [np.empty(0)])


def out_of_fold(
    typed: pd.DataFrame,
    y: np.ndarray,
    groups: np.ndarray | None,
    config: FitConfig,
    candidate: LinearScorer,
) -> dict[str, np.ndarray]:
    """Out-of-fold probabilities of the candidate's whole fitting procedure and of its rivals
    on the same rows: the rule card recalibrated (level and scale learned on the other folds),
    the rule card as it is, and a base-rate model.

    Each fold refits everything (prior strength, calibration) on the other folds; above
    ``FIXED_STRENGTH_ROWS`` rows the candidate's prior strength is kept fixed, since its
    choice barely moves with that much data and it keeps retraining fast.

    A fold's rows are read from ``typed`` by their positions, never copied out of it (at a
    million outcomes such a copy is some 190 MB beside the full frame); the card's log-odds
    are computed once for every row, and each fold recalibrates the card on its rows' values.
    """
    n = len(y)
    candidate_p, recalibrated_p, base_p = np.empty(n), np.empty(n), np.empty(n)
    alpha = None if n <= FIXED_STRENGTH_ROWS else candidate.fit_summary.prior_strength
    card = rules()
    card_odds = card_log_odds(card, typed)  # row by row: a fold's are these rows' values
    for train, test in splits(y, groups, config.folds, config.random_state):
        base_p[test] = y[train].mean()
        try:
            model = fit_arrays(
                typed,
                y[train],
                None if groups is None else groups[train],
                config,
                alpha=alpha,
                misfit=False,
                rows=train,
            )
        except FitError:
            model = card  # a fold whose model would not be served predicts as the card
        candidate_p[test] = predict(model, typed, test)
        try:
            recalibrated = recalibrated_card(None, y[train], log_odds=card_odds[train])
        except ValueError:
            recalibrated = card  # outcomes against the card: it is not recalibrated
        recalibrated_p[test] = predict(recalibrated, typed, test)
    return {
        CANDIDATE: candidate_p,
        RECALIBRATED: recalibrated_p,
        "rules": predict(card, typed),
        "base_rate": base_p,
    }


@dataclass
class Decision:
    """The promotion gate's verdict, with every comparison it made.

    ``chosen`` is what to promote: ``"candidate"`` (the learned model), ``"recalibrated_card"``
    (the card with its level and scale learned: the candidate could not beat it), or None.
    """

    chosen: str | None
    reasons: list[str]
    table: pd.DataFrame
    comparisons: dict[str, dict] = field(default_factory=dict)

    @property
    def promote(self) -> bool:
        return self.chosen is not None


def _beats(name: str, rival: str, y, oof, gate: GateConfig, seed: int, comparisons, reasons) -> bool:
    """Whether ``name`` beats ``rival`` on out-of-fold log-loss in all but ``gate.max_luck``
    of paired bootstrap resamples (the comparison and its verdict are recorded)."""
    test = paired_bootstrap_logloss(y, oof[name], oof[rival], n_boot=gate.bootstrap, seed=seed)
    comparisons[f"{name}_vs_{rival}"] = test
    won = test["mean_diff"] < 0 and test["p_a_not_better"] <= gate.max_luck
    reasons.append(
        f"{_the(name)} {'beats' if won else 'does not clearly beat'} {_the(rival)} on "
        f"out-of-fold log-loss (difference {test['mean_diff']:+.4f}, 95 % interval "
        f"{test['ci_low']:+.4f} to {test['ci_high']:+.4f}, not better in "
        f"{test['p_a_not_better']:.1%} of resamples)"
    )
    return won


#: The comparison table's rows and columns as a person reads them.
_ROWS = {CANDIDATE: "learned model", RECALIBRATED: "rule card recalibrated", "rules": "rule card",
         "base_rate": "offer rate alone"}
_COLUMNS = {"log_loss": "log-loss", "brier": "Brier", "ece": "ECE", "roc_auc": "AUC", "n": "outcomes"}


def readable_table(table: pd.DataFrame) -> pd.DataFrame:
    """The out-of-fold comparison with its rows and columns named in words, rounded for
    reading (``Decision.table`` keeps the code names, as MLflow and the model store do)."""
    out = table.rename(index=lambda name: _ROWS.get(name, name.replace("_", " ")), columns=_COLUMNS).round(4)
    if "outcomes" in out.columns:
        out["outcomes"] = out["outcomes"].astype("Int64")
    out.index.name = None
    return out


def _words(name: str) -> str:
    words = {CANDIDATE: "learned model", RECALIBRATED: "rule card recalibrated", "rules": "rule card",
             "base_rate": "offer rate alone"}
    return words.get(name, name.replace("_", " "))


def _the(name: str) -> str:
    """A model of the comparison with its article: ``the learned model``."""
    return f"the {_words(name)}"


def is_rule_card(scorer: LinearScorer) -> bool:
    """Whether ``scorer`` is the rule card, as written or recalibrated (a level and a scale
    learned, the article's weights kept), rather than a learned model."""
    summary = scorer.fit_summary
    return scorer.kind != "model" or (
        summary is not None and str(summary.calibration).startswith("the rule card recalibrated")
    )


def judge(
    y: np.ndarray,
    oof: dict[str, np.ndarray],
    gate: GateConfig,
    champion_p: np.ndarray | None = None,
    unseen: np.ndarray | None = None,
    seed: int = 0,
    champion_learned: bool = True,
) -> Decision:
    """Decide what, if anything, is clearly better than what serves, out of sample only.

    The learned candidate must beat the rule card and the base rate on out-of-fold log-loss in
    all but ``gate.max_luck`` of paired bootstrap resamples, and be no worse on average than
    the rule card recalibrated (two parameters). When it is not, the recalibrated card is
    judged the same way in its place. Where a champion exists (``champion_p``), on the
    outcomes it never saw (``unseen``), the one chosen must not be worse than it.

    A tie with the champion (the 95 % interval of the paired difference holds zero) promotes
    only a learned candidate over a learned champion (``champion_learned``): the candidate is
    then clearly better than the rule card and learned from more outcomes. Any other tie keeps
    the champion: a tie never puts a learned model in place of the rule card (recalibrated
    or not), nor the rule card in place of a learned model.
    """
    results = {name: evaluate(y, p) for name, p in oof.items()}
    reasons, comparisons = [], {}
    chosen = None
    if all([_beats(CANDIDATE, r, y, oof, gate, seed, comparisons, reasons) for r in ("rules", "base_rate")]):
        test = paired_bootstrap_logloss(y, oof[CANDIDATE], oof[RECALIBRATED], n_boot=gate.bootstrap, seed=seed)
        comparisons[f"{CANDIDATE}_vs_{RECALIBRATED}"] = test
        ok = test["mean_diff"] <= 0
        reasons.append(
            f"the learned model is {'no worse than' if ok else 'worse than'} the rule card recalibrated "
            f"on average (difference {test['mean_diff']:+.4f})"
        )
        chosen = CANDIDATE if ok else None
    if chosen is None and RECALIBRATED in oof:
        if all([_beats(RECALIBRATED, r, y, oof, gate, seed, comparisons, reasons) for r in ("rules", "base_rate")]):
            chosen = RECALIBRATED
    if chosen is not None and champion_p is not None:
        unseen = np.zeros(len(y), dtype=bool) if unseen is None else unseen
        if unseen.sum() == 0:
            chosen = None
            reasons.append("no outcomes were added since the champion was trained: nothing new to judge it on")
        else:
            results[f"{chosen}, unseen outcomes"] = evaluate(y[unseen], oof[chosen][unseen])
            results["champion, unseen outcomes"] = evaluate(y[unseen], champion_p[unseen])
            mine = results[f"{chosen}, unseen outcomes"]["log_loss"]
            champ = results["champion, unseen outcomes"]["log_loss"]
            test = paired_bootstrap_logloss(
                y[unseen], oof[chosen][unseen], champion_p[unseen], n_boot=gate.bootstrap, seed=seed
            )
            # within noise: the 95 % interval of the difference holds 0 (docs: "What a tie decides")
            tie = bool(test["ci_low"] <= 0.0 <= test["ci_high"])
            newer_wins = tie and chosen == CANDIDATE and champion_learned
            comparisons[f"{chosen}_vs_champion_unseen"] = {
                chosen: mine, "champion": champ, "n": int(unseen.sum()), "tie": tie,
                "champion_learned": bool(champion_learned), "tie_promotes": newer_wins, **test,
            }
            ok = newer_wins if tie else mine <= champ + gate.champion_tolerance
            within = (f"a tie (the difference {mine - champ:+.4f} is within noise: {test['ci_low']:+.4f} to "
                      f"{test['ci_high']:+.4f} in 95 % of resamples)")
            verdict = (
                f"{within}, which the new learned model wins: both are learned models, it is clearly "
                "better than the rule card and it learned from more outcomes" if newer_wins
                else f"{within}, so the champion keeps serving: a learned model replaces the rule card only "
                "when clearly better than it" if tie and not champion_learned
                else f"{within}, so the champion keeps serving: the rule card recalibrated replaces a "
                "learned model only when clearly better than it" if tie
                else "better" if mine < champ
                else "not worse" if ok
                else "worse, beyond noise"
            )
            reasons.append(
                f"on the {int(unseen.sum())} outcomes the champion never saw, {_the(chosen)}'s "
                f"log-loss is {mine:.4f} against the champion's {champ:.4f}: {verdict}"
            )
            chosen = chosen if ok else None
    return Decision(chosen, reasons, metrics_table(results), comparisons)


def prospective(scorer: LinearScorer, typed: pd.DataFrame, y: np.ndarray) -> dict | None:
    """How ``scorer`` predicted outcomes it never saw (the labels given now); None when they
    are not of both kinds."""
    known = np.isfinite(y)
    if not known.any() or len(np.unique(y[known])) < 2:
        return None
    return evaluate(y[known], predict(scorer, typed[known]))


def prospective_sums(
    scorer: LinearScorer, typed: pd.DataFrame, y: np.ndarray, labelled_at: str
) -> dict | None:
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
    since = scorer.fit_summary.trained_through if scorer.fit_summary is not None else ""
    return (labelled_at.astype("string").fillna("") > since).to_numpy(dtype=bool)
