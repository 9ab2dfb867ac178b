"""The retrain configuration: packaged defaults in TOML, overridden by a user's file."""

from __future__ import annotations

import tomllib
from dataclasses import asdict
from pathlib import Path

import pytest

from offerodds.config import RetrainConfig, load_config

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "offerodds"
PACKAGED = PACKAGE / "resources" / "pipelines" / "retrain.toml"
COPY = REPO / "pipelines" / "retrain.toml"


def test_repository_copy_is_byte_identical_to_the_packaged_defaults():
    assert COPY.read_bytes() == PACKAGED.read_bytes(), (
        "pipelines/retrain.toml and src/offerodds/resources/pipelines/retrain.toml differ: "
        "copy the packaged file over the repository one"
    )


def test_defaults_are_the_packaged_file():
    config = load_config()
    packaged = tomllib.loads(PACKAGED.read_text(encoding="utf-8"))
    for section, values in packaged.items():
        loaded = asdict(getattr(config, section))
        for key, value in values.items():
            assert loaded[key] == value, f"[{section}] {key}"


def test_the_repository_copy_loads_as_a_config_file():
    assert load_config(COPY) == load_config()


def test_a_file_overrides_only_the_values_it_names(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        "[gate]\nbootstrap = 123\nmax_luck = 0.01\n\n[tracking]\nenabled = false\n\n[fit]\nfolds = 3\n",
        encoding="utf-8",
    )
    default, mine = load_config(), load_config(path)
    assert isinstance(mine, RetrainConfig)
    assert (mine.gate.bootstrap, mine.gate.max_luck) == (123, 0.01)
    assert mine.tracking.enabled is False
    assert mine.fit.folds == 3
    # everything not named keeps its default
    assert mine.gate.champion_tolerance == default.gate.champion_tolerance
    assert mine.tracking.experiment == default.tracking.experiment
    assert mine.fit.min_outcomes_per_class == default.fit.min_outcomes_per_class
    assert mine.fit.random_state == default.fit.random_state
    # loading a file never changes the defaults
    assert load_config() == default


def test_a_string_path_is_accepted(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("[fit]\nmin_outcomes_per_class = 7\n", encoding="utf-8")
    assert load_config(str(path)).fit.min_outcomes_per_class == 7


def test_unknown_section_is_an_error_naming_it(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text("[gates]\nbootstrap = 10\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"gates"):
        load_config(path)


def test_unknown_key_is_an_error_naming_it(tmp_path):
    path = tmp_path / "typo.toml"
    path.write_text("[gate]\nbootstraps = 10\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bootstraps") as caught:
        load_config(path)
    assert "[gate]" in str(caught.value)


def test_missing_or_broken_file_is_a_clear_value_error(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        load_config(tmp_path / "nowhere.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[gate\nbootstrap = ", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid TOML"):
        load_config(broken)


def test_every_packaged_resource_is_shipped_in_the_wheel():
    """Every file under ``src/offerodds/resources`` matches a package-data glob (setuptools
    globs like ``Path.glob``: ``*`` does not cross a folder)."""
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["offerodds"]
    shipped = {p for pattern in patterns for p in PACKAGE.glob(pattern) if p.is_file()}
    resources = {
        p for p in (PACKAGE / "resources").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    }
    missing = sorted(str(p.relative_to(PACKAGE)) for p in resources - shipped)
    assert not missing, f"not in any package-data glob of pyproject.toml: {missing}"
