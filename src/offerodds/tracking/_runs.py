"""One retrain as an MLflow run: named for what it did ("retrain 2026-03-10: v4 promoted"), with
the offerodds version, the settings, the outcomes' digest (a dataset input without rows),
parameters, aggregate metrics, the weights as a table, the report and the model (as a pyfunc,
requirements pinned); on promotion, the model is registered with a description and the
``champion`` alias moved (:mod:`.records`). Embedded by default: the workspace's SQLite file,
unless ``$MLFLOW_TRACKING_URI`` is set. Never a user's rows.

Tracking comes after the local promotion and never undoes it: when MLflow fails (a full disk, a
locked or unwritable database), :func:`log_retrain` says what failed in one line and the
promotion stands; ``offerodds sync`` registers what the registry lacks.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from offerodds.files.faults import checkpoint
from offerodds.stores.modelfiles import version_digest
from offerodds.stores.modelstore import ModelStore
from offerodds.files.workspace import Workspace
from offerodds.tracking.pyfunc import log_pyfunc
from offerodds.tracking._records import (
    log_outcomes,
    log_settings,
    log_weights,
    package_version,
    retrain_note,
    run_name,
    version_description,
)
from offerodds.tracking._registry import mirror_alias, register, registry_name
from offerodds.tracking._session import connect, describe, experiment_id, quiet

__all__ = ["Tracked", "close_abandoned_runs", "log_retrain"]


@dataclass
class Tracked:
    """What tracking did: the run, the registry version, notes, and what failed (one line)."""

    run_id: str | None = None
    registered: str | None = None
    notes: list[str] = field(default_factory=list)
    problem: str | None = None


def _key(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_\-. /]", "_", text).replace(" ", "_").replace(",", "")


def close_abandoned_runs(mlflow, experiment: str) -> int:
    """Mark the experiment's runs still RUNNING as KILLED: called under the workspace lock,
    when no other retrain can be running, so each was left by a retrain that died (killed, or
    failing where MLflow itself could not end its run). Returns how many were closed."""
    client = mlflow.tracking.MlflowClient()
    runs = client.search_runs([experiment], filter_string="attributes.status = 'RUNNING'", max_results=1000)
    for run in runs:
        client.set_terminated(run.info.run_id, status="KILLED")
    return len(runs)


def _log_run(mlflow, ws: Workspace, config, report, decision, store: ModelStore):
    """Log the run; returns (run id, the logged model)."""
    experiment = experiment_id(mlflow, ws, config.tracking.experiment)
    close_abandoned_runs(mlflow, experiment)
    candidate = report.candidate
    with mlflow.start_run(experiment_id=experiment, run_name=run_name(report)) as run:
        mlflow.set_tags(
            {
                "offerodds.package_version": package_version(),
                "offerodds.outcomes_sha256": report.outcomes_digest,
                "mlflow.note.content": retrain_note(report),
            }
        )
        log_settings(mlflow, config)
        if report.outcomes_digest:
            log_outcomes(mlflow, report.outcome_columns, report.outcomes_digest, report.label_counts)
        info = candidate.fit_summary
        mlflow.log_params(
            {
                "prior_strength": info.prior_strength,
                "calibration_slope": info.calibration_slope,
                "card_strength": info.card_scale,
                "level_shift": info.level_shift,
                "pair_terms": len(info.terms),
                "misfit_sd": info.misfit_sd,
                "calibration": info.calibration[:250],
                "n_offers": info.n_offers,
                "n_no_offers": info.n_no_offers,
                "signals_used": len(set(candidate.feature_owner)),
                "folds": config.fit.folds,
                "calibration_method": config.fit.calibration,
                "bootstrap": config.gate.bootstrap,
                "decision": report.decision,
            }
        )
        for scorer, row in decision.table.iterrows():
            mlflow.log_metrics({f"{_key(str(scorer))}.{k}": float(v) for k, v in row.dropna().items()})
        if report.prospective:
            mlflow.log_metrics({f"prospective.{k}": float(v) for k, v in report.prospective.items()})
        if report.report_path is not None:
            mlflow.log_artifacts(str(report.report_path.parent), artifact_path="report")
        log_weights(mlflow, store.load(report.version) if report.promoted else candidate)
        if report.promoted:
            mlflow.set_tag("offerodds.version", report.version)
            logged = log_pyfunc(mlflow, store.ws.version_dir(report.version))
        else:
            with tempfile.TemporaryDirectory() as tmp:
                staging = ModelStore(Workspace(Path(tmp)))
                logged = log_pyfunc(mlflow, staging.ws.version_dir(staging.save(candidate)))
        mlflow.set_tag("offerodds.decision", report.decision)
    return run.info.run_id, logged


def log_retrain(ws: Workspace, config, report, decision, store: ModelStore) -> Tracked:
    """Log one retrain as an MLflow run; on promotion register it and move the alias.

    Call under the model store's lock, after the local promotion. Never raises for a failure
    of MLflow: ``Tracked.problem`` says what failed.
    """
    tracked = Tracked()
    try:
        with quiet():
            mlflow = connect(ws)
            tracked.run_id, logged = _log_run(mlflow, ws, config, report, decision, store)
            checkpoint("run.logged")
            if report.promoted:
                name = registry_name(ws, config.tracking.experiment)
                if name != config.tracking.experiment:
                    tracked.notes.append(
                        f"registered as {name!r}, the registered model of this workspace "
                        f"(the configuration's {config.tracking.experiment!r} names the experiment)"
                    )
                digest = version_digest(store.verify(report.version))
                how = f"{report.decision} by retrain, MLflow run {tracked.run_id}"
                described = version_description(store.load(report.version), report.version, how,
                                                 f"Outcomes learned from: sha256 {report.outcomes_digest}.")
                tracked.registered = register(mlflow, ws, name, report.version, digest, logged, described)
                tracked.notes.append(f"{report.version} registered as version {tracked.registered} of {name!r}")
                tracked.notes.append(mirror_alias(ws, report.version))
    except Exception as error:  # MLflow, SQLAlchemy, the disk: any of them; the promotion stands
        tracked.problem = describe(error)
    return tracked
