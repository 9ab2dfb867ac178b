"""Everything that touches files: the workspace layout, reading and writing tables (one
atomic-write helper), labelled files, the outcome store, the model store, which scorer serves,
the batch loop, the retrain report and the calibration log.

Modules: ``workspace``, ``files``, ``reading``, ``writing``, ``labelled``, ``outcomes``,
``modelfiles`` (one version folder, read and checked), ``modelstore``, ``serving``, ``batch``,
``report``, ``calibration_log`` (calibration over time) and ``faults`` (the named points where
tests kill or pause a promotion).
"""

__all__ = [
    "batch",
    "calibration_log",
    "faults",
    "files",
    "labelled",
    "modelfiles",
    "modelstore",
    "outcomes",
    "reading",
    "report",
    "serving",
    "workspace",
    "writing",
]
