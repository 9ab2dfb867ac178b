"""Shared fixtures: the rule card, and a workspace that is never the current directory."""

import pytest

import offerodds


@pytest.fixture(autouse=True)
def _empty_workspace(tmp_path_factory, monkeypatch):
    """Point OFFERODDS_WORKSPACE at an empty folder, so no test reads the cwd's models."""
    monkeypatch.setenv("OFFERODDS_WORKSPACE", str(tmp_path_factory.mktemp("workspace")))


@pytest.fixture(scope="session")
def card():
    """The rule card scorer (what ``offerodds.rules()`` returns)."""
    return offerodds.rules()
