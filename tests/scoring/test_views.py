"""The people view of scored rows: what a learned model's pair terms did, in the same words as
``explain``, on every row they moved and on no other."""

import numpy as np
import pandas as pd

import offerodds
from offerodds.scoring.scorer import LinearScorer
from offerodds.scoring.terms import pair_effects
from offerodds.scoring.views import people_columns, people_view
from offerodds.signals.validation import typed_signals


def _people(frame: pd.DataFrame, scorer) -> pd.DataFrame:
    scored = offerodds.score(frame, model=scorer)
    typed = typed_signals(frame)
    return people_view(scored, typed, people_columns(list(frame.columns), {c: c for c in frame.columns}), scorer)


def test_pair_terms_are_said_in_the_effects_of_the_rows_they_moved():
    card = offerodds.rules()
    model = LinearScorer(kind="model", version="v1", intercept=card.intercept, coef=card.coef.copy(),
                         terms=("engagement x rapport", "workspace_tour x stage=final"),
                         term_coef=np.array([0.8, 0.6]))
    frame = pd.DataFrame({
        "interview_id": ["both", "tour-final", "tour-first", "none"],
        "engagement": [5, None, None, None],
        "rapport": [5, None, None, None],
        "workspace_tour": [None, "yes", "yes", None],
        "stage": [None, "final", "first", None],
    })
    effects = _people(frame, model).set_index("interview_id")["effects"]
    typed = typed_signals(frame)
    for i, row in enumerate(frame["interview_id"]):
        expected = [e.words for e in pair_effects(model, typed, i)]
        for words in expected:
            assert words in effects[row], (row, effects[row])
        if not expected:
            assert "counted more" not in effects[row] and "together" not in effects[row]
    assert "counted more together than each alone" in effects["both"]
    assert "because it was a final round" in effects["tour-final"]
    card_effects = _people(frame, card)["effects"]
    assert not card_effects.str.contains("together|because it was", regex=True).any()
