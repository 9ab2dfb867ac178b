"""``monitor``: a batch of interviews against a reference, wired end to end. It chooses the
reference and the scorer, profiles both (:mod:`~offerodds.monitoring.profile`), runs the checks
(:mod:`~offerodds.monitoring.drift`), reads calibration over time, and at the edge writes the
report and logs to MLflow when the workspace tracks.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds.errors import FileClash, InputError, NoReference, warn
from offerodds.usecases._score import CHUNK_ROWS
from offerodds.stores.calibration_log import CalibrationLog
from offerodds.stores.outcomes import OutcomeStore
from offerodds.files.atomic import check_distinct
from offerodds.files.reading import iter_validated, open_table
from offerodds.stores.serving import serving
from offerodds.files.workspace import Workspace
from offerodds.monitoring.drift import compare
from offerodds.monitoring.expected import expected_rate, scorer_name
from offerodds.monitoring.profile import Profile, ProfileBuilder
from offerodds.reports.monitor import write_report
from offerodds.monitoring.result import MonitorResult
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.labels import normalise_outcomes, training_target
from offerodds.config import RetrainConfig, load_config

__all__ = ["NoReference", "monitor", "profile_table", "workspace_reference"]


def profile_table(data, scorer: LinearScorer, *, encoding: str | None = None, chunk_rows: int = CHUNK_ROWS) -> Profile:
    """Profile a table of interviews chunk by chunk; rows with problems are left out and
    counted, as ``offerodds score`` rejects them."""
    table = open_table(data, encoding=encoding)
    builder = ProfileBuilder(scorer)
    for chunk in iter_validated(table, chunk_rows):
        valid = chunk.checked.valid
        outcome = None
        if "outcome" in table.colmap:
            outcome = normalise_outcomes(chunk.raw[table.colmap["outcome"]])[valid]
        builder.add(chunk.checked.typed[valid], int((~valid).sum()), outcome)
    return builder.finish()


def workspace_reference(ws: Workspace, scorer: LinearScorer) -> tuple[pd.DataFrame, str, str]:
    """The outcome-store rows to compare with, what they are in words, and their kind.

    With a champion model serving: the rows it learned from (labelled offer or no-offer by the
    time it was trained). Otherwise the whole outcome store. Raises :class:`NoReference` when
    there are none.
    """
    store = OutcomeStore(ws).read()
    if scorer.kind == "model":
        since = scorer.fit_summary.trained_through if scorer.fit_summary is not None else ""
        rows = store[np.isfinite(training_target(store["outcome"]))]
        if since:
            rows = rows[(rows["labelled_at"].astype("string").fillna("") <= since).to_numpy(dtype=bool)]
        if rows.empty:
            raise NoReference(
                f"no reference to compare with: the outcomes champion {scorer.version} learned from are no "
                f"longer in the outcome store ({ws.outcome_store}); give a reference file (--reference FILE)"
            )
        return rows, f"the {len(rows):,} interviews champion {scorer.version} learned from", "champion"
    if store.empty:
        raise NoReference(
            f"no reference to compare with: no champion model and no outcome store in {ws.root}; "
            "give a reference file (--reference FILE), e.g. interviews like those the scorer should expect"
        )
    return store, f"the {len(store):,} interviews of the outcome store (no champion model)", "outcome store"


def _label(data, profile: Profile) -> str:
    name = str(data) if isinstance(data, (str, Path)) else "the data given"
    left = profile.left_out
    problems = f" ({left:,} row{'s' if left != 1 else ''} with problems left out)" if left else ""
    return f"{profile.rows:,} interview{'s' if profile.rows != 1 else ''} from {name}{problems}"


def monitor(
    data,
    *,
    reference=None,
    report: str | Path | None = None,
    workspace=None,
    config: RetrainConfig | str | Path | None = None,
    encoding: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> MonitorResult:
    """Compare a batch of interviews with a reference; see :func:`offerodds.api.monitor`."""
    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    config = config if isinstance(config, RetrainConfig) else load_config(config)
    inputs = [Path(p).resolve() for p in (data, reference) if isinstance(p, (str, Path))]
    if report is not None and Path(report).resolve() in inputs:
        raise FileClash(f"the report would overwrite {report}, which it reads; choose another report file")
    chosen = serving(ws)
    scorer = chosen.scorer
    if reference is None:
        rows, reference_label, kind = workspace_reference(ws, scorer)
        builder = ProfileBuilder(scorer)
        builder.add(OutcomeStore.typed(rows), 0, rows["outcome"])
        reference_profile = builder.finish()
    else:
        reference_profile = profile_table(reference, scorer, encoding=encoding, chunk_rows=chunk_rows)
        reference_label, kind = _label(reference, reference_profile), "file"
        if not reference_profile.rows:
            what = reference if isinstance(reference, (str, Path)) else "given"
            raise NoReference(f"the reference {what} has no interview without problems")
    batch = profile_table(data, scorer, encoding=encoding, chunk_rows=chunk_rows)
    if not batch.rows:
        what = f"{batch.left_out:,} rows, all with problems" if batch.left_out else "no rows"
        raise InputError(f"nothing to monitor: {data if isinstance(data, (str, Path)) else 'the data'} has {what}")
    settings = config.monitor
    result = MonitorResult(
        checks=compare(
            reference_profile, batch, alpha=settings.alpha, resamples=settings.resamples, seed=settings.random_state
        ),
        batch=batch,
        reference=reference_profile,
        batch_label=_label(data, batch),
        scorer_label=f"{scorer_name(scorer.kind, scorer.version)} ({chosen.reason})",
        reference_label=reference_label,
        reference_kind=kind,
        expected=expected_rate(batch, scorer),
        reference_expected=expected_rate(reference_profile, scorer),
        calibration=CalibrationLog(ws).read(),
        alpha=settings.alpha,
    )
    if report is not None:
        result = replace(result, report_path=write_report(result, report))
    if config.tracking.enabled and ws.tracking_in_use:
        result = _track(ws, config, result)
    return result


def _track(ws: Workspace, config: RetrainConfig, result: MonitorResult) -> MonitorResult:
    """Log the figures and the report to MLflow (the edge: the only MLflow call of monitoring).
    A failure to log is a warning: the checks stand without it."""
    from offerodds.tracking import log_monitor

    with tempfile.TemporaryDirectory() as tmp:
        path = result.report_path or write_report(result, Path(tmp) / "monitor.html")
        tracked = log_monitor(ws, config.tracking.experiment, result, path)
    if tracked.problem:
        warn(f"the monitor run was not logged to MLflow: {tracked.problem}")
    return replace(result, run_id=tracked.run_id)


def default_report(path: Path) -> Path:
    """Where the report goes without ``--report``: ``<IN stem>.monitor.html`` beside IN."""
    return path.with_name(f"{path.stem}.monitor.html")


def monitor_file(source, *, reference=None, report=None, workspace=None, config=None, encoding: str | None = None):
    """:func:`monitor` for a file, its report beside it by default; what is read is never
    overwritten by the report."""
    source = Path(source)
    report = Path(report) if report else default_report(source)
    for read in ({"the input": source}, {"the reference": reference}):
        check_distinct({**read, "the report": report})
    return monitor(
        source,
        reference=Path(reference) if reference else None,
        report=report,
        workspace=workspace,
        config=config,
        encoding=encoding,
    )
