"""Figures for offer-probability models.

Uses the object-oriented matplotlib API (``matplotlib.figure.Figure``) and
never pyplot, so there is no global backend state and it works headless.
matplotlib is imported lazily inside each function to keep
``import offerodds`` fast.
"""

from __future__ import annotations

import textwrap

from os import PathLike
from typing import Any, Mapping

import numpy as np

from offerodds.evaluation.metrics import check_outcomes_and_probabilities, expected_calibration_error

__all__ = ["binned_reliability_diagram", "contributions_chart", "percent", "reliability_diagram", "weights_chart"]

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


def _odds_axis(ax, values: np.ndarray) -> None:
    """Label a log-odds x axis as odds multipliers (x1/2, x1, x2...): bars stay additive, the
    ticks read as people read effects."""
    reach = float(np.max(np.abs(values), initial=0.0))
    span = max(reach * 1.45, np.log(1.3))
    for candidates in (
        [1 / 8, 1 / 4, 1 / 2, 1.0, 2.0, 4.0, 8.0],
        [1 / 2, 2 / 3, 1.0, 1.5, 2.0],
        [4 / 5, 0.9, 1.0, 1.1, 1.25],  # always three within reach: span >= log(1.3)
    ):
        ticks = [m for m in candidates if abs(np.log(m)) <= span]
        if len(ticks) >= 3:
            break
    ax.set_xlim(-span, span)
    ax.set_xticks([np.log(m) for m in ticks], [_times(m) for m in ticks])


def _times(multiplier: float) -> str:
    fractions = {1 / 8: "x1/8", 1 / 4: "x1/4", 1 / 2: "x1/2", 2 / 3: "x2/3"}
    for value, text in fractions.items():
        if abs(multiplier - value) < 1e-9:
            return text
    return f"x{multiplier:g}"


def weights_chart(
    learned: "pandas.Series",  # noqa: F821
    prior: "pandas.Series",  # noqa: F821
    path: str | PathLike | None = None,
    *,
    learned_name: str = "learned",
    prior_name: str = "rule card",
    title: str = "What each recorded answer does to the odds of an offer",
    note: str | None = None,
) -> "Figure":  # noqa: F821
    """Grouped horizontal bars: the rule card's effect beside the learned one, per answer.

    Parameters
    ----------
    learned : pandas.Series
        Learned effects on the log-odds of an offer, indexed by what the bar means (for
        example "good eye contact (5/5)"); the axis reads them as odds multipliers.
    prior : pandas.Series
        The rule card's effects, same kind of index.  Entries present in only one of the
        two series get 0 in the other.
    path : str or path-like, optional
        When given, the figure is saved there as a PNG.
    learned_name, prior_name : str
        Legend entries of the two bars.
    title : str
        The chart's title.
    note : str, optional
        A line under the chart (for example what a mark beside a label means).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0].patches`` holds two bars per entry (rule card first, then learned),
        entries sorted by learned effect (largest at the top).
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
    fig = Figure(figsize=(7.5, _bar_height(n, per_bar=0.32)), layout="constrained")
    ax = fig.add_subplot()
    ax.barh(pos + h / 2, pv, height=h, color=_PRIOR_COLOR, label=prior_name)
    ax.barh(pos - h / 2, lv, height=h, color=_LEARNED_COLOR, label=learned_name)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(pos, labels)
    ax.set_ylim(-0.75, n - 0.25)
    _odds_axis(ax, np.concatenate([lv, pv]))
    ax.set_xlabel("odds of an offer multiplied by (left: against, right: for)")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize="small")
    ax.grid(axis="x", alpha=0.3)
    if note:
        fig.text(0.01, 0.0, note, fontsize="small", color="0.3", ha="left", va="top")
    _save(fig, path)
    return fig


def contributions_chart(
    effects: "pandas.Series",  # noqa: F821
    probability: float,
    *,
    low: float = float("nan"),
    high: float = float("nan"),
    baseline: float | None = None,
    baseline_text: str = "an interview with nothing recorded",
    title: str | None = None,
    note: str | None = None,
    texts: "Sequence[str] | None" = None,  # noqa: F821
    path: str | PathLike | None = None,
) -> "Figure":  # noqa: F821
    """Why one interview got its probability: the probability with its interval, and one bar
    per recorded answer.

    Parameters
    ----------
    effects : pandas.Series
        Effect of each recorded answer on the log-odds of an offer, indexed by what was
        recorded (for example "not distracted"). Bars are green for and red against the
        interview. The axis reads the log-odds as odds multipliers, so the bars still add up.
    probability : float
        The offer probability.
    low, high : float, optional
        Its 90 % interval (NaN: none, as for the rule card); drawn as a line around it.
    baseline : float, optional
        The probability of an interview with nothing recorded (drawn as a grey mark).
    baseline_text : str
        What the baseline is ("a final round with nothing recorded").
    title : str, optional
        Prefix of the title (e.g. the interview id).
    note : str, optional
        Lines under the axis (for example what a mark beside a label means, or what a
        percentage point is).
    texts : sequence of str, optional
        The words beside each bar, in the order of ``effects`` (for example ``x1.35, +3.6 pp``,
        or what a context answer changed); by default its odds multiplier, and for an answer
        worth nothing by itself "nothing by itself".
    path : str or path-like, optional
        When given, the figure is saved there as a PNG.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]`` is the probability strip; ``fig.axes[1].patches`` holds one bar per
        answer, sorted by effect (largest at the top).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    words = list(texts) if texts is not None else None
    if words is not None and len(words) != len(effects):
        raise ValueError(f"{len(words)} texts for {len(effects)} bars")
    c = effects.astype(float)
    order = np.argsort(c.to_numpy(), kind="stable")
    c = c.iloc[order]
    if words is not None:
        words = [words[i] for i in order]
    n = len(c)
    note_lines = sum(len(textwrap.wrap(line, 95)) or 1 for line in note.splitlines()) if note else 0
    fig = Figure(figsize=(7.5, _bar_height(n) + 1.0 + 0.18 * note_lines), layout="constrained")
    strip, ax = fig.subplots(2, 1, gridspec_kw={"height_ratios": [0.8, max(2.0, 0.35 * n + 0.8)]})

    # the probability, its interval and the starting point, on 0-100 %
    strip.set_xlim(0, 100)
    strip.set_ylim(-1, 1)
    strip.set_yticks([])
    strip.set_xticks(range(0, 101, 20), [f"{v} %" for v in range(0, 101, 20)])
    for side in ("left", "right", "top"):
        strip.spines[side].set_visible(False)
    has_interval = np.isfinite(low) and np.isfinite(high)
    if has_interval:
        strip.plot([100 * low, 100 * high], [0, 0], color=_LEARNED_COLOR, linewidth=3, alpha=0.5,
                   solid_capstyle="butt", label=f"90 % interval {percent(low)} to {percent(high)}")
    strip.plot([100 * probability], [0], "o", color=_LEARNED_COLOR, markersize=9,
               label=f"offer probability {percent(probability)}")
    if baseline is not None and np.isfinite(baseline):
        strip.plot([100 * baseline], [0], "|", color="0.4", markersize=16, markeredgewidth=2,
                   label=f"starting point {percent(baseline)}")
        strip.set_xlabel(f"starting point: {baseline_text}", fontsize="small", color="0.3")
    strip.legend(loc="lower center", bbox_to_anchor=(0.5, 0.75), ncol=3, fontsize="small", frameon=False)
    strip.tick_params(labelsize="small")
    head = f"{percent(probability)} chance of an offer"
    strip.set_title(f"{title}: {head}" if title else head, pad=18)

    vals = c.to_numpy()
    pos = np.arange(n)
    colors = [_POS_COLOR if v > 0 else _NEG_COLOR if v < 0 else _PRIOR_COLOR for v in vals]
    ax.barh(pos, vals, height=0.7, color=colors)
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(pos, [str(i) for i in c.index])
    ax.set_ylim(-0.75, max(n, 1) - 0.25)
    _odds_axis(ax, vals)
    width = np.diff(ax.get_xlim())[0]
    for y, v in zip(pos, vals):
        text = words[y] if words is not None else "nothing by itself" if v == 0 else f"x{np.exp(v):.2f}"
        # on the other side of x1 from the bar: the words never run into the labels
        ax.text(-0.015 * width if v > 0 else 0.015 * width, y, text,
                va="center", ha="right" if v > 0 else "left", fontsize="small", color="0.25")
    if n == 0:
        ax.text(0.5, 0.5, "nothing recorded", ha="center", va="center",
                transform=ax.transAxes, color="0.4")
    if note:  # wrapped: a long line would squeeze the chart
        note = "\n".join(textwrap.fill(line, 95) for line in note.splitlines())
    ax.set_xlabel("odds of an offer multiplied by" + (f"\n{note}" if note else ""))
    ax.xaxis.label.set_color("0.15")
    fig.legend(handles=[Patch(color=_POS_COLOR, label="counted for this interview"),
                        Patch(color=_NEG_COLOR, label="counted against it")],
               loc="outside lower center", ncol=2, fontsize="small", frameon=False)
    ax.grid(axis="x", alpha=0.3)
    _save(fig, path)
    return fig


def percent(p: float) -> str:
    """A probability as people read it: ``42 %``, ``<1 %``, ``>99 %``."""
    if p < 0.005:
        return "<1 %"
    if p > 0.995:
        return ">99 %"
    return f"{100 * p:.0f} %"
