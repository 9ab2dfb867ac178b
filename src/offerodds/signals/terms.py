"""Terms a learned model may add to the card's features: informative blanks, a length shape,
and pairs (a signal x a stage, a signal x a signal).

Each term is named by a short text (stored with a model, readable by a person) and is a
column computed from the validated signal frame, exactly 0 wherever a signal it needs was left
empty, so a blank signal still contributes nothing:

- ``<scale>:recorded``: 1 where a 1-5 scale was answered. Its weight is the difference between
  a recorded middle answer (3) and a blank; minus it is the blank's own effect, which lives in
  the baseline (the interview with nothing recorded). Yes/no signals and the length already
  weigh each recorded state apart, so they need no such term.
- ``interview_length:hinge@K``: ``clip(ratio - K, 0, 1)`` for a knot ``K`` of the actual over
  the scheduled length: with the card's two pieces (cut short, ran over) a shape of straight
  pieces that can bend at each knot (a peak, a plateau).
- ``A x stage=S``: the value of signal ``A`` in rounds of stage ``S`` (the tour counting more in
  a final round). It belongs to ``A``.
- ``A x B``: the product of the two signals' values (two answers that count more together than
  apart). Its log-odds is split half and half between ``A`` and ``B``.

A signal's *value* here is its 1-5 scale as ``(rating - 3) / 2``, a yes as +1 and a no as -1,
the length as the ratio minus 1 clipped to [-1, 1]; 0 when it was left empty.

Everything is elementwise over rows (no matrix products), so a row's bits never depend on
the rows scored beside it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from offerodds.errors import InputError
from offerodds.signals.catalogue import STAGES, by_name, catalogue
from offerodds.signals.encoding import encode_signal, length_ratio, numeric_column

__all__ = [
    "HINGE_KNOTS",
    "Term",
    "blank_terms",
    "candidate_pairs",
    "encode_terms",
    "length_terms",
    "parse_term",
    "signal_value",
]

#: Knots of the length shape (actual / scheduled minutes).
HINGE_KNOTS = (0.5, 0.7, 0.85, 0.95, 1.1, 1.25, 1.5)

_STAGE = re.compile(r"^(?P<a>[a-z_0-9]+) x stage=(?P<s>[a-z]+)$")
_PAIR = re.compile(r"^(?P<a>[a-z_0-9]+) x (?P<b>[a-z_0-9]+)$")
_HINGE = re.compile(r"^interview_length:hinge@(?P<k>[0-9.]+)$")
_RECORDED = re.compile(r"^(?P<a>[a-z_0-9]+):recorded$")


@dataclass(frozen=True)
class Term:
    """One extra term: its name, the signals that own it (one, or two sharing it half and
    half), and what it is (``"blank"``, ``"shape"``, ``"stage"``, ``"pair"``)."""

    name: str
    kind: str
    owners: tuple[str, ...]
    stage: str | None = None
    knot: float | None = None


def _pointed() -> list[str]:
    """Signals that carry points (not stage)."""
    return [s.name for s in catalogue() if s.kind != "stage"]


@functools.lru_cache(maxsize=4096)
def parse_term(name: str) -> Term:
    """The term a stored name stands for; ``ValueError`` for a name no term has."""
    signals = set(_pointed())
    if m := _RECORDED.match(name):
        a = m["a"]
        if a in signals and by_name()[a].kind == "scale":
            return Term(name, "blank", (a,))
    elif m := _HINGE.match(name):
        knot = float(m["k"])
        if 0.0 < knot < 2.0 and name == f"interview_length:hinge@{knot:.2f}":
            return Term(name, "shape", ("interview_length",), knot=knot)
    elif m := _STAGE.match(name):
        if m["a"] in signals and m["s"] in STAGES:
            return Term(name, "stage", (m["a"],), stage=m["s"])
    elif m := _PAIR.match(name):
        a, b = m["a"], m["b"]
        order = _pointed()
        if a in signals and b in signals and order.index(a) < order.index(b):
            return Term(name, "pair", (a, b))
    raise InputError(f"{name!r} is not a model term offerodds knows")


def blank_terms() -> list[str]:
    return [f"{s.name}:recorded" for s in catalogue() if s.kind == "scale"]


def length_terms() -> list[str]:
    return [f"interview_length:hinge@{k:.2f}" for k in HINGE_KNOTS]


def candidate_pairs(context_pairs: bool = False) -> list[str]:
    """Every signal x stage and signal x signal term, in a fixed order. The article's own
    context pairs (body language and rapport x a context) are already card features, so they
    are left out unless ``context_pairs``."""
    names = _pointed()
    sig = by_name()
    out = [f"{a} x stage={s}" for a in names for s in STAGES]
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            already = (sig[a].context_sensitive and sig[b].name in _contexts()) or (
                sig[b].context_sensitive and sig[a].name in _contexts()
            )
            if context_pairs or not already:
                out.append(f"{a} x {b}")
    return out


def _contexts() -> tuple[str, ...]:
    from offerodds.signals.catalogue import CONTEXT_SIGNALS

    return CONTEXT_SIGNALS


def signal_value(signal: str, frame: pd.DataFrame) -> np.ndarray:
    """The signal's value (see the module docstring); exactly 0 where it was left empty."""
    spec = by_name()[signal]
    if spec.kind == "scale":
        return np.nan_to_num((numeric_column(frame, signal) - 3.0) / 2.0, nan=0.0)
    if spec.kind == "yesno":
        x = numeric_column(frame, signal)
        return (x == 1.0).astype(float) - (x == 0.0).astype(float)
    ratio = length_ratio(frame, spec)
    return np.where(np.isfinite(ratio), np.clip(ratio - 1.0, -1.0, 1.0), 0.0)


def _length_ratio(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    ratio = length_ratio(frame, by_name()["interview_length"])
    known = np.isfinite(ratio)
    return known, np.where(known, ratio, 1.0)


def encode_terms(frame: pd.DataFrame, names) -> np.ndarray:
    """The columns of the named terms, shape (n_rows, len(names)), float64."""
    names = list(names)
    out = np.zeros((len(frame), len(names)))
    if not names:
        return out
    values: dict[str, np.ndarray] = {}
    stages = None

    def value(signal):
        if signal not in values:
            values[signal] = signal_value(signal, frame)
        return values[signal]

    for j, name in enumerate(names):
        term = parse_term(name)
        if term.kind == "blank":
            out[:, j] = np.isfinite(numeric_column(frame, term.owners[0])).astype(float)
        elif term.kind == "shape":
            known, ratio = _length_ratio(frame)
            out[:, j] = np.where(known, np.clip(ratio - term.knot, 0.0, 1.0), 0.0)
        elif term.kind == "stage":
            if stages is None:
                stages = encode_signal(by_name()["stage"], frame)
            out[:, j] = value(term.owners[0]) * stages[:, STAGES.index(term.stage)]
        else:
            out[:, j] = value(term.owners[0]) * value(term.owners[1])
    return out
