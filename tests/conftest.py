"""Shared fixtures: the rule card, and a workspace that is never the current directory; and the
check that the test run leaves the checkout as it found it."""

import os
from pathlib import Path

import pytest

import offerodds

REPO_ROOT = Path(__file__).resolve().parents[1]

# --- the checkout is left as it was ------------------------------------------------------------
# Tests write under tmp_path only. At the end of the session every file and folder of the
# checkout (the venv in it included) is compared with what stood there at the start: anything
# created, changed or deleted fails the run, except inside these caches.

CACHE_DIRS = frozenset({"__pycache__", ".pytest_cache", ".hypothesis"})


def checkout_state(root: Path) -> dict[str, tuple]:
    """Relative path -> (mode, size, mtime) of every file and folder under ``root`` outside
    ``CACHE_DIRS`` and git's own ``.git``. Folders are recorded by mode only (a cache
    appearing inside one changes its mtime)."""
    root = str(root)
    state = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in CACHE_DIRS and not (folder == root and d == ".git")]
        for name in files + dirs:
            if folder == root and name == ".git":
                continue
            path = os.path.join(folder, name)
            st = os.lstat(path)
            is_dir = name in dirs and not os.path.islink(path)
            state[os.path.relpath(path, root)] = (st.st_mode,) if is_dir else (st.st_mode, st.st_size, st.st_mtime_ns)
    return state


def checkout_changes(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    """What changed between two ``checkout_state``s, one line per path, sorted."""
    lines = [f"created:  {p}" for p in after.keys() - before.keys()]
    lines += [f"deleted:  {p}" for p in before.keys() - after.keys()]
    lines += [f"modified: {p}" for p in before.keys() & after.keys() if before[p] != after[p]]
    return sorted(lines, key=lambda line: line.split(":", 1)[1])


def _controller(config) -> bool:
    return not hasattr(config, "workerinput")  # pytest-xdist workers have it


def pytest_sessionstart(session):
    if _controller(session.config):
        session.config.stash[_CHECKOUT_BEFORE] = checkout_state(REPO_ROOT)


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(_CHECKOUT_BEFORE, None)
    if before is None or exitstatus == pytest.ExitCode.INTERRUPTED:
        return
    changes = checkout_changes(before, checkout_state(REPO_ROOT))
    session.config.stash[_CHECKOUT_CHANGES] = changes
    if changes:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    changes = config.stash.get(_CHECKOUT_CHANGES, [])
    if changes:
        terminalreporter.write_sep("=", "FAILED: the test run changed the checkout", red=True, bold=True)
        terminalreporter.write_line(f"Tests must write under tmp_path only; in {REPO_ROOT}:")
        for line in changes[:50]:
            terminalreporter.write_line(f"  {line}")
        if len(changes) > 50:
            terminalreporter.write_line(f"  ... and {len(changes) - 50} more")


def pytest_collection_modifyitems(session, config, items):
    """Test files with the most ``slow`` tests first (each file's own order kept): with
    ``-n auto --dist loadfile --no-loadscope-reorder`` the workers start on the long files and
    finish together on the short ones, instead of one worker running a long file alone at the end."""
    slow = {}
    for item in items:
        if item.get_closest_marker("slow"):
            slow[item.nodeid.split("::")[0]] = slow.get(item.nodeid.split("::")[0], 0) + 1
    items.sort(key=lambda item: -slow.get(item.nodeid.split("::")[0], 0))


_CHECKOUT_BEFORE = pytest.StashKey[dict]()
_CHECKOUT_CHANGES = pytest.StashKey[list]()

# --- workspace ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _empty_workspace(tmp_path_factory, monkeypatch):
    """Point OFFERODDS_WORKSPACE at an empty folder, so no test reads the cwd's models."""
    monkeypatch.setenv("OFFERODDS_WORKSPACE", str(tmp_path_factory.mktemp("workspace")))


@pytest.fixture(scope="session")
def card():
    """The rule card scorer (what ``offerodds.rules()`` returns)."""
    return offerodds.rules()


# --- retrain pipeline, model store and MLflow (appended for test_pipeline, test_outcomes,
# test_modelstore, test_tracking, test_notebook) ------------------------------------------------

import contextlib  # noqa: E402
import importlib.abc  # noqa: E402
import importlib.util  # noqa: E402
import shutil  # noqa: E402
import sqlite3  # noqa: E402
import sys  # noqa: E402

# MLflow never phones home from a test run, and retraining stays fast on a busy machine: the
# model's Hessians are small matrix products that a multi-threaded BLAS slows down by two
# orders of magnitude when the CPUs are shared (inherited by subprocesses and notebook kernels).
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

EXAMPLE_OUTCOMES = REPO_ROOT / "data" / "examples" / "outcomes.csv"
EXAMPLE_INTERVIEWS = REPO_ROOT / "data" / "examples" / "interviews.csv"


@pytest.fixture(scope="session", autouse=True)
def _single_threaded_blas():
    """One BLAS thread for the whole session, even if numpy was imported before this file."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


# --- one MLflow database per session ------------------------------------------------------------
# A fresh MLflow SQLite database runs every schema migration (~8 s, mostly waiting on the disk).
# The first one a test session needs is made that way, by MLflow itself, as a template; every
# later database MLflow creates in this process starts as a copy of it (SQLite's backup API
# writes the template's pages into the new file), with the same schema at the same revision.
# Subprocesses (the demo's rerun, kills and races) still migrate for real.

_MLFLOW_DB_UTILS = "mlflow.store.db.utils"


class _PatchAfterImport(importlib.abc.MetaPathFinder):
    """Calls ``then(module)`` right after ``name`` is first imported (once)."""

    def __init__(self, name: str, then):
        self.name, self.then = name, then

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        exec_module, then = spec.loader.exec_module, self.then

        def exec_then_patch(module):
            exec_module(module)
            then(module)

        spec.loader.exec_module = exec_then_patch
        return spec


def _from_template(template: Path, real):
    """An ``_initialize_tables(engine)`` that copies ``template`` into a SQLite file (made by
    ``real`` on first use) and leaves other databases to ``real``."""

    def initialize(engine):
        if engine.url.get_backend_name() != "sqlite" or engine.url.database in (None, "", ":memory:"):
            return real(engine)
        if not template.exists():
            from mlflow.store.db.utils import create_sqlalchemy_engine_with_retry

            made = create_sqlalchemy_engine_with_retry(f"sqlite:///{template}.part")
            try:
                real(made)
            finally:
                made.dispose()
            os.replace(f"{template}.part", template)
        with contextlib.closing(sqlite3.connect(template)) as source, engine.connect() as connection:
            source.backup(connection.connection.driver_connection)

    return initialize


@pytest.fixture(scope="session", autouse=True)
def _mlflow_database_made_once(tmp_path_factory):
    """Every MLflow SQLite database of the session starts as a copy of one made once."""
    template = tmp_path_factory.mktemp("mlflow-db-template") / "mlflow.db"
    patched = []

    def patch(utils):
        real = utils._initialize_tables
        made_once = _from_template(template, real)
        # the registry's store imports the function by name: patch it there too if it is loaded
        for module in (utils, sys.modules.get("mlflow.store.model_registry.sqlalchemy_store")):
            if module is not None and getattr(module, "_initialize_tables", None) is real:
                module._initialize_tables = made_once
                patched.append((module, real))

    hook = None
    if _MLFLOW_DB_UTILS in sys.modules:
        patch(sys.modules[_MLFLOW_DB_UTILS])
    else:  # imported later by MLflow itself; importing MLflow here would slow every test run
        hook = _PatchAfterImport(_MLFLOW_DB_UTILS, patch)
        sys.meta_path.insert(0, hook)
    yield
    if hook in sys.meta_path:
        sys.meta_path.remove(hook)
    for module, real in patched:
        module._initialize_tables = real


def write_config(path: Path, text: str) -> Path:
    """Write a retrain TOML (overrides of the packaged defaults) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def no_tracking_config(tmp_path_factory) -> Path:
    """A retrain TOML with MLflow tracking disabled (everything else the packaged default)."""
    return write_config(tmp_path_factory.mktemp("config") / "no-tracking.toml", "[tracking]\nenabled = false\n")


@pytest.fixture(scope="session")
def merge_only_config(tmp_path_factory) -> Path:
    """Tracking disabled and a class minimum no store reaches: retrain only merges outcomes."""
    return write_config(
        tmp_path_factory.mktemp("config") / "merge-only.toml",
        "[fit]\nmin_outcomes_per_class = 1000000\n\n[tracking]\nenabled = false\n",
    )


@pytest.fixture(scope="session")
def mlflow_template(tmp_path_factory):
    """ONE workspace per session where ``offerodds.retrain(outcomes.csv)`` ran with MLflow
    tracking on (the packaged defaults) and promoted v1. Read it, never change it: copy it
    with the ``mlflow_workspace`` fixture to change things. Returns (root, report)."""
    import offerodds

    root = tmp_path_factory.mktemp("mlflow-template") / "ws"
    report = offerodds.retrain(EXAMPLE_OUTCOMES, workspace=root)
    assert report.promoted and report.version == "v1", str(report)
    assert report.run_id, "the session workspace's retrain was not tracked"
    return root, report


def copy_mlflow_workspace(source: Path, target: Path) -> Path:
    """Copy a workspace with its MLflow data, as a user would (``shutil.copytree``, nothing
    else): offerodds itself points the copy's MLflow records at the copy's own artifacts the
    first time it opens them (offerodds.tracking._relocation; tests/tracking/test_promotion.py moves a
    workspace between retrains)."""
    shutil.copytree(source, target)
    return target


@contextlib.contextmanager
def _mlflow_uris_kept(*variables: str, clear: bool = False):
    """MLflow's tracking and registry URIs, and the environment variables ``set_*_uri`` exports
    (with ``variables``), put back as they were afterwards; ``clear``: unset those variables
    meanwhile."""
    import mlflow

    keys = ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI", *variables)
    saved = {k: os.environ.pop(k, None) if clear else os.environ.get(k) for k in keys}
    tracking, registry = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    try:
        yield
    finally:
        mlflow.set_tracking_uri(tracking)
        mlflow.set_registry_uri(registry)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="session")
def mlflow_uris_kept():
    """``with mlflow_uris_kept(*variables):`` MLflow's URIs and the environment they touch are
    put back afterwards (for fixtures of any scope)."""
    return _mlflow_uris_kept


@pytest.fixture
def restore_mlflow_uris():
    """No ``$MLFLOW_TRACKING_URI`` during the test, and MLflow's URIs as they were after it.

    ``mlflow.set_tracking_uri`` also exports ``$MLFLOW_TRACKING_URI``; left behind, it would
    send every later test's workspace (``Workspace.tracking_uri`` reads it) to one database."""
    with _mlflow_uris_kept(clear=True):
        yield


@pytest.fixture(scope="session")
def copy_workspace():
    """``copy_workspace(source, target)``: a workspace copy (see ``copy_mlflow_workspace``)."""
    return copy_mlflow_workspace


@pytest.fixture
def mlflow_workspace(mlflow_template, tmp_path) -> Path:
    """A private copy of the session's MLflow workspace (v1 promoted and registered)."""
    root, _ = mlflow_template
    return copy_mlflow_workspace(root, tmp_path / "ws")


# --- real offerodds processes: fault injection and file permissions (test_modelfiles,
# test_promotion) ----------------------------------------------------------------------------

import ctypes  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402


def offerodds_env(fault: str | None = None, **extra) -> dict:
    """The environment of an ``offerodds`` subprocess: this tree's code, and optionally a fault
    (``POINT:ACTION``, see offerodds.files.faults)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    env.pop("OFFERODDS_FAULT", None)
    if fault:
        env["OFFERODDS_FAULT"] = fault
    env.update({k: str(v) for k, v in extra.items()})
    return env


def start_offerodds(*args, fault: str | None = None, preexec_fn=None, **extra) -> subprocess.Popen:
    """``python -m offerodds.cli ARGS`` started, not waited for (stdout and stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-m", "offerodds.cli", *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=offerodds_env(fault, **extra), preexec_fn=preexec_fn,
    )


def run_offerodds(*args, fault: str | None = None, preexec_fn=None, timeout=600, **extra):
    """``python -m offerodds.cli ARGS`` run to its end; returns (returncode, stdout, stderr).
    A process killed by a fault returns ``-SIGKILL``."""
    process = start_offerodds(*args, fault=fault, preexec_fn=preexec_fn, **extra)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def wait_until_stopped(process: subprocess.Popen) -> bool:
    """Wait until ``process`` stops itself (a ``:stop`` fault) or ends; True if it stopped.

    Its output pipes are not read meanwhile: what it printed before stopping must fit in them."""
    _, status = os.waitpid(process.pid, os.WUNTRACED)
    if os.WIFSTOPPED(status):
        return True
    process.returncode = os.waitstatus_to_exitcode(status)
    return False


def resume(process: subprocess.Popen, timeout=600):
    """Let a stopped process go on; returns (returncode, stdout, stderr)."""
    os.kill(process.pid, signal.SIGCONT)
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def as_an_ordinary_user():
    """A ``preexec_fn`` under which file permissions hold even for root: root keeps its uid
    but loses the capabilities that override them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), so a
    mode-000 file cannot be read. Outside root, nothing changes."""
    if os.geteuid() != 0:
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop, caps = 24, (1, 2)

    def drop():
        for cap in caps:
            if libc.prctl(pr_capbset_drop, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")

    return drop


# --- files written by people (test_tracking, test_spark: the pyfunc and the Spark UDF take what
# pandas' and Spark's CSV readers make of them) -------------------------------------------------

import csv  # noqa: E402

import pandas as pd  # noqa: E402

PEOPLE_VARIANTS = ("ints", "one_zero", "true_false", "all_blank", "headers")


def _people_rows() -> tuple[list[str], list[dict[str, str]]]:
    with open(EXAMPLE_INTERVIEWS, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def write_people_file(variant: str, path: Path) -> Path:
    """The example interviews rewritten as people write them, one habit per ``variant``:

    - ``ints``: numeric ids 1, 2, ...; every scale and minutes cell a whole number (no blank),
      and one rating of 7 (a row with a problem);
    - ``one_zero``: yes/no as 1/0 (blanks kept), ``questions_invited`` without blanks;
    - ``true_false``: yes/no as true/false in mixed case (blanks kept), ``hurried`` without
      blanks, and one "maybe" (a row with a problem);
    - ``all_blank``: nothing written in ``hurried``, ``enthusiasm``, ``stage`` nor the minutes;
    - ``headers``: headers as people type them ("Interview ID", "Eye Contact",
      "Next-Steps-Explained", "Scheduled Minutes", "STAGE").

    Every variant keeps the columns offerodds does not score (company, role, dates) and adds a
    free-text ``notes`` column.
    """
    from offerodds.signals.catalogue import column_kinds

    if variant not in PEOPLE_VARIANTS:
        raise ValueError(variant)
    kinds = column_kinds()
    yesno = [c for c, kind in kinds.items() if kind == "yesno"]
    headers, rows = _people_rows()
    for i, row in enumerate(rows):
        row["notes"] = ["", "felt good, I think", "N/A", "ask about \"remote\""][i % 4]
        if variant == "ints":
            row["interview_id"] = str(i + 1)
            for column, kind in kinds.items():
                if kind == "scale" and not row[column]:
                    row[column] = str(1 + (i + len(column)) % 5)
                if kind == "minutes" and not row[column]:
                    row[column] = "45" if column == "scheduled_minutes" else str(30 + i % 40)
            if i == 17:
                row["engagement"] = "7"
        elif variant == "one_zero":
            for column in yesno:
                row[column] = {"yes": "1", "no": "0"}.get(row[column], row[column])
            row["questions_invited"] = row["questions_invited"] or "0"
        elif variant == "true_false":
            words = [("true", "false"), ("True", "False"), ("TRUE", "FALSE")][i % 3]
            for column in yesno:
                row[column] = {"yes": words[0], "no": words[1]}.get(row[column], row[column])
            row["hurried"] = row["hurried"] or "false"
            if i == 41:
                row["distracted"] = "maybe"
        elif variant == "all_blank":
            for column in ("hurried", "enthusiasm", "stage", "scheduled_minutes", "actual_minutes"):
                row[column] = ""
    out_headers = [*headers, "notes"]
    if variant == "headers":
        renamed = {
            "interview_id": "Interview ID",
            "eye_contact": "Eye Contact",
            "next_steps_explained": "Next-Steps-Explained",
            "scheduled_minutes": "Scheduled Minutes",
            "stage": "STAGE",
        }
        rows = [{renamed.get(k, k): v for k, v in row.items()} for row in rows]
        out_headers = [renamed.get(h, h) for h in out_headers]
    path = Path(path)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=out_headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="session")
def people_files(tmp_path_factory) -> dict[str, Path]:
    """variant -> a CSV file of that variant (see ``write_people_file``)."""
    folder = tmp_path_factory.mktemp("people")
    return {v: write_people_file(v, folder / f"{v}.csv") for v in PEOPLE_VARIANTS}


@pytest.fixture(scope="session")
def people_cli(people_files, mlflow_template, tmp_path_factory):
    """variant -> (scored, rejects): what ``offerodds score`` wrote for that file with the
    session workspace's champion, read back as text ("" where the CLI wrote nothing); rejects
    holds the problems that rejected a row (not the warnings of rows it scored), or None."""
    import warnings

    from offerodds import cli

    root, _ = mlflow_template
    folder = tmp_path_factory.mktemp("people-cli")
    out = {}
    shown = warnings.showwarning  # cli.main installs its own warning printer
    try:
        for variant, path in people_files.items():
            scored, rejects = folder / f"{variant}.scored.csv", folder / f"{variant}.rejects.csv"
            code = cli.main(["score", str(path), "-o", str(scored), "--rejects", str(rejects), "--quiet",
                             "--workspace", str(root)])
            assert code == 0, variant
            read = lambda p: pd.read_csv(p, dtype=str, keep_default_na=False)  # noqa: E731
            problems = read(rejects) if rejects.exists() else None
            if problems is not None and "severity" in problems.columns:  # warnings keep their rows
                problems = problems[problems["severity"] == "error"]
            out[variant] = (read(scored), problems if problems is not None and len(problems) else None)
    finally:
        warnings.showwarning = shown
    return out


def assert_scored_like_cli(got, cli_scored, cli_rejects, id_header: str) -> None:
    """``got`` (the pyfunc's or the Spark UDF's output, as pandas, any row order) holds the
    values ``offerodds score`` wrote: every float to 1e-9, every text exactly, the rows the CLI
    rejected with their problems in ``error`` and no prediction."""
    import numpy as np

    from offerodds.tracking.pyfunc import output_columns

    assert list(got.columns) == list(output_columns())
    assert got["interview_id"].is_unique and cli_scored[id_header].is_unique
    if cli_rejects is not None and "severity" in cli_rejects.columns:  # warnings keep their rows
        cli_rejects = cli_rejects[cli_rejects["severity"] == "error"]
    rejected = set() if cli_rejects is None else set(cli_rejects["interview_id"])
    assert len(got) == len(cli_scored) + len(rejected)
    got = got.set_index("interview_id", drop=False)
    valid = got.loc[cli_scored[id_header].tolist()]
    assert (valid["error"] == "").all(), valid.loc[valid["error"] != "", "error"].head().tolist()
    for column, kind in output_columns().items():
        if column in ("interview_id", "error", "warnings"):  # warnings: the CLI's rejects file has them
            continue
        if kind == "double":
            want = pd.to_numeric(cli_scored[column].replace("", np.nan)).to_numpy(float)
            np.testing.assert_allclose(valid[column].to_numpy(float), want, rtol=0, atol=1e-9, err_msg=column)
        else:
            assert valid[column].tolist() == cli_scored[column].tolist(), column
    for interview_id in rejected:
        row = got.loc[interview_id]
        problems = cli_rejects[cli_rejects["interview_id"] == interview_id]
        for problem in problems.itertuples():
            assert f"{problem.column}: {problem.reason} (got '{problem.value}')" in row["error"]
        assert np.isnan(row["offer_probability"]) and row["reasons"] == "" and row["scorer"] == ""


@pytest.fixture(scope="session")
def like_cli():
    """``like_cli(got, cli_scored, cli_rejects, id_header)``: see ``assert_scored_like_cli``."""
    return assert_scored_like_cli


# --- stores: hand-built scorers (stores/test_modelstore, stores/test_modelfiles) ----------------


def make_scorer(seed: int = 0):
    """A learned-looking scorer (a ``LinearScorer``): the rule card's weights, perturbed, with a
    covariance."""
    import numpy as np

    from offerodds.scoring.scorer import FitSummary, LinearScorer

    card = offerodds.rules()
    rng = np.random.default_rng(seed)
    n = len(card.coef)
    return LinearScorer(
        kind="model",
        version="unsaved",
        intercept=-1.1 + 0.1 * seed,
        coef=card.coef * (1.0 + 0.2 * rng.standard_normal(n)),
        covariance=np.eye(n + 1) * 0.01,
        fit_summary=FitSummary(n_offers=40 + seed, n_no_offers=90, prior_strength=3.0),
    )


@pytest.fixture
def ws(tmp_path):
    """A workspace (``Workspace``) at ``tmp_path / "ws"``."""
    from offerodds.files.workspace import Workspace

    return Workspace.resolve(tmp_path / "ws")


@pytest.fixture
def store(ws):
    """The workspace's ``ModelStore``."""
    from offerodds.stores.modelstore import ModelStore

    return ModelStore(ws)


# --- a real ``offerodds ask`` process (cli/test_ask, files/test_files) ------------------------


def ask(tmp_path: Path, answers: list[str], *args: str, notes: str | None = "") -> subprocess.CompletedProcess:
    """``offerodds ask --rules --workspace tmp_path ARGS`` in a real process, ``answers`` typed
    one per line on its standard input, after the first question (the notes) answered with
    ``notes``: Enter skips it; None types no line for it (``--notes`` given)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    command = [sys.executable, "-m", "offerodds.cli", "ask", "--rules", "--workspace", str(tmp_path), *args]
    first = [] if notes is None else ([notes, ""] if notes else [""])
    return subprocess.run(command, input="".join(a + "\n" for a in [*first, *answers]), capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)


def answers_for(**given: str) -> list[str]:
    """One line per question, in the order asked: the given answers, Enter elsewhere."""
    from offerodds.usecases import questions

    return [given.get(column, "") for column, _ in questions()]


# --- input as models logged before today's pyfunc took it (tracking/test_tracking, test_promotion)


def canonical_signals(path: Path) -> pd.DataFrame:
    """The canonical signal columns of a CSV as the input schema of models logged before the
    pyfunc took any columns wanted them (numbers as float64, text with None where empty);
    today's model takes them too."""
    import numpy as np

    from offerodds.signals.catalogue import column_kinds, input_columns

    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    kinds = column_kinds()
    columns = {}
    for column in input_columns():
        text = raw[column].str.strip()
        if kinds[column] in ("scale", "minutes"):
            columns[column] = pd.to_numeric(text.replace("", np.nan)).astype("float64")
        else:
            columns[column] = text.astype(object).where(text != "", None)
    return pd.DataFrame(columns)


# ---------------------------------------------------------------- a local Spark session

SPARK_ENV = ("PYTHONPATH", "PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "MLFLOW_DISABLE_TELEMETRY",
             "MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")


@contextlib.contextmanager
def local_spark(app_name: str):
    """A local Spark session (``local[2]``) whose Python workers are this interpreter and import
    this offerodds (the repository's ``src`` when it is not installed); the environment is put
    back as it was afterwards. The test modules that need Spark skip themselves first when
    pyspark or Java is missing."""
    from pyspark.sql import SparkSession

    saved = {k: os.environ.get(k) for k in SPARK_ENV}
    root = str(Path(offerodds.__file__).resolve().parents[1])
    path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if "site-packages" not in root and root not in path:  # offerodds not installed: use src
        path.insert(0, root)
    pythonpath = os.pathsep.join(path)
    # the JVM and its Python workers inherit this process's environment
    os.environ["PYTHONPATH"] = pythonpath
    os.environ["PYSPARK_PYTHON"] = os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
    session = (
        SparkSession.builder.master("local[2]")
        .appName(app_name)
        .config("spark.executorEnv.PYTHONPATH", pythonpath)
        .config("spark.executorEnv.MLFLOW_DISABLE_TELEMETRY", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
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
