"""``offerodds.spark.score``: score a Spark DataFrame where it lives, as Spark SQL or as a Python UDF.

>>> import offerodds.spark                                              # doctest: +SKIP
>>> df = spark.read.csv("interviews.csv", header=True, multiLine=True, escape='"')  # doctest: +SKIP
>>> scored = offerodds.spark.score(df)               # the workspace's serving scorer, in Spark SQL
>>> scored.select("interview_id", "offer_probability", "error").show()  # doctest: +SKIP

Importing this module imports PySpark (``pip install offerodds[spark]``); ``import offerodds``
does not.
"""

from __future__ import annotations

import warnings

import pandas as pd

from offerodds.export.query import read_columns
from offerodds.export.sql import SQL_COLUMNS, select_sql
from offerodds.errors import InputError
from offerodds.stores.serving import load_model
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.catalogue import input_columns
from offerodds.tracking.pyfunc import output_columns

__all__ = ["result_columns", "score"]

_HOW = ("sql", "udf")


def result_columns(how: str = "sql") -> list[str]:
    """The columns :func:`score` adds after the input columns (``interview_id`` only when the
    input has no id column): with ``how="sql"`` those of :func:`offerodds.to_sql`, with
    ``how="udf"`` those of the registry model (its interval, reasons and next step too)."""
    if how not in _HOW:
        raise InputError(f"how must be 'sql' or 'udf', got {how!r}")
    return SQL_COLUMNS() if how == "sql" else list(output_columns())


def score(df, model: LinearScorer | None = None, how: str = "sql", *, as_of=None):
    """Score the interviews of a Spark DataFrame: its columns, then the results and ``error``.

    Parameters
    ----------
    df : pyspark.sql.DataFrame
        Interviews as Spark's readers give them (``spark.read.csv(path, header=True)``, with or
        without ``inferSchema``, a table, a Parquet file). Headers match the signal columns as
        in ``offerodds score`` (case, spaces and hyphens ignored); absent signal columns are
        not recorded; other columns pass through unchanged.
    model : scorer, optional
        What :func:`offerodds.fit` or :func:`offerodds.rules` returned; by default what
        ``offerodds score`` serves on the driver (the workspace's champion, else the rule card).
    how : {"sql", "udf"}
        ``"sql"``: one Spark SQL query (:func:`offerodds.to_sql`), no Python on the executors;
        probability, log-odds, baseline, contributions, ``signals_recorded``, ``scorer``,
        ``model_version``. The cheaper way on large frames: on 1,000,000 rows x4.8 ``"udf"``'s
        rows per CPU second (a seventh of its CPU above reading them). Spark plans the query
        once per frame (about 1.5 CPU s), so it is x2.5 on 200,000 rows; the first query of a
        fresh session costs about what ``"udf"``'s does; and on a few hundred rows ``"udf"`` is
        quicker (200 rows: 5.6 s the first time and 1.2 s after, against 2.2 s and 0.4 s;
        docs/scale.md, "The scorer as SQL").
        ``"udf"``: a pandas UDF running :func:`offerodds.score` on the executors (they must
        import offerodds); every result column of the registry model, with the interval,
        reasons and next step.
    as_of : optional
        With ``how="udf"``, the date the next step is given for (default today).

    Returns
    -------
    pyspark.sql.DataFrame
        The input columns in order, then :func:`result_columns` and ``error`` ("" for a scored
        row; for a row ``offerodds score`` rejects, its problems and no probability). No name
        is repeated: an input column named like a result column (``offer_probability``,
        ``error``, ...) is replaced, with a warning, and ``interview_id`` is added only when
        the input has no id column.
    """
    if how not in _HOW:
        raise InputError(f"how must be 'sql' or 'udf', got {how!r}")
    scorer = model if model is not None else load_model()
    if not isinstance(scorer, LinearScorer):
        raise InputError(f"model must be a scorer (offerodds.rules(), offerodds.fit(...)), got {type(scorer).__name__}")
    columns = list(df.columns)
    colmap = read_columns(columns)  # a clear error for two headers that mean one column
    added = {c.lower() for c in result_columns(how)} - (
        {"interview_id"} if "interview_id" in colmap else set()
    )
    replaced = [c for c in columns if c.lower() in added]  # Spark compares names without case
    if replaced:
        warnings.warn(f"input columns {replaced} have the names of result columns and are replaced", stacklevel=2)
    kept = [c for c in columns if c not in replaced]
    colmap = {canon: header for canon, header in colmap.items() if header in kept}
    if how == "sql":
        return _by_sql(df, scorer, kept, colmap)
    return _by_udf(df, scorer, kept, colmap, as_of)


def _by_sql(df, scorer: LinearScorer, kept: list[str], colmap: dict[str, str]):
    marker = "offerodds_source_frame"
    query = select_sql(scorer, "spark", marker, columns=kept, colmap=colmap, passthrough=kept)
    # spark.sql formats the query with the frame: braces in names are doubled, the frame is {df}
    query = query.replace("{", "{{").replace("}", "}}").replace(f"FROM {marker} AS src", "FROM {df} AS src")
    return df.sparkSession.sql(query, df=df)


def _by_udf(df, scorer: LinearScorer, kept: list[str], colmap: dict[str, str], as_of):
    from pyspark.sql import functions as F
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    has_id = "interview_id" in colmap
    results = {c: t for c, t in output_columns().items() if not (has_id and c == "interview_id")}
    schema = StructType(
        [StructField(c, DoubleType() if t == "double" else StringType(), True) for c, t in results.items()]
    )

    def score_batch(frame: pd.DataFrame) -> pd.DataFrame:
        from offerodds.usecases import score_table
        from offerodds.tracking.pyfunc import model_output, model_table

        table = model_table(frame)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # each executor's warnings would repeat the driver's
            scored = score_table(table, scorer, as_of=as_of, row_warnings=True)  # as the registry model
        return model_output(scored, table)[list(results)]

    udf = F.pandas_udf(score_batch, schema)
    quoted = [F.col("`" + c.replace("`", "``") + "`") for c in kept]
    # each signal cell as Spark's text of it, as the SQL reads it: a typed cell (inferSchema)
    # reads the same both ways (a double NaN is the text NaN, rejected as in a file, not a
    # pandas NaN, blank)
    signals = {colmap[c] for c in input_columns() if c in colmap}
    cells = [q.cast("string").alias(c) if c in signals else q for q, c in zip(quoted, kept)]
    struct = F.struct(*cells) if cells else F.struct(F.lit(None).alias("_"))
    field = "offerodds_results"
    return df.select(*quoted, udf(struct).alias(field)).select(
        *[F.col("`" + c.replace("`", "``") + "`") for c in kept], f"{field}.*"
    )
