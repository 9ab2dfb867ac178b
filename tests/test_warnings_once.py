"""Each warning once, pointing at the caller's own line (a notebook cell, a script), and once
per command at the terminal."""

from __future__ import annotations

import inspect
import warnings

import pandas as pd

import offerodds
from offerodds import cli


def _calls(frame, times: int, **kwargs) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")  # Python's own default: once per call site
        for _ in range(times):
            offerodds.score(frame, model=offerodds.rules(), **kwargs)  # the line warned about
    return caught


def test_a_warning_points_at_the_callers_line_and_comes_once_per_call_site():
    frame = pd.DataFrame({"engagment": [4], "selling": [5], "scheduled_minutes": [60]})
    caught = _calls(frame, 3)
    line = next(i for i, text in enumerate(inspect.getsource(_calls).splitlines()) if "the line warned about" in text)
    line += _calls.__code__.co_firstlineno
    texts = [str(w.message) for w in caught]
    assert sum("did you mean 'engagement'" in t for t in texts) == 1, texts
    assert sum("scheduled_minutes without actual_minutes" in t for t in texts) == 1, texts
    for w in caught:
        assert w.filename == __file__ and w.lineno == line, (w.filename, w.lineno)
        assert issubclass(w.category, offerodds.OfferoddsWarning)


def test_pytest_warns_still_sees_a_repeated_warning():
    import pytest

    frame = pd.DataFrame({"Enthusiam": [4], "selling": [5]})
    for _ in range(2):
        with pytest.warns(offerodds.OfferoddsWarning, match="did you mean 'enthusiasm'"):
            offerodds.score(frame, model=offerodds.rules())


def test_the_command_line_says_each_warning_once(tmp_path, capsys):
    source = tmp_path / "one.csv"
    source.write_text("interview_id,engagment,selling,interview_date\na1,4,5,2026-03-02\n", encoding="utf-8")
    assert cli.main(["followup", str(source), "--id", "a1", "--as-of", "2026-03-02", "--rules",
                     "--workspace", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert err.count("did you mean 'engagement'") == 1, err
    assert cli.main(["explain", str(source), "--id", "a1", "--rules", "--workspace", str(tmp_path)]) == 0
    assert capsys.readouterr().err.count("did you mean 'engagement'") == 1  # the next command says it again
