"""What the README says about names and counts is what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import offerodds
from offerodds.signals.catalogue import catalogue
from offerodds.synthetic import generate

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_rejects_file_is_named_as_score_writes_it(tmp_path):
    from offerodds import cli

    source = tmp_path / "my-interviews.csv"
    generate(5, seed=1, outcomes=False).to_csv(source, index=False)
    assert cli.main(["score", str(source), "--quiet", "--rules", "--workspace", str(tmp_path)]) == 0
    assert (tmp_path / "my-interviews.scored.csv").exists()
    assert (tmp_path / "my-interviews.scored.rejects.csv").exists()
    assert "my-interviews.scored.rejects.csv" in README
    assert "(+ .rejects.csv)" not in README


def test_the_monitor_check_count_in_the_readme_is_the_codes():
    result = offerodds.monitor(generate(120, seed=1), reference=generate(400, seed=2))
    per_signal = 2 * len(catalogue())
    assert len(result.checks) == per_signal + 1
    said = re.search(r"\((\d+) with its (\d+) signals\)", README)
    assert said and int(said.group(1)) == len(result.checks) and int(said.group(2)) == len(catalogue())


def test_help_of_score_says_how_the_default_workspace_is_chosen():
    doc = " ".join(offerodds.score.__doc__.split())
    assert "OFFERODDS_WORKSPACE" in doc and "current directory" in doc
