"""Connecting to MLflow for one workspace: telemetry off, quiet logs, the user's environment kept,
and a moved or copied workspace's recorded locations repaired (:mod:`.relocation`).

The only code (with the rest of :mod:`offerodds.tracking`) that imports MLflow.
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings

from offerodds.io.workspace import Workspace
from offerodds.tracking.relocation import relocate

__all__ = ["connect", "describe", "experiment_id", "quiet"]


def connect(ws: Workspace):
    """The ``mlflow`` module, pointed at the workspace's tracking store."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    relocate(ws)
    import mlflow

    warnings.filterwarnings("ignore", message=".*Add type hints to the `predict` method.*")
    logger = logging.getLogger("mlflow")
    if logger.getEffectiveLevel() < logging.WARNING:  # inside quiet() it stays off
        logger.setLevel(logging.WARNING)
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


@contextlib.contextmanager
def quiet():
    """MLflow's own error logs off (a traceback of SQLAlchemy's, for instance): offerodds says
    what failed in one line (:func:`describe`) instead."""
    import mlflow  # noqa: F401  (importing it configures its loggers: first, so this lasts)

    logger = logging.getLogger("mlflow")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


def describe(error: BaseException) -> str:
    """One line saying what went wrong in MLflow (the innermost cause, its first line)."""
    inner = error
    while inner.__cause__ is not None and inner.__cause__ is not inner:
        inner = inner.__cause__
    lines = [line.strip() for line in str(inner).splitlines() if line.strip()]
    text = next((line for line in lines if not line.startswith("(raised as a result of")), "")
    text = text if len(text) <= 200 else text[:197] + "..."
    return f"{type(inner).__name__}: {text}" if text else type(inner).__name__


def experiment_id(mlflow, ws: Workspace, name: str) -> str:
    """The id of the experiment ``name``, created (artifacts inside the workspace) if new."""
    found = mlflow.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = ws.mlflow_artifacts.as_uri() if ws.tracking_uri.startswith("sqlite:") else None
    return mlflow.create_experiment(name, artifact_location=location)
