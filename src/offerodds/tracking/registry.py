"""The MLflow model registry as a mirror of the local champion pointer.

The local pointer (``models/champion.json``) is the source of truth; the registered model's
``champion`` alias follows it. ``models/registry.json`` records the registered model's name,
which registry version each local version became, and where the alias pointed when offerodds
last moved it (at a promotion, a rollback or a sync), so ``status`` can say so without asking
MLflow (and without importing it).
"""

from __future__ import annotations

import datetime as dt

from offerodds.io.files import write_json_atomic
from offerodds.io.workspace import CHAMPION_ALIAS, Workspace
from offerodds.tracking.session import connect, quiet

__all__ = [
    "RegistryRecord",
    "mirror_alias",
    "read_record",
    "record_alias",
    "record_version",
    "registry_champion",
]

DEFAULT_NAME = "offerodds"


class RegistryRecord(dict):
    """``name`` (the registered model) and ``versions`` (local version -> registry version)."""

    @property
    def name(self) -> str:
        return self.get("name") or DEFAULT_NAME

    @property
    def versions(self) -> dict[str, str]:
        return self.setdefault("versions", {})

    @property
    def alias(self) -> dict | None:
        """Where the alias pointed when offerodds last moved it: ``registered`` (a registry
        version, or None when removed), ``local`` (the local champion then) and ``at``; None
        when no promotion, rollback or sync has recorded it yet."""
        return self.get("alias")


def read_record(ws: Workspace) -> RegistryRecord:
    """The workspace's registry record (an empty one when nothing was registered)."""
    import json

    path = ws.registry_file
    if not path.exists():
        return RegistryRecord(name=DEFAULT_NAME, versions={})
    data = json.loads(path.read_text(encoding="utf-8"))
    if "versions" not in data:  # the first layout: a bare {local: registry} map
        data = {"name": DEFAULT_NAME, "versions": dict(data)}
    return RegistryRecord(data)


def record_version(ws: Workspace, name: str, local: str, registered: str) -> None:
    """Remember that ``local`` is version ``registered`` of the registered model ``name``."""
    record = read_record(ws)
    record["name"] = name
    record.versions[local] = str(registered)
    write_json_atomic(ws.registry_file, dict(record))


def record_alias(ws: Workspace, local: str | None, registered: str | None) -> None:
    """Remember that the alias now points at registry version ``registered`` (None: removed)
    while ``local`` is the local champion (None: the rule card)."""
    record = read_record(ws)
    record["alias"] = {
        "registered": None if registered is None else str(registered),
        "local": local,
        "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    write_json_atomic(ws.registry_file, dict(record))


def mirror_alias(ws: Workspace, version: str | None) -> str:
    """Move the registry alias to mirror the local champion; returns what was done."""
    record = read_record(ws)
    with quiet():
        client = connect(ws).MlflowClient()
        if version is None:
            try:
                client.delete_registered_model_alias(record.name, CHAMPION_ALIAS)
            except Exception:  # no alias or no registered model: nothing to mirror
                record_alias(ws, None, None)
                return "no registry alias to remove"
            record_alias(ws, None, None)
            return f"registry alias {CHAMPION_ALIAS} removed"
        registered = record.versions.get(version)
        if registered is None:
            return f"{version} was never registered in MLflow; the alias is unchanged"
        client.set_registered_model_alias(record.name, CHAMPION_ALIAS, registered)
    record_alias(ws, version, registered)
    return f"registry alias {CHAMPION_ALIAS} -> version {registered}"


def registry_champion(ws: Workspace) -> str | None:
    """The registry version the alias points at, asking MLflow, or None."""
    record = read_record(ws)
    try:
        with quiet():
            return str(connect(ws).MlflowClient().get_model_version_by_alias(record.name, CHAMPION_ALIAS).version)
    except Exception:  # no registered model or alias yet
        return None
