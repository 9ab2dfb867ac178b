"""A small frame in Spark: ``offerodds.spark.score(df, how="sql")`` against ``how="udf"`` on the
200 synthetic interviews of ``data/examples/interviews.csv``, as a notebook scores them.

Each way runs in a fresh process (a fresh Spark session, ``local[2]``): the first query of the
session, then the same query again. The frame is read once before either (so reading the CSV
is not counted), and the results go to Spark's ``noop`` sink. Wall time and CPU time of the
whole process tree (the driver, the JVM, the Python workers), from /proc: Linux only.

On a few hundred rows the SQL's cost is Spark planning a query of 76 kB (parsing, analysing,
optimising, generating and compiling its code), not scoring, and the first query of a session
pays it before the JVM has compiled Spark's own planner. There is no target here: the figures
tell a team which way is quicker for a small frame (docs/sql.md, "Speed").

Usage::

    cd benchmarks && PYTHONPATH=../src nice python spark_small_frame.py            # 3 sessions a way
    cd benchmarks && PYTHONPATH=../src nice python spark_small_frame.py --repeat 1
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time

from score_throughput import ROOT
from spark_throughput import _env, spark_session, tree_cpu

EXAMPLE = ROOT / "data" / "examples" / "interviews.csv"


def one_session(how: str) -> dict:
    """In this process: a fresh session, the frame read once, then two queries of ``how``."""
    spark = spark_session(10_000)
    import offerodds.spark

    df = spark.read.csv(str(EXAMPLE), header=True).cache()
    df.write.format("noop").mode("overwrite").save()
    out = {"rows": df.count()}
    for query in ("first", "second"):
        cpu, wall = sum(tree_cpu().values()), time.perf_counter()
        offerodds.spark.score(df, model=offerodds.rules(), how=how).write.format("noop").mode("overwrite").save()
        out[query] = (time.perf_counter() - wall, sum(tree_cpu().values()) - cpu)
    spark.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="fresh sessions of each way (default 3)")
    parser.add_argument("--one", choices=("sql", "udf"), help=argparse.SUPPRESS)  # a session of its own
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one_session(args.one)))
        return 0
    runs = {"sql": [], "udf": []}
    for _ in range(args.repeat):
        for how in runs:  # interleaved, each in a process of its own
            done = subprocess.run([sys.executable, __file__, "--one", how], env=_env(), check=True,
                                  capture_output=True, text=True)
            runs[how].append(json.loads(done.stdout.strip().splitlines()[-1]))
    rows = runs["sql"][0]["rows"]
    print(f"Spark local[2], {rows} interviews (data/examples/interviews.csv), the rule card, to the noop sink;"
          f" median of {args.repeat} fresh sessions a way:")
    print("| way | first query of the session: wall s | its CPU s | the second query: wall s | its CPU s |")
    print("|---|---:|---:|---:|---:|")
    for how, found in runs.items():
        med = {q: [statistics.median(r[q][k] for r in found) for k in (0, 1)] for q in ("first", "second")}
        print(f"| how=\"{how}\" | {med['first'][0]:.1f} | {med['first'][1]:.1f} | {med['second'][0]:.1f} | {med['second'][1]:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
