"""Files offerodds writes: nothing overwritten that is read, no leftovers, the right permissions.

- an output that is the input, or the other output, is refused before anything is written
  (links resolved, files compared by device and inode);
- files holding personal data in the workspace are readable by their owner only; outputs the
  user names follow the user's umask;
- temporary files go on SIGTERM and SIGINT (real signals to real processes), and what a killed
  run (SIGKILL) left is removed at the next start, never a file a live run is writing.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from offerodds import cli
from offerodds.files.cleanup import remove_stale_in_workspace
from offerodds.files.atomic import AtomicFile, same_file
from offerodds.files.workspace import Workspace
from tests.conftest import answers_for, ask

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
EXAMPLES = REPO / "data" / "examples"
INTERVIEWS = "interview_id,engagement,hurried,notes\na1,4,no,keep\na2,9,yes,bad scale\n"


def _env() -> dict:
    path = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path, "MLFLOW_DISABLE_TELEMETRY": "true"}


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@contextlib.contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- an output is never an input ---------------------------------------------------------------


def _clash_cases(tmp: Path) -> dict[str, list[str]]:
    source = tmp / "in.csv"
    (tmp / "link.csv").symlink_to(source)
    (tmp / "chart.png").symlink_to(source)  # a name the chart may have, a link to the input
    os.link(source, tmp / "hard.csv")
    (tmp / "sub").mkdir()
    return {
        "-o is the input": ["score", str(source), "-o", str(source)],
        "--rejects is the input": ["score", str(source), "--rejects", str(source)],
        "--rejects is -o": ["score", str(source), "-o", str(tmp / "x.csv"), "--rejects", str(tmp / "x.csv")],
        "--rejects is -o spelled otherwise": [
            "score", str(source), "-o", str(tmp / "x.csv"), "--rejects", str(tmp / "sub" / ".." / "x.csv")
        ],
        "-o is a link to the input": ["score", str(source), "-o", str(tmp / "link.csv")],
        "-o is a hard link of the input": ["score", str(tmp / "hard.csv"), "-o", str(source)],
        "-o is the input spelled otherwise": ["score", str(source), "-o", str(tmp / "sub" / ".." / "in.csv")],
        "the default rejects file is the input": ["score", str(tmp / "out.rejects.csv"), "-o", str(tmp / "out.csv")],
        "--plot is the input": ["explain", str(source), "--id", "a1", "--plot", str(tmp / "chart.png")],
        "the followup draft is the input": ["followup", str(source), "--id", "a1", "-o", str(tmp / "link.csv")],
        "the monitor report is the input": ["monitor", str(source), "--report", str(source)],
        "the monitor report is the reference": [
            "monitor", str(tmp / "x.csv"), "--reference", str(source), "--report", str(tmp / "hard.csv")
        ],
    }


CLASHES = [
    "-o is the input",
    "--rejects is the input",
    "--rejects is -o",
    "--rejects is -o spelled otherwise",
    "-o is a link to the input",
    "-o is a hard link of the input",
    "-o is the input spelled otherwise",
    "the default rejects file is the input",
    "--plot is the input",
    "the followup draft is the input",
    "the monitor report is the input",
    "the monitor report is the reference",
]


@pytest.mark.parametrize("case", CLASHES)
def test_an_output_that_is_an_input_or_the_other_output_is_refused_before_writing(tmp_path, capsys, case):
    (tmp_path / "in.csv").write_text(INTERVIEWS)
    (tmp_path / "out.rejects.csv").write_text(INTERVIEWS)
    argv = _clash_cases(tmp_path)[case]
    before = _listing(tmp_path)
    assert cli.main([*argv, "--workspace", str(tmp_path / "ws")]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "same file" in err
    assert _listing(tmp_path) == before  # nothing written, nothing changed, no temporary file
    assert not (tmp_path / "ws").exists()


def test_distinct_files_are_not_a_clash(tmp_path, capsys):
    (tmp_path / "in.csv").write_text(INTERVIEWS)
    (tmp_path / "in-copy.csv").write_text(INTERVIEWS)
    assert cli.main(["score", str(tmp_path / "in.csv"), "-o", str(tmp_path / "in-copy.csv"), "--rules"]) == 0
    assert not same_file(tmp_path / "a.csv", tmp_path / "b.csv")
    assert same_file(tmp_path / "new.csv", tmp_path / "." / "new.csv")


# --- permissions -------------------------------------------------------------------------------


@pytest.mark.parametrize("mask, expected", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_outputs_the_user_names_follow_the_umask(tmp_path, capsys, mask, expected):
    (tmp_path / "in.csv").write_text(INTERVIEWS)
    with umask(mask):
        code = cli.main(["score", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"), "--rules"])
        cli.main(["template", "-o", str(tmp_path / "blank.csv")])
    assert code == 0
    assert _mode(tmp_path / "out.csv") == expected
    assert _mode(tmp_path / "out.rejects.csv") == expected
    assert _mode(tmp_path / "blank.csv") == expected


def test_a_replaced_file_keeps_its_permissions(tmp_path, capsys):
    (tmp_path / "in.csv").write_text(INTERVIEWS)
    out = tmp_path / "out.csv"
    out.write_text("old")
    out.chmod(0o600)  # the user keeps their scores to themselves
    with umask(0o022):
        assert cli.main(["score", str(tmp_path / "in.csv"), "-o", str(out), "--rules"]) == 0
    assert _mode(out) == 0o600 and out.read_text() != "old"


def test_asks_interview_file_in_the_workspace_is_the_owners_only(tmp_path):
    with umask(0o002):
        done = ask(tmp_path, answers_for(company="Acme", stage="final"))
    assert done.returncode == 0, done.stderr
    assert _mode(tmp_path / "interviews.csv") == 0o600


def test_workspace_files_with_personal_data_are_the_owners_only(tmp_path, capsys, merge_only_config):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("interview_id,engagement,outcome\nok1,4,offer\nbad1,9,offer\n")
    ws = Workspace.resolve(tmp_path / "ws")
    with umask(0o002):  # a permissive umask: still owner-only
        code = cli.main(["retrain", str(labelled), "--workspace", str(ws.root), "--config", str(merge_only_config)])
    assert code == 0
    assert _mode(ws.outcome_store) == 0o600
    assert _mode(ws.labelled_dir) == 0o700
    assert _mode(ws.retrain_rejects) == 0o600
    assert "bad1" in ws.retrain_rejects.read_text()


def test_atomic_file_modes(tmp_path):
    with umask(0o022):
        with AtomicFile(tmp_path / "private" / "p.bin", private=True) as tmp:
            tmp.write_bytes(b"x")
        with AtomicFile(tmp_path / "shared.bin") as tmp:
            tmp.write_bytes(b"x")
    assert _mode(tmp_path / "private" / "p.bin") == 0o600 and _mode(tmp_path / "private") == 0o700
    assert _mode(tmp_path / "shared.bin") == 0o644


# --- leftovers -------------------------------------------------------------------------------


def _hold_lock(path: Path) -> subprocess.Popen:
    """Another process that holds the lock of ``path``, as a live writer does."""
    code = (
        "import fcntl, sys, time\n"
        "f = open(sys.argv[1], 'rb')\n"
        "fcntl.flock(f, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        "time.sleep(120)\n"
    )
    holder = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_leftover_goes_with_the_next_write_but_never_a_live_one_or_a_users_file(tmp_path):
    target = tmp_path / "out.csv"
    stale = tmp_path / ".out.csv.k3j4h5g6.offerodds-tmp"
    live = tmp_path / ".out.csv.a1b2c3d4.offerodds-tmp"
    mine = tmp_path / ".out.csv.backup"
    other = tmp_path / ".other.csv.k3j4h5g6.offerodds-tmp"
    for path in (stale, live, mine, other):
        path.write_text("x")
    holder = _hold_lock(live)
    try:
        with AtomicFile(target) as tmp:
            tmp.write_text("new")
        assert not stale.exists()
        assert live.exists() and mine.exists() and other.exists()
    finally:
        holder.kill()
        holder.wait()
    assert target.read_text() == "new"


def test_leftovers_of_killed_retrains_go_under_the_lock(tmp_path):
    ws = Workspace.resolve(tmp_path / "ws")
    ws.labelled_dir.mkdir(parents=True)
    ws.models_dir.mkdir(parents=True)
    ws.reports_dir.mkdir(parents=True)
    leftovers = [
        ws.labelled_dir / ".outcomes.parquet.k3j4h5g6.parquet",  # written by offerodds 0.1
        ws.labelled_dir / ".outcomes.parquet.k3j4h5g6.offerodds-tmp.parquet",
        ws.models_dir / ".champion.json.abcdefgh",
        ws.reports_dir / ".retrain.rejects.csv.abcdefgh.offerodds-tmp",
    ]
    staging = ws.models_dir / ".v2-abcd1234"
    staging.mkdir()
    (staging / "params.json").write_text("{}")
    kept = [ws.labelled_dir / "notes.txt", ws.models_dir / ".retrain.lock", ws.reports_dir / ".keep"]
    for path in [*leftovers, *kept]:
        path.write_text("x")
    removed = remove_stale_in_workspace(ws)
    assert set(removed) == {*leftovers, staging}
    assert all(p.exists() for p in kept)


def _big_input(path: Path, rows: int = 40_000) -> Path:
    frame = pd.read_csv(EXAMPLES / "interviews.csv", dtype=str)
    frame = pd.concat([frame] * (rows // len(frame) + 1), ignore_index=True).iloc[:rows]
    frame.to_csv(path, index=False)
    return path


def _wait_for(predicate, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _hidden(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".*") if p.name not in (".retrain.lock",)]


@pytest.mark.slow
@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 1)])
def test_a_stopped_score_leaves_no_hidden_partial_output(tmp_path, signum, code):
    source = _big_input(tmp_path / "in.csv")
    out = tmp_path / "out" / "scored.csv"
    out.parent.mkdir()
    argv = ["score", str(source), "-o", str(out), "--rules", "--chunk-rows", "50", "--workspace", str(tmp_path / "ws")]
    # ``python -m offerodds.cli``, with Ctrl-C delivered as a terminal does (a child of a
    # background job may inherit SIGINT ignored)
    entry = (
        "import runpy, signal, sys\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "sys.argv = ['offerodds', *sys.argv[1:]]\n"
        "runpy.run_module('offerodds.cli', run_name='__main__')\n"
    )
    process = subprocess.Popen([sys.executable, "-c", entry, *argv], env=_env(), stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: len(list(out.parent.glob(".scored.csv.*"))) == 1), "no temporary output seen"
        process.send_signal(signum)
        _, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == code, err
    assert list(out.parent.iterdir()) == []  # no partial output, hidden or not, and no rejects


# A retrain that pauses inside the outcome store's write until it is signalled: a real process,
# real signals, the pause injected by wrapping the library call the write makes.
PAUSING_RETRAIN = """
import sys, time, pathlib
import pyarrow.parquet
from offerodds.cli import main
ready, argv = pathlib.Path(sys.argv[1]), sys.argv[2:]
write = pyarrow.parquet.write_table
def paused(*args, **kwargs):
    result = write(*args, **kwargs)
    ready.write_text("in")
    time.sleep(120)
    return result
pyarrow.parquet.write_table = paused
sys.exit(main(argv))
"""


def _retrain_argv(ws: Path, config: Path) -> list[str]:
    return ["retrain", str(EXAMPLES / "outcomes.csv"), "--workspace", str(ws), "--config", str(config), "--force"]


def _paused_in_store_write(tmp_path: Path, config: Path) -> tuple[subprocess.Popen, Path]:
    ready, ws = tmp_path / "ready", tmp_path / "ws"
    process = subprocess.Popen([sys.executable, "-c", PAUSING_RETRAIN, str(ready), *_retrain_argv(ws, config)],
                               env=_env(), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    assert _wait_for(ready.exists, timeout=240), "the retrain never reached the write"
    return process, ws


def _stopped_in_staging(tmp_path: Path, config: Path) -> tuple[subprocess.Popen, Path]:
    """A retrain stopped (SIGSTOP) with the new version's files in their staging folder."""
    ws = tmp_path / "ws"
    env = {**_env(), "OFFERODDS_FAULT": "save.staged:stop"}
    process = subprocess.Popen([sys.executable, "-m", "offerodds.cli", *_retrain_argv(ws, config)],
                               env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    _, status = os.waitpid(process.pid, os.WUNTRACED)
    assert os.WIFSTOPPED(status), "the retrain ended before its staging point"
    return process, ws


@pytest.mark.slow
@pytest.mark.parametrize("where", ["store", "staging"])
def test_sigterm_during_retrain_removes_its_temporary_store_or_staging_folder(tmp_path, where, no_tracking_config, merge_only_config):
    if where == "store":
        process, ws = _paused_in_store_write(tmp_path, merge_only_config)
    else:
        process, ws = _stopped_in_staging(tmp_path, no_tracking_config)
    temps = list(Workspace.resolve(ws).labelled_dir.glob(".outcomes*")) + list((ws / "models").glob(".v*"))
    assert temps, "the temporary file or folder was not there to remove"
    process.send_signal(signal.SIGTERM)
    process.send_signal(signal.SIGCONT)  # a stopped process takes the SIGTERM when it goes on
    _, err = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert _hidden(ws) == [] and not any(p.exists() for p in temps)
    assert not (ws / "models" / "v1").exists()  # nothing promoted half-way


@pytest.mark.slow
def test_what_a_killed_retrain_left_goes_at_the_next_start(tmp_path, merge_only_config):
    process, ws = _paused_in_store_write(tmp_path, merge_only_config)
    process.kill()  # SIGKILL: no cleanup can run
    process.communicate(timeout=60)
    store = Workspace.resolve(ws).outcome_store
    left = list(store.parent.glob(".outcomes.parquet.*"))
    assert left and not store.exists()  # the interviews are in the leftover only
    labelled = tmp_path / "one.csv"
    labelled.write_text("interview_id,engagement,outcome\nz1,4,offer\n")
    code = cli.main(["retrain", str(labelled), "--workspace", str(ws), "--config", str(merge_only_config)])
    assert code == 0
    assert not any(p.exists() for p in left)
    assert pd.read_parquet(store)["interview_id"].tolist() == ["z1"]


def test_every_test_security_md_names_exists():
    import ast
    import re

    text = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    named = re.findall(r"(?:tests/)?(test_\w+\.py)::(\w+)", text)
    assert len(named) > 20
    for path, name in named:
        found = list((REPO / "tests").rglob(path))  # tests/<package>/test_x.py: names are unique
        assert len(found) == 1, (path, found)
        source = found[0]
        tree = ast.parse(source.read_text(encoding="utf-8"))
        assert name in {f.name for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}, f"{path}::{name}"


def test_template_never_overwrites_a_filled_file(tmp_path, capsys):
    filled = tmp_path / "my-interviews.csv"
    filled.write_text(INTERVIEWS)
    assert cli.main(["template", "-o", str(filled)]) == 1
    assert "holds data" in capsys.readouterr().err
    assert filled.read_text() == INTERVIEWS
    assert cli.main(["template", "-o", str(tmp_path / "blank.csv")]) == 0
    assert cli.main(["template", "-o", str(tmp_path / "blank.csv")]) == 0  # the same blank again: fine
