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


def _pp(line: str) -> float:
    """The percentage points a line of ``str(explanation)`` shows (``-4.6 pp``)."""
    (value,) = re.findall(r"([+-]?\d+\.\d) pp", line)
    return float(value)


def _percents(text: str) -> tuple[float, float, float]:
    """The change line: (starting %, final %, change in pp)."""
    line = next(line for line in text.splitlines() if line.startswith("from "))
    start, final = (float(v) for v in re.findall(r"(\d+\.\d) %", line))
    return start, final, _pp(line)


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
    assert hurried.rstrip().endswith("against you")
    assert _pp(hurried) < 0  # percentage points, with the sign of the contribution
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
        assert np.sign(row.points) == np.sign(row.contribution)
    # percentage points: shares of the change from the starting point, in proportion to log-odds
    change = 100 * (explanation.offer_probability - explanation.baseline_probability)
    assert table["points"].sum() == pytest.approx(change, abs=1e-9)
    ratio = table["points"] / table["contribution"]
    assert np.allclose(ratio, ratio.iloc[0], rtol=1e-9)
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


def _shown_rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("  ")]


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("learned", [False, True])
def test_the_points_shown_add_up_to_the_change_shown(seed, learned, card, fitted_model):
    """What a person reads: the starting point, the final probability, and percentage points
    per signal that add up to the difference, each with its contribution's sign."""
    from offerodds.synthetic import generate

    model = fitted_model if learned else card
    frame = generate(6, seed=100 + seed, outcomes=False)
    for i in range(len(frame)):
        e = offerodds.explain(frame.iloc[[i]], model=model)
        text = str(e)
        start, final, change = _percents(text)
        assert start == pytest.approx(round(100 * e.baseline_probability, 1))
        assert final == pytest.approx(round(100 * e.offer_probability, 1))
        assert change == pytest.approx(final - start, abs=1e-9)
        rows = _shown_rows(text)
        shown = [_pp(line) for line in rows]
        assert sum(shown) == pytest.approx(final - start, abs=1e-9), text
        table = e.table()
        for line, contribution in zip(rows, table["contribution"]):
            if contribution > 0:
                assert "+" in line.split("pp")[0].split()[-1] or line.split(" pp")[0].endswith("+0.0")
            elif contribution < 0:
                assert _pp(line) <= 0 and "-" in line.split(" pp")[0].split()[-1]
        # the exact table sums exactly; the shown points are each within a tenth of it or so
        assert table["points"].sum() == pytest.approx(100 * (e.offer_probability - e.baseline_probability), abs=1e-9)
        assert np.all(np.abs(e.shown_points().to_numpy() - table["points"].to_numpy()) <= 0.2)
        assert "pp = percentage points" in text


def test_largest_remainder_rounding_keeps_the_total():
    from offerodds.scoring.phrases import round_shares

    values = np.array([3.333, 3.333, 3.334])
    assert round_shares(values, 10.0).sum() == pytest.approx(10.0)
    assert list(round_shares(values, 10.0)) == [3.3, 3.3, 3.4]
    assert round_shares(np.array([-4.26, -4.26, 0.52]), -8.0).sum() == pytest.approx(-8.0)


def test_a_structured_format_says_what_it_changed(card):
    interview = {"engagement": 5, "eye_contact": 5, "structured_format": "yes", "stage": "first"}
    e = offerodds.explain(interview, model=card)
    row = e.table().set_index("signal").loc["structured_format"]
    plain = offerodds.explain({**interview, "structured_format": "no"}, model=card).contributions
    with_it = e.contributions
    assert with_it["engagement"] < plain["engagement"]  # the card discounts body language
    wanted = f"engagement x{np.exp(with_it['engagement']):.2f} instead of x{np.exp(plain['engagement']):.2f}"
    assert wanted in row.meaning
    assert "body language count for less" in row.meaning
    assert row.effect == "changed others" and "no effect" not in str(e)
    line = next(line for line in str(e).splitlines() if line.strip().startswith("structured format"))
    assert wanted in line and "neither way" not in line


def test_an_uncertain_effect_is_listed_marked_and_never_a_reason():
    from offerodds.scoring.phrases import UNCERTAIN
    from offerodds.scoring.scorer import LinearScorer

    card = offerodds.rules()
    model = LinearScorer(kind="model", version="v1", intercept=card.intercept, coef=card.coef,
                         covariance=np.eye(len(card.coef) + 1) * 0.3**2)
    interview = {"workspace_tour": "yes", "selling": 5}  # tour +0.12 with sd 0.3: unsure
    e = offerodds.explain(interview, model=model)
    table = e.table().set_index("signal")
    assert UNCERTAIN in table.loc["workspace_tour", "meaning"]
    assert "workspace" not in e.reasons and "workspace" not in offerodds.score(interview, model=model).loc[0, "reasons"]


@pytest.fixture(scope="module")
def fitted_model():
    from offerodds.synthetic import generate

    return offerodds.fit(generate(400, seed=5))


def test_pair_terms_and_learned_blanks_are_worded():
    """A learned model's round x signal pair is said as what the round changed, a pair of
    signals as counting together, and a blank the outcomes weigh as part of the starting
    point; the rule card says none of it."""
    import numpy as np

    from offerodds.scoring.scorer import LinearScorer

    card = offerodds.rules()
    model = LinearScorer(kind="model", version="v1", intercept=card.intercept, coef=card.coef.copy(),
                         terms=("workspace_tour x stage=final", "engagement x rapport", "answer_quality:recorded"),
                         term_coef=np.array([0.6, 0.8, 0.5]))
    interview = {"workspace_tour": "yes", "stage": "final", "engagement": 5, "rapport": 5}
    text = str(offerodds.explain(interview, model=model))
    assert "a final round made workspace tour count for more" in text, text
    assert "answers that counted together: " in text and "counted more together than each alone" in text, text
    assert "answer quality (left empty: odds x0.61 against a middle answer); this is part of the starting point" in text
    plain = str(offerodds.explain(interview))
    assert "counted together" not in plain and "left empty" not in plain
    recorded = str(offerodds.explain({**interview, "answer_quality": 4}, model=model))
    assert "left empty" not in recorded


def test_pair_terms_and_learned_blanks_reach_the_html_view_and_the_chart():
    """What the terminal says of a learned model's pairs and blanks, the notebook's HTML view and
    the chart say too: a coach reading either sees why two answers moved the odds together."""
    import matplotlib.text

    from offerodds.scoring.scorer import LinearScorer

    card = offerodds.rules()
    model = LinearScorer(kind="model", version="v1", intercept=card.intercept, coef=card.coef.copy(),
                         terms=("engagement x rapport", "answer_quality:recorded"),
                         term_coef=np.array([0.8, 0.5]))
    e = offerodds.explain({"engagement": 5, "rapport": 5}, model=model)
    page = e._repr_html_()
    assert "answers that counted together: " in page and "counted more together than each alone" in page
    assert "answer quality (left empty: odds x0.61 against a middle answer)" in page
    drawn = " ".join(t.get_text() for t in e.plot().findobj(matplotlib.text.Text))
    assert "Answers that counted together: " in drawn and "left empty" in drawn
    plain = offerodds.explain({"engagement": 5, "rapport": 5})
    assert "counted together" not in plain._repr_html_() and "left empty" not in plain._repr_html_()
