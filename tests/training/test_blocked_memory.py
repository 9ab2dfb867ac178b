"""The million-outcome path (features written into one array, feature scales summed in blocks)
gives the numbers of the plain path to the last bit."""

from __future__ import annotations

import numpy as np
import pytest
import pandas as pd

import offerodds.training.card_prior as card_prior
from offerodds.signals.catalogue import CONTEXT_SIGNALS, catalogue, input_columns
from offerodds.signals.encoding import context_masks, encode, encode_signal
from offerodds.signals.validation import typed_signals
from offerodds.synthetic import generate


def _typed_and_y(n: int, seed: int):
    frame = generate(n, seed=seed)
    y = (frame["outcome"] == "offer").to_numpy(dtype=float)
    return typed_signals(frame[list(input_columns())]), y


def _encode_by_blocks(typed: pd.DataFrame) -> np.ndarray:
    """The former encoder: a list of per-signal blocks, concatenated."""
    blocks, context = [], context_masks(typed)
    for signal in catalogue():
        base = encode_signal(signal, typed)
        blocks.append(base)
        if signal.context_sensitive:
            blocks += [base * context[c][:, None] for c in CONTEXT_SIGNALS]
    return np.hstack(blocks)


def test_encode_into_one_array_equals_the_concatenated_blocks():
    typed, _ = _typed_and_y(3_000, 11)
    plain = encode(typed)
    assert np.array_equal(plain, _encode_by_blocks(typed))
    room = encode(typed, spare=2)
    assert room.shape == (len(typed), plain.shape[1] + 2)
    assert np.array_equal(room[:, :-2], plain)


def _scales_in_one_sum(X):
    nonzero = (X != 0).sum(axis=0)
    rms = np.sqrt((X**2).sum(axis=0) / np.maximum(nonzero, 1))
    return np.where(nonzero > 0, np.clip(rms, 0.05, 1.0), 1.0)


def test_feature_scales_in_blocks_equal_one_sum(monkeypatch):
    monkeypatch.setattr(card_prior, "BLOCK_ROWS", 700)  # several blocks, the last one short
    typed, _ = _typed_and_y(5_000, 12)
    X = encode(typed)
    assert np.array_equal(card_prior.feature_scales(X), _scales_in_one_sum(X))


def _features_and_terms(n: int, seed: int):
    from offerodds.signals.terms import blank_terms, encode_terms, length_terms

    typed, y = _typed_and_y(n, seed)
    names = blank_terms() + length_terms()
    return typed, y, encode(typed), encode_terms(typed, names), np.array([0] * len(blank_terms()) + [1] * len(length_terms()))


def test_card_posterior_in_a_work_array_equals_the_copying_one(monkeypatch):
    """The fit keeps the features, the terms and the posterior's two extra columns in one
    array (``card_posterior(work=)``, wider than it needs, as the fit's is): the posterior is
    that of the copying path to the last bit."""
    from offerodds.scoring.rulecard import rules

    monkeypatch.setattr(card_prior, "BLOCK_ROWS", 900)
    typed, y, X, E, kind = _features_and_terms(4_000, 13)
    card = rules()
    plain = card_prior.card_posterior(X, y, card.coef, card.intercept, extras=E, extra_kind=kind)
    p, q = X.shape[1], E.shape[1]
    W = np.full((len(X), p + q + 5), np.nan)  # three spare columns more than needed
    W[:, :p], W[:, p : p + q] = X, E
    shared = card_prior.card_posterior(W[:, :p], y, card.coef, card.intercept, extras=W[:, p : p + q], extra_kind=kind, work=W)
    for field in ("coef", "covariance", "departures"):
        assert np.array_equal(getattr(plain, field), getattr(shared, field)), field
    for field in ("intercept", "scale", "level", "prior_strength", "scale_sd", "level_sd", "pair_strength"):
        assert np.array_equal(getattr(plain, field), getattr(shared, field)), field
    assert np.array_equal(W[:, :p], X) and np.array_equal(W[:, p : p + q], E)  # the features untouched


def test_pairs_and_probes_in_column_blocks_equal_all_columns_at_once(monkeypatch):
    """Pair screening and the misfit's probes run a block of columns at a time: the same pairs
    in the same order, the same probes, and statistics equal to all columns at once but for
    the solver's last bits (the solve's blocking depends on how many columns it is given)."""
    from scipy.linalg import lstsq

    import offerodds.training.misfit as misfit
    import offerodds.training.pairs as pairs
    from offerodds.signals.terms import candidate_pairs, encode_terms

    typed, y, X, E, _ = _features_and_terms(6_000, 14)
    F = np.column_stack([X, E])
    log_odds = F @ np.random.default_rng(3).normal(0.0, 0.1, F.shape[1]) - 0.5

    def screen_at_once():  # the whole-matrix statistic, written out
        names = candidate_pairs()
        C = encode_terms(typed, names)
        keep = np.flatnonzero((C != 0).sum(axis=0) >= 10)
        C, names = C[:, keep], [names[i] for i in keep]
        p = 1.0 / (1.0 + np.exp(-log_odds))
        root = np.sqrt(p * (1.0 - p))[:, None]
        F1 = np.column_stack([F, np.ones(len(F))]) * root
        residual = C * root - F1 @ lstsq(F1, C * root, lapack_driver="gelsy", check_finite=False)[0]
        info = (residual**2).sum(axis=0)
        return dict(zip(names, ((y - p) @ (residual / root)) ** 2 / info))

    whole = screen_at_once()
    for block in (7, 64, 10_000):
        monkeypatch.setattr(pairs, "COLUMN_BLOCK", block)
        screened = pairs.screen_pairs(typed, y, log_odds, F, 24)
        assert screened, "the synthetic world has pairs worth keeping"
        ranked = sorted(whole, key=lambda name: -whole[name])
        assert [name for name, _ in screened] == [n for n in ranked if whole[n] >= pairs.MIN_SCORE][:24]
        for name, stat in screened:
            assert abs(stat - whole[name]) <= 1e-9 * whole[name]
    monkeypatch.setattr(misfit, "COLUMN_BLOCK", 9)
    blocks = list(misfit.probe_blocks(typed))
    assert len(blocks) > 10 and np.array_equal(misfit.probes(typed), np.column_stack(blocks))
    estimates = [misfit.misfit_estimate(typed, F, y, log_odds)]
    monkeypatch.setattr(misfit, "COLUMN_BLOCK", 100_000)  # every pair probe in one block
    estimates.append(misfit.misfit_estimate(typed, F, y, log_odds))
    np.testing.assert_allclose(estimates[0], estimates[1], rtol=1e-10)


def _design_of(typed, E_names):
    from offerodds.signals.encoding import feature_layout
    from offerodds.signals.terms import encode_terms
    from offerodds.training.design import Design

    names, _ = feature_layout()
    design = Design(len(typed)).add(names, lambda a, b: encode(typed.iloc[a:b]))
    return design.add(E_names, lambda a, b: encode_terms(typed.iloc[a:b], E_names))


def test_a_design_holds_the_float64_values_exactly_and_reads_them_in_blocks(monkeypatch):
    """The fit's columns, stored as float32 where exact and float64 where not (the length
    ratio), read back as the float64 array, whole, by blocks, by rows, by leading columns."""
    import offerodds.training.design as design_module
    from offerodds.signals.terms import blank_terms, length_terms

    monkeypatch.setattr(design_module, "BLOCK_ROWS", 333)
    typed, y, X, E, _ = _features_and_terms(2_000, 15)
    design = _design_of(typed, blank_terms() + length_terms())
    whole = np.column_stack([X, E])
    assert design.shape == whole.shape and design.nbytes < 0.6 * whole.nbytes  # mostly float32
    assert any(a.dtype == np.float64 for a, _, _ in design.pieces)  # the length ratio's columns
    assert np.array_equal(design_module.dense(design), whole)
    rows = np.sort(np.random.default_rng(1).choice(len(whole), 700, replace=False))
    assert np.array_equal(design.take(rows), whole[rows])
    assert np.array_equal(design_module.dense(design.subset(rows).first(X.shape[1])), X[rows])
    theta = np.random.default_rng(2).normal(size=whole.shape[1])
    assert np.array_equal(design @ theta, np.concatenate([whole[a : a + 333] @ theta for a in range(0, 2_000, 333)]))
    np.testing.assert_allclose(design.rmatvec(y), whole.T @ y, rtol=1e-13, atol=1e-12)


def test_a_design_refuses_a_column_not_exact_in_float32(monkeypatch):
    import offerodds.training.design as design_module
    from offerodds.signals.terms import length_terms

    typed, _, _, _, _ = _features_and_terms(500, 16)
    monkeypatch.setattr(design_module, "exact_in_float32", lambda name: True)  # wrongly: the hinges are ratios
    with pytest.raises(AssertionError, match="not exact in float32"):
        _design_of(typed, length_terms())


@pytest.mark.parametrize("block", [100_000, 700])
def test_card_posterior_on_a_design_equals_the_array_one(monkeypatch, block):
    """On a design read in one block the posterior is the array's to the last bit; in blocks
    of 700 rows (the Newton gradient then summed block by block) it agrees to 1e-12. (Designs
    of up to ``DENSE_ROWS`` rows are read whole and take the array's path.)"""
    import offerodds.training.design as design_module
    from offerodds.scoring.rulecard import rules
    from offerodds.signals.terms import blank_terms, length_terms

    monkeypatch.setattr(design_module, "BLOCK_ROWS", block)
    monkeypatch.setattr(card_prior, "BLOCK_ROWS", block)
    monkeypatch.setattr(card_prior, "DENSE_ROWS", 0)  # read block by block, as at a million outcomes
    typed, y, X, E, kind = _features_and_terms(3_000, 17)
    card = rules()
    plain = card_prior.card_posterior(X, y, card.coef, card.intercept, extras=E, extra_kind=kind)
    design = _design_of(typed, blank_terms() + length_terms())
    on_design = card_prior.card_posterior(design, y, card.coef, card.intercept, extra_kind=kind)
    rows = np.arange(0, 3_000, 3)  # a fold: rows of the same design, never copied
    plain_fold = card_prior.card_posterior(X[rows], y[rows], card.coef, card.intercept, extras=E[rows], extra_kind=kind)
    fold = card_prior.card_posterior(design.subset(rows), y[rows], card.coef, card.intercept, extra_kind=kind)
    for a, b in ((plain, on_design), (plain_fold, fold)):
        for field in ("coef", "covariance", "intercept", "scale", "level", "prior_strength", "pair_strength"):
            if block >= 3_000:
                assert np.array_equal(getattr(a, field), getattr(b, field)), field
            else:
                np.testing.assert_allclose(getattr(a, field), getattr(b, field), rtol=1e-12, atol=1e-12)


def test_the_card_recalibrated_in_blocks_of_rows_equals_all_rows_at_once(monkeypatch):
    """The gate recalibrates the card on each fold (800,000 rows at a million outcomes): its
    log-odds are computed a block of rows at a time, to the last bit the same."""
    import offerodds.training.calibration as calibration

    typed, y = _typed_and_y(3_000, 18)
    whole = calibration.recalibrated_card(typed, y)
    monkeypatch.setattr(calibration, "LOG_ODDS_ROWS", 700)
    blocks = calibration.recalibrated_card(typed, y)
    assert np.array_equal(whole.coef, blocks.coef) and whole.intercept == blocks.intercept
    assert np.array_equal(whole.covariance, blocks.covariance)
