"""From the typed signal frame to a prediction and its explanation: the linear scorer, the rule
card, the plain-word reasons, the result columns and the :class:`Explanation` of one interview.

Modules: ``scorer``, ``rulecard``, ``reasons``, ``results``, ``explanation``.
"""

__all__ = ["explanation", "reasons", "results", "rulecard", "scorer"]


def __getattr__(name: str):
    # names of earlier layouts, for MLflow models they logged (offerodds._compat)
    from offerodds._compat import moved_name

    return moved_name(__name__, name)
