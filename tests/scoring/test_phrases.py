"""Explanations name what was recorded (issue 9, item 5).

Under the rule card and under models learned in worlds where some signals run against the
article, every phrase of ``reasons``, of ``explain()``'s table, text, HTML and chart describes
the state that was recorded, and says whether it counted for or against the interview; a
state counted the other way from the article's reading says so.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import offerodds
from offerodds.scoring import phrases
from offerodds.scoring.reasons import MIN_EFFECT
from offerodds.signals.catalogue import STATES, by_name, catalogue, contribution_signals

SCHEDULED = 60
# a recorded value for each state, by kind (minutes: the actual minutes of a 60-minute slot)
VALUES = {
    "low": [1, 2, 2.5],
    "middle": [3],
    "high": [3.5, 4, 5],
    "yes": ["yes", "Y", "true", 1],
    "no": ["no", "n", "False", 0],
    "short": [10, 30, 50],
    "nearly": [51, 55, 59],
    "full": [60],
    "over": [61, 75, 120],
}


def _cells(signal, state, value) -> dict:
    s = by_name()[signal]
    if s.kind == "minutes":
        return {"scheduled_minutes": SCHEDULED, "actual_minutes": value}
    return {signal: value}


def _reversed_world(reversed_signals: list[str], seed: int) -> pd.DataFrame:
    """Labelled interviews whose truth is the card's points, doubled, with ``reversed_signals``
    running the other way (three times as strong). The truth lives here, apart from the fit."""
    from offerodds.scoring.rulecard import rule_weights
    from offerodds.signals.encoding import encode, feature_layout
    from offerodds.signals.validation import typed_signals
    from offerodds.synthetic import generate

    frame = generate(3000, seed=seed).drop(columns=["true_probability", "outcome"])
    intercept, weights = rule_weights()
    names, owners = feature_layout()
    coef = 2.0 * np.array([weights[n] for n in names])
    owners = np.asarray(owners)
    for signal in reversed_signals:
        coef[owners == signal] *= -1.5
    log_odds = intercept + encode(typed_signals(frame)) @ coef
    rng = np.random.default_rng(seed)
    frame["outcome"] = np.where(rng.uniform(size=len(frame)) < 1 / (1 + np.exp(-log_odds)), "offer", "no_offer")
    return frame


@pytest.fixture(scope="module")
def scorers():
    """The rule card and two models learned where the article is wrong about some signals."""
    worlds = [
        ["handwritten_note", "distracted", "engagement", "interview_length", "next_steps_explained"],
        ["selling", "hurried", "rapport", "thank_you_within_24h", "availability_discussed"],
    ]
    learned = [offerodds.fit(_reversed_world(w, seed=20 + i)) for i, w in enumerate(worlds)]
    return {"rules": offerodds.rules(), "reversed-1": learned[0], "reversed-2": learned[1]}


def _reason_items(text: str) -> list[tuple[int, str]]:
    """(side, phrase) of every item of a reasons text."""
    if text == "no recorded signal clearly moves the odds":
        return []
    items = []
    for part in text.split(" | "):
        side, _, listed = part.partition(": ")
        assert side in ("for", "against"), text
        items += [(1 if side == "for" else -1, p) for p in listed.split("; ")]
    return items


def _check(interview: dict, recorded: dict[str, str], scorer, learned: bool) -> None:
    """Every text about ``interview`` names only the states in ``recorded``."""
    row = offerodds.score(interview, model=scorer).iloc[0]
    e = offerodds.explain(interview, model=scorer)
    assert {s: st for s, (st, _) in e.recorded.items()} == recorded

    # reasons: each phrase is the recorded state's, on the side of its contribution
    for side, phrase in _reason_items(row["reasons"]):
        text = phrase.removesuffix(f" ({phrases.DISAGREES})").removesuffix(f" ({phrases.DISAGREES}, {phrases.WEAK})")
        owners = [s for s, st in recorded.items() if by_name()[s].states[st].says == text]
        assert len(owners) == 1, (phrase, recorded)
        signal = owners[0]
        assert side * row[f"contrib_{signal}"] > MIN_EFFECT
        against_article = by_name()[signal].reading(recorded[signal]) * side < 0
        assert (f"({phrases.DISAGREES}" in phrase) == against_article
        assert learned or not against_article, "the rule card never disagrees with the article"

    # the table: one row per recorded signal, its state's label and sentence
    table = e.table()
    assert sorted(table["signal"]) == sorted(recorded)
    for r in table.itertuples():
        state = recorded[r.signal]
        value = e.recorded[r.signal][1]
        assert r.recorded == phrases.label(r.signal, state, value)
        side = np.sign(r.contribution)
        if r.effect == "changed others":  # a context answer that changed how others counted
            assert r.meaning.startswith(f"{by_name()[r.signal].states[state].says}: it made ")
            assert r.contribution == 0 and e.changes[r.signal]
            continue
        assert r.meaning.startswith(f"{by_name()[r.signal].states[state].says}: counted ")
        assert r.meaning.split(": ")[1].startswith(phrases.counted(r.contribution))
        assert (phrases.DISAGREES in r.meaning) == (by_name()[r.signal].reading(state) * side < 0)

    # the text and the HTML: the same rows, and no sentence of a state not recorded
    text, page = str(e), e._repr_html_()
    lines = [line.strip() for line in text.splitlines() if line.startswith("  ")]
    assert [line[: len(label)] for line, label in zip(lines, table["recorded"])] == list(table["recorded"])
    cells = re.findall(r"<tr><td>(.*?)</td>", page)
    assert cells == [label.replace("'", "&#x27;") for label in table["recorded"]]
    unrecorded = [
        st.says for s in catalogue() for name, st in s.states.items() if recorded.get(s.name) != name
    ]
    for sentence in unrecorded:
        assert sentence not in row["reasons"] and sentence not in text
        assert sentence.replace("'", "&#x27;") not in page

    # the chart: one bar per recorded signal, labelled with its state, coloured by its side
    figure = e.plot()
    bars = figure.axes[1]
    ticks = [t.get_text().removesuffix(" *") for t in bars.get_yticklabels()]
    assert sorted(ticks) == sorted(table["recorded"])
    for patch, tick in zip(bars.patches, bars.get_yticklabels()):
        r, g, _, _ = patch.get_facecolor()
        width = patch.get_width()
        if width:
            assert (g > r) == (width > 0)
        effect = table.set_index("recorded").loc[tick.get_text().removesuffix(" *"), "contribution"]
        assert width == effect


def _every_signal_and_state():
    for s in catalogue():
        for state in STATES[s.kind]:
            yield s.name, state


@pytest.mark.parametrize("name", ["rules", "reversed-1", "reversed-2"])
@pytest.mark.parametrize("signal, state", list(_every_signal_and_state()))
def test_each_state_alone_is_named_as_recorded(scorers, name, signal, state):
    value = VALUES[state][-1] if state in VALUES else state
    interview = {"interview_id": "one", **_cells(signal, state, value)}
    _check(interview, {} if signal == "stage" else {signal: state}, scorers[name], name != "rules")


@st.composite
def interviews(draw):
    """An interview with some signals recorded, each in a drawn state."""
    interview, recorded = {}, {}
    for s in catalogue():
        if not draw(st.booleans()):
            continue
        state = draw(st.sampled_from(STATES[s.kind]))
        if s.kind == "stage":
            interview["stage"] = state
            continue
        interview.update(_cells(s.name, state, draw(st.sampled_from(VALUES[state]))))
        recorded[s.name] = state
    if not interview:  # a table needs one signal column; a stage alone moves only the baseline
        interview["stage"] = "first"
    return interview, recorded


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=interviews(), name=st.sampled_from(["rules", "reversed-1", "reversed-2"]))
def test_no_text_describes_a_state_that_was_not_recorded(scorers, drawn, name):
    interview, recorded = drawn
    _check(interview, recorded, scorers[name], name != "rules")


def test_the_reversed_worlds_make_the_models_disagree_with_the_article(scorers):
    """The property above is not vacuous: learned models do count states the other way."""
    interview = {"handwritten_note": "no", "distracted": "no", "engagement": 5, "selling": 5, "hurried": "no"}
    for name in ("reversed-1", "reversed-2"):
        e = offerodds.explain(interview, model=scorers[name])
        assert e.table()["meaning"].str.contains(phrases.DISAGREES, regex=False).any(), str(e)
    assert phrases.DISAGREES not in str(offerodds.explain(interview, model=scorers["rules"]))


def test_sentences_are_distinct_and_none_contains_another():
    """So a reader, and the tests above, can tell every state from every other."""
    sentences = [st.says for s in catalogue() for st in s.states.values()]
    assert len(set(sentences)) == len(sentences)
    for a in sentences:
        assert not [b for b in sentences if a != b and a in b], a


@pytest.mark.parametrize("signal", [s for s in contribution_signals()])
def test_the_rule_card_never_counts_a_state_against_the_articles_reading(signal):
    card = offerodds.rules()
    for state in STATES[by_name()[signal].kind]:
        for value in VALUES[state]:
            for context in ({}, {"structured_format": "yes"}, {"structured_format": "yes", "inexperienced_interviewer": "yes"}):
                row = offerodds.score({**context, **_cells(signal, state, value)}, model=card).iloc[0]
                c = row[f"contrib_{signal}"]
                assert not phrases.disagrees(signal, state, c), (signal, state, value, context, c)
