"""The rule card recalibrated (training/calibration.py): two parameters learned on the card's
log-odds, still exactly additive, with an interval, never served the wrong way round."""

import numpy as np
import pytest
from scipy.special import expit

import offerodds
from offerodds.synthetic import generate, typed_frame
from offerodds.training.calibration import platt, recalibrated_card


def _world(n, seed, scale, shift):
    """Outcomes drawn from the card's own log-odds, rescaled and shifted: the card's reading
    with the wrong strength and base rate."""
    typed = typed_frame(generate(n, seed=seed, outcomes=False))
    z = offerodds.rules().decompose(typed).log_odds
    y = (np.random.default_rng(seed).random(n) < expit(scale * z + shift)).astype(float)
    return typed, y


def test_it_finds_the_level_and_scale_of_a_world_where_the_card_is_off():
    typed, y = _world(20_000, 1, scale=0.5, shift=1.0)
    model = recalibrated_card(typed, y)
    assert model.fit_summary.calibration_slope == pytest.approx(0.5, abs=0.06)
    assert model.fit_summary.calibration_shift == pytest.approx(1.0, abs=0.1)


def test_it_stays_exactly_additive_and_has_an_interval():
    typed, y = _world(2_000, 2, scale=2.0, shift=-0.5)
    model = recalibrated_card(typed, y)
    parts = model.decompose(typed)
    assert np.max(np.abs(parts.log_odds - parts.baseline - parts.contributions.sum(axis=1))) < 1e-9
    assert np.all(parts.low < parts.probability) and np.all(parts.probability < parts.high)
    card = offerodds.rules().decompose(typed)
    slope = model.fit_summary.calibration_slope
    assert np.allclose(parts.contributions, slope * card.contributions, atol=1e-12)


def test_the_interval_narrows_as_outcomes_grow():
    widths = []
    for n in (200, 5_000):
        typed, y = _world(n, 3, scale=1.0, shift=0.0)
        parts = recalibrated_card(typed, y).decompose(typed.iloc[:500])
        widths.append(float(np.mean(parts.high - parts.low)))
    assert widths[1] < widths[0] / 3


def test_outcomes_that_run_against_the_card_are_refused():
    typed, y = _world(3_000, 4, scale=-1.0, shift=0.0)
    with pytest.raises(ValueError, match="run against the rule card"):
        recalibrated_card(typed, y)


def test_platt_equals_a_plain_two_parameter_fit_on_smoothed_targets():
    rng = np.random.default_rng(5)
    s = rng.normal(size=3_000)
    y = (rng.random(3_000) < expit(0.7 * s - 0.3)).astype(float)
    slope, shift, cov = platt(s, y)
    from sklearn.calibration import _SigmoidCalibration

    reference = _SigmoidCalibration().fit(s, y)
    assert slope == pytest.approx(-reference.a_, rel=1e-5)
    assert shift == pytest.approx(-reference.b_, abs=1e-5)
    assert np.all(np.linalg.eigvalsh(cov) > 0)
