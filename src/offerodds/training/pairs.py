"""Which pair terms a learned model may add: every signal x stage and signal x signal pair,
ranked by how much it would improve the additive fit, the top few kept.

EBM's FAST ranks pairs by how much a small two-dimensional model of each pair lowers the
residual error of the additive model. Here each candidate is one product column
(``signals.terms``), so the same ranking is the score test of adding that column to the
additive fit: ``(sum_i r_i z_i)^2 / sum_i w_i z_i'^2``, with ``r`` the residuals
``y - p``, ``w = p (1 - p)`` and ``z'`` the candidate with what the additive features already
explain of it removed (weighted least squares on them), so a pair that merely repeats a main
effect ranks low. It is a chi-square with one degree of freedom when the pair does nothing.

How many are kept grows with the outcomes (``pairs_for``): none below 250, one more per 250,
at most ``max_pairs``, and only pairs whose statistic passes ``MIN_SCORE`` (p < 0.0001): the
kept pairs are then shrunk towards 0 with a width the evidence chooses, like every other
departure from the card.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.linalg import lstsq

from offerodds.signals.terms import candidate_pairs, encode_terms
from offerodds.training.design import Design, as_frame, dense

__all__ = ["MIN_SCORE", "pairs_for", "screen_pairs"]

#: The score statistic a pair must pass to be kept (chi-square, 1 df: p < 0.0001, so that of
#: the ~480 candidates a world without interactions lets one through in about one screen in
#: twenty: a pair picked for fitting the residuals of the same outcomes is half noise already).
MIN_SCORE = 15.1
#: Rows above which pairs are ranked on a fixed random subset of this many.
MAX_ROWS = 50_000
#: Candidate columns screened at a time (each block's arrays are MAX_ROWS x this many floats).
COLUMN_BLOCK = 64
#: Outcomes per pair term considered.
ROWS_PER_PAIR = 250


def pairs_for(n_outcomes: int, max_pairs: int) -> int:
    """How many pair terms ``n_outcomes`` outcomes may support."""
    return int(min(max_pairs, n_outcomes // ROWS_PER_PAIR))


def screen_pairs(
    typed: pd.DataFrame, y: np.ndarray, log_odds: np.ndarray, F: np.ndarray, k: int
) -> list[tuple[str, float]]:
    """The ``k`` best candidate pairs with their score statistics, best first.

    ``log_odds`` is the additive model's fit of each training row, ``F`` its features (the
    columns the pair's own effect is separated from). ``typed``: the signal frame, or the
    rows of one (``training.design.FrameRows``: a fold)."""
    if k <= 0:
        return []
    if len(y) > MAX_ROWS:  # a fixed random subset: the candidates' columns grow with rows
        rows = np.sort(np.random.default_rng(0).choice(len(y), MAX_ROWS, replace=False))
        typed, y, log_odds, F = typed.iloc[rows], y[rows], log_odds[rows], (F.take(rows) if isinstance(F, Design) else F[rows])
    typed, F = as_frame(typed), dense(F)
    p = 1.0 / (1.0 + np.exp(-log_odds))
    w = p * (1.0 - p)
    root = np.sqrt(w)[:, None]
    F1 = np.column_stack([F, np.ones(len(F))]) * root
    names, stats = [], []
    every = candidate_pairs()
    # the candidates a block of columns at a time: all of them at once are some 500 columns
    # of MAX_ROWS rows, and the solve and its residuals copy them several times (~1 GB)
    for start in range(0, len(every), COLUMN_BLOCK):
        part = every[start : start + COLUMN_BLOCK]
        C = encode_terms(typed, part)
        keep = np.flatnonzero((C != 0).sum(axis=0) >= 10)  # pairs seen at least 10 times
        if not len(keep):
            continue
        names += [part[i] for i in keep]
        C = C[:, keep] * root
        coef = lstsq(F1, C, lapack_driver="gelsy", check_finite=False)[0]
        residual = C - F1 @ coef  # sqrt(w) z'
        del C
        score = (y - p) @ (residual / root)
        info = (residual**2).sum(axis=0)
        stats.append(np.where(info > 1e-9, score**2 / np.maximum(info, 1e-12), 0.0))
    if not names:
        return []
    stat = np.concatenate(stats)
    order = np.argsort(-stat, kind="stable")
    return [(names[i], float(stat[i])) for i in order[:k] if stat[i] >= MIN_SCORE]
