"""MLflow: runs, the model registry and the pyfunc. The only sub-package that imports MLflow,
and only when one of its functions is called (importing this package, or reading the registry
record a promotion or a sync left in ``models/registry.json``, does not)."""

import importlib

__all__ = [
    "MESSAGES_VARIABLE",
    "Tracked",
    "describe",
    "log_monitor",
    "log_retrain",
    "mirror_alias",
    "model_output",
    "outcomes_digest",
    "model_table",
    "pyfunc_predict",
    "read_record",
    "recorded_state",
    "registry_champion",
    "registry_name",
    "registry_state",
    "sync",
]

# Each name is loaded from its module on first use, so that ``status`` reads the registry
# record without loading the run-logging code (pandas, the synthetic example) it never needs.
_HOMES = {
    "MESSAGES_VARIABLE": "offerodds.tracking._session",
    "Tracked": "offerodds.tracking._runs",
    "describe": "offerodds.tracking._session",
    "log_monitor": "offerodds.tracking._monitor_runs",
    "log_retrain": "offerodds.tracking._runs",
    "mirror_alias": "offerodds.tracking._registry",
    "model_output": "offerodds.tracking.pyfunc",
    "model_table": "offerodds.tracking.pyfunc",
    "outcomes_digest": "offerodds.tracking._records",
    "pyfunc_predict": "offerodds.tracking.pyfunc",
    "read_record": "offerodds.tracking._registry",
    "registry_champion": "offerodds.tracking._registry",
    "registry_name": "offerodds.tracking._registry",
    "recorded_state": "offerodds.tracking._registry",
    "registry_state": "offerodds.tracking._registry",
    "sync": "offerodds.tracking._sync",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'offerodds.tracking' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
