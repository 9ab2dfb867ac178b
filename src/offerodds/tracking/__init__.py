"""MLflow: runs, the model registry and the pyfunc. The only sub-package that imports MLflow,
and only when one of its functions is called (importing this package does not)."""

from offerodds.tracking.monitor_runs import log_monitor
from offerodds.tracking.registry import mirror_alias, read_record, registry_champion
from offerodds.tracking.runs import log_retrain

__all__ = ["log_monitor", "log_retrain", "mirror_alias", "read_record", "registry_champion"]
