"""The retrain's plain summary (training/summary.py): what a person reads first."""

from __future__ import annotations

from offerodds.training.summary import RetrainFacts, more_outcomes_needed, plain_summary

STORE = {"offer": 80, "no_offer": 197, "pending": 15, "withdrawn": 8}


def _text(**kw) -> str:
    base = dict(rows_read=300, new_outcomes=dict(STORE), store_outcomes=dict(STORE), store_rows=300,
                serving_before="model v1")
    return "\n".join(plain_summary(RetrainFacts(**{**base, **kw})))


def test_it_says_how_many_were_learned_from_and_why_others_were_not():
    text = _text(comparisons={"candidate_vs_rules": {"mean_diff": -0.02, "p_a_not_better": 0.01}}, promoted=True,
                 version="v2")
    assert "Learned from 277 interviews with an outcome (80 offers, 197 no offers)" in text
    assert "15 pending" in text and "8 withdrawn" in text


def test_a_tie_is_called_a_tie_and_goes_to_the_newer_model():
    champion = {"candidate": 0.5362, "champion": 0.5356, "n": 277, "tie": True, "champion_learned": True,
                "tie_promotes": True, "mean_diff": 0.0006, "ci_low": -0.01, "ci_high": 0.011}
    text = _text(comparisons={"candidate_vs_champion_unseen": champion}, promoted=True, version="v2")
    assert "a tie" in text and "within noise" in text
    assert "Decision: promoted as v2" in text and "clearly better than the rule card and the offer rate alone" in text
    assert "between two learned models a tie goes to the one that learned from more outcomes" in text
    assert "rollback" in text


def test_a_tie_with_the_rule_card_keeps_the_rule_card():
    """The recalibrated card serves and the learned model only ties with it: not promoted,
    and the summary says why (a learned model replaces the rule card only when clearly better)."""
    champion = {"candidate": 0.5362, "champion": 0.5356, "n": 277, "tie": True, "champion_learned": False,
                "tie_promotes": False, "mean_diff": 0.0006, "ci_low": -0.01, "ci_high": 0.011}
    serving = "model v1 (the rule card recalibrated)"
    text = _text(comparisons={"candidate_vs_champion_unseen": champion}, serving_before=serving)
    assert "a tie" in text and "Decision: not promoted: the new model ties with " + serving in text
    assert "a learned model takes the rule card's place only when it predicts clearly better, never on a tie" in text
    assert f"{serving} keeps serving" in text and "--force" in text and "promoted as" not in text


def test_a_clear_loss_keeps_the_champion_and_says_what_to_do():
    champion = {"candidate": 0.60, "champion": 0.50, "n": 277, "tie": False}
    text = _text(comparisons={"candidate_vs_champion_unseen": champion})
    assert "predicts worse, beyond noise" in text and "model v1 keeps serving" in text
    assert "--force" in text


def test_a_lead_too_small_says_how_many_more_outcomes_to_wait_for():
    test = {"mean_diff": -0.01, "ci_low": -0.025, "ci_high": 0.005, "p_a_not_better": 0.1}
    text = _text(comparisons={"candidate_vs_rules": test, "candidate_vs_base_rate": {"mean_diff": -0.2, "p_a_not_better": 0.0}},
                 serving_before="the rule card rules-1")
    more = more_outcomes_needed(test, 277)
    assert more is not None and more > 0
    assert f"wait for about {more:,} more outcomes" in text and "--force" in text
    assert more_outcomes_needed({"mean_diff": 0.01, "ci_low": -0.01, "ci_high": 0.03}, 277) is None


def test_too_few_outcomes_says_how_many_more_of_each():
    few = {"offer": 3, "no_offer": 40}
    text = _text(store_outcomes=few, new_outcomes=few, stopped="too few outcomes to learn from", min_per_class=5,
                 serving_before="the rule card rules-1")
    assert "label at least 2 more offers" in text and "the rule card rules-1 keeps serving" in text


def test_no_statistics_words_before_the_figures():
    champion = {"candidate": 0.5362, "champion": 0.5356, "n": 277, "tie": True, "ci_low": -0.01, "ci_high": 0.011}
    text = _text(comparisons={"candidate_vs_champion_unseen": champion}, promoted=True, version="v2")
    for word in ("Brier", "ECE", "AUC", "out-of-fold", "resamples", "p "):
        assert word not in text
