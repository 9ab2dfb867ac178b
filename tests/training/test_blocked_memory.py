"""The million-outcome path (features written into one array, feature scales summed in blocks)
gives the numbers of the plain path to the last bit."""

from __future__ import annotations

import numpy as np
import pytest
import pandas as pd

import offerodds.training.card_prior as card_prior
from offerodds.signals.catalogue import CONTEXT_SIGNALS, catalogue, input_columns
from offerodds.signals.encoding import context_masks, encode, encode_signal
from offerodds.signals.terms import encode_terms
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
    """The fit's columns, stored as float16 where exact and float64 where not (the length
    ratio), read back as the float64 array, whole, by blocks, by rows, by leading columns."""
    import offerodds.training.design as design_module
    from offerodds.signals.terms import blank_terms, length_terms

    monkeypatch.setattr(design_module, "BLOCK_ROWS", 333)
    typed, y, X, E, _ = _features_and_terms(2_000, 15)
    design = _design_of(typed, blank_terms() + length_terms())
    whole = np.column_stack([X, E])
    assert design.shape == whole.shape and design.nbytes < 0.4 * whole.nbytes  # mostly float16
    assert {a.dtype for a, _, _ in design.pieces} == {np.dtype(np.float16), np.dtype(np.float64)}
    assert any(a.dtype == np.float64 for a, _, _ in design.pieces)  # the length ratio's columns
    assert np.array_equal(design_module.dense(design), whole)
    rows = np.sort(np.random.default_rng(1).choice(len(whole), 700, replace=False))
    assert np.array_equal(design.take(rows), whole[rows])
    assert np.array_equal(design_module.dense(design.subset(rows).first(X.shape[1])), X[rows])
    theta = np.random.default_rng(2).normal(size=whole.shape[1])
    assert np.array_equal(design @ theta, np.concatenate([whole[a : a + 333] @ theta for a in range(0, 2_000, 333)]))
    np.testing.assert_allclose(design.rmatvec(y), whole.T @ y, rtol=1e-13, atol=1e-12)


def test_a_design_widens_a_column_its_type_would_round_never_rounds_it(monkeypatch):
    """A run of columns starts in the narrowest type its kind allows (float16 for the answers'
    columns, float64 for the length ratio's); a value that type would round widens the run,
    the rows stored before it copied exactly, wherever in the rows it comes."""
    import offerodds.training.design as design_module
    from offerodds.signals.terms import length_terms

    monkeypatch.setattr(design_module, "BLOCK_ROWS", 100)
    typed, _, _, _, _ = _features_and_terms(500, 16)
    monkeypatch.setattr(design_module, "exact_in_float32", lambda name: True)  # wrongly: the hinges are ratios
    design = _design_of(typed, length_terms())
    assert np.array_equal(design_module.dense(design)[:, -len(length_terms()):], encode_terms(typed, length_terms()))
    assert design.pieces[-1][0].dtype == np.float64

    values = np.zeros((500, 3))
    values[:, 0] = np.arange(500) % 5 / 4 - 0.5  # multiples of 1/4: float16
    values[350, 1] = 1.0 + 2.0**-12  # exact in float32, not in float16, in the fourth block
    values[420, 2] = 1e-300  # exact in float64 only
    widened = design_module.Design(500)
    for j in range(3):
        widened.add([f"c{j}"], lambda a, b, j=j: values[a:b, j : j + 1])
    assert [a.dtype for a, _, _ in widened.pieces] == [np.float16, np.float32, np.float64]
    assert np.array_equal(design_module.dense(widened), values)


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


@pytest.mark.parametrize("blocked", [False, True])
def test_a_fold_fitted_from_its_rows_equals_the_fold_copied(monkeypatch, blocked):
    """The gate's folds read their rows from the full signal frame (``fit_arrays(rows=)``)
    instead of copying them out of it: the same model to the last bit, pairs screened and the
    misfit measured on subsamples of the fold's rows, on the whole-array path and the blocked
    one."""
    import offerodds.training.design as design_module
    import offerodds.training.misfit as misfit
    import offerodds.training.pairs as pairs
    from offerodds.config import FitConfig
    from offerodds.training.fit import fit_arrays

    if blocked:
        monkeypatch.setattr(card_prior, "DENSE_ROWS", 0)
        monkeypatch.setattr(card_prior, "BLOCK_ROWS", 700)
        monkeypatch.setattr(design_module, "BLOCK_ROWS", 700)
    monkeypatch.setattr(pairs, "MAX_ROWS", 1_500)  # a subsample of the fold's rows
    monkeypatch.setattr(misfit, "MAX_ROWS", 1_500)
    monkeypatch.setattr(pairs, "MIN_SCORE", 0.0)  # the best pairs kept, whatever their statistic
    typed, y = _typed_and_y(3_000, 21)
    train = np.sort(np.random.default_rng(4).choice(len(y), 2_400, replace=False))
    copied = fit_arrays(typed.iloc[train], y[train], None, FitConfig())
    by_rows = fit_arrays(typed, y[train], None, FitConfig(), rows=train)
    assert copied.fit_summary.terms, "pairs were screened"
    assert copied.terms == by_rows.terms and copied.fit_summary.terms == by_rows.fit_summary.terms
    for name in ("coef", "term_coef", "covariance"):
        assert np.array_equal(getattr(copied, name), getattr(by_rows, name)), name
    assert copied.intercept == by_rows.intercept and copied.misfit_variance == by_rows.misfit_variance
    assert copied.fit_summary.holdout_check == by_rows.fit_summary.holdout_check


def test_out_of_fold_from_rows_equals_the_folds_copied(monkeypatch):
    """``gate.out_of_fold`` reads each fold's rows from the full frame and recalibrates the card
    on log-odds computed once: every probability is the one of the former procedure, which
    copied each fold's rows (written out here), to the last bit."""
    import offerodds.training.calibration as calibration
    from offerodds.config import FitConfig
    from offerodds.scoring.rulecard import rules
    from offerodds.training import gate
    from offerodds.training.fit import fit_arrays
    from offerodds.training.folds import splits

    monkeypatch.setattr(gate, "PREDICT_ROWS", 250)  # predictions in blocks of a fold's rows
    monkeypatch.setattr(calibration, "LOG_ODDS_ROWS", 333)
    frame = generate(3_000, seed=22)
    y = (frame["outcome"] == "offer").to_numpy(dtype=float)
    typed = typed_signals(frame[list(input_columns())])
    groups = frame["application_id"].astype(str).to_numpy(dtype=object)
    config = FitConfig()
    candidate = fit_arrays(typed, y, groups, config, misfit=False)
    new = gate.out_of_fold(typed, y, groups, config, candidate)
    old = {name: np.empty(len(y)) for name in ("candidate", "recalibrated_card")}
    for train, test in splits(y, groups, config.folds, config.random_state):
        model = fit_arrays(typed.iloc[train], y[train], groups[train], config, misfit=False)
        old["candidate"][test] = model.decompose(typed.iloc[test]).probability
        recalibrated = calibration.recalibrated_card(typed.iloc[train], y[train])
        old["recalibrated_card"][test] = recalibrated.decompose(typed.iloc[test]).probability
    for name, values in old.items():
        assert np.array_equal(new[name], values), name
    assert np.array_equal(new["rules"], rules().decompose(typed).probability)


def test_validated_blocks_are_stacked_as_pandas_concatenates_them():
    """The signal frame of a large file or store is written block by block into its final
    arrays (``Stacked``): the frame ``pd.concat`` gives, value for value, types and index
    included; blocks of different types are left to ``pd.concat``."""
    from offerodds.stores.labelled import Stacked

    typed, _ = _typed_and_y(2_000, 23)
    parts = [typed.iloc[a : a + 300] for a in range(0, 2_000, 300)]
    expected = pd.concat(parts)
    pending = list(parts)
    stacked = Stacked.of(pending)
    assert not pending  # each block released once written
    pd.testing.assert_frame_equal(stacked, expected, check_exact=True)
    assert isinstance(stacked.index, pd.RangeIndex)
    odd = [parts[0], parts[1].astype({"engagement": "float32"})]
    pd.testing.assert_frame_equal(Stacked.of(list(odd)), pd.concat(odd), check_exact=True)


def test_the_gradient_and_hessian_in_one_pass_equal_the_two_passes(monkeypatch):
    """Newton's step on a design reads each block once for the gradient and the Hessian: the
    same numbers as ``Design.rmatvec`` and ``_hessian``, to the last bit, with and without
    row weights."""
    import offerodds.training.design as design_module
    from offerodds.signals.terms import blank_terms, length_terms

    monkeypatch.setattr(design_module, "BLOCK_ROWS", 700)
    monkeypatch.setattr(card_prior, "BLOCK_ROWS", 700)
    typed, y, _, _, _ = _features_and_terms(3_000, 24)
    design = _design_of(typed, blank_terms() + length_terms())
    rng = np.random.default_rng(5)
    f, r = rng.normal(size=len(y)), rng.normal(size=len(y))
    precision = rng.uniform(0.5, 2.0, design.m)
    for weights in (None, rng.integers(1, 3, len(y)).astype(float)):
        product, H = card_prior._gradient_and_hessian(design, r, f, precision, weights)
        assert np.array_equal(product, design.rmatvec(r))
        assert np.array_equal(H, card_prior._hessian(design, f, precision, weights))
