"""The retrain pipeline: labelled files in, outcome store updated, a candidate judged, perhaps
promoted, everything tracked. It wires the steps of :mod:`offerodds.nodes` and does the I/O.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds import nodes
from offerodds.config import RetrainConfig, load_config
from offerodds.labels import training_target
from offerodds.metrics import evaluate
from offerodds.model import FitError, fit_arrays
from offerodds.modelstore import ModelStore
from offerodds.outcomes import OutcomeStore, merge, store_rows
from offerodds.serving import serving
from offerodds.training_data import read_labelled
from offerodds.workspace import Workspace


@dataclass
class RetrainReport:
    """What a retrain did, for a person (``str(report)``) and for code."""

    workspace: Path
    rows_read: int = 0
    rows_rejected: int = 0
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    store_rows_before: int = 0
    store_rows_after: int = 0
    label_counts: dict = field(default_factory=dict)
    prospective: dict | None = None
    prospective_scorer: str = ""
    table: pd.DataFrame | None = None
    decision: str = "not trained"
    reasons: list[str] = field(default_factory=list)
    promoted: bool = False
    version: str | None = None
    serving: str = ""
    candidate: object = None
    run_id: str | None = None
    report_path: Path | None = None
    figures: dict = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [
            f"labelled rows read: {self.rows_read:,}, rejected: {self.rows_rejected:,}",
            f"outcome store: {self.store_rows_before:,} -> {self.store_rows_after:,} interviews "
            f"({self.label_counts.get('offer', 0)} offers, {self.label_counts.get('no_offer', 0)} no-offers)",
        ]
        if self.prospective:
            p = self.prospective
            lines.append(
                f"how the scorer in use ({self.prospective_scorer}) predicted the {p['n']} newly "
                f"labelled interviews: log-loss {p['log_loss']:.4f}, Brier {p['brier']:.4f}, "
                f"AUC {p['roc_auc']:.3f}"
            )
        if self.table is not None:
            lines += ["", "out-of-fold comparison on the outcome store:", self.table.round(4).to_string(), ""]
        lines.append(f"decision: {self.decision}")
        lines += [f"  - {r}" for r in self.reasons]
        lines.append(f"now serving: {self.serving}")
        if self.report_path:
            lines.append(f"report: {self.report_path}")
        if self.run_id:
            lines.append(f"MLflow run: {self.run_id}")
        return "\n".join(lines)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _target(frame: pd.DataFrame) -> np.ndarray:
    return training_target(frame["outcome"])


def retrain(
    labelled=(),
    *,
    workspace=None,
    force: bool = False,
    config: RetrainConfig | str | Path | None = None,
) -> RetrainReport:
    """Merge labelled outcomes into the workspace's store, fit and judge a candidate, and
    promote it only if it is clearly better (or ``force``).

    Parameters
    ----------
    labelled : path, DataFrame, or a list of them
        Labelled interviews (an ``outcome`` column). Empty: retrain on the store as it is.
    workspace : path or Workspace, optional
    force : bool
        Promote the candidate whatever the gate says.
    config : RetrainConfig or path to a TOML file, optional

    Returns
    -------
    RetrainReport
    """
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    if not isinstance(config, RetrainConfig):
        config = load_config(config)
    if isinstance(labelled, (str, Path, pd.DataFrame)):
        labelled = [labelled]
    report = RetrainReport(workspace=ws.root)
    store = ModelStore(ws)
    outcomes = OutcomeStore(ws)
    with store.lock():
        now = _now()
        new_parts, rejects = [], []
        for source in labelled:
            data = read_labelled(source)
            name = str(source) if isinstance(source, (str, Path)) else "<frame>"
            rejects.append(data.problems.assign(file=name))
            report.rows_read += len(data.raw)
            report.rows_rejected += int((~data.valid).sum())
            new_parts.append(store_rows(data, now))
        report.rejects = pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame()
        new = pd.concat(new_parts, ignore_index=True) if new_parts else None

        current = serving(ws)
        report.prospective_scorer = f"{current.scorer.kind} {current.scorer.version}"
        before = outcomes.read()
        report.store_rows_before = len(before)
        after = merge(before, new) if new is not None else before
        if new is not None:
            outcomes.write(after)
            # the honest, prospective check: interviews whose label was given now, scored by
            # the scorer people have been using, which never saw these outcomes
            fresh = after[(after["labelled_at"].astype("string") == now).fillna(False).to_numpy(dtype=bool)]
            y_new = _target(fresh)
            known = np.isfinite(y_new)
            if known.any() and len(np.unique(y_new[known])) == 2:
                p = nodes.predict(current.scorer, OutcomeStore.typed(fresh[known]))
                report.prospective = evaluate(y_new[known], p)
        report.store_rows_after = len(after)

        y_all = _target(after)
        trainable = after[np.isfinite(y_all)].reset_index(drop=True)
        y = y_all[np.isfinite(y_all)]
        report.label_counts = {"offer": int((y == 1).sum()), "no_offer": int((y == 0).sum())}
        report.serving = f"{current.scorer.kind} {current.scorer.version} ({current.reason})"
        minimum = config.fit.min_outcomes_per_class
        if min(report.label_counts.values()) < minimum:
            report.decision = "not trained"
            report.reasons = [
                f"too few outcomes to learn from: {report.label_counts['offer']} offers and "
                f"{report.label_counts['no_offer']} no-offers; at least {minimum} of each are needed. "
                "Label more interviews and retrain."
            ]
            return report

        typed = OutcomeStore.typed(trainable)
        app = trainable["application_id"].astype("string")
        groups = app.fillna(trainable["interview_id"].astype("string")).to_numpy(dtype=object)
        try:
            candidate = fit_arrays(typed, y, groups, config.fit)
        except FitError as error:
            report.decision = "not promoted"
            report.reasons = [str(error)]
            return report
        candidate.info["trained_through"] = now
        candidate.info["n_store_rows"] = int(len(after))
        report.candidate = candidate
        oof = nodes.out_of_fold(typed, y, groups, config.fit, candidate)

        champion_p = unseen = None
        if current.scorer.kind == "model":
            champion_p = nodes.predict(current.scorer, typed)
            since = current.scorer.info.get("trained_through", "")
            unseen = (trainable["labelled_at"].astype("string").fillna("") > since).to_numpy()
        decision = nodes.judge(y, oof, config.gate, champion_p, unseen, seed=config.fit.random_state)
        report.table = decision.table
        report.reasons = decision.reasons
        promote = decision.promote or force
        if force and not decision.promote:
            report.reasons.append("--force: promoted although the gate said no")
        metrics = {name: row.dropna().to_dict() for name, row in decision.table.iterrows()}
        if promote:
            version = store.save(candidate, metrics=metrics, extra={"decision": report.reasons})
            store.set_champion(version, "promoted by retrain" + (" (--force)" if force else ""))
            report.version, report.promoted = version, True
            report.decision = f"promoted as {version}"
            report.serving = f"model {version}"
        else:
            report.decision = "not promoted"

        from offerodds.report import write_report

        report.report_path, report.figures = write_report(ws, report, y, oof, candidate)
        if config.tracking.enabled:
            from offerodds.tracking import log_retrain

            report.run_id = log_retrain(ws, config, report, decision, store)
    return report
