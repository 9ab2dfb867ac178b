"""The MLflow pyfunc scores a Spark DataFrame (``mlflow.pyfunc.spark_udf``) exactly as the CLI.

No registry and no tracking server: a model is fitted on ``data/examples/outcomes.csv``, stored
in a temporary workspace with ``ModelStore``, saved as a pyfunc with
``mlflow.pyfunc.save_model`` (the "models from code" file ``offerodds/tracking/mlflow_model.py`` and the
version folder as its ``scorer`` artifact), and applied with ``spark_udf`` on local Spark
(``local[2]``) over the canonical signal columns of ``data/examples/interviews.csv``. The
probabilities must equal those of ``offerodds score`` with that model as champion, to 1e-9.

Skipped, with the reason said, when pyspark or Java is missing. One Spark session for the module.
"""

from __future__ import annotations

import os
import shutil
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install offerodds[spark])")
if shutil.which("java") is None:
    pytest.skip("Java is not installed: Spark needs a Java runtime (17 or later)", allow_module_level=True)

import offerodds  # noqa: E402
from offerodds import cli  # noqa: E402
from offerodds.signals.catalogue import column_kinds, input_columns  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:Operation with range is deprecated"),
]

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "data" / "examples" / "interviews.csv"
OUTCOMES = REPO / "data" / "examples" / "outcomes.csv"
NUMERIC = {c for c, kind in column_kinds().items() if kind in ("scale", "minutes")}


def _package_root() -> Path:
    """The folder offerodds is imported from (the repository's ``src`` when not installed)."""
    return Path(offerodds.__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def spark():
    """A local Spark session whose Python workers can import offerodds."""
    from pyspark.sql import SparkSession

    saved = {k: os.environ.get(k) for k in ("PYTHONPATH", "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "MLFLOW_DISABLE_TELEMETRY")}
    root = str(_package_root())
    path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if "site-packages" not in root and root not in path:  # offerodds not installed: use src
        path.insert(0, root)
    pythonpath = os.pathsep.join(path)
    # the JVM and its Python workers inherit this process's environment
    os.environ["PYTHONPATH"] = pythonpath
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    session = (
        SparkSession.builder.master("local[2]")
        .appName("offerodds-test")
        .config("spark.executorEnv.PYTHONPATH", pythonpath)
        .config("spark.executorEnv.MLFLOW_DISABLE_TELEMETRY", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def champion(tmp_path_factory):
    """A model fitted on the example outcomes, stored as the champion of a fresh workspace."""
    from offerodds.io.modelstore import ModelStore
    from offerodds.io.workspace import Workspace

    ws = Workspace(tmp_path_factory.mktemp("spark-workspace"))
    store = ModelStore(ws)
    model = offerodds.fit(OUTCOMES)
    with store.lock():
        version = store.save(model)
        store.set_champion(version, "test_spark")
    return ws, version


@pytest.fixture(scope="module")
def pyfunc_path(champion, tmp_path_factory) -> Path:
    """The champion saved as an MLflow pyfunc (models from code, no pickle), no registry."""
    import mlflow.pyfunc

    from offerodds.tracking.pyfunc import signature, synthetic_example

    ws, version = champion
    path = tmp_path_factory.mktemp("pyfunc") / "model"
    code = resources.files("offerodds.tracking").joinpath("mlflow_model.py")
    with resources.as_file(code) as code_path:
        mlflow.pyfunc.save_model(
            path=str(path),
            python_model=str(code_path),
            artifacts={"scorer": str(ws.version_dir(version))},
            signature=signature(),
            input_example=synthetic_example(),
            pip_requirements=["offerodds", "mlflow", "pandas", "numpy", "scipy", "scikit-learn", "pyarrow"],
        )
    return path


def _signal_frame() -> pd.DataFrame:
    """The example interviews: id and the canonical signal columns, numbers as double."""
    text = pd.read_csv(EXAMPLES, dtype=str, keep_default_na=False)
    frame = pd.DataFrame({"interview_id": text["interview_id"].astype(object)})
    for column in input_columns():
        values = text[column].replace("", None) if column in text.columns else pd.Series([None] * len(text))
        if column in NUMERIC:
            frame[column] = pd.to_numeric(values, errors="raise").astype("float64")
        else:
            frame[column] = values.astype(object).where(values.notna(), None)
    return frame


def test_spark_udf_gives_the_cli_probabilities(spark, champion, pyfunc_path, tmp_path):
    import mlflow.pyfunc
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    ws, version = champion

    # the CLI, with the model as the workspace's champion
    out = tmp_path / "scored.csv"
    code = cli.main(["score", str(EXAMPLES), "-o", str(out), "--quiet", "--workspace", str(ws.root)])
    assert code == 0
    expected = pd.read_csv(out, dtype={"interview_id": str})
    assert set(expected["scorer"]) == {"model"} and set(expected["model_version"]) == {version}

    # Spark: the canonical signal columns (numbers double, the rest text) through spark_udf
    frame = _signal_frame()
    schema = StructType(
        [StructField("interview_id", StringType(), False)]
        + [StructField(c, DoubleType() if c in NUMERIC else StringType(), True) for c in input_columns()]
    )
    rows = [
        tuple(None if isinstance(v, float) and np.isnan(v) else v for v in record)
        for record in frame.itertuples(index=False, name=None)
    ]
    sdf = spark.createDataFrame(rows, schema=schema).repartition(2)
    predict = mlflow.pyfunc.spark_udf(spark, model_uri=str(pyfunc_path), result_type="double", env_manager="local")
    scored = sdf.withColumn("offer_probability", predict(*[F.col(c) for c in input_columns()]))
    got = scored.select("interview_id", "offer_probability").toPandas()

    assert len(got) == len(frame) == len(expected)  # every example interview is valid
    merged = expected[["interview_id", "offer_probability"]].merge(got, on="interview_id", suffixes=("_cli", "_spark"))
    assert len(merged) == len(expected)
    np.testing.assert_allclose(merged["offer_probability_spark"], merged["offer_probability_cli"], rtol=0, atol=1e-9)
    assert merged["offer_probability_spark"].between(0, 1).all()

    # several result columns at once: a struct result type (as docs/scale.md shows)
    fields = "offer_probability double, offer_log_odds double, contrib_selling double, reasons string, model_version string"
    predict_all = mlflow.pyfunc.spark_udf(spark, model_uri=str(pyfunc_path), result_type=fields, env_manager="local")
    result = sdf.withColumn("result", predict_all(*[F.col(c) for c in input_columns()]))
    wide = result.select("interview_id", "result.*").toPandas()
    both = expected.merge(wide, on="interview_id", suffixes=("_cli", "_spark"))
    assert len(both) == len(expected)
    for column in ("offer_probability", "offer_log_odds", "contrib_selling"):
        np.testing.assert_allclose(both[f"{column}_spark"], both[f"{column}_cli"], rtol=0, atol=1e-9)
    assert both["reasons_spark"].tolist() == both["reasons_cli"].tolist()
    assert set(both["model_version_spark"]) == {version}


def test_pyfunc_in_process_gives_the_result_columns(champion, pyfunc_path):
    """The same pyfunc, loaded in this process: result columns only, values of offerodds.score."""
    import mlflow.pyfunc

    from offerodds.io.modelstore import ModelStore
    from offerodds.scoring.results import result_columns

    ws, version = champion
    frame = _signal_frame()
    loaded = mlflow.pyfunc.load_model(str(pyfunc_path))
    got = loaded.predict(frame[list(input_columns())])
    assert list(got.columns) == list(result_columns())
    want = offerodds.score(frame.drop(columns="interview_id"), model=ModelStore(ws).load(version))
    np.testing.assert_allclose(got["offer_probability"], want["offer_probability"], rtol=0, atol=1e-12)
    assert got["reasons"].tolist() == want["reasons"].tolist()
