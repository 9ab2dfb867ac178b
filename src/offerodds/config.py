"""Pipeline configuration as data: TOML files with the defaults shipped in the package.

``resources/pipelines/retrain.toml`` holds the defaults (an installed wheel has no
``pipelines/`` folder); ``offerodds retrain --config FILE`` overrides any of them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path

from offerodds.errors import ConfigError


@dataclass(frozen=True)
class FitConfig:
    """Settings of :func:`fit` (the retrain pipeline reads them from its TOML configuration).

    Parameters
    ----------
    folds : int
        Cross-validation folds (the promotion gate's, and the optional Platt step's).
    selection : {"evidence_average"}
        How the prior widths are chosen: always averaged over, weighted by their evidence.
        Kept so that configuration files written for earlier versions still load.
    min_outcomes_per_class : int
        Fewer of either class is too few to learn from. One of each is enough for the fit
        itself (the card's prior carries it); ``offerodds retrain`` asks for 5 (its TOML file),
        since its promotion gate cannot judge a model on fewer.
    min_calibration_per_class : int
        With at least this many of each class, a model whose leave-one-out scores run the wrong
        way and predict clearly worse than the offer rate is refused (and ``calibration =
        "platt"`` applies); fewer skip the check, saying so.
    scale_prior_sd, level_prior_sd : float
        The widest prior sds of the card's overall strength (around 1) and of the level (in
        log-odds, around the card's); narrower ones down to 0.05 are averaged over by evidence.
    calibration : {"none", "platt"}
        ``"platt"`` adds Platt's sigmoid fitted on K-fold out-of-fold scores.
    interval_inflation : float
        Multiplies the z of the 90 % interval (1: the posterior's own width, which already
        accounts for the prior widths being estimated).
    max_pairs : int
        At most this many pair terms (signal x stage, signal x signal) are screened in; one per
        250 outcomes below that; 0 keeps the card's additive form.
    misfit_interval : bool
        Measure the form's misfit on out-of-fold outcomes and add it to the interval's variance.
    """

    folds: int = 5
    selection: str = "evidence_average"
    min_outcomes_per_class: int = 1
    min_calibration_per_class: int = 25
    scale_prior_sd: float = 1.0
    level_prior_sd: float = 0.75
    calibration: str = "none"
    interval_inflation: float = 1.0
    random_state: int = 0
    max_pairs: int = 24
    misfit_interval: bool = True

    def __post_init__(self):
        _whole(self, "[fit]", ("folds", 2, 100), ("min_outcomes_per_class", 1, 10**9),
               ("min_calibration_per_class", 1, 10**9), ("random_state", 0, 2**32 - 1), ("max_pairs", 0, 200))
        _number(self, "[fit]", ("scale_prior_sd", 0.001, 100.0), ("level_prior_sd", 0.001, 100.0),
                ("interval_inflation", 0.001, 100.0))
        if not isinstance(self.misfit_interval, bool):
            raise ConfigError(f"[fit] misfit_interval = {self.misfit_interval!r}: true or false is needed")
        if self.selection != "evidence_average":
            raise ConfigError(
                f"[fit] selection = {self.selection!r} is no longer offered: the prior's widths are "
                "always averaged over by their evidence (remove the setting, or set it to 'evidence_average')"
            )
        if self.calibration not in ("none", "platt"):
            raise ConfigError(f"[fit] calibration = {self.calibration!r}: choose 'none' or 'platt'")


def _whole(config, where: str, *limits) -> None:
    """Each (name, low, high) of ``config`` is a whole number within its range, or a ConfigError."""
    for name, low, high in limits:
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(f"{where} {name} = {value!r}: a whole number from {low:,} to {high:,} is needed")


def _number(config, where: str, *limits, open_low: bool = False) -> None:
    """Each (name, low, high) of ``config`` is a finite number within its range (NaN is none)."""
    for name, low, high in limits:
        value = getattr(config, name)
        ok = not isinstance(value, bool) and isinstance(value, (int, float)) and low <= value <= high
        if ok and open_low and value == low:
            ok = False
        if not ok:
            above = f"above {low:g}" if open_low else f"from {low:g}"
            raise ConfigError(f"{where} {name} = {value!r}: a number {above} to {high:g} is needed")


@dataclass(frozen=True)
class GateConfig:
    """Settings of the promotion gate: ``bootstrap`` paired resamples, a candidate promoted when
    it loses in at most ``max_luck`` of them, and no worse than the champion by more than
    ``champion_tolerance`` log-loss. Checked when loaded, before anything is read or changed."""

    bootstrap: int = 2000
    max_luck: float = 0.05
    champion_tolerance: float = 0.0

    def __post_init__(self):
        _whole(self, "[gate]", ("bootstrap", 10, 10**7))
        _number(self, "[gate]", ("max_luck", 0.0, 0.5), open_low=True)
        _number(self, "[gate]", ("champion_tolerance", 0.0, 1.0))


@dataclass(frozen=True)
class TrackingConfig:
    experiment: str = "offerodds"
    enabled: bool = True

    def __post_init__(self):
        name = self.experiment
        if not isinstance(name, str) or not name.strip() or not name.isprintable() or len(name) > 200:
            raise ConfigError(
                f"[tracking] experiment = {name!r}: a name of printable characters (at most 200) is needed"
            )
        if not isinstance(self.enabled, bool):
            raise ConfigError(f"[tracking] enabled = {self.enabled!r}: true or false is needed")


@dataclass(frozen=True)
class MonitorConfig:
    """Settings of ``offerodds monitor``.

    Parameters
    ----------
    alpha : float
        The family-wise false-alarm rate: the chance that a batch from the reference's own
        population has any check flagged. 1 % rather than 5 %: the checks treat interviews
        as independent, and the rounds of one application are alike, which makes alarms
        somewhat more frequent than ``alpha`` (benchmarks/monitor_false_alarms.py measures it).
    resamples : int
        Monte Carlo tables for a chi-square p-value where expected counts are small.
    random_state : int
        Seeds those tables, so a batch always gives the same answer.
    """

    alpha: float = 0.01
    resamples: int = 9999
    random_state: int = 0

    def __post_init__(self):
        _number(self, "[monitor]", ("alpha", 0.0, 0.5), open_low=True)
        _whole(self, "[monitor]", ("resamples", 99, 10**7), ("random_state", 0, 2**32 - 1))


@dataclass(frozen=True)
class RetrainConfig:
    fit: FitConfig = field(default_factory=FitConfig)
    gate: GateConfig = field(default_factory=GateConfig)
    tracking: TrackingConfig = field(default_factory=TrackingConfig)
    monitor: MonitorConfig = field(default_factory=MonitorConfig)


def default_text(name: str = "retrain") -> str:
    return resources.files("offerodds").joinpath(f"resources/pipelines/{name}.toml").read_text("utf-8")


def _section(cls, data: dict, where: str):
    known = {f.name for f in fields(cls)}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"{where}: unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
    try:
        return cls(**data)
    except TypeError as error:  # a value of a type no check expected (a table where a number goes)
        raise ConfigError(f"{where}: {error}") from None


def load_config(path: str | Path | None = None) -> RetrainConfig:
    """The retrain configuration: the packaged defaults, overridden by ``path`` if given."""
    data = tomllib.loads(default_text())
    if path is not None:
        try:
            override = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise ConfigError(f"configuration file not found: {path}") from error
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path} is not valid TOML: {error}") from error
        for section, values in override.items():
            if not isinstance(values, dict):
                raise ConfigError(f"{path}: {section} = {values!r} stands outside a section; put it under [fit], [gate], ...")
            if section not in data:
                raise ConfigError(f"{path}: unknown section [{section}]; known: {sorted(data)}")
            data[section].update(values)
    return RetrainConfig(
        fit=_section(FitConfig, data["fit"], "[fit]"),
        gate=_section(GateConfig, data["gate"], "[gate]"),
        tracking=_section(TrackingConfig, data["tracking"], "[tracking]"),
        monitor=_section(MonitorConfig, data["monitor"], "[monitor]"),
    )
