"""The monitor's checks (offerodds.monitoring.drift and .profile): batches from the reference's own
population rarely raise an alarm at any size, a signal that moved is flagged and named, and the
counts behind them are right however a file is chunked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import offerodds
from offerodds.monitoring.drift import compare, holm, table_test
from offerodds.monitoring.profile import categories, categorise
from offerodds.usecases import profile_table
from offerodds.signals.catalogue import STAGES, by_name
from offerodds.synthetic import generate

MOVED = "availability_discussed"


def move(frame: pd.DataFrame, signal: str = MOVED, share: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """``signal`` answered yes in ``share`` of the rows that recorded it."""
    frame = frame.copy()
    recorded = frame[signal].notna().to_numpy()
    yes = np.random.default_rng(seed).random(int(recorded.sum())) < share
    frame.loc[recorded, signal] = np.where(yes, "yes", "no")
    return frame


@pytest.fixture(scope="module")
def reference():
    return profile_table(generate(3000, seed=1), offerodds.rules())


# --- the tests on counts ----------------------------------------------------------------------


def test_holm_adjusts_as_the_step_down_method_does():
    p = np.array([0.01, 0.04, np.nan, 0.03, 0.5])
    # m = 4 known p-values: 4 * 0.01, max(3 * 0.03, 0.04), max(2 * 0.04, 0.09), max(0.5, 0.09)
    assert np.allclose(holm(p), [0.04, 0.09, np.nan, 0.09, 0.5], equal_nan=True)
    assert holm([0.4, 0.3]).tolist() == pytest.approx([0.6, 0.6])  # a step never goes down
    assert holm([0.9, 0.8]).tolist() == [1.0, 1.0]  # and never above 1


def test_table_test_uses_fishers_exact_test_for_two_categories():
    table = np.array([[8, 2], [300, 700]])
    p, name = table_test(table, np.random.default_rng(0), 999)
    assert name == "Fisher's exact test"
    assert p == pytest.approx(stats.fisher_exact(table).pvalue)


def test_table_test_uses_the_chi_square_distribution_only_with_enough_in_every_cell():
    big = np.array([[100, 200, 300], [400, 500, 600]])
    p, name = table_test(big, np.random.default_rng(0), 999)
    assert name == "chi-square test"
    assert p == pytest.approx(stats.chi2_contingency(big, correction=False).pvalue)
    sparse = np.array([[1, 3, 0, 1], [10, 300, 600, 90]])
    p1, name = table_test(sparse, np.random.default_rng(5), 999)
    p2, _ = table_test(sparse, np.random.default_rng(5), 999)
    assert "Monte Carlo" in name and p1 == p2  # seeded: the same table, the same answer
    assert 0 < p1 <= 1


@pytest.mark.parametrize(
    "table",
    [np.array([[0, 0], [10, 20]]), np.array([[5, 0, 0], [7, 0, 0]]), np.zeros((2, 3), dtype=int)],
    ids=["empty batch", "one category", "nothing"],
)
def test_table_test_has_nothing_to_compare_without_two_categories_and_two_rows(table):
    p, name = table_test(table, np.random.default_rng(0), 999)
    assert np.isnan(p) and name == "nothing to compare"


# --- categories -------------------------------------------------------------------------------


def test_categories_of_each_kind_of_signal():
    typed = pd.DataFrame(
        {
            "engagement": [1.0, 2.5, 4.49, 5.0, np.nan],
            "hurried": [1.0, 0.0, np.nan, 1.0, 0.0],
            "stage": pd.Categorical(["final", None, "screen", "other", "first"], categories=list(STAGES)),
            "scheduled_minutes": [60.0, 60.0, 60.0, 60.0, np.nan],
            "actual_minutes": [44.0, 45.0, 60.0, 75.0, 60.0],
        }
    )
    assert categorise(by_name()["engagement"], typed).tolist() == [0, 2, 3, 4, -1]
    assert categorise(by_name()["hurried"], typed).tolist() == [1, 0, -1, 1, 0]
    assert categorise(by_name()["stage"], typed).tolist() == [2, -1, 0, 3, 1]
    length = by_name()["interview_length"]
    words = [categories(length)[c] if c >= 0 else None for c in categorise(length, typed)]
    assert words == [
        "cut short by more than a quarter", "a little short", "about as scheduled",
        "ran over by a quarter or more", None,
    ]


# --- profiles ---------------------------------------------------------------------------------


def test_a_profile_does_not_depend_on_the_chunk_size():
    frame = generate(503, seed=4)
    model = offerodds.fit(generate(600, seed=5))
    whole = profile_table(frame, model)
    chunked = profile_table(frame, model, chunk_rows=37)
    assert whole.rows == chunked.rows == 503
    for name, counts in whole.counts.items():
        assert counts.tolist() == chunked.counts[name].tolist(), name
    assert np.array_equal(whole.probabilities, chunked.probabilities)
    assert whole.variance == pytest.approx(chunked.variance, rel=1e-12)
    assert np.allclose(whole.gradient, chunked.gradient, rtol=1e-12)
    assert whole.labelled == 503 and whole.offers == int((frame["outcome"] == "offer").sum())


def test_rows_with_problems_are_left_out_and_counted():
    frame = generate(40, seed=6).astype({"engagement": "object", "hurried": "object"})
    frame.loc[3, "engagement"] = 9
    frame.loc[7, "hurried"] = "maybe"
    profile = profile_table(frame, offerodds.rules())
    assert (profile.rows, profile.left_out) == (38, 2)
    assert sum(profile.counts["engagement"]) == 38


# --- false alarms and moved signals -----------------------------------------------------------

# Fewer batches than benchmarks/monitor_false_alarms.py (200 per size, three populations): the
# same claim, that batches from the reference's own population raise an alarm at most 5 % of
# the time at every size.
BATCHES = 40


@pytest.mark.slow
@pytest.mark.parametrize("missing_rate", [0.15, 0.4])
@pytest.mark.parametrize("n", [50, 200, 2000])
def test_batches_like_the_reference_rarely_raise_an_alarm(n, missing_rate):
    scorer = offerodds.rules()
    reference = profile_table(generate(3000, seed=11, missing_rate=missing_rate), scorer)
    batches = (profile_table(generate(n, seed=50_000 + i, missing_rate=missing_rate), scorer) for i in range(BATCHES))
    alarms = [compare(reference, batch)["moved"].any() for batch in batches]
    assert sum(alarms) <= 0.05 * BATCHES, f"{sum(alarms)} alarms in {BATCHES} unchanged batches of {n}"


@pytest.mark.parametrize("n", [50, 2000])
def test_a_moved_signal_is_flagged_and_named_first(reference, n):
    checks = compare(reference, profile_table(move(generate(n, seed=70 + n)), offerodds.rules()))
    first = checks.iloc[0]
    assert first["moved"] and first["signal"] == MOVED and first["check"] == "values"
    assert first["batch"].startswith("yes in 9") and first["reference"].startswith("yes in 2")
    assert first["question"] == by_name()[MOVED].question


def test_a_signal_no_longer_recorded_is_flagged(reference):
    batch = generate(60, seed=8)
    batch["workspace_tour"] = pd.NA
    checks = compare(reference, profile_table(batch, offerodds.rules()))
    moved = checks[checks["moved"]]
    assert list(zip(moved["signal"], moved["check"])) == [("workspace_tour", "recorded")]
    assert moved.iloc[0]["batch"] == "recorded in 0 % (0 of 60)"


def test_a_different_mix_of_stages_moves_the_stage_and_the_predictions(reference):
    pool = generate(6000, seed=9)
    finals = pool[pool["stage"] == "final"].head(150)
    others = pool[pool["stage"] != "final"].head(50)
    checks = compare(reference, profile_table(pd.concat([finals, others]), offerodds.rules()))
    moved = set(zip(checks.loc[checks["moved"], "signal"], checks.loc[checks["moved"], "check"]))
    assert ("stage", "values") in moved and ("predictions", "distribution") in moved
    stage = checks[(checks["signal"] == "stage") & (checks["check"] == "values")].iloc[0]
    assert stage["batch"].startswith("final in 7")
