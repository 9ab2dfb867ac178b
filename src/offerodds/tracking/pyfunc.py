"""The offerodds model as an MLflow pyfunc: logged "from code" over offerodds' own artifact
folder (JSON and numpy arrays, no pickle), with a synthetic input example (never a user's
rows).

What the pyfunc takes and gives (``mlflow_model.py`` calls :func:`model_table` and
:func:`model_output` around :func:`offerodds.usecases.score_table`):

- **In**: whatever :func:`offerodds.score` takes, as ``pd.read_csv`` or Spark's CSV reader gives
  it: numbers as int, float or text, yes/no as text, 1/0 or booleans, blank and all-blank
  columns, headers as people write them ("Eye Contact"), other columns. The signature therefore
  declares no input schema: MLflow would refuse int64 where it declares double and anything but
  text where it declares string, and would drop every column it does not name before offerodds
  sees it. offerodds reads and checks the columns itself, the one way ``score`` does.
- **Out**: always the same columns and types (:func:`output_columns`), so a Spark UDF can declare
  them: ``interview_id``, the result columns, ``error``. Text is never null ("" where there is
  nothing: no id, no problem), and ``signals_recorded`` is a double (NaN for a row without a
  prediction): ``mlflow.pyfunc.spark_udf`` turns a null text into the text "None" or "<NA>" and
  fails on a missing integer when a struct result mixes them with values.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds.files.reading import InputError, Table, open_table
from offerodds.scoring.results import result_columns
from offerodds.signals.catalogue import column_kinds, input_columns
from offerodds.signals.validation import cell_text

__all__ = ["log_pyfunc", "model_output", "model_table", "output_columns", "signature", "synthetic_example"]

_TEXT_RESULTS = ("reasons", "scorer", "model_version", "next_step", "next_step_due")


def synthetic_example(n: int = 5):
    """A small synthetic input example with the canonical signal columns (no user data)."""
    from offerodds.synthetic import generate  # only when a model is logged: it loads SciPy

    return generate(n, seed=12345)[list(input_columns())].astype(
        {c: "float64" for c in _numeric_columns()}
    )


def _numeric_columns() -> list[str]:
    return [c for c, kind in column_kinds().items() if kind in ("scale", "minutes")]


def output_columns() -> dict[str, str]:
    """The pyfunc's output columns, in order, and their MLflow type (``double`` or ``string``)."""
    text = {"interview_id", "error", *_TEXT_RESULTS}
    names = ("interview_id", *result_columns(), "error")
    return {c: "string" if c in text else "double" for c in names}


def signature():
    """No input schema (offerodds reads any columns itself, see the module's text); the output
    columns of :func:`output_columns`; the parameter ``as_of`` (an ISO date, default today)
    dates the advice columns."""
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, DataType, Schema
    from mlflow.types.schema import ParamSchema, ParamSpec

    outputs = Schema([ColSpec(DataType[kind], name, required=False) for name, kind in output_columns().items()])
    params = ParamSchema([ParamSpec("as_of", DataType.string, None)])
    return ModelSignature(inputs=None, outputs=outputs, params=params)


def model_table(model_input) -> Table:
    """The pyfunc's input as a table, with a clear error for the columns ``spark_udf`` names
    ``0, 1, ...`` when it is given several columns instead of one struct."""
    if isinstance(model_input, pd.DataFrame) and len(model_input.columns):
        if list(model_input.columns) == [str(i) for i in range(len(model_input.columns))]:
            raise InputError(
                "the columns arrived unnamed (0, 1, ...): pass them to the Spark UDF as one struct, "
                "udf(struct(*df.columns)), so that offerodds sees their headers"
            )
    return open_table(model_input)


def model_output(scored: pd.DataFrame, table: Table) -> pd.DataFrame:
    """The columns of :func:`output_columns`, in their types, from what ``score_table`` gave for
    ``table``: one row per input row, in order."""
    n = len(scored)
    header = table.colmap.get("interview_id")
    if header is None:
        ids = np.full(n, "", dtype=object)
    else:
        ids = cell_text(scored[table.labels.get(header, header)])
    out = {}
    for name, kind in output_columns().items():
        values = ids if name == "interview_id" else scored[name]
        if kind == "double":
            out[name] = pd.Series(values).to_numpy(dtype="float64", na_value=np.nan)
        else:
            out[name] = pd.array(values, dtype="string").fillna("")
    return pd.DataFrame(out, index=pd.RangeIndex(n))


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
