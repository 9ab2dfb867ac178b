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
    (a rating, actual over scheduled minutes; NaN for a yes/no answer). ``changes`` says, for
    each answer that changed how other signals counted (a structured format, an inexperienced
    interviewer, a round), each changed signal's contribution with and without it.
    ``uncertain`` names the signals whose effect here the model is less than 90 % sure of the
    sign of (listed, marked, never among the reasons). In a notebook it renders as an HTML
    table; :meth:`plot` draws it as a chart; :meth:`table` is the analyst's view, log-odds
    included.
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
    uncertain: frozenset = frozenset()  # signals whose effect here is of uncertain sign
    changes: dict[str, list[tuple[str, float, float]]] = field(default_factory=dict)
    from_notes: frozenset = frozenset()  # signals filled from the interview's notes
    pairs: tuple = ()  # a learned model's pair terms here, in words (scoring.terms.pair_effects)
    blanks: dict = field(default_factory=dict)  # signal left empty -> its blank's learned log-odds

    @property
    def baseline_probability(self) -> float:
        """The probability of an interview of this stage where nothing was recorded."""
        return 1.0 / (1.0 + math.exp(-self.baseline_log_odds))

    def table(self) -> pd.DataFrame:
        """Recorded signals, strongest first: what was recorded and what it did.

        Columns: ``signal``, ``recorded`` (the state in a few words, with its value),
        ``effect`` (``odds x1.35``; for an answer that changed how others counted, what it
        changed), ``points`` (percentage points: its share of the change from the starting
        point to this probability, in proportion to its log-odds; they sum to that change),
        ``meaning`` (what was recorded and how it counted, in a sentence) and
        ``contribution`` (log-odds, exact). A recorded signal worth nothing (a 3 on a scale)
        is listed as counted neither way; a context answer says what it changed.
        """
        names = [s for s in self.contributions.index if s in self.recorded]
        c = self.contributions[names].astype(float)
        c = c.reindex(c.abs().sort_values(ascending=False, kind="stable").index)
        share = pd.Series(
            phrases.shares(self.baseline_log_odds, self.contributions.to_numpy(dtype=float)),
            index=self.contributions.index,
        )
        rows = []
        for signal, value in c.items():
            state, detail = self.recorded[signal]
            made = phrases.changed(signal, state, self.changes.get(signal, []), subject="it")
            text = phrases.meaning(signal, state, value, weak=signal in self.uncertain)
            effect = phrases.odds_text(value)
            if made:
                effect = f"{effect} itself; changed others" if value != 0 else "changed others"
                text = f"{text.split(': ', 1)[0]}: {made}" if value == 0 else f"{text}; {made}"
            rows.append(
                {
                    "signal": signal,
                    "recorded": phrases.label(signal, state, detail)
                    + (" (from your notes)" if signal in self.from_notes else ""),
                    "effect": effect,
                    "points": float(share[signal]),
                    "meaning": text,
                    "contribution": value,
                }
            )
        columns = ["signal", "recorded", "effect", "points", "meaning", "contribution"]
        return pd.DataFrame(rows, columns=columns)

    def shown_points(self) -> pd.Series:
        """The ``points`` of :meth:`table` as shown (one decimal), adding up exactly to the
        change shown between the starting point and the probability (largest-remainder
        rounding); indexed by signal."""
        table = self.table()
        shown, _, _ = phrases.shown_shares(self.baseline_log_odds, self.contributions.to_numpy(dtype=float))
        by_signal = pd.Series(shown, index=self.contributions.index)
        return by_signal[table["signal"]].rename("points")

    def _change_line(self) -> str:
        _, start, final = phrases.shown_shares(self.baseline_log_odds, self.contributions.to_numpy(dtype=float))
        return (
            f"from {phrases.percent_text(start)} to {phrases.percent_text(final)}: "
            f"{phrases.pp_text(final - start)} in all, shared below"
        )

    def _stage_line(self) -> str:
        """What the round changed in how others counted (a pair term of the round), if anything."""
        return phrases.changed("stage", self.stage, self.changes.get("stage", [])) if self.stage else ""

    def _pairs_line(self) -> str:
        """What the learned model's pair terms did here: "shown around counted more because it
        was a final round"."""
        return f"answers that counted together: {'; '.join(self.pairs)}" if self.pairs else ""

    def _blanks_line(self) -> str:
        """Signals left empty whose emptiness the learned model weighs (their effect is in the
        starting point, not in the rows)."""
        if not self.blanks:
            return ""
        parts = []
        for signal, value in self.blanks.items():
            spec = by_name()[signal]
            against = _BLANK_AGAINST.get(spec.kind, "an answer")
            parts.append(f"{signal.replace('_', ' ')} (left empty: {phrases.odds_text(value)} against {against})")
        return ("left empty, and the outcomes say that counts: " + "; ".join(parts)
                + "; this is part of the starting point")

    def _model_lines(self) -> list[str]:
        """The lines on what the learned model's own terms did (pairs, blanks), where any did:
        the terminal, the HTML view and the chart all show them."""
        return [line for line in (self._pairs_line(), self._blanks_line()) if line]

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

    def _rows(self) -> list[tuple[str, str, str, str]]:
        """(recorded, effect, pp shown, how it counted) per recorded signal, strongest first."""
        table = self.table()
        shown = self.shown_points()
        out = []
        for r, pp in zip(table.itertuples(), shown.to_numpy()):
            how = r.meaning.split(": ", 1)[1].removeprefix("counted ").replace(f" ({phrases.UNCERTAIN})", " (unsure)")
            out.append((r.recorded, r.effect, phrases.pp_text(pp, r.contribution), how))
        return out

    def _unsure_note(self) -> str:
        """The footnote of the ``(unsure)`` mark, when a row carries it."""
        if not any(" (unsure)" in how for *_, how in self._rows()):
            return ""
        return "unsure: the outcomes are less than 90 % sure which way it counts, so it is never among the reasons"

    def __str__(self) -> str:
        lines = [self._title(), f"starting point, {self._starting_point()}; scored by {self._scored_by()}"]
        if self._stage_line():
            lines.append(self._stage_line())
        rows = self._rows()
        if not rows:
            lines.append("nothing recorded: the probability is the starting point")
        else:
            lines.append(self._change_line())
            width = max(len(r[0]) for r in rows)
            effect_width = max(11, *(len(r[1]) for r in rows if r[1].startswith("odds")))
            for recorded, effect, pp, how in rows:
                if effect == "changed others":
                    lines.append(f"  {recorded:<{width}}  {'':<{effect_width}} {pp:>9}  {how}")
                else:
                    lines.append(f"  {recorded:<{width}}  {effect:<{effect_width}} {pp:>9}  {how}")
            lines.append(phrases.PP_LEGEND)
            if self._unsure_note():
                lines.append(self._unsure_note())
        lines += self._model_lines()
        lines.append(f"reasons: {self.reasons}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td>{html.escape(recorded)}</td><td style='text-align:right'>"
            f"{html.escape(effect)}</td><td style='text-align:right'>"
            f"{html.escape(pp)}</td><td>{html.escape(how)}</td></tr>"
            for recorded, effect, pp, how in self._rows()
        )
        stage = f"<br><small>{html.escape(self._stage_line())}.</small>" if self._stage_line() else ""
        change = f"<br><small>{html.escape(self._change_line())}.</small>" if body else ""
        return (
            f"<div><strong>{html.escape(self._title())}</strong><br>"
            f"<small>Starting point, {html.escape(self._starting_point())}; scored by "
            f"{html.escape(self._scored_by())}.</small>{stage}{change}"
            "<table><thead><tr><th>what was recorded</th><th>effect on the odds</th>"
            f"<th>change in probability (pp)</th><th>how it counted</th></tr></thead><tbody>{body}"
            f"</tbody></table><small>{html.escape(phrases.PP_LEGEND)}.</small><br>"
            + (f"<small>{html.escape(self._unsure_note())}.</small><br>" if self._unsure_note() else "")
            + "".join(f"<small>{html.escape(line)}.</small><br>" for line in self._model_lines())
            + f"<small>reasons: {html.escape(self.reasons)}</small></div>"
        )

    def plot(self, path=None, *, title: str | None = None):
        """Chart of what was recorded and what each answer did, with the probability and its
        interval (a matplotlib Figure; saved as PNG when ``path``). Each bar says its odds
        multiplier and its percentage points; an answer that changed how others counted says
        what it changed."""
        table = self.table()
        rows = self._rows()
        marked = [
            f"{r.recorded} *" if phrases.DISAGREES in r.meaning else r.recorded for r in table.itertuples()
        ]
        effects = pd.Series(table["contribution"].to_numpy(), index=marked, dtype=float)
        texts, notes = [], []
        for r, (_, effect, pp, how) in zip(table.itertuples(), rows):
            made = phrases.changed(r.signal, self.recorded[r.signal][0], self.changes.get(r.signal, []))
            if made:  # an answer that changed how others counted: what it changed, under the axis
                notes.append(made[:1].upper() + made[1:] + ".")
                mark = f"x{math.exp(r.contribution):.2f}, {pp}; " if r.contribution != 0 else "nothing by itself; "
                texts.append(f"{mark}changed others (below)")
            else:
                texts.append(f"x{math.exp(r.contribution):.2f}, {pp}")
        notes += [line[:1].upper() + line[1:] + "." for line in self._model_lines()]
        notes.append(phrases.PP_LEGEND)
        if any(m.endswith(" *") for m in marked):
            notes.append(f"* {phrases.DISAGREES}")
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
            note="\n".join(notes),
            texts=texts,
            path=path,
        )


#: What a blank's learned effect is measured against, by kind of signal.
_BLANK_AGAINST = {"scale": "a middle answer", "yesno": "yes and no on average", "minutes": "a full-length interview"}


def answer_changes(scorer, typed: pd.DataFrame, row: int = 0) -> dict[str, list[tuple[str, float, float]]]:
    """For each recorded answer of row ``row`` that changes how other signals count (a context
    answer, a round, either side of a pair term), each changed signal's contribution with the
    answer and with it left empty: ``{answer's signal: [(signal, with, without), ...]}``.

    Exact: both are the scorer's own contributions, the second from the same row with that
    answer blanked, so whatever the scorer's form (context discounts, pair terms) is covered.
    """
    one = typed.iloc[[row]].reset_index(drop=True)
    parts = scorer.decompose(one)
    now = parts.contributions[0]
    found = {}
    for name in states_of(one, 0):
        signal = by_name()[name]
        blank = one.copy()
        for column in signal.columns:
            if column in blank.columns:
                blank[column] = np.nan if signal.kind != "stage" else None
        without = scorer.decompose(blank).contributions[0]
        moved = [
            (other, float(now[j]), float(without[j]))
            for j, other in enumerate(parts.signals)
            if other != name and abs(now[j] - without[j]) > 1e-12
        ]
        if moved:
            found[name] = moved
    return found


def explanation_from_row(
    row: pd.Series,
    interview_id: str = "",
    recorded: dict[str, tuple[str, float]] | None = None,
    stage: str = "",
    uncertain=frozenset(),
    changes: dict | None = None,
) -> Explanation:
    """Build an :class:`Explanation` from one row of :func:`offerodds.score`'s output and what
    was recorded (signal -> (state, value), as :func:`recorded_of` gives), the signals whose
    effect is of uncertain sign and what each answer changed (:func:`answer_changes`)."""
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
        uncertain=frozenset(uncertain),
        changes=dict(changes or {}),
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
