"""The retrain report: an HTML page with the comparison table, the decision, the reliability
diagram and the weight chart (PNG files beside it). Aggregates only, never a user's rows."""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds.evaluation.plots import reliability_diagram, weights_chart
from offerodds.files.workspace import Workspace
from offerodds.scoring.phrases import DISAGREES, context_note, state_effects
from offerodds.scoring.rulecard import rules
from offerodds.training.gate import readable_table

__all__ = ["write_report"]


def figures(folder: Path, y: np.ndarray, oof: dict, candidate) -> dict[str, Path]:
    """Write the reliability diagram and the weight chart; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"reliability": folder / "reliability.png", "weights": folder / "weights.png"}
    names = {
        "candidate": "offerodds model (out of fold)",
        "recalibrated_card": "rule card recalibrated (out of fold)",
        "rules": "rule card",
        "base_rate": "base rate",
    }
    reliability_diagram(y, {names[k]: v for k, v in oof.items()}, path=paths["reliability"])
    learned = state_effects(candidate, context=True)
    card = state_effects(rules(), context=True)
    marked = [f"{t} *" if d else t for t, d in zip(learned["label"], learned["disagrees"])]
    weights_chart(
        pd.Series(learned["effect"].to_numpy(), index=marked),
        pd.Series(card["effect"].to_numpy(), index=marked),
        path=paths["weights"],
        learned_name="learned from your outcomes",
        prior_name="rule card (the article)",
        note=(f"* {DISAGREES}\n" if learned["disagrees"].any() else "")
        + "Effects without any context answer; a 1 on a scale counts as much as a 5, the other way.\n"
        + context_note(candidate, rules()),
    )
    return paths


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"<img alt='{html.escape(path.stem)}' src='data:image/png;base64,{data}' style='max-width:100%'>"


def write_report(ws: Workspace, report, y: np.ndarray, oof: dict, candidate) -> tuple[Path, dict]:
    """Write ``reports/retrain-<time>/report.html`` in the workspace; returns (path, figures)."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    folder = ws.retrain_report_dir(stamp)
    paths = figures(folder, y, oof, candidate)
    prospective = ""
    if report.prospective:
        p = report.prospective
        prospective = (
            f"<p>How the scorer in use ({html.escape(report.prospective_scorer)}) predicted the "
            f"{p['n']:,} newly labelled interviews, before it saw them: log-loss {p['log_loss']:.4f}, "
            f"Brier {p['brier']:.4f}, AUC {p['roc_auc']:.3f}, ECE {p['ece']:.4f}.</p>"
        )
    info = candidate.fit_summary
    disagreement = ""
    if report.disagreements:
        items = "".join(f"<li>{html.escape(d)}</li>" for d in report.disagreements)
        disagreement = f"<h2>Where your outcomes disagree with the article</h2><ul>{items}</ul>"
    form = ""
    if info.holdout_check:
        from offerodds.training.misfit import form_lines

        form = "<h2>Beyond the card's form, and a held-out check</h2><pre>" + html.escape("\n".join(form_lines(info))) + "</pre>"
    served_instead = ""
    if report.served_instead:
        served_instead = (
            "<p><strong>Served instead of the learned model: "
            f"{html.escape(report.served_instead)}</strong> (the weights chart below shows the "
            "learned model, which the gate did not promote).</p>"
        )
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>offerodds retrain</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}td,th{{padding:.2em .6em}}</style>
</head><body><h1>offerodds retrain</h1>
{''.join(f'<p>{html.escape(line)}</p>' for line in report.summary())}
<h2>The figures behind it</h2>
<p><strong>Decision: {html.escape(report.decision)}</strong>. Now serving: {html.escape(report.serving)}.</p>
<ul>{''.join(f'<li>{html.escape(r)}</li>' for r in report.reasons)}</ul>
<p>Outcome store: {report.store_rows_after:,} interviews. The learned model was trained on
{info.n_offers} offers and {info.n_no_offers} no-offers: the card's points times
{info.card_scale:.2f} overall, its level moved by {info.level_shift:+.2f} log-odds, and the
relative weights kept close to the card's with a prior strength of {info.prior_strength:.3g}
(from 10, free to follow the outcomes, to 10,000, held to the card's).</p>
{served_instead}
{prospective}
{disagreement}
{form}
<h2>Each model on interviews it had not learned from (out of fold)</h2>
<p>Log-loss and Brier: lower is better. ECE: the average gap between predicted and observed
offer rates, lower is better. AUC: how often an offer was ranked above a no offer (0.5 is
chance).</p>{readable_table(report.table).to_html()}
<h2>Reliability</h2>{_img(paths['reliability'])}
<h2>Learned weights beside the rule card's</h2>{_img(paths['weights'])}
</body></html>"""
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    return path, paths
