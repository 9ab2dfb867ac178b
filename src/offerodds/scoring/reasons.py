"""Plain-word reasons: the strongest signals for and against an offer, in the catalogue's words."""

from __future__ import annotations

import numpy as np

from offerodds.signals.catalogue import by_name

MIN_EFFECT = 0.005  # log-odds; smaller contributions are not worth a reason
PER_SIDE = 2
_TEXTS: dict[tuple[str, ...], dict[int, str]] = {}  # combination code -> text, per signal list
_TEXTS_MAX = 50_000  # about 15 MB of texts at most
_BLOCK_ROWS = 8192


def _phrases(signals: list[str], positive: bool) -> list[str]:
    return [by_name()[s].when_positive if positive else by_name()[s].when_negative for s in signals]


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


def _combination(contributions: np.ndarray, k: int) -> np.ndarray:
    """One integer per row naming its strongest signals for and against (base ``k + 1``)."""
    n = len(contributions)
    # the strongest for: the largest contributions (ties: lower column first); the strongest
    # against: the smallest (ties: higher column first), exactly the two ends of a stable
    # descending sort of each row
    side = min(PER_SIDE, k)
    top = _top(contributions, side)
    bottom = (k - 1) - _top(-contributions[:, ::-1], side)
    top_val = np.take_along_axis(contributions, top, axis=1)
    bottom_val = np.take_along_axis(contributions, bottom, axis=1)
    top = np.where(top_val > MIN_EFFECT, top, -1)
    bottom = np.where(bottom_val < -MIN_EFFECT, bottom, -1)
    codes = np.hstack([top, bottom]) + 1
    key = np.zeros(n, dtype=np.int64)
    for j in range(codes.shape[1]):
        key = key * (k + 1) + codes[:, j]
    return key


def reason_codes(contributions: np.ndarray, signals: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct reason texts and, for each row, the index of its text."""
    n, k = contributions.shape
    key = np.empty(n, dtype=np.int64)
    for start in range(0, n, _BLOCK_ROWS):  # in blocks of rows: small temporaries
        key[start : start + _BLOCK_ROWS] = _combination(contributions[start : start + _BLOCK_ROWS], k)
    unique, inverse = np.unique(key, return_inverse=True)
    known = _TEXTS.setdefault(tuple(signals), {})
    if len(known) > _TEXTS_MAX:  # bounded: memory stays flat however many chunks are scored
        known.clear()
    texts = [known.get(code) for code in unique.tolist()]
    if None in texts:
        pro, con = _phrases(signals, True), _phrases(signals, False)
        for i, code in enumerate(unique.tolist()):
            if texts[i] is None:
                texts[i] = known[code] = _text(code, k, pro, con)
    return texts, inverse.ravel()


def _text(code: int, k: int, pro: list[str], con: list[str]) -> str:
    """The reason text of one combination code (base ``k + 1`` digits: top, then bottom)."""
    digits = []
    for _ in range(2 * PER_SIDE):
        code, d = divmod(int(code), k + 1)
        digits.append(d - 1)
    digits.reverse()
    return reason_text(
        [pro[i] for i in digits[:PER_SIDE] if i >= 0], [con[i] for i in digits[PER_SIDE:] if i >= 0]
    )


def reason_text(for_: list[str], against: list[str]) -> str:
    """The ``reasons`` text from the phrases of the strongest signals for and against."""
    parts = []
    if for_:
        parts.append("for: " + "; ".join(for_))
    if against:
        parts.append("against: " + "; ".join(against))
    return " | ".join(parts) if parts else "no signal recorded moves the odds"


def reasons(contributions: np.ndarray, signals: list[str]) -> np.ndarray:
    """One reason text per row, built from the strongest contributions on each side.

    Vectorised: rows are reduced to the indices of their strongest signals, and each distinct
    combination is written once.
    """
    n, k = contributions.shape
    if n == 0:
        return np.array([], dtype=object)
    texts, inverse = reason_codes(contributions, signals)
    return np.asarray(texts, dtype=object)[inverse]
