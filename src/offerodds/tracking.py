"""MLflow tracking and registry for retraining: the only module (with ``mlflow_model``) that
imports MLflow. Embedded by default: the workspace's SQLite file, unless
``$MLFLOW_TRACKING_URI`` is set. Runs get parameters, aggregate metrics, figures, the HTML
report and the model as a pyfunc with a synthetic input example: never a user's rows."""

from __future__ import annotations

import json
import os
import re
import tempfile
from importlib import resources
from pathlib import Path

from offerodds.modelstore import ModelStore, write_json_atomic
from offerodds.workspace import CHAMPION_ALIAS, Workspace


def _mlflow(ws: Workspace):
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    import logging
    import warnings

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


def _experiment(mlflow, ws: Workspace, name: str) -> str:
    found = mlflow.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = ws.mlflow_artifacts.as_uri() if ws.tracking_uri.startswith("sqlite:") else None
    return mlflow.create_experiment(name, artifact_location=location)


def _key(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z_\-. /]", "_", text).replace(" ", "_").replace(",", "")


def synthetic_example(n: int = 5):
    """A small synthetic input example with the canonical signal columns (no user data)."""
    from offerodds.catalogue import input_columns
    from offerodds.synthetic import generate

    return generate(n, seed=12345)[list(input_columns())].astype(
        {c: "float64" for c in _numeric_columns()}
    )


def _numeric_columns() -> list[str]:
    from offerodds.catalogue import column_kinds

    return [c for c, kind in column_kinds().items() if kind in ("scale", "minutes")]


def signature():
    """Canonical signal columns in (all optional), result columns out."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, DataType, Schema

    from offerodds.catalogue import input_columns
    from offerodds.scoring import result_columns

    numeric = set(_numeric_columns())
    inputs = Schema(
        [ColSpec(DataType.double if c in numeric else DataType.string, c, required=False) for c in input_columns()]
    )
    texts = {"reasons", "scorer", "model_version", "next_step", "next_step_due"}
    outputs = Schema(
        [
            ColSpec(
                DataType.string if c in texts else DataType.long if c == "signals_recorded" else DataType.double,
                c,
                required=False,
            )
            for c in result_columns()
        ]
    )
    return ModelSignature(inputs=inputs, outputs=outputs)


def log_pyfunc(mlflow, folder: Path):
    """Log the model folder as a pyfunc (models from code: no pickle)."""
    code = resources.files("offerodds").joinpath("mlflow_model.py")
    with resources.as_file(code) as code_path:
        return mlflow.pyfunc.log_model(
            name="model",
            python_model=str(code_path),
            artifacts={"scorer": str(folder)},
            signature=signature(),
            input_example=synthetic_example(),
            pip_requirements=["offerodds", "mlflow", "pandas", "numpy", "scipy", "scikit-learn", "pyarrow"],
        )


def _registry_map_path(ws: Workspace) -> Path:
    return ws.models_dir / "registry.json"


def registry_map(ws: Workspace) -> dict:
    """Local version -> registry version of the model named ``offerodds``."""
    path = _registry_map_path(ws)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def log_retrain(ws: Workspace, config, report, decision, store: ModelStore) -> str:
    """Log one retrain as an MLflow run; on promotion register it and move the alias."""
    mlflow = _mlflow(ws)
    experiment_id = _experiment(mlflow, ws, config.tracking.experiment)
    candidate = report.candidate
    with mlflow.start_run(experiment_id=experiment_id) as run:
        info = candidate.info
        mlflow.log_params(
            {
                "prior_strength": info["prior_strength"],
                "calibration_slope": info["calibration_slope"],
                "calibration": info["calibration"][:250],
                "n_offers": info["n_offers"],
                "n_no_offers": info["n_no_offers"],
                "signals_used": len(set(candidate.features.feature_owner_)),
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
        mapping = registry_map(ws)
        mapping[report.version] = str(registered.version)
        write_json_atomic(_registry_map_path(ws), mapping)
    return run.info.run_id


def mirror_alias(ws: Workspace, version: str | None, name: str = "offerodds") -> str:
    """Move the registry alias to mirror the local champion; returns what was done."""
    mlflow = _mlflow(ws)
    client = mlflow.MlflowClient()
    registered = registry_map(ws).get(version) if version else None
    if version is None:
        try:
            client.delete_registered_model_alias(name, CHAMPION_ALIAS)
        except Exception:  # no alias or no registered model: nothing to mirror
            return "no registry alias to remove"
        return f"registry alias {CHAMPION_ALIAS} removed"
    if registered is None:
        return f"{version} was never registered in MLflow; the alias is unchanged"
    client.set_registered_model_alias(name, CHAMPION_ALIAS, registered)
    return f"registry alias {CHAMPION_ALIAS} -> version {registered}"


def registry_champion(ws: Workspace, name: str = "offerodds") -> str | None:
    """The registry version the alias points at, or None."""
    mlflow = _mlflow(ws)
    try:
        return str(mlflow.MlflowClient().get_model_version_by_alias(name, CHAMPION_ALIAS).version)
    except Exception:  # no registered model or alias yet
        return None
