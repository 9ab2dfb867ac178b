"""The million-outcome path (features written into one array, feature scales summed in blocks)
gives the numbers of the plain path to the last bit."""

from __future__ import annotations

import numpy as np
import pandas as pd

import offerodds.training.card_prior as card_prior
from offerodds.signals.catalogue import CONTEXT_SIGNALS, catalogue, input_columns
from offerodds.signals.encoding import context_masks, encode, encode_signal
from offerodds.signals.validation import typed_signals
from offerodds.synthetic import generate


def _typed_and_y(n: int, seed: int):
    frame = generate(n, seed=seed)
    y = (frame["outcome"] == "offer").to_numpy(dtype=float)
    return typed_signals(frame[list(input_columns())]), y


def _encode_by_blocks(typed: pd.DataFrame) -> np.ndarray:
    """The former encoder: a list of per-signal blocks, concatenated."""
    blocks, context = [], context_masks(typed)
    for signal in catalogue():
        base = encode_signal(signal, typed)
        blocks.append(base)
        if signal.context_sensitive:
            blocks += [base * context[c][:, None] for c in CONTEXT_SIGNALS]
    return np.hstack(blocks)


def test_encode_into_one_array_equals_the_concatenated_blocks():
    typed, _ = _typed_and_y(3_000, 11)
    plain = encode(typed)
    assert np.array_equal(plain, _encode_by_blocks(typed))
    room = encode(typed, spare=2)
    assert room.shape == (len(typed), plain.shape[1] + 2)
    assert np.array_equal(room[:, :-2], plain)


def _scales_in_one_sum(X):
    nonzero = (X != 0).sum(axis=0)
    rms = np.sqrt((X**2).sum(axis=0) / np.maximum(nonzero, 1))
    return np.where(nonzero > 0, np.clip(rms, 0.05, 1.0), 1.0)


def test_feature_scales_in_blocks_equal_one_sum(monkeypatch):
    monkeypatch.setattr(card_prior, "BLOCK_ROWS", 700)  # several blocks, the last one short
    typed, _ = _typed_and_y(5_000, 12)
    X = encode(typed)
    assert np.array_equal(card_prior.feature_scales(X), _scales_in_one_sum(X))
