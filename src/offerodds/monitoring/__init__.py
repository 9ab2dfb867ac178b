"""Watching the model in use: does a batch of interviews still look like the reference (drift
per signal, beyond chance), what offer rate the scorer expects for it, and how the scorer in
use predicted outcomes labelled later (calibration over time).

Modules: ``profile`` (counts of a set of interviews), ``drift`` (the checks), ``expected``
(the expected offer rate), ``over_time`` (calibration over time) and ``result``
(``MonitorResult``). The use case is :func:`offerodds.usecases.monitor`, the HTML report
:mod:`offerodds.reports.monitor`. Importing this package loads none of them; scipy.stats is
imported only when a check runs.
"""

__all__ = ["drift", "expected", "over_time", "profile", "result"]
