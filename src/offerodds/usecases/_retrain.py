"""The retrain pipeline: labelled files in, outcome store updated, a candidate judged, perhaps
promoted, everything tracked. Wiring only: it calls the steps (:mod:`offerodds.training.gate`,
:func:`offerodds.stores.outcomes.merge`, :func:`offerodds.training.fit.fit_arrays`) and does the
I/O and the tracking at the edge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from offerodds.files.arrow import is_table_like
from offerodds.stores.calibration_log import CalibrationLog
from offerodds.files.cleanup import remove_stale_in_workspace
from offerodds.stores.labelled import read_labelled
from offerodds.stores.modelstore import ModelStore, StoreError
from offerodds.stores.outcomes import OutcomeStore, labelled_now, merge, store_rows, training_set
from offerodds.reports.retrain import write_report
from offerodds.stores.serving import serving
from offerodds.files.workspace import Workspace
from offerodds.scoring.agreement import describe, disagreements
from offerodds.scoring.rulecard import rules
from offerodds.tracking import log_retrain, outcomes_digest
from offerodds.training import gate
from offerodds.training.calibration import recalibrated_card
from offerodds.config import RetrainConfig, load_config
from offerodds.training.fit import FitError, fit_arrays

__all__ = ["RetrainReport", "retrain"]


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
    prospective_sums: dict | None = None
    table: pd.DataFrame | None = None
    decision: str = "not trained"
    reasons: list[str] = field(default_factory=list)
    promoted: bool = False
    version: str | None = None
    serving: str = ""
    served_instead: str = ""  # how the recalibrated card was fitted, when it is promoted instead
    candidate: object = None
    run_id: str | None = None
    registered: str | None = None
    tracking_notes: list[str] = field(default_factory=list)
    tracking_problem: str | None = None
    report_path: Path | None = None
    figures: dict = field(default_factory=dict)
    disagreements: list[str] = field(default_factory=list)
    outcomes_digest: str = ""  # SHA-256 of the outcomes learned from (signal values and labels)
    outcome_columns: list[str] = field(default_factory=list)

    @property
    def tracking_warning(self) -> str | None:
        """One line when MLflow failed: what stands locally, what lags, and the repair."""
        if self.tracking_problem is None:
            return None
        if self.promoted:
            return (
                f"promoted {self.version} locally; the registry was not updated: {self.tracking_problem}; "
                "`offerodds sync` repairs it"
            )
        return f"the MLflow run was not recorded: {self.tracking_problem}"

    def __str__(self) -> str:
        lines = [
            f"labelled rows read: {self.rows_read:,}, rejected: {self.rows_rejected:,}",
            f"outcome store: {self.store_rows_before:,} -> {self.store_rows_after:,} interviews "
            f"({self.label_counts.get('offer', 0)} offers, {self.label_counts.get('no_offer', 0)} no-offers)",
        ]
        if self.prospective:
            p = self.prospective
            lines.append(
                f"how the scorer in use ({self.prospective_scorer}) predicted the {p['n']:,} newly "
                f"labelled interviews: log-loss {p['log_loss']:.4f}, Brier {p['brier']:.4f}, "
                f"AUC {p['roc_auc']:.3f}"
            )
        if self.table is not None:
            lines += ["", "out-of-fold comparison on the outcome store (lower log-loss, Brier and ECE are better):",
                      gate.readable_table(self.table).to_string(), ""]
        if self.disagreements:
            lines.append("where the outcomes disagree with the article (the learned model's reading):")
            lines += [f"  - {d}" for d in self.disagreements]
        lines.append(f"decision: {self.decision}")
        lines += [f"  - {r}" for r in self.reasons]
        lines.append(f"now serving: {self.serving}")
        if self.report_path:
            lines.append(f"report: {self.report_path}")
        if self.run_id:
            lines.append(f"MLflow run: {self.run_id}")
        lines += self.tracking_notes
        if self.tracking_warning:
            lines.append(self.tracking_warning)
        return "\n".join(lines)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _recalibrated(train, now: str, n_store_rows: int):
    """The rule card recalibrated on every trainable outcome, ready to be stored."""
    scorer = recalibrated_card(train.typed, train.y)
    scorer.fit_summary.trained_through, scorer.fit_summary.n_store_rows = now, n_store_rows
    return scorer


def _ingest(sources, now: str, report: RetrainReport) -> pd.DataFrame | None:
    """Read and validate every labelled source; the store's new rows (None when no source)."""
    if isinstance(sources, (str, Path, pd.DataFrame, dict)) or is_table_like(sources):
        sources = [sources]  # one table (a Polars or Arrow table, a DuckDB relation), not a list
    parts, rejects = [], []
    for source in sources:
        data = read_labelled(source)
        name = str(source) if isinstance(source, (str, Path)) else f"<{type(source).__name__}>"
        rejects.append(data.problems.assign(file=name))
        report.rows_read += len(data.raw)
        report.rows_rejected += int((~data.valid).sum())
        parts.append(store_rows(data, now))
    report.rejects = pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame()
    return pd.concat(parts, ignore_index=True) if parts else None


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
    labelled : path, table, or a list of them
        Labelled interviews (an ``outcome`` column): a CSV or Parquet file, a pandas or Polars
        DataFrame, a Polars LazyFrame, a pyarrow Table or RecordBatchReader, a DuckDB relation.
        Empty: retrain on the store as it is.
    workspace : path or Workspace, optional
    force : bool
        Promote the candidate whatever the gate says.
    config : RetrainConfig or path to a TOML file, optional

    Returns
    -------
    RetrainReport
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    config = config if isinstance(config, RetrainConfig) else load_config(config)
    report = RetrainReport(workspace=ws.root)
    store, outcomes = ModelStore(ws), OutcomeStore(ws)
    with store.lock():
        remove_stale_in_workspace(ws)  # what killed runs left: temporary stores, staging folders
        now = _now()
        new = _ingest(labelled, now, report)
        current = serving(ws)
        report.prospective_scorer = current.scorer.title
        report.serving = f"{current.scorer.kind} {current.scorer.version} ({current.reason})"
        before = outcomes.read()
        after = merge(before, new) if new is not None else before
        report.store_rows_before, report.store_rows_after = len(before), len(after)
        if new is not None:
            outcomes.write(after)
            # the honest, prospective check: interviews whose label was given now, scored by
            # the scorer people have been using, which never saw these outcomes
            fresh, fresh_y = labelled_now(after, now)
            report.prospective = gate.prospective(current.scorer, fresh, fresh_y)
            # kept as aggregates, for calibration over time (offerodds monitor, status)
            report.prospective_sums = gate.prospective_sums(current.scorer, fresh, fresh_y, now)
            if report.prospective_sums is not None:
                CalibrationLog(ws).append(report.prospective_sums)

        train = training_set(after)
        report.label_counts = train.label_counts
        report.outcomes_digest = outcomes_digest(train.typed, train.y)  # MLflow's record of what it learned from
        report.outcome_columns = [str(c) for c in train.typed.columns]
        minimum = config.fit.min_outcomes_per_class
        if min(report.label_counts.values()) < minimum:
            report.reasons = [
                f"too few outcomes to learn from: {report.label_counts['offer']} offers and "
                f"{report.label_counts['no_offer']} no-offers; at least {minimum} of each are needed. "
                "Label more interviews and retrain."
            ]
            return report
        try:
            candidate = fit_arrays(train.typed, train.y, train.groups, config.fit)
        except FitError as error:
            report.decision, report.reasons = "not promoted", [str(error)]
            return report
        candidate.fit_summary.trained_through = now
        candidate.fit_summary.n_store_rows = len(after)
        report.candidate = candidate
        report.disagreements = [describe(r) for r in disagreements(candidate, rules())]

        oof = gate.out_of_fold(train.typed, train.y, train.groups, config.fit, candidate)
        champion_p = unseen = None
        if current.scorer.kind == "model":
            champion_p = gate.predict(current.scorer, train.typed)
            unseen = gate.unseen_by(current.scorer, train.labelled_at)
        decision = gate.judge(train.y, oof, config.gate, champion_p, unseen, seed=config.fit.random_state)
        report.table, report.reasons = decision.table, decision.reasons
        chosen = decision.chosen or (gate.CANDIDATE if force else None)
        if force and not decision.promote:
            report.reasons.append("--force: the learned model promoted although the gate said no")
        report.decision = "not promoted"
        if chosen is not None:
            served = candidate if chosen == gate.CANDIDATE else _recalibrated(train, now, len(after))
            if served is not candidate:
                report.served_instead = served.fit_summary.calibration
            metrics = {name: row.dropna().to_dict() for name, row in decision.table.iterrows()}
            try:
                version = store.save(served, metrics=metrics, extra={"decision": report.reasons, "chosen": chosen})
            except StoreError as error:  # it would not load back: it never serves
                report.reasons.append(f"the chosen model cannot be stored: {error}")
            else:
                store.set_champion(version, "promoted by retrain" + (" (--force)" if force else ""))
                report.version, report.promoted = version, True
                what = "" if chosen == gate.CANDIDATE else " (the rule card recalibrated)"
                report.decision, report.serving = f"promoted as {version}{what}", f"model {version}{what}"

        try:
            report.report_path, report.figures = write_report(ws, report, train.y, oof, candidate)
        except Exception as error:  # after a promotion nothing may fail the command: say it
            report.reasons.append(f"the retrain report could not be written: {type(error).__name__}: {error}")
        if config.tracking.enabled:
            # after the local promotion, and never undoing it: a failure is said, not raised
            tracked = log_retrain(ws, config, report, decision, store)
            report.run_id, report.registered = tracked.run_id, tracked.registered
            report.tracking_notes, report.tracking_problem = tracked.notes, tracked.problem
    return report
