"""The generated data dictionary (data/README.md) is up to date with the signal catalogue."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from offerodds.signals.catalogue import META_COLUMNS, catalogue

REPO = Path(__file__).resolve().parents[1]
README = REPO / "data" / "README.md"


@pytest.fixture(scope="module")
def make_docs():
    spec = importlib.util.spec_from_file_location("make_docs", REPO / "scripts" / "make_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def text() -> str:
    return README.read_text(encoding="utf-8")


def test_data_readme_is_generated(make_docs, text):
    assert text == make_docs.render(), (
        "data/README.md is out of date with the signal catalogue: run scripts/make_docs.py"
    )


def test_every_signal_and_column_is_documented(text):
    for signal in catalogue():
        assert f"`{signal.name}`" in text, signal.name
        for column in signal.columns:
            assert f"`{column}`" in text, column
        assert signal.question in " ".join(text.split()), signal.name
    for column in META_COLUMNS:
        assert f"`{column}`" in text, column


def test_examples_are_said_to_be_synthetic(text):
    assert "synthetic" in text.lower()
    assert "offerodds template -o blank.csv" in text
    for word in ("offer", "no_offer", "withdrawn", "pending"):
        assert f"`{word}`" in text


def test_every_test_security_md_names_exists():
    """SECURITY.md backs each promise with the test that fails without it: each must exist."""
    import ast
    import re

    root = Path(__file__).resolve().parents[1]
    named = re.findall(r"`(test_\w+\.py)::(test_\w+)", (root / "SECURITY.md").read_text(encoding="utf-8"))
    assert len(named) > 20
    missing = []
    for module, test in set(named):
        paths = list((root / "tests").rglob(module))  # tests/<package>/test_x.py: names are unique
        path = paths[0] if len(paths) == 1 else root / "tests" / module
        found = path.is_file() and any(
            isinstance(node, ast.FunctionDef) and node.name == test
            for node in ast.parse(path.read_text(encoding="utf-8")).body
        )
        if not found:
            missing.append(f"{module}::{test}")
    assert not missing, missing
