"""The learned model's posterior (training/card_prior.py) checked against what it shortcuts:
each narrower prior on the card's strength and level is had in closed form from one Laplace
posterior; here every one is refitted directly and the evidence weights must agree."""

import numpy as np
import pytest
from scipy.special import expit, logsumexp

import offerodds
from offerodds.signals.encoding import encode
from offerodds.synthetic import generate, typed_frame
from offerodds.training import card_prior
from offerodds.training.card_prior import card_posterior, feature_scales, sd_grid


def _data(n, seed, scale=1.0, shift=0.0):
    typed = typed_frame(generate(n, seed=seed, outcomes=False))
    X = encode(typed)
    card = offerodds.rules()
    z = X @ card.coef + card.intercept
    y = (np.random.default_rng(seed).random(n) < expit(scale * z + shift)).astype(float)
    return X, y, card


def _direct(X, y, card, alpha, scale_sd, level_sd):
    """Mode and log evidence refitted from scratch under each (sigma_s, sigma_l) pair."""
    c = X @ card.coef + card.intercept
    cbar = c.mean()
    Z = np.column_stack([X, c - cbar, np.ones(len(X))])
    mean = np.zeros(Z.shape[1])
    mean[-2] = 1.0
    relative = feature_scales(X) ** 2
    out = []
    for ss in sd_grid(scale_sd):
        for sl in sd_grid(level_sd):
            precision = np.concatenate([alpha * relative, [1 / ss**2, 1 / sl**2]])
            theta, _, log_evidence = card_prior._laplace(Z, y, cbar, mean, precision, mean.copy())
            out.append((theta, log_evidence))
    return out


@pytest.mark.parametrize("scale, shift", [(1.0, 0.0), (2.0, -0.5), (0.5, 0.8)])
def test_the_closed_form_widths_agree_with_refitting_each_one(scale, shift):
    X, y, card = _data(3_000, 11, scale, shift)
    alpha = 300.0
    direct = _direct(X, y, card, alpha, 0.5, 0.75)
    log_z = np.array([lz for _, lz in direct])
    weights = np.exp(log_z - logsumexp(log_z))
    expected_scale = sum(w * theta[-2] for w, (theta, _) in zip(weights, direct))
    expected_level = sum(w * theta[-1] for w, (theta, _) in zip(weights, direct))
    posterior = card_posterior(X, y, card.coef, card.intercept, scale_sd=0.5, level_sd=0.75, alpha=alpha)
    assert posterior.scale == pytest.approx(expected_scale, abs=0.01)
    assert posterior.level == pytest.approx(expected_level, abs=0.01)
    expected_sd = np.exp(sum(w * np.log(ss) for w, ss in zip(weights, np.repeat(sd_grid(0.5), 6))))
    assert posterior.scale_sd == pytest.approx(expected_sd, rel=0.05)


def test_outcomes_that_say_nothing_leave_every_width_equally_likely():
    """Four outcomes from a world the card describes: the narrow priors on strength and level
    must not lose evidence merely for being narrow (their normaliser makes up for it)."""
    X, y, card = _data(4, 3)
    y[:] = [1, 0, 0, 1]
    posterior = card_posterior(X, y, card.coef, card.intercept, scale_sd=0.5, alpha=1e4)
    widths = sd_grid(0.5)
    # a uniform average over the log grid has this geometric mean; data that say almost
    # nothing move it a little towards the narrow end, never past the middle to the wide end
    middle = float(np.exp(np.mean(np.log(widths))))
    assert posterior.scale_sd <= middle * 1.05
