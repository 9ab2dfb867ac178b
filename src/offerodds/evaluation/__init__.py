"""How good probabilities are (log-loss, Brier, AUC, calibration, paired bootstrap) and the
figures that show it. Beside the other rooms: it imports nothing else of offerodds.

Modules: ``metrics``, ``plots``.
"""

__all__ = ["metrics", "plots"]
