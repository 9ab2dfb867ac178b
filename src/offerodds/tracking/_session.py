"""Connecting to MLflow for one workspace: telemetry off, quiet logs, the user's environment kept,
and a moved or copied workspace's recorded locations repaired (:mod:`.relocation`).

The only code (with the rest of :mod:`offerodds.tracking`) that imports MLflow. MLflow's own
warnings and messages ("Successfully registered model", "Add type hints to the predict
method") are kept out of the terminal and the notebook while offerodds calls it
(:func:`quiet`), unless ``OFFERODDS_MLFLOW_MESSAGES`` is set (``offerodds --debug`` sets it).
"""

from __future__ import annotations

import contextlib
import logging
import os
import warnings

from offerodds.files.workspace import Workspace
from offerodds.tracking._relocation import relocate

__all__ = ["MESSAGES_VARIABLE", "connect", "describe", "experiment_id", "quiet"]

MESSAGES_VARIABLE = "OFFERODDS_MLFLOW_MESSAGES"


@contextlib.contextmanager
def quiet():
    """While offerodds talks to MLflow: none of MLflow's error logs (a traceback of
    SQLAlchemy's, for instance: offerodds says what failed in one line, :func:`describe`), event
    messages or warnings, unless ``$OFFERODDS_MLFLOW_MESSAGES`` asks for them."""
    if os.environ.get(MESSAGES_VARIABLE, "").strip().lower() not in ("", "0", "false", "no"):
        yield
        return
    import mlflow  # noqa: F401  (importing it configures its loggers: first, so this lasts)

    logger = logging.getLogger("mlflow")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    with warnings.catch_warnings(), _mlflow_events_off():
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            # MLflow's decorators reset the filters ("once" for UserWarning), so drop by origin
            name = str(filename)
            if f"{os.sep}mlflow{os.sep}" in name or name.endswith("mlflow_model.py"):
                return
            shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        try:
            yield
        finally:
            logger.setLevel(level)


@contextlib.contextmanager
def _mlflow_events_off():
    """MLflow's event messages ("Successfully registered model ...") off, counted the way
    MLflow counts its own: a nested MLflow call that switches them back on when it ends does
    not switch them on under us."""
    try:
        from mlflow.utils.autologging_utils import MlflowEventsAndWarningsBehaviorGlobally
    except ImportError:  # another MLflow: switch the stream off, knowing MLflow may turn it on
        from mlflow.utils.logging_utils import MLFLOW_LOGGING_STREAM

        enabled = MLFLOW_LOGGING_STREAM.enabled
        MLFLOW_LOGGING_STREAM.enabled = False
        try:
            yield
        finally:
            MLFLOW_LOGGING_STREAM.enabled = enabled
        return
    with MlflowEventsAndWarningsBehaviorGlobally(
        disable_event_logs=True, disable_warnings=True, reroute_warnings=False
    ):
        yield


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
