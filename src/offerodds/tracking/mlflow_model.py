"""The MLflow pyfunc of an offerodds model, logged as "models from code": MLflow stores this
file and offerodds' own artifact folder (JSON and numpy arrays), never a pickle.

It takes what :func:`offerodds.score` takes (any column types, headers as people write them,
other columns) and returns ``interview_id``, the result columns of DESIGN.md and ``error``, with
the same values as :func:`offerodds.score` (``offerodds.tracking.pyfunc`` says why and how);
``params={"as_of": "YYYY-MM-DD"}`` sets the date the advice columns are given for (default
today).

It imports only public names (``offerodds`` and the doors its sub-packages' ``__init__`` name):
every logged model runs this code against whatever offerodds is installed later, so it must
not reach into modules that may move (tests/test_pyfunc.py reads its imports).
"""

import mlflow.pyfunc
import pandas as pd
from mlflow.models import set_model


class OfferoddsPyfunc(mlflow.pyfunc.PythonModel):
    """Scores interviews with the offerodds model folder given as the ``scorer`` artifact."""

    def load_context(self, context):
        from offerodds.stores import load_folder

        self.scorer = load_folder(context.artifacts["scorer"], "mlflow artifact")

    # pd.DataFrame is what MLflow and Spark hand over (a dict or a list of dicts works too), and a
    # hint MLflow infers nothing from: it neither checks the input against it nor warns, on every
    # load, that a hint is missing. The signature is given at logging.
    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        from offerodds.tracking import pyfunc_predict
        from offerodds.usecases import score_table

        return pyfunc_predict(self.scorer, model_input, params, score_table=score_table)


set_model(OfferoddsPyfunc())
