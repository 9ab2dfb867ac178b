"""Tests for offerodds.score: the output contract of DESIGN.md ("Output of scoring")."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit

import offerodds
from offerodds.signals.catalogue import by_name, catalogue, contribution_signals, input_columns
from offerodds.scoring.results import result_columns
from offerodds.synthetic import generate

CONTRIB = [f"contrib_{s}" for s in contribution_signals()]


@pytest.fixture(scope="module")
def generated():
    return generate(5000, seed=20260101, missing_rate=0.2)


@pytest.fixture(scope="module")
def scored(generated):
    return offerodds.score(generated, model=offerodds.rules())


# ---------------------------------------------------------------------------------------------
# the invariant and exact zeros


def test_log_odds_is_baseline_plus_contributions_and_probability_its_logistic(scored):
    assert len(scored) == 5000
    assert (scored["error"] == "").all()
    log_odds = scored["offer_log_odds"].to_numpy(float)
    total = scored["baseline_log_odds"].to_numpy(float) + scored[CONTRIB].to_numpy(float).sum(axis=1)
    np.testing.assert_allclose(log_odds, total, rtol=0, atol=1e-9)
    np.testing.assert_allclose(scored["offer_probability"].to_numpy(float), expit(log_odds), rtol=0, atol=1e-15)
    p = scored["offer_probability"].to_numpy(float)
    assert np.isfinite(p).all() and ((p > 0) & (p < 1)).all()
    assert p.std() > 0.05  # the signals move the probability


@pytest.mark.parametrize("signal", contribution_signals())
def test_a_signal_left_empty_contributes_exactly_zero(generated, scored, signal):
    columns = list(by_name()[signal].columns)
    empty = generated[columns].isna().any(axis=1).to_numpy()
    contrib = scored[f"contrib_{signal}"].to_numpy(float)
    assert empty.any() and (~empty).any()
    assert (contrib[empty] == 0.0).all()
    if signal not in ("structured_format", "inexperienced_interviewer"):  # no points of their own
        assert (contrib[~empty] != 0.0).any()


def test_signals_recorded_counts_recorded_signals(card):
    rows = [
        {"engagement": 4, "hurried": "no", "stage": "first"},
        {"scheduled_minutes": 60, "actual_minutes": None, "engagement": None},  # length needs both
        {"scheduled_minutes": 60, "actual_minutes": 45},
    ]
    out = offerodds.score(rows, model=card)
    assert out["signals_recorded"].tolist() == [3, 0, 1]


# ---------------------------------------------------------------------------------------------
# columns, rows and passthrough


def test_output_columns_are_input_then_result_columns_then_error(generated, scored):
    assert list(scored.columns) == [*generated.columns, *result_columns(), "error"]
    expected = {"offer_probability", "offer_probability_low", "offer_probability_high",
                "offer_log_odds", "baseline_log_odds", "signals_recorded", "reasons", "scorer",
                "model_version", "next_step", "next_step_due", *CONTRIB}
    assert set(result_columns()) == expected


def test_one_row_per_input_row_in_order(generated, scored):
    assert scored["interview_id"].tolist() == generated["interview_id"].tolist()
    shuffled = generated.sample(frac=1.0, random_state=3).head(500)
    again = offerodds.score(shuffled, model=offerodds.rules())
    assert again["interview_id"].tolist() == shuffled["interview_id"].tolist()
    by_id = scored.set_index("interview_id")["offer_probability"]
    np.testing.assert_array_equal(
        again["offer_probability"].to_numpy(float), by_id.loc[shuffled["interview_id"]].to_numpy(float)
    )


def test_input_frame_columns_and_values_are_unchanged(generated, scored):
    frame = generated.head(200).copy()
    frame.insert(0, "notes", ["N/A", " spaced ", "", None] * 50)
    frame.index = np.arange(1000, 1200)  # a non-default index does not leak into the output
    before = frame.copy(deep=True)
    out = offerodds.score(frame, model=offerodds.rules())
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is not written to
    pd.testing.assert_frame_equal(out[list(frame.columns)], before.reset_index(drop=True))
    assert list(out.index) == list(range(200))


def test_csv_cells_pass_through_exactly(card, tmp_path):
    path = tmp_path / "interviews.csv"
    path.write_text(
        "interview_id,engagement,hurried,notes,company\n"
        "007,4,No,N/A,\"Acme, Inc.\"\n"
        "0042, 5 ,YES,  two spaces ,\n",
        encoding="utf-8",
    )
    out = offerodds.score(path, model=card)
    assert out["interview_id"].tolist() == ["007", "0042"]
    assert out["engagement"].tolist() == ["4", " 5 "]
    assert out["hurried"].tolist() == ["No", "YES"]
    assert out["notes"].tolist() == ["N/A", "  two spaces "]
    assert out["company"].tolist() == ["Acme, Inc.", ""]
    assert (out["error"] == "").all()
    assert out.loc[1, "contrib_engagement"] == pytest.approx(0.18)


def test_result_columns_in_the_input_are_replaced_with_a_warning(card):
    frame = pd.DataFrame(
        {"offer_probability": [0.99], "engagement": [5], "reasons": ["mine"], "error": ["old"],
         "notes": ["keep"]}
    )
    with pytest.warns(UserWarning, match="offer_probability") as caught:
        out = offerodds.score(frame, model=card)
    message = str(caught[0].message)
    assert "reasons" in message and "error" in message
    assert list(out.columns) == ["engagement", "notes", *result_columns(), "error"]
    assert out.loc[0, "offer_probability"] == pytest.approx(expit(np.log(1 / 3) + 0.18))
    assert out.loc[0, "reasons"] != "mine"
    assert out.loc[0, "error"] == ""
    assert out.loc[0, "notes"] == "keep"


def test_no_warning_without_result_columns(card, recwarn):
    offerodds.score({"engagement": 5, "notes": "x"}, model=card)
    assert not [w for w in recwarn if "replaced" in str(w.message)]


# ---------------------------------------------------------------------------------------------
# invalid rows and odd headers

BROKEN_CSV = (
    "interview_id,  Eye Contact ,SELLING,scheduled-minutes,Actual Minutes,hurried,notes\n"
    "a1,4,5,60,60,no,good\n"
    "a2,7,3,60,45,yes,scale out of range\n"
    "a3,3,4,60,30,maybe,not yes or no\n"
    "a4,5,5,60,-5,no,negative minutes\n"
    "a5,2,2,60,ten,no,minutes in words\n"
    "a6,,,,,,nothing recorded\n"
    "a7,1,1,45,20,YES,good too\n"
)
BROKEN = {"a2": "Eye Contact", "a3": "hurried", "a4": "Actual Minutes", "a5": "Actual Minutes"}


def test_broken_rows_get_an_error_naming_the_column_and_no_probability(card, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(BROKEN_CSV, encoding="utf-8")
    out = offerodds.score(path, model=card)
    assert out["interview_id"].tolist() == ["a1", "a2", "a3", "a4", "a5", "a6", "a7"]
    assert list(out.columns[:7]) == [
        "interview_id", "  Eye Contact ", "SELLING", "scheduled-minutes", "Actual Minutes",
        "hurried", "notes",
    ]
    for _, row in out.iterrows():
        if row["interview_id"] in BROKEN:
            assert BROKEN[row["interview_id"]] in row["error"]
            assert math.isnan(row["offer_probability"])
            assert all(math.isnan(row[c]) for c in ["offer_log_odds", *CONTRIB])
        else:
            assert row["error"] == ""
            assert 0 < row["offer_probability"] < 1
    assert "got '7'" in out.loc[1, "error"] and "got 'maybe'" in out.loc[2, "error"]
    assert "got '-5'" in out.loc[3, "error"] and "got 'ten'" in out.loc[4, "error"]
    assert out.loc[4, "error"].count(";") == 0  # one problem, one message
    # the oddly written headers were recognised as signals
    good = out.loc[0]
    assert good["contrib_eye_contact"] == pytest.approx(0.075)
    assert good["contrib_selling"] == pytest.approx(0.2)
    assert good["contrib_interview_length"] == pytest.approx(0.08)
    assert good["contrib_hurried"] == pytest.approx(0.03)
    assert out.loc[5, "offer_probability"] == pytest.approx(0.25)  # nothing recorded: base rate
    assert out.loc[5, "signals_recorded"] == 0


def test_a_row_with_several_problems_lists_each(card):
    out = offerodds.score({"engagement": 9, "hurried": "perhaps", "selling": 4}, model=card)
    error = out.loc[0, "error"]
    assert "engagement" in error and "hurried" in error and "selling" not in error
    assert math.isnan(out.loc[0, "offer_probability"])
    assert out.loc[0, "scorer"] == ""


# ---------------------------------------------------------------------------------------------
# every input form gives the same answer


def test_dict_list_frame_csv_and_parquet_agree(generated, card, tmp_path):
    frame = generated.head(40)
    signals = frame[list(input_columns())]
    records = signals.astype(object).where(signals.notna(), None).to_dict("records")
    csv, parquet = tmp_path / "in.csv", tmp_path / "in.parquet"
    frame.to_csv(csv, index=False)
    frame.to_parquet(parquet, index=False)
    expected = offerodds.score(frame, model=card)["offer_probability"].to_numpy(float)
    assert np.isfinite(expected).all()
    results = {
        "list": offerodds.score(records, model=card),
        "csv": offerodds.score(csv, model=card),
        "csv str": offerodds.score(str(csv), model=card),
        "parquet": offerodds.score(parquet, model=card),
    }
    for name, out in results.items():
        assert (out["error"] == "").all(), name
        np.testing.assert_allclose(out["offer_probability"].to_numpy(float), expected, rtol=0, atol=1e-15, err_msg=name)
    one_by_one = [offerodds.score(r, model=card).loc[0, "offer_probability"] for r in records[:10]]
    np.testing.assert_allclose(one_by_one, expected[:10], rtol=0, atol=1e-15)


# ---------------------------------------------------------------------------------------------
# reasons, scorer and interval


def test_reasons_name_the_strongest_signal_for_and_against(card):
    rows = [
        {"availability_discussed": "yes", "engagement": 4, "hurried": "no"},
        {"hurried": "yes", "selling": 4},
        {"stage": "final"},
    ]
    out = offerodds.score(rows, model=card)
    strongest_for = by_name()["availability_discussed"].states["yes"].says
    assert out.loc[0, "reasons"].startswith(f"for: {strongest_for}")
    assert "against" not in out.loc[0, "reasons"]
    assert f"against: {by_name()['hurried'].states['yes'].says}" in out.loc[1, "reasons"]
    assert by_name()["selling"].states["high"].says in out.loc[1, "reasons"]
    assert out.loc[2, "reasons"] == "no recorded signal clearly moves the odds"


@pytest.mark.parametrize("signal", [s.name for s in catalogue() if s.direction == "+" and s.kind != "minutes"])
def test_reasons_use_the_catalogue_phrase_of_a_dominant_signal(card, signal):
    scale = by_name()[signal].kind == "scale"
    out = offerodds.score([{signal: 5 if scale else "yes"}, {signal: 1 if scale else "no"}], model=card)
    states = by_name()[signal].states
    assert out.loc[0, "reasons"] == f"for: {states['high' if scale else 'yes'].says}"
    if out.loc[1, "contrib_" + signal] < -0.005:
        assert out.loc[1, "reasons"] == f"against: {states['low' if scale else 'no'].says}"


def test_rule_card_scorer_and_version_and_no_interval(scored):
    assert (scored["scorer"] == "rules").all()
    assert (scored["model_version"] == "rules-1").all()
    assert scored["offer_probability_low"].isna().all()
    assert scored["offer_probability_high"].isna().all()


def test_zero_rows_give_an_empty_frame_with_the_right_columns(card, tmp_path):
    frame = pd.DataFrame({"engagement": pd.Series([], dtype=float), "notes": pd.Series([], dtype=str)})
    out = offerodds.score(frame, model=card)
    assert len(out) == 0
    assert list(out.columns) == ["engagement", "notes", *result_columns(), "error"]
    path = tmp_path / "header_only.csv"
    path.write_text("interview_id,Eye Contact,hurried\n", encoding="utf-8")
    out = offerodds.score(path, model=card)
    assert len(out) == 0
    assert list(out.columns) == ["interview_id", "Eye Contact", "hurried", *result_columns(), "error"]


def test_without_a_model_an_empty_workspace_scores_with_the_rule_card(card, tmp_path, monkeypatch):
    monkeypatch.setenv("OFFERODDS_WORKSPACE", str(tmp_path))
    rows = [{"engagement": 5, "selling": 4, "hurried": "no"}, {"distracted": "yes", "stage": "screen"}]
    out = offerodds.score(rows)
    assert (out["scorer"] == "rules").all() and (out["model_version"] == "rules-1").all()
    np.testing.assert_array_equal(
        out["offer_probability"].to_numpy(float),
        offerodds.score(rows, model=card)["offer_probability"].to_numpy(float),
    )
    assert not (tmp_path / "models").exists()  # scoring never writes to the workspace


def test_each_contribution_is_its_signals_features_times_the_card_points(generated, scored, card):
    from offerodds.synthetic import typed_frame

    typed = typed_frame(generated)
    sf = offerodds.SignalFeatures().fit(typed)
    weighted = sf.transform(typed) * card.feature_weights().reindex(sf.get_feature_names_out()).to_numpy()
    owners = sf.feature_owner_
    for signal in contribution_signals():
        expected = weighted[:, owners == signal].sum(axis=1)
        np.testing.assert_allclose(scored[f"contrib_{signal}"].to_numpy(float), expected, rtol=0, atol=1e-12)
    baseline = card.intercept + weighted[:, owners == "stage"].sum(axis=1)
    np.testing.assert_allclose(scored["baseline_log_odds"].to_numpy(float), baseline, rtol=0, atol=1e-12)


def test_rows_past_the_first_chunk_keep_their_order_and_their_own_errors(card):
    frame = generate(100_010, seed=9)[["interview_id", "engagement", "selling", "hurried"]]
    frame = frame.astype({"engagement": object})
    frame.loc[[5, 100_003], "engagement"] = 9  # one bad cell on each side of 100,000 rows
    out = offerodds.score(frame, model=card)
    assert len(out) == len(frame)
    assert out["interview_id"].tolist() == frame["interview_id"].tolist()
    assert np.flatnonzero((out["error"] != "").to_numpy()).tolist() == [5, 100_003]
    assert "got '9'" in out.loc[100_003, "error"]
    assert out["offer_probability"].isna().sum() == 2


def test_two_headers_meaning_the_same_signal_are_an_error_naming_both(card, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text("Eye Contact,eye-contact\n4,5\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'Eye Contact' and 'eye-contact' both mean 'eye_contact'"):
        offerodds.score(path, model=card)


def test_reasons_are_the_two_strongest_signals_on_each_side(scored):
    """On every generated row: 'for:' names the largest contributions (above 0.005 log-odds),
    strongest first, and 'against:' the most negative ones."""
    phrase = {st.says: s for s in contribution_signals() for st in by_name()[s].states.values()}
    contrib = scored[CONTRIB].to_numpy(float)
    for i, text in enumerate(scored["reasons"].head(1000)):
        named_for, named_against = [], []
        for part in text.split(" | "):
            if part.startswith("for: "):
                named_for = [phrase[p] for p in part.removeprefix("for: ").split("; ")]
            elif part.startswith("against: "):
                named_against = [phrase[p] for p in part.removeprefix("against: ").split("; ")]
        row = dict(zip(contribution_signals(), contrib[i]))
        positive = sorted((v for v in row.values() if v > 0.005), reverse=True)[:2]
        negative = sorted(v for v in row.values() if v < -0.005)[:2]
        assert [row[s] for s in named_for] == positive, text
        assert [row[s] for s in named_against] == negative, text


def test_predict_proba_matches_score(card, generated, scored):
    frame = generated.head(300)
    proba = card.predict_proba(frame)
    assert proba.shape == (300, 2)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(proba[:, 1], scored["offer_probability"].head(300).to_numpy(float))
    with pytest.raises(ValueError, match="engagement"):
        card.predict_proba([{"engagement": 4}, {"engagement": 0}])


def test_non_string_column_labels_pass_through_unchanged(card):
    frame = pd.DataFrame({"engagement": [4, 5], 0: ["x", "y"], 2.5: [1, 2]})
    out = offerodds.score(frame, model=card)
    assert list(out.columns[:3]) == ["engagement", 0, 2.5]
    assert out[0].tolist() == ["x", "y"]
