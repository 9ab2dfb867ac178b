"""The retrain pipeline's steps on tiny frames (kedro's habit): the gate's verdict, the
out-of-fold predictions, the prospective check, which outcomes a champion never saw, and the
outcome store's merge. tests/usecases/test_retrain.py runs the whole pipeline end to end."""

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.stores.outcomes import merge
from offerodds.scoring.scorer import FitSummary, LinearScorer
from offerodds.synthetic import generate, typed_frame
from offerodds.training import gate
from offerodds.config import FitConfig, GateConfig
from offerodds.training.folds import splits
from offerodds.training.fit import fit_arrays

GATE = GateConfig(bootstrap=400, max_luck=0.05)


def _y(n: int, rate: float, seed: int) -> np.ndarray:
    return (np.random.default_rng(seed).random(n) < rate).astype(float)


def test_a_candidate_that_knows_the_outcomes_is_promoted():
    y = _y(300, 0.3, 1)
    oof = {"candidate": np.where(y == 1, 0.8, 0.1), "recalibrated_card": np.full(300, 0.3),
           "rules": np.full(300, 0.3), "base_rate": np.full(300, 0.3)}
    decision = gate.judge(y, oof, GATE)
    assert decision.promote and decision.chosen == "candidate"
    assert sum("beats" in r for r in decision.reasons) == 2
    assert set(decision.table.index) == {"candidate", "recalibrated_card", "rules", "base_rate"}


def test_a_candidate_that_cannot_beat_the_recalibrated_card_gives_way_to_it():
    """The honest rival: where the article's level or strength is off, two parameters fix
    most of it; a learned model worse than that is not served, the recalibrated card is."""
    y = _y(400, 0.3, 7)
    sharp = np.where(y == 1, 0.85, 0.08)
    oof = {"candidate": np.where(y == 1, 0.7, 0.15), "recalibrated_card": sharp,
           "rules": np.full(400, 0.5), "base_rate": np.full(400, 0.3)}
    decision = gate.judge(y, oof, GATE)
    assert decision.chosen == "recalibrated_card"
    assert any("worse than the rule card recalibrated" in r for r in decision.reasons)


def test_nothing_is_promoted_when_neither_beats_the_card():
    y = _y(300, 0.3, 8)
    flat = np.full(300, 0.3)
    oof = {"candidate": flat, "recalibrated_card": flat, "rules": flat, "base_rate": flat}
    assert gate.judge(y, oof, GATE).chosen is None


def test_a_candidate_no_better_than_the_card_is_not_promoted():
    y = _y(300, 0.3, 2)
    same = np.full(300, 0.3)
    oof = {"candidate": same, "recalibrated_card": same, "rules": same, "base_rate": np.full(300, 0.31)}
    decision = gate.judge(y, oof, GATE)
    assert not decision.promote
    assert any("does not clearly beat the rule card" in r for r in decision.reasons)


def test_a_champion_with_nothing_unseen_keeps_serving():
    y = _y(200, 0.3, 3)
    good = np.where(y == 1, 0.8, 0.1)
    oof = {"candidate": good, "recalibrated_card": np.full(200, 0.3), "rules": np.full(200, 0.3),
           "base_rate": np.full(200, 0.3)}
    decision = gate.judge(y, oof, GATE, champion_p=good, unseen=np.zeros(200, bool))
    assert not decision.promote
    assert any("nothing new to judge it on" in r for r in decision.reasons)


def test_a_candidate_worse_than_the_champion_on_unseen_outcomes_is_not_promoted():
    y = _y(200, 0.3, 4)
    oof = {"candidate": np.where(y == 1, 0.6, 0.2), "recalibrated_card": np.full(200, 0.3),
           "rules": np.full(200, 0.3), "base_rate": np.full(200, 0.3)}
    champion = np.where(y == 1, 0.9, 0.05)
    unseen = np.arange(200) >= 150
    decision = gate.judge(y, oof, GATE, champion_p=champion, unseen=unseen)
    assert not decision.promote
    assert any("the champion never saw" in r and "worse" in r for r in decision.reasons)
    assert decision.comparisons["candidate_vs_champion_unseen"]["n"] == 50


def test_out_of_fold_predicts_every_row_from_the_other_folds():
    frame = generate(120, seed=5)
    typed = typed_frame(frame)
    y = (frame["outcome"] == "offer").to_numpy(float)
    groups = frame["application_id"].to_numpy(object)
    config = FitConfig(min_calibration_per_class=1000)  # tiny: keep the prior's scale
    candidate = fit_arrays(typed, y, groups, config)
    oof = gate.out_of_fold(typed, y, groups, config, candidate)
    assert set(oof) == {"candidate", "recalibrated_card", "rules", "base_rate"}
    for p in oof.values():
        assert p.shape == (120,) and np.all((p > 0) & (p < 1))
    # the base rate of a row is the offer rate of the folds that did not hold it
    for train, test in splits(y, groups, config.folds, config.random_state):
        assert np.allclose(oof["base_rate"][test], y[train].mean())
    assert np.array_equal(oof["rules"], offerodds.rules().decompose(typed).probability)


def test_prospective_needs_both_outcomes_and_scores_only_known_labels():
    typed = typed_frame(generate(40, seed=6))
    card = offerodds.rules()
    assert gate.prospective(card, typed, np.ones(40)) is None
    y = np.r_[np.ones(10), np.zeros(10), np.full(20, np.nan)]
    result = gate.prospective(card, typed, y)
    assert result["n"] == 20
    assert 0 < result["log_loss"] < 5


def test_unseen_outcomes_are_those_labelled_after_the_champion_was_trained():
    champion = LinearScorer(
        kind="model", version="v1", intercept=-1.0, coef=offerodds.rules().coef,
        fit_summary=FitSummary(trained_through="2026-05-01T00:00:00+00:00"),
    )
    labelled_at = pd.Series(["2026-04-30T10:00:00+00:00", "2026-05-02T10:00:00+00:00", None], dtype="string")
    assert gate.unseen_by(champion, labelled_at).tolist() == [False, True, False]


def _rows(ids, outcomes, at):
    return pd.DataFrame(
        {"interview_id": pd.array(ids, dtype="string"), "outcome": pd.array(outcomes, dtype="string"),
         "ingested_at": at, "engagement": 3.0}
    )


def test_merge_keeps_one_row_per_interview_and_the_latest_label():
    store = merge(_rows([], [], "t0"), _rows(["a", "b"], ["offer", None], "t1"))
    store = merge(store, _rows(["b", "a", "c"], ["no_offer", None, "pending"], "t2"))
    assert store["interview_id"].tolist() == ["a", "b", "c"]  # first seen order
    assert store["outcome"].tolist() == ["offer", "no_offer", "pending"]  # empty never erases
    assert store["labelled_at"].tolist() == ["t1", "t2", "t2"]


@pytest.mark.parametrize("again", [1, 3])
def test_merging_the_same_rows_again_changes_nothing_but_ingestion_time(again):
    first = merge(_rows([], [], "t0"), _rows(["a", "b"], ["offer", "no_offer"], "t1"))
    store = first
    for k in range(again):
        store = merge(store, _rows(["a", "b"], ["offer", "no_offer"], f"t{k + 2}"))
    assert store[["interview_id", "outcome", "labelled_at"]].equals(first[["interview_id", "outcome", "labelled_at"]])


def _tied(seed: int, recalibrated_wins: bool = False):
    """A candidate clearly better than the rule card (or, with ``recalibrated_wins``, a
    candidate that gives way to the recalibrated card), and a champion that predicts the
    outcomes it never saw as well, up to noise of either sign."""
    y = _y(300, 0.3, seed)
    good = np.where(y == 1, 0.75, 0.12)
    rng = np.random.default_rng(seed)
    flat = np.full(300, 0.3)
    oof = {"candidate": np.where(y == 1, 0.5, 0.25) if recalibrated_wins else good,
           "recalibrated_card": good if recalibrated_wins else flat, "rules": flat, "base_rate": flat}
    chosen = "recalibrated_card" if recalibrated_wins else "candidate"
    champion = np.clip(oof[chosen] + rng.normal(0, 0.03, 300), 0.01, 0.99)
    return y, oof, champion, np.arange(300) >= 100


def test_a_tie_between_learned_models_goes_to_the_one_clearly_better_than_the_card():
    y, oof, champion, unseen = _tied(11)
    decision = gate.judge(y, oof, GATE, champion_p=champion, unseen=unseen, champion_learned=True)
    test = decision.comparisons["candidate_vs_champion_unseen"]
    assert test["tie"] and test["tie_promotes"]
    assert decision.chosen == "candidate"
    assert decision.comparisons["candidate_vs_rules"]["p_a_not_better"] <= GATE.max_luck  # clearly better than the card
    assert any("a tie" in r and "clearly better than the rule card" in r for r in decision.reasons)


def test_a_tie_never_puts_a_learned_model_in_place_of_the_rule_card():
    """The rule card recalibrated serves: a learned model that only ties with it on the
    outcomes it never saw is not promoted, though it beat the card as written."""
    y, oof, champion, unseen = _tied(11)
    decision = gate.judge(y, oof, GATE, champion_p=champion, unseen=unseen, champion_learned=False)
    test = decision.comparisons["candidate_vs_champion_unseen"]
    assert test["tie"] and not test["tie_promotes"]
    assert decision.chosen is None and not decision.promote
    assert any("a tie" in r and "the champion keeps serving" in r for r in decision.reasons)


def test_a_tie_does_not_put_the_recalibrated_card_in_place_of_a_learned_champion():
    y, oof, champion, unseen = _tied(12, recalibrated_wins=True)
    decision = gate.judge(y, oof, GATE, champion_p=champion, unseen=unseen, champion_learned=True)
    assert decision.comparisons["recalibrated_card_vs_champion_unseen"]["tie"]
    assert decision.chosen is None


def test_the_recalibrated_card_counts_as_the_rule_card():
    from offerodds.training.calibration import recalibrated_card

    y = _y(300, 0.3, 5)
    typed = typed_frame(generate(300, seed=5))
    assert gate.is_rule_card(offerodds.rules())
    assert gate.is_rule_card(recalibrated_card(typed, y))
    assert not gate.is_rule_card(fit_arrays(typed, y))
