"""A workspace beyond POSIX: scoring, the workspace lock and atomic writes work where ``fcntl``
does not exist (Windows), shown here by blocking its import in real processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

NO_FCNTL = textwrap.dedent(
    """
    import importlib.abc, sys

    class _Blocked(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path, target=None):
            if name == "fcntl":
                raise ImportError("No module named 'fcntl'")

    sys.meta_path.insert(0, _Blocked())
    sys.modules.pop("fcntl", None)
    """
)


def run_without_fcntl(code: str, *args, background: bool = False, stdin: str | None = None):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
           "MLFLOW_DISABLE_TELEMETRY": "true"}
    command = [sys.executable, "-c", NO_FCNTL + textwrap.dedent(code), *map(str, args)]
    if background:
        return subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return subprocess.run(command, env=env, input=stdin, capture_output=True, text=True, timeout=300)


def test_score_retrain_ask_and_forget_work_without_fcntl(tmp_path, merge_only_config):
    (tmp_path / "l.csv").write_text("interview_id,engagement,outcome\na,4,offer\nb,2,no_offer\n", encoding="utf-8")
    done = run_without_fcntl(
        """
        import sys, warnings
        warnings.simplefilter("error")  # no library warning reaches the user either
        import offerodds
        from offerodds import cli
        ws, labelled, config = sys.argv[1:4]
        print("p", offerodds.score({"stage": "final", "selling": 4})["offer_probability"].iloc[0])
        assert cli.main(["retrain", labelled, "--workspace", ws, "--config", config]) == 0
        assert cli.main(["forget", "a", "--workspace", ws]) == 0
        assert cli.main(["score", labelled, "--rules", "--workspace", ws, "-o", ws + "/out.csv"]) == 0
        print("fcntl loaded:", "fcntl" in sys.modules)
        """,
        tmp_path, tmp_path / "l.csv", merge_only_config,
    )
    assert done.returncode == 0, done.stderr
    assert "fcntl loaded: False" in done.stdout and "forgot 1 interview" in done.stdout
    assert (tmp_path / "out.csv").is_file()
    assert not [p for p in tmp_path.rglob("*offerodds-tmp*")]  # no temporary file left


def test_the_workspace_lock_holds_between_processes_without_fcntl(tmp_path):
    holder = run_without_fcntl(
        """
        import sys
        from offerodds.files.workspace import Workspace
        from offerodds.stores.modelstore import ModelStore
        with ModelStore(Workspace.resolve(sys.argv[1])).lock("retrain"):
            print("held", flush=True)
            sys.stdin.readline()
        """,
        tmp_path, background=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        second = run_without_fcntl(
            """
            import sys
            from offerodds.errors import StoreError
            from offerodds.files.workspace import Workspace
            from offerodds.stores.modelstore import ModelStore
            try:
                with ModelStore(Workspace.resolve(sys.argv[1])).lock("retrain"):
                    print("taken twice")
            except StoreError as error:
                print("refused:", error)
            """,
            tmp_path,
        )
        assert "refused: another retrain, rollback or sync is running" in second.stdout, second
    finally:
        holder.communicate("go\n", timeout=60)
    assert holder.returncode == 0


def test_asks_at_once_without_fcntl_keep_every_row(tmp_path):
    from offerodds.usecases import questions

    code = """
        import sys
        from offerodds import cli
        sys.exit(cli.main(["ask", "--rules", "--workspace", sys.argv[1]]))
        """
    answers = lambda i: "\n" + "".join(({"company": f"C{i}", "stage": "final"}.get(c, "") + "\n") for c, _ in questions())
    asks = [run_without_fcntl(code, tmp_path, background=True) for _ in range(4)]
    for i, p in enumerate(asks):
        p.stdin.write(answers(i))
        p.stdin.close()
        p.stdin = None
    results = [p.communicate(timeout=300) for p in asks]
    assert all(p.returncode == 0 for p in asks), results
    import csv

    with open(tmp_path / "interviews.csv", newline="", encoding="utf-8") as handle:
        assert sorted(r["company"] for r in csv.DictReader(handle)) == ["C0", "C1", "C2", "C3"]


def test_the_model_store_loads_and_refuses_links_where_files_cannot_be_opened_without_following(tmp_path, monkeypatch):
    """Windows has no O_NOFOLLOW nor folder descriptors: the store looks before it opens."""
    import pytest

    from offerodds.errors import StoreError
    from offerodds.files.workspace import Workspace
    from offerodds.stores import modelfiles
    from offerodds.stores.modelstore import ModelStore
    from tests.conftest import make_scorer

    monkeypatch.setattr(modelfiles, "PORTABLE", True)
    store = ModelStore(Workspace.resolve(tmp_path))
    with store.lock():
        version = store.save(make_scorer(1))
        store.set_champion(version, "test")
    assert store.load_champion()[0] == version
    folder = store.ws.version_dir(version)
    params = folder / "params.json"
    original = params.read_bytes()
    params.unlink()
    params.symlink_to(tmp_path / "elsewhere.json")
    (tmp_path / "elsewhere.json").write_bytes(original)
    with pytest.raises(StoreError, match="symbolic link"):
        store.load(version)
    params.unlink()
    params.write_bytes(original.replace(b"{", b"{ ", 1))
    with pytest.raises(StoreError, match="SHA-256"):
        store.load(version)


def test_without_what_windows_lacks_a_retrain_promotes_and_the_champion_serves(tmp_path):
    """fcntl, O_NOFOLLOW, O_DIRECTORY, fchmod, SIGKILL and SIGSTOP taken away in a real process."""
    config = tmp_path / "c.toml"
    config.write_text("[tracking]\nenabled = false\n[gate]\nbootstrap = 200\n", encoding="utf-8")
    examples = Path(__file__).resolve().parents[2] / "data" / "examples" / "outcomes.csv"
    done = run_without_fcntl(
        """
        import os, signal, sys
        for name in ("SIGKILL", "SIGSTOP"):
            delattr(signal, name)
        for name in ("O_NOFOLLOW", "O_DIRECTORY", "fchmod"):
            delattr(os, name)
        from offerodds import cli
        ws, labelled, config = sys.argv[1:4]
        assert cli.main(["retrain", labelled, "--workspace", ws, "--config", config, "--force"]) == 0
        assert cli.main(["status", "--workspace", ws]) == 0
        """,
        tmp_path / "ws", examples, config,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "serving: model v1" in done.stdout, done.stdout[-2000:]
