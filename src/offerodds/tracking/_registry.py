"""The MLflow model registry as a mirror of the local champion pointer.

The local pointer (``models/champion.json``) is the source of truth; the registered model's
``champion`` alias follows it, moved under the same lock as the pointer. ``models/registry.json``
records the registered model's name and which registry version each local version became, so
every command reads one name: the name of the workspace's first registration (the retrain
configuration's ``experiment`` names it while nothing is registered). Each registry version
carries the local version and the SHA-256 of its files as tags, so a registration whose record
was lost (a command killed in between) is found again instead of registered twice.

The record also keeps where offerodds last moved the alias (at a promotion, a rollback or a
sync), so ``status`` says what the registry looked like then without asking MLflow, or
importing it: :func:`recorded_state`. ``sync`` asks MLflow (:func:`registry_state`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from offerodds.errors import warn
from offerodds.files.faults import checkpoint
from offerodds.files.atomic import write_json_atomic
from offerodds.stores.modelstore import ModelStore, StoreError, is_version
from offerodds.stores.modelfiles import read_json
from offerodds.files.workspace import CHAMPION_ALIAS, Workspace
from offerodds.tracking._session import connect, describe, quiet

__all__ = [
    "DEFAULT_NAME",
    "RegistryRecord",
    "RegistryState",
    "find_registered",
    "mirror_alias",
    "read_record",
    "record_alias",
    "record_version",
    "recorded_state",
    "register",
    "registry_champion",
    "registry_name",
    "registry_state",
]

DEFAULT_NAME = "offerodds"
TAG_VERSION, TAG_DIGEST = "offerodds.version", "offerodds.sha256"


class RegistryRecord(dict):
    """``name`` (the registered model) and ``versions`` (local version -> registry version)."""

    @property
    def name(self) -> str:
        name = self.get("name")
        return name if isinstance(name, str) and name else DEFAULT_NAME

    @property
    def versions(self) -> dict[str, str]:
        return self.setdefault("versions", {})

    @property
    def alias(self) -> dict | None:
        """Where offerodds last moved the alias: ``registered`` (a registry version, or None
        when it removed it), ``local`` (the local champion then, None for the rule card) and
        ``at``; None before any promotion, rollback or sync recorded it."""
        return self.get("alias")


def _alias_entry(value) -> dict | None:
    """A recorded alias entry, checked like the rest of the record (else None)."""
    if not isinstance(value, dict):
        return None
    registered, local, at = value.get("registered"), value.get("local"), value.get("at")
    if registered is not None and not str(registered).isdigit():
        return None
    if local is not None and not is_version(str(local)):
        return None
    return {
        "registered": None if registered is None else str(registered),
        "local": local,
        "at": at if isinstance(at, str) else "",
    }


def read_record(ws: Workspace) -> RegistryRecord:
    """The workspace's registry record (an empty one when nothing was registered).

    A damaged record is read as empty, with a warning: ``offerodds sync`` rebuilds it from the
    registry's tags.
    """
    path = ws.registry_file
    try:
        data = read_json(path, "the registry record")
    except FileNotFoundError:
        return RegistryRecord(name=DEFAULT_NAME, versions={})
    except StoreError as error:
        warn(f"{error}; reading it as empty (offerodds sync rebuilds it)")
        return RegistryRecord(name=DEFAULT_NAME, versions={})
    if not isinstance(data, dict):
        data = {}
    if "versions" not in data and "name" not in data:  # the first layout: a bare {local: registry} map
        data = {"name": DEFAULT_NAME, "versions": dict(data)}
    versions = data.get("versions") if isinstance(data.get("versions"), dict) else {}
    kept = {k: str(v) for k, v in versions.items() if is_version(k) and str(v).isdigit()}
    record = RegistryRecord(name=data.get("name"), versions=kept)
    alias = _alias_entry(data.get("alias"))
    if alias is not None:
        record["alias"] = alias
    return record


def registry_name(ws: Workspace, configured: str) -> str:
    """The one registered model name of the workspace: recorded at its first registration."""
    record = read_record(ws)
    return record.name if record.versions else configured


def record_version(ws: Workspace, name: str, local: str, registered: str) -> None:
    """Remember that ``local`` is version ``registered`` of the registered model ``name``."""
    record = read_record(ws)
    if record.versions and record.name != name:
        raise StoreError(f"this workspace's models are registered as {record.name!r}, not {name!r}")
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


def find_registered(client, name: str, local: str, digest: str) -> str | None:
    """The registry version of ``name`` tagged with this local version and content, if any."""
    quote = '"' if "'" in name else "'"
    found = [
        int(v.version)
        for v in client.search_model_versions(f"name = {quote}{name}{quote}")
        if v.tags.get(TAG_VERSION) == local and v.tags.get(TAG_DIGEST) == digest
    ]
    return str(max(found)) if found else None


def register(mlflow, ws: Workspace, name: str, local: str, digest: str, logged, description: str = "") -> str:
    """Register a logged model as ``local`` of ``name``, tagged and described; records it;
    returns the version. The registered model gets offerodds' description when it has none."""
    from mlflow.exceptions import MlflowException

    from offerodds.tracking._records import MODEL_DESCRIPTION

    client = mlflow.MlflowClient()
    try:
        client.create_registered_model(name, description=MODEL_DESCRIPTION)
    except MlflowException as error:
        if error.error_code not in ("RESOURCE_ALREADY_EXISTS", "ALREADY_EXISTS"):
            raise
        if not client.get_registered_model(name).description:  # registered by an older offerodds
            client.update_registered_model(name, description=MODEL_DESCRIPTION)
    created = client.create_model_version(
        name,
        source=logged.model_uri,
        run_id=logged.run_id,
        tags={TAG_VERSION: local, TAG_DIGEST: digest},
        model_id=logged.model_id,
        description=description or None,
    )
    checkpoint("registry.registered")
    record_version(ws, name, local, str(created.version))
    checkpoint("registry.recorded")
    return str(created.version)


def mirror_alias(ws: Workspace, version: str | None) -> str:
    """Move the registry alias to mirror the local champion; returns what was done.

    Call under the model store's lock, with the pointer already moved.
    """
    record = read_record(ws)
    client = connect(ws).MlflowClient()
    if version is None:
        try:
            client.get_model_version_by_alias(record.name, CHAMPION_ALIAS)
        except Exception:  # no alias or no registered model: nothing to mirror
            record_alias(ws, None, None)
            return "no registry alias to remove"
        client.delete_registered_model_alias(record.name, CHAMPION_ALIAS)
        record_alias(ws, None, None)
        return f"registry alias {CHAMPION_ALIAS} removed"
    registered = record.versions.get(version)
    if registered is None:
        return f"{version} is not registered in MLflow; the registry alias {CHAMPION_ALIAS} did not move"
    client.set_registered_model_alias(record.name, CHAMPION_ALIAS, registered)
    record_alias(ws, version, registered)
    return f"registry alias {CHAMPION_ALIAS} -> version {registered}"


def registry_champion(ws: Workspace) -> str | None:
    """The registry version the alias points at, or None."""
    record = read_record(ws)
    try:
        with quiet():
            return str(connect(ws).MlflowClient().get_model_version_by_alias(record.name, CHAMPION_ALIAS).version)
    except Exception:  # no registered model or alias yet
        return None


@dataclass
class RegistryState:
    """What ``status`` says about the registry: does the alias mirror the local champion?"""

    name: str
    local: str | None
    expected: str | None
    actual: str | None
    problem: str | None = None
    recorded_at: str | None = None  # set: what the last promotion, rollback or sync recorded

    @property
    def in_step(self) -> bool:
        return self.problem is None and self.expected == self.actual and (self.local is None or bool(self.expected))

    def __str__(self) -> str:
        if self.problem:
            return f"WARNING: the MLflow registry cannot be read ({self.problem})"
        when = f", as recorded at the last promotion, rollback or sync ({self.recorded_at})" if self.recorded_at else ""
        if self.in_step:
            return (
                f"registry alias '{CHAMPION_ALIAS}' of {self.name!r}: {self.actual or 'none'} "
                f"(mirrors the local pointer){when}"
            )
        local = self.local or "(rule card)"
        registered = f"registry version {self.expected}" if self.expected else "not registered"
        return (
            f"WARNING: registry alias '{CHAMPION_ALIAS}' of {self.name!r} points at {self.actual or 'nothing'} "
            f"but the local champion {local} is {registered}{when}; the local pointer is the source of "
            "truth (offerodds sync repairs the registry)"
        )


def registry_state(ws: Workspace) -> RegistryState:
    """Compare the registry alias with the local champion (never raises)."""
    record = read_record(ws)
    try:
        local = ModelStore(ws).champion()
    except StoreError:
        local = None
    expected = record.versions.get(local) if local else None
    try:
        with quiet():
            client = connect(ws).MlflowClient()
            try:
                actual = str(client.get_model_version_by_alias(record.name, CHAMPION_ALIAS).version)
            except Exception:  # no registered model or no alias
                actual = None
    except Exception as error:  # the tracking store itself cannot be opened
        return RegistryState(record.name, local, expected, None, describe(error))
    return RegistryState(record.name, local, expected, actual)


def recorded_state(ws: Workspace) -> RegistryState | None:
    """What the registry looked like at the last promotion, rollback or sync, against the local
    champion now; read from the record alone (no MLflow). None when nothing is recorded yet."""
    record = read_record(ws)
    alias = record.alias
    if alias is None:
        return None
    try:
        local = ModelStore(ws).champion()
    except StoreError:
        local = None
    expected = record.versions.get(local) if local else None
    return RegistryState(record.name, local, expected, alias["registered"], recorded_at=alias["at"] or "unknown")
