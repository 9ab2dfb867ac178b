"""The confidence of each proposal (notes/confidence.py): what it keeps and drops, how it is
shown, and that the shipped weights are what the training pipeline makes of the repo's notes
and rules."""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

import offerodds
from offerodds.notes.confidence import Judge, confidences, judge, judged
from offerodds.notes.reader import from_notes as read_by_rules

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "pipelines" / "train_notes_confidence.py"
COMMAND = "python pipelines/train_notes_confidence.py"


def _pipeline():
    spec = importlib.util.spec_from_file_location("train_notes_confidence", PIPELINE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_shipped_weights_are_what_the_pipeline_makes_of_the_repos_notes_and_rules():
    pipeline = _pipeline()
    content, _ = pipeline.train()
    shipped = json.loads((ROOT / "src" / "offerodds" / "resources" / "notes_confidence.json").read_text("utf-8"))
    stale = f"the notes confidence is stale (the reading rules or data/notes changed): run `{COMMAND}` and commit its output"
    assert shipped["threshold"] == content["threshold"], stale
    assert shipped["trained_on"] == content["trained_on"], stale
    assert set(shipped["weights"]) == set(content["weights"]), stale
    # the same up to the last rounded digit (a solver's last bits may differ between machines)
    assert math.isclose(shipped["intercept"], content["intercept"], abs_tol=2e-3), stale
    for name, weight in content["weights"].items():
        assert math.isclose(shipped["weights"][name], weight, abs_tol=2e-3), f"{stale} ({name})"


@pytest.mark.parametrize("text, column, value", [
    ("She asked about my notice period.", "availability_discussed", "yes"),
    ("He showed me around the office and introduced me to the team.", "workspace_tour", "yes"),
    ("Booked for an hour. She never asked if I had questions.", "questions_invited", "no"),
    ("It was the first round, with the hiring manager.", "stage", "first"),
])
def test_a_plain_clear_sentence_keeps_its_proposal_and_says_how_likely_it_is_right(text, column, value):
    reading = offerodds.from_notes(text)
    assert reading[column] == value
    assert judge().threshold <= reading.confidence[column] <= 1
    assert reading.confidence[column] >= 0.9
    assert set(reading.confidence) == set(reading) == set(reading.evidence)


@pytest.mark.parametrize("text", [
    "People say the hiring manager there is really engaged.",
    "Practice run with my coach today, she was really warm and engaged.",
    "A friend who worked there says the interviewers always give a tour.",
    "Article says a good interviewer explains the next steps.",
    "Recruiters always say they'll be in touch within a week.",
])
def test_a_generic_or_advice_sentence_proposes_nothing(text):
    reading = offerodds.from_notes(text)
    assert dict(reading) == {} and reading.confidence == {}


@pytest.mark.parametrize("elsewhere, plain, column", [
    ("Everyone says the hiring manager there is super engaged and friendly.",
     "The hiring manager was super engaged and friendly.", "engagement"),
    ("The article said they gave a tour of the office.", "They gave me a tour of the office.", "workspace_tour"),
])
def test_words_from_somewhere_other_than_this_interview_are_less_likely_right(elsewhere, plain, column):
    model = judge()
    far, near = read_by_rules(elsewhere), read_by_rules(plain)
    assert column in near
    if column in far:  # the rules may abstain themselves; when they do not, the confidence is lower
        assert confidences(far, elsewhere, model)[column] < confidences(near, plain, model)[column] - 0.02


def test_the_filter_only_drops_it_never_changes_or_adds_a_value():
    for text in ("Booked for an hour, she wrapped up after 25 minutes. Kept checking her phone.",
                 "Everyone says the hiring manager there is super engaged. Second interview, no tour.",
                 "The panel was warm, but one of them was on his phone. I'd hear by Friday."):
        rules, kept = read_by_rules(text), offerodds.from_notes(text)
        assert set(kept) <= set(rules)
        assert all(kept[c] == rules[c] and kept.evidence[c] == rules.evidence[c] for c in kept)


def test_the_threshold_decides_and_the_probability_is_a_fixed_order_sum():
    text = "Practice run with my coach today, she was really warm and engaged. She asked about my notice period."
    rules = read_by_rules(text)
    model = judge()
    probs = confidences(rules, text, model)
    assert all(0 < p < 1 for p in probs.values())
    keep_all = Judge(model.intercept, model.weights, 0.0, model.ngrams)
    assert set(judged(rules, text, keep_all)) == set(rules)
    keep_none = Judge(model.intercept, model.weights, 1.0, model.ngrams)
    assert dict(judged(rules, text, keep_none)) == {}
    assert confidences(rules, text, model) == probs


def test_no_note_and_an_empty_note_propose_nothing():
    for text in (None, "", "   ", float("nan")):
        reading = offerodds.from_notes(text)
        assert dict(reading) == {} and reading.confidence == {}
    with pytest.raises(TypeError):
        offerodds.from_notes(42)


def test_the_cli_says_what_the_number_means(capsys):
    from offerodds.cli import main

    assert main(["notes", "She asked about my notice period."]) == 0
    out = capsys.readouterr().out
    assert "likely right: 0.9" in out
    assert "estimated chance that a careful reader reads the same value" in out
    assert main(["notes", "She asked about my notice period.", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data["probability_right"]) == set(data["values"]) == {"availability_discussed"}
