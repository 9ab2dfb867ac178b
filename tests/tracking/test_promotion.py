"""Promotion is one step from the user's point of view (SECURITY.md, "Promotion and the registry").

Real ``offerodds`` processes are killed with SIGKILL at each named point of a promotion
(offerodds.files.faults), MLflow is made to fail after the local promotion (a read-only tracking
store), two rollbacks race, and a workspace is moved between retrains with ``shutil.move``. After
each: the champion the pointer names loads and serves, the history agrees with the pointer, the
command that hit an MLflow failure exited 0 and said so in one line, and ``offerodds sync``
brings the registry alias back to the local champion.
"""

from __future__ import annotations

import shutil
import signal
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import offerodds
from tests.conftest import (
    EXAMPLE_INTERVIEWS,
    canonical_signals,
    resume,
    run_offerodds,
    start_offerodds,
    wait_until_stopped,
    write_config,
)
from offerodds import cli
from offerodds.stores.modelstore import ModelStore
from offerodds.stores.outcomes import OutcomeStore
from offerodds.stores.serving import serving
from offerodds.files.workspace import Workspace
from offerodds.synthetic import generate
from offerodds.tracking import read_record, registry_champion, registry_state
from offerodds.tracking.pyfunc import synthetic_example

pytestmark = pytest.mark.slow

NAME = "offerodds"


@pytest.fixture(autouse=True)
def _restore_global_state(monkeypatch, restore_mlflow_uris):
    """``cli.main`` installs a warning printer; offerodds points MLflow at a workspace."""
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)


@pytest.fixture(scope="module")
def fast(tmp_path_factory) -> Path:
    """Tracking on (the default), fewer folds and resamples: retrains in these tests are forced."""
    return write_config(tmp_path_factory.mktemp("config") / "fast.toml", "[fit]\nfolds = 3\n\n[gate]\nbootstrap = 100\n")


@pytest.fixture(scope="module")
def new_labels(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("labels") / "new.csv"
    generate(150, seed=77).drop(columns="true_probability").to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def two_versions(mlflow_template, tmp_path_factory, fast) -> Path:
    """The session's MLflow workspace (v1) with v2 promoted by a forced retrain: read only."""
    root = Path(shutil.copytree(mlflow_template[0], tmp_path_factory.mktemp("two") / "ws"))
    report = offerodds.retrain(workspace=root, force=True, config=fast)
    assert report.version == "v2" and report.registered == "2" and report.tracking_problem is None, str(report)
    return root


def cli_run(*args) -> int:
    return cli.main([str(a) for a in args])


def readonly_tracking(root: Path) -> str:
    """The workspace's own MLflow database opened read-only: every write to it fails."""
    return f"sqlite:///file:{Path(root) / 'mlflow.db'}?mode=ro&uri=true"


def assert_mirrored(root: Path, champion: str | None) -> None:
    """The local pointer names ``champion`` and serves it; the registry alias mirrors it."""
    ws = Workspace.resolve(root)
    assert ModelStore(ws).champion() == champion
    chosen = serving(ws)
    assert (chosen.scorer.kind, chosen.scorer.version) == (("model", champion) if champion else ("rules", "rules-1")), chosen.reason
    state = registry_state(ws)
    assert state.in_step, str(state)
    expected = read_record(ws).versions.get(champion) if champion else None
    assert registry_champion(ws) == expected
    if champion:
        import mlflow

        client = mlflow.MlflowClient()
        assert client.get_model_version(NAME, expected).tags["offerodds.version"] == champion


def registry_versions_of(root: Path, local: str) -> list[str]:
    import mlflow

    from offerodds.tracking._session import connect

    connect(Workspace.resolve(root))
    return [v.version for v in mlflow.MlflowClient().search_model_versions(f"name = '{NAME}'")
            if v.tags.get("offerodds.version") == local]


# --- SIGKILL at every named point of a promotion ------------------------------------------------------

BEFORE_THE_POINTER = ["save.staged", "save.renamed"]
AFTER_THE_POINTER = ["pointer.replaced", "champion.set", "run.logged", "registry.registered", "registry.recorded"]


@pytest.mark.parametrize("point", BEFORE_THE_POINTER + AFTER_THE_POINTER)
def test_a_retrain_killed_at_any_point_leaves_a_champion_that_serves_and_sync_mirrors(
    mlflow_workspace, fast, new_labels, point, capsys
):
    root = mlflow_workspace
    ws = Workspace.resolve(root)
    code, out, err = run_offerodds("retrain", new_labels, "--force", "--config", fast, "--workspace", root,
                                   fault=f"{point}:kill")
    assert code == -signal.SIGKILL, (code, err[-2000:])

    expected = "v1" if point in BEFORE_THE_POINTER else "v2"
    store = ModelStore(ws)
    assert store.champion() == expected
    assert serving(ws).scorer.version == expected  # loads: never half a version
    assert store.history()[-1]["to"] == expected  # the history agrees with the pointer
    assert len(OutcomeStore(ws).read()) in (1000, 1150)  # old or new, readable
    assert set(store.versions()) <= {"v1", "v2"}
    with store.lock():  # the killed process held the lock; the kernel released it
        pass

    assert cli_run("status", "--workspace", root) == 0
    status = capsys.readouterr().out
    assert ("WARNING" in status) == (point in AFTER_THE_POINTER)  # the alias lags the pointer
    if "WARNING" in status:
        assert "offerodds sync repairs the registry" in status

    assert cli_run("sync", "--workspace", root) == 0
    out = capsys.readouterr().out
    assert "(mirrors the local pointer)" in out, out
    assert_mirrored(root, expected)
    if point == "registry.registered":  # registered, not recorded: found by its tags, not registered twice
        assert "v2 is version 2 of 'offerodds' (recorded again)" in out
    assert len(registry_versions_of(root, "v2")) == (0 if point == "save.staged" else 1)  # v2 exists from save.renamed on

    assert cli_run("sync", "--workspace", root) == 0  # idempotent
    assert capsys.readouterr().out.splitlines()[0].startswith("registry alias champion -> ")


@pytest.mark.parametrize("point", ["pointer.replaced", "champion.set"])
def test_a_rollback_killed_after_the_pointer_is_mirrored_by_sync(two_versions, tmp_path, point, capsys):
    root = Path(shutil.copytree(two_versions, tmp_path / "ws"))
    code, _, err = run_offerodds("rollback", "--workspace", root, fault=f"{point}:kill")
    assert code == -signal.SIGKILL, err
    ws = Workspace.resolve(root)
    assert ModelStore(ws).champion() == "v1" and ModelStore(ws).history()[-1]["to"] == "v1"
    assert registry_champion(ws) == "2"  # the alias lags ...
    assert cli_run("sync", "--workspace", root) == 0
    capsys.readouterr()
    assert_mirrored(root, "v1")  # ... until sync


# --- MLflow fails after the local promotion --------------------------------------------------------------


def test_an_unwritable_tracking_store_still_promotes_says_so_and_sync_repairs_it(
    mlflow_workspace, fast, new_labels, tmp_path, capsys, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # SQLite's URI form leaves a folder named "file:" where it runs
    root = mlflow_workspace
    ws = Workspace.resolve(root)
    code, out, err = run_offerodds("retrain", new_labels, "--force", "--config", fast, "--workspace", root,
                                   MLFLOW_TRACKING_URI=readonly_tracking(root))
    assert code == 0, err
    said = ("promoted v2 locally; the registry was not updated: OperationalError: attempt to write a readonly "
            "database; `offerodds sync` repairs it")
    assert said in out
    assert err.strip() == f"offerodds: warning: {said}"  # one line: no MLflow log, no traceback
    assert ModelStore(ws).champion() == "v2" and serving(ws).scorer.version == "v2"
    assert registry_champion(ws) == "1"

    assert cli_run("status", "--workspace", root) == 0
    status = capsys.readouterr().out
    assert "WARNING: registry alias 'champion' of 'offerodds' points at 1 but the local champion v2 is not registered" in status
    assert "offerodds sync repairs the registry" in status

    assert cli_run("sync", "--workspace", root) == 0
    out = capsys.readouterr().out
    assert "v2 registered as version 2 of 'offerodds'" in out and "registry alias champion -> version 2" in out
    assert_mirrored(root, "v2")

    # the registry's champion is the model that serves locally, to the last bit
    import mlflow

    model = mlflow.pyfunc.load_model(f"models:/{NAME}@champion")
    frame = pd.read_csv(EXAMPLE_INTERVIEWS).head(50)
    local = offerodds.score(frame, model=offerodds.load_model(root))
    path = tmp_path / "head.csv"
    frame.to_csv(path, index=False)
    remote = model.predict(canonical_signals(path))
    np.testing.assert_array_equal(remote["offer_probability"].to_numpy(float), local["offer_probability"].to_numpy(float))
    assert set(remote["model_version"]) == {"v2"}


def test_a_rollback_with_an_unwritable_tracking_store_stands_and_says_so(two_versions, tmp_path, monkeypatch, capsys):
    root = Path(shutil.copytree(two_versions, tmp_path / "ws"))
    monkeypatch.chdir(tmp_path)  # SQLite's URI form leaves a folder named "file:" where it runs
    monkeypatch.setenv("MLFLOW_TRACKING_URI", readonly_tracking(root))
    assert cli_run("rollback", "rules", "--workspace", root) == 0
    captured = capsys.readouterr()
    assert "champion: v2 -> rules (the rule card)" in captured.out
    assert "the rule card serves locally; the registry was not updated: " in captured.err
    assert "readonly database" in captured.err and "offerodds sync" in captured.err
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    assert registry_champion(Workspace.resolve(root)) == "2"
    assert cli_run("sync", "--workspace", root) == 0
    assert "registry alias champion removed" in capsys.readouterr().out
    assert_mirrored(root, None)


# --- the alias moves under the pointer's lock ----------------------------------------------------------------


def test_two_rollbacks_at_once_leave_the_alias_and_the_pointer_together(two_versions, tmp_path, capsys):
    """The first rollback stops after moving the pointer, before moving the alias; the second
    must wait its turn (refused), or it would move the alias and the first would then move it
    back over a pointer it no longer names."""
    root = Path(shutil.copytree(two_versions, tmp_path / "ws"))
    first = start_offerodds("rollback", "--workspace", root, fault="champion.set:stop")
    try:
        assert wait_until_stopped(first), first.communicate()
        code, out, err = run_offerodds("rollback", "v2", "--workspace", root)
        assert code == 1 and "another retrain, rollback or sync is running" in err, (code, out, err)
        code, out, err = resume(first)
    finally:
        if first.poll() is None:
            first.kill()
    assert code == 0, err
    assert "champion: v2 -> v1" in out and "registry alias champion -> version 1" in out
    assert_mirrored(root, "v1")


# --- a workspace that moves ---------------------------------------------------------------------------------


def test_a_workspace_moved_between_retrains_keeps_its_mlflow_data_inside(mlflow_template, tmp_path, fast, capsys):
    import mlflow

    template = mlflow_template[0]
    first = Path(shutil.copytree(template, tmp_path / "first"))  # no SQL: a plain copy
    report = offerodds.retrain(workspace=first, force=True, config=fast)
    assert report.version == "v2" and report.registered == "2" and report.tracking_problem is None, str(report)
    assert (first / "mlartifacts" / report.run_id).is_dir()

    moved = tmp_path / "elsewhere" / "moved"
    moved.parent.mkdir()
    shutil.move(first, moved)
    assert not first.exists()
    report = offerodds.retrain(workspace=moved, force=True, config=fast)
    assert report.version == "v3" and report.registered == "3" and report.tracking_problem is None, str(report)
    assert not first.exists(), "MLflow wrote into the workspace's old folder"
    assert (moved / "mlartifacts" / report.run_id).is_dir()
    assert not (template / "mlartifacts" / report.run_id).exists()

    client = mlflow.MlflowClient()  # connected to the moved workspace by the retrain
    inside = (moved / "mlartifacts").as_uri()
    experiment = client.get_experiment_by_name(NAME)
    assert experiment.artifact_location == inside
    runs = client.search_runs([experiment.experiment_id])
    assert len(runs) == 3 and all(r.info.artifact_uri.startswith(inside + "/") for r in runs)
    for version in ("1", "2", "3"):  # v1 was registered in the template's folder, v2 in `first`
        assert client.get_model_version_download_uri(NAME, version).startswith(inside + "/"), version
    loaded = mlflow.pyfunc.load_model(f"models:/{NAME}/1")
    assert set(loaded.predict(synthetic_example())["model_version"]) == {"v1"}
    assert cli_run("status", "--workspace", moved) == 0
    assert "registry alias 'champion' of 'offerodds': 3 (mirrors the local pointer)" in capsys.readouterr().out


# --- one registered model name per workspace, and a record rebuilt from the registry --------------------------


def test_the_workspace_keeps_the_name_of_its_first_registration(two_versions, tmp_path, fast, capsys):
    root = Path(shutil.copytree(two_versions, tmp_path / "ws"))
    config = write_config(tmp_path / "custom.toml", fast.read_text(encoding="utf-8") + '\n[tracking]\nexperiment = "custom"\n')
    report = offerodds.retrain(workspace=root, force=True, config=config)
    assert report.version == "v3" and report.registered == "3"
    assert any("registered as 'offerodds', the registered model of this workspace" in n for n in report.tracking_notes)
    assert read_record(Workspace.resolve(root)).name == NAME
    assert_mirrored(root, "v3")
    assert cli_run("rollback", "1", "--workspace", root) == 0  # `1` means v1
    assert "champion: v3 -> v1" in capsys.readouterr().out
    assert_mirrored(root, "v1")


def test_a_first_registration_under_a_custom_name_is_the_one_every_command_reads(two_versions, tmp_path, fast, capsys):
    root = Path(shutil.copytree(two_versions, tmp_path / "ws"))
    ws = Workspace.resolve(root)
    ws.registry_file.unlink()  # as if nothing had been registered from this workspace
    config = write_config(tmp_path / "custom.toml", fast.read_text(encoding="utf-8") + '\n[tracking]\nexperiment = "custom"\n')
    report = offerodds.retrain(workspace=root, force=True, config=config)
    assert report.version == "v3" and report.registered == "1"
    assert read_record(ws).name == "custom"
    assert cli_run("sync", "--workspace", root) == 0  # registers v1 and v2 under the same name
    out = capsys.readouterr().out
    assert "v1 registered as version 2 of 'custom'" in out and "v2 registered as version 3 of 'custom'" in out
    assert cli_run("rollback", "v2", "--workspace", root) == 0
    assert "registry alias champion -> version 3" in capsys.readouterr().out
    import mlflow

    assert mlflow.MlflowClient().get_model_version_by_alias("custom", "champion").tags["offerodds.version"] == "v2"
    assert "WARNING" not in str(registry_state(ws))


def test_a_damaged_registry_record_is_rebuilt_by_sync_from_the_registry_tags(two_versions, tmp_path, capsys):
    root = Path(shutil.copytree(two_versions, tmp_path / "ws"))
    ws = Workspace.resolve(root)
    ws.registry_file.write_text('{"name": "offerodds", "versions": {"v1": "1", "v2', encoding="utf-8")
    assert cli_run("status", "--workspace", root) == 0
    captured = capsys.readouterr()
    assert "WARNING" in captured.out and "registry record" in captured.err
    before = registry_versions_of(root, "v2")
    assert cli_run("sync", "--workspace", root) == 0
    out = capsys.readouterr().out
    assert "v1 is version 1 of 'offerodds' (recorded again)" in out and "v2 is version 2 of 'offerodds'" in out
    assert registry_versions_of(root, "v2") == before  # nothing registered twice
    assert_mirrored(root, "v2")


# --- nothing leaves the machine ----------------------------------------------------------------------------

NETWORK_WATCH = """
import json, socket, sys
seen = []
def watch(event, args):
    if event == "socket.getaddrinfo" or (
        event == "socket.connect" and args[0].family in (socket.AF_INET, socket.AF_INET6)
    ):
        seen.append([event, repr(args[1:] if event == "socket.connect" else args[:2])])
sys.addaudithook(watch)
from offerodds.cli import main
codes = [main(args) for args in json.loads(sys.argv[1])]
print(json.dumps({"codes": codes, "network": seen}))
"""


def test_retrain_sync_status_and_score_open_no_network_connection(mlflow_workspace, fast, new_labels, tmp_path):
    """Every socket a Python process connects (and every name it looks up) passes an audit hook:
    a promotion with MLflow tracking, sync, status and score look up and connect to nothing."""
    import json
    import subprocess
    import sys

    from tests.conftest import offerodds_env

    root = str(mlflow_workspace)
    commands = [
        ["retrain", str(new_labels), "--force", "--config", str(fast), "--workspace", root],
        ["sync", "--workspace", root],
        ["status", "--workspace", root],
        ["score", str(EXAMPLE_INTERVIEWS), "-o", str(tmp_path / "scored.csv"), "--quiet", "--workspace", root],
    ]
    done = subprocess.run([sys.executable, "-c", NETWORK_WATCH, json.dumps(commands)], capture_output=True,
                          text=True, env=offerodds_env(), timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["codes"] == [0, 0, 0, 0], done.stderr[-3000:]
    assert result["network"] == []
