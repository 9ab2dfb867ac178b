"""The SQL export in Spark SQL, and ``offerodds.spark.score`` both ways, on a real local Spark
session over ``spark.read.csv`` frames of files written as people write them, against
``offerodds.score`` on the same file: floats to 1e-9, the same rows rejected with the same
problems, the input columns kept and no name repeated.

Skipped, with the reason said, when pyspark or Java is missing. One Spark session for the module.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pyspark = pytest.importorskip("pyspark", reason="pyspark is not installed (pip install offerodds[spark])")
if shutil.which("java") is None:
    pytest.skip("Java is not installed: Spark needs a Java runtime (17 or later)", allow_module_level=True)

import offerodds  # noqa: E402
import offerodds.spark  # noqa: E402
from offerodds.errors import InputError  # noqa: E402
from offerodds.export.sql import SQL_COLUMNS  # noqa: E402
from tests.conftest import local_spark  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
    pytest.mark.filterwarnings("ignore:The copy keyword is deprecated"),
    pytest.mark.filterwarnings("ignore:row .* the rows are scored on what can be used"),
]

ID = {"headers": "Interview ID"}


@pytest.fixture(scope="module")
def spark():
    """A local Spark session whose Python workers are this interpreter and import offerodds."""
    with local_spark("offerodds-export-test") as session:
        yield session


@pytest.fixture(scope="module")
def learned():
    from offerodds.synthetic import generate

    return offerodds.fit(generate(400, seed=24))


def expected_of(path: Path, scorer) -> pd.DataFrame:
    return offerodds.score(str(path), model=scorer)


def assert_like(got: pd.DataFrame, expected: pd.DataFrame, id_column: str, floats) -> None:
    """Matched by id (Spark keeps no order): floats to 1e-9, the same problems."""
    got = got.assign(_id=got[id_column].astype(str)).set_index("_id")
    expected = expected.assign(_id=expected[id_column].astype(str)).set_index("_id")
    assert sorted(got.index) == sorted(expected.index)
    got = got.loc[expected.index]
    assert got["error"].tolist() == expected["error"].fillna("").astype(str).tolist()
    for column in floats:
        a = pd.to_numeric(got[column]).to_numpy(dtype=float, na_value=np.nan)
        b = expected[column].to_numpy(dtype=float, na_value=np.nan)
        assert np.array_equal(np.isnan(a), np.isnan(b)), column
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9, err_msg=column)


FLOATS = [c for c in SQL_COLUMNS() if c.startswith(("offer_", "baseline_", "contrib_"))]


@pytest.mark.parametrize("variant", ["ints", "one_zero", "true_false", "all_blank"])
@pytest.mark.parametrize("infer", [False, True], ids=["text", "inferSchema"])
def test_to_sql_in_spark_gives_what_score_gives(variant, infer, spark, learned, people_files):
    path = people_files[variant]
    df = spark.read.csv(str(path), header=True, inferSchema=infer)
    df.createOrReplaceTempView("interviews")
    got = spark.sql(offerodds.to_sql("spark", "interviews", model=learned, columns=df.columns)).toPandas()
    assert list(got.columns) == SQL_COLUMNS()
    assert_like(got, expected_of(path, learned), "interview_id", FLOATS)


@pytest.mark.parametrize("model", ["rules", "learned"])
def test_spark_sql_reads_odd_cells_and_every_state_as_score_does(model, spark, learned):
    """Every signal state and the odd cells of the DuckDB test (" y ", "T", "TRUE", " Final ",
    tabs, "+4", ".5e1", "7", "maybe", ...) as text: Spark's lookups of lower-cased, stripped
    words and its number checks read and reject them as ``offerodds.score`` does."""
    from tests.export.test_sql import odd_rows, state_rows

    scorer = offerodds.rules() if model == "rules" else learned
    frame = pd.concat([state_rows(), odd_rows()], ignore_index=True).astype(str)
    df = spark.createDataFrame(frame)  # "" stays an empty text, as a table may hold it
    got = offerodds.spark.score(df, model=scorer).toPandas()
    expected = offerodds.score(frame, model=scorer)
    assert (got["error"] != "").sum() == 13 + 1
    assert_like(got, expected, "interview_id", FLOATS)


@pytest.mark.parametrize("model", ["rules", "learned"])
def test_spark_reads_a_cell_the_same_on_its_fast_and_its_full_path(model, spark, learned):
    """Spark reads the cells people write most on a fast path, and a row with any other cell
    (an odd row) on the full one, where that row's ordinary cells are read again. Rows that
    mix them at random, with blanks, spaces and cells that reject the row, score as
    ``offerodds.score`` scores them: the two paths agree on every cell."""
    from tests.export.test_sql import ODD_CELLS, state_rows

    scorer = offerodds.rules() if model == "rules" else learned
    frame = state_rows().sample(240, random_state=7).reset_index(drop=True).astype(str)
    rng = np.random.default_rng(7)
    for i in range(len(frame)):  # two rows in three get one to three odd cells
        for column, value in [ODD_CELLS[k] for k in rng.integers(len(ODD_CELLS), size=rng.integers(0, 4))]:
            frame.loc[i, column] = value if rng.random() < 0.8 else f" {frame.loc[i, column]} "
    frame["interview_id"] = [f"mix{i}" for i in range(len(frame))]
    got = offerodds.spark.score(spark.createDataFrame(frame), model=scorer).toPandas()
    expected = offerodds.score(frame, model=scorer)
    assert 0 < (expected["error"].fillna("") != "").sum() < len(frame)
    assert_like(got, expected, "interview_id", FLOATS)


@pytest.mark.parametrize("model", ["rules", "every_term"])
def test_spark_strips_every_kind_of_white_space_as_score_does(model, spark):
    """Padded with any of the 29 characters Python's str.strip() removes (a no-break space, a
    line separator, U+001F...), a cell reads as ``offerodds.score`` reads it; holding only such
    space it is blank; minutes with an infinite ratio leave the length not known."""
    from tests.export.test_sql import space_rows, with_every_kind_of_term

    scorer = offerodds.rules() if model == "rules" else with_every_kind_of_term()
    frame = space_rows().astype(str)
    expected = offerodds.score(frame, model=scorer)
    assert (expected["error"].fillna("") == "").all()
    assert_like(offerodds.spark.score(spark.createDataFrame(frame), model=scorer).toPandas(), expected, "interview_id", FLOATS)


def test_spark_reads_a_typed_cell_the_same_both_ways(spark, learned, tmp_path):
    """Read with inferSchema, a cell is a number or a boolean: how="sql" and how="udf" both
    read Spark's text of it, so they agree on every row (a 'NaN' that became a double NaN is
    rejected both ways, as offerodds score rejects it in the file; '01' in a yes/no that became
    1 is a yes both ways)."""
    path = tmp_path / "typed.csv"
    pd.DataFrame({
        "interview_id": ["a", "b", "c", "d", "e", "f"],
        "engagement": ["NaN", "4", "12345678", "2.5", "", "5"],
        "hurried": ["0", "01", "1", "0", "", "1.00"],
        "scheduled_minutes": ["60", "45", "", "30", "60", "1e-310"],
        "actual_minutes": ["45", "45", "", "90", "", "60"],
        "structured_format": ["true", "false", "", "true", "false", ""],
    }).to_csv(path, index=False)
    df = spark.read.csv(str(path), header=True, inferSchema=True)
    assert dict(df.dtypes)["engagement"] == "double" and dict(df.dtypes)["hurried"] == "double"
    for scorer in (offerodds.rules(), learned):
        sql = offerodds.spark.score(df, model=scorer, how="sql").toPandas()
        udf = offerodds.spark.score(df, model=scorer, how="udf").toPandas()
        assert sql["error"].tolist() == udf["error"].tolist()
        assert sql["error"][0].startswith("engagement: not a number (got 'NaN')")
        assert (sql["error"] != "").sum() == 2  # the NaN and the rating of 12345678
        for column in FLOATS:
            np.testing.assert_allclose(sql[column].to_numpy(dtype=float, na_value=np.nan),
                                       udf[column].to_numpy(dtype=float, na_value=np.nan), rtol=0, atol=1e-12, err_msg=column)


@pytest.mark.parametrize("how", ["sql", "udf"])
def test_the_documented_reader_keeps_a_cell_with_a_line_break_in_its_row(how, spark, tmp_path):
    """docs/sql.md reads the CSV with multiLine=True and escape='"': a note of two lines, a
    rating typed with Enter and a doubled quote stay in their rows, which score as ``offerodds
    score`` scores the file (Spark's defaults would split the row in two)."""
    path = tmp_path / "notes.csv"
    pd.DataFrame({
        "interview_id": ["a", "b", "c"],
        "engagement": ["\t3\n", "4", "5"],
        "rapport": ["5", "2", "4"],
        "notes": ["they said \"soon\"", "two\nlines", "short"],  # written as "they said ""soon"""
    }).to_csv(path, index=False)
    df = spark.read.csv(str(path), header=True, multiLine=True, escape='"')
    got = offerodds.spark.score(df, model=offerodds.rules(), how=how).toPandas()
    expected = offerodds.score(str(path), model=offerodds.rules())
    assert len(got) == 3 and got["notes"].tolist() == ["they said \"soon\"", "two\nlines", "short"]
    assert_like(got, expected, "interview_id", FLOATS)
    split = spark.read.csv(str(path), header=True).count()  # what the defaults would have done
    assert split > 3


def test_spark_refuses_a_column_named_like_its_own(spark):
    """The query names its own columns _oo_...: an input column so named is refused with a
    clear error, not Spark's AMBIGUOUS_REFERENCE."""
    df = spark.createDataFrame(pd.DataFrame({"interview_id": ["a"], "engagement": ["4"], "_OO_error": ["x"]}))
    with pytest.raises(InputError, match="_OO_error"):
        offerodds.spark.score(df)


@pytest.mark.skipif(int(pyspark.__version__.split(".")[0]) < 4, reason="the cut is made for Spark 4's code generation")
@pytest.mark.parametrize("model", ["rules", "learned"])
def test_spark_compiles_the_scorer_instead_of_interpreting_it(model, spark, learned, people_files):
    """The JVM interprets a generated method of more than 8,000 bytes of bytecode, several
    times slower than compiled code: every method Spark generates for the scorer stays
    below that (docs/scale.md, "The scorer as SQL")."""
    import re

    scorer = offerodds.rules() if model == "rules" else learned
    df = spark.read.csv(str(people_files["ints"]), header=True)
    plan = offerodds.spark.score(df, model=scorer)._jdf.queryExecution().executedPlan()
    code = spark._jvm.org.apache.spark.sql.execution.debug.package.codegenString(plan)
    sizes = [int(x) for x in re.findall(r"maxMethodCodeSize:(\d+)", code)]
    assert sizes and max(sizes) < 8000, sizes


def test_to_sql_in_spark_without_the_columns_needs_the_template(spark, tmp_path):
    from offerodds.signals.catalogue import template_columns

    path = tmp_path / "template.csv"
    path.write_text(",".join(template_columns()) + "\n" + ",".join(["x1"] + [""] * (len(template_columns()) - 1)) + "\n")
    spark.read.csv(str(path), header=True).createOrReplaceTempView("blank")
    got = spark.sql(offerodds.to_sql("spark", "blank", model=offerodds.rules())).collect()
    assert got[0]["error"] == "" and got[0]["signals_recorded"] == 0
    assert got[0]["offer_probability"] == pytest.approx(float(expected_of(path, offerodds.rules())["offer_probability"][0]), abs=1e-12)


@pytest.mark.parametrize("how", ["sql", "udf"])
@pytest.mark.parametrize("variant", ["headers", "true_false"])
def test_spark_score_keeps_the_input_and_adds_the_results(how, variant, spark, learned, people_files):
    path = people_files[variant]
    df = spark.read.csv(str(path), header=True, inferSchema=(variant == "true_false"))
    scored = offerodds.spark.score(df, model=learned, how=how)
    names = scored.columns
    assert names[: len(df.columns)] == df.columns
    assert names[len(df.columns):] == [c for c in offerodds.spark.result_columns(how) if c != "interview_id"] or \
        names[len(df.columns):] == offerodds.spark.result_columns(how)
    assert len({n.lower() for n in names}) == len(names)  # no repeated name, whatever the case
    # the natural next step of a person works: select everything, and by name
    scored.select("*").select(ID.get(variant, "interview_id"), "offer_probability", "error").collect()
    got = scored.toPandas()
    expected = expected_of(path, learned)
    floats = FLOATS + (["offer_probability_low", "offer_probability_high"] if how == "udf" else [])
    assert_like(got, expected, ID.get(variant, "interview_id"), floats)
    if how == "udf":  # the registry model's text columns, as offerodds.score gives them
        key = ID.get(variant, "interview_id")
        both = got.merge(expected, on=key, suffixes=("", "_py"))
        assert both["reasons"].tolist() == both["reasons_py"].fillna("").tolist()
    # the input columns are untouched
    pd.testing.assert_frame_equal(got[df.columns], df.toPandas(), check_like=False)


def test_spark_score_replaces_input_columns_named_like_results(spark):
    df = spark.createDataFrame(
        [("a", "5", "0.9", "old"), ("b", "7", "0.1", "old")], ["INTERVIEW_ID", "Selling", "Offer_Probability", "error"]
    )
    with pytest.warns(UserWarning, match=r"\['Offer_Probability', 'error'\] have the names of result columns"):
        scored = offerodds.spark.score(df, model=offerodds.rules())
    assert scored.columns[:2] == ["INTERVIEW_ID", "Selling"]
    assert "interview_id" not in scored.columns and scored.columns.count("error") == 1
    rows = {r["INTERVIEW_ID"]: r for r in scored.collect()}
    expected = offerodds.score({"selling": 5}, model=offerodds.rules())["offer_probability"][0]
    assert rows["a"]["offer_probability"] == pytest.approx(float(expected), abs=1e-12)
    assert rows["b"]["offer_probability"] is None
    assert rows["b"]["error"] == "Selling: a scale must be a number from 1 to 5 (got '7')"


def test_spark_score_refuses_what_it_cannot_do(spark):
    df = spark.createDataFrame([("a", "5")], ["interview_id", "selling"])
    with pytest.raises(offerodds.InputError, match="how must be 'sql' or 'udf'"):
        offerodds.spark.score(df, model=offerodds.rules(), how="pandas")
    with pytest.raises(offerodds.InputError, match="model must be a scorer"):
        offerodds.spark.score(df, model="v3")
    twice = spark.createDataFrame([("4", "5")], ["Eye Contact", "eye_contact"])
    with pytest.raises(ValueError, match="eye_contact"):
        offerodds.spark.score(twice, model=offerodds.rules())


def test_spark_udf_gives_each_rows_warnings_as_the_registry_model(spark, tmp_path):
    """A row scored with a problem that did not stop it (a length planned but not measured)
    carries it in ``warnings``, in the registry model's words; a clean row carries ""."""
    from offerodds.tracking.pyfunc import pyfunc_predict
    from offerodds.usecases import score_table

    frame = pd.DataFrame({"interview_id": ["half", "clean"], "engagement": ["4", "4"],
                          "scheduled_minutes": ["60", "60"], "actual_minutes": [None, "55"]})
    scored = offerodds.spark.score(spark.createDataFrame(frame), model=offerodds.rules(), how="udf")
    got = scored.toPandas().set_index("interview_id")
    expected = pyfunc_predict(offerodds.rules(), frame, score_table=score_table).set_index("interview_id")
    assert "actual_minutes" in got.loc["half", "warnings"]
    assert got.loc["clean", "warnings"] == ""
    assert got["warnings"].to_dict() == expected["warnings"].to_dict()
