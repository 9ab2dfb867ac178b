"""Watching the model in use: does a batch of interviews still look like the reference (drift
per signal, beyond chance), what offer rate the scorer expects for it, and how the scorer in
use predicted outcomes labelled later (calibration over time).

Modules: ``profile`` (counts of a set of interviews), ``drift`` (the checks), ``expected``
(the expected offer rate), ``over_time`` (calibration over time), ``result``, ``report``
(the HTML report) and ``run`` (:func:`monitor`, the wiring). Importing this package loads none
of them; scipy.stats is imported only when a check runs.
"""

__all__ = ["drift", "expected", "over_time", "profile", "report", "result", "run"]
