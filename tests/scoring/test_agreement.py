"""Where a learned model reads a signal against the article (scoring/agreement.py)."""

import numpy as np

import offerodds
from offerodds.scoring.agreement import describe, disagreements, readings
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.encoding import feature_layout


def _flipped(signal_features: dict[str, float], sd: float) -> LinearScorer:
    card = offerodds.rules()
    names, _ = feature_layout()
    coef = card.coef.copy()
    for feature, value in signal_features.items():
        coef[names.index(feature)] = value
    return LinearScorer(
        kind="model", version="v1", intercept=card.intercept, coef=coef,
        covariance=np.eye(len(coef) + 1) * sd**2,
    )


def test_the_card_never_disagrees_with_itself():
    card = offerodds.rules()
    assert disagreements(card, card) == []
    assert all(not r.against_the_article for r in readings(card, card))


def test_a_reversed_note_is_named_with_its_evidence():
    # the demo's learned weights ranked "no note" above "note": say so
    model = _flipped({"handwritten_note=yes": 0.05, "handwritten_note=no": 0.15}, sd=0.02)
    found = disagreements(model, offerodds.rules())
    assert [r.signal for r in found] == ["handwritten_note"]
    reading = found[0]
    assert reading.card_effect > 0 > reading.learned_effect
    assert reading.probability_reversed > 0.99
    text = describe(reading)
    assert "handwritten_note" in text and "the other way" in text and "sure" in text


def test_a_weak_reversal_is_reported_as_uncertain():
    model = _flipped({"selling": -0.01}, sd=0.5)
    (reading,) = [r for r in disagreements(model, offerodds.rules()) if r.signal == "selling"]
    assert 0.5 < reading.probability_reversed < 0.6
    text = describe(reading)
    assert "lean the other way" in text and "weak evidence, it may be noise" in text


def test_a_disagreement_on_weak_evidence_is_explained_but_never_a_reason():
    """Sure of the reversal: a reason, saying the outcomes disagree with the article. Unsure:
    listed in the explanation, marked uncertain and possibly noise, and never a reason."""
    from offerodds.scoring.agreement import weak_states
    from offerodds.scoring.phrases import DISAGREES, UNCERTAIN, WEAK

    interview = {"handwritten_note": "no", "stage": "final"}
    for sd, weak in ((0.02, False), (0.5, True)):
        model = _flipped({"handwritten_note=yes": 0.05, "handwritten_note=no": 0.15}, sd=sd)
        assert (("handwritten_note", "no") in weak_states(model)) is weak
        meaning = offerodds.explain(interview, model=model).table().set_index("signal").loc["handwritten_note", "meaning"]
        reasons = offerodds.score(interview, model=model).loc[0, "reasons"]
        assert DISAGREES in meaning
        assert (WEAK in meaning) is weak and (UNCERTAIN in meaning) is weak, meaning
        if weak:
            assert "note" not in reasons, reasons
        else:
            assert DISAGREES in reasons and WEAK not in reasons, reasons
    assert weak_states(offerodds.rules()) == frozenset()


def test_a_state_that_agrees_with_the_article_is_never_called_noise():
    """A weak effect that runs the article's way is marked uncertain (and is no reason), but
    never said to disagree with the article or to be noise."""
    from offerodds.scoring.phrases import DISAGREES, UNCERTAIN, WEAK

    model = _flipped({"selling": 0.01}, sd=0.5)
    e = offerodds.explain({"selling": 5}, model=model)
    assert WEAK not in str(e) and DISAGREES not in str(e) and "(unsure)" in str(e)
    assert UNCERTAIN in e.table().set_index("signal").loc["selling", "meaning"]
    assert offerodds.score({"selling": 5}, model=model).loc[0, "reasons"] == "no recorded signal clearly moves the odds"


def test_context_answers_are_never_reasons_even_where_a_model_weighs_them():
    """An inexperienced interviewer or a structured format is the setting, not a sign of how
    the interview went: listed in the explanation, never in the reasons."""
    model = _flipped({"inexperienced_interviewer=no": -0.8, "structured_format=yes": 0.9}, sd=0.05)
    interview = {"inexperienced_interviewer": "no", "structured_format": "yes", "selling": 4}
    reasons = offerodds.score(interview, model=model).loc[0, "reasons"]
    assert "interviewer" not in reasons.replace("the interviewer tried", "") and "format" not in reasons, reasons
    table = offerodds.explain(interview, model=model).table()
    assert {"inexperienced_interviewer", "structured_format"} <= set(table["signal"])


def _evidence(effects: dict[str, tuple[float, float]]) -> LinearScorer:
    """The card, with some features' evidence set to (mean, sd); every other feature's
    evidence sits at zero with sd 1 (the outcomes say nothing of it)."""
    card = offerodds.rules()
    names, _ = feature_layout()
    coef, sd = np.zeros(len(card.coef)), np.ones(len(card.coef) + 1)
    for feature, (mean, s) in effects.items():
        coef[names.index(feature)], sd[names.index(feature)] = mean, s
    return LinearScorer(kind="model", version="evidence", intercept=card.intercept, coef=coef,
                        covariance=np.diag(sd**2))


def test_a_check_across_signals_keeps_a_strong_signal_and_drops_a_lucky_one():
    """Each state alone at 90 %: a signal whose outcomes lean its way by luck (95 % sure) is
    eligible. With the check across signals at a family level of 10 %, it is not (one of 28
    checked), while a signal the outcomes are far surer of stays eligible; a state less than
    90 % sure is never eligible either way."""
    from offerodds.scoring.agreement import unsure_states

    card = offerodds.rules()
    evidence = _evidence({"answer_quality": (0.8, 0.1), "selling": (0.33, 0.2)})  # z 8 and z 1.65
    alone = unsure_states(evidence, card)
    across = unsure_states(evidence, card, family_level=0.10)
    for state in ("high", "low"):
        assert ("answer_quality", state) not in alone and ("answer_quality", state) not in across
        assert ("selling", state) not in alone and ("selling", state) in across
        assert ("rapport", state) in alone and ("rapport", state) in across  # the outcomes say nothing


def test_a_real_signal_with_a_strong_effect_is_still_named(monkeypatch):
    """Learned from 400 outcomes where answer quality decides a lot and enthusiasm nothing:
    a strong answer is among the reasons, with or without the check across signals."""
    import pandas as pd

    from offerodds.scoring import agreement

    rng = np.random.default_rng(7)
    n = 400
    quality, enthusiasm = rng.integers(1, 6, n), rng.integers(1, 6, n)
    y = rng.random(n) < 1 / (1 + np.exp(-1.5 * (quality - 3)))
    frame = pd.DataFrame({"answer_quality": quality, "enthusiasm": enthusiasm,
                          "outcome": np.where(y, "offer", "no_offer")})
    from offerodds.signals.catalogue import by_name

    said = list(by_name()["answer_quality"].states.values())[-1].says  # the top state's sentence
    for level in (None, 0.10):
        monkeypatch.setattr(agreement, "FAMILY_LEVEL", level)
        model = offerodds.fit(frame)
        assert not {"answer_quality=high", "answer_quality=low"} & set(model.fit_summary.unsure_states), level
        reasons = offerodds.score({"answer_quality": 5, "enthusiasm": 3}, model=model).loc[0, "reasons"]
        assert reasons.startswith("for: ") and said in reasons, (level, reasons)


def test_a_middle_rating_is_never_a_reason_of_a_learned_model():
    """A middle rating counts only by what the outcomes say of leaving the scale empty (a
    learned blank): no direction the outcomes alone were checked for, so never a reason."""
    from offerodds.scoring.agreement import unsure_states

    states = unsure_states(_evidence({"answer_quality": (0.8, 0.1)}), offerodds.rules())
    assert ("answer_quality", "middle") in states and ("answer_quality", "high") not in states
