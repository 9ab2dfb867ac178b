"""MLflow: runs, the model registry and the pyfunc. The only sub-package that imports MLflow,
and only when one of its functions is called (importing this package does not)."""

from offerodds.tracking.monitor_runs import log_monitor
from offerodds.tracking.registry import mirror_alias, read_record, registry_champion, registry_name, registry_state
from offerodds.tracking.runs import Tracked, log_retrain
from offerodds.tracking.sync import sync

__all__ = [
    "Tracked",
    "log_monitor",
    "log_retrain",
    "mirror_alias",
    "read_record",
    "registry_champion",
    "registry_name",
    "registry_state",
    "sync",
]
