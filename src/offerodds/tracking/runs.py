"""One retrain as an MLflow run: parameters, aggregate metrics, the report and the model (as a
pyfunc); on promotion, the model is registered and the ``champion`` alias moved. Embedded by
default: the workspace's SQLite file, unless ``$MLFLOW_TRACKING_URI`` is set. Never a user's
rows."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from offerodds.io.modelstore import ModelStore
from offerodds.io.workspace import CHAMPION_ALIAS, Workspace
from offerodds.tracking.pyfunc import log_pyfunc
from offerodds.tracking.registry import record_alias, record_version
from offerodds.tracking.session import connect, experiment_id, quiet

__all__ = ["log_retrain"]


def _key(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_\-. /]", "_", text).replace(" ", "_").replace(",", "")


def log_retrain(ws: Workspace, config, report, decision, store: ModelStore) -> str:
    """Log one retrain as an MLflow run; on promotion register it and move the alias."""
    with quiet():
        return _log(ws, config, report, decision, store)


def _log(ws: Workspace, config, report, decision, store: ModelStore) -> str:
    mlflow = connect(ws)
    experiment = experiment_id(mlflow, ws, config.tracking.experiment)
    candidate = report.candidate
    with mlflow.start_run(experiment_id=experiment) as run:
        info = candidate.fit
        mlflow.log_params(
            {
                "prior_strength": info.prior_strength,
                "calibration_slope": info.calibration_slope,
                "calibration": info.calibration[:250],
                "n_offers": info.n_offers,
                "n_no_offers": info.n_no_offers,
                "signals_used": len(set(candidate.feature_owner)),
                "folds": config.fit.folds,
                "selection": config.fit.selection,
                "bootstrap": config.gate.bootstrap,
                "decision": report.decision,
            }
        )
        for scorer, row in decision.table.iterrows():
            mlflow.log_metrics({f"{_key(str(scorer))}.{k}": float(v) for k, v in row.dropna().items()})
        if report.prospective:
            mlflow.log_metrics({f"prospective.{k}": float(v) for k, v in report.prospective.items()})
        mlflow.log_artifacts(str(report.report_path.parent), artifact_path="report")
        if report.promoted:
            folder = store.ws.version_dir(report.version)
            logged = log_pyfunc(mlflow, folder)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                staging = ModelStore(Workspace(Path(tmp)))
                version = staging.save(candidate)
                logged = log_pyfunc(mlflow, staging.ws.version_dir(version))
        mlflow.set_tag("offerodds.decision", report.decision)
    if report.promoted:
        registered = mlflow.register_model(logged.model_uri, config.tracking.experiment)
        client = mlflow.MlflowClient()
        client.set_registered_model_alias(config.tracking.experiment, CHAMPION_ALIAS, registered.version)
        record_version(ws, config.tracking.experiment, report.version, str(registered.version))
        record_alias(ws, report.version, str(registered.version))
    return run.info.run_id
