"""Tests for offerodds.synthetic and scripts/make_examples.py."""

import importlib.util
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

from offerodds.signals.catalogue import CONTEXT_SIGNALS, STAGES, by_name, column_kinds, input_columns
from offerodds.signals.features import SignalFeatures
from offerodds.signals.encoding import feature_layout
from offerodds.scoring.rulecard import rule_weights
from offerodds.synthetic import (
    TRUE_BASE_RATES,
    TRUE_INTERCEPT,
    TRUE_WEIGHTS,
    generate,
    true_probability,
    typed_frame,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "data" / "examples"
META = ["interview_id", "application_id", "interview_date", "company", "role"]


@pytest.fixture(scope="module")
def big():
    """50,000 interviews (seed 11) and their typed frame."""
    df = generate(50_000, seed=11)
    return df, typed_frame(df)


def _load_script():
    path = REPO / "scripts" / "make_examples.py"
    spec = importlib.util.spec_from_file_location("make_examples", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- reproducibility -------------------------------------------------------------------------


def test_same_seed_gives_identical_frame():
    pd.testing.assert_frame_equal(generate(3000, seed=7), generate(3000, seed=7))


def test_different_seeds_give_different_ids_and_values():
    a, b = generate(3000, seed=7), generate(3000, seed=8)
    assert not set(a["interview_id"]) & set(b["interview_id"])
    assert not set(a["application_id"]) & set(b["application_id"])
    assert not a["engagement"].equals(b["engagement"])
    assert not np.allclose(a["true_probability"], b["true_probability"])


def test_missing_rate_and_outcomes_do_not_change_the_signal_values():
    full = generate(2000, seed=3, missing_rate=0.0, outcomes=False)
    sparse = generate(2000, seed=3, missing_rate=0.5)
    for column in input_columns():
        shown = sparse[column].notna()
        assert (sparse.loc[shown, column] == full.loc[shown, column]).all(), column


# --- columns and values ----------------------------------------------------------------------


def test_columns_in_order():
    df = generate(50, seed=0)
    assert list(df.columns) == META + list(input_columns()) + ["true_probability", "outcome"]
    no_outcome = generate(50, seed=0, outcomes=False)
    assert list(no_outcome.columns) == list(df.columns)[:-1]


def test_every_signal_column_has_valid_values_only():
    df = generate(20_000, seed=5)
    kinds = column_kinds()
    assert set(kinds) == set(input_columns())
    for column in input_columns():
        values = df[column].dropna()
        assert len(values) > 0, column
        if kinds[column] == "scale":
            assert str(df[column].dtype) == "Int64"
            assert set(values.unique()) <= {1, 2, 3, 4, 5}, column
            assert set(values.unique()) == {1, 2, 3, 4, 5}, column
        elif kinds[column] == "yesno":
            assert set(values.unique()) == {"yes", "no"}, column
        elif kinds[column] == "minutes":
            assert str(df[column].dtype) == "Int64"
            assert ((values > 0) & (values <= 1440)).all(), column
        else:
            assert set(values.unique()) == set(STAGES)
    assert ((df["true_probability"] > 0) & (df["true_probability"] < 1)).all()
    assert set(df["outcome"].unique()) == {"offer", "no_offer"}


def test_ids_applications_and_dates():
    df = generate(20_000, seed=4)
    assert df["interview_id"].is_unique
    assert df["interview_id"].iloc[0] == "syn-4-000000"
    per_application = df.groupby("application_id").size()
    assert 1.3 < per_application.mean() < 1.5
    assert per_application.max() > 1
    shared = df.groupby("application_id")[["company", "role"]].nunique()
    assert (shared == 1).all().all()
    dates = pd.to_datetime(df["interview_date"], format="%Y-%m-%d")
    assert (dates.dt.year == 2026).all()
    assert df["company"].nunique() > 3 and df["role"].nunique() > 3


def test_context_and_stage_rates():
    t = typed_frame(generate(40_000, seed=6, missing_rate=0.0))
    assert abs(t["structured_format"].mean() - 0.30) < 0.015
    assert abs(t["inexperienced_interviewer"].mean() - 0.15) < 0.015
    assert abs(t["thank_you_within_24h"].mean() - 0.60) < 0.02
    assert abs(t["handwritten_note"].mean() - 0.10) < 0.015
    shares = t["stage"].value_counts(normalize=True)
    for stage, share in {"screen": 0.30, "first": 0.35, "final": 0.25, "other": 0.10}.items():
        assert abs(shares[stage] - share) < 0.015


def test_empty_frame_and_bad_arguments():
    empty = generate(0)
    assert len(empty) == 0 and "outcome" in empty.columns
    with pytest.raises(ValueError):
        generate(10, missing_rate=1.5)
    with pytest.raises(ValueError):
        generate(-1)


# --- missing cells ---------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.15, 0.4, 1.0])
def test_missing_share_close_to_missing_rate(rate):
    df = generate(10_000, seed=2, missing_rate=rate)
    share = df[list(input_columns())].isna().to_numpy().mean()
    assert abs(share - rate) < 0.01


def test_follow_up_signals_missing_more_often_and_minutes_in_pairs():
    df = generate(40_000, seed=2, missing_rate=0.15)
    missing = df[list(input_columns())].isna().mean()
    assert missing["thank_you_within_24h"] > 1.5 * missing["engagement"]
    assert missing["handwritten_note"] > 1.5 * missing["selling"]
    assert missing["stage"] < missing["engagement"]
    scheduled, actual = df["scheduled_minutes"].isna(), df["actual_minutes"].isna()
    both = (scheduled & actual).mean()
    assert both > 2 * scheduled.mean() * actual.mean()  # together more often than by chance
    assert (scheduled & ~actual).any() and (actual & ~scheduled).any()  # and singly


# --- correlations and context ----------------------------------------------------------------


def test_signals_are_correlated(big):
    _, t = big
    corr = t[["engagement", "selling", "distracted", "hurried", "skills_depth"]].corr()
    assert corr.loc["engagement", "selling"] > 0.25
    assert corr.loc["selling", "skills_depth"] > 0.25
    assert corr.loc["distracted", "engagement"] < -0.1
    assert corr.loc["hurried", "selling"] < -0.1
    length = t["actual_minutes"] / t["scheduled_minutes"]
    assert length.corr(t["selling"]) > 0.1


def test_contexts_weaken_body_language(big):
    df, t = big
    p = df["true_probability"]
    plain = (t["structured_format"] == 0) & (t["inexperienced_interviewer"] == 0)
    for context in CONTEXT_SIGNALS:
        other = next(c for c in CONTEXT_SIGNALS if c != context)
        rows = (t[context] == 1) & (t[other] == 0)
        for signal in ("engagement", "rapport"):
            assert by_name()[signal].context_sensitive
            weak = t.loc[rows, signal].corr(p[rows])
            strong = t.loc[plain, signal].corr(p[plain])
            assert weak < strong - 0.15, (context, signal, weak, strong)
        # a signal that context does not touch keeps its correlation
        assert not by_name()["selling"].context_sensitive
        selling_weak = t.loc[rows, "selling"].corr(p[rows])
        assert selling_weak > t.loc[plain, "selling"].corr(p[plain]) - 0.1


# --- the ground truth ------------------------------------------------------------------------


def test_true_probability_is_the_documented_logistic(big):
    df, t = big
    recomputed = true_probability(t)
    np.testing.assert_allclose(df["true_probability"], recomputed, rtol=0, atol=1e-12)
    X = SignalFeatures().fit(t).transform(t)
    names, _ = feature_layout()
    assert list(TRUE_WEIGHTS.index) == names
    direct = expit(TRUE_INTERCEPT + X @ TRUE_WEIGHTS.to_numpy())
    np.testing.assert_allclose(df["true_probability"], direct, rtol=0, atol=1e-12)


def test_truth_survives_a_csv_round_trip():
    df = generate(3000, seed=9)
    text = df.to_csv(index=False)
    back = pd.read_csv(io.StringIO(text))
    np.testing.assert_allclose(
        true_probability(typed_frame(back)), df["true_probability"], rtol=0, atol=1e-12
    )


def test_typed_frame_values():
    df = generate(500, seed=1)
    t = typed_frame(df)
    assert list(t.columns) == list(input_columns())
    assert set(t["hurried"].dropna().unique()) == {0.0, 1.0}
    assert ((df["hurried"] == "yes") == (t["hurried"] == 1.0)).all()
    assert t["engagement"].dtype == float and t["actual_minutes"].dtype == float
    assert t["engagement"].isna().equals(df["engagement"].isna())
    assert set(t["stage"].dropna()) <= set(STAGES)


def test_outcome_rate_matches_true_probability(big):
    df, _ = big
    rate = (df["outcome"] == "offer").mean()
    assert abs(rate - df["true_probability"].mean()) < 0.02


def test_true_probabilities_spread_realistically(big):
    df, _ = big
    p = df["true_probability"]
    assert 0.20 <= p.mean() <= 0.35
    assert (p < 0.10).mean() > 0.15
    assert (p > 0.60).mean() > 0.08
    by_stage = df.groupby("stage")["true_probability"].mean()
    assert by_stage["screen"] < by_stage["first"] < by_stage["final"]


def test_empty_interview_has_the_base_rate():
    df = generate(200, seed=4, missing_rate=1.0)
    assert df[list(input_columns())].isna().all().all()
    assert (df["true_probability"] == expit(TRUE_INTERCEPT)).all()
    only_stage = pd.DataFrame({"stage": list(STAGES)})
    expected = expit(TRUE_INTERCEPT + TRUE_WEIGHTS[[f"stage={s}" for s in STAGES]].to_numpy())
    np.testing.assert_array_equal(true_probability(only_stage), expected)
    np.testing.assert_allclose(expected, [TRUE_BASE_RATES[s] for s in STAGES], atol=1e-12)


def test_true_weights_differ_from_the_rule_card():
    card_intercept, card = rule_weights()
    card = pd.Series(card).reindex(TRUE_WEIGHTS.index)
    assert not np.allclose(TRUE_WEIGHTS, card)
    assert TRUE_INTERCEPT != card_intercept
    ratio = (TRUE_WEIGHTS / card)[card != 0]
    typical = ratio.median()
    for feature in ("selling", "skills_depth", "engagement", "availability_discussed=yes",
                    "next_steps_explained=yes"):
        assert ratio[feature] >= 1.9 * typical, feature
    assert ratio["eye_contact"] == pytest.approx(0.5 * typical)
    for feature in ("workspace_tour=yes", "handwritten_note=yes"):
        assert abs(TRUE_WEIGHTS[feature]) < 0.02 < abs(card[feature])
    assert TRUE_WEIGHTS["stage=final"] != pytest.approx(card["stage=final"])
    assert expit(TRUE_INTERCEPT + TRUE_WEIGHTS["stage=final"]) == pytest.approx(0.42)
    assert expit(TRUE_INTERCEPT + TRUE_WEIGHTS["stage=screen"]) < 0.10


def test_a_well_specified_model_reaches_the_truth(big):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss

    df, t = big
    X = SignalFeatures().fit(t).transform(t)
    y = (df["outcome"] == "offer").to_numpy().astype(int)
    train, test = slice(0, 40_000), slice(40_000, None)
    model = LogisticRegression(C=100.0, max_iter=2000).fit(X[train], y[train])
    fitted = log_loss(y[test], model.predict_proba(X[test])[:, 1])
    truth = log_loss(y[test], df["true_probability"].to_numpy()[test])
    assert fitted < truth + 0.01


# --- example files ---------------------------------------------------------------------------


def test_example_files_exist_with_the_stated_sizes():
    interviews = pd.read_csv(EXAMPLES / "interviews.csv")
    outcomes = pd.read_csv(EXAMPLES / "outcomes.csv")
    assert len(interviews) == 200 and len(outcomes) == 1000
    assert list(interviews.columns) == META + list(input_columns())
    assert list(outcomes.columns) == META + list(input_columns()) + ["outcome"]
    assert interviews["interview_id"].str.startswith("syn-1-").all()
    assert outcomes["interview_id"].str.startswith("syn-2-").all()
    for name in ("interviews.csv", "outcomes.csv"):
        assert (EXAMPLES / name).stat().st_size < 300_000


def test_example_files_are_regenerated_identically(tmp_path):
    written = _load_script().make_examples(tmp_path)
    assert sorted(p.name for p in written) == ["interviews.csv", "outcomes.csv"]
    for path in written:
        assert path.read_bytes() == (EXAMPLES / path.name).read_bytes(), path.name
