"""Figures for offer-probability models.

Uses the object-oriented matplotlib API (``matplotlib.figure.Figure``) and
never pyplot, so there is no global backend state and it works headless.
matplotlib is imported lazily inside each function to keep
``import offerodds`` fast.
"""

from __future__ import annotations

from os import PathLike
from typing import Any, Mapping

import numpy as np

from offerodds.evaluation.metrics import check_outcomes_and_probabilities, expected_calibration_error

__all__ = ["binned_reliability_diagram", "reliability_diagram", "weights_chart", "contributions_chart"]

_POS_COLOR = "#2e7d32"
_NEG_COLOR = "#c62828"
_PRIOR_COLOR = "#9e9e9e"
_LEARNED_COLOR = "#1565c0"
_DPI = 120


def _save(fig: Any, path: str | PathLike | None) -> None:
    """Write ``fig`` as a PNG when ``path`` is given."""
    if path is not None:
        fig.savefig(path, dpi=_DPI, format="png", bbox_inches="tight")


def _bar_height(n_bars: int, per_bar: float = 0.35, extra: float = 1.5) -> float:
    """Figure height (inches) growing with the number of bars."""
    return max(3.0, per_bar * n_bars + extra)


def reliability_diagram(
    y_true: Any,
    probs: Mapping[str, Any],
    n_bins: int = 10,
    path: str | PathLike | None = None,
) -> "Figure":  # noqa: F821
    """Reliability diagram of one or more scorers.

    Parameters
    ----------
    y_true : array-like of shape (n,)
        Binary outcomes in {0, 1}.
    probs : mapping of str to array-like of shape (n,)
        Scorer name -> predicted offer probabilities.
    n_bins : int, default 10
        Number of equal-count bins per scorer (also used for the ECE
        shown in the legend).
    path : str or path-like, optional
        When given, the figure is saved there as a PNG.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]`` holds the diagonal (first line) and one line per
        scorer; ``fig.axes[1]`` holds a histogram of the first scorer's
        predicted probabilities.

    Raises
    ------
    ValueError
        If ``probs`` is empty or any scorer's probabilities are invalid.
    """
    from matplotlib.figure import Figure

    if not probs:
        raise ValueError("probs is empty: give at least one scorer")
    fig = Figure(figsize=(6.0, 6.5), layout="constrained")
    ax, ax_hist = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [4, 1]})
    ax.plot([0, 1], [0, 1], linestyle="--", color="0.5", linewidth=1, label="perfect calibration")
    first = None
    for name, p in probs.items():
        y, q = check_outcomes_and_probabilities(y_true, p, name_p=f"probs[{name!r}]")
        if first is None:
            first = (name, q)
        order = np.argsort(q, kind="stable")
        groups = [g for g in np.array_split(order, int(n_bins)) if g.size]
        mean_p = [q[g].mean() for g in groups]
        rate = [y[g].mean() for g in groups]
        ece = expected_calibration_error(y, q, n_bins=n_bins)
        ax.plot(mean_p, rate, marker="o", markersize=4, linewidth=1.5,
                label=f"{name} (ECE {ece:.3f})")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_ylabel("observed offer rate")
    ax.set_title("Reliability diagram")
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    name0, q0 = first
    ax_hist.hist(q0, bins=np.linspace(0, 1, 41), color="0.4")
    ax_hist.set_xlabel("predicted offer probability")
    ax_hist.set_ylabel("count", fontsize="small")
    ax_hist.set_title(f"predictions of {name0}", fontsize="small")
    _save(fig, path)
    return fig


def binned_reliability_diagram(
    curves: Mapping[str, "pandas.DataFrame"],  # noqa: F821
    title: str = "Reliability over time",
    path: str | PathLike | None = None,
) -> "Figure":  # noqa: F821
    """Reliability diagram from binned counts (no outcome rows needed).

    Parameters
    ----------
    curves : mapping of str to pandas.DataFrame
        Curve name -> one row per probability bin with columns ``predicted`` (mean predicted
        probability), ``observed`` (observed offer rate) and ``n`` (outcomes in the bin).
        The first curve is drawn thickest; marker areas grow with ``n``.
    title : str
    path : str or path-like, optional
        When given, the figure is saved there as a PNG.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]`` holds the diagonal (first line) and one line per curve.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6.0, 5.5), layout="constrained")
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], linestyle="--", color="0.5", linewidth=1, label="perfect calibration")
    for i, (name, curve) in enumerate(curves.items()):
        n = np.asarray(curve["n"], dtype=float)
        total = int(n.sum())
        line, = ax.plot(curve["predicted"], curve["observed"], linewidth=2.5 if i == 0 else 1.2,
                        label=f"{name} ({total:,} outcomes)")
        ax.scatter(curve["predicted"], curve["observed"], s=12 + 120 * n / max(n.max(), 1.0),
                   color=line.get_color(), alpha=0.7)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("predicted offer probability (mean in the bin)")
    ax.set_ylabel("observed offer rate")
    ax.set_title(title)
    ax.legend(loc="upper left", fontsize="small")
    ax.grid(alpha=0.3)
    _save(fig, path)
    return fig


def weights_chart(
    learned: "pandas.Series",  # noqa: F821
    prior: "pandas.Series",  # noqa: F821
    path: str | PathLike | None = None,
) -> "Figure":  # noqa: F821
    """Grouped horizontal bars: rule-card weight beside learned weight.

    Parameters
    ----------
    learned : pandas.Series
        Learned log-odds weights, indexed by feature / signal name.
    prior : pandas.Series
        Rule-card log-odds weights, same kind of index.  Features present
        in only one of the two series get weight 0 in the other.
    path : str or path-like, optional
        When given, the figure is saved there as a PNG.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0].patches`` holds two bars per feature (rule card
        first, then learned), features sorted by learned weight (largest
        at the top).
    """
    from matplotlib.figure import Figure

    names = list(dict.fromkeys([*learned.index, *prior.index]))
    lw = learned.reindex(names).fillna(0.0).astype(float)
    pw = prior.reindex(names).fillna(0.0).astype(float)
    order = np.argsort(lw.to_numpy(), kind="stable")  # ascending: largest on top
    labels = [str(names[i]) for i in order]
    lv = lw.to_numpy()[order]
    pv = pw.to_numpy()[order]
    n = len(labels)
    pos = np.arange(n)
    h = 0.4
    fig = Figure(figsize=(7.0, _bar_height(n, per_bar=0.45)), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(pos + h / 2, pv, height=h, color=_PRIOR_COLOR, label="rule card")
    ax.barh(pos - h / 2, lv, height=h, color=_LEARNED_COLOR, label="learned")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(pos, labels)
    ax.set_ylim(-0.75, n - 0.25)
    ax.set_xlabel("log-odds weight")
    ax.set_title("Rule-card weights vs learned weights")
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)
    return fig


def contributions_chart(
    contributions: "pandas.Series",  # noqa: F821
    baseline: float,
    probability: float,
    title: str | None = None,
    path: str | PathLike | None = None,
) -> "Figure":  # noqa: F821
    """Per-signal log-odds contributions for one interview.

    Parameters
    ----------
    contributions : pandas.Series
        Log-odds contribution per signal, indexed by signal name.  Signals
        with exactly 0 contribution are omitted.
    baseline : float
        Baseline log-odds (intercept) the contributions are added to.
    probability : float
        Predicted offer probability, shown as a percentage in the title.
    title : str, optional
        Prefix of the title (e.g. the interview id).
    path : str or path-like, optional
        When given, the figure is saved there as a PNG.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0].patches`` holds one bar per non-zero signal, sorted
        by value (largest at the top), green if positive, red if negative.
    """
    from matplotlib.figure import Figure

    c = contributions.astype(float)
    c = c[c != 0].sort_values(kind="stable")
    n = len(c)
    fig = Figure(figsize=(7.0, _bar_height(n)), layout="constrained")
    ax = fig.add_subplot()
    vals = c.to_numpy()
    pos = np.arange(n)
    ax.barh(pos, vals, height=0.7,
            color=[_POS_COLOR if v > 0 else _NEG_COLOR for v in vals])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(pos, [str(i) for i in c.index])
    if n == 0:
        ax.text(0.5, 0.5, "no signal contributes", ha="center", va="center",
                transform=ax.transAxes, color="0.4")
    head = f"P(offer) = {probability:.1%}"
    ax.set_title(f"{title}: {head}" if title else head)
    ax.set_xlabel(f"contribution to the log-odds of an offer (baseline {baseline:+.2f})")
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)
    return fig
