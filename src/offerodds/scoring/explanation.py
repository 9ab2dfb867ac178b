"""One interview's probability, per-signal contributions and reasons, for a person
(what :func:`offerodds.explain` returns)."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from offerodds.evaluation.plots import contributions_chart, percent
from offerodds.scoring import phrases
from offerodds.signals.catalogue import by_name
from offerodds.signals.states import length_ratio, states_of


@dataclass
class Explanation:
    """Why one interview got its probability.

    ``contributions`` holds every signal's log-odds contribution (exactly 0 where not
    recorded); ``offer_log_odds == baseline_log_odds + contributions.sum()``. ``recorded``
    names, for each signal recorded, its state (``yes``, ``low``, ``short``...) and its value
    (a rating, actual over scheduled minutes; NaN for a yes/no answer). In a notebook it
    renders as an HTML table; :meth:`plot` draws it as a chart; :meth:`table` is the analyst's
    view, log-odds included.
    """

    offer_probability: float
    offer_probability_low: float
    offer_probability_high: float
    offer_log_odds: float
    baseline_log_odds: float
    contributions: pd.Series
    reasons: str
    scorer: str
    model_version: str
    interview_id: str = ""
    recorded: dict[str, tuple[str, float]] = field(default_factory=dict)
    stage: str = ""
    weak: frozenset = frozenset()  # (signal, state) pairs whose effect is of uncertain sign
    from_notes: frozenset = frozenset()  # signals filled from the interview's notes

    @property
    def baseline_probability(self) -> float:
        """The probability of an interview of this stage where nothing was recorded."""
        return 1.0 / (1.0 + math.exp(-self.baseline_log_odds))

    def table(self) -> pd.DataFrame:
        """Recorded signals, strongest first: what was recorded and what it did.

        Columns: ``signal``, ``recorded`` (the state in a few words, with its value),
        ``effect`` (``odds x1.35``), ``points`` (percentage points the probability would lose
        without it), ``meaning`` (what was recorded and how it counted, in a sentence) and
        ``contribution`` (log-odds). A recorded signal worth nothing (a 3 on a scale, a
        context answer the card gives no points) is listed as counted neither way.
        """
        names = [s for s in self.contributions.index if s in self.recorded]
        c = self.contributions[names].astype(float)
        c = c.reindex(c.abs().sort_values(ascending=False, kind="stable").index)
        rows = []
        for signal, value in c.items():
            state, detail = self.recorded[signal]
            rows.append(
                {
                    "signal": signal,
                    "recorded": phrases.label(signal, state, detail)
                    + (" (from your notes)" if signal in self.from_notes else ""),
                    "effect": phrases.odds_text(value),
                    "points": phrases.points(self.offer_log_odds, value),
                    "meaning": phrases.meaning(signal, state, value, weak=(signal, state) in self.weak),
                    "contribution": value,
                }
            )
        columns = ["signal", "recorded", "effect", "points", "meaning", "contribution"]
        return pd.DataFrame(rows, columns=columns)

    def _interval(self) -> str:
        if pd.isna(self.offer_probability_low):
            return ""
        low, high = percent(self.offer_probability_low), percent(self.offer_probability_high)
        return f" (90 % interval {low} to {high})"

    def _title(self) -> str:
        who = f"Interview {self.interview_id}: " if self.interview_id else ""
        return f"{who}offer probability {percent(self.offer_probability)}{self._interval()}"

    def _starting_point(self) -> str:
        if self.stage:
            label = by_name()["stage"].states[self.stage].label
            what = f"{'an' if label[:1].lower() in 'aeiou' else 'a'} {label}"
        else:
            what = "an interview"
        return f"{what} with nothing recorded: {percent(self.baseline_probability)}"

    def _scored_by(self) -> str:
        return "the rule card" if self.scorer == "rules" else f"model {self.model_version}"

    def __str__(self) -> str:
        lines = [self._title(), f"starting point, {self._starting_point()}; scored by {self._scored_by()}"]
        rows = self.table()
        if rows.empty:
            lines.append("nothing recorded: the probability is the starting point")
        else:
            width = max(len(r) for r in rows["recorded"])
            for r in rows.itertuples():
                how = r.meaning.split(": ", 1)[1].removeprefix("counted ")
                lines.append(
                    f"  {r.recorded:<{width}}  {r.effect:<11} {phrases.points_text(r.points):>9}  {how}"
                )
        lines.append(f"reasons: {self.reasons}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td>{html.escape(r.recorded)}</td><td style='text-align:right'>"
            f"{html.escape(r.effect)}</td><td style='text-align:right'>"
            f"{html.escape(phrases.points_text(r.points))}</td>"
            f"<td>{html.escape(r.meaning)}</td></tr>"
            for r in self.table().itertuples()
        )
        return (
            f"<div><strong>{html.escape(self._title())}</strong><br>"
            f"<small>Starting point, {html.escape(self._starting_point())}; scored by "
            f"{html.escape(self._scored_by())}.</small>"
            "<table><thead><tr><th>what was recorded</th><th>effect on the odds</th>"
            f"<th>change in probability</th><th>how it counted</th></tr></thead><tbody>{body}"
            f"</tbody></table><small>reasons: {html.escape(self.reasons)}</small></div>"
        )

    def plot(self, path=None, *, title: str | None = None):
        """Chart of what was recorded and what each answer did, with the probability and its
        interval (a matplotlib Figure; saved as PNG when ``path``)."""
        rows = self.table()
        marked = [
            f"{r.recorded} *" if phrases.DISAGREES in r.meaning else r.recorded for r in rows.itertuples()
        ]
        effects = pd.Series(rows["contribution"].to_numpy(), index=marked, dtype=float)
        note = f"* {phrases.DISAGREES}" if any(
            m.endswith(" *") for m in marked
        ) else None
        if title is None:
            title = f"Interview {self.interview_id}" if self.interview_id else None
        return contributions_chart(
            effects,
            self.offer_probability,
            low=self.offer_probability_low,
            high=self.offer_probability_high,
            baseline=self.baseline_probability,
            baseline_text=self._starting_point().split(":")[0],
            title=title,
            note=note,
            path=path,
        )


def explanation_from_row(
    row: pd.Series,
    interview_id: str = "",
    recorded: dict[str, tuple[str, float]] | None = None,
    stage: str = "",
    weak: frozenset = frozenset(),
) -> Explanation:
    """Build an :class:`Explanation` from one row of :func:`offerodds.score`'s output and what
    was recorded (signal -> (state, value), as :func:`recorded_of` gives)."""
    contrib = {c.removeprefix("contrib_"): float(row[c]) for c in row.index if c.startswith("contrib_")}
    return Explanation(
        offer_probability=float(row["offer_probability"]),
        offer_probability_low=float(row["offer_probability_low"]),
        offer_probability_high=float(row["offer_probability_high"]),
        offer_log_odds=float(row["offer_log_odds"]),
        baseline_log_odds=float(row["baseline_log_odds"]),
        contributions=pd.Series(contrib, name="contribution"),
        reasons=str(row["reasons"]),
        scorer=str(row["scorer"]),
        model_version=str(row["model_version"]),
        interview_id=interview_id,
        recorded=dict(recorded or {}),
        stage=stage,
        weak=frozenset(weak),
    )


def recorded_of(typed: pd.DataFrame, row: int = 0) -> tuple[dict[str, tuple[str, float]], str]:
    """What row ``row`` of the typed frame recorded: signal -> (state, value), and its stage."""
    states = states_of(typed, row)
    recorded = {}
    for name, state in states.items():
        s = by_name()[name]
        if s.kind == "stage":
            continue
        if s.kind == "minutes":
            value = float(length_ratio(typed.iloc[[row]], s)[0])
        elif s.kind == "scale":
            value = float(typed[name].iloc[row])
        else:
            value = np.nan
        recorded[name] = (state, value)
    return recorded, states.get("stage", "")
