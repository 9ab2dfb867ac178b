"""The learned model's posterior: the rule card with a free level and a free overall strength,
departures from its relative weights shrunk, every prior width averaged over by its evidence.

The model, for features ``x`` (``signals.encoding.encode``) and the card's log-odds
``c(x) = b0 + x @ w0``::

    f(x) = cbar + l + s * (c(x) - cbar) + x @ d

``cbar`` is the mean card log-odds over the training rows, so the level ``l`` moves the offer
rate where the data are rather than at an empty interview. Independent Gaussian priors::

    s   ~ N(1, sigma_s**2)                the card's overall strength (1: the card as written)
    l   ~ N(0, sigma_l**2)                the level (0: the card's base rates)
    d_j ~ N(0, 1 / (alpha * r_j**2))      departures from the card's relative weights

``r_j`` is the root mean square of feature j's nonzero training values (clipped to [0.05, 1]):
about 1 for yes/no indicators, 0.5 for the 1-5 scales, 0.1-0.3 for the length parts, so the
prior speaks of the log-odds change of a typical value of each feature, not of a raw weight.

Nobody knows how far the article is off for a given user, so no width is fixed. ``alpha``
runs over a log grid (``ALPHAS``: from "the card's relative weights are right" to "the data
decide"), ``sigma_s`` over 0.05..``scale_sd`` and ``sigma_l`` over 0.05..``level_sd``; each
combination's Laplace posterior is weighed by its evidence (a uniform prior over the grids)
and the posterior served is the mixture: mean ``E[theta]``, covariance ``E[cov] + Var[mean]``.
With few outcomes the evidence favours the narrow widths and the model stays near the card
(recalibrated where the outcomes already say so); with many, the data's own weights.

The interval follows the same average, so it need not narrow steadily with more outcomes: while
the evidence moves from "the card's relative weights are right" to "the data decide", the
departures are freed and the interval can widen for a while (on the package's own generator,
from about 300 to 1,000 outcomes) before it narrows again. That is the uncertainty about how far
to trust the card, made visible, not a fault of the fit.

Beyond the card's features, ``extras`` (``signals.terms``: informative blanks, a length shape,
pair terms) enter with weights ``e_k ~ N(0, 1 / (a * r_k**2))``, centred on the card's form (no
blank effect, straight length pieces, no pairs). Blanks share the departures' ``alpha``; shapes
and pairs get their own precision ``beta``, averaged over ``BETAS`` by evidence like ``alpha``
(or fixed, as the fit does for the shape once its width is chosen): with few outcomes the
evidence keeps them near 0 and nothing changes; with thousands the data decide.

How: for each ``alpha``, the mode under the widest ``sigma_s``/``sigma_l`` by damped Newton
(Cholesky), warm-started from the previous ``alpha``; the evidence is first evaluated on every
fourth ``alpha`` and filled in only where it can matter (within ``NEGLIGIBLE`` nats of the
best). A narrower prior on the two coordinates (s, l) is then a rank-two Gaussian conditioning
of that Laplace posterior, with its evidence ratio in closed form, so the 6 x 6 (sigma_s,
sigma_l) pairs cost no refits. Matrix products here are over training rows only; nothing
served row by row depends on their summation order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.special import expit

from offerodds.training.design import Design

#: The departures' prior precision: strongest (the card's relative weights kept) first.
ALPHAS = np.logspace(4.0, 1.0, 16)
#: The prior precision of shapes and pairs (per typical value): "the card's additive form" first.
BETAS = np.logspace(4.0, 0.0, 5)
#: The pairs' prior precision: never looser than 10 per typical value, since the pairs kept were
#: picked for fitting these very outcomes and the evidence alone would trust them too far.
PAIR_BETAS = np.logspace(4.0, 1.0, 4)
#: The narrowest prior sd of the strength and of the level, and how many sds are averaged over.
NARROWEST_SD, N_SDS = 0.05, 6
#: A prior strength whose log evidence is this far below the best's carries no weight.
NEGLIGIBLE = 30.0
#: A Design of at most this many rows is read whole into one float64 array (at 200,000 rows
#: and 118 columns, 190 MB): reading a larger one block by block for every Newton step saves
#: memory but doubles the fit's time.
DENSE_ROWS = 200_000
#: Rows per block where a product over all training rows would otherwise copy them whole
#: (``training.design.BLOCK_ROWS``: a design is read in the same blocks).
BLOCK_ROWS = 65_536


@dataclass(frozen=True)
class CardPosterior:
    """The served model and how the data moved it from the card.

    ``coef``/``intercept`` are the posterior means of the served weights (linear in the
    features: ``coef = d + s * w0``, ``intercept = l + s * b0 + (1 - s) * cbar``) and
    ``covariance`` that of ``(coef, intercept)``, intercept last.
    """

    intercept: float
    coef: np.ndarray
    covariance: np.ndarray
    scale: float           # posterior mean of s
    level: float           # posterior mean of l (log-odds)
    departures: np.ndarray  # posterior mean of d
    prior_strength: float  # alpha's evidence-weighted geometric mean
    scale_sd: float        # sigma_s's evidence-weighted geometric mean
    level_sd: float        # sigma_l's evidence-weighted geometric mean
    pair_strength: float = float("nan")  # beta's evidence-weighted geometric mean (NaN: no extras)


def feature_scales(X: np.ndarray) -> np.ndarray:
    """``r_j``: the root mean square of each column's nonzero values, clipped to [0.05, 1].

    In blocks of rows (no temporary as large as ``X``), each block's first row carrying the
    sums so far: the squares are added row after row, in the order of one sum over ``X``."""
    nonzero = np.zeros(X.shape[1], dtype=np.int64)
    squares = np.zeros(X.shape[1])
    for start in range(0, len(X), BLOCK_ROWS):
        block = _rows(X, start, start + BLOCK_ROWS)
        nonzero += (block != 0).sum(axis=0)
        part = block**2
        if start:
            part[0] = squares + part[0]
        squares = part.sum(axis=0)
    rms = np.sqrt(squares / np.maximum(nonzero, 1))
    return np.where(nonzero > 0, np.clip(rms, 0.05, 1.0), 1.0)


def sd_grid(widest: float) -> np.ndarray:
    """The prior sds averaged over: ``N_SDS`` log-spaced values from ``NARROWEST_SD`` to ``widest``."""
    if widest <= NARROWEST_SD:
        return np.array([float(widest)])
    return np.logspace(np.log10(NARROWEST_SD), np.log10(widest), N_SDS)


def card_posterior(
    X: np.ndarray,
    y: np.ndarray,
    w0: np.ndarray,
    b0: float,
    scale_sd: float = 1.0,
    level_sd: float = 0.75,
    alpha: float | None = None,
    extras: np.ndarray | None = None,
    extra_kind: np.ndarray | None = None,
    beta: float | None = None,
    fixed: float | None = None,
    work: np.ndarray | None = None,
) -> CardPosterior:
    """The posterior of the model above for features ``X`` and 0/1 outcomes ``y``.

    ``alpha`` fixes the departures' prior precision instead of averaging over ``ALPHAS``
    (inside the gate's folds on large stores, where the average barely moves).

    ``extras`` are more columns the card gives no points (``signals.terms``), their weights
    ``e_k ~ N(0, 1 / (a * r_k**2))`` with ``a`` the departures' ``alpha`` where ``extra_kind``
    is False (informative blanks: departures from the card's reading of a blank) and ``beta``
    where it is True (shapes and pairs: departures from the card's additive form). ``beta`` is
    averaged over ``BETAS`` by evidence like ``alpha`` unless fixed. Where ``extra_kind`` is 2
    the precision is ``fixed`` (the shape's, chosen by an earlier fit's evidence, while the
    pairs' is averaged over). The served ``coef`` holds the card's features first, then the
    extras.

    ``X`` may be a :class:`~offerodds.training.design.Design` holding the card's features and
    then the extras (``extras`` None, ``extra_kind`` saying how many): what the fit passes, so
    that at a million outcomes the columns are held once, compactly, and a fold is the same
    design with a list of rows. It is read ``BLOCK_ROWS`` rows at a time; the one sum over rows
    then split, the Newton gradient, is added block after block (on fewer rows than a block,
    the numbers are the array's to the last bit; otherwise within about 1e-15).

    ``work``: an array of shape (n, >= p + q + 2) whose first columns already hold ``X`` and
    ``extras`` (``X`` and ``extras`` are then usually views of it); the card's log-odds and the
    constant are written into its next two columns and the fit reads the features from it, so
    they are never copied (at a million outcomes a copy is some 600 MB). Without it they are
    copied into a new array. The numbers are the same either way.
    """
    y = np.asarray(y, dtype=float)
    if isinstance(X, Design):  # the card's features then the extras, in one design (``training.design``)
        if extras is not None or work is not None:
            raise ValueError("a Design holds its extras: give their kinds (extra_kind) only")
        q = 0 if extra_kind is None else len(extra_kind)
        n, m = X.shape
        p = m - q
        if n <= DENSE_ROWS:  # small enough to read whole: the array's path, as fast as ever
            whole = X.block(0, n)
            return card_posterior(whole[:, :p], y, w0, b0, scale_sd, level_sd, alpha, whole[:, p:] if q else None,
                                  extra_kind, beta, fixed)
        kind = np.zeros(q, int) if extra_kind is None else np.asarray(extra_kind, int)
        free = kind == 1
        c = np.empty(n)
        for start, block in X.blocks():
            c[start : start + len(block)] = block[:, :p] @ w0
        c += b0
        cbar = float(c.mean())
        relative = feature_scales(X) ** 2
        Z = X.with_columns(np.column_stack([c - cbar, np.ones(n)]))
        del c
        return _card_posterior(Z, y, w0, b0, scale_sd, level_sd, alpha, p, q, kind, free, cbar, relative, beta, fixed)
    X = np.asarray(X, dtype=float)
    n, p = X.shape
    E = np.zeros((n, 0)) if extras is None else np.asarray(extras, dtype=float)
    q = E.shape[1]
    kind = np.zeros(q, int) if extra_kind is None else np.asarray(extra_kind, int)
    free = kind == 1
    c = X @ w0 + b0
    cbar = float(c.mean())
    m = p + q
    if work is None:
        Z = np.column_stack([X, E, c - cbar, np.ones(n)])
    else:
        if work.shape[0] != n or work.shape[1] < m + 2 or work.dtype != np.float64:
            raise ValueError(f"work must be float64 of shape ({n}, >= {m + 2}), not {work.dtype} {work.shape}")
        Z = work[:, : m + 2]
        np.subtract(c, cbar, out=Z[:, m])
        Z[:, m + 1] = 1.0
    # the scales column by column over rows (feature_scales): the features' columns of Z
    relative = feature_scales(Z[:, :m]) ** 2
    return _card_posterior(Z, y, w0, b0, scale_sd, level_sd, alpha, p, q, kind, free, cbar, relative, beta, fixed)


def _card_posterior(Z, y, w0, b0, scale_sd, level_sd, alpha, p, q, kind, free, cbar, relative, beta, fixed):
    m = p + q
    mean = np.zeros(m + 2)
    mean[m] = 1.0  # s: the card as written
    tau_s, tau_l = 1.0 / scale_sd**2, 1.0 / level_sd**2
    alphas = ALPHAS if alpha is None else np.array([float(alpha)])
    grid = PAIR_BETAS if (kind == 2).any() else BETAS  # pairs come with the shape fixed
    betas = (grid if beta is None else np.array([float(beta)])) if free.any() else np.array([np.nan])
    components = []
    for b in betas:
        def precision(a, b=b):
            per = np.where(np.concatenate([np.zeros(p, bool), free]), b, a)
            per[p:][kind == 2] = fixed
            return np.concatenate([per * relative, [tau_s, tau_l]])

        components += [(j, b, *rest) for j, *rest in _evidence_grid(Z, y, cbar, mean, precision, alphas)]
    best = max(comp[4] for comp in components)
    components = [comp for comp in components if comp[4] > best - NEGLIGIBLE]
    scale_sds, level_sds = sd_grid(scale_sd), sd_grid(level_sd)
    narrower = [
        (1.0 / ss**2 - tau_s, 1.0 / sl**2 - tau_l, -0.5 * np.log(tau_s * tau_l * ss**2 * sl**2))
        for ss in scale_sds
        for sl in level_sds
    ]
    theta, cov, weights = _mixture([(j, *rest) for j, _, *rest in components], mean, narrower)
    # served: an affine map J theta + k of theta = (d, e, s, l)
    J = np.zeros((m + 1, m + 2))
    J[:m, :m] = np.eye(m)
    J[:p, m] = w0
    J[m, m] = b0 - cbar
    J[m, m + 1] = 1.0
    served = J @ theta
    served[m] += cbar
    served_cov = J @ cov @ J.T
    per_component = weights.sum(axis=1)
    per_pair = weights.sum(axis=0)
    log_alphas = np.log10([alphas[j] for j, *_ in components])
    log_betas = np.log10([b if np.isfinite(b) else 1.0 for _, b, *_ in components])
    return CardPosterior(
        intercept=float(served[m]),
        coef=served[:m].copy(),
        covariance=0.5 * (served_cov + served_cov.T),
        scale=float(theta[m]),
        level=float(theta[m + 1]),
        departures=theta[:m].copy(),
        prior_strength=float(10 ** (per_component @ log_alphas)),
        scale_sd=float(np.exp(per_pair @ np.log(np.repeat(scale_sds, len(level_sds))))),
        level_sd=float(np.exp(per_pair @ np.log(np.tile(level_sds, len(scale_sds))))),
        pair_strength=float(10 ** (per_component @ log_betas)) if free.any() else float("nan"),
    )


def leave_one_out_log_odds(X: np.ndarray, y: np.ndarray, posterior: CardPosterior) -> np.ndarray:
    """Approximate leave-one-out log-odds of each training row, from the posterior's
    covariance (one Newton step of removing the row; no refits)."""
    theta = np.append(posterior.coef, posterior.intercept)
    out = np.empty(len(X))
    for start in range(0, len(X), BLOCK_ROWS):  # in blocks of rows: small temporaries
        rows = slice(start, start + BLOCK_ROWS)
        block = _rows(X, start, start + BLOCK_ROWS)
        X1 = np.column_stack([block, np.ones(len(block))])
        f = X1 @ theta
        prob = expit(f)
        h = np.einsum("ij,jk,ik->i", X1, posterior.covariance, X1)
        out[rows] = f + h * (prob - y[rows]) / np.clip(1.0 - prob * (1.0 - prob) * h, 1e-6, None)
    return out


# ---------------------------------------------------------------------------------------------
# Laplace posteriors of a logistic regression with prior N(mean, diag(1 / precision))


def _root_weights(f, weights=None):
    """Each row's square-rooted logistic weight ``sqrt(w p (1 - p))`` at log-odds ``f``."""
    p = expit(f)
    return np.sqrt(p * (1.0 - p)) if weights is None else np.sqrt(weights * p * (1.0 - p))


def _hessian(Z, f, precision, weights=None):
    """``Z' W Z + diag(precision)``, in blocks of rows: the weighted copy of ``Z`` is never
    made whole (at a million outcomes it would be as large as ``Z``). ``weights``: each row's
    weight (a row of weight 2 counts as two), for :class:`PriorLogisticRegression`."""
    root_w = _root_weights(f, weights)
    H = np.zeros((Z.shape[1], Z.shape[1]))
    for start in range(0, len(Z), BLOCK_ROWS):
        A = _rows(Z, start, start + BLOCK_ROWS) * root_w[start : start + BLOCK_ROWS, None]
        H += A.T @ A
    H[np.diag_indices_from(H)] += precision
    return H


def _gradient_and_hessian(Z: Design, r: np.ndarray, f, precision, weights=None):
    """``Z' r`` and ``_hessian(Z, f, ...)`` in one pass over a design's blocks (each read,
    widened to float64, once instead of twice): the same sums in the same order, so the same
    numbers as :meth:`Design.rmatvec` and :func:`_hessian` (whose blocks are the design's)."""
    root_w = _root_weights(f, weights)
    product, H = np.zeros(Z.m), np.zeros((Z.m, Z.m))
    for start, block in Z.blocks():
        stop = start + len(block)
        product += block.T @ r[start:stop]
        block *= root_w[start:stop, None]  # the block is this pass's own: weighted in place
        H += block.T @ block
    H[np.diag_indices_from(H)] += precision
    return product, H


def _rows(Z, start: int, stop: int) -> np.ndarray:
    """Rows ``start:stop`` of an array or a :class:`~offerodds.training.design.Design` (as float64)."""
    return Z.block(start, stop) if isinstance(Z, Design) else Z[start:stop]


def _objective(Z, y, offset, mean, precision, theta, weights=None):
    f = Z @ theta + offset
    diff = theta - mean
    loss = np.logaddexp(0.0, f) - y * f
    loss = np.sum(loss) if weights is None else float(weights @ loss)
    return f, float(loss + 0.5 * diff @ (precision * diff))


def newton(Z, y, offset, mean, precision, theta, tol=1e-9, max_iter=100, weights=None):
    """The posterior mode of a logistic regression with the Gaussian prior
    ``N(mean, diag(1 / precision))`` by damped Newton: (theta, Cholesky factor of the Hessian
    there, the negative log posterior, the iterations taken; ``max_iter`` taken means it did
    not converge). The one Newton step of the package (:class:`PriorLogisticRegression` too)."""
    f, value = _objective(Z, y, offset, mean, precision, theta, weights)
    for iteration in range(max_iter):
        residual = expit(f) - y
        residual = residual if weights is None else weights * residual
        if isinstance(Z, Design):  # one pass over the blocks for both
            product, hessian = _gradient_and_hessian(Z, residual, f, precision, weights)
        else:
            product, hessian = Z.T @ residual, _hessian(Z, f, precision, weights)
        gradient = product + precision * (theta - mean)
        factor = cho_factor(hessian, lower=True, check_finite=False)
        step = cho_solve(factor, gradient, check_finite=False)
        decrement = float(gradient @ step)
        if decrement < tol:
            return theta, factor, value, iteration
        t = 1.0
        while True:  # backtracking: Newton's full step can overshoot on separable data
            candidate = theta - t * step
            f_new, new = _objective(Z, y, offset, mean, precision, candidate, weights)
            if new <= value - 0.25 * t * decrement or t < 1e-8:
                break
            t *= 0.5
        theta, f, value = candidate, f_new, new
    factor = cho_factor(_hessian(Z, f, precision, weights), lower=True, check_finite=False)
    return theta, factor, value, max_iter


def _mode(Z, y, offset, mean, precision, theta, tol=1e-9, max_iter=100):
    """Posterior mode by damped Newton: (theta, Cholesky factor of the Hessian there, the
    negative log posterior)."""
    return newton(Z, y, offset, mean, precision, theta, tol, max_iter)[:3]


def log_evidence(factor, neg_log_post: float, precision, free=None) -> float:
    """The Laplace log evidence at a mode: ``-neg_log_post + log|prior precision| / 2 -
    log|Hessian| / 2``. ``free``: coordinates whose prior is flat (their precision is a tiny
    ridge, left out of the prior's determinant)."""
    kept = precision if free is None else precision[~free]
    logdet = 2.0 * float(np.sum(np.log(np.diag(factor[0]))))
    return -neg_log_post + 0.5 * float(np.sum(np.log(kept))) - 0.5 * logdet


def _laplace(Z, y, offset, mean, precision, start):
    """Mode, Laplace covariance and log evidence under one prior."""
    theta, factor, neg_log_post = _mode(Z, y, offset, mean, precision, start)
    evidence = log_evidence(factor, neg_log_post, precision)
    return theta, cho_solve(factor, np.eye(len(theta)), check_finite=False), evidence


def _evidence_grid(Z, y, offset, mean, precision_of, alphas):
    """Laplace posteriors over the ``alphas`` that can matter: (index, mode, cov, log evidence)."""
    k = len(alphas)
    fits: dict[int, tuple] = {}
    coarse = list(range(0, k, 4)) + ([k - 1] if (k - 1) % 4 else [])
    start = mean.copy()
    for j in coarse:
        fits[j] = _laplace(Z, y, offset, mean, precision_of(alphas[j]), start)
        start = fits[j][0]
    best = max(fit[2] for fit in fits.values())
    kept = [j for j in coarse if fits[j][2] > best - NEGLIGIBLE]
    low = coarse[max(coarse.index(kept[0]) - 1, 0)]
    high = coarse[min(coarse.index(kept[-1]) + 1, len(coarse) - 1)]
    for j in range(low, high + 1):
        if j not in fits:
            nearest = max(i for i in fits if i < j)
            fits[j] = _laplace(Z, y, offset, mean, precision_of(alphas[j]), fits[nearest][0])
    return [(j, *fits[j]) for j in sorted(fits)]


def _mixture(components, mean_prior, narrower):
    """The evidence-weighted mixture of every (alpha, sigma_s, sigma_l) posterior.

    ``narrower`` lists, per (sigma_s, sigma_l) pair, the prior precision it adds on s and on l
    and the log ratio of the two priors' normalisers, ``0.5 * log(tau' / tau)`` per coordinate
    (so that where the data say nothing about s and l every width gets the same evidence). Conditioning a Laplace posterior N(theta, V) on that extra
    Gaussian prior on the two coordinates ``e`` gives mean ``theta + V_e G r`` and covariance
    ``V - V_e G V_e'`` with ``G = D (I + V_ee D)^-1`` and ``r`` the prior centre minus
    ``theta_e``. Returns the mixture's mean, covariance and weights (alpha x pair)."""
    q = len(mean_prior)
    e = np.array([q - 2, q - 1])
    centre = mean_prior[e]
    gains, log_w = [], []
    for _, theta, cov, log_evidence in components:
        V = cov[np.ix_(e, e)]
        r = centre - theta[e]
        per = []
        for ds, dl, log_norm in narrower:
            D = np.diag([ds, dl])
            M = np.eye(2) + V @ D
            G = D @ np.linalg.inv(M)
            G = 0.5 * (G + G.T)
            per.append((G, G @ r))
            log_w.append(log_evidence + log_norm - 0.5 * np.log(np.linalg.det(M)) - 0.5 * r @ G @ r)
        gains.append(per)
    log_w = np.asarray(log_w)
    weights = np.exp(log_w - log_w.max())
    weights = (weights / weights.sum()).reshape(len(components), len(narrower))
    mean = np.zeros(q)
    for (_, theta, cov, _), per, w in zip(components, gains, weights):
        mean += w.sum() * theta + cov[:, e] @ sum(wk * g for wk, (_, g) in zip(w, per))
    total = np.zeros((q, q))
    for (_, theta, cov, _), per, w in zip(components, gains, weights):
        W = w.sum()
        if W < 1e-12:
            continue
        Ce = cov[:, e]
        G_bar = sum(wk * G for wk, (G, _) in zip(w, per))
        a = sum(wk * g for wk, (_, g) in zip(w, per))
        B = sum(wk * np.outer(g, g) for wk, (_, g) in zip(w, per))
        delta = theta - mean
        Ca = Ce @ a
        total += (W * (cov + np.outer(delta, delta)) - Ce @ G_bar @ Ce.T
                  + np.outer(delta, Ca) + np.outer(Ca, delta) + Ce @ B @ Ce.T)
    return mean, 0.5 * (total + total.T), weights
