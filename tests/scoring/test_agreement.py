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
