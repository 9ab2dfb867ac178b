"""What ``offerodds monitor`` found: the checks, the expected offer rate and calibration over
time, for a person (``str(result)``) and for code (the attributes, ``metrics()``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds.monitoring import over_time
from offerodds.monitoring.drift import PREDICTIONS
from offerodds.monitoring.expected import ExpectedRate, percent
from offerodds.monitoring.profile import Profile
from offerodds.config import MonitorConfig

__all__ = ["MonitorResult", "names"]

#: Checks shown after those that moved: the nearest to moving.
SHOW_UNMOVED = 3
#: At most this many checks that moved are printed (all are in ``checks`` and the report).
SHOW_MOVED = 10


def names(items: list[str], most: int = 5) -> str:
    """``a, b, c`` or ``a, b, c, d, e and 7 more``."""
    if len(items) <= most:
        return ", ".join(items)
    return f"{', '.join(items[:most])} and {len(items) - most} more"


def _p_text(p: float) -> str:
    if not np.isfinite(p):
        return "-"
    return "<0.0001" if p < 1e-4 else f"{p:.2g}"


def _aligned(frame: pd.DataFrame) -> list[str]:
    """A small table as left-aligned text lines."""
    cells = [list(map(str, frame.columns))] + [list(map(str, row)) for row in frame.itertuples(index=False)]
    widths = [max(len(row[j]) for row in cells) for j in range(len(frame.columns))]
    return ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]


@dataclass(frozen=True)
class MonitorResult:
    """What a batch looks like against the reference, and how the scorer has fared.

    Attributes
    ----------
    checks : pandas.DataFrame
        Every check, those that moved first (see :func:`offerodds.monitoring.drift.compare`).
    batch, reference : Profile
        The counts of each (``rows``, ``left_out``, ``counts``, ...).
    batch_label, reference_label : str
        What each is, in words.
    scorer_label : str
        The scorer that gave the probabilities, and why it serves.
    reference_kind : str
        ``champion`` (the outcomes the champion learned from), ``outcome store`` or ``file``.
    expected : ExpectedRate
        The offer rate the scorer expects for the batch.
    reference_expected : ExpectedRate
        The same for the reference (beside its observed rate, when it has outcomes).
    calibration : list of dict
        The workspace's calibration log (one record per retrain that checked new outcomes).
    alpha : float
        The family-wise false-alarm rate of the checks.
    report_path : pathlib.Path or None
        The HTML report, when one was written.
    run_id : str or None
        The MLflow run, when tracked.
    """

    checks: pd.DataFrame
    batch: Profile
    reference: Profile
    batch_label: str
    reference_label: str
    scorer_label: str
    reference_kind: str
    expected: ExpectedRate
    reference_expected: ExpectedRate
    calibration: list = field(default_factory=list)
    alpha: float = MonitorConfig.alpha
    report_path: Path | None = None
    run_id: str | None = None

    @property
    def moved(self) -> bool:
        """Whether anything moved beyond chance."""
        return bool(self.checks["moved"].any())

    @property
    def moved_signals(self) -> list[str]:
        """The signals (and ``predictions``) that moved, most clearly first."""
        return list(dict.fromkeys(self.checks.loc[self.checks["moved"], "signal"]))

    @property
    def moved_names(self) -> str:
        """The signals that moved, in words (``a, b, c`` or ``a, b, c, d, e and 7 more``)."""
        return names(self.moved_signals)

    @property
    def n_checks(self) -> int:
        return int(self.checks["p"].notna().sum())

    def per_retrain(self) -> pd.DataFrame:
        return over_time.per_retrain(self.calibration)

    def per_month(self) -> pd.DataFrame:
        return over_time.per_month(self.calibration)

    def metrics(self) -> dict[str, float]:
        """The figures as flat ``name: number`` pairs (aggregates only), e.g. for MLflow."""
        out = {
            "batch.interviews": self.batch.rows,
            "batch.left_out": self.batch.left_out,
            "reference.interviews": self.reference.rows,
            "checks": self.n_checks,
            "moved": int(self.checks["moved"].sum()),
            "expected_offer_rate": self.expected.rate,
            "expected_offer_rate.low": self.expected.low,
            "expected_offer_rate.high": self.expected.high,
            "reference.expected_offer_rate": self.reference_expected.rate,
        }
        if self.reference.labelled:
            out["reference.observed_offer_rate"] = self.reference.offers / self.reference.labelled
        if self.batch.labelled:
            out["batch.observed_offer_rate"] = self.batch.offers / self.batch.labelled
        for row in self.checks.itertuples():
            key = f"{row.signal}.{row.check}"
            figures = {"p_adjusted": row.p_adjusted, "batch": row.batch_share, "reference": row.reference_share}
            for name, value in figures.items():
                if np.isfinite(value):
                    out[f"{key}.{name}"] = float(value)
        return {k: float(v) for k, v in out.items() if v is not None and np.isfinite(v)}

    def table(self) -> pd.DataFrame:
        """The checks a person sees first: those that moved, then the nearest to moving."""
        moved = self.checks[self.checks["moved"]]
        unmoved = self.checks[~self.checks["moved"]].head(SHOW_UNMOVED if len(moved) <= SHOW_MOVED else 0)
        shown = pd.concat([moved.head(SHOW_MOVED), unmoved])
        table = pd.DataFrame(
            {
                "": np.where(shown["moved"], "MOVED", ""),
                "signal": shown["signal"],
                "check": shown["check"],
                "batch": shown["batch"],
                "reference": shown["reference"],
                "adjusted p": shown["p_adjusted"].map(_p_text),
            }
        )
        return table if self.moved else table.drop(columns=[""])

    def __str__(self) -> str:
        moved = self.checks[self.checks["moved"]]
        lines = [
            f"batch: {self.batch_label}",
            f"reference: {self.reference_label}",
            f"scorer: {self.scorer_label}",
            "",
        ]
        how = f"{self.n_checks} checks, Holm-adjusted p under {self.alpha:g}"
        if len(moved):
            lines.append(f"MOVED beyond chance: {names(self.moved_signals)} ({how})")
        else:
            lines.append(
                f"nothing moved beyond chance ({self.n_checks} checks, set so that a batch like the reference "
                f"raises an alarm about {100 * self.alpha:g} % of the time); nearest to moving:"
            )
        lines += ["  " + line for line in _aligned(self.table())]
        if len(moved) > SHOW_MOVED:
            lines.append(f"  ... and {len(moved) - SHOW_MOVED} more checks that moved (all in the report)")
        questions = {s: q for s, q in zip(moved["signal"], moved["question"]) if s != PREDICTIONS}
        if questions:
            shown = list(questions.items())[:SHOW_MOVED]
            lines += ["", "what those signals record:"] + [f"  {s}: {q}" for s, q in shown]
        lines += ["", f"expected offer rate: {self.expected.words()}"]
        ref = self.reference
        if ref.labelled:
            lines.append(
                f"in the reference: {percent(ref.offers / ref.labelled)} offers ({ref.offers:,} of "
                f"{ref.labelled:,} outcomes); {self.reference_expected.scorer} gives it "
                f"{percent(self.reference_expected.rate)}"
            )
        if self.batch.labelled:
            lines.append(
                f"outcomes already known in the batch: {percent(self.batch.offers / self.batch.labelled)} "
                f"offers ({self.batch.offers:,} of {self.batch.labelled:,})"
            )
        lines += [""] + over_time.text_block(self.calibration)
        if self.report_path:
            lines.append(f"\nreport: {self.report_path}")
        if self.run_id:
            lines.append(f"MLflow run: {self.run_id}")
        return "\n".join(lines)
