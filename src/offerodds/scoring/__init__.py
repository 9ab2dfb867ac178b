"""From the typed signal frame to a prediction and its explanation: the linear scorer, the rule
card, the plain-word reasons, the result columns and the :class:`Explanation` of one interview.

Modules: ``scorer``, ``rulecard``, ``reasons``, ``results``, ``explanation``.
"""

__all__ = ["explanation", "reasons", "results", "rulecard", "scorer"]


def __getattr__(name: str):
    # Compatibility: MLflow models logged by offerodds 0.1 run code that does
    # ``from offerodds.scoring import result_columns, score`` (tests/test_compat.py).
    if name == "result_columns":
        from offerodds.scoring.results import result_columns

        return result_columns
    if name == "score":
        from offerodds.api import score

        return score
    raise AttributeError(f"module 'offerodds.scoring' has no attribute {name!r}")
