"""``offerodds sync``: make the MLflow registry mirror the local model store again.

After a promotion whose registration failed (the tracking store was full, locked, unwritable, or
the command was killed), the local champion serves and the registry lags. Sync registers every
stored version the registry lacks (logging it in a run of its own when no run logged it) and
moves the ``champion`` alias to the local champion. It is idempotent: run twice, the second
run changes nothing. Call it under the model store's lock.
"""

from __future__ import annotations

from offerodds.stores.modelfiles import version_digest
from offerodds.stores.modelstore import ModelStore, StoreError
from offerodds.files.workspace import Workspace
from offerodds.tracking.pyfunc import log_pyfunc
from offerodds.tracking._records import log_weights, package_version, version_description
from offerodds.tracking._registry import (
    TAG_VERSION,
    find_registered,
    mirror_alias,
    read_record,
    record_version,
    register,
    registry_name,
)
from offerodds.tracking._session import connect, experiment_id, quiet

__all__ = ["sync"]


def _exists(client, name: str, registered: str, local: str, digest: str) -> bool:
    """Whether the recorded registry version is there and is this local version's content."""
    try:
        found = client.get_model_version(name, registered)
    except Exception:  # deleted, or a tracking store other than the one that registered it
        return False
    return found.tags.get(TAG_VERSION) in (local, None) and found.tags.get("offerodds.sha256") in (digest, None)


def _publish(mlflow, ws: Workspace, store: ModelStore, version: str, name: str, experiment: str) -> str:
    """Log ``version`` in a run of its own and register it; returns the registry version."""
    folder = store.ws.version_dir(version)
    scorer = store.load(version)
    with mlflow.start_run(experiment_id=experiment_id(mlflow, ws, experiment), run_name=f"sync: {version} registered"):
        mlflow.set_tags({TAG_VERSION: version, "offerodds.decision": "registered by offerodds sync",
                         "offerodds.package_version": package_version()})
        log_weights(mlflow, scorer)
        logged = log_pyfunc(mlflow, folder)
    digest = version_digest(store.verify(version))
    return register(mlflow, ws, name, version, digest, logged, version_description(scorer, version, "registered by sync"))


def sync(ws: Workspace, store: ModelStore, configured: str, versions: list[str] | None = None) -> list[str]:
    """Register the stored ``versions`` (default: all) the registry lacks, then move the alias
    to the local champion. Returns one line per thing done."""
    lines = []
    champion = store.champion()  # an unreadable pointer is an error here: nothing to mirror
    name = registry_name(ws, configured)
    with quiet():
        mlflow = connect(ws)
        client = mlflow.MlflowClient()
        for version in store.versions() if versions is None else versions:
            try:
                digest = version_digest(store.verify(version))
            except StoreError as error:
                lines.append(f"{version} not registered: {error}")
                continue
            recorded = read_record(ws).versions.get(version)
            if recorded and _exists(client, name, recorded, version, digest):
                continue
            found = find_registered(client, name, version, digest)
            if found:
                record_version(ws, name, version, found)
                lines.append(f"{version} is version {found} of {name!r} (recorded again)")
            else:
                registered = _publish(mlflow, ws, store, version, name, configured)
                lines.append(f"{version} registered as version {registered} of {name!r}")
        lines.append(mirror_alias(ws, champion))
    return lines
