"""One ``offerodds monitor`` as an MLflow run: its figures as metrics, the calibration log as
metrics over retrains (one step each), and the HTML report as an artifact. Aggregates only,
never an interview. Runs go to their own experiment (``<experiment>-monitor``), beside the
retrains rather than among them."""

from __future__ import annotations

from pathlib import Path

from offerodds.files.workspace import Workspace
from offerodds.tracking._runs import Tracked
from offerodds.tracking._session import connect, describe, experiment_id, quiet

__all__ = ["MONITOR_SUFFIX", "log_monitor"]

MONITOR_SUFFIX = "-monitor"


def _clean(metrics: dict[str, float]) -> dict[str, float]:
    """MLflow metric names: letters, digits, ``_ - . /`` and spaces."""
    import re

    return {re.sub(r"[^0-9A-Za-z_\-. /]", "_", k): float(v) for k, v in metrics.items()}


def log_monitor(ws: Workspace, experiment: str, result, report: Path) -> Tracked:
    """Log ``result`` (a :class:`~offerodds.monitoring.result.MonitorResult`) and its report.

    Never raises for a failure of MLflow: ``Tracked.problem`` says what failed (one line), and
    the checks stand without the run.
    """
    tracked = Tracked()
    try:
        with quiet():
            tracked.run_id = _log_run(connect(ws), ws, experiment, result, report)
    except Exception as error:  # MLflow, SQLAlchemy, the disk: any of them
        tracked.problem = describe(error)
    return tracked


def _log_run(mlflow, ws: Workspace, experiment: str, result, report: Path) -> str:
    where = experiment_id(mlflow, ws, experiment + MONITOR_SUFFIX)
    with mlflow.start_run(experiment_id=where, run_name="monitor") as run:
        mlflow.log_params(
            {
                "reference": result.reference_kind,
                "scorer": result.expected.scorer,
                "alpha": result.alpha,
                "checks": result.n_checks,
            }
        )
        mlflow.log_metrics(_clean(result.metrics()))
        for step, row in enumerate(result.per_retrain().itertuples()):
            mlflow.log_metrics(
                {
                    "calibration.outcomes": row.n,
                    "calibration.observed_rate": row.observed_rate,
                    "calibration.expected_rate": row.expected_rate,
                    "calibration.log_loss": row.log_loss,
                    "calibration.brier": row.brier,
                },
                step=step,
            )
        mlflow.log_artifact(str(report), artifact_path="report")
        mlflow.set_tag("offerodds.moved", ", ".join(result.moved_signals) or "nothing")
    return run.info.run_id
