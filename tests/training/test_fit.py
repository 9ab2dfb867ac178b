"""The learned scorer (`offerodds.fit`, `offerodds.training.fit.fit_arrays`): calibrated, additive,
humble with few outcomes, refused when its scores run the wrong way."""

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.calibration import _SigmoidCalibration

import offerodds
from offerodds.config import FitConfig
from offerodds.training.calibration import platt as _platt
from offerodds.training.fit import FitError, fit_arrays
from offerodds.synthetic import generate, typed_frame


def _data(n, seed):
    frame = generate(n, seed=seed)
    y = (frame["outcome"] == "offer").to_numpy(dtype=float)
    return frame, typed_frame(frame), y


@pytest.fixture(scope="module")
def model_1000():
    frame, typed, y = _data(1000, seed=21)
    return fit_arrays(typed, y, frame["application_id"].to_numpy())


def test_platt_matches_scikit_learns_sigmoid_calibration():
    rng = np.random.default_rng(0)
    scores = rng.normal(size=3000)
    y = (rng.random(3000) < expit(0.7 * scores - 0.4)).astype(float)
    slope, shift, cov = _platt(scores, y)
    reference = _SigmoidCalibration().fit(scores, y)
    assert slope == pytest.approx(-reference.a_, abs=1e-6)
    assert shift == pytest.approx(-reference.b_, abs=1e-6)
    assert cov.shape == (2, 2) and np.all(np.linalg.eigvalsh(cov) > 0)


def test_fit_returns_a_model_that_scores_with_exact_additivity(model_1000):
    test = generate(3000, seed=22).drop(columns=["outcome", "true_probability"])
    out = offerodds.score(test, model=model_1000)
    contrib = out.filter(like="contrib_").sum(axis=1)
    assert set(out["scorer"]) == {"model"}
    np.testing.assert_allclose(out["offer_log_odds"], out["baseline_log_odds"] + contrib, atol=1e-9)
    np.testing.assert_allclose(out["offer_probability"], expit(out["offer_log_odds"]), atol=1e-12)
    assert (out["offer_probability_low"] <= out["offer_probability"]).all()
    assert (out["offer_probability"] <= out["offer_probability_high"]).all()


def test_an_unrecorded_signal_contributes_exactly_nothing(model_1000):
    out = offerodds.score({"selling": 5, "stage": "final"}, model=model_1000)
    others = out.filter(like="contrib_").drop(columns="contrib_selling")
    assert (others.to_numpy() == 0.0).all() and out.loc[0, "contrib_selling"] > 0


def test_the_model_beats_the_rule_card_on_held_out_interviews(model_1000):
    frame, typed, y = _data(20000, seed=23)
    model_p = model_1000.decompose(typed).probability
    card_p = offerodds.rules().decompose(typed).probability

    def loss(p):
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    assert loss(model_p) < loss(card_p)


def test_interval_is_wide_after_few_outcomes_and_narrow_after_many():
    held_out = typed_frame(generate(2000, seed=24))
    widths = {}
    for n in (60, 5000):
        frame, typed, y = _data(n, seed=25)
        parts = fit_arrays(typed, y).decompose(held_out)
        widths[n] = float(np.median(parts.high - parts.low))
    assert widths[60] > 2 * widths[5000]


def test_too_few_outcomes_is_a_clear_error():
    frame, typed, y = _data(40, seed=26)
    y[:] = 0
    with pytest.raises(FitError, match="too few outcomes.*0 offers"):
        fit_arrays(typed, y)
    y[:3] = 1
    with pytest.raises(FitError, match="too few outcomes.*3 offers.*at least 5"):
        fit_arrays(typed, y, config=FitConfig(min_outcomes_per_class=5))


def test_three_offers_give_a_model_that_stays_near_the_card_and_says_the_check_was_skipped():
    frame, typed, y = _data(40, seed=26)
    y[:] = 0
    y[:3] = 1
    model = fit_arrays(typed, y)
    assert model.fit_summary.n_offers == 3 and np.isnan(model.fit_summary.check_slope)
    assert any("check was skipped" in note for note in model.fit_summary.notes)
    card = offerodds.rules()
    # the departures from the card's relative weights stay small; the level follows the data
    departures = model.coef - model.fit_summary.card_scale * card.coef
    assert np.abs(departures).max() < 0.25 * np.abs(card.coef).max()
    assert model.fit_summary.level_shift < 0  # 3 offers in 40 is below the card's rate


def test_the_calibration_is_the_learned_level_and_strength_unless_platt_is_asked_for():
    frame, typed, y = _data(1000, seed=27)
    model = fit_arrays(typed, y)
    assert model.fit_summary.calibration_slope == 1.0 and "learned with the weights" in model.fit_summary.calibration
    assert model.fit_summary.check_slope > 0
    platt = fit_arrays(typed, y, config=FitConfig(calibration="platt"))
    assert platt.fit_summary.calibration.startswith("sigmoid on 5-fold") and platt.fit_summary.calibration_slope > 0
    parts = platt.decompose(typed)
    assert np.max(np.abs(parts.log_odds - parts.baseline - parts.contributions.sum(axis=1))) < 1e-9


def test_settings_of_earlier_versions_are_named_when_they_no_longer_apply():
    assert FitConfig(selection="evidence_average").selection == "evidence_average"
    with pytest.raises(ValueError, match="selection = 'cv' is no longer offered"):
        FitConfig(selection="cv")
    with pytest.raises(ValueError, match="calibration = 'isotonic'"):
        FitConfig(calibration="isotonic")
    with pytest.raises(ValueError, match="scale_prior_sd"):
        FitConfig(scale_prior_sd=0.0)


def test_scores_that_run_the_wrong_way_are_refused_not_flipped():
    # every interview twice, once with each outcome: a held-out row's twin, in the training
    # folds with the opposite label, pulls its out-of-fold score the wrong way
    frame, typed, y = _data(200, seed=28)
    twins = pd.concat([typed, typed], ignore_index=True)
    with pytest.raises(FitError, match="run the wrong way"):
        fit_arrays(twins, np.concatenate([y, 1 - y]))


def test_fit_takes_a_labelled_file_and_names_bad_rows(tmp_path):
    frame = generate(200, seed=29).drop(columns="true_probability")
    model = offerodds.fit(frame)
    assert model.kind == "model" and model.fit_summary.n_outcomes == 200
    frame.loc[3, "eye_contact"] = 9
    with pytest.raises(ValueError, match="row 4, eye_contact"):
        offerodds.fit(frame)


def test_withdrawn_and_pending_are_not_trained_on():
    frame = generate(300, seed=30).drop(columns="true_probability")
    frame.loc[:49, "outcome"] = "withdrawn"
    frame.loc[50:59, "outcome"] = "pending"
    assert offerodds.fit(frame).fit_summary.n_outcomes == 240


def test_fit_does_not_write_anything(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    offerodds.fit(generate(200, seed=31).drop(columns="true_probability"))
    assert list(tmp_path.iterdir()) == []


def test_predict_proba_agrees_with_score(model_1000):
    frame = pd.DataFrame(generate(50, seed=32).drop(columns=["outcome", "true_probability"]))
    proba = model_1000.predict_proba(frame)
    assert proba.shape == (50, 2)
    np.testing.assert_allclose(proba[:, 1], offerodds.score(frame, model=model_1000)["offer_probability"])
    assert not hasattr(model_1000, "score")


def test_outcomes_with_nothing_to_learn_from_the_signals_give_the_offer_rate_not_a_refusal():
    """Leaving out an offer lowers that row's own rate, so a model whose signals carry nothing
    has a negative leave-one-out slope by construction; it predicts as well as the offer rate,
    so it is fitted (the gate then finds it no better than the base rate)."""
    frame = generate(1000, seed=5)
    model = offerodds.fit(frame[["outcome"]].assign(engagement=pd.NA))
    assert model.fit_summary.check_slope < 0
    rate = (frame["outcome"] == "offer").mean()
    nothing = frame[["outcome"]].assign(engagement=pd.NA).iloc[:5]
    probability = model.decompose(typed_frame(nothing)).probability
    assert np.allclose(probability, probability[0]) and abs(probability[0] - rate) < 0.03
    same = pd.concat([generate(1, seed=1)] * 60, ignore_index=True)
    same["outcome"] = ["offer"] * 30 + ["no_offer"] * 30
    assert offerodds.fit(same).fit_summary.n_outcomes == 60


@pytest.mark.parametrize(
    "outcomes, message",
    [
        (lambda n: np.r_[np.zeros(n - 1), 2.0], "row 60 holds 2$"),
        (lambda n: np.full(n, 0.5), "row 1 holds 0.5 \\(and 59 more\\)"),
        (lambda n: np.r_[np.zeros(n - 1), np.nan], "row 60 holds nan"),
        (lambda n: np.zeros(n - 1), "59 outcomes for 60 interviews"),
        (lambda n: np.array(["offer"] * n), "must be 0 \\(no offer\\) or 1"),
    ],
    ids=["two", "half", "nan", "short", "words"],
)
def test_outcomes_that_are_not_0_or_1_are_named(outcomes, message):
    frame, typed, y = _data(60, seed=30)
    with pytest.raises(FitError, match=message):
        fit_arrays(typed, outcomes(60))


def test_a_single_application_cannot_be_cross_validated_and_says_so():
    frame = generate(300, seed=1)
    frame["application_id"] = "app-1"
    with pytest.raises(offerodds.FitError, match="all 300 outcomes belong to one application"):
        offerodds.fit(frame, config=FitConfig(calibration="platt"))
    assert offerodds.fit(frame).fit_summary.n_outcomes == 300  # without folds it fits


@pytest.mark.parametrize(
    "setting, value",
    [("folds", 1), ("folds", 2.5), ("folds", True), ("min_outcomes_per_class", 0), ("min_calibration_per_class", "x"),
     ("random_state", -1), ("scale_prior_sd", True), ("scale_prior_sd", 1e-300), ("level_prior_sd", float("nan")),
     ("interval_inflation", 1000.0)],
)
def test_every_fit_setting_is_checked_and_named(setting, value):
    with pytest.raises(ValueError, match=f"\\[fit\\] {setting} = "):
        FitConfig(**{setting: value})
