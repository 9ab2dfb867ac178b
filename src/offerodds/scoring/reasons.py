"""Plain-word reasons: the strongest signals for and against an offer, each named by the state
recorded (``scoring.phrases``), in the catalogue's words. Context answers are never reasons, and
neither is an effect whose sign the model is less than 90 % sure of
(``scoring.agreement.uncertain_cells``): noise is never a headline.

Vectorised: each row is reduced to one integer naming its strongest signals on each side and
their recorded states, and each distinct combination is written once (and remembered).
"""

from __future__ import annotations

import numpy as np

from offerodds.scoring.phrases import reason_phrase
from offerodds.signals.catalogue import STATES, by_name

MIN_EFFECT = 0.005  # log-odds; smaller contributions are not worth a reason
PER_SIDE = 2
_TEXTS: dict[tuple, dict[int, str]] = {}  # combination code -> text, per signal list
_TEXTS_MAX = 50_000  # about 15 MB of texts at most
_KEYS_MAX = 8  # signal lists remembered at once
_BLOCK_ROWS = 8192
_S = max(len(states) for states in STATES.values())  # states per signal in a code


def _phrase(signals: list[str], slot: int, side: int) -> str:
    """The phrase of a slot (``signal index * _S + state index``) listed on ``side``."""
    j, state = divmod(slot, _S)
    name = signals[j]
    word = STATES[by_name()[name].kind][state]
    return reason_phrase(name, word, side)


def _top(values: np.ndarray, count: int) -> np.ndarray:
    """Columns of the ``count`` largest values of each row, largest first; among equal values
    the lower column comes first (as a stable descending sort would put them)."""
    work = values.copy()
    rows = np.arange(len(values))
    picked = np.empty((len(values), count), dtype=np.intp)
    for i in range(count):
        picked[:, i] = np.argmax(work, axis=1)  # the first of equal maxima
        work[rows, picked[:, i]] = -np.inf
    return picked


def _combination(contributions: np.ndarray, states: np.ndarray, k: int) -> np.ndarray:
    """One integer per row naming its strongest signals for and against and their recorded
    states (base ``k * _S + 1``; a digit is ``signal * _S + state + 1``, 0 for none)."""
    n = len(contributions)
    # the strongest for: the largest contributions (ties: lower column first); the strongest
    # against: the smallest (ties: higher column first), exactly the two ends of a stable
    # descending sort of each row
    side = min(PER_SIDE, k)
    top = _top(contributions, side)
    bottom = (k - 1) - _top(-contributions[:, ::-1], side)
    top_val = np.take_along_axis(contributions, top, axis=1)
    bottom_val = np.take_along_axis(contributions, bottom, axis=1)
    picked = np.hstack([top, bottom])
    state = np.take_along_axis(states, picked, axis=1).astype(np.int64)
    # a signal not recorded contributes exactly 0; were it ever otherwise, no words for it
    named = np.hstack([top_val > MIN_EFFECT, bottom_val < -MIN_EFFECT]) & (state >= 0)
    codes = np.where(named, picked * _S + state + 1, 0)
    key = np.zeros(n, dtype=np.int64)
    for j in range(codes.shape[1]):
        key = key * (k * _S + 1) + codes[:, j]
    return key


def reason_codes(
    contributions: np.ndarray, signals: list[str], states: np.ndarray, uncertain: np.ndarray | None = None
) -> tuple[list[str], np.ndarray]:
    """The distinct reason texts and, for each row, the index of its text.

    Parameters
    ----------
    contributions : ndarray of shape (n_rows, n_signals)
    signals : list of str
        The signal of each column.
    states : ndarray of shape (n_rows, n_signals)
        The recorded state of each (``offerodds.signals.states.state_codes``).
    uncertain : ndarray of bool, shape (n_rows, n_signals), optional
        Cells whose effect the scorer is less than 90 % sure of the sign of
        (``scoring.agreement.uncertain_cells``): never a reason, whatever their size.
    """
    n, k = contributions.shape
    # the context answers (a structured format, an inexperienced interviewer) describe the
    # setting, not how the interview went: never a reason, whatever weight a model gives them
    context = np.array([by_name()[s].direction == "context" for s in signals], dtype=bool)
    key = np.empty(n, dtype=np.int64)
    for start in range(0, n, _BLOCK_ROWS):  # in blocks of rows: small temporaries
        block = slice(start, start + _BLOCK_ROWS)
        part = contributions[block]
        if context.any():
            part = np.where(context, 0.0, part)
        if uncertain is not None:
            part = np.where(uncertain[block], 0.0, part)
        key[block] = _combination(part, states[block], k)
    unique, inverse = np.unique(key, return_inverse=True)
    if tuple(signals) not in _TEXTS and len(_TEXTS) >= _KEYS_MAX:
        _TEXTS.clear()  # many models in one process: keep the memory flat all the same
    known = _TEXTS.setdefault(tuple(signals), {})
    if len(known) > _TEXTS_MAX:  # bounded: memory stays flat however many chunks are scored
        known.clear()
    texts = [known.get(code) for code in unique.tolist()]
    if None in texts:
        for i, code in enumerate(unique.tolist()):
            if texts[i] is None:
                texts[i] = known[code] = _text(code, signals)
    return texts, inverse.ravel()


def _text(code: int, signals: list[str]) -> str:
    """The reason text of one combination code (its digits: the top slots, then the bottom)."""
    base = len(signals) * _S + 1
    digits = []
    for _ in range(2 * PER_SIDE):
        code, d = divmod(int(code), base)
        digits.append(d - 1)
    digits.reverse()
    return reason_text(
        [_phrase(signals, d, 1) for d in digits[:PER_SIDE] if d >= 0],
        [_phrase(signals, d, -1) for d in digits[PER_SIDE:] if d >= 0],
    )


def reason_text(for_: list[str], against: list[str]) -> str:
    """The ``reasons`` text from the phrases of the strongest signals for and against."""
    parts = []
    if for_:
        parts.append("for: " + "; ".join(for_))
    if against:
        parts.append("against: " + "; ".join(against))
    return " | ".join(parts) if parts else "no recorded signal clearly moves the odds"


def reasons(
    contributions: np.ndarray, signals: list[str], states: np.ndarray, uncertain: np.ndarray | None = None
) -> np.ndarray:
    """One reason text per row, built from the strongest contributions on each side, each
    named by the state recorded (see :func:`reason_codes`)."""
    n, k = contributions.shape
    if n == 0:
        return np.array([], dtype=object)
    texts, inverse = reason_codes(contributions, signals, states, uncertain)
    return np.asarray(texts, dtype=object)[inverse]
