"""Models registered before the house moved keep loading.

``tests/fixtures/pyfunc-0.1-layout`` is an MLflow pyfunc logged by offerodds 0.1 (the flat
layout): its code does ``from offerodds.modelstore import load_folder`` and
``from offerodds.scoring import result_columns, score``. The shims that keep those names are
named exceptions in the import contracts (pyproject.toml).
"""

from pathlib import Path

import numpy as np
import pytest

import offerodds
from offerodds.io.modelstore import load_folder
from offerodds.scoring.results import result_columns
from offerodds.tracking.pyfunc import synthetic_example

FIXTURE = Path(__file__).parent / "fixtures" / "pyfunc-0.1-layout"


def test_the_fixture_was_logged_by_the_old_layout():
    code = (FIXTURE / "mlflow_model.py").read_text(encoding="utf-8")
    assert "from offerodds.modelstore import load_folder" in code
    assert "from offerodds.scoring import result_columns, score" in code


@pytest.mark.slow
def test_a_pyfunc_logged_by_the_old_layout_loads_and_scores_as_today():
    mlflow = pytest.importorskip("mlflow")
    model = mlflow.pyfunc.load_model(str(FIXTURE))
    frame = synthetic_example(50)  # the types the old signature declares
    got = model.predict(frame)
    expected = offerodds.score(frame, model=load_folder(FIXTURE / "artifacts" / "v1", "fixture"))
    assert list(got.columns) == list(result_columns())
    for column in ("offer_probability", "offer_log_odds", "baseline_log_odds"):
        assert np.array_equal(got[column].to_numpy(float), expected[column].to_numpy(float))
    assert (got["model_version"] == "v1").all()
