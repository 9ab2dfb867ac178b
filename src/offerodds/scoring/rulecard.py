"""The rule card: the article's good and bad signs as log-odds points (``resources/rulecard.toml``).

It scores from day one, and its weights are the prior the learned model starts from.
"""

from __future__ import annotations

import functools
import math
import tomllib
from importlib import resources

import numpy as np

from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.catalogue import CONTEXT_SIGNALS, STAGES, catalogue
from offerodds.signals.encoding import feature_layout


def logit(p: float) -> float:
    """The log-odds of a probability."""
    return math.log(p / (1.0 - p))


@functools.cache
def _card() -> dict:
    text = resources.files("offerodds").joinpath("resources/rulecard.toml").read_text("utf-8")
    return tomllib.loads(text)


def _base_points(signal, points) -> dict[str, float]:
    if signal.kind == "scale":
        return {signal.name: float(points)}
    if signal.kind == "yesno":
        return {f"{signal.name}={answer}": float(points[answer]) for answer in ("yes", "no")}
    return {f"{signal.name}:{part}": float(points[part]) for part in ("recorded", "short", "over")}


def rule_weights() -> tuple[float, dict[str, float]]:
    """The rule card's intercept and its weight for every feature of ``SignalFeatures``."""
    card = _card()
    base_rate, points, discount = card["base_rate"], card["points"], card["context_discount"]
    intercept = float(logit(base_rate["unrecorded"]))
    weights: dict[str, float] = {}
    for signal in catalogue():
        if signal.kind == "stage":
            for stage in STAGES:
                weights[f"stage={stage}"] = float(logit(base_rate[stage])) - intercept
            continue
        if signal.name not in points:
            raise ValueError(f"rulecard.toml gives no points for the signal {signal.name!r}")
        base = _base_points(signal, points[signal.name])
        weights.update(base)
        if signal.context_sensitive:
            for context in CONTEXT_SIGNALS:
                weights.update({f"{f}*{context}": -discount[context] * w for f, w in base.items()})
    names, _ = feature_layout()
    missing = set(names) - set(weights)
    if missing:
        raise ValueError(f"rule card has no weight for features {sorted(missing)}")
    return intercept, weights


def rules() -> LinearScorer:
    """The rule card as a scorer, usable as ``model=`` in :func:`offerodds.score`.

    Examples
    --------
    >>> import offerodds
    >>> card = offerodds.rules()
    >>> card.version
    'rules-1'
    """
    intercept, weights = rule_weights()
    names, _ = feature_layout()
    return LinearScorer(
        kind="rules",
        version=f"rules-{_card()['version']}",
        intercept=intercept,
        coef=np.array([weights[n] for n in names]),
        source="resources/rulecard.toml",
    )
