"""Spark throughput: the registry's champion through ``mlflow.pyfunc.spark_udf`` on ``local[2]``,
against ``offerodds score`` on the same file.

The input is the synthetic CSV of ``score_throughput.py`` (cached in ``benchmarks/_data/``,
git-ignored), written as a person writes it: whole numbers, yes/no, blanks. The model is the
champion of a workspace retrained once on ``data/examples/outcomes.csv`` with MLflow tracking on
(cached in ``benchmarks/_data/spark-workspace``), so both sides score with the learned model and
its 90 % interval, and Spark loads it as a user does: ``models:/offerodds@champion``.

- **CLI**: ``offerodds score IN -o OUT`` in a subprocess, OUT a CSV and a Parquet file: read,
  validate, score, write every input column and the result columns.
- **Spark**: ``spark.read.csv(IN, header=True)`` (every column text, as the docs' recipe reads
  it), the UDF on ``struct(*df.columns)`` with the result struct the model's signature declares,
  then the input columns and the result columns written as CSV, as Parquet, and to Spark's
  ``noop`` sink (scoring without writing). One run of each warms the session (the JVM compiles
  each writer's code on first use, the Python workers import) and is not counted; Spark's start
  and the model's download are not counted either. The CLI's figures include its start (about
  1 s of imports). **Spark's floor**: the same
  file read and its columns written as Parquet without scoring, Spark's own share of the cost.

Time is wall time and CPU time. Spark's CPU time is that of the whole process tree (this
process, the JVM, the Python workers), read from /proc, so it is Linux only. "Per core" is CPU
time per row: the machine may be shared, and CPU time moves less than wall time with the load.
Targets (PASS/FAIL, exit status 1 if any fails): the probabilities of both sides agree to 1e-9
on every row; Spark's CPU per row within 2x of the CLI's, writing Parquet (the format a Spark job
writes; Spark's CSV writer costs more); the CPU per row of the UDF's Python workers (MLflow and
offerodds: what this package controls) within 2x of the CLI's whole run.

Usage::

    PYTHONPATH=src python benchmarks/spark_throughput.py                  # 200,000 rows, 3 runs
    PYTHONPATH=src python benchmarks/spark_throughput.py --rows 1000000 --repeat 1
    PYTHONPATH=src python benchmarks/spark_throughput.py --batch 50000    # Arrow batch size
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
from score_throughput import _MEASURE, DATA, ROOT, SRC, input_csv

OUTCOMES = ROOT / "data" / "examples" / "outcomes.csv"
WORKSPACE = DATA / "spark-workspace"
CORES = 2


def _env() -> dict:
    path = os.environ.get("PYTHONPATH")
    return {
        **os.environ,
        "PYTHONPATH": f"{SRC}{os.pathsep}{path}" if path else str(SRC),
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "OPENBLAS_NUM_THREADS": "1",
    }


def workspace() -> Path:
    """The cached workspace whose champion (registered in its MLflow database) is scored."""
    if (WORKSPACE / "mlflow.db").exists() and (WORKSPACE / "models" / "v1").is_dir():
        return WORKSPACE
    shutil.rmtree(WORKSPACE, ignore_errors=True)
    print(f"retraining on {OUTCOMES.name} into {WORKSPACE} (once) ...", flush=True)
    command = [sys.executable, "-m", "offerodds.cli", "retrain", str(OUTCOMES), "--workspace", str(WORKSPACE)]
    subprocess.run(command, env=_env(), check=True, stdout=subprocess.DEVNULL)
    return WORKSPACE


# --- the CLI ---------------------------------------------------------------------------------


def run_cli(source: Path, target: Path) -> dict:
    """``offerodds score`` in a subprocess: its wall time and CPU time."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    command = [sys.executable, "-m", "offerodds.cli", "score", str(source), "-o", str(target), "--quiet",
               "--workspace", str(WORKSPACE)]
    try:
        subprocess.run([sys.executable, "-c", _MEASURE, str(report), *command], env=_env(), check=True)
        result = json.loads(report.read_text())
    finally:
        report.unlink(missing_ok=True)
    if result["rc"] != 0:
        raise SystemExit(f"offerodds score failed with exit code {result['rc']}")
    return result


# --- Spark -----------------------------------------------------------------------------------


def tree_cpu() -> dict[str, float]:
    """CPU seconds used so far by this process ("driver"), the JVM ("jvm") and the Python
    workers ("workers"): every process under this one, finished children included."""
    parents: dict[int, list[int]] = {}
    times: dict[int, tuple[str, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                text = handle.read()
        except OSError:  # the process ended meanwhile
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        pid = int(entry)
        parents.setdefault(int(fields[1]), []).append(pid)
        times[pid] = (name, sum(int(x) for x in fields[11:15]))  # utime, stime, cutime, cstime
    tick = os.sysconf("SC_CLK_TCK")
    out = {"driver": times.get(os.getpid(), ("", 0))[1] / tick, "jvm": 0.0, "workers": 0.0}
    stack = list(parents.get(os.getpid(), []))
    while stack:
        pid = stack.pop()
        name, ticks = times.get(pid, ("", 0))
        out["jvm" if name == "java" else "workers"] += ticks / tick
        stack.extend(parents.get(pid, []))
    return out


def spark_session(batch: int):
    os.environ.update({k: v for k, v in _env().items() if k in ("PYTHONPATH", "MLFLOW_DISABLE_TELEMETRY", "OPENBLAS_NUM_THREADS")})
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master(f"local[{CORES}]")
        .appName("offerodds-benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")  # the figures, not a progress bar per stage
        .config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"])
        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(batch))
        # a small file is one partition by default: split it so both cores work
        .config("spark.sql.files.maxPartitionBytes", str(4 << 20))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session


def scored_frame(spark, udf, source: Path):
    """The docs' recipe: every column as text, the UDF on all of them, the input columns and
    the result columns."""
    from pyspark.sql import functions as F

    from offerodds.tracking.pyfunc import output_columns

    df = spark.read.csv(str(source), header=True)
    scored = df.withColumn("offerodds", udf(F.struct(*[F.col(f"`{c}`") for c in df.columns])))
    results = [F.col(f"offerodds.`{name}`") for name in output_columns() if name != "interview_id"]
    return scored.select(*[F.col(f"`{c}`") for c in df.columns], *results)


def run_spark(spark, udf, source: Path, target: Path, sink: str) -> dict:
    """One Spark job: score and write to ``sink``; ``floor`` reads and writes Parquet unscored."""
    if sink == "floor":
        frame, sink = spark.read.csv(str(source), header=True), "parquet"
    else:
        frame = scored_frame(spark, udf, source)
    writer = frame.write.mode("overwrite")
    before, start = tree_cpu(), time.perf_counter()
    if sink == "noop":
        writer.format("noop").save()
    elif sink == "csv":
        writer.csv(str(target), header=True)
    else:
        writer.parquet(str(target))
    wall, after = time.perf_counter() - start, tree_cpu()
    used = {k: after[k] - before[k] for k in after}
    return {"wall": wall, "cpu": sum(used.values()), **used}


# --- running and reporting -------------------------------------------------------------------


def agreement(spark, cli_csv: Path, spark_parquet: Path) -> tuple[int, float]:
    """Rows compared and the largest difference in offer_probability between the two sides."""
    import numpy as np
    import pandas as pd

    cli = pd.read_csv(cli_csv, usecols=["interview_id", "offer_probability"], dtype={"interview_id": str})
    got = pd.read_parquet(spark_parquet, columns=["interview_id", "offer_probability"])
    both = cli.merge(got, on="interview_id", suffixes=("_cli", "_spark"), validate="one_to_one")
    if len(both) != len(cli) or len(got) != len(cli):
        raise SystemExit(f"row counts differ: CLI {len(cli)}, Spark {len(got)}, joined {len(both)}")
    gap = np.abs(both["offer_probability_cli"].to_numpy(float) - both["offer_probability_spark"].to_numpy(float))
    return len(both), float(np.nanmax(gap))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="input rows (default 200,000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per method (median taken)")
    parser.add_argument("--batch", type=int, default=10_000,
                        help="spark.sql.execution.arrow.maxRecordsPerBatch (default Spark's 10,000)")
    args = parser.parse_args(argv)
    if shutil.which("java") is None:
        raise SystemExit("Java is not installed: Spark needs a Java runtime (17 or later)")
    source = input_csv(args.rows)
    workspace()
    work = Path(tempfile.mkdtemp(prefix="spark-bench-", dir=DATA))
    runs: dict[str, list[dict]] = {}
    try:
        for _ in range(args.repeat):
            for fmt in ("csv", "parquet"):
                r = run_cli(source, work / f"cli.{fmt}")
                runs.setdefault(f"CLI -> {fmt}", []).append(r)
                print(f"CLI   -> {fmt:<8} {r['wall']:6.1f} s wall {r['cpu']:6.1f} s CPU", flush=True)

        import mlflow

        uri = f"sqlite:///{WORKSPACE.resolve()}/mlflow.db"
        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(uri)
        spark = spark_session(args.batch)
        try:
            udf = mlflow.pyfunc.spark_udf(spark, "models:/offerodds@champion", env_manager="local")
            for sink in ("csv", "parquet", "noop"):  # the JVM compiles each writer's code on first use
                run_spark(spark, udf, source, work / f"warm-up-{sink}", sink)
            for _ in range(args.repeat):
                for sink in ("csv", "parquet", "noop", "floor"):
                    r = run_spark(spark, udf, source, work / f"spark-{sink}", sink)
                    runs.setdefault(f"Spark -> {sink}", []).append(r)
                    print(f"Spark -> {sink:<8} {r['wall']:6.1f} s wall {r['cpu']:6.1f} s CPU "
                          f"(JVM {r['jvm']:.1f}, Python workers {r['workers']:.1f})", flush=True)
            compared, gap = agreement(spark, work / "cli.csv", work / "spark-parquet")
        finally:
            spark.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = args.rows
    print()
    print(f"{rows:,} rows, local[{CORES}], Arrow batches of {args.batch:,} rows; median of {args.repeat}")
    print(f"{'method':<18} {'wall s':>7} {'CPU s':>7} {'rows/s':>9} {'rows/s per core':>16} {'rows per CPU s':>15}")
    table = {}
    for name, rs in runs.items():
        table[name] = {k: statistics.median(r[k] for r in rs) for k in rs[0]}
        wall, cpu = table[name]["wall"], table[name]["cpu"]
        cores = CORES if name.startswith("Spark") else 1
        print(f"{name:<18} {wall:7.1f} {cpu:7.1f} {rows / wall:9,.0f} {rows / wall / cores:16,.0f} {rows / cpu:15,.0f}")
    print(f"(rows/s per core: Spark's rows/s over its {CORES} cores, the CLI's over one process;")
    print(" Spark -> floor reads the CSV and writes its columns as Parquet, without scoring)")
    spark_parquet, cli_parquet = table["Spark -> parquet"], table["CLI -> parquet"]
    print(f"Spark -> parquet: JVM {spark_parquet['jvm']:.1f} CPU s (its floor alone: {table['Spark -> floor']['cpu']:.1f}), "
          f"Python workers (MLflow and offerodds) {spark_parquet['workers']:.1f}; the CLI's whole run: {cli_parquet['cpu']:.1f}")
    print(f"Spark and the CLI agree on offer_probability to {gap:.1e} on all {compared:,} rows")
    ratio = spark_parquet["cpu"] / cli_parquet["cpu"]
    ratio_csv = table["Spark -> csv"]["cpu"] / table["CLI -> csv"]["cpu"]
    workers = spark_parquet["workers"] / cli_parquet["cpu"]
    checks = [
        (gap <= 1e-9, f"Spark's probabilities equal the CLI's to {gap:.1e} (target 1e-9)"),
        (ratio <= 2.0, f"CPU per row writing Parquet: Spark / CLI = {ratio:.2f} (target <= 2); writing CSV: {ratio_csv:.2f}"),
        (workers <= 2.0, f"CPU per row of the UDF's Python workers / the CLI's whole run = {workers:.2f} (target <= 2)"),
    ]
    return 0 if print_checks(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
