"""MLflow: runs, the model registry and the pyfunc. The only sub-package that imports MLflow,
and only when one of its functions is called (importing this package, or reading the registry
record a promotion left in ``models/registry.json``, does not)."""

import importlib

__all__ = ["log_retrain", "mirror_alias", "read_record", "registry_champion"]

_HOMES = {
    "log_retrain": "offerodds.tracking.runs",
    "mirror_alias": "offerodds.tracking.registry",
    "read_record": "offerodds.tracking.registry",
    "registry_champion": "offerodds.tracking.registry",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'offerodds.tracking' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
