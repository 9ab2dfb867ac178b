"""The ground truth of offerodds' own synthetic world: the true probability of an offer.

The ground truth
----------------
The true probability of an offer depends only on the cells that were recorded, through exactly
the features offerodds uses (:class:`~offerodds.signals.features.SignalFeatures`)::

    true_log_odds    = TRUE_INTERCEPT + SignalFeatures().fit(typed).transform(typed) @ TRUE_WEIGHTS
    true_probability = expit(true_log_odds)
    outcome          = "offer" with probability true_probability, else "no_offer"

``z`` does not enter the truth except through the recorded signals. Because the truth is a
logistic function of offerodds' own features, it is the best attainable prediction and a
well-specified model can reach it. ``TRUE_WEIGHTS`` is built from the rule card
(:func:`offerodds.scoring.rulecard.rule_weights`) and deliberately differs from it:

- Every signal's points (all of its features) are the card's times ``TRUE_SCALE`` (1.2, which
  spreads the probabilities realistically) times the signal's multiplier in
  ``TRUE_MULTIPLIERS``. Relative to the card, on top of that common scale, these signals
  matter more: availability_discussed x2.5, selling x2.2, engagement, skills_depth and
  next_steps_explained x2, distracted and introduced_to_team x1.5, interview_length and
  answer_quality x1.3, role_info and hurried x1.2; these less: company_info x0.8,
  interrupted_often and career_goals_asked x0.7, casual_ending x0.6, eye_contact and
  questions_invited x0.5 (halved), and workspace_tour and handwritten_note x0.05 (about
  nothing). All other signals x1 (so x1.2 the card's points).
- Context: the card takes 40 % off a body-language or rapport signal's points per context;
  the truth takes 55 % for a structured format and 35 % for an inexperienced interviewer
  (``TRUE_CONTEXT_DISCOUNT``; both together leave 10 %): ``<feature>*<context>`` weighs
  ``-discount[context]`` times ``<feature>``'s true weight. The contexts have no points of their
  own, as on the card.
- Base rates of an interview where nothing was recorded (``TRUE_BASE_RATES``): 20 % without a
  stage (``TRUE_INTERCEPT = logit(0.20)``; the card: 25 %), screen 9 %, first 18 %, final 42 %,
  other 15 % (the card: 15 / 22 / 35 / 25 %). ``stage=<s>`` weighs
  ``logit(rate[s]) - TRUE_INTERCEPT``, so an interview with only its stage recorded has exactly
  that stage's base rate.

With the defaults (``missing_rate = 0.15``) the overall offer rate is about 29 % (by stage:
screen 17 %, first 28 %, final 47 %, other 25 %); about 31 % of interviews have a true
probability below 10 % and about 16 % above 60 % (5th / 50th / 95th percentiles about
2 % / 20 % / 82 %).

"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from offerodds.scoring.rulecard import rule_weights
from offerodds.signals.catalogue import input_columns
from offerodds.signals.encoding import encode, feature_layout
from offerodds.signals.validation import typed_signals

__all__ = [
    "TRUE_BASE_RATES",
    "TRUE_CONTEXT_DISCOUNT",
    "TRUE_INTERCEPT",
    "TRUE_MULTIPLIERS",
    "TRUE_SCALE",
    "TRUE_WEIGHTS",
    "true_log_odds",
    "true_probability",
    "typed_frame",
]

# ---------------------------------------------------------------------------------------------
# The ground truth (see the module docstring).
TRUE_SCALE = 1.2
TRUE_MULTIPLIERS = {
    "engagement": 2.0,
    "eye_contact": 0.5,
    "distracted": 1.5,
    "interrupted_often": 0.7,
    "hurried": 1.2,
    "casual_ending": 0.6,
    "interview_length": 1.3,
    "introduced_to_team": 1.5,
    "workspace_tour": 0.05,
    "company_info": 0.8,
    "role_info": 1.2,
    "selling": 2.2,
    "skills_depth": 2.0,
    "career_goals_asked": 0.7,
    "questions_invited": 0.5,
    "answer_quality": 1.3,
    "availability_discussed": 2.5,
    "next_steps_explained": 2.0,
    "handwritten_note": 0.05,
}
TRUE_CONTEXT_DISCOUNT = {"structured_format": 0.55, "inexperienced_interviewer": 0.35}
TRUE_BASE_RATES = {"unrecorded": 0.20, "screen": 0.09, "first": 0.18, "final": 0.42, "other": 0.15}

_CHUNK = 100_000


def _true_weights() -> tuple[float, pd.Series]:
    _, card = rule_weights()
    names, owners = feature_layout()
    intercept = float(logit(TRUE_BASE_RATES["unrecorded"]))
    weights = {}
    for name, owner in zip(names, owners):
        if owner == "stage":
            stage = name.split("=", 1)[1]
            weights[name] = float(logit(TRUE_BASE_RATES[stage])) - intercept
            continue
        base, _, context = name.partition("*")
        w = TRUE_SCALE * TRUE_MULTIPLIERS.get(owner, 1.0) * card[base]
        weights[name] = -TRUE_CONTEXT_DISCOUNT[context] * w if context else w
    series = pd.Series(weights, name="true_weight", dtype=float)
    series.index.name = "feature"
    return intercept, series


TRUE_INTERCEPT, TRUE_WEIGHTS = _true_weights()
"""``TRUE_INTERCEPT``: log-odds of an interview where nothing (not even the stage) was recorded.
``TRUE_WEIGHTS``: true log-odds weight of every feature of ``SignalFeatures``, in
``feature_layout()`` order (see the module docstring for how it differs from the rule card)."""


# ---------------------------------------------------------------------------------------------
# Truth


def true_log_odds(typed: pd.DataFrame) -> np.ndarray:
    """True log-odds of an offer for each row of a typed signal frame.

    Parameters
    ----------
    typed : pandas.DataFrame
        Signal input columns as typed values: yes = 1.0, no = 0.0, scales and minutes as floats,
        ``stage`` as text, NaN where not recorded (see :func:`typed_frame`). Absent columns are
        read as not recorded.

    Returns
    -------
    numpy.ndarray
        ``TRUE_INTERCEPT + SignalFeatures().fit(typed).transform(typed) @ TRUE_WEIGHTS``.
    """
    order, _ = feature_layout()
    w = TRUE_WEIGHTS.reindex(order).to_numpy(dtype=float)
    out = np.empty(len(typed))
    for start in range(0, len(typed), _CHUNK):
        part = typed.iloc[start : start + _CHUNK]
        out[start : start + len(part)] = TRUE_INTERCEPT + encode(part) @ w
    return out


def true_probability(typed: pd.DataFrame) -> np.ndarray:
    """True probability of an offer for each row of a typed signal frame.

    Parameters
    ----------
    typed : pandas.DataFrame
        See :func:`true_log_odds`.

    Returns
    -------
    numpy.ndarray
        ``expit(true_log_odds(typed))``.

    Examples
    --------
    >>> import pandas as pd
    >>> from scipy.special import expit
    >>> from offerodds.synthetic import TRUE_INTERCEPT, true_probability
    >>> empty = pd.DataFrame({"engagement": [float("nan")]})
    >>> bool(true_probability(empty)[0] == expit(TRUE_INTERCEPT))
    True
    """
    return expit(true_log_odds(typed))


def typed_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The signal input columns of a generated (or similar) frame as typed values.

    Parameters
    ----------
    df : pandas.DataFrame
        A frame from :func:`generate`, or one read back from its CSV.

    Returns
    -------
    pandas.DataFrame
        The validated signal frame (one column per signal input column, same index): yes =
        1.0, no = 0.0 (any of the catalogue's yes/no words), scales and minutes as float,
        ``stage`` a Categorical; NaN where not recorded.
    """
    return typed_signals(df[[c for c in input_columns() if c in df.columns]])


