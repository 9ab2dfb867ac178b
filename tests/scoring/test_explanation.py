"""Tests for offerodds.explain and the Explanation it returns."""

import re

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.signals.catalogue import by_name, contribution_signals
from offerodds.scoring.explanation import Explanation
from offerodds.synthetic import generate

INTERVIEW = {
    "interview_id": "007",
    "engagement": 5,
    "eye_contact": 2,
    "hurried": "yes",
    "selling": 4,
    "scheduled_minutes": 60,
    "actual_minutes": 75,
    "availability_discussed": "yes",
    "stage": "first",
    "notes": "went well, I think",
}
RECORDED = ["engagement", "eye_contact", "hurried", "selling", "interview_length", "availability_discussed"]


@pytest.fixture
def explanation(card):
    return offerodds.explain(INTERVIEW, model=card)


def _html_rows(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*)</tbody>", html, flags=re.S).group(1)
    return re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)


def test_explain_gives_the_same_numbers_as_score(card, explanation):
    row = offerodds.score(INTERVIEW, model=card).iloc[0]
    assert isinstance(explanation, Explanation)
    assert explanation.offer_probability == row["offer_probability"]
    assert explanation.offer_log_odds == row["offer_log_odds"]
    assert explanation.baseline_log_odds == row["baseline_log_odds"]
    assert explanation.reasons == row["reasons"]
    assert (explanation.scorer, explanation.model_version) == ("rules", "rules-1")
    assert explanation.interview_id == "007"
    for signal in contribution_signals():
        assert explanation.contributions[signal] == row[f"contrib_{signal}"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_explain_agrees_with_score_on_generated_interviews(card, seed):
    frame = generate(5, seed=seed)
    scored = offerodds.score(frame, model=card)
    for i in range(len(frame)):
        e = offerodds.explain(frame.iloc[i], model=card)  # a Series
        assert e.offer_probability == scored.loc[i, "offer_probability"]
        assert e.interview_id == frame.loc[i, "interview_id"]
    one_row = offerodds.explain(frame.iloc[[2]], model=card)  # a one-row DataFrame
    assert one_row.offer_probability == scored.loc[2, "offer_probability"]


def test_contributions_sum_to_log_odds_minus_baseline(explanation):
    c = explanation.contributions
    assert list(c.index) == contribution_signals()
    assert c.sum() == pytest.approx(explanation.offer_log_odds - explanation.baseline_log_odds, abs=1e-12)
    assert explanation.offer_probability == pytest.approx(1 / (1 + np.exp(-explanation.offer_log_odds)))
    assert set(c[c != 0].index) == set(RECORDED)
    assert (c.drop(RECORDED) == 0.0).all()


# What each recorded signal of INTERVIEW reads as (the catalogue's label of its state).
LABELS = {
    "engagement": "engaged, attentive interviewer (5/5)",
    "eye_contact": "little eye contact (2/5)",
    "hurried": "hurried interviewer",
    "selling": "sold you the job (4/5)",
    "interview_length": "interview ran 25 % over",
    "availability_discussed": "availability discussed",
}


def _listed(text: str) -> list[str]:
    """The labels at the start of the indented lines of ``str(explanation)``."""
    labels = sorted(LABELS.values(), key=len, reverse=True)
    found = []
    for line in text.splitlines():
        if line.startswith("  "):
            found.append(next(label for label in labels if line.strip().startswith(label)))
    return found


def test_str_names_what_was_recorded_with_plain_effects(explanation):
    text = str(explanation)
    assert text.startswith(f"Interview 007: offer probability {round(100 * explanation.offer_probability)} %")
    assert "a first round with nothing recorded: 22 %" in text  # the starting point, said plainly
    assert "scored by the rule card" in text
    listed = _listed(text)
    assert sorted(listed) == sorted(LABELS.values())
    # strongest first
    by_label = {v: k for k, v in LABELS.items()}
    strengths = [abs(explanation.contributions[by_label[label]]) for label in listed]
    assert strengths == sorted(strengths, reverse=True)
    # effects the way people read them; no statistics words
    hurried = next(line for line in text.splitlines() if "hurried interviewer" in line)
    assert f"odds x{np.exp(explanation.contributions['hurried']):.2f}" in hurried
    assert "pts" in hurried and hurried.rstrip().endswith("against you")
    assert "log-odds" not in text and "baseline" not in text
    assert "notes" not in text


def test_str_of_an_interview_with_nothing_recorded(card):
    e = offerodds.explain({"stage": "final", "notes": "forgot to fill it in"}, model=card)
    text = str(e)
    assert "offer probability 35 %" in text
    assert "nothing recorded" in text


def test_table_is_the_analyst_view_with_log_odds(explanation):
    table = explanation.table()
    assert list(table.columns) == ["signal", "recorded", "effect", "points", "meaning", "contribution"]
    assert sorted(table["signal"]) == sorted(RECORDED)
    for row in table.itertuples():
        assert row.recorded == LABELS[row.signal]
        assert row.contribution == explanation.contributions[row.signal]
        without = 1 / (1 + np.exp(-(explanation.offer_log_odds - row.contribution)))
        assert row.points == pytest.approx(100 * (explanation.offer_probability - without))
    hurried = table.set_index("signal").loc["hurried"]
    assert hurried.meaning == f"{by_name()['hurried'].states['yes'].says}: counted against you"


def test_html_has_one_table_row_per_recorded_signal(explanation):
    html = explanation._repr_html_()
    assert html.count("<table>") == 1 and "</table>" in html
    rows = _html_rows(html)
    assert len(rows) == len(RECORDED)
    names = [re.search(r"<td>(.*?)</td>", r).group(1) for r in rows]
    assert sorted(names) == sorted(v.replace("'", "&#x27;") for v in LABELS.values())
    assert f"offer probability {round(100 * explanation.offer_probability)} %" in html
    assert "log-odds" not in html


def test_recorded_signals_worth_nothing_are_still_listed(card):
    interview = {"engagement": 3, "selling": 5, "structured_format": "yes", "handwritten_note": "no"}
    e = offerodds.explain(interview, model=card)
    assert offerodds.score(interview, model=card).loc[0, "signals_recorded"] == 4
    assert len(_html_rows(e._repr_html_())) == 4
    table = e.table().set_index("signal")
    assert table.loc["engagement", "recorded"] == "middling engagement (3/5)"
    assert table.loc["handwritten_note", "recorded"] == "no handwritten note"
    assert table.loc["handwritten_note", "meaning"] == "you sent no handwritten note: counted neither way"
    assert table.loc["structured_format", "effect"] == "odds x1.00"


def test_plot_writes_a_png(explanation, tmp_path):
    path = tmp_path / "why.png"
    figure = explanation.plot(path)
    assert path.exists() and path.stat().st_size > 1000
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert figure is not None and figure.axes


def test_more_than_one_row_is_an_error(card):
    two = pd.DataFrame({"engagement": [4, 5]})
    with pytest.raises(ValueError, match="one interview, got 2"):
        offerodds.explain(two, model=card)
    with pytest.raises(ValueError, match="one interview, got 0"):
        offerodds.explain(two.iloc[:0], model=card)


@pytest.mark.parametrize(
    "interview, column",
    [
        ({"engagement": 7, "selling": 4}, "engagement"),
        ({"Hurried": "maybe"}, "Hurried"),
        ({"scheduled_minutes": 60, "actual_minutes": -5}, "actual_minutes"),
        ({"stage": "onsite", "selling": 4}, "stage"),
    ],
)
def test_an_invalid_interview_is_an_error_naming_the_column(card, interview, column):
    with pytest.raises(ValueError, match=f"invalid: {column}"):
        offerodds.explain(interview, model=card)


def test_explain_without_a_model_uses_the_rule_card_in_an_empty_workspace(card, tmp_path, monkeypatch):
    monkeypatch.setenv("OFFERODDS_WORKSPACE", str(tmp_path))
    e = offerodds.explain(INTERVIEW)
    assert e.scorer == "rules" and e.model_version == "rules-1"
    assert e.offer_probability == offerodds.explain(INTERVIEW, model=card).offer_probability


def test_an_oddly_written_interview_id_header_still_names_the_interview(card):
    e = offerodds.explain({" Interview-ID ": "a-17", "selling": 5}, model=card)
    assert e.interview_id == "a-17"
    assert str(e).startswith("Interview a-17: offer probability")


def test_the_rule_card_shows_no_interval(explanation):
    assert np.isnan(explanation.offer_probability_low) and np.isnan(explanation.offer_probability_high)
    assert "interval" not in str(explanation)
