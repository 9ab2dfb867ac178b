"""Tests for offerodds.signals.features.SignalFeatures: sklearn conformance, then the encodings."""

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from offerodds.signals.catalogue import CONTEXT_SIGNALS, by_name, catalogue, input_columns, signal_names
from offerodds.signals.features import SignalFeatures
from offerodds.signals.encoding import feature_layout

# SignalFeatures reads *named* signal columns, so it raises TypeError for anything that is not a
# DataFrame (DESIGN.md: "every feature is owned by exactly one signal" needs the names). These
# checks feed it numpy arrays (or memmaps, sparse matrices, array-likes) and so cannot apply.
_NUMPY = "feeds a numpy array; SignalFeatures needs named signal columns and raises TypeError by design"
EXPECTED_FAILED_CHECKS = {
    "check_fit_score_takes_y": _NUMPY,
    "check_estimators_overwrite_params": _NUMPY,
    "check_dont_overwrite_parameters": _NUMPY,
    "check_estimators_fit_returns_self": _NUMPY,
    "check_readonly_memmap_input": "feeds a read-only memmap array; " + _NUMPY,
    "check_n_features_in_after_fitting": _NUMPY,
    "check_positive_only_tag_during_fit": _NUMPY + " (not because of negative values)",
    "check_estimators_dtypes": _NUMPY,
    "check_complex_data": _NUMPY,
    "check_dtype_object": _NUMPY,
    "check_estimators_empty_data_messages": (
        "feeds an empty numpy array and wants ValueError; the TypeError for a non-DataFrame comes first"
    ),
    "check_pipeline_consistency": _NUMPY,
    "check_estimators_nan_inf": (
        _NUMPY + "; besides, NaN is valid input here (a signal not recorded)"
    ),
    "check_estimator_sparse_tag": (
        "feeds a sparse matrix; the TypeError asks for a DataFrame with signal columns "
        "instead of mentioning sparse input"
    ),
    "check_estimator_sparse_array": "feeds a sparse array; the TypeError asks for a DataFrame",
    "check_estimator_sparse_matrix": "feeds a sparse matrix; the TypeError asks for a DataFrame",
    "check_estimators_pickle": _NUMPY,
    "check_f_contiguous_array_estimator": _NUMPY,
    "check_transformer_data_not_an_array": "feeds an array-like that is not a DataFrame; " + _NUMPY,
    "check_transformer_general": _NUMPY,
    "check_transformer_preserve_dtypes": _NUMPY,
    "check_methods_sample_order_invariance": _NUMPY,
    "check_methods_subset_invariance": _NUMPY,
    "check_fit2d_1sample": _NUMPY,
    "check_fit2d_1feature": _NUMPY,
    "check_dict_unchanged": _NUMPY,
    "check_fit_idempotent": _NUMPY,
    "check_fit_check_is_fitted": _NUMPY,
    "check_n_features_in": _NUMPY,
    "check_fit1d": "feeds a 1-d numpy array and wants ValueError; TypeError by design instead",
    "check_fit2d_predict1d": _NUMPY,
}


@parametrize_with_checks([SignalFeatures()], expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS)
def test_sklearn_conformance(estimator, check):
    check(estimator)


# ---------------------------------------------------------------------------------------------
# helpers

FULL = {  # every signal recorded, both contexts yes, so every feature can be non-zero
    **{s.name: 5.0 for s in catalogue() if s.kind == "scale"},
    **{s.name: 1.0 for s in catalogue() if s.kind == "yesno"},
    "scheduled_minutes": 60.0,
    "actual_minutes": 90.0,
    "stage": "final",
}


def _features(rows, interactions=True) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    sf = SignalFeatures(interactions=interactions).fit(frame)
    return pd.DataFrame(sf.transform(frame), columns=sf.get_feature_names_out())


def _owned(signal: str) -> list[str]:
    names, owners = feature_layout()
    return [n for n, o in zip(names, owners) if o == signal]


# ---------------------------------------------------------------------------------------------
# ownership and layout


def test_every_feature_has_exactly_one_catalogue_owner():
    sf = SignalFeatures().fit(pd.DataFrame({"engagement": [4.0]}))
    names = sf.get_feature_names_out()
    assert len(sf.feature_owner_) == len(names) == len(set(names))
    assert set(sf.feature_owner_) == set(signal_names())  # every signal owns something
    matrix, signals = sf.ownership_matrix()
    assert signals == signal_names()
    assert matrix.shape == (len(names), len(signals))
    assert (matrix.sum(axis=1) == 1).all()
    for name, owner in zip(names, sf.feature_owner_):
        # a feature is named after its owner: "<signal>", "<signal>=..", "<signal>:..", "..*<ctx>"
        base = name.split("*")[0]
        assert base == owner or base.startswith((f"{owner}=", f"{owner}:")), name


@pytest.mark.parametrize("interactions", [True, False])
def test_feature_names_match_feature_layout(interactions):
    frame = pd.DataFrame({"hurried": [1.0]})
    sf = SignalFeatures(interactions=interactions).fit(frame)
    names, owners = feature_layout(interactions)
    assert list(sf.get_feature_names_out()) == names
    assert list(sf.feature_owner_) == owners
    assert sf.transform(frame).shape == (1, len(names))
    assert list(sf.feature_names_in_) == list(input_columns())


def test_only_body_language_and_rapport_get_context_interactions():
    names, owners = feature_layout()
    with_interactions = {o for n, o in zip(names, owners) if "*" in n}
    sensitive = {s.name for s in catalogue() if s.context_sensitive}
    assert with_interactions == sensitive
    assert {"engagement", "distracted", "rapport", "casual_ending"} <= sensitive
    assert not {"selling", "interview_length", "stage"} & sensitive


def test_rejects_a_numpy_array_with_a_clear_message():
    with pytest.raises(TypeError, match="DataFrame with named signal columns"):
        SignalFeatures().fit(np.ones((3, 2)))


def test_rejects_a_frame_without_any_signal_column():
    with pytest.raises(ValueError, match="no signal column"):
        SignalFeatures().fit(pd.DataFrame({"notes": ["x"]}))


# ---------------------------------------------------------------------------------------------
# encodings


@pytest.mark.parametrize("signal", signal_names())
def test_a_signal_left_empty_gives_all_its_features_zero(signal):
    empty = {**FULL, **dict.fromkeys(by_name()[signal].columns, np.nan)}
    X = _features([FULL, empty])
    owned = _owned(signal)
    assert (X.loc[0, owned] != 0).any(), "the full row should light up the signal's features"
    assert (X.loc[1, owned] == 0).all()
    if signal not in CONTEXT_SIGNALS:  # (a context also switches other signals' interactions)
        others = [c for c in X.columns if c not in owned]
        pd.testing.assert_series_equal(X.loc[0, others], X.loc[1, others], check_names=False)


@pytest.mark.parametrize("missing", ["scheduled_minutes", "actual_minutes"])
def test_length_with_only_one_of_its_minutes_is_not_recorded(missing):
    X = _features([{"scheduled_minutes": 60.0, "actual_minutes": 30.0, missing: np.nan}])
    assert (X.loc[0, _owned("interview_length")] == 0).all()


@pytest.mark.parametrize("rating, value", [(1, -1.0), (2, -0.5), (3, 0.0), (4, 0.5), (5, 1.0)])
def test_scale_encoding(rating, value):
    scales = [s.name for s in catalogue() if s.kind == "scale"]
    X = _features([dict.fromkeys(scales, float(rating))], interactions=False)
    assert (X.loc[0, scales] == value).all()


@pytest.mark.parametrize("answer, yes, no", [(1.0, 1.0, 0.0), (0.0, 0.0, 1.0), (np.nan, 0.0, 0.0)])
def test_yes_no_has_two_indicators(answer, yes, no):
    yesno = [s.name for s in catalogue() if s.kind == "yesno"]
    X = _features([dict.fromkeys(yesno, answer)], interactions=False)
    for name in yesno:
        assert X.loc[0, f"{name}=yes"] == yes
        assert X.loc[0, f"{name}=no"] == no


@pytest.mark.parametrize(
    "scheduled, actual, short, over",
    [
        (60, 60, 0.0, 0.0),  # ran its time
        (60, 30, -0.5, 0.0),  # cut to half
        (60, 15, -0.75, 0.0),
        (60, 90, 0.0, 0.5),  # ran 50 % over
        (60, 120, 0.0, 1.0),
        (60, 300, 0.0, 1.0),  # capped at double the time
    ],
)
def test_length_ratio_features(scheduled, actual, short, over):
    X = _features([{"scheduled_minutes": float(scheduled), "actual_minutes": float(actual)}])
    assert X.loc[0, "interview_length:recorded"] == 1.0
    assert X.loc[0, "interview_length:short"] == pytest.approx(short, abs=1e-12)
    assert X.loc[0, "interview_length:over"] == pytest.approx(over, abs=1e-12)


@pytest.mark.parametrize("structured", [1.0, 0.0, np.nan])
@pytest.mark.parametrize("inexperienced", [1.0, 0.0, np.nan])
def test_context_interactions_only_when_the_context_is_yes(structured, inexperienced):
    row = {"engagement": 5.0, "hurried": 1.0, "rapport": 1.0, "casual_ending": 1.0,
           "structured_format": structured, "inexperienced_interviewer": inexperienced}
    X = _features([row])
    context = {"structured_format": structured, "inexperienced_interviewer": inexperienced}
    names, owners = feature_layout()
    interactions = [n for n in names if "*" in n]
    assert interactions
    for name in interactions:
        base, ctx = name.split("*")
        assert ctx in CONTEXT_SIGNALS
        expected = X.loc[0, base] if context[ctx] == 1.0 else 0.0
        assert X.loc[0, name] == expected, name
    # the base features themselves do not depend on the context
    assert X.loc[0, "engagement"] == 1.0 and X.loc[0, "rapport"] == -1.0
    assert X.loc[0, "hurried=yes"] == 1.0 and X.loc[0, "casual_ending=yes"] == 1.0


def test_set_output_pandas_gives_a_named_frame():
    frame = pd.DataFrame({"engagement": [5.0, 1.0], "stage": ["final", None]}, index=[10, 20])
    sf = SignalFeatures().set_output(transform="pandas")
    X = sf.fit_transform(frame)
    assert isinstance(X, pd.DataFrame)
    assert list(X.columns) == feature_layout()[0]
    assert list(X.index) == [10, 20]
    assert X.loc[10, "engagement"] == 1.0 and X.loc[20, "engagement"] == -1.0
    assert X.loc[10, "stage=final"] == 1.0 and X.loc[20, "stage=final"] == 0.0
    assert (X.dtypes == np.float64).all()
