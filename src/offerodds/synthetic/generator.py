"""Drawing synthetic interviews: applications, rounds, a latent interest and the signals.

How an interview is drawn
-------------------------
Applications and rounds
    Applications have ``1 + Poisson(0.4)`` rounds (about 1.4 interviews per application). The
    rounds of one application share ``application_id`` (``app-<seed>-<j>``), ``company`` and
    ``role`` (made-up names) and ``interview_date`` runs forward within 2026 in steps of 5 to 21
    days. ``interview_id`` is ``syn-<seed>-<i>``, so different seeds never collide.
Latent interest
    Each interview has a latent interviewer interest ``z ~ N(0, 1)``; the rounds of one
    application share 40 % of its variance (``z = sqrt(0.4) a + sqrt(0.6) e``). Every observed
    signal is drawn from ``z``, so the signals are correlated as they are in real interviews.
Context
    ``structured_format`` is yes with probability 0.30, ``inexperienced_interviewer`` with 0.15
    (independent of ``z``). ``stage`` is screen / first / final / other with probability
    0.30 / 0.35 / 0.25 / 0.10.
Scales (1-5)
    ``clip(round(3 + loading * z + N(0, 0.8)), 1, 5)`` with the loadings of ``SCALE_LOADINGS``
    (engagement 0.9, eye_contact 0.7, enthusiasm 0.8, rapport 0.8, company_info 0.6,
    role_info 0.7, selling 0.9, skills_depth 0.8, answer_quality 0.7).
Yes/no
    ``Bernoulli(expit(a + b * z))`` with ``(a, b)`` from ``YESNO_PARAMETERS``; ``b < 0`` for the
    article's negative signs. ``(a, b)``: distracted (-1.6, -1.0), interrupted_often
    (-1.4, -0.7), hurried (-1.5, -0.9), casual_ending (0.0, 0.9), met_all_scheduled (1.2, 0.6),
    introduced_to_team (-1.2, 0.8), workspace_tour (-1.2, 0.6), follow_up_questions (0.3, 0.8),
    career_goals_asked (0.0, 0.6), growth_discussed (-0.7, 0.8), questions_invited (1.5, 0.7),
    availability_discussed (-1.1, 1.0), next_steps_explained (-0.5, 0.9), timeline_given
    (0.0, 0.7); thank_you_within_24h (0.42, 0.25: about 60 % yes) and handwritten_note
    (-2.22, 0.25: about 10 %) are only weakly related to ``z``.
Context weakens body language and rapport
    For the catalogue's context-sensitive signals (body language and rapport), a structured
    format multiplies the loading (or ``b``) on ``z`` by 0.4 and an inexperienced interviewer by
    0.5 (both: 0.2), as the article says: those signs say less about the interviewer's interest.
    This uses the true context, whether or not the context cell is later recorded.
Interview length
    ``scheduled_minutes`` from 30 / 45 / 60 / 90 (probability 0.25 / 0.30 / 0.35 / 0.10);
    ``actual_minutes = clip(round(scheduled * exp(0.25 z + N(0, 0.15))), 5, 1440)``.
Unrecorded cells
    Each signal input cell is left empty independently, with probability
    ``1 - (1 - missing_rate) ** factor``; ``factor`` is 2.5 for the follow-up signals
    (thank_you_within_24h, handwritten_note), 1.5 for the two context signals, 0.4 for
    ``stage`` and 1 otherwise, rescaled so that the factors average 1 over the input columns:
    the overall share of empty cells is close to ``missing_rate``, and 0 and 1 give none and
    all. The two minutes columns go missing together (a shared draw with 60 % of the hazard)
    or singly (the remaining 40 %), keeping each column's rate.

"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.special import expit

from offerodds.errors import InputError
from offerodds.signals.catalogue import (
    CONTEXT_SIGNALS,
    MINUTES_MAX,
    STAGES,
    by_name,
    catalogue,
    column_kinds,
    input_columns,
)
from offerodds.synthetic.truth import TRUE_MULTIPLIERS, true_probability

__all__ = ["generate"]

# ---------------------------------------------------------------------------------------------
# How signals are drawn (see the module docstring).
STAGE_PROBABILITIES = {"screen": 0.30, "first": 0.35, "final": 0.25, "other": 0.10}
CONTEXT_PROBABILITIES = {"structured_format": 0.30, "inexperienced_interviewer": 0.15}
# Factor on a context-sensitive signal's loading on z when the context is present.
CONTEXT_LOADING_FACTOR = {"structured_format": 0.4, "inexperienced_interviewer": 0.5}
SCALE_NOISE = 0.8
SCALE_LOADINGS = {
    "engagement": 0.9,
    "eye_contact": 0.7,
    "enthusiasm": 0.8,
    "rapport": 0.8,
    "company_info": 0.6,
    "role_info": 0.7,
    "selling": 0.9,
    "skills_depth": 0.8,
    "answer_quality": 0.7,
}
# (a, b) of P(yes) = expit(a + b * z).
YESNO_PARAMETERS = {
    "distracted": (-1.6, -1.0),
    "interrupted_often": (-1.4, -0.7),
    "hurried": (-1.5, -0.9),
    "casual_ending": (0.0, 0.9),
    "met_all_scheduled": (1.2, 0.6),
    "introduced_to_team": (-1.2, 0.8),
    "workspace_tour": (-1.2, 0.6),
    "follow_up_questions": (0.3, 0.8),
    "career_goals_asked": (0.0, 0.6),
    "growth_discussed": (-0.7, 0.8),
    "questions_invited": (1.5, 0.7),
    "availability_discussed": (-1.1, 1.0),
    "next_steps_explained": (-0.5, 0.9),
    "timeline_given": (0.0, 0.7),
    "thank_you_within_24h": (0.42, 0.25),
    "handwritten_note": (-2.22, 0.25),
}
SCHEDULED_MINUTES = {30: 0.25, 45: 0.30, 60: 0.35, 90: 0.10}
LENGTH_LOADING, LENGTH_NOISE = 0.25, 0.15
APPLICATION_SHARE = 0.4  # share of z's variance common to the rounds of one application
EXTRA_ROUNDS_MEAN = 0.4  # rounds per application = 1 + Poisson(0.4)
# Relative chance of a cell being left empty (rescaled to average 1 over the input columns).
MISSING_FACTORS = {
    "thank_you_within_24h": 2.5,
    "handwritten_note": 2.5,
    "structured_format": 1.5,
    "inexperienced_interviewer": 1.5,
    "stage": 0.4,
}
MINUTES_PAIR_SHARE = 0.6
COMPANIES = (
    "Acme Analytics",
    "Borealis Health",
    "Cobalt Logistics",
    "Dunmore Bank",
    "Ember Games",
    "Fjord Energy",
    "Granite Insurance",
    "Harbour Retail",
)
ROLES = (
    "Data Analyst",
    "Software Engineer",
    "Product Manager",
    "Marketing Lead",
    "Accountant",
    "Operations Coordinator",
)
YEAR_START = np.datetime64("2026-01-01")
DAYS_IN_YEAR = 365



def _check_parameters() -> None:
    names = set(by_name())
    for table in (SCALE_LOADINGS, YESNO_PARAMETERS, TRUE_MULTIPLIERS, MISSING_FACTORS):
        unknown = set(table) - names
        if unknown:
            raise ValueError(f"synthetic parameters name unknown signals {sorted(unknown)}")
    for signal in catalogue():
        if signal.kind == "scale" and signal.name not in SCALE_LOADINGS:
            raise ValueError(f"no loading for the scale signal {signal.name!r}")
        if (
            signal.kind == "yesno"
            and signal.name not in CONTEXT_SIGNALS
            and signal.name not in YESNO_PARAMETERS
        ):
            raise ValueError(f"no (a, b) for the yes/no signal {signal.name!r}")



# ---------------------------------------------------------------------------------------------
# Generator


def _text(array: pa.Array) -> pd.Series:
    """A pyarrow string array as pandas' default text column (missing = NaN)."""
    try:
        dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    except TypeError:  # pandas < 2.3
        dtype = pd.StringDtype("pyarrow")
    return pd.Series(pd.array(array, dtype=dtype))


def _labels(codes: np.ndarray, missing: np.ndarray, labels) -> pd.Series:
    """Text column ``labels[codes]``, empty where ``missing``."""
    index = pa.array(codes.astype(np.int32), mask=missing)
    return _text(pc.take(pa.array(list(labels), type=pa.large_string()), index))


def _ids(prefix: str, numbers: np.ndarray) -> pd.Series:
    digits = pc.utf8_lpad(pc.cast(pa.array(numbers.astype(np.int64)), pa.string()), 6, "0")
    return _text(pc.binary_join_element_wise(prefix, digits, ""))


def _integers(values: np.ndarray, missing: np.ndarray) -> pd.Series:
    return pd.Series(pd.arrays.IntegerArray(values.astype(np.int64), missing.copy()))


def _missing_probabilities(missing_rate: float) -> dict[str, float]:
    columns = input_columns()
    owner = {c: s.name for s in catalogue() for c in s.columns}
    raw = np.array([MISSING_FACTORS.get(owner[c], 1.0) for c in columns])
    factors = raw / raw.mean()
    return {c: 1.0 - (1.0 - missing_rate) ** f for c, f in zip(columns, factors)}


def _structure(rng: np.random.Generator, n: int, seed: int) -> dict[str, pd.Series | np.ndarray]:
    """Applications, rounds, dates, companies and roles; and each row's application index."""
    rounds = 1 + rng.poisson(EXTRA_ROUNDS_MEAN, size=max(n, 1))
    app = np.repeat(np.arange(len(rounds)), rounds)[:n]
    n_apps = int(app[-1]) + 1 if n else 0
    first_row = np.searchsorted(app, np.arange(n_apps))
    start_day = rng.integers(0, 300, size=n_apps)
    gaps = rng.integers(5, 22, size=n)
    gaps[first_row] = 0
    elapsed = np.cumsum(gaps)
    day = start_day[app] + elapsed - elapsed[first_row][app]
    day = np.minimum(day, DAYS_IN_YEAR - 1)
    dates = pc.cast(pa.array(YEAR_START + day.astype("timedelta64[D]")), pa.string())
    company = rng.integers(0, len(COMPANIES), size=n_apps)[app]
    role = rng.integers(0, len(ROLES), size=n_apps)[app]
    none = np.zeros(n, dtype=bool)
    return {
        "app": app,
        "interview_id": _ids(f"syn-{seed}-", np.arange(n)),
        "application_id": _ids(f"app-{seed}-", app),
        "interview_date": _text(dates),
        "company": _labels(company, none, COMPANIES),
        "role": _labels(role, none, ROLES),
    }


def _signals(rng: np.random.Generator, n: int, app: np.ndarray) -> dict[str, np.ndarray]:
    """Every signal input column as typed float values before any cell is left empty.

    ``stage`` is returned as codes into ``STAGES``.
    """
    n_apps = int(app.max()) + 1 if n else 0
    shared = rng.standard_normal(n_apps)[app]
    own = rng.standard_normal(n)
    z = np.sqrt(APPLICATION_SHARE) * shared + np.sqrt(1 - APPLICATION_SHARE) * own
    context = {c: rng.random(n) < CONTEXT_PROBABILITIES[c] for c in CONTEXT_SIGNALS}
    weakening = np.ones(n)
    for c in CONTEXT_SIGNALS:
        weakening = np.where(context[c], weakening * CONTEXT_LOADING_FACTOR[c], weakening)
    values: dict[str, np.ndarray] = {}
    for signal in catalogue():
        factor = weakening if signal.context_sensitive else 1.0
        if signal.name in CONTEXT_SIGNALS:
            values[signal.name] = context[signal.name].astype(float)
        elif signal.kind == "scale":
            latent = 3.0 + SCALE_LOADINGS[signal.name] * factor * z
            latent = latent + SCALE_NOISE * rng.standard_normal(n)
            values[signal.name] = np.clip(np.round(latent), 1.0, 5.0)
        elif signal.kind == "yesno":
            a, b = YESNO_PARAMETERS[signal.name]
            values[signal.name] = (rng.random(n) < expit(a + b * factor * z)).astype(float)
        elif signal.kind == "minutes":
            scheduled_col, actual_col = signal.columns
            options = np.array(list(SCHEDULED_MINUTES), dtype=float)
            scheduled = rng.choice(options, size=n, p=list(SCHEDULED_MINUTES.values()))
            ratio = np.exp(LENGTH_LOADING * z + LENGTH_NOISE * rng.standard_normal(n))
            values[scheduled_col] = scheduled
            values[actual_col] = np.clip(np.round(scheduled * ratio), 5.0, MINUTES_MAX)
        else:  # stage
            p = [STAGE_PROBABILITIES[s] for s in STAGES]
            values[signal.name] = rng.choice(len(STAGES), size=n, p=p).astype(float)
    return values


def _missing(rng: np.random.Generator, n: int, missing_rate: float) -> dict[str, np.ndarray]:
    """Which cells of each signal input column are left empty."""
    prob = _missing_probabilities(missing_rate)
    masks = {}
    for signal in catalogue():
        if signal.kind == "minutes":
            # 1 - p = (1 - p_pair)(1 - p_single): each column keeps its rate.
            p = prob[signal.columns[0]]
            pair = rng.random(n) < 1.0 - (1.0 - p) ** MINUTES_PAIR_SHARE
            for column in signal.columns:
                single = rng.random(n) < 1.0 - (1.0 - p) ** (1.0 - MINUTES_PAIR_SHARE)
                masks[column] = pair | single
        else:
            for column in signal.columns:
                masks[column] = rng.random(n) < prob[column]
    return masks


def generate(
    n: int, seed: int = 0, *, missing_rate: float = 0.15, outcomes: bool = True
) -> pd.DataFrame:
    """Draw ``n`` synthetic interviews with their true probability of an offer.

    Parameters
    ----------
    n : int
        Number of interviews (rows).
    seed : int, default=0
        Seed; the same seed gives the same frame. Signal values do not depend on
        ``missing_rate`` or ``outcomes``, only which cells are empty and the outcome column do.
    missing_rate : float, default=0.15
        About the share of signal input cells left empty (not recorded); follow-up signals go
        missing more often, ``stage`` less (module docstring).
    outcomes : bool, default=True
        Add an ``outcome`` column ("offer" / "no_offer") drawn from ``true_probability``.

    Returns
    -------
    pandas.DataFrame
        ``interview_id``, ``application_id``, ``interview_date`` (ISO date in 2026),
        ``company``, ``role``, then every signal input column in catalogue order as a person
        writes them (scales and minutes as nullable ``Int64``, yes/no as "yes"/"no", ``stage``
        as text, missing where not recorded), ``true_probability`` and, with ``outcomes``,
        ``outcome``.

    Examples
    --------
    >>> from offerodds.synthetic import generate
    >>> df = generate(5, seed=1)
    >>> df["interview_id"].tolist()[:2]
    ['syn-1-000000', 'syn-1-000001']
    >>> sorted(set(df["outcome"]) - {"offer", "no_offer"})
    []
    """
    _check_parameters()
    n = int(n)
    if n < 0:
        raise InputError(f"n must be 0 or more, got {n}")
    if not 0.0 <= missing_rate <= 1.0:
        raise InputError(f"missing_rate must be between 0 and 1, got {missing_rate}")
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    structure = _structure(streams[0], n, seed)
    values = _signals(streams[1], n, structure["app"])
    masks = _missing(streams[2], n, missing_rate)

    kinds = column_kinds()
    columns: dict[str, pd.Series] = {k: v for k, v in structure.items() if k != "app"}
    typed: dict[str, np.ndarray | pd.Series] = {}
    for column in input_columns():
        kind, value, missing = kinds[column], values[column], masks[column]
        if kind == "stage":
            columns[column] = _labels(value.astype(np.int64), missing, STAGES)
            typed[column] = columns[column]
            continue
        typed[column] = np.where(missing, np.nan, value)
        if kind == "yesno":
            columns[column] = _labels(value.astype(np.int64), missing, ("no", "yes"))
        else:
            columns[column] = _integers(value, missing)
    probability = true_probability(pd.DataFrame(typed))
    columns["true_probability"] = pd.Series(probability)
    if outcomes:
        offer = streams[3].random(n) < probability
        never = np.zeros(n, dtype=bool)
        columns["outcome"] = _labels(offer.astype(np.int64), never, ("no_offer", "offer"))
    return pd.DataFrame(columns)
