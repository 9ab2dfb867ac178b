"""Everything that touches files: the workspace layout, reading and writing tables (one
atomic-write helper), labelled files, the outcome store, the model store, which scorer serves,
the batch loop, the retrain report and the calibration log.

Modules: ``workspace``, ``files``, ``reading``, ``writing``, ``labelled``, ``outcomes``,
``modelstore``, ``serving``, ``batch``, ``report``, ``calibration_log``.
"""

__all__ = [
    "batch",
    "calibration_log",
    "files",
    "labelled",
    "modelstore",
    "outcomes",
    "reading",
    "report",
    "serving",
    "workspace",
    "writing",
]
