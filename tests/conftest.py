"""Shared fixtures: the rule card, and a workspace that is never the current directory."""

import pytest

import offerodds


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

import os  # noqa: E402
import shutil  # noqa: E402
from pathlib import Path  # noqa: E402

# MLflow never phones home from a test run, and retraining stays fast on a busy machine: the
# model's Hessians are small matrix products that a multi-threaded BLAS slows down by two
# orders of magnitude when the CPUs are shared (inherited by subprocesses and notebook kernels).
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_OUTCOMES = REPO_ROOT / "data" / "examples" / "outcomes.csv"
EXAMPLE_INTERVIEWS = REPO_ROOT / "data" / "examples" / "interviews.csv"


@pytest.fixture(scope="session", autouse=True)
def _single_threaded_blas():
    """One BLAS thread for the whole session, even if numpy was imported before this file."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


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
    first time it opens them (offerodds.tracking.relocation; tests/test_promotion.py moves a
    workspace between retrains)."""
    shutil.copytree(source, target)
    return target


@pytest.fixture
def restore_mlflow_uris():
    """No ``$MLFLOW_TRACKING_URI`` during the test, and MLflow's URIs as they were after it.

    ``mlflow.set_tracking_uri`` also exports ``$MLFLOW_TRACKING_URI``; left behind, it would
    send every later test's workspace (``Workspace.tracking_uri`` reads it) to one database."""
    import mlflow

    saved = {k: os.environ.pop(k, None) for k in ("MLFLOW_TRACKING_URI", "MLFLOW_REGISTRY_URI")}
    tracking, registry = mlflow.get_tracking_uri(), mlflow.get_registry_uri()
    yield
    mlflow.set_tracking_uri(tracking)
    mlflow.set_registry_uri(registry)
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


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
import sys  # noqa: E402


def offerodds_env(fault: str | None = None, **extra) -> dict:
    """The environment of an ``offerodds`` subprocess: this tree's code, and optionally a fault
    (``POINT:ACTION``, see offerodds.io.faults)."""
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
