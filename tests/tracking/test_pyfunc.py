"""The registry's model as a user loads it (``mlflow.pyfunc.load_model("models:/offerodds@champion")``)
takes what ``pd.read_csv`` makes of files written by people and scores like ``offerodds score``
(DESIGN.md, "Output of scoring": the pyfunc accepts what ``offerodds.score`` accepts).

The workspace is the session's (``mlflow_template``: ``offerodds.retrain`` with MLflow tracking on,
v1 promoted and registered); the files are the five habits of ``conftest.write_people_file``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.files.workspace import Workspace
from offerodds.tracking.pyfunc import output_columns

pytestmark = pytest.mark.slow

ID_HEADER = {"headers": "Interview ID"}


@pytest.fixture(scope="module")
def champion(mlflow_template, mlflow_uris_kept):
    """``models:/offerodds@champion`` loaded as a user does, the process's MLflow URIs and
    environment put back afterwards."""
    import mlflow

    root, _ = mlflow_template
    with mlflow_uris_kept():
        uri = Workspace.resolve(root).tracking_uri
        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(uri)
        yield mlflow.pyfunc.load_model("models:/offerodds@champion")


def test_the_files_reach_pandas_in_the_types_mlflow_used_to_refuse(people_files):
    """The test files are what the issue measured: without the loose signature, none scored."""
    read = {v: pd.read_csv(p) for v, p in people_files.items()}
    assert read["ints"]["scheduled_minutes"].dtype == np.int64  # int64 where double was declared
    assert read["ints"]["interview_id"].dtype == np.int64
    assert read["one_zero"]["questions_invited"].dtype == np.int64  # 1/0 where string was declared
    assert read["one_zero"]["hurried"].dtype == np.float64
    assert read["true_false"]["hurried"].dtype == bool
    assert read["all_blank"]["hurried"].isna().all() and read["all_blank"]["hurried"].dtype == np.float64
    assert {"Eye Contact", "Next-Steps-Explained", "STAGE"} <= set(read["headers"].columns)


@pytest.mark.parametrize("variant", ["ints", "one_zero", "true_false", "all_blank", "headers"])
def test_the_registry_model_scores_pd_read_csv_like_the_cli(variant, champion, people_files, people_cli, like_cli):
    got = champion.predict(pd.read_csv(people_files[variant]))
    scored, rejects = people_cli[variant]
    like_cli(got, scored, rejects, ID_HEADER.get(variant, "interview_id"))
    assert (got["scorer"].iloc[list(got["error"] == "")] == "model").all()


def test_every_input_gives_the_same_columns_and_types(champion, people_files):
    """One schema whatever comes in, so a Spark UDF can declare it: no row, one interview as a
    dict, interviews without an id, a row that is all wrong."""
    frames = [champion.predict(pd.read_csv(p)) for p in people_files.values()]
    frames.append(champion.predict(pd.read_csv(people_files["ints"]).iloc[:0]))
    frames.append(champion.predict({"Eye Contact": 5, "hurried": "no", "stage": "final"}))
    frames.append(champion.predict([{"engagement": 9}, {"engagement": "4", "notes": "x"}]))
    dtypes = {name: ("float64" if kind == "double" else "string") for name, kind in output_columns().items()}
    for frame in frames:
        assert list(frame.columns) == list(dtypes)
        assert {c: str(t) for c, t in frame.dtypes.items()} == dtypes
        for column, kind in output_columns().items():
            if kind == "string":  # text is never null: "" where there is nothing
                assert not frame[column].isna().any(), column
    one, two = frames[-2], frames[-1]
    assert one["interview_id"].tolist() == [""] and one["error"].tolist() == [""]
    assert two["error"].tolist() == ["engagement: a scale must be a number from 1 to 5 (got '9')", ""]
    assert np.isnan(two.loc[0, "offer_probability"]) and np.isnan(two.loc[0, "signals_recorded"])
    assert two.loc[1, "signals_recorded"] == 1.0


def test_the_pyfunc_gives_the_values_of_offerodds_score(champion, people_files, mlflow_template):
    """Same model, same file: the pyfunc and ``offerodds.score`` agree to the last bit."""
    root, _ = mlflow_template
    frame = pd.read_csv(people_files["true_false"])
    got = champion.predict(frame)
    want = offerodds.score(frame, model=offerodds.load_model(root))
    for column, kind in output_columns().items():
        if column == "interview_id":
            assert got[column].tolist() == want["interview_id"].tolist()
        elif column == "warnings":  # what score() warns once, said per row
            one_length = frame["scheduled_minutes"].isna() != frame["actual_minutes"].isna()
            assert one_length.sum() > 5
            assert (got[column] != "").tolist() == one_length.tolist()
            assert got.loc[one_length.to_numpy(), column].str.contains("the length cannot be judged").all()
        elif kind == "double":
            assert np.array_equal(got[column].to_numpy(float), want[column].to_numpy(float, na_value=np.nan), equal_nan=True)
        else:
            assert got[column].tolist() == want[column].fillna("").tolist(), column


def test_columns_without_names_are_a_clear_error(champion):
    """What ``spark_udf`` hands over when it is given several columns instead of one struct."""
    frame = pd.DataFrame({"0": ["4"], "1": ["yes"]})
    with pytest.raises(ValueError, match=r"unnamed \(0, 1, \.\.\.\): pass them to the Spark UDF as one struct"):
        champion.predict(frame)


def test_the_logged_signature_declares_the_output_and_no_input(mlflow_template):
    root, _ = mlflow_template
    models = list((root / "mlartifacts").rglob("MLmodel"))
    assert models
    from mlflow.models import Model

    for path in models:
        signature = Model.load(str(path)).signature
        assert signature.inputs is None
        assert {c.name: c.type.name for c in signature.outputs.inputs} == output_columns()
