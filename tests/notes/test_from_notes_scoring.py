"""Scoring with notes (``offerodds.score(..., from_notes=True)``): only empty signals are
filled, recorded values are never replaced, the input comes back unchanged, and notes reach
neither the outcome store nor a fitted model."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.stores.labelled import read_labelled
from offerodds.stores.outcomes import store_rows
from offerodds.usecases import iter_scored
from offerodds.files.reading import open_table

NOTE = "She was on her phone the whole time and never asked if I had questions. Booked for an hour, done in 20 minutes."


@pytest.fixture()
def frame():
    return pd.DataFrame({
        "interview_id": ["a", "b", "c", "d"],
        "distracted": ["", "no", None, ""],
        "stage": ["", "", "final", ""],
        "notes": [NOTE, NOTE, None, "Parking was a nightmare."],
    })


def test_notes_fill_only_the_empty_signals_and_say_so(frame, card):
    out = offerodds.score(frame, model=card, from_notes=True)
    listed = out["signals_from_notes"].tolist()
    assert listed[0] == "distracted = yes; scheduled_minutes = 60; actual_minutes = 20; questions_invited = no"
    assert listed[1] == "scheduled_minutes = 60; actual_minutes = 20; questions_invited = no"  # "no" was recorded
    assert listed[2] == "" and listed[3] == ""  # nothing in the notes, or no notes
    assert "distracted or uninterested (from your notes)" in out.loc[0, "reasons"]
    assert "the interviewer was not distracted" in out.loc[1, "reasons"]  # the recorded value stands
    assert "not distracted (from your notes)" not in out.loc[1, "reasons"]
    # the input columns come back as they were given
    pd.testing.assert_frame_equal(out[frame.columns.tolist()], frame, check_dtype=False)
    # every contribution still adds up to the log-odds
    contrib = out.filter(like="contrib_").sum(axis=1)
    np.testing.assert_allclose(out["baseline_log_odds"] + contrib, out["offer_log_odds"], atol=1e-9)


def test_rows_whose_notes_say_nothing_are_scored_as_without_notes(frame, card):
    with_notes = offerodds.score(frame, model=card, from_notes=True)
    without = offerodds.score(frame, model=card)
    for row in (2, 3):
        assert with_notes.loc[row, "offer_probability"] == without.loc[row, "offer_probability"]
        assert with_notes.loc[row, "reasons"] == without.loc[row, "reasons"]
    assert with_notes.loc[0, "offer_probability"] < without.loc[0, "offer_probability"]
    assert "signals_from_notes" not in without.columns  # only when asked for


def test_the_result_does_not_depend_on_the_chunk_size(frame, card):
    table = open_table(frame)
    one = pd.concat([c.frame for c in iter_scored(table, card, chunk_rows=1, from_notes=True)], ignore_index=True)
    all_ = pd.concat([c.frame for c in iter_scored(table, card, chunk_rows=100, from_notes=True)], ignore_index=True)
    pd.testing.assert_frame_equal(one, all_)


def test_asking_for_notes_without_a_notes_column_is_a_clear_error(card):
    with pytest.raises(ValueError, match="needs a `notes` column"):
        offerodds.score({"stage": "final"}, model=card, from_notes=True)


def test_explain_says_which_signals_came_from_the_notes(card):
    explanation = offerodds.explain({"interview_id": "x", "selling": 5, "notes": NOTE}, model=card, from_notes=True)
    table = explanation.table()
    marked = set(table.loc[table["recorded"].str.endswith("(from your notes)"), "signal"])
    assert marked == {"distracted", "interview_length", "questions_invited"}
    assert "from your notes" in str(explanation)
    plain = offerodds.explain({"interview_id": "x", "selling": 5, "notes": NOTE}, model=card)
    assert set(plain.table()["signal"]) == {"selling"}  # notes are read only when asked


def test_training_never_reads_notes(card):
    """What a model learns about blanks comes from what people recorded: notes are never read
    into the outcome store, and a model fits the same with or without them."""
    from offerodds.synthetic import generate

    labelled = generate(400, seed=5)
    labelled["distracted"] = np.nan  # empty everywhere ...
    noted = labelled.assign(notes="He was on his phone the whole time and rushed me.")  # ... notes say yes
    rows = store_rows(read_labelled(noted), "2026-01-01T00:00:00+00:00")
    assert "notes" not in rows.columns
    assert not rows.astype("string").apply(lambda c: c.str.contains("phone", na=False)).any().any()
    plain = offerodds.fit(labelled)
    with_notes = offerodds.fit(noted)
    np.testing.assert_array_equal(plain.coef, with_notes.coef)
    assert plain.intercept == with_notes.intercept


def test_a_table_with_notes_and_no_signal_column_is_read_only_from_its_notes(card):
    notes_only = pd.DataFrame({"interview_id": ["a", "b"], "notes": [NOTE, "Parking was awful."]})
    out = offerodds.score(notes_only, model=card, from_notes=True)
    assert out.loc[0, "signals_from_notes"].startswith("distracted = yes") and out.loc[1, "signals_from_notes"] == ""
    with pytest.raises(offerodds.InputError, match="only `notes`.*from_notes=True"):
        offerodds.score(notes_only, model=card)  # without it every row would be the starting point
