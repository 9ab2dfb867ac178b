"""Tests for offerodds.evaluation.metrics."""

import math

import numpy as np
import pytest
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from offerodds.evaluation.metrics import (
    evaluate,
    expected_calibration_error,
    metrics_table,
    paired_bootstrap_logloss,
)


def _calibrated(n, seed=0):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.02, 0.98, n)
    y = (rng.uniform(size=n) < p).astype(int)
    return y, p


def test_ece_calibrated_small_and_shifted_large():
    y, p = _calibrated(200_000)
    assert expected_calibration_error(y, p) < 0.01
    shifted = np.clip(p + 0.2, 0, 1)
    assert expected_calibration_error(y, shifted) > 0.15


def test_ece_hand_computation_15_bins():
    # 30 rows -> 15 equal-count bins of 2 rows each, in sorted-p order.
    rng = np.random.default_rng(3)
    p = rng.uniform(size=30)
    y = rng.integers(0, 2, size=30)
    order = np.argsort(p)
    ps, ys = p[order], y[order]
    expected = sum(
        2 / 30 * abs(ys[2 * k : 2 * k + 2].mean() - ps[2 * k : 2 * k + 2].mean())
        for k in range(15)
    )
    assert expected_calibration_error(y, p, n_bins=15) == pytest.approx(expected, abs=1e-12)


def test_ece_tiny_explicit():
    # 4 rows, 2 bins: {0.1, 0.2} with y {0, 1}; {0.7, 0.9} with y {1, 1}
    y = [1, 0, 1, 1]
    p = [0.2, 0.1, 0.9, 0.7]
    expected = 0.5 * abs(0.5 - 0.15) + 0.5 * abs(1.0 - 0.8)
    assert expected_calibration_error(y, p, n_bins=2) == pytest.approx(expected)
    # more bins than rows: empty bins are ignored, each row is its own bin
    per_row = np.mean(np.abs(np.array(y) - np.array(p)))
    assert expected_calibration_error(y, p, n_bins=15) == pytest.approx(per_row)


def test_evaluate_matches_sklearn():
    y, p = _calibrated(5_000, seed=1)
    p[0] = 0.0
    p[1] = 1.0
    m = evaluate(y, p)
    assert set(m) == {"log_loss", "brier", "roc_auc", "ece", "n", "offer_rate"}
    pc = np.clip(p, 1e-15, 1 - 1e-15)
    assert m["log_loss"] == pytest.approx(log_loss(y, pc, labels=[0, 1]))
    assert math.isfinite(m["log_loss"])
    assert m["brier"] == pytest.approx(brier_score_loss(y, p))
    assert m["roc_auc"] == pytest.approx(roc_auc_score(y, p))
    assert m["ece"] == pytest.approx(expected_calibration_error(y, p))
    assert m["n"] == 5_000
    assert m["offer_rate"] == pytest.approx(y.mean())


def test_evaluate_one_class_auc_nan():
    m = evaluate(np.zeros(10, dtype=int), np.linspace(0.1, 0.5, 10))
    assert math.isnan(m["roc_auc"])
    assert math.isfinite(m["log_loss"]) and math.isfinite(m["brier"])
    assert m["offer_rate"] == 0.0


@pytest.mark.parametrize(
    ("y", "p", "match"),
    [
        ([0, 1, 1], [0.2, 0.5], "length mismatch"),
        ([0, 1], [0.2, 1.5], r"\[0, 1\]"),
        ([0, 2], [0.2, 0.5], "only 0 and 1"),
        ([0, 1], [0.2, np.nan], "NaN"),
        ([0, np.nan], [0.2, 0.3], "NaN"),
        ([0, 1], [-0.1, 0.3], r"\[0, 1\]"),
    ],
)
def test_bad_input_raises(y, p, match):
    with pytest.raises(ValueError, match=match):
        evaluate(y, p)
    with pytest.raises(ValueError, match=match):
        expected_calibration_error(y, p)


def test_bootstrap_true_model_beats_shuffled():
    y, p = _calibrated(4_000, seed=2)
    shuffled = np.random.default_rng(5).permutation(p)
    r = paired_bootstrap_logloss(y, p, shuffled, n_boot=1000, seed=0)
    assert r["mean_diff"] < 0
    assert r["ci_low"] <= r["mean_diff"] <= r["ci_high"]
    assert r["ci_high"] < 0
    assert r["p_a_not_better"] == 0.0


def test_bootstrap_equivalent_models_straddle_zero():
    y, p = _calibrated(4_000, seed=4)
    same = paired_bootstrap_logloss(y, p, p.copy(), n_boot=500)
    assert same["mean_diff"] == 0.0
    assert same["ci_low"] <= 0.0 <= same["ci_high"]
    # two equally good, noisy versions of the truth: CI straddles 0
    rng = np.random.default_rng(9)
    logit = np.log(p / (1 - p))
    pa = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.3, p.size))))
    pb = 1 / (1 + np.exp(-(logit + rng.normal(0, 0.3, p.size))))
    r = paired_bootstrap_logloss(y, pa, pb, n_boot=1000, seed=1)
    assert r["ci_low"] < 0 < r["ci_high"]
    assert 0.0 < r["p_a_not_better"] < 1.0


def test_bootstrap_deterministic_and_chunked():
    y, p = _calibrated(3_000, seed=6)
    q = np.clip(p + 0.05, 0, 1)
    a = paired_bootstrap_logloss(y, p, q, n_boot=3000, seed=7)
    b = paired_bootstrap_logloss(y, p, q, n_boot=3000, seed=7)
    assert a == b
    with pytest.raises(ValueError, match="length mismatch"):
        paired_bootstrap_logloss(y, p, q[:-1])


def test_metrics_table():
    y, p = _calibrated(1_000, seed=8)
    res = {"rule_card": evaluate(y, p), "model": evaluate(y, np.clip(p + 0.1, 0, 1))}
    t = metrics_table(res)
    assert list(t.index) == ["rule_card", "model"]
    assert list(t.columns) == ["log_loss", "brier", "ece", "roc_auc", "n"]
    assert t.loc["model", "brier"] == pytest.approx(res["model"]["brier"])
    assert t.loc["rule_card", "n"] == 1_000


def test_calibration_sums_add_up_and_bin_every_probability():
    from offerodds.evaluation.metrics import calibration_sums

    y = np.array([1, 0, 1, 0, 1, 0], dtype=float)
    p = np.array([0.0, 0.05, 0.5, 0.55, 0.999, 1.0])
    whole, first, second = calibration_sums(y, p), calibration_sums(y[:3], p[:3]), calibration_sums(y[3:], p[3:])
    for key in ("n", "offers", "expected_offers", "variance", "log_loss_sum", "brier_sum"):
        assert whole[key] == pytest.approx(first[key] + second[key]), key
    assert whole["bins"]["n"] == [2, 0, 0, 0, 0, 2, 0, 0, 0, 2]  # p = 1 is in the last bin
    assert whole["bins"]["offers"] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert whole["variance"] == pytest.approx((p * (1 - p)).sum())
