"""Retrain scaling: ``offerodds.fit`` and a full ``offerodds.usecases.retrain`` (MLflow included)
at 1,000, 10,000 and 100,000 synthetic labelled outcomes.

For each size a synthetic labelled frame is drawn (``offerodds.synthetic.generate``, outcomes
from the generator's true probability) and

1. ``fit``      -- ``offerodds.fit(frame)`` (``offerodds.api.fit``): read and validate the
                   labels, fit the candidate (the card-prior posterior averaged over its
                   prior widths, the leave-one-out check). Nothing is written.
2. ``retrain``  -- ``offerodds.usecases.retrain(frame, workspace=<fresh temporary folder>,
                   config=<the packaged defaults, tracking enabled>)``: outcome store, candidate
                   fit, out-of-fold comparison (every fold refits), promotion gate (paired
                   bootstrap), HTML report with plots, MLflow run with the model as a pyfunc,
                   registration and alias on promotion.

Not timed, and said so in the output: the imports (measured once, in a fresh interpreter) and
the creation of the workspace's MLflow database (SQLite schema and experiment), which happens
once per workspace, before its first retrain.

Where the time goes: the main steps of a retrain are timed (inclusive), and so are the calls of
the card-prior posterior (``card_posterior``) and its Laplace steps wherever they happen.

Target (PASS/FAIL, exit status 1 when it fails): a full retrain on 100,000 outcomes in under a
minute on this 2-core machine.

Usage::

    PYTHONPATH=src python benchmarks/retrain_scaling.py                  # 1k, 10k, 100k
    PYTHONPATH=src python benchmarks/retrain_scaling.py --quick          # 1k and 10k
    PYTHONPATH=src python benchmarks/retrain_scaling.py --sizes 100000   # one size
    PYTHONPATH=src nice python benchmarks/retrain_scaling.py --memory 1000000
        # peak memory (max RSS) of `offerodds retrain` in a child process; target < 1.5 GB at 1M
    PYTHONPATH=src nice python benchmarks/retrain_scaling.py --phases 300000
        # resident size at its highest in each phase of one retrain, in this process (MLflow and
        # Matplotlib imported first), sampled every 50 ms; no target
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
import warnings
from collections import defaultdict
from pathlib import Path

from _report import print_checks  # benchmarks/_report.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
warnings.filterwarnings("ignore", message=".*Add type hints to the `predict` method.*")

SEED = 2026
TARGET_SECONDS = 60.0


class Timers:
    """Inclusive wall time and call count of wrapped functions, by label."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.calls = defaultdict(int)

    @contextlib.contextmanager
    def wrap(self, owner, name: str, label: str):
        original = getattr(owner, name, None)
        if original is None:  # not in this version of offerodds: nothing to time
            yield
            return

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1

        setattr(owner, name, timed)
        try:
            yield
        finally:
            setattr(owner, name, original)


# (module or class, attribute, label): the steps of a retrain in order (an indented label is part
# of the one above), then what every fit does, over all its calls.
STEPS = (
    ("offerodds.usecases._retrain", "read_labelled", "read + validate labels"),
    ("offerodds.stores.outcomes:OutcomeStore", "write", "outcome store write"),
    ("offerodds.usecases._retrain", "fit_arrays", "fit candidate"),
    ("offerodds.training.gate", "out_of_fold", "out-of-fold comparison"),
    ("offerodds.training.gate", "splits", "  outer fold assignment"),
    ("offerodds.training.gate", "fit_arrays", "  fold refits (whole fitting procedure)"),
    ("offerodds.training.gate", "judge", "promotion gate (bootstrap)"),
    ("offerodds.usecases._retrain", "write_report", "report (plots, HTML)"),
    ("offerodds.usecases._retrain", "log_retrain", "MLflow run (+ registry)"),
    ("offerodds.tracking._runs", "log_pyfunc", "  log model as pyfunc"),
    ("offerodds.stores.modelstore:ModelStore", "save", "model store save"),
    ("offerodds.training.fit", "card_posterior", "[all fits] card_posterior (the posterior)"),
    ("offerodds.training.card_prior", "_laplace", "  one Laplace posterior (_laplace)"),
    ("offerodds.training.card_prior", "_mixture", "  the evidence-weighted mixture (_mixture)"),
    ("offerodds.training.fit", "leave_one_out_log_odds", "[all fits] leave-one-out check"),
)
LABELS = [label for *_, label in STEPS]


def _owner(where: str):
    import importlib

    module, _, cls = where.partition(":")
    owner = importlib.import_module(module)
    return getattr(owner, cls) if cls else owner


@contextlib.contextmanager
def instrumented(timers: Timers):
    """Time the steps of a retrain and the estimator fits inside them."""
    with contextlib.ExitStack() as stack:
        for where, name, label in STEPS:
            stack.enter_context(timers.wrap(_owner(where), name, label))
        yield


def labelled_frame(n: int):
    from offerodds.synthetic import generate

    return generate(n, seed=SEED).drop(columns=["true_probability"])


def import_seconds() -> float:
    """Wall time of importing what a retrain uses, in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter();"
        "import offerodds.usecases._retrain, offerodds.reports.retrain, offerodds.tracking, mlflow, matplotlib.pyplot;"
        "print(time.perf_counter() - t)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def create_mlflow_db(ws, config) -> float:
    """Create the workspace's MLflow database and experiment (not timed in the retrain)."""
    from offerodds import tracking

    start = time.perf_counter()
    mlflow = tracking.session.connect(ws)
    tracking.session.experiment_id(mlflow, ws, config.tracking.experiment)
    return time.perf_counter() - start


def measure(n: int) -> dict:
    import offerodds
    from offerodds.config import load_config
    from offerodds.usecases import retrain
    from offerodds.files.workspace import Workspace

    frame = labelled_frame(n)
    result = {"n": n, "offers": int((frame["outcome"] == "offer").sum())}

    timers = Timers()
    with instrumented(timers):
        start = time.perf_counter()
        model = offerodds.fit(frame)
        result["fit"] = time.perf_counter() - start
    result["fit_parts"] = (dict(timers.seconds), dict(timers.calls))
    result["prior_strength"] = model.fit_summary.prior_strength

    config = load_config()
    assert config.tracking.enabled, "the packaged retrain configuration should track to MLflow"
    with tempfile.TemporaryDirectory(prefix="offerodds-retrain-") as tmp:
        ws = Workspace(Path(tmp))
        result["mlflow_db"] = create_mlflow_db(ws, config)
        timers = Timers()
        with instrumented(timers):
            start = time.perf_counter()
            report = retrain(frame, workspace=ws, config=config)
            result["retrain"] = time.perf_counter() - start
        result["retrain_parts"] = (dict(timers.seconds), dict(timers.calls))
        result["decision"] = report.decision
        result["run_id"] = report.run_id
    return result


MEMORY_TARGET_MB = 1_536.0  # 1.5 GB: `offerodds retrain` on a million outcomes


def labelled_file(n: int) -> Path:
    """The synthetic labelled outcomes as a Parquet file (cached in benchmarks/_data/)."""
    path = ROOT / "benchmarks" / "_data" / f"labelled_{n}.parquet"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        labelled_frame(n).to_parquet(path, index=False)
    return path


def cli_peak(n: int) -> dict:
    """``/usr/bin/time -v offerodds retrain FILE --workspace <fresh>`` in a child process:
    its maximum resident set size, wall and CPU time (MLflow database creation included)."""
    import re
    import shutil

    path = labelled_file(n)
    time_bin = shutil.which("time") or "/usr/bin/time"
    with tempfile.TemporaryDirectory(prefix="offerodds-retrain-") as tmp:
        offerodds = str(Path(sys.executable).parent / "offerodds")  # the console script beside this Python
        command = [time_bin, "-v", offerodds, "retrain", str(path), "--workspace", tmp]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
        done = subprocess.run(command, capture_output=True, text=True, env=env)
    text = done.stderr

    def field(label):
        found = re.search(rf"{re.escape(label)}: (.+)", text)
        return found.group(1).strip() if found else ""

    decision = next((line for line in done.stdout.splitlines() if line.startswith("decision:")), "")
    return {
        "n": n,
        "status": done.returncode,
        "peak_mb": int(field("Maximum resident set size (kbytes)") or 0) / 1024,
        "wall": field("Elapsed (wall clock) time (h:mm:ss or m:ss)"),
        "cpu": float(field("User time (seconds)") or 0) + float(field("System time (seconds)") or 0),
        "decision": decision,
    }


def memory_report(sizes: list[int]) -> int:
    print(f"{'outcomes':>10} {'peak MB':>8} {'wall':>9} {'CPU s':>7}  decision")
    checks = []
    for n in sizes:
        r = cli_peak(n)
        print(f"{r['n']:>10,} {r['peak_mb']:>8,.0f} {r['wall']:>9} {r['cpu']:>7.1f}  {r['decision']} (exit {r['status']})",
              flush=True)
        if n >= 1_000_000:
            checks.append((r["status"] == 0 and r["peak_mb"] < MEMORY_TARGET_MB,
                           f"`offerodds retrain` on {n:,} outcomes: peak {r['peak_mb']:,.0f} MB, "
                           f"target < {MEMORY_TARGET_MB:,.0f} MB"))
    return 0 if print_checks(checks) else 1


def resident_mb() -> float:
    """This process's resident set size now, MB (Linux: /proc/self/statm)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def phases_report(sizes: list[int]) -> int:
    """The resident size at its highest in each phase of one retrain per size, in this process,
    sampled every 50 ms (the phases as ``retrain(progress=)`` marks them)."""
    import threading

    import matplotlib.pyplot  # noqa: F401  (imported first, as by the other measurements)
    import mlflow  # noqa: F401

    from offerodds.config import load_config
    from offerodds.usecases import retrain

    for n in sizes:
        path = labelled_file(n)
        state = {"phase": "imports", "peaks": {}, "done": False}

        def sample():
            while not state["done"]:
                phase = state["phase"]
                state["peaks"][phase] = max(state["peaks"].get(phase, 0.0), resident_mb())
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        time.sleep(0.1)

        def mark(phase: str, detail: str) -> None:
            state["phase"] = phase

        start, cpu = time.perf_counter(), time.process_time()
        with tempfile.TemporaryDirectory(prefix="offerodds-retrain-") as tmp:
            report = retrain(str(path), workspace=tmp, config=load_config(), progress=mark)
        state["done"] = True
        sampler.join()
        print(f"{n:,} outcomes: {report.decision}; {time.perf_counter() - start:.0f} s wall, "
              f"{time.process_time() - cpu:.0f} CPU s (this process)")
        print(f"  {'phase':<10} {'peak MB':>8}")
        for phase, peak in state["peaks"].items():
            print(f"  {phase:<10} {peak:>8,.0f}")
    return 0


def print_report(results: list[dict], imports: float) -> int:
    print()
    print(f"{'outcomes':>9} {'offers':>7} {'fit s':>8} {'retrain s':>10} {'(MLflow db, not timed) s':>25}  decision")
    for r in results:
        print(
            f"{r['n']:>9,} {r['offers']:>7,} {r['fit']:>8.1f} {r['retrain']:>10.1f} {r['mlflow_db']:>25.1f}  {r['decision']}"
        )
    print(f"(imports, not timed above: {imports:.1f} s in a fresh interpreter; MLflow database created once "
          "per workspace before the timed retrain)")
    for r in results:
        print()
        print(f"where the time goes at {r['n']:,} outcomes (inclusive wall seconds, calls):")
        for title, (seconds, calls) in (("fit", r["fit_parts"]), ("retrain", r["retrain_parts"])):
            print(f"  {title}:")
            for label in LABELS:  # steps in order; an indented line is part of the line above
                if calls.get(label):
                    print(f"    {label:<44} {seconds[label]:8.2f} s  x{calls[label]}")
    print()
    checks = []
    big = [r for r in results if r["n"] >= 100_000]
    for r in big:
        checks.append((r["retrain"] < TARGET_SECONDS,
                       f"full retrain on {r['n']:,} outcomes: {r['retrain']:.1f} s, target < {TARGET_SECONDS:.0f} s"))
    if not big:
        print("(the 100,000-outcome target is checked only when that size runs)")
    passed = print_checks(checks)
    return 0 if passed else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 outcomes only")
    parser.add_argument("--memory", type=int, nargs="+", metavar="N",
                        help="instead: peak memory of `offerodds retrain` on N outcomes (/usr/bin/time -v)")
    parser.add_argument("--phases", type=int, nargs="+", metavar="N",
                        help="instead: resident size at its highest in each phase of a retrain on N outcomes")
    args = parser.parse_args(argv)
    if args.phases:
        return phases_report(args.phases)
    if args.memory:
        return memory_report(args.memory)
    sizes = [1_000, 10_000] if args.quick else args.sizes
    imports = import_seconds()
    # warm the imports in this process too, so that no measurement below pays for them
    import matplotlib.pyplot  # noqa: F401
    import mlflow  # noqa: F401

    import offerodds.usecases._retrain  # noqa: F401
    import offerodds.reports.retrain  # noqa: F401
    import offerodds.tracking  # noqa: F401

    results = []
    for n in sizes:
        print(f"{n:>9,} outcomes ...", end=" ", flush=True)
        r = measure(n)
        print(f"fit {r['fit']:.1f} s, retrain {r['retrain']:.1f} s ({r['decision']})", flush=True)
        results.append(r)
    return print_report(results, imports)


if __name__ == "__main__":
    sys.exit(main())
