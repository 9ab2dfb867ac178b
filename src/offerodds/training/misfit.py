"""What the model's form misses, measured on outcomes it did not learn from, and a binned check
of predicted against observed offer rates there.

The posterior's covariance says how sure the weights are *if the form is right*. Where the
world has interactions or shapes the form does not hold, the truth sits off the model's
log-odds by a function ``g(x)`` the weights' uncertainty does not include, and an interval
built from the weights alone narrows as outcomes grow while the truth stays outside.

``g`` cannot be seen row by row (each outcome is one coin toss), only where many rows share a
direction. Each row is predicted by a model fitted on the other folds (the final model's terms
and prior widths); on those held-out residuals ``r = y - p``, every candidate direction the
model left out (``probes``: every pair term not in the model, each 1-5 answer by itself, steps
of the length ratio), with what the model's own columns explain of it removed, gives a score
statistic ``U_k**2 / I_k``: a chi-square with one degree of freedom plus the share of ``g`` it
lines up with, ``(sum_i w_i z_ik g_i)**2 / I_k``. So ``sum_k (U_k**2 / I_k - 1) / sum_i w_i``
estimates how much of ``g``'s variance (log-odds**2) those directions hold, with a standard
error ``sqrt(2 K) / sum_i w_i`` under no misfit. Directions that share one missing pattern
count it more than once, which errs towards a wider interval.

With few outcomes that estimate is mostly noise, so it is pooled with a prior guess
(``PRIOR_MISFIT``: a card written from one article misses about 0.3 log-odds rms, give or
take as much) by their
precisions: with 200 outcomes the guess carries the interval, with thousands the outcomes do.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.linalg import lstsq
from scipy.special import expit

from offerodds.signals.catalogue import catalogue
from offerodds.signals.encoding import length_ratio, numeric_column
from offerodds.signals.terms import candidate_pairs, encode_terms
from offerodds.training.design import Design, as_frame, dense

__all__ = ["CHECK_BINS", "PRIOR_MISFIT", "binned_check", "form_lines", "misfit_estimate", "probe_blocks", "probes"]

#: Bins of the held-out check (equal counts of rows, by predicted probability).
CHECK_BINS = 10
#: The misfit variance (log-odds**2) guessed before any outcome, and that guess's sd.
PRIOR_MISFIT = (0.1, 0.1)
#: Probe columns taken at a time (each block's arrays are MAX_ROWS x this many floats).
COLUMN_BLOCK = 64
#: Rows above which the probes are read on a fixed random subset of this many.
MAX_ROWS = 50_000


def probe_blocks(typed: pd.DataFrame, exclude=(), block: int = None):
    """:func:`probes` a block of at most ``block`` candidate columns at a time (the columns
    seen >= 10 times of each block, in the same order): all of them at once are some 600
    columns of the rows, copied several times by the solve that uses them."""
    block = block or COLUMN_BLOCK
    names = [c for c in candidate_pairs() if c not in set(exclude)]

    def seen(C):
        return C[:, (C != 0).sum(axis=0) >= 10]

    for start in range(0, len(names), block):
        yield seen(encode_terms(typed, names[start : start + block]))
    for signal in catalogue():
        if signal.kind == "scale":
            x = numeric_column(typed, signal.name)
            yield seen(np.column_stack([(x == v) for v in (1.0, 2.0, 4.0, 5.0)]).astype(float))
        elif signal.kind == "minutes":
            ratio = length_ratio(typed, signal)
            known = np.isfinite(ratio)
            ratio = np.where(known, ratio, 1.0)
            yield seen(np.column_stack([known & (ratio >= k) for k in np.arange(0.3, 1.95, 0.1)]).astype(float))


def probes(typed: pd.DataFrame, exclude=()) -> np.ndarray:
    """Directions the model may have missed: pair terms not in ``exclude``, each answer of
    each 1-5 scale, and steps of the length ratio from 0.3 to 1.9 (columns seen >= 10 times)."""
    return np.column_stack([np.zeros((len(typed), 0)), *probe_blocks(typed, exclude)])


def misfit_estimate(
    typed: pd.DataFrame, D: np.ndarray, y: np.ndarray, log_odds: np.ndarray, exclude=()
) -> tuple[float, float, float]:
    """(pooled misfit variance, the outcomes' own estimate, its standard error), log-odds**2.

    ``D`` holds the model's columns, ``log_odds`` the out-of-fold log-odds of each row. The
    probes are taken a block of columns at a time (``probe_blocks``)."""
    y = np.asarray(y, dtype=float)
    if len(y) > MAX_ROWS:
        rows = np.sort(np.random.default_rng(0).choice(len(y), MAX_ROWS, replace=False))
        typed, D, y, log_odds = typed.iloc[rows], (D.take(rows) if isinstance(D, Design) else D[rows]), y[rows], log_odds[rows]
    typed, D = as_frame(typed), dense(D)
    prior, prior_sd = PRIOR_MISFIT
    p = expit(log_odds)
    w = p * (1.0 - p)
    root = np.sqrt(w)[:, None]
    D1 = np.column_stack([D, np.ones(len(D))]) * root
    infos, scores = [], []
    for C in probe_blocks(typed, exclude):
        if not C.shape[1]:
            continue
        C *= root
        R = C - D1 @ lstsq(D1, C, lapack_driver="gelsy", check_finite=False)[0]
        del C
        infos.append((R**2).sum(axis=0))
        scores.append((y - p) @ (R / root))
    if not infos:  # nothing recorded often enough to look along: the prior guess alone
        return prior, 0.0, float("inf")
    info, score = np.concatenate(infos), np.concatenate(scores)
    seen = info > 1e-6 * max(float(info.max(initial=0.0)), 1e-300)
    score = score[seen]
    excess = float(np.sum(score**2 / info[seen] - 1.0)) / float(w.sum())
    se = np.sqrt(2.0 * seen.sum()) / float(w.sum())
    pooled = (prior / prior_sd**2 + excess / se**2) / (1.0 / prior_sd**2 + 1.0 / se**2)
    return max(pooled, 0.0), excess, float(se)


def binned_check(y: np.ndarray, probability: np.ndarray, bins: int = CHECK_BINS) -> list[list[float]]:
    """``[rows, mean predicted, observed offer rate]`` per bin of equal counts of rows, by
    predicted probability (lowest first)."""
    order = np.argsort(probability, kind="stable")
    out = []
    for part in np.array_split(order, min(bins, max(len(order), 1))):
        if len(part):
            out.append([int(len(part)), float(probability[part].mean()), float(np.asarray(y)[part].mean())])
    return out


def form_lines(summary) -> list[str]:
    """What a learned model added to the card's form, the misfit it measured and the held-out
    check, in lines for the retrain summary (``summary``: a ``FitSummary``)."""
    lines = []
    pairs = [name for name, _ in summary.terms]
    if pairs:
        lines.append(f"pair terms the outcomes supported ({len(pairs)}, shrunk towards the card's additive form): "
                     + ", ".join(pairs))
    else:
        lines.append("pair terms: none kept (too few outcomes, or none stood out from noise)")
    lines.append(
        f"the form's misfit (log-odds sd the 90 % interval adds for what the model's form cannot hold): "
        f"{summary.misfit_sd:.2f}"
    )
    if summary.holdout_check:
        lines.append("held-out check (each outcome predicted by a model that did not learn from it): "
                     "predicted vs observed offer rate, by tenth of predicted probability")
        lines += [f"  {int(n):>6,} interviews: predicted {100 * p:5.1f} %, observed {100 * o:5.1f} %"
                  for n, p, o in summary.holdout_check]
    return lines
