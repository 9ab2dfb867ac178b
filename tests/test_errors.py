"""One error family: every error a user can cause is an ``offerodds.OfferoddsError`` (and the
built-in it replaces); anything else that escapes is a bug, which the command line says is one."""

import warnings

import pandas as pd
import pytest

import offerodds
from offerodds.cli import main as cli_main

FAMILY = {
    "InputError": ValueError,
    "FileClash": ValueError,
    "FileAccessError": OSError,
    "ConfigError": ValueError,
    "FitError": ValueError,
    "NoReference": ValueError,
    "StoreError": RuntimeError,
    "ChampionUnavailable": RuntimeError,
    "TrackingError": RuntimeError,
}


@pytest.mark.parametrize("name, builtin", sorted(FAMILY.items()))
def test_each_error_is_of_the_family_and_of_the_builtin_it_replaces(name, builtin):
    error = getattr(offerodds, name)
    assert issubclass(error, offerodds.OfferoddsError) and issubclass(error, builtin)
    assert name in offerodds.__all__


CASES = [
    "a file that is not there", "a folder instead of a file", "a number instead of a table",
    "a model that is not a scorer", "no signal column", "an unknown encoding",
    "an as-of that is not a date", "two interviews to explain", "an invalid interview to explain",
    "two interviews to follow up", "labelled data without outcomes", "labelled data with a bad value",
    "a batch with nothing to compare with", "a settings file that is not there",
    "labelled file that is not there",
]


def _bad_calls(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    empty_ws = tmp_path / "empty-ws"
    return {
        "a file that is not there": (lambda: offerodds.score(tmp_path / "nope.csv", model=offerodds.rules()), offerodds.InputError),
        "a folder instead of a file": (lambda: offerodds.score(folder, model=offerodds.rules()), offerodds.InputError),
        "a number instead of a table": (lambda: offerodds.score(42, model=offerodds.rules()), offerodds.InputError),
        "a model that is not a scorer": (lambda: offerodds.score({"selling": 4}, model="v3"), offerodds.InputError),
        "no signal column": (lambda: offerodds.score({"colour": "blue"}, model=offerodds.rules()), offerodds.InputError),
        "an unknown encoding": (lambda: offerodds.score(__file__, model=offerodds.rules(), encoding="nope"), offerodds.InputError),
        "an as-of that is not a date": (lambda: offerodds.score({"selling": 4}, model=offerodds.rules(), as_of="soon"), offerodds.InputError),
        "two interviews to explain": (lambda: offerodds.explain([{"selling": 4}, {"selling": 2}], model=offerodds.rules()), offerodds.InputError),
        "an invalid interview to explain": (lambda: offerodds.explain({"engagement": 99}, model=offerodds.rules()), offerodds.InputError),
        "two interviews to follow up": (lambda: offerodds.followup([{"selling": 4}, {"selling": 2}], model=offerodds.rules()), offerodds.InputError),
        "labelled data without outcomes": (lambda: offerodds.fit(pd.DataFrame({"selling": [4, 2]})), offerodds.InputError),
        "labelled data with a bad value": (lambda: offerodds.fit(pd.DataFrame({"selling": [9, 2], "outcome": ["offer", "no_offer"]})), offerodds.InputError),
        "a batch with nothing to compare with": (lambda: offerodds.monitor({"selling": 4}, workspace=empty_ws), offerodds.NoReference),
        "a settings file that is not there": (lambda: offerodds.retrain(workspace=empty_ws, config=tmp_path / "nope.toml"), offerodds.ConfigError),
        "labelled file that is not there": (lambda: offerodds.retrain(tmp_path / "nope.csv", workspace=empty_ws), offerodds.InputError),
    }


@pytest.mark.parametrize("case", CASES)
def test_bad_input_to_the_api_raises_an_offerodds_error(case, tmp_path):
    calls = _bad_calls(tmp_path)
    assert sorted(calls) == sorted(CASES)
    call, expected = calls[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(expected) as caught:
            call()
    assert isinstance(caught.value, offerodds.OfferoddsError)
    assert "\n" not in str(caught.value).strip()


def test_writing_where_one_cannot_is_a_file_access_error(tmp_path):
    from offerodds.files.atomic import AtomicFile

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(offerodds.FileAccessError, match="cannot write"):
        with AtomicFile(blocker / "out.csv") as tmp:
            tmp.write_text("never")


def test_the_command_line_says_a_user_error_in_one_line_without_the_debug_hint(tmp_path, capsys):
    code = cli_main(["score", str(tmp_path / "nope.csv"), "--workspace", str(tmp_path / "ws")])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().count("\n") == 0 and "not found" in err and "--debug" not in err


def test_the_command_line_calls_anything_else_an_internal_error_with_the_debug_hint(tmp_path, capsys, monkeypatch):
    import offerodds.cli.scoring as scoring_commands

    def broken(*args, **kwargs):
        raise ValueError("a bug, not the user's doing")

    monkeypatch.setattr(scoring_commands, "cmd_validate", broken)
    data = tmp_path / "in.csv"
    data.write_text("selling\n4\n")
    code = cli_main(["validate", str(data), "--workspace", str(tmp_path / "ws")])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error" in err and "--debug" in err
    with pytest.raises(ValueError):
        cli_main(["validate", str(data), "--workspace", str(tmp_path / "ws"), "--debug"])
