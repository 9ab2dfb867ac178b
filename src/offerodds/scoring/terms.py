"""What a learned model's extra terms did to one interview, as a record and in plain words.

A learned model may weigh pairs (a signal in a given stage, two signals together), a length
shape and informative blanks (:mod:`offerodds.signals.terms`). Their log-odds are already
inside the signals' ``contrib_`` columns (a pair's split half and half); this module says
which terms moved which signal in a row, so explanations can name them:

- :func:`pair_effects` lists, for one row, each pair term whose effect there is at least
  ``MIN_EFFECT`` log-odds: the term, its signals, its log-odds, the share each signal got, and
  a phrase such as "shown around counted more because it was a final round";
- :func:`blank_effects` gives, per signal, how much a blank differs from the card's reading of
  a blank (0), in log-odds: what the outcomes say leaving it empty goes with.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.catalogue import by_name
from offerodds.signals.states import states_of
from offerodds.signals.terms import parse_term

__all__ = ["MIN_EFFECT", "PairEffect", "blank_effects", "pair_effects", "pair_texts"]

#: Pair terms moving a row's log-odds by less than this are not named.
MIN_EFFECT = 0.05

_ROUND = {"screen": "a screening round", "first": "a first round", "final": "a final round", "other": "that kind of round"}


@dataclass(frozen=True)
class PairEffect:
    """One pair term in one row: its log-odds and each owning signal's share of it."""

    term: str
    kind: str                      # "stage" (signal x stage) or "pair" (signal x signal)
    signals: tuple[str, ...]
    log_odds: float
    shares: dict                   # signal -> log-odds added to its contribution
    words: str


def _label(signal: str, state: str | None) -> str:
    spec = by_name()[signal]
    if state in spec.states:
        return spec.states[state].label
    return signal.replace("_", " ")


def _words(term, value: float, main: float, states: dict) -> str:
    """A pair term's effect in words: "shown around counted more because it was a final round",
    "engaged interviewer and warm rapport counted more together than each alone"; ``main`` is
    its signals' own pull without the pair terms."""
    direction = "more" if np.sign(main) == np.sign(value) else "less"
    if term.kind == "stage":
        words = (f"{_label(term.owners[0], states.get(term.owners[0]))} counted {direction} "
                 f"because it was {_ROUND[term.stage]}")
    else:
        a, b = (_label(o, states.get(o)) for o in term.owners)
        words = f"{a} and {b} counted {direction} together than each alone"
    if main == 0:
        words = words.replace(f"counted {direction}", "counted " + ("for the offer" if value > 0 else "against it"))
    return words


def _own_pull(terms: list, effects: np.ndarray, contributions: np.ndarray, column: dict) -> np.ndarray:
    """Each signal's contribution without the pair terms' shares (rows x signals)."""
    own = np.array(contributions, dtype=float, copy=True)
    for k, term in enumerate(terms):
        for owner in term.owners:
            own[:, column[owner]] -= effects[:, k] / len(term.owners)
    return own


def pair_effects(scorer: LinearScorer, typed: pd.DataFrame, row: int = 0) -> list[PairEffect]:
    """The pair terms that moved row ``row`` of the typed frame, largest first."""
    if not scorer.terms:
        return []
    one = typed.iloc[[row]]
    effects = scorer.term_effects(one).to_numpy(dtype=float)
    decomposition = scorer.decompose(one)
    column = {s: j for j, s in enumerate(decomposition.signals)}
    terms = [parse_term(name) for name in scorer.terms]
    own = _own_pull(terms, effects, decomposition.contributions, column)[0]
    states = states_of(one)
    out = []
    for term, value in zip(terms, effects[0].tolist()):
        if term.kind not in ("stage", "pair") or abs(value) < MIN_EFFECT:
            continue
        shares = {owner: value / len(term.owners) for owner in term.owners}
        main = sum(own[column[o]] for o in term.owners)
        out.append(PairEffect(term.name, term.kind, term.owners, value, shares, _words(term, value, main, states)))
    return sorted(out, key=lambda e: -abs(e.log_odds))


def pair_texts(scorer: LinearScorer | None, typed: pd.DataFrame, contributions: np.ndarray,
               signals: list[str]) -> list[list[str]]:
    """Per row, the words of :func:`pair_effects` for each pair term that moved it, largest
    first: the same phrases for a whole table at once (the people view), with the row's own
    ``contributions`` (rows x ``signals``)."""
    out: list[list[str]] = [[] for _ in range(len(typed))]
    if scorer is None or not scorer.terms:
        return out
    effects = scorer.term_effects(typed).to_numpy(dtype=float)
    terms = [parse_term(name) for name in scorer.terms]
    column = {s: j for j, s in enumerate(signals)}
    own = _own_pull(terms, effects, contributions, column)
    named = [k for k, term in enumerate(terms) if term.kind in ("stage", "pair")]
    moved = np.abs(effects[:, named]) >= MIN_EFFECT if named else np.zeros((len(typed), 0), dtype=bool)
    for i in np.flatnonzero(moved.any(axis=1)):
        states = states_of(typed, int(i))
        found = []
        for k in (named[m] for m in np.flatnonzero(moved[i])):
            term, value = terms[k], float(effects[i, k])
            main = sum(own[i, column[o]] for o in term.owners)
            found.append((abs(value), _words(term, value, main, states)))
        out[i] = [words for _, words in sorted(found, key=lambda f: -f[0])]
    return out


def blank_effects(scorer: LinearScorer) -> dict[str, float]:
    """Per signal, a blank's log-odds against the card's reading of a blank: how much less (or
    more) likely an offer is when it is left empty than the card assumes, next to a middle
    answer (1-5 scales), the average of yes and no (yes/no) or a full-length interview (length).
    0 for the rule card and for signals whose blank the model did not move."""
    from offerodds.scoring.rulecard import rules

    card = rules()
    weights = scorer.feature_weights() - card.feature_weights()
    extra = scorer.term_weights()
    out = {}
    for signal in by_name().values():
        if signal.kind == "scale":
            out[signal.name] = -float(extra.get(f"{signal.name}:recorded", 0.0))
        elif signal.kind == "yesno":
            out[signal.name] = -0.5 * float(weights[f"{signal.name}=yes"] + weights[f"{signal.name}=no"])
        elif signal.kind == "minutes":
            out[signal.name] = -float(weights[f"{signal.name}:recorded"])
    return out
