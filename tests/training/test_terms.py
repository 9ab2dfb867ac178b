"""A learned model's extra terms (pairs, the length shape, informative blanks) and its misfit
interval: exact contributions under DESIGN.md "Output of scoring", storage, and what the fit
learns with few and many outcomes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.scoring.rulecard import rules
from offerodds.scoring.scorer import LinearScorer, quadratic_form
from offerodds.scoring.terms import blank_effects, pair_effects
from offerodds.signals.catalogue import contribution_signals
from offerodds.signals.encoding import encode
from offerodds.signals.terms import blank_terms, candidate_pairs, encode_terms, length_terms, parse_term
from offerodds.synthetic import generate, typed_frame
from offerodds.training.fit import fit_arrays
from offerodds.training.misfit import PRIOR_MISFIT, binned_check, misfit_estimate

TERMS = (
    "engagement:recorded",
    "answer_quality:recorded",
    "interview_length:hinge@1.10",
    "workspace_tour x stage=final",
    "engagement x rapport",
    "company_info x selling",
    "distracted x interview_length",
)


def _scorer(terms=TERMS, seed=0, misfit=0.0) -> LinearScorer:
    card = rules()
    rng = np.random.default_rng(seed)
    k = len(card.coef) + len(terms) + 1
    A = rng.normal(size=(k, k)) * 0.05
    return LinearScorer(
        kind="model", version="v1", intercept=card.intercept - 0.2, coef=card.coef + rng.normal(0, 0.1, len(card.coef)),
        covariance=A @ A.T, terms=terms, term_coef=rng.normal(0, 0.7, len(terms)), misfit_variance=misfit,
    )


@pytest.fixture(scope="module")
def typed():
    return typed_frame(generate(600, seed=3, missing_rate=0.3))


def test_contributions_with_pair_terms_and_blanks_sum_exactly_and_follow_the_design(typed):
    scorer = _scorer()
    d = scorer.decompose(typed)
    assert np.max(np.abs(d.baseline + d.contributions.sum(axis=1) - d.log_odds)) <= 1e-9
    theta = np.concatenate([scorer.coef, scorer.term_coef, [scorer.intercept]])
    np.testing.assert_allclose(scorer.design(typed) @ theta, d.log_odds, atol=1e-9, rtol=0)
    # a signal left empty contributes exactly 0, pair terms and blank effects included
    for j, signal in enumerate(contribution_signals()):
        empty = np.asarray(typed_frame_blank(typed, signal))
        assert np.all(d.contributions[empty, j] == 0.0), signal


def typed_frame_blank(typed, signal):
    if signal == "interview_length":
        return (typed["scheduled_minutes"].isna() | typed["actual_minutes"].isna()).to_numpy()
    return typed[signal].isna().to_numpy()


def test_a_pair_is_split_half_and_half_and_a_stage_pair_belongs_to_its_signal():
    card = rules()
    zero = np.zeros(len(card.coef))
    pair = LinearScorer(kind="model", version="v1", intercept=-1.0, coef=zero,
                        terms=("engagement x rapport", "workspace_tour x stage=final"), term_coef=np.array([0.8, 0.6]))
    typed = pd.DataFrame({"engagement": [5.0, 5.0], "rapport": [5.0, np.nan], "workspace_tour": [1.0, 1.0],
                          "stage": pd.Categorical(["final", "first"])})
    d = pair.decompose(typed)
    col = {s: j for j, s in enumerate(d.signals)}
    assert d.contributions[0, col["engagement"]] == 0.4 and d.contributions[0, col["rapport"]] == 0.4
    assert d.contributions[0, col["workspace_tour"]] == 0.6
    assert d.contributions[1, col["engagement"]] == 0.0 and d.contributions[1, col["workspace_tour"]] == 0.0
    assert d.baseline[0] == d.baseline[1] == -1.0  # no stage weight: the empty interview's log-odds
    effects = pair_effects(pair, typed, 0)
    assert [e.term for e in effects] == ["engagement x rapport", "workspace_tour x stage=final"]
    assert effects[1].words == "shown around counted for the offer because it was a final round"
    assert effects[0].shares == {"engagement": 0.4, "rapport": 0.4}


def test_recording_a_scale_moves_from_the_blank_effect_to_the_answer():
    """The blank's effect lives in the baseline: a blank contributes 0, a recorded middle answer
    contributes minus the blank's effect."""
    card = rules()
    scorer = LinearScorer(kind="model", version="v1", intercept=-1.0, coef=card.coef.copy(),
                          terms=("answer_quality:recorded",), term_coef=np.array([0.5]))
    typed = pd.DataFrame({"answer_quality": [np.nan, 3.0, 5.0]})
    d = scorer.decompose(typed)
    j = d.signals.index("answer_quality")
    assert d.contributions[0, j] == 0.0 and d.contributions[1, j] == 0.5
    assert d.contributions[2, j] == pytest.approx(0.5 + card.feature_weights()["answer_quality"])
    assert blank_effects(scorer)["answer_quality"] == -0.5
    assert blank_effects(card)["answer_quality"] == 0.0


def test_rows_have_the_same_bits_alone_and_in_any_chunk_with_terms(typed):
    scorer = _scorer(misfit=0.04)
    whole = scorer.decompose(typed)
    for size in (1, 7, 250):
        for start in range(0, 60, size):
            part = scorer.decompose(typed.iloc[start : start + size])
            rows = slice(start, start + len(part.log_odds))
            assert np.array_equal(part.contributions, whole.contributions[rows])
            assert np.array_equal(part.low, whole.low[rows]) and np.array_equal(part.high, whole.high[rows])


def test_the_misfit_variance_widens_the_interval_by_exactly_its_variance(typed):
    plain, wide = _scorer(), _scorer(misfit=0.09)
    X1 = plain.design(typed)
    sd = np.sqrt(quadratic_form(X1, plain.covariance) + 0.09)
    d = wide.decompose(typed)
    np.testing.assert_allclose(d.high, 1 / (1 + np.exp(-(d.log_odds + 1.6448536269514722 * sd))), rtol=1e-12)
    assert np.all(d.high - d.low > plain.decompose(typed).high - plain.decompose(typed).low)


def test_terms_are_named_and_checked():
    assert parse_term("workspace_tour x stage=final").owners == ("workspace_tour",)
    assert parse_term("engagement x rapport").kind == "pair"
    for bad in ("rapport x engagement", "workspace_tour x stage=onsite", "nothing:recorded", "distracted:recorded",
                "interview_length:hinge@1.1", "engagement x engagement"):
        with pytest.raises(ValueError):
            parse_term(bad)
    card = rules()
    with pytest.raises(ValueError, match="7 term weights"):
        LinearScorer(kind="model", version="v1", intercept=0.0, coef=card.coef, terms=TERMS, term_coef=np.zeros(6))
    with pytest.raises(ValueError, match="must not repeat"):
        LinearScorer(kind="model", version="v1", intercept=0.0, coef=card.coef, terms=TERMS[:1] * 2, term_coef=np.zeros(2))
    names = candidate_pairs()
    assert len(names) == len(set(names)) and "engagement x structured_format" not in names  # a card feature already
    assert len(blank_terms()) == 9 and len(length_terms()) == 7


def test_a_scorer_with_terms_is_stored_and_loaded_unchanged(tmp_path, typed):
    from offerodds.stores.modelstore import ModelStore
    from offerodds.files.workspace import Workspace

    scorer = _scorer(misfit=0.05)
    store = ModelStore(Workspace(tmp_path))
    with store.lock():
        version = store.save(scorer)
    loaded = store.load(version) if hasattr(store, "load") else None
    if loaded is None:
        from offerodds.stores.modelstore import load_folder
        loaded = load_folder(tmp_path / "models" / version, version)
    assert loaded.terms == scorer.terms and loaded.misfit_variance == 0.05
    a, b = scorer.decompose(typed), loaded.decompose(typed)
    assert np.array_equal(a.contributions, b.contributions) and np.array_equal(a.low, b.low)


def _interaction_world(n, seed):
    """The package's generator with one strong pair the card does not have."""
    frame = generate(n, seed=seed, missing_rate=0.1)
    typed = typed_frame(frame)
    extra = 1.6 * encode_terms(typed, ["engagement x selling"])[:, 0]
    p = np.clip(frame["true_probability"].to_numpy(), 1e-6, 1 - 1e-6)
    logit = np.log(p / (1 - p)) + extra
    y = (np.random.default_rng(seed).random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    return typed, y, frame["application_id"].to_numpy(), logit


def test_with_few_outcomes_nothing_is_added_and_with_many_the_missing_pair_is_found():
    typed, y, groups, _ = _interaction_world(200, 1)
    small = fit_arrays(typed, y, groups)
    assert small.fit_summary.terms == [] and not any(" x " in t for t in small.terms)
    assert np.max(np.abs(small.term_weights().to_numpy())) < 0.5
    typed, y, groups, truth = _interaction_world(5000, 2)
    big = fit_arrays(typed, y, groups)
    assert "engagement x selling" in [t for t, _ in big.fit_summary.terms]
    assert big.term_weights()["engagement x selling"] > 0.6
    assert len(big.fit_summary.holdout_check) == 10 and sum(b[0] for b in big.fit_summary.holdout_check) == 5000
    d = big.decompose(typed)
    assert np.max(np.abs(d.baseline + d.contributions.sum(axis=1) - d.log_odds)) <= 1e-9


def test_the_misfit_is_found_where_the_form_misses_and_not_where_it_fits():
    typed = typed_frame(generate(4000, seed=8, missing_rate=0.1))
    card = rules()
    D = encode(typed)
    fitted = D @ card.coef + card.intercept  # the model's log-odds: the card's form
    missed = 1.5 * encode_terms(typed, ["engagement x selling"])[:, 0]  # what that form cannot hold
    rng = np.random.default_rng(0)
    exact = (rng.random(len(D)) < 1 / (1 + np.exp(-fitted))).astype(float)
    pooled, measured, se = misfit_estimate(typed, D, exact, fitted)
    assert abs(measured) < 3 * se  # no misfit: within noise of 0
    off = (rng.random(len(D)) < 1 / (1 + np.exp(-(fitted + missed)))).astype(float)
    pooled, measured, se = misfit_estimate(typed, D, off, fitted)
    assert measured > 4 * se and pooled > PRIOR_MISFIT[0]
    # the pair, once in the model, is no longer counted as missed
    _, without, _ = misfit_estimate(typed, np.column_stack([D, encode_terms(typed, ["engagement x selling"])]), off,
                                    fitted + missed, exclude=["engagement x selling"])
    assert without < measured / 3


def test_the_held_out_check_bins_rows_by_predicted_probability():
    p = np.linspace(0.01, 0.99, 100)
    y = (p > 0.5).astype(float)
    bins = binned_check(y, p, bins=4)
    assert [b[0] for b in bins] == [25, 25, 25, 25]
    assert bins[0][2] == 0.0 and bins[-1][2] == 1.0 and bins[0][1] < bins[-1][1]
