"""The scorer as SQL: DuckDB against ``offerodds score``, and Spark SQL against the Python UDF.

The input is the synthetic CSV of ``score_throughput.py`` (cached in ``benchmarks/_data/``,
git-ignored): whole numbers, yes/no, blanks where nothing was recorded. The scorer is the rule
card (what ``offerodds score`` serves in a workspace without a champion) unless ``--model``:
then a model fitted on 2,000 synthetic outcomes, for which ``offerodds score`` also computes
the 90 % interval that the SQL leaves out.

**DuckDB** (``--rows``, default 1,000,000; each method in its own subprocess, interleaved,
``--repeat`` times, the median wall time reported):

- ``offerodds score IN -o OUT --quiet`` (``--rules`` unless ``--model``): every input column
  and every result column, reasons and next step included, CSV out;
- DuckDB: ``COPY (<offerodds.to_sql>) TO 'OUT' (HEADER)`` with the table
  ``read_csv('IN', all_varchar=true)``: interview_id, probability, log-odds, baseline,
  contributions, signals_recorded, scorer, model_version, error. DuckDB's default threads (the
  machine's cores); the CLI overlaps its writing with its scoring too.

**Spark** (``--spark-rows``, default 1,000,000; ``--no-spark`` skips it): ``local[2]``,
``offerodds.spark.score(df, how=...)``, ``how="sql"`` against ``how="udf"`` (the pandas UDF
running ``offerodds.score``), and the floor: the same rows read without scoring. By default
(``--spark-sink noop``) the rows, written once to Parquet with every column text (as the CSV
reader gives them), are read from Parquet and the results go to Spark's ``noop`` sink (every
row computed, nothing written): that measures the scorers, not a file format.
``--spark-sink parquet`` reads the CSV with ``spark.read.csv(header=True)`` and writes
Parquet (every input column and the results); the floor then reads and writes the rows
without scoring, and the reading and writing bound what any scorer can reach end to end
(printed). One warm-up run of each, then ``--repeat`` counted runs, interleaved; medians.
"Per core" is rows per CPU second of the whole process tree (this process, the JVM, the
Python workers; utime + stime from /proc, Linux only), building the scored frame (where
``spark.sql`` parses and analyses the query) and writing it. Also printed: each way's CPU above
the floor (the scoring alone), and the most any way could reach end to end (the UDF's CPU over
the floor's: no scorer can cost less than reading and writing the rows).
A query's planning (parsing and analysing the SQL: about 1.5 CPU s for Spark SQL, 0.4 for
the UDF) is paid once per frame, so the ratio grows with the rows: at 200,000 the SQL's
planning is a third of its CPU (``--spark-rows 200000`` shows it).

Targets (PASS/FAIL, exit status 1 if any fails): DuckDB at least as fast as the CLI (median
wall time); its probabilities, log-odds and contributions equal to the CLI's to 1e-9 on every
row; Spark SQL at least 3x the UDF's rows per CPU second, with the same probabilities to 1e-9.

Usage::

    PYTHONPATH=src nice python benchmarks/sql_throughput.py                 # 1M rows each
    PYTHONPATH=src nice python benchmarks/sql_throughput.py --quick         # 100k / 50k rows, one run
    PYTHONPATH=src nice python benchmarks/sql_throughput.py --model --no-spark
    PYTHONPATH=src nice python benchmarks/sql_throughput.py --no-duckdb --spark-rows 200000
    PYTHONPATH=src nice python benchmarks/sql_throughput.py --no-duckdb --spark-sink parquet   # CSV in, Parquet out
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import print_checks  # benchmarks/_report.py, beside this script
from score_throughput import _MEASURE, DATA, SRC, input_csv

CORES = 2


def _env() -> dict:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{path}" if path else str(SRC),
            "MLFLOW_DISABLE_TELEMETRY": "true"}


def workspace(model: bool) -> Path:
    """An empty workspace (the rule card serves), or one whose champion is a fitted model."""
    folder = DATA / ("sql-model-workspace" if model else "sql-rules-workspace")
    if model and not (folder / "models").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        code = (
            "import sys; from offerodds.synthetic import generate; from offerodds.stores.modelstore import ModelStore;"
            "from offerodds.files.workspace import Workspace; import offerodds;"
            "ws = Workspace.resolve(sys.argv[1]); store = ModelStore(ws);"
            "m = offerodds.fit(generate(2000, seed=24)); v = store.save(m); store.set_champion(v, 'benchmark')"
        )
        subprocess.run([sys.executable, "-c", code, str(folder)], env=_env(), check=True)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_measured(command: list[str]) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    try:
        subprocess.run([sys.executable, "-c", _MEASURE, str(report), *command], env=_env(), check=True)
        result = json.loads(report.read_text())
    finally:
        report.unlink(missing_ok=True)
    if result["rc"] != 0:
        raise SystemExit(f"{command[:4]} failed with exit code {result['rc']}")
    return result


_DUCKDB = """
import sys, duckdb
sql = open(sys.argv[1], encoding="utf-8").read().rstrip().rstrip(";")
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(f"COPY ({sql}) TO '{sys.argv[2]}' (HEADER)")
"""


def duckdb_part(rows: int, repeat: int, model: bool, folder: Path) -> list[tuple[bool, str]]:
    import numpy as np
    import pandas as pd

    source = input_csv(rows)
    ws = workspace(model)
    sql_file = folder / "score.sql"
    table = f"read_csv('{source}', all_varchar=true)"
    subprocess.run([sys.executable, "-m", "offerodds.cli", "sql", "--dialect", "duckdb", "--table", table,
                    "-o", str(sql_file), "--workspace", str(ws)], env=_env(), check=True)
    cli_out, sql_out = folder / "cli.csv", folder / "duckdb.csv"
    cli_cmd = [sys.executable, "-m", "offerodds.cli", "score", str(source), "-o", str(cli_out), "--quiet",
               "--workspace", str(ws), *([] if model else ["--rules"])]
    duck_cmd = [sys.executable, "-c", _DUCKDB, str(sql_file), str(sql_out)]
    runs: dict[str, list[dict]] = {"cli": [], "duckdb": []}
    for i in range(repeat):
        for name, command in (("cli", cli_cmd), ("duckdb", duck_cmd)):
            result = run_measured(command)
            runs[name].append(result)
            print(f"  run {i + 1}: {name:6s} wall {result['wall']:6.1f} s  CPU {result['cpu']:6.1f} s  "
                  f"peak {result['peak_mb']:5.0f} MB", flush=True)
    med = {k: statistics.median(r["wall"] for r in v) for k, v in runs.items()}
    cpu = {k: statistics.median(r["cpu"] for r in v) for k, v in runs.items()}
    peak = {k: max(r["peak_mb"] for r in v) for k, v in runs.items()}
    print(f"\nDuckDB, {rows:,} interviews, {'a fitted model' if model else 'the rule card'}, median of {repeat}:")
    print(f"| method | wall s (median) | CPU s | peak MB | output MB |\n|---|---:|---:|---:|---:|")
    for name, out in (("cli", cli_out), ("duckdb", sql_out)):
        label = "offerodds score -o" if name == "cli" else "DuckDB COPY (to_sql) TO csv"
        print(f"| {label} | {med[name]:.1f} | {cpu[name]:.1f} | {peak[name]:.0f} | {out.stat().st_size / 2**20:.0f} |")
    # agreement, every row (both keep the input's order; the synthetic rows are all valid)
    columns = ["interview_id", "offer_probability", "offer_log_odds", "baseline_log_odds"]
    from offerodds.signals.catalogue import contribution_signals

    columns += [f"contrib_{s}" for s in contribution_signals()]
    a = pd.read_csv(cli_out, usecols=columns, dtype={"interview_id": str}, engine="pyarrow")
    b = pd.read_csv(sql_out, usecols=list(a.columns), dtype={"interview_id": str}, engine="pyarrow")
    same_rows = len(a) == len(b) == rows and (a["interview_id"].to_numpy() == b["interview_id"].to_numpy()).all()
    floats = [c for c in a.columns if c != "interview_id"]
    gap = float(np.nanmax(np.abs(a[floats].to_numpy(float) - b[floats].to_numpy(float)))) if same_rows else float("inf")
    return [
        (med["duckdb"] <= med["cli"], f"DuckDB at least as fast as offerodds score: {med['duckdb']:.1f} s against "
         f"{med['cli']:.1f} s (x{med['cli'] / med['duckdb']:.2f}), {rows:,} rows"),
        (same_rows and gap <= 1e-9, f"DuckDB equals the CLI on all {rows:,} rows: largest difference {gap:.1e} "
         f"over probability, log-odds, baseline and {len(floats) - 3} contributions"),
    ]


def spark_part(rows: int, repeat: int, model: bool, folder: Path, sink: str = "noop") -> list[tuple[bool, str]]:
    import numpy as np
    import pandas as pd

    from spark_throughput import spark_session, tree_cpu

    source = input_csv(rows)
    ws = workspace(model)
    os.environ["OFFERODDS_WORKSPACE"] = str(ws)
    spark = spark_session(10_000)
    import offerodds
    import offerodds.spark

    scorer = offerodds.load_model()
    if sink == "noop":  # the same rows as Parquet (every column text, as the CSV reader gives it), once
        source = DATA / f"interviews_{rows}.parquet"
        if not source.exists():
            spark.read.csv(str(input_csv(rows)), header=True).write.mode("overwrite").parquet(str(source))

    def read():
        return spark.read.parquet(str(source)) if sink == "noop" else spark.read.csv(str(source), header=True)

    def write(frame, target: Path):
        if sink == "noop":
            frame.write.format("noop").mode("overwrite").save()
        else:
            frame.write.mode("overwrite").parquet(str(target))

    runs: dict[str, list[dict]] = {"floor": [], "sql": [], "udf": []}
    try:
        # one warm-up of each way (the JVM compiles Spark's own code on first use), then
        # `repeat` counted runs, interleaved
        for k in range(repeat + 1):
            for how in runs:
                target = folder / f"spark-{how}.parquet"
                df = read()
                before, start = tree_cpu(), time.perf_counter()
                # building the frame counts: spark.sql parses and analyses the query there
                frame = df if how == "floor" else offerodds.spark.score(df, model=scorer, how=how)
                write(frame, target)
                wall, after = time.perf_counter() - start, tree_cpu()
                if k:
                    used = {key: after[key] - before[key] for key in after}
                    runs[how].append({"wall": wall, "cpu": sum(used.values()), **used})
                    print(f"  run {k}: {how:5s} wall {wall:6.1f} s  CPU {sum(used.values()):6.1f} s", flush=True)
        if sink == "noop":  # the results once more, to Parquet, for the agreement check (not timed)
            for how in ("sql", "udf"):
                offerodds.spark.score(read(), model=scorer, how=how).write.mode("overwrite").parquet(
                    str(folder / f"spark-{how}.parquet"))
    finally:
        spark.stop()
    med = {how: {key: statistics.median(r[key] for r in rs) for key in rs[0]} for how, rs in runs.items()}
    load = os.getloadavg()
    way = ("from Parquet (every column text) to Spark's noop sink (reading, scoring, nothing written)" if sink == "noop"
           else "from CSV (spark.read.csv, header=True) to Parquet")
    print(f"\nSpark local[{CORES}], {rows:,} interviews {way}, "
          f"median of {repeat} after a warm-up; load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}:")
    print("| way | wall s | CPU s (all processes) | JVM s | Python s | rows per CPU s | CPU s above the floor |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    labels = {"floor": "floor: read and write, no scoring" if sink == "parquet" else "floor: read, no scoring", "sql": 'how="sql"', "udf": 'how="udf"'}
    for how, r in med.items():
        above = "" if how == "floor" else f"{r['cpu'] - med['floor']['cpu']:.1f}"
        print(f"| {labels[how]} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['jvm']:.1f} | {r['workers'] + r['driver']:.1f} "
              f"| {rows / r['cpu']:,.0f} | {above} |")
    a = pd.read_parquet(folder / "spark-sql.parquet", columns=["interview_id", "offer_probability"])
    b = pd.read_parquet(folder / "spark-udf.parquet", columns=["interview_id", "offer_probability"])
    both = a.merge(b, on="interview_id", validate="one_to_one")
    gap = float(np.nanmax(np.abs(both["offer_probability_x"] - both["offer_probability_y"]))) if len(both) == rows else float("inf")
    ratio = med["udf"]["cpu"] / med["sql"]["cpu"]
    scoring = (med["udf"]["cpu"] - med["floor"]["cpu"]) / max(med["sql"]["cpu"] - med["floor"]["cpu"], 1e-9)
    bound = med["udf"]["cpu"] / med["floor"]["cpu"]
    print(f"\nScoring alone (CPU above the floor): how=\"sql\" x{scoring:.2f} the UDF's rows per CPU second. "
          f"The most any way can reach end to end on this input and output is x{bound:.1f} (the UDF's CPU over the floor's).")
    return [
        (ratio >= 3, f"Spark SQL at least 3x the UDF per core: x{ratio:.2f} rows per CPU second, all processes, "
         f"{'Parquet to noop' if sink == 'noop' else 'CSV to Parquet'} ({rows / med['sql']['cpu']:,.0f} against {rows / med['udf']['cpu']:,.0f}); wall x"
         f"{med['udf']['wall'] / med['sql']['wall']:.2f}"),
        (gap <= 1e-9, f"Spark SQL and the UDF agree on all {rows:,} rows: largest difference {gap:.1e}"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="DuckDB input rows (default 1,000,000)")
    parser.add_argument("--spark-rows", type=int, default=1_000_000, help="Spark input rows (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=3, help="counted runs of each method (default 3)")
    parser.add_argument("--model", action="store_true", help="a fitted model instead of the rule card")
    parser.add_argument("--no-spark", action="store_true", help="DuckDB only")
    parser.add_argument("--no-duckdb", action="store_true", help="Spark only")
    parser.add_argument("--spark-sink", choices=("noop", "parquet"), default="noop",
                        help="noop (default): Parquet in (every column text), Spark's noop sink out: the "
                        "scorers' cost; parquet: CSV in, Parquet out, bounded by the reading and writing")
    parser.add_argument("--quick", action="store_true", help="100k / 50k rows, one run each")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.spark_rows, args.repeat = 100_000, 50_000, 1
    checks = []
    with tempfile.TemporaryDirectory(prefix="offerodds-sql-") as tmp:
        if not args.no_duckdb:
            checks += duckdb_part(args.rows, args.repeat, args.model, Path(tmp))
        if not args.no_spark:
            checks += spark_part(args.spark_rows, args.repeat, args.model, Path(tmp), args.spark_sink)
    print()
    return 0 if print_checks(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
