"""The MLflow pyfunc of an offerodds model, logged as "models from code": MLflow stores this
file and offerodds' own artifact folder (JSON and numpy arrays), never a pickle.

It takes the canonical signal columns and returns the result columns of DESIGN.md, with the
same values as :func:`offerodds.score`; ``params={"as_of": "YYYY-MM-DD"}`` sets the date the
advice columns are given for (default today).
"""

import warnings

import mlflow.pyfunc
import pandas as pd
from mlflow.models import set_model

# The signature is given explicitly at logging; MLflow's hint about type hints does not apply.
warnings.filterwarnings("ignore", message=".*Add type hints to the `predict` method.*")


class OfferoddsPyfunc(mlflow.pyfunc.PythonModel):
    """Scores interviews with the offerodds model folder given as the ``scorer`` artifact."""

    def load_context(self, context):
        from offerodds.io.modelstore import load_folder

        self.scorer = load_folder(context.artifacts["scorer"], "mlflow artifact")

    # a DataFrame hint: MLflow neither infers a signature from it (the logged one stands) nor
    # warns that type hints are missing
    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        from offerodds.io.batch import score_table
        from offerodds.scoring.results import result_columns

        as_of = (params or {}).get("as_of") or None
        scored = score_table(pd.DataFrame(model_input), self.scorer, as_of=as_of)
        return scored[list(result_columns())]


set_model(OfferoddsPyfunc())
