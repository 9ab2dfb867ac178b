"""Everything that touches files: the workspace layout, reading and writing tables (one
atomic-write helper), labelled files, the outcome store, the model store, which scorer serves,
the batch loop, the retrain report and the calibration log; no leftovers, and forgetting
interviews.

Modules: ``workspace``, ``files``, ``csvfiles``, ``reading``, ``writing``, ``labelled``,
``outcomes``, ``modelfiles`` (one version folder, read and checked), ``modelstore``, ``serving``,
``batch``, ``report``, ``calibration_log`` (calibration over time), ``cleanup`` (temporary files
on signals and after killed runs, the demo's own files), ``forget`` (interviews removed from the
workspace) and ``faults`` (the named points where tests kill or pause a promotion).
"""

__all__ = [
    "batch",
    "calibration_log",
    "cleanup",
    "csvfiles",
    "faults",
    "files",
    "forget",
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
