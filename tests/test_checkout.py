"""The session's check that a test run leaves the checkout as it found it (tests/conftest.py):
it sees a file created, changed or deleted anywhere, and ignores only the caches."""

from __future__ import annotations

import os

from tests.conftest import checkout_changes, checkout_state


def _tree(root):
    (root / "data" / "examples").mkdir(parents=True)
    (root / "data" / "examples" / "interviews.csv").write_text("interview_id\n1\n", encoding="utf-8")
    (root / "src").mkdir()
    (root / "src" / "mod.py").write_text("x = 1\n", encoding="utf-8")
    (root / ".git").mkdir()
    return checkout_state(root)


def test_a_run_that_writes_only_caches_changes_nothing(tmp_path):
    before = _tree(tmp_path)
    for cache in ("__pycache__", ".pytest_cache", ".hypothesis"):
        (tmp_path / "src" / cache).mkdir()
        (tmp_path / "src" / cache / "entry").write_text("cached", encoding="utf-8")
    (tmp_path / ".git" / "index").write_text("git's own", encoding="utf-8")
    assert checkout_changes(before, checkout_state(tmp_path)) == []


def test_created_modified_and_deleted_files_and_folders_are_each_named(tmp_path):
    before = _tree(tmp_path)
    (tmp_path / "data" / "examples" / "interviews.scored.rejects.csv").write_text("x", encoding="utf-8")
    (tmp_path / "offerodds-demo").mkdir()
    (tmp_path / "src" / "mod.py").write_text("x = 2\n", encoding="utf-8")
    os.utime(tmp_path / "src" / "mod.py", ns=(1, 1))  # same size, another time
    (tmp_path / "data" / "examples" / "interviews.csv").unlink()
    assert checkout_changes(before, checkout_state(tmp_path)) == [
        "deleted:  data/examples/interviews.csv",
        "created:  data/examples/interviews.scored.rejects.csv",
        "created:  offerodds-demo",
        "modified: src/mod.py",
    ]


def test_a_permission_change_is_a_change(tmp_path):
    before = _tree(tmp_path)
    (tmp_path / "src" / "mod.py").chmod(0o600)
    assert checkout_changes(before, checkout_state(tmp_path)) == ["modified: src/mod.py"]
