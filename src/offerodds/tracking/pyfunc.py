"""The offerodds model as an MLflow pyfunc: logged "from code" over offerodds' own artifact
folder (JSON and numpy arrays, no pickle), with an explicit signature and a synthetic input
example (never a user's rows)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from offerodds.scoring.results import result_columns
from offerodds.signals.catalogue import column_kinds, input_columns
from offerodds.synthetic import generate

__all__ = ["log_pyfunc", "signature", "synthetic_example"]


def synthetic_example(n: int = 5):
    """A small synthetic input example with the canonical signal columns (no user data)."""
    return generate(n, seed=12345)[list(input_columns())].astype(
        {c: "float64" for c in _numeric_columns()}
    )


def _numeric_columns() -> list[str]:
    return [c for c, kind in column_kinds().items() if kind in ("scale", "minutes")]


def signature():
    """Canonical signal columns in (all optional), result columns out; the parameter
    ``as_of`` (an ISO date, default today) dates the advice columns."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, DataType, Schema
    from mlflow.types.schema import ParamSchema, ParamSpec


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
    params = ParamSchema([ParamSpec("as_of", DataType.string, None)])
    return ModelSignature(inputs=inputs, outputs=outputs, params=params)


def log_pyfunc(mlflow, folder: Path):
    """Log the model folder as a pyfunc (models from code: no pickle)."""
    code = resources.files("offerodds.tracking").joinpath("mlflow_model.py")
    with resources.as_file(code) as code_path:
        return mlflow.pyfunc.log_model(
            name="model",
            python_model=str(code_path),
            artifacts={"scorer": str(folder)},
            signature=signature(),
            input_example=synthetic_example(),
            pip_requirements=["offerodds", "mlflow", "pandas", "numpy", "scipy", "scikit-learn", "pyarrow"],
        )
