"""The HTML reports, self-contained (charts embedded), written into the workspace's
``reports/``: the retrain's (what was compared and decided) and the monitor's (drift per
signal, the expected offer rate, calibration over time).

Modules: ``retrain``, ``monitor``; each has ``write_report``.
"""

__all__ = ["monitor", "retrain"]
