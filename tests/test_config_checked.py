"""Settings are checked when they are loaded, ranges and NaN included, before anything is read or
changed: a bad retrain configuration leaves the outcome store as it was."""

from __future__ import annotations

import pytest

from offerodds import cli
from offerodds.config import GateConfig, MonitorConfig, load_config
from offerodds.errors import ConfigError
from offerodds.files.workspace import Workspace

BAD = [
    ("[gate]\nbootstrap = -5\n", "bootstrap = -5"),
    ("[gate]\nmax_luck = nan\n", "max_luck = nan"),
    ("[gate]\nmax_luck = 0.0\n", "max_luck = 0.0"),
    ("[gate]\nchampion_tolerance = inf\n", "champion_tolerance = inf"),
    ("[gate]\nbootstrap = 1.5\n", "bootstrap = 1.5"),
    ("[fit]\nfolds = \"3\"\n", "folds = '3'"),
    ("[fit]\nscale_prior_sd = nan\n", "scale_prior_sd = nan"),
    ("[monitor]\nalpha = -0.1\n", "alpha = -0.1"),
    ("[monitor]\nresamples = 0\n", "resamples = 0"),
    ("[tracking]\nexperiment = \"\"\n", "experiment = ''"),
    ("[tracking]\nenabled = \"no\"\n", "enabled = 'no'"),
    ("gate = 3\n", "stands outside a section"),
]


@pytest.mark.parametrize("text, named", BAD)
def test_a_bad_setting_is_named_at_load(tmp_path, text, named):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=named.replace("[", r"\[").replace(".", r"\.")):
        load_config(path)


@pytest.mark.parametrize("text, named", BAD[:3])
def test_retrain_with_a_bad_setting_changes_nothing(tmp_path, text, named, capsys, merge_only_config):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("interview_id,engagement,outcome\na,4,offer\nb,2,no_offer\n", encoding="utf-8")
    ws = tmp_path / "ws"
    assert cli.main(["retrain", str(labelled), "--workspace", str(ws), "--config", str(merge_only_config)]) == 0
    store = Workspace.resolve(ws).outcome_store
    before = store.read_bytes()
    more = tmp_path / "more.csv"
    more.write_text("interview_id,engagement,outcome\nc,5,offer\n", encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["retrain", str(more), "--workspace", str(ws), "--config", str(bad)]) == 1
    assert named in capsys.readouterr().err
    assert store.read_bytes() == before

    (ws / "interviews.csv").write_text("interview_id,stage\na,final\n", encoding="utf-8")
    assert cli.main(["forget", "a", "--retrain", "--config", str(bad), "--workspace", str(ws)]) == 1
    assert store.read_bytes() == before  # nothing forgotten before the settings were checked
    assert (ws / "interviews.csv").read_text(encoding="utf-8") == "interview_id,stage\na,final\n"


def test_the_shipped_defaults_and_sensible_values_load():
    load_config()
    GateConfig(bootstrap=400, max_luck=0.05)
    MonitorConfig(alpha=0.05, resamples=999)


@pytest.mark.parametrize(
    "line, bad",
    [("thank_you_hours = 24", "thank_you_hours = nan"), ("wait_working_days = 7", "wait_working_days = -1"),
     ("thank_you_days = 14", "thank_you_days = 1.5"), ("low_probability = 0.15", "low_probability = inf")],
)
def test_the_advice_files_numbers_are_checked_when_it_loads(line, bad):
    from importlib import resources

    from offerodds.advice.playbook import AdviceFileError, load_playbook

    text = resources.files("offerodds").joinpath("resources/advice.toml").read_text("utf-8")
    assert line in text
    load_playbook(text)
    with pytest.raises(AdviceFileError, match=bad.split(" = ")[0]):
        load_playbook(text.replace(line, bad))
