"""A workspace that was moved or copied keeps its MLflow data working.

MLflow's SQLite database records absolute ``file://`` locations: the experiment's artifact root,
each run's artifacts, each logged and registered model's files. When the workspace folder moves,
they still name the old folder: new runs would write there (or fail where it is gone) and the
registered models would load from there. MLflow has no call that changes an experiment's
artifact location, so this module rewrites the locations that lie under another folder's
``mlartifacts`` to this workspace's, in one SQLite transaction, and only in the workspace's own
database (never in a tracking store named by ``$MLFLOW_TRACKING_URI``, which offerodds does not
own).
"""

from __future__ import annotations

import contextlib
import sqlite3

from offerodds.files.workspace import Workspace

__all__ = ["foreign_artifact_roots", "relocate"]

_SUFFIX = "/mlartifacts"


def _own_database(ws: Workspace) -> bool:
    return ws.tracking_uri == ws.default_tracking_uri and ws.mlflow_db.is_file()


def _roots(db: sqlite3.Connection, ours: str) -> list[str]:
    rows = db.execute("SELECT DISTINCT artifact_location FROM experiments").fetchall()
    return sorted(
        {r[0] for r in rows if isinstance(r[0], str) and r[0].startswith("file://") and r[0].endswith(_SUFFIX)} - {ours}
    )


def foreign_artifact_roots(ws: Workspace) -> list[str]:
    """Artifact roots in the workspace's own MLflow database that are not its ``mlartifacts``."""
    if not _own_database(ws):
        return []
    with contextlib.closing(sqlite3.connect(f"{ws.mlflow_db.as_uri()}?mode=ro", uri=True, timeout=30)) as db:
        return _roots(db, ws.mlflow_artifacts.as_uri())


def _text_columns(db: sqlite3.Connection) -> list[tuple[str, str]]:
    columns = []
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for row in db.execute(f'PRAGMA table_info("{table}")').fetchall():
            declared = (row[2] or "").upper()
            if any(word in declared for word in ("CHAR", "TEXT", "CLOB")):
                columns.append((table, row[1]))
    return columns


def relocate(ws: Workspace) -> list[str]:
    """Point every location under another folder's ``mlartifacts`` at this workspace's.

    Returns the old roots that were rewritten (empty when nothing had moved). Every text column
    of every table is considered, so a newer MLflow's new tables are covered too; a value is
    changed only where it is the old root or starts with the old root and a slash.
    """
    if not _own_database(ws):
        return []
    ours = ws.mlflow_artifacts.as_uri()
    with contextlib.closing(sqlite3.connect(ws.mlflow_db, timeout=30, isolation_level=None)) as db:
        if not _roots(db, ours):
            return []
        db.execute("BEGIN IMMEDIATE")
        try:
            roots = _roots(db, ours)  # again, under the write lock
            for table, column in _text_columns(db):
                for old in roots:
                    db.execute(
                        f'UPDATE "{table}" SET "{column}" = ? || substr("{column}", ?) '
                        f'WHERE "{column}" = ? OR substr("{column}", 1, ?) = ?',
                        (ours, len(old) + 1, old, len(old) + 1, old + "/"),
                    )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return roots
