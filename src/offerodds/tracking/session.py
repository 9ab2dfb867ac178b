"""Connecting to MLflow for one workspace: telemetry off, quiet logs, the user's environment kept.

The only code (with the rest of :mod:`offerodds.tracking`) that imports MLflow.
"""

from __future__ import annotations

import logging
import os
import warnings

from offerodds.io.workspace import Workspace

__all__ = ["connect", "experiment_id"]


def connect(ws: Workspace):
    """The ``mlflow`` module, pointed at the workspace's tracking store."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    import mlflow

    warnings.filterwarnings("ignore", message=".*Add type hints to the `predict` method.*")
    logging.getLogger("mlflow").setLevel(logging.WARNING)
    # set_*_uri also export MLFLOW_TRACKING_URI / MLFLOW_REGISTRY_URI, which would send every
    # later workspace of this process to this one's database: keep the user's environment
    saved = {k: os.environ.get(k) for k in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    uri = ws.tracking_uri
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    return mlflow


def experiment_id(mlflow, ws: Workspace, name: str) -> str:
    """The id of the experiment ``name``, created (artifacts inside the workspace) if new."""
    found = mlflow.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = ws.mlflow_artifacts.as_uri() if ws.tracking_uri.startswith("sqlite:") else None
    return mlflow.create_experiment(name, artifact_location=location)
