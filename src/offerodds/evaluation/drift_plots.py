"""Figures comparing a batch of interviews with a reference: the share of each signal recorded,
the values of the signals that moved, and the predicted probabilities.

Aggregates in, figures out: plain numbers and names, no offerodds objects. The object-oriented
matplotlib API (never pyplot), imported inside each function.
"""

from __future__ import annotations

from os import PathLike
from typing import Any, Sequence

import numpy as np

__all__ = ["probability_chart", "recorded_chart", "values_chart"]

_BATCH = "#1565c0"
_REFERENCE = "#9e9e9e"
_MOVED = "#c62828"
_DPI = 110


def _save(fig: Any, path) -> None:
    if path is not None:
        fig.savefig(path, dpi=_DPI, format="png", bbox_inches="tight")


def recorded_chart(
    signals: Sequence[str],
    batch: Sequence[float],
    reference: Sequence[float],
    moved: Sequence[bool],
    path: str | PathLike | None = None,
) -> "Figure":  # noqa: F821
    """The share of interviews recording each signal, batch beside reference.

    Parameters
    ----------
    signals : sequence of str
        Signal names, drawn top to bottom in this order.
    batch, reference : sequence of float
        Share recorded (0 to 1) in the batch and in the reference.
    moved : sequence of bool
        Signals whose share moved beyond chance; their labels are red.
    path : str or path-like, optional

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]`` holds a grey line from reference to batch per signal.
    """
    from matplotlib.figure import Figure

    n = len(signals)
    pos = np.arange(n)[::-1]
    fig = Figure(figsize=(7.0, max(3.0, 0.28 * n + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    for y, b, r in zip(pos, batch, reference):
        ax.plot([r, b], [y, y], color="0.8", linewidth=2, zorder=1)
    ax.scatter(reference, pos, color=_REFERENCE, label="reference", zorder=2)
    ax.scatter(batch, pos, color=_BATCH, label="batch", zorder=3)
    ax.set_yticks(pos, list(signals))
    for label, flag in zip(ax.get_yticklabels(), moved):
        if flag:
            label.set_color(_MOVED)
            label.set_fontweight("bold")
    ax.set_xlim(-0.02, 1.02)
    ax.set_xlabel("share of interviews where it was recorded")
    ax.set_title("Which signals were recorded (red: moved beyond chance)")
    ax.legend(loc="lower left", fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)
    return fig


def values_chart(
    panels: Sequence[tuple[str, Sequence[str], Sequence[float], Sequence[float]]],
    path: str | PathLike | None = None,
) -> "Figure":  # noqa: F821
    """The values of a few signals, batch beside reference, one panel per signal.

    Parameters
    ----------
    panels : sequence of (title, categories, batch shares, reference shares)
        Shares among the interviews that recorded the signal (0 to 1).
    path : str or path-like, optional

    Returns
    -------
    matplotlib.figure.Figure
        One axis per panel, two bars per category (reference, then batch).
    """
    from matplotlib.figure import Figure

    n = max(len(panels), 1)
    cols = min(n, 2)
    rows = int(np.ceil(n / cols))
    fig = Figure(figsize=(5.0 * cols, 3.0 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for ax, (title, names, batch, reference) in zip(axes, panels):
        x = np.arange(len(names))
        ax.bar(x - 0.2, reference, width=0.4, color=_REFERENCE, label="reference")
        ax.bar(x + 0.2, batch, width=0.4, color=_BATCH, label="batch")
        long = max((len(str(c)) for c in names), default=0) > 8
        ax.set_xticks(x, [str(c) for c in names], fontsize="small", rotation=20 if long else 0)
        ax.set_ylim(0, 1)
        ax.set_ylabel("share of those recorded", fontsize="small")
        ax.set_title(title, fontsize="medium")
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="upper right", fontsize="small")
    for ax in axes[len(panels):]:
        ax.set_visible(False)
    _save(fig, path)
    return fig


def probability_chart(
    batch: np.ndarray, reference: np.ndarray, path: str | PathLike | None = None
) -> "Figure":  # noqa: F821
    """Predicted offer probabilities of the batch and of the reference, as shares per bin.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]`` holds the two step histograms (reference first).
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.5, 3.5), layout="constrained")
    ax = fig.add_subplot()
    bins = np.linspace(0, 1, 21)
    for values, color, name in ((reference, _REFERENCE, "reference"), (batch, _BATCH, "batch")):
        values = np.asarray(values, dtype=float)
        if values.size:
            weights = np.full(values.size, 1.0 / values.size)
            ax.hist(values, bins=bins, weights=weights, histtype="step", linewidth=2, color=color,
                    label=f"{name} ({values.size:,} interviews)")
    ax.set_xlim(0, 1)
    ax.set_xlabel("predicted offer probability")
    ax.set_ylabel("share of interviews")
    ax.set_title("Predicted probabilities")
    ax.legend(loc="upper right", fontsize="small")
    ax.grid(alpha=0.3)
    _save(fig, path)
    return fig
