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
  MLflow's scoring server hands the ``instances`` and ``inputs`` forms over as columns (one
  array per name): they are read as the rows they are (:func:`model_table`).
- **Out**: always the same columns and types (:func:`output_columns`), so a Spark UDF can declare
  them: ``interview_id``, the result columns, ``error`` and ``warnings`` (headers that look like
  a misspelled signal and are not read, and the problems of a row scored all the same). Text is
  never null ("" where there is nothing: no id, no problem), and ``signals_recorded`` is a
  double (NaN for a row without a prediction): ``mlflow.pyfunc.spark_udf`` turns a null text into
  the text "None" or "<NA>" and fails on a missing integer when a struct result mixes them with
  values. Behind MLflow's scoring server (``mlflow models serve``) a missing number is ``None``,
  so the JSON answer holds ``null``, never the bare ``NaN`` that strict parsers refuse.
- **Errors**: a problem with the request as a whole (``as_of`` not a date, no signal column, a
  header given twice) is MLflow's ``INVALID_PARAMETER_VALUE`` (HTTP 400) whose ``message`` is
  offerodds' one line; a problem with one row is that row's ``error``, and the other rows are
  scored.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from offerodds.files.reading import InputError, Table, open_table
from offerodds.scoring.results import result_columns
from offerodds.signals.catalogue import column_kinds, input_columns
from offerodds.signals.headers import lookalikes
from offerodds.signals.validation import cell_text

__all__ = [
    "log_pyfunc",
    "model_output",
    "model_table",
    "output_columns",
    "pyfunc_predict",
    "request_error",
    "signature",
    "synthetic_example",
]

SERVING_VARIABLE = "_MLFLOW_IS_IN_SERVING_ENVIRONMENT"  # set by MLflow's scoring server

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
    text = {"interview_id", "error", "warnings", *_TEXT_RESULTS}
    names = ("interview_id", *result_columns(), "error", "warnings")
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


def _as_columns(model_input):
    """MLflow's scoring server turns ``{"instances": [{...}, {...}]}`` and ``{"inputs": {name:
    [...]}}`` into one array per name: those are columns, not one interview whose cells are
    lists. Anything else is returned as it came."""
    if isinstance(model_input, list) and model_input and all(isinstance(item, dict) for item in model_input):
        return [{k: _cell(v) for k, v in item.items()} for item in model_input]  # {"inputs": [{...}]}
    if not isinstance(model_input, dict) or not model_input:
        return model_input
    values = list(model_input.values())
    if not all(isinstance(v, (list, tuple, np.ndarray)) for v in values):
        return model_input
    cells = [np.asarray(v, dtype=object) if not isinstance(v, np.ndarray) else v for v in values]
    if all(c.ndim == 0 for c in cells):  # {"inputs": {"engagement": 4}}: one interview
        return {k: _cell(c) for k, c in zip(model_input, cells)}
    if any(c.ndim != 1 for c in cells) or len({len(c) for c in cells}) != 1:
        raise InputError(
            "the columns have different lengths; send one object per interview with the same names "
            '(null where not recorded), as {"dataframe_records": [...]} or {"instances": [...]}'
        )
    return pd.DataFrame({k: pd.Series([_cell(v) for v in c], dtype=object) for k, c in zip(model_input, cells)})


def _cell(value):
    """One value as Python has it: MLflow wraps a record's values in 0-d numpy arrays when the
    objects of ``instances`` mix a value and null."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    return value.item() if isinstance(value, np.generic) else value


def model_table(model_input) -> Table:
    """The pyfunc's input as a table, with a clear error for the columns ``spark_udf`` names
    ``0, 1, ...`` when it is given several columns instead of one struct."""
    model_input = _as_columns(model_input)
    if isinstance(model_input, np.ndarray):
        raise InputError(
            "the rows arrived without column names; send one object per interview "
            '({"dataframe_records": [{"engagement": 4, ...}]}) or {"dataframe_split": {"columns": [...], ...}}'
        )
    if isinstance(model_input, pd.DataFrame) and len(model_input.columns):
        if list(model_input.columns) == [str(i) for i in range(len(model_input.columns))]:
            raise InputError(
                "the columns arrived unnamed (0, 1, ...): pass them to the Spark UDF as one struct, "
                "udf(struct(*df.columns)), so that offerodds sees their headers"
            )
    return open_table(model_input)


def header_notes(table: Table) -> str:
    """One text naming the headers that look like a signal's name and are not read."""
    return "; ".join(
        f"column {header!r} is not read: did you mean {column!r}?" for header, column in lookalikes(table.headers, table.colmap)
    )


def _serving() -> bool:
    return os.environ.get(SERVING_VARIABLE, "").strip().lower() in ("true", "1")


def model_output(scored: pd.DataFrame, table: Table, *, nulls: bool | None = None) -> pd.DataFrame:
    """The columns of :func:`output_columns`, in their types, from what ``score_table`` gave for
    ``table``: one row per input row, in order.

    ``nulls`` (default: inside MLflow's scoring server) gives the number columns as objects with
    None for a missing number, which JSON writes as ``null`` (NaN would be written ``NaN``).
    """
    n = len(scored)
    header = table.colmap.get("interview_id")
    if header is None:
        ids = np.full(n, "", dtype=object)
    else:
        ids = cell_text(scored[table.labels.get(header, header)])
    notes = header_notes(table)
    nulls = _serving() if nulls is None else nulls
    out = {}
    for name, kind in output_columns().items():
        if name == "interview_id":
            values = ids
        elif name == "warnings":
            rows = scored["warnings"] if "warnings" in scored.columns else pd.Series([""] * n, dtype="string")
            rows = rows.fillna("").astype(str)
            values = [f"{notes}; {r}" if notes and r else (notes or r) for r in rows]
        else:
            values = scored[name]
        if kind == "double":
            numbers = pd.Series(values).to_numpy(dtype="float64", na_value=np.nan)
            if nulls:
                numbers = np.where(np.isnan(numbers), None, numbers.astype(object))
            out[name] = numbers
        else:
            out[name] = pd.array(values, dtype="string").fillna("")
    return pd.DataFrame(out, index=pd.RangeIndex(n))


@functools.cache
def _request_error_type():
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    class OfferoddsRequestError(MlflowException, InputError):
        """A problem with a request as a whole: MLflow's INVALID_PARAMETER_VALUE (HTTP 400) with
        offerodds' one-line message.

        MLflow's scoring server rewrites the message of an MlflowException raised by a model to
        "Failed to predict data '<the request's rows>'. Error: ..."; this message keeps its first
        value, so the client reads offerodds' line and the rows are not echoed back.
        """

        def __init__(self, message: str):
            super().__init__(message, error_code=INVALID_PARAMETER_VALUE)

        @property
        def message(self) -> str:
            return self.__dict__.get("_message", "")

        @message.setter
        def message(self, value: str) -> None:
            self.__dict__.setdefault("_message", value)

        def __reduce__(self):  # pickled by Spark and multiprocessing as (class, message)
            return (type(self), (self.message,))

    return OfferoddsRequestError


def request_error(message: str) -> Exception:
    """The exception for a request-level problem (see :func:`_request_error_type`): MLflow's, and
    an :class:`offerodds.InputError` (so a ``ValueError``) as well."""
    return _request_error_type()(message)


def pyfunc_predict(scorer, model_input, params=None, *, score_table) -> pd.DataFrame:
    """What the pyfunc's ``predict`` does: read, score (``score_table``: the use case's, handed
    in by ``mlflow_model.py``, as tracking sits below the use cases), give the output columns; a
    problem with the request as a whole is raised as :func:`request_error`."""
    as_of = (params or {}).get("as_of") or None
    try:
        table = model_table(model_input)
        scored = score_table(table, scorer, as_of=as_of, row_warnings=True)
    except ValueError as error:  # InputError, an as_of that is not a date: the request's fault
        raise request_error(str(error)) from error
    return model_output(scored, table)


def _portable_flavor():
    """MLflow's pyfunc flavour, but the MLmodel it writes holds no path of the logging machine:
    MLflow records where the code file and the artifact folder were (``model_code_path``, each
    artifact's ``uri``) and where the model is stored (``artifact_path``); loading needs none of
    them (the code file is found by its name beside MLmodel, the folder by its relative
    ``path``)."""
    import types

    import mlflow.pyfunc

    def save_model(path, mlflow_model, **kwargs):
        kwargs.pop("flavor_name", None)  # Model.log's own, should a version pass it on
        mlflow.pyfunc.save_model(path=path, mlflow_model=mlflow_model, **kwargs)
        conf = mlflow_model.flavors["python_function"]
        if conf.get("model_code_path"):
            conf["model_code_path"] = Path(conf["model_code_path"]).name
        for artifact in (conf.get("artifacts") or {}).values():
            artifact["uri"] = artifact["path"]  # the copy inside the model, not the logging machine's
        stored, mlflow_model.artifact_path = mlflow_model.artifact_path, None
        try:
            mlflow_model.save(os.path.join(path, "MLmodel"))
        finally:
            mlflow_model.artifact_path = stored

    return types.SimpleNamespace(__name__="mlflow.pyfunc", save_model=save_model)


def log_pyfunc(mlflow, folder: Path):
    """Log the model folder as a pyfunc (models from code: no pickle), its requirements pinned
    (``name==version``) and its MLmodel free of the logging machine's paths."""
    from mlflow.models import Model

    from offerodds.tracking._records import pinned_requirements

    code = resources.files("offerodds.tracking").joinpath("mlflow_model.py")
    with resources.as_file(code) as code_path:
        return Model.log(
            artifact_path=None,
            name="model",
            flavor=_portable_flavor(),
            flavor_name="pyfunc.ModelFromCode",
            python_model=str(code_path),
            artifacts={"scorer": str(folder)},
            signature=signature(),
            input_example=synthetic_example(),
            pip_requirements=pinned_requirements(),
        )
