"""Writers racing on one workspace, as real processes: every writer of a workspace file takes the
workspace lock, re-reads the file under it and writes it atomically, so no row is ever lost."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from offerodds.usecases import questions

SRC = Path(__file__).resolve().parents[2] / "src"


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
            "MLFLOW_DISABLE_TELEMETRY": "true"}


def _answers(**given: str) -> str:
    """Enter for the first question (notes), then one line per question."""
    return "\n" + "".join(given.get(column, "") + "\n" for column, _ in questions())


def start(ws: Path, *args: str, stdin: str | None = None) -> subprocess.Popen:
    command = [sys.executable, "-m", "offerodds.cli", *args, "--workspace", str(ws)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env(), cwd=ws)
    process._given = stdin  # written all at once by finish()
    return process


def finish(processes: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    """Give every process its answers at once (they race from here), then collect them."""
    for p in processes:
        if p._given is not None:
            p.stdin.write(p._given)
            p.stdin.close()
            p.stdin = None  # given: communicate() only collects
    done = []
    for p in processes:
        out, err = p.communicate(timeout=300)
        done.append((p.returncode, out, err))
    return done


def rows_of(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_eight_asks_at_once_keep_every_row(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    asks = [start(ws, "ask", "--rules", stdin=_answers(stage="final", company=f"Acme {i}", selling="4"))
            for i in range(8)]
    results = finish(asks)
    assert all(code == 0 for code, _, _ in results), results
    rows = rows_of(ws / "interviews.csv")
    assert sorted(r["company"] for r in rows) == sorted(f"Acme {i}" for i in range(8))
    assert len({r["interview_id"] for r in rows}) == 8


def test_eight_asks_to_a_file_outside_the_workspace_keep_every_row(tmp_path):
    ws, tracker = tmp_path / "ws", tmp_path / "mine" / "tracker.csv"
    ws.mkdir()
    tracker.parent.mkdir()
    asks = [start(ws, "ask", "--rules", "-o", str(tracker), stdin=_answers(stage="first", company=f"C{i}"))
            for i in range(8)]
    assert all(code == 0 for code, _, _ in finish(asks))
    assert sorted(r["company"] for r in rows_of(tracker)) == sorted(f"C{i}" for i in range(8))


def test_asks_against_forgets_lose_nothing_and_forget_everything_asked_to(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    header = "interview_id,company,stage\n"
    old = [f"old-{i}" for i in range(6)]
    (ws / "interviews.csv").write_text(header + "".join(f"{i},Old {i},final\n" for i in old), encoding="utf-8")
    writers = []
    for i in range(6):
        writers.append(start(ws, "ask", "--rules", stdin=_answers(stage="screen", company=f"New {i}")))
        if i % 3 == 0:
            writers.append(start(ws, "forget", old[i], old[i + 1]))
    results = finish(writers)
    assert all(code == 0 for code, _, _ in results), results
    rows = rows_of(ws / "interviews.csv")
    companies = sorted(r["company"] for r in rows)
    assert companies == sorted([f"New {i}" for i in range(6)] + ["Old old-2", "Old old-5"])


def test_a_forget_waits_for_an_ask_holding_the_lock_rather_than_refusing(tmp_path):
    from offerodds.stores.modelstore import ModelStore
    from offerodds.files.workspace import Workspace

    ws = Workspace.resolve(tmp_path)
    (tmp_path / "interviews.csv").write_text("interview_id,stage\na,final\nb,first\n", encoding="utf-8")
    with ModelStore(ws).lock("ask"):
        forget = start(tmp_path, "forget", "a")
        with pytest.raises(subprocess.TimeoutExpired):
            forget.wait(timeout=3)  # waiting its turn
    code, out, err = finish([forget])[0]
    assert code == 0 and "forgot 1" in out, (out, err)
    assert [r["interview_id"] for r in rows_of(tmp_path / "interviews.csv")] == ["b"]


def test_a_retrain_still_refuses_a_second_one_at_once(tmp_path):
    from offerodds.stores.modelstore import ModelStore, StoreError
    from offerodds.files.workspace import Workspace

    ws = Workspace.resolve(tmp_path)
    with ModelStore(ws).lock("retrain"):
        with pytest.raises(StoreError, match="another retrain, rollback or sync is running.*now: retrain"):
            with ModelStore(ws).lock("retrain"):
                pass  # pragma: no cover
        with pytest.raises(StoreError, match="now: retrain"):  # a forget does not wait behind a retrain
            with ModelStore(ws).lock("forget", wait=30):
                pass  # pragma: no cover


def test_a_score_into_the_workspace_waits_for_the_lock_so_a_forget_never_misses_it(tmp_path):
    from offerodds.files.workspace import Workspace
    from offerodds.stores.modelstore import ModelStore

    ws = Workspace.resolve(tmp_path / "ws")
    source = tmp_path / "in.csv"
    source.write_text("interview_id,stage,selling\nsecret,final,4\nother,first,3\n", encoding="utf-8")
    target = ws.reports_dir / "scored.csv"
    with ModelStore(ws).lock("retrain"):
        score = start(ws.root, "score", str(source), "--rules", "-o", str(target))
        with pytest.raises(subprocess.TimeoutExpired):
            score.wait(timeout=3)  # waiting for the retrain, not refused
        assert not target.exists()
    code, _, err = finish([score])[0]
    assert code == 0, err
    forget = finish([start(ws.root, "forget", "secret")])[0]
    assert forget[0] == 0 and "scored.csv" in forget[1]
    assert [r["interview_id"] for r in rows_of(target)] == ["other"]
