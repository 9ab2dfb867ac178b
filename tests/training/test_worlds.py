"""The learned model judged on worlds where the article is wrong (issue 9): a fast subset of
``benchmarks/learning_curve.py``, which holds the full targets and their figures (40 training
sets per size, in every world). With a handful of training sets the comparison is noisy, so
the worlds here are those where the benchmark shows a clear margin; the thresholds are the
benchmark's own.

The worlds live in ``benchmarks/worlds.py``, written apart from the fitting code: their truths
come from their own encoding of the recorded cells, and the package generator is only one of
them. Every figure here is a distance to the TRUE probability of held-out interviews.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy.special import expit

import offerodds
from offerodds.scoring.agreement import disagreements
from offerodds.signals.encoding import encode
from offerodds.training.calibration import platt
from offerodds.training.fit import fit_arrays

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import worlds as world_module  # noqa: E402

WORLDS = world_module.worlds()
# scikit-learn 1.9 announces changes to LogisticRegressionCV's defaults; the peer here uses none
pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")
HELD_OUT = 20_000


def _seed(*parts) -> int:
    return int(np.random.SeedSequence([4242, *parts]).generate_state(1)[0])


@pytest.fixture(scope="module")
def held_out():
    """Per world: held-out features, card log-odds and true probability."""
    out = {}
    card = offerodds.rules()
    for index, (name, world) in enumerate(WORLDS.items()):
        typed, _, p_true, _ = world.draw(HELD_OUT, _seed(index, 0))
        X = encode(typed)
        out[name] = (typed, X @ card.coef + card.intercept, p_true)
    return out


def _mse(p, p_true) -> float:
    return float(np.mean((p - p_true) ** 2))


def _compare(name, n, sets, held_out):
    """Mean squared distance to the truth of the fit, the card recalibrated on the same rows,
    and plain logistic regression, over ``sets`` training sets of ``n`` outcomes."""
    from sklearn.linear_model import LogisticRegressionCV

    world = WORLDS[name]
    index = list(WORLDS).index(name)
    typed_test, card_test, p_true = held_out[name]
    X_test = encode(typed_test)
    card = offerodds.rules()
    rows = []
    for r in range(sets):
        typed, groups, _, y = world.draw(n, _seed(index, n, r))
        model = fit_arrays(typed, y, groups)
        slope, shift, _ = platt(encode(typed) @ card.coef + card.intercept, y.astype(float))
        plain = LogisticRegressionCV(Cs=np.logspace(-3, 3, 13), cv=5, scoring="neg_log_loss",
                                     max_iter=2_000).fit(encode(typed), y)
        rows.append((
            _mse(model.decompose(typed_test).probability, p_true),
            _mse(expit(slope * card_test + shift), p_true),
            _mse(plain.predict_proba(X_test)[:, 1], p_true),
        ))
    return np.mean(rows, axis=0)


def test_the_worlds_truths_are_written_apart_from_the_fitting_code():
    tree = ast.parse((BENCHMARKS / "worlds.py").read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {m for m in imported if m.startswith(("offerodds.training", "offerodds.scoring.scorer"))}
    assert {"base_plus10", "base_minus10", "card_half", "card_double", "reversed4", "irrelevant_third",
            "nonlinear_length", "context_more", "heavy_missing", "package"} <= set(WORLDS)


@pytest.mark.parametrize("name", ["reversed4", "irrelevant_third", "heavy_missing"])
def test_with_few_outcomes_the_fit_is_at_least_as_close_as_the_recalibrated_card(name, held_out):
    fit, recalibrated, plain = _compare(name, 50, 8, held_out)
    assert fit <= 1.05 * recalibrated, (fit, recalibrated)
    assert fit < plain, (fit, plain)


@pytest.mark.parametrize("name", ["card_half", "context_more"])
def test_with_200_outcomes_the_fit_is_at_least_as_close_as_the_recalibrated_card(name, held_out):
    fit, recalibrated, plain = _compare(name, 200, 6, held_out)
    assert fit <= 1.05 * recalibrated, (fit, recalibrated)
    assert fit < plain, (fit, plain)


def test_with_many_outcomes_the_data_win_where_the_article_is_wrong(held_out):
    """reversed4: four signals work the other way. With 5,000 outcomes the fit is much closer
    to the truth than the card recalibrated, and says where the outcomes disagree."""
    fit, recalibrated, plain = _compare("reversed4", 5_000, 1, held_out)
    assert fit < 0.6 * recalibrated and fit < plain, (fit, recalibrated, plain)
    world = WORLDS["reversed4"]
    typed, groups, _, y = world.draw(5_000, _seed(99))
    named = {d.signal for d in disagreements(fit_arrays(typed, y, groups), offerodds.rules())}
    assert {"selling", "hurried", "casual_ending", "next_steps_explained"} & named


@pytest.mark.parametrize("name", list(WORLDS))
def test_every_world_gives_an_additive_model_with_a_positive_out_of_sample_slope(name):
    world = WORLDS[name]
    typed, groups, _, y = world.draw(400, _seed(list(WORLDS).index(name), 400))
    model = fit_arrays(typed, y, groups)
    parts = model.decompose(typed)
    assert np.max(np.abs(parts.log_odds - parts.baseline - parts.contributions.sum(axis=1))) < 1e-9
    assert model.fit_summary.check_slope > 0
    assert np.all(parts.low <= parts.probability) and np.all(parts.probability <= parts.high)


def test_the_interval_holds_the_truth_about_nine_times_in_ten_and_narrows(held_out):
    typed_test, _, p_true = held_out["card_half"]
    typed_test = typed_test.iloc[:5_000]
    coverage, width = {}, {}
    for n in (200, 2_000):
        hits, widths = [], []
        for r in range(4):
            typed, groups, _, y = WORLDS["card_half"].draw(n, _seed(2, n, r, 7))
            model = fit_arrays(typed, y, groups)
            parts = model.decompose(typed_test)
            low, high = parts.low, parts.high
            hits.append(np.mean((low <= p_true[:5_000]) & (p_true[:5_000] <= high)))
            widths.append(np.mean(high - low))
        coverage[n], width[n] = np.mean(hits), np.mean(widths)
    assert 0.75 <= coverage[200] <= 0.99, coverage
    assert width[2_000] < 0.8 * width[200], width
