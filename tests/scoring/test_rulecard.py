"""Tests for the rule card (resources/rulecard.toml, offerodds.scoring.rulecard): the article's reading."""

import tomllib
from importlib import resources

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.special import logit

import offerodds
from offerodds.signals.catalogue import CONTEXT_SIGNALS, STAGES, by_name, catalogue, contribution_signals
from offerodds.signals.encoding import feature_layout
from offerodds.scoring.rulecard import rule_weights
from offerodds.synthetic import generate

CARD = tomllib.loads(
    resources.files("offerodds").joinpath("resources/rulecard.toml").read_text("utf-8")
)
POSITIVE = [s for s in catalogue() if s.direction == "+"]
NEGATIVE = [s for s in catalogue() if s.direction == "-"]
SENSITIVE = [s for s in catalogue() if s.context_sensitive]


def _score(rows, card):
    out = offerodds.score(rows, model=card)
    assert (out["error"] == "").all(), out["error"].tolist()
    return out


def _contribution(card, row: dict, signal: str) -> float:
    return float(_score(row, card).loc[0, f"contrib_{signal}"])


# ---------------------------------------------------------------------------------------------
# the card's content


def test_every_non_stage_signal_has_points():
    assert set(CARD["points"]) == set(contribution_signals())
    assert "stage" not in CARD["points"]
    _, weights = rule_weights()
    assert set(weights) == set(feature_layout()[0])
    assert all(np.isfinite(w) for w in weights.values())


def test_rules_is_the_versioned_rule_card(card):
    assert card.kind == "rules"
    assert card.version == f"rules-{CARD['version']}" == "rules-1"
    assert card.covariance is None  # no interval for the rule card
    assert list(card.feature_weights().index) == feature_layout()[0]


@pytest.mark.parametrize("signal", [s.name for s in POSITIVE if s.kind == "yesno"])
def test_positive_yes_no_signals_gain_points_from_no_to_yes(card, signal):
    yes = _contribution(card, {signal: "yes"}, signal)
    no = _contribution(card, {signal: "no"}, signal)
    assert yes > no
    assert yes >= 0 >= no


@pytest.mark.parametrize("signal", [s.name for s in POSITIVE if s.kind == "scale"])
def test_positive_scales_gain_points_from_1_to_5(card, signal):
    values = [_contribution(card, {signal: r}, signal) for r in (1, 2, 3, 4, 5)]
    assert values[0] < 0 < values[4]
    assert values[2] == 0.0  # 3 is neutral
    assert np.all(np.diff(values) > 0)
    assert values[4] == pytest.approx(CARD["points"][signal]) == pytest.approx(-values[0])


@pytest.mark.parametrize("signal", [s.name for s in NEGATIVE])
def test_negative_signals_lose_points_from_no_to_yes(card, signal):
    assert by_name()[signal].kind == "yesno"
    yes = _contribution(card, {signal: "yes"}, signal)
    no = _contribution(card, {signal: "no"}, signal)
    assert yes < 0 <= no


def test_interview_length_reads_cut_short_as_bad_and_running_over_as_good(card):
    rows = [{"scheduled_minutes": 60, "actual_minutes": a} for a in (20, 30, 45, 60, 75, 90, 120)]
    contrib = _score(rows, card)["contrib_interview_length"].to_numpy()
    assert np.all(np.diff(contrib) > 0)
    points = CARD["points"]["interview_length"]
    assert contrib[1] == pytest.approx(points["recorded"] - 0.5 * points["short"])  # half cut
    assert contrib[3] == pytest.approx(points["recorded"])  # ran its time
    assert contrib[-1] == pytest.approx(points["recorded"] + points["over"])  # doubled: cap
    assert contrib[1] < 0 < contrib[3]


@pytest.mark.parametrize("signal", CONTEXT_SIGNALS)
@pytest.mark.parametrize("answer", ["yes", "no"])
def test_context_signals_have_no_points_of_their_own(card, signal, answer):
    out = _score({signal: answer}, card)
    assert out.loc[0, f"contrib_{signal}"] == 0.0
    assert out.loc[0, "offer_log_odds"] == out.loc[0, "baseline_log_odds"]


def _sensitive_cases():
    for s in SENSITIVE:
        values = (5, 1) if s.kind == "scale" else ("yes", "no")
        for v in values:
            yield pytest.param(s.name, v, id=f"{s.name}={v}")


@pytest.mark.parametrize("signal, value", list(_sensitive_cases()))
def test_context_discount_shrinks_body_language_weights_but_never_flips_them(card, signal, value):
    discount = CARD["context_discount"]
    contexts = [
        ({}, 1.0),
        ({"structured_format": "yes"}, 1 - discount["structured_format"]),
        ({"inexperienced_interviewer": "yes"}, 1 - discount["inexperienced_interviewer"]),
        (
            {"structured_format": "yes", "inexperienced_interviewer": "yes"},
            1 - discount["structured_format"] - discount["inexperienced_interviewer"],
        ),
        ({"structured_format": "no", "inexperienced_interviewer": "no"}, 1.0),
    ]
    rows = [{signal: value, **ctx} for ctx, _ in contexts]
    contrib = _score(rows, card)[f"contrib_{signal}"].to_numpy()
    plain = contrib[0]
    if plain == 0.0:  # e.g. no points for "no": nothing to shrink
        assert (contrib == 0.0).all()
        return
    for c, (_, share) in zip(contrib, contexts):
        assert 0 < share <= 1
        assert np.sign(c) == np.sign(plain)
        assert abs(c) <= abs(plain)
        assert c == pytest.approx(share * plain, abs=1e-12)
    assert abs(contrib[3]) < min(abs(contrib[1]), abs(contrib[2]))


def test_context_does_not_change_signals_outside_body_language_and_rapport(card):
    row = {"selling": 5, "next_steps_explained": "yes", "scheduled_minutes": 60, "actual_minutes": 30}
    rows = [row, {**row, "structured_format": "yes", "inexperienced_interviewer": "yes"}]
    out = _score(rows, card)
    for s in ("selling", "next_steps_explained", "interview_length"):
        assert out.loc[0, f"contrib_{s}"] == out.loc[1, f"contrib_{s}"] != 0.0


@pytest.mark.parametrize("stage", [*STAGES, None, ""])
def test_baseline_of_an_empty_interview_is_the_logit_of_the_stage_base_rate(card, stage):
    out = _score({"stage": stage}, card)
    rate = CARD["base_rate"][stage or "unrecorded"]
    assert out.loc[0, "baseline_log_odds"] == pytest.approx(logit(rate), abs=1e-12)
    assert out.loc[0, "offer_log_odds"] == out.loc[0, "baseline_log_odds"]
    assert out.loc[0, "offer_probability"] == pytest.approx(rate, abs=1e-12)


def test_baseline_depends_on_the_stage_only(card):
    rows = [{"stage": "final"}, {"stage": "Final", "selling": 5, "hurried": "yes", "engagement": 1}]
    out = _score(rows, card)
    assert out.loc[0, "baseline_log_odds"] == out.loc[1, "baseline_log_odds"]
    assert out.loc[1, "offer_log_odds"] != out.loc[1, "baseline_log_odds"]
    screen, final = (_score({"stage": s}, card).loc[0, "offer_probability"] for s in ("screen", "final"))
    assert screen < final  # offers are rarer after a screen than after a final round


# ---------------------------------------------------------------------------------------------
# monotonicity: raising a good sign never lowers the probability, raising a bad one never raises it


def _raised(row: dict) -> list[tuple[str, int, dict]]:
    """Variants of ``row`` with one signal moved: (signal, +1 good move / -1 bad move, row)."""
    out = []
    for s in catalogue():
        if s.kind == "scale" and s.direction == "+":
            v = row.get(s.name)
            if v is not None and not pd.isna(v) and float(v) + 1 <= 5:
                out.append((s.name, +1, {**row, s.name: float(v) + 1}))
        elif s.kind == "yesno" and s.direction in "+-":
            if row.get(s.name) == "no":
                out.append((s.name, +1 if s.direction == "+" else -1, {**row, s.name: "yes"}))
        elif s.kind == "minutes":
            scheduled, actual = row.get("scheduled_minutes"), row.get("actual_minutes")
            if scheduled is not None and actual is not None and not pd.isna(actual):
                for step in (1, 10, 45):
                    if float(actual) + step <= 1440:
                        out.append((s.name, +1, {**row, "actual_minutes": float(actual) + step}))
    return out


def _check_monotone(card, base_rows: list[dict]) -> int:
    """Score each row with all its one-signal moves in one call; return how many were checked."""
    rows, base_at, moves = [], [], []
    for row in base_rows:
        base_at.append(len(rows))
        rows.append(row)
        for signal, direction, variant in _raised(row):
            moves.append((len(rows), base_at[-1], signal, direction))
            rows.append(variant)
    p = _score(rows, card)["offer_probability"].to_numpy()
    for j, b, signal, direction in moves:
        if direction > 0:
            assert p[j] >= p[b] - 1e-12, (signal, rows[b], rows[j])
        else:
            assert p[j] <= p[b] + 1e-12, (signal, rows[b], rows[j])
    return len(moves)


def _maybe(values):
    return st.one_of(st.none(), values)


INTERVIEWS = st.fixed_dictionaries(
    {
        s_col: (
            _maybe(st.sampled_from([1, 2, 3, 4, 5]) | st.floats(1, 5, allow_nan=False))
            if s.kind == "scale"
            else _maybe(st.sampled_from(["yes", "no"]))
            if s.kind == "yesno"
            else _maybe(st.integers(1, 1440))
            if s.kind == "minutes"
            else _maybe(st.sampled_from(list(STAGES)))
        )
        for s in catalogue()
        for s_col in s.columns
    }
)


CONTEXTS = [
    {"structured_format": a, "inexperienced_interviewer": b}
    for a in ("yes", "no", None)
    for b in ("yes", "no", None)
]


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(interviews=st.lists(INTERVIEWS, min_size=1, max_size=15))
def test_monotone_in_every_signal_under_any_context(card, interviews):
    # each drawn interview as drawn, and under each of the 9 combinations of context
    rows = interviews + [{**row, **ctx} for row in interviews for ctx in CONTEXTS]
    assert _check_monotone(card, rows) >= 0


def test_monotone_on_generated_interviews(card):
    df = generate(300, seed=5, missing_rate=0.2)
    columns = [c for s in catalogue() for c in s.columns]
    records = df[columns].astype(object).where(df[columns].notna(), None).to_dict("records")
    checked = _check_monotone(card, records)
    assert checked > 300 * 5  # many moves were actually tried
