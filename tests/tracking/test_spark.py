"""The registry's model as a Spark UDF (``mlflow.pyfunc.spark_udf``) scores what Spark's CSV reader
makes of files written by people exactly as ``offerodds score`` does (docs/scale.md's recipe).

The model is ``models:/offerodds@champion`` of the session workspace (``mlflow_template``:
``offerodds.retrain`` with MLflow tracking on); the files are the five habits of
``conftest.write_people_file``, read with ``spark.read.csv(path, header=True)`` (every column
text) and with ``inferSchema=True`` (ints, booleans, dates), on local Spark (``local[2]``).

Skipped, with the reason said, when pyspark or Java is missing. One Spark session for the module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install offerodds[spark])")
if shutil.which("java") is None:
    pytest.skip("Java is not installed: Spark needs a Java runtime (17 or later)", allow_module_level=True)

import offerodds  # noqa: E402
from offerodds.files.workspace import Workspace  # noqa: E402
from offerodds.tracking.pyfunc import output_columns  # noqa: E402
from tests.conftest import local_spark  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:Operation with range is deprecated"),
]

VARIANTS = ["ints", "one_zero", "true_false", "all_blank", "headers"]
ID_HEADER = {"headers": "Interview ID"}


@pytest.fixture(scope="module")
def spark():
    """A local Spark session whose Python workers are this interpreter and import offerodds."""
    with local_spark("offerodds-test") as session:
        yield session


@pytest.fixture(scope="module")
def registry(spark, mlflow_template):
    """The driver points MLflow at the session workspace, as docs/scale.md says; put back after."""
    import mlflow

    root, _ = mlflow_template
    saved = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    uri = Workspace.resolve(root).tracking_uri
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield mlflow
    finally:
        mlflow.set_tracking_uri(saved[0])
        mlflow.set_registry_uri(saved[1])


@pytest.fixture(scope="module")
def udf(spark, registry):
    """The recipe's UDF: the result struct that the model's signature declares."""
    return registry.pyfunc.spark_udf(spark, "models:/offerodds@champion", env_manager="local")


def _score(spark, udf, path: Path, infer: bool):
    from pyspark.sql import functions as F

    df = spark.read.csv(str(path), header=True, inferSchema=infer).repartition(2)
    scored = df.withColumn("offerodds", udf(F.struct(*df.columns)))
    return df, scored.select("offerodds.*")


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("infer", [False, True], ids=["plain", "inferSchema"])
def test_spark_udf_scores_spark_read_csv_like_the_cli(variant, infer, spark, udf, people_files, people_cli, like_cli):
    from pyspark.sql import functions as F

    df, result = _score(spark, udf, people_files[variant], infer)
    if not infer:
        assert {t for _, t in df.dtypes} == {"string"}
    got = result.toPandas()
    scored, rejects = people_cli[variant]
    like_cli(got, scored, rejects, ID_HEADER.get(variant, "interview_id"))
    # no text turned into "None" or "<NA>" on the way, and a row without a prediction has nulls
    texts = [c for c, kind in output_columns().items() if kind == "string"]
    assert not got[texts].isin(["None", "<NA>", "nan"]).any().any()
    invalid = 0 if rejects is None else rejects["interview_id"].nunique()
    assert result.filter(F.col("offer_probability").isNull()).count() == invalid
    assert result.filter(F.col("error") != "").count() == invalid


def test_the_udf_declares_the_signature_of_the_model(udf):
    from pyspark.sql.types import DoubleType, StringType

    fields = {f.name: f.dataType for f in udf.returnType.fields}
    assert list(fields) == list(output_columns())
    assert {name: ("string" if isinstance(t, StringType) else "double" if isinstance(t, DoubleType) else t)
            for name, t in fields.items()} == output_columns()


def test_a_double_udf_gives_the_probability(spark, registry, people_files, people_cli):
    """``result_type="double"``: the first numeric result column, offer_probability."""
    from pyspark.sql import functions as F

    probability = registry.pyfunc.spark_udf(spark, "models:/offerodds@champion", result_type="double",
                                            env_manager="local")
    df = spark.read.csv(str(people_files["headers"]), header=True)
    got = df.select(F.col("`Interview ID`").alias("id"), probability(F.struct(*df.columns)).alias("p")).toPandas()
    scored, _ = people_cli["headers"]
    both = scored.merge(got, left_on="Interview ID", right_on="id", validate="one_to_one")
    assert len(both) == len(scored) == len(got)
    np.testing.assert_allclose(both["p"], both["offer_probability"].astype(float), rtol=0, atol=1e-9)


def test_a_udf_of_the_fields_you_name(spark, registry, people_files, people_cli):
    """A struct of some result columns, in the order asked, as docs/scale.md shows."""
    from pyspark.sql import functions as F

    fields = "reasons string, interview_id string, contrib_selling double, error string"
    some = registry.pyfunc.spark_udf(spark, "models:/offerodds@champion", result_type=fields, env_manager="local")
    df = spark.read.csv(str(people_files["true_false"]), header=True, inferSchema=True)
    got = df.select(some(F.struct(*df.columns)).alias("r")).select("r.*").toPandas()
    assert list(got.columns) == ["reasons", "interview_id", "contrib_selling", "error"]
    scored, rejects = people_cli["true_false"]
    both = scored.merge(got, on="interview_id", suffixes=("_cli", ""), validate="one_to_one")
    assert len(both) == len(scored) and len(got) == len(scored) + rejects["interview_id"].nunique()
    assert both["reasons"].tolist() == both["reasons_cli"].tolist()
    assert (both["error"] == "").all()
    np.testing.assert_allclose(both["contrib_selling"], both["contrib_selling_cli"].astype(float), rtol=0, atol=1e-9)


def test_columns_passed_one_by_one_are_a_clear_error(spark, udf, people_files):
    """The old recipe passed the signal columns one by one: MLflow names them 0, 1, ..."""
    from pyspark.sql import functions as F

    df = spark.read.csv(str(people_files["ints"]), header=True)
    with pytest.raises(Exception, match="pass them to the Spark UDF as one struct"):
        df.select(udf(*[F.col(c) for c in df.columns[:6]]).alias("r")).collect()
