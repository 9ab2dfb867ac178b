"""One interview's probability, per-signal contributions and reasons, for a person
(what :func:`offerodds.explain` returns)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from offerodds.evaluation.plots import contributions_chart
from offerodds.signals.catalogue import by_name


@dataclass
class Explanation:
    """Why one interview got its probability.

    ``contributions`` holds every signal's log-odds contribution (exactly 0 where not
    recorded); ``offer_log_odds == baseline_log_odds + contributions.sum()``. In a notebook it
    renders as an HTML table; :meth:`plot` draws it as a chart.
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
    recorded: tuple[str, ...] | None = None

    def table(self) -> pd.DataFrame:
        """Recorded signals, strongest first: contribution and what it means.

        A recorded signal worth nothing (a 3 on a scale, a context answer) is listed as neutral.
        """
        if self.recorded is None:
            c = self.contributions[self.contributions != 0]
        else:
            c = self.contributions[self.contributions.index.isin(self.recorded)]
        c = c.reindex(c.abs().sort_values(ascending=False, kind="stable").index)
        meaning = [
            by_name()[s].when_positive if v > 0 else by_name()[s].when_negative if v < 0
            else "recorded; neutral (moves the odds neither way)"
            for s, v in c.items()
        ]
        return pd.DataFrame({"signal": c.index, "contribution": c.to_numpy(), "meaning": meaning})

    def _interval(self) -> str:
        if pd.isna(self.offer_probability_low):
            return ""
        return f" (90 % interval {self.offer_probability_low:.0%} to {self.offer_probability_high:.0%})"

    def _title(self) -> str:
        who = f"Interview {self.interview_id}: " if self.interview_id else ""
        return f"{who}offer probability {self.offer_probability:.1%}{self._interval()}"

    def __str__(self) -> str:
        lines = [
            self._title(),
            f"scorer: {self.scorer} {self.model_version}; baseline log-odds "
            f"{self.baseline_log_odds:+.3f}, log-odds {self.offer_log_odds:+.3f}",
        ]
        rows = self.table()
        if rows.empty:
            lines.append("no signal recorded: the probability is the baseline for the stage")
        width = max([len(s) for s in rows["signal"]] + [6])
        for _, row in rows.iterrows():
            lines.append(f"  {row.signal:<{width}}  {row.contribution:+.3f}  {row.meaning}")
        lines.append(f"reasons: {self.reasons}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td>{html.escape(r.signal)}</td><td style='text-align:right'>"
            f"{r.contribution:+.3f}</td><td>{html.escape(r.meaning)}</td></tr>"
            for r in self.table().itertuples()
        )
        return (
            f"<div><strong>{html.escape(self._title())}</strong><br>"
            f"<small>{html.escape(self.scorer)} {html.escape(self.model_version)}; "
            f"baseline log-odds {self.baseline_log_odds:+.3f}</small>"
            "<table><thead><tr><th>signal</th><th>contribution (log-odds)</th>"
            f"<th>meaning</th></tr></thead><tbody>{body}</tbody></table></div>"
        )

    def plot(self, path=None):
        """Bar chart of the contributions (a matplotlib Figure; saved as PNG when ``path``)."""
        title = f"Interview {self.interview_id}" if self.interview_id else None
        return contributions_chart(
            self.contributions, self.baseline_log_odds, self.offer_probability, title=title, path=path
        )


def explanation_from_row(
    row: pd.Series, interview_id: str = "", recorded: tuple[str, ...] | None = None
) -> Explanation:
    """Build an :class:`Explanation` from one row of :func:`offerodds.score`'s output."""
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
        recorded=recorded,
    )
