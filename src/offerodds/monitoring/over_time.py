"""Calibration over time: how the scorer in use predicted the outcomes labelled at each retrain,
per retrain and per calendar month of labelling and scorer, from the workspace's calibration log
(:class:`offerodds.stores.calibration_log.CalibrationLog`, aggregates only).

Every figure of a record is a sum, so the records of one month pool exactly: the month's
log-loss is its summed log-loss over its interviews. Whether more (or fewer) offers came than
the scorer expected beyond chance is a two-sided z-test of the observed count against the sum
of the probabilities, with the Poisson-binomial variance ``sum p (1 - p)``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from offerodds.monitoring.expected import percent, scorer_name

__all__ = ["CALIBRATION_COLUMNS", "per_month", "per_retrain", "reliability_curves", "text_block"]

CALIBRATION_COLUMNS = (
    "n", "offers", "observed_rate", "expected_rate", "log_loss", "brier", "p", "verdict",
)
_SUMS = ("n", "offers", "expected_offers", "variance", "log_loss_sum", "brier_sum")


def _figures(sums: pd.DataFrame) -> pd.DataFrame:
    """Rates, means and the calibration-in-the-large test from summed records."""
    n = sums["n"].astype(float)
    z = (sums["offers"] - sums["expected_offers"]) / np.sqrt(sums["variance"].clip(lower=1e-12))
    p = z.abs().map(lambda v: math.erfc(v / math.sqrt(2.0)))
    direction = np.where(z > 0, "more offers than expected", "fewer offers than expected")
    verdict = np.where(p >= 0.05, "as expected", direction)
    return pd.DataFrame(
        {
            "n": sums["n"].astype(int),
            "offers": sums["offers"].astype(int),
            "observed_rate": sums["offers"] / n,
            "expected_rate": sums["expected_offers"] / n,
            "log_loss": sums["log_loss_sum"] / n,
            "brier": sums["brier_sum"] / n,
            "p": p,
            "verdict": verdict,
        },
        index=sums.index,
    )


def _frame(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "labelled_at": [r.get("labelled_at", "") for r in records],
            "month": [r.get("month", str(r.get("labelled_at", ""))[:7]) for r in records],
            "scorer": [scorer_name(r.get("scorer", ""), r.get("version", "")) for r in records],
            **{k: [float(r[k]) for r in records] for k in _SUMS},
        }
    )


def per_retrain(records: list[dict]) -> pd.DataFrame:
    """One row per retrain that checked new outcomes: when (``labelled_at``, the date), which
    scorer was in use, then ``CALIBRATION_COLUMNS``."""
    if not records:
        return pd.DataFrame(columns=["labelled", "scorer", *CALIBRATION_COLUMNS])
    frame = _frame(records)
    out = _figures(frame)
    out.insert(0, "scorer", frame["scorer"])
    out.insert(0, "labelled", frame["labelled_at"].str.slice(0, 10))
    return out.reset_index(drop=True)


def per_month(records: list[dict]) -> pd.DataFrame:
    """One row per calendar month of labelling and scorer in use (the retrains of a month
    pooled per scorer), then ``CALIBRATION_COLUMNS``.

    A month served by two scorers has two rows: pooling them would blend a scorer that was off
    with one that was not and call the blend off (or right).
    """
    if not records:
        return pd.DataFrame(columns=["month", "scorer", *CALIBRATION_COLUMNS])
    frame = _frame(records)
    frame["first"] = np.arange(len(frame))
    keys = ["month", "scorer"]
    sums = frame.groupby(keys, sort=False)[list(_SUMS)].sum()
    # months in order; within a month, the scorers in the order they first served it
    first = frame.groupby(keys, sort=False)["first"].min()
    order = sorted(sums.index, key=lambda key: (key[0], first[key]))
    out = _figures(sums.loc[order])
    return out.reset_index()


def reliability_curves(records: list[dict], last: int = 4) -> dict[str, pd.DataFrame]:
    """Binned reliability of every record pooled (``all retrains``, when there are several)
    and of each of the ``last`` retrains: per probability bin with outcomes, the mean
    predicted probability, the observed offer rate and the count."""
    groups = [("all retrains", records)] if len(records) > 1 else []
    for r in records[-last:]:
        when = str(r.get("labelled_at", ""))[:10]
        groups.append((f"{when}, {scorer_name(r.get('scorer', ''), r.get('version', ''))}", [r]))
    curves = {}
    for name, group in groups:
        n = np.sum([r["bins"]["n"] for r in group], axis=0).astype(float)
        offers = np.sum([r["bins"]["offers"] for r in group], axis=0)
        expected = np.sum([r["bins"]["expected_offers"] for r in group], axis=0)
        keep = n > 0
        curves[name] = pd.DataFrame(
            {"predicted": expected[keep] / n[keep], "observed": offers[keep] / n[keep], "n": n[keep].astype(int)}
        )
    return curves


def text_block(records: list[dict]) -> list[str]:
    """Calibration over time as lines for a terminal (per retrain, then per month)."""
    if not records:
        return ["calibration over time: no retrain has checked newly labelled outcomes yet"]
    lines = ["calibration over time (how the scorer in use predicted outcomes labelled later):"]

    def line(label: str, row) -> str:
        return (
            f"  {label}: {row.n:,} outcomes, {percent(row.observed_rate)} offers against "
            f"{percent(row.expected_rate)} expected ({row.verdict}, p {row.p:.2g}); "
            f"log-loss {row.log_loss:.3f}, Brier {row.brier:.3f}"
        )

    lines.append(" per retrain:")
    lines += [line(f"{r.labelled} by {r.scorer}", r) for r in per_retrain(records).itertuples()]
    lines.append(" per month of labelling and scorer:")
    lines += [line(f"{r.month} by {r.scorer}", r) for r in per_month(records).itertuples()]
    return lines
