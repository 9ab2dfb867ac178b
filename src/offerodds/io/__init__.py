"""Everything that touches files: the workspace layout, reading and writing tables (one
atomic-write helper), labelled files, the outcome store, the model store, which scorer serves,
the batch loop and the retrain report.

Modules: ``workspace``, ``files``, ``reading``, ``writing``, ``labelled``, ``outcomes``,
``modelstore``, ``serving``, ``batch``, ``report``.
"""

__all__ = [
    "batch",
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
