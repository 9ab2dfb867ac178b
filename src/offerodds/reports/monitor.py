"""The monitor's HTML report: one self-contained file (charts embedded as PNG data) that a
person can open or attach to an email. Aggregates only, never an interview."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds.evaluation.drift_plots import probability_chart, recorded_chart, values_chart
from offerodds.evaluation.plots import binned_reliability_diagram
from offerodds.files.atomic import AtomicFile
from offerodds.monitoring import over_time
from offerodds.monitoring.expected import percent
from offerodds.monitoring.profile import categories
from offerodds.monitoring.result import MonitorResult
from offerodds.signals.catalogue import by_name, catalogue

__all__ = ["write_report"]

#: Signals whose values are drawn, at most.
VALUE_PANELS = 6


def _img(fig, alt: str) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, dpi=100, format="png")  # the figures lay themselves out: one draw each
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{data}' style='max-width:100%'>"


def _share(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    return counts / total if total else np.zeros(len(counts))


def _recorded_figure(result: MonitorResult):
    checks = result.checks.set_index(["signal", "check"])
    names = [s.name for s in catalogue()]
    batch = [_share(np.array([result.batch.counts[n][0], result.batch.counts[n][1:].sum()]))[1] for n in names]
    ref = [_share(np.array([result.reference.counts[n][0], result.reference.counts[n][1:].sum()]))[1] for n in names]
    moved = [bool(checks.loc[(n, "recorded"), "moved"]) for n in names]
    return recorded_chart(names, batch, ref, moved)


def _values_figure(result: MonitorResult):
    values = result.checks[(result.checks["check"] == "values") & result.checks["p"].notna()]
    chosen = values[values["moved"]]["signal"].tolist()
    title = "Values of the signals that moved"
    if not chosen:
        chosen, title = values["signal"].head(4).tolist(), "Values of the signals nearest to moving (none moved)"
    panels = []
    for name in chosen[:VALUE_PANELS]:
        signal = by_name()[name]
        panels.append(
            (name, categories(signal), _share(result.batch.counts[name][1:]), _share(result.reference.counts[name][1:]))
        )
    return title, values_chart(panels)


def _table(frame: pd.DataFrame, floats: str = "{:.4g}") -> str:
    return frame.to_html(index=False, escape=True, na_rep="-", float_format=floats.format, border=0)


def _checks_table(checks: pd.DataFrame) -> str:
    shown = pd.DataFrame(
        {
            "signal": checks["signal"],
            "check": checks["check"],
            "moved": np.where(checks["moved"], "MOVED", ""),
            "batch": checks["batch"],
            "reference": checks["reference"],
            "p": checks["p"],
            "adjusted p": checks["p_adjusted"],
            "test": checks["test"],
            "what it records": checks["question"],
        }
    )
    return _table(shown, "{:.2g}")


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    """Calibration figures as people read them: rates in per cent, plain headers."""
    out = frame.copy()
    for column in ("observed_rate", "expected_rate"):
        out[column] = out[column].map(percent)
    out["p"] = out["p"].map(lambda v: f"{v:.2g}")
    return out.rename(
        columns={
            "n": "outcomes", "observed_rate": "offers observed", "expected_rate": "offers expected",
            "log_loss": "log-loss", "brier": "Brier", "verdict": "observed against expected",
        }
    )


def _calibration_section(records: list[dict]) -> str:
    if not records:
        return (
            "<p>No retrain has checked newly labelled outcomes yet: calibration over time appears "
            "after the first retrain that brings new labels.</p>"
        )
    retrains, months = _people(over_time.per_retrain(records)), _people(over_time.per_month(records))
    chart = binned_reliability_diagram(
        over_time.reliability_curves(records), title="How the scorer in use predicted outcomes labelled later"
    )
    return (
        "<p>At every retrain, the scorer then in use had predicted the outcomes labelled at that retrain "
        "before it saw them. Observed against expected offer rate, log-loss and Brier score (lower is better); "
        "p is the chance of a gap at least this large between observed and expected offers if the "
        "probabilities were right.</p>"
        f"<h3>Per retrain</h3>{_table(retrains)}<h3>Per calendar month of labelling</h3>{_table(months)}"
        f"{_img(chart, 'reliability over time')}"
    )


def render(result: MonitorResult) -> str:
    """The report as one HTML string."""
    verdict = (
        f"<strong>Moved beyond chance: {html.escape(', '.join(result.moved_signals))}</strong>"
        if result.moved
        else "<strong>Nothing moved beyond chance.</strong>"
    )
    title, values = _values_figure(result)
    expected = html.escape(result.expected.words())
    reference_rate = ""
    if result.reference.labelled:
        ref = result.reference
        reference_rate = (
            f"<p>In the reference, {percent(ref.offers / ref.labelled)} of {ref.labelled:,} interviews with an "
            f"outcome ended in an offer; {html.escape(result.reference_expected.scorer)} gives it "
            f"{percent(result.reference_expected.rate)}.</p>"
        )
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>offerodds monitor</title>
<style>body{{font-family:sans-serif;max-width:64em;margin:2em auto;padding:0 1em}}
td,th{{padding:.2em .6em;text-align:left;vertical-align:top}}table{{border-collapse:collapse;font-size:90%}}
tr:nth-child(even){{background:#f4f4f4}}</style></head><body>
<h1>offerodds monitor</h1><p>{stamp}</p>
<p>Batch: {html.escape(result.batch_label)}.<br>Reference: {html.escape(result.reference_label)}.<br>
Scorer: {html.escape(result.scorer_label)}.</p>
<p>{verdict} Each signal is checked twice (how often it was recorded, and the values given), and the
predicted probabilities once: {result.n_checks} checks, Holm-adjusted together, so that a batch from the
reference's own population raises an alarm about {100 * result.alpha:g} % of the time (adjusted p under
{result.alpha:g}).</p>
<h2>Checks</h2>{_checks_table(result.checks)}
<h2>Signals recorded</h2>{_img(_recorded_figure(result), 'signals recorded')}
<h2>{html.escape(title)}</h2>{_img(values, 'values of signals')}
<h2>Predicted probabilities and the expected offer rate</h2>
{_img(probability_chart(result.batch.probabilities, result.reference.probabilities), 'predicted probabilities')}
<p>Expected offer rate: {expected}.</p>{reference_rate}
<h2>Calibration over time</h2>{_calibration_section(result.calibration)}
</body></html>"""


def write_report(result: MonitorResult, path: str | Path) -> Path:
    """Write the report to ``path`` (atomically); returns the path."""
    path = Path(path)
    page = render(result)
    with AtomicFile(path, suffix=".html") as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path
