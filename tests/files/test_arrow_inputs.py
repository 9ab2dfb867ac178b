"""Arrow-native tables passed straight in (DESIGN.md, "Python API": a pandas / Polars / Arrow /
DuckDB table): Polars DataFrames and LazyFrames, pyarrow Tables and RecordBatchReaders (read in
batches), DuckDB relations, with the real libraries. Each gives a pandas frame with the values
the same rows give as pandas."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.usecases import iter_scored
from offerodds.files.reading import InputError, open_table
from offerodds.scoring.results import result_columns
from offerodds.synthetic import generate

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")

REPO = Path(__file__).resolve().parents[2]
INTERVIEWS = REPO / "data" / "examples" / "interviews.csv"
AS_OF = "2026-03-10"
RESULTS = [*result_columns(), "error"]


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the example's kept-row warnings, said once per call
        yield


def people() -> pd.DataFrame:
    """The example interviews as pandas reads them, with what people add: a header as written
    ("Eye Contact"), an invalid row, a date column, a category and a column offerodds passes on."""
    frame = pd.read_csv(INTERVIEWS).head(60).rename(columns={"eye_contact": "Eye Contact"})
    frame.loc[5, "engagement"] = 9  # out of the scale: an error on that row
    frame["interview_date"] = pd.to_datetime(frame["interview_date"]).dt.date
    frame["stage"] = frame["stage"].astype("category")
    frame["notes"] = [f"note {i}" if i % 3 else None for i in range(len(frame))]
    return frame


def same_results(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Every result column identical (floats to the bit, NaN where NaN), same rows, same order."""
    assert isinstance(got, pd.DataFrame) and len(got) == len(want)
    for column in RESULTS:
        a, b = got[column], want[column]
        if column.startswith(("offer_", "baseline_", "contrib_", "signals_")):
            assert np.array_equal(a.to_numpy(float, na_value=np.nan), b.to_numpy(float, na_value=np.nan),
                                  equal_nan=True), column
        else:
            assert a.fillna("").astype(str).tolist() == b.fillna("").astype(str).tolist(), column


def same_cells(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """The input columns hold the same values (as text; blank where missing), in the same order."""
    inputs = [c for c in want.columns if c not in RESULTS]
    assert [c for c in got.columns if c not in RESULTS] == inputs

    def text(v):
        if v is None or (not isinstance(v, str) and pd.isna(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)[:10] if isinstance(v, (dt.date, pd.Timestamp)) else str(v)

    for column in inputs:
        assert [text(v) for v in got[column]] == [text(v) for v in want[column]], column


@pytest.fixture(scope="module")
def frame():
    return people()


@pytest.fixture(scope="module")
def want(frame, card):
    return offerodds.score(frame, model=card, as_of=AS_OF)


def arrow_kinds(frame: pd.DataFrame) -> dict:
    """Each Arrow-native kind, made from the pandas frame by its own library."""
    polars = pl.from_pandas(frame)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    con = duckdb.connect()
    con.register("interviews", table)
    return {
        "polars DataFrame": polars,
        "polars LazyFrame": polars.lazy().filter(pl.lit(True)),
        "pyarrow Table": table,
        "pyarrow RecordBatch": table.combine_chunks().to_batches()[0],
        "pyarrow RecordBatchReader": table.to_reader(max_chunksize=7),
        "DuckDB relation": con.sql("select * from interviews"),
    }


@pytest.mark.parametrize("kind", ["polars DataFrame", "polars LazyFrame", "pyarrow Table", "pyarrow RecordBatch",
                                  "pyarrow RecordBatchReader", "DuckDB relation"])
def test_score_takes_the_table_straight_and_gives_the_pandas_values(kind, frame, want, card):
    got = offerodds.score(arrow_kinds(frame)[kind], model=card, as_of=AS_OF)
    same_results(got, want)
    same_cells(got, want)
    assert got.loc[5, "error"].startswith("engagement: a scale must be a number from 1 to 5")
    assert np.isnan(got.loc[5, "offer_probability"]) and got.loc[0, "error"] == ""
    assert list(got.columns[: frame.shape[1]]) == list(frame.columns)  # headers as written ("Eye Contact")


def test_a_duckdb_query_scores_as_its_own_df_does(card):
    """A relation over a file, the way people use DuckDB: the same as ``.df()``."""
    relation = duckdb.sql(f"select * from read_csv('{INTERVIEWS.as_posix()}') where stage <> 'other'")
    got = offerodds.score(relation, model=card, as_of=AS_OF)
    want = offerodds.score(relation.df(), model=card, as_of=AS_OF)
    same_results(got, want)
    same_cells(got, want)
    assert 0 < len(got) < 200


def test_a_record_batch_reader_is_read_in_batches_not_all_at_once(card):
    """A stream is pulled batch by batch as chunks are scored: never all of it first."""
    frame = pd.read_csv(INTERVIEWS)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    pulled = []

    def batches():
        for i, batch in enumerate(table.to_batches(max_chunksize=10)):
            pulled.append(i)
            yield batch

    reader = pa.RecordBatchReader.from_batches(table.schema, batches())
    opened = open_table(reader)
    assert opened.n_rows is None and opened.kind == "arrow"
    chunks = iter_scored(opened, card, chunk_rows=20, as_of=AS_OF)
    first = next(chunks)
    assert len(first.frame) == 20 and len(pulled) <= 3  # two batches make the chunk (one peeked)
    rest = list(chunks)
    assert sum(len(c.frame) for c in rest) == 180 and len(pulled) == 20
    with pytest.raises(InputError, match="already read .* pass a new one"):
        next(iter(opened.chunks()))


def test_a_polars_dataframe_or_duckdb_relation_can_be_read_twice(frame):
    for source in (pl.from_pandas(frame), duckdb.sql("select 4 as engagement, 'x' as notes")):
        table = open_table(source)
        first = pd.concat(list(table.chunks(7)), ignore_index=True)
        again = pd.concat(list(table.chunks(100)), ignore_index=True)
        pd.testing.assert_frame_equal(first, again)


def test_an_empty_table_gives_the_columns_and_no_rows(card):
    for source in (pl.DataFrame({"engagement": pl.Series([], dtype=pl.Int64)}),
                   pl.DataFrame({"engagement": [4]}).lazy().filter(pl.col("engagement") > 5),
                   duckdb.sql("select 4 as engagement where false")):
        out = offerodds.score(source, model=card)
        assert len(out) == 0 and list(out.columns) == ["engagement", *RESULTS]


def test_explain_takes_a_one_row_polars_frame_or_relation(card):
    row = {"interview_id": "a1", "engagement": 5, "selling": 4, "hurried": "yes", "stage": "final"}
    want = offerodds.explain(row, model=card)
    for source in (pl.DataFrame([row]), duckdb.sql(
            "select 'a1' as interview_id, 5 as engagement, 4 as selling, 'yes' as hurried, 'final' as stage")):
        got = offerodds.explain(source, model=card)
        assert got.offer_probability == want.offer_probability and str(got) == str(want)


def test_fit_on_polars_learns_what_it_learns_on_pandas():
    labelled = generate(300, seed=7)
    want = offerodds.fit(labelled)
    for source in (pl.from_pandas(labelled), pa.Table.from_pandas(labelled, preserve_index=False).to_reader(50)):
        got = offerodds.fit(source)
        assert np.array_equal(got.coef, want.coef) and got.intercept == want.intercept


def test_monitor_takes_polars_and_duckdb(tmp_path):
    batch, reference = generate(200, seed=1), generate(1500, seed=2)
    want = offerodds.monitor(batch, reference=reference, workspace=tmp_path)
    con = duckdb.connect()
    con.register("reference", pa.Table.from_pandas(reference, preserve_index=False))
    got = offerodds.monitor(pl.from_pandas(batch).lazy(), reference=con.sql("select * from reference"),
                            workspace=tmp_path)
    assert got.moved == want.moved
    pd.testing.assert_frame_equal(got.checks, want.checks)


def test_retrain_merges_a_polars_frame_and_a_duckdb_relation(tmp_path, merge_only_config):
    """One table is one source (a Polars frame is not iterated as a list of sources)."""
    labelled = pd.read_csv(REPO / "data" / "examples" / "outcomes.csv").head(120)
    con = duckdb.connect()
    con.register("outcomes", pa.Table.from_pandas(labelled.iloc[60:], preserve_index=False))
    report = offerodds.retrain(pl.from_pandas(labelled.iloc[:60]), workspace=tmp_path / "a", config=merge_only_config)
    assert report.rows_read == 60 and report.store_rows_after == 60
    report = offerodds.retrain(con.sql("select * from outcomes"), workspace=tmp_path / "a", config=merge_only_config)
    assert report.rows_read == 60 and report.store_rows_after == 120
    pandas_report = offerodds.retrain(labelled, workspace=tmp_path / "b", config=merge_only_config)
    from offerodds.stores.outcomes import OutcomeStore
    from offerodds.files.workspace import Workspace

    a = OutcomeStore(Workspace(tmp_path / "a")).read().drop(columns=["labelled_at", "ingested_at"], errors="ignore")
    b = OutcomeStore(Workspace(tmp_path / "b")).read().drop(columns=["labelled_at", "ingested_at"], errors="ignore")
    assert pandas_report.store_rows_after == 120
    pd.testing.assert_frame_equal(a, b)


def test_the_cli_scores_parquet_written_by_polars_and_duckdb_like_the_frame(tmp_path, frame, card):
    from offerodds import cli

    polars = pl.from_pandas(frame)
    polars.write_parquet(tmp_path / "polars.parquet")
    con = duckdb.connect()
    con.register("interviews", polars.to_arrow())
    con.sql(f"copy interviews to '{(tmp_path / 'duckdb.parquet').as_posix()}' (format parquet)")
    want = offerodds.score(polars, model=card, as_of=AS_OF)
    for name in ("polars", "duckdb"):
        out = tmp_path / f"{name}.scored.parquet"
        assert cli.main(["score", str(tmp_path / f"{name}.parquet"), "-o", str(out), "--rules", "--quiet",
                         "--as-of", AS_OF, "--workspace", str(tmp_path)]) == 0
        got = pd.read_parquet(out)
        kept = want[want["error"] == ""].reset_index(drop=True)  # the CLI rejects row 6 to its file
        assert len(kept) == len(want) - 1
        same_results(got.assign(error=""), kept)
        same_cells(got, kept.drop(columns="error"))


@pytest.mark.parametrize("source, named", [(42, "int"), ({1, 2}, "set"), (np.zeros((2, 2)), "numpy.ndarray")])
def test_an_unknown_type_is_named_with_what_is_accepted(source, named):
    with pytest.raises(InputError) as info:
        open_table(source)
    message = str(info.value)
    assert message.startswith(f"cannot read input of type {named}; pass a CSV or Parquet file path, ")
    for kind in ("pandas or Polars DataFrame", "Polars LazyFrame", "pyarrow Table", "RecordBatchReader",
                 "DuckDB relation", "__arrow_c_stream__", "one dict or a list of dicts"):
        assert kind in message  # each of them is tested above


def test_a_polars_series_is_one_column_not_a_table():
    with pytest.raises(InputError, match=r"a Series is one column, not a table; .*series.to_frame\(\)"):
        open_table(pl.Series("engagement", [4, 5]))


def test_a_lazyframe_whose_query_fails_is_a_one_line_error():
    lazy = pl.DataFrame({"engagement": [4]}).lazy().select(pl.col("no_such_column"))
    with pytest.raises(InputError, match="the Polars LazyFrame could not be computed: ") as info:
        open_table(lazy)
    assert "\n" not in str(info.value)
