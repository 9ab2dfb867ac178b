"""File mechanics: the workspace layout (every default path, defined once), reading tables
(CSV, Parquet, frames, dicts) and writing them (one atomic-write helper, streamed writers,
formula-safe cells), and cleaning up what killed runs left.

Modules: ``workspace``, ``atomic`` (the one atomic write; outputs that clash with inputs),
``csvfiles`` (encodings, quotes and ragged lines of CSV files), ``reading``, ``writing``,
``cleanup`` and ``faults`` (the named points where tests kill or pause a promotion). The doors
below are loaded on first use.
"""

from offerodds._lazy import doors

_HOMES = {
    "Workspace": ".workspace",
    "AtomicFile": ".atomic",
    "FileClash": ".atomic",
    "check_distinct": ".atomic",
    "write_json_atomic": ".atomic",
    "Table": ".reading",
    "open_table": ".reading",
    "TableWriter": ".writing",
    "write_table": ".writing",
    "CreatedFiles": ".cleanup",
    "remove_stale_in_workspace": ".cleanup",
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = doors(__name__, _HOMES)
