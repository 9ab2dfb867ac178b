"""Every message a person may read, checked for doubled words ("the the"): the templates as
written (string literals of the package, the data files' texts) and the texts they compose."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

import offerodds
from offerodds.advice.playbook import playbook

PACKAGE = Path(offerodds.__file__).resolve().parent
# a word repeated with only spaces between ("the the"); numbers and code-like tokens are not words
DOUBLED = re.compile(r"\b([A-Za-z]{2,})\s+\1\b(?!-)", re.IGNORECASE)
# repeats that are right
ALLOWED = {"that that", "had had"}


def _doubled(text: str) -> list[str]:
    """Doubled words; a word beside its own upper-case name ("--id ID": a placeholder) is not."""
    return [
        m.group(0) for m in DOUBLED.finditer(text)
        if m.group(0).lower() not in ALLOWED and not m.group(0).split()[-1].isupper()
    ]


def _literals(path: Path):
    """The text of every string literal of a module; in an f-string, each placeholder reads
    as one neutral word, so "the {x} the" is still caught."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else " {} " for v in node.values]
            yield node.lineno, "".join(parts)


def _toml_texts(value, where=""):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _toml_texts(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _toml_texts(v, f"{where}[{i}]")


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_string_of_the_package_doubles_a_word(path):
    found = [(line, word) for line, text in _literals(path) for word in _doubled(text)]
    assert not found, found


@pytest.mark.parametrize("name", ["signals.toml", "rulecard.toml", "advice.toml", "pipelines/retrain.toml"])
def test_no_text_of_the_data_files_doubles_a_word(name):
    data = tomllib.loads((PACKAGE / "resources" / name).read_text(encoding="utf-8"))
    found = [(where, word) for where, text in _toml_texts(data) for word in _doubled(text)]
    assert not found, found


def test_the_check_catches_a_doubled_word():
    assert _doubled("on the 277 outcomes the champion never saw, the the learned model") == ["the the"]
    assert _doubled(f"the {'the learned model'}") == ["the the"]
    assert not _doubled("the 90 % interval 90 % wide")


def test_composed_texts_double_no_word():
    """What the templates compose: every rule's next step with its gaps and circumstances, the
    reasons and explanations of generated interviews."""
    from offerodds.synthetic import generate

    frame = generate(150, seed=11, outcomes=True)
    out = offerodds.score(frame, model=offerodds.rules(), as_of="2026-04-01")
    texts = set(out["next_step"].dropna()) | set(out["reasons"].dropna())
    for i in range(0, 150, 15):
        texts.add(str(offerodds.explain(frame.iloc[[i]].drop(columns=["outcome"]), model=offerodds.rules())))
    assert len(texts) > 20
    found = [w for t in texts for w in _doubled(t)]
    assert not found, found
    for rule in playbook().rules:
        assert not _doubled(rule.step), rule.id
