"""The signal catalogue: the signals offerodds reads, loaded from ``resources/signals.toml``.

Everything that describes a signal (its input columns, kind of value, direction, the question a
person answers and the article section it rests on) lives in that data file; this module only
loads it and answers questions about it.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from offerodds.signals.labels import KEPT_LABELS, OUTCOMES, TRAINING_LABELS

SCALE_MIN, SCALE_MAX = 1.0, 5.0
MINUTES_MAX = 1440.0
STAGES = ("screen", "first", "final", "other")
YES_WORDS = frozenset({"yes", "y", "true", "t", "1", "1.0"})
NO_WORDS = frozenset({"no", "n", "false", "f", "0", "0.0"})
CONTEXT_SIGNALS = ("structured_format", "inexperienced_interviewer")
CONTEXT_SENSITIVE_GROUPS = ("body_language", "rapport")

# Dates a row may carry (ISO); they never change the probability. The last two record what the
# candidate already did, so the advice (next_step) never repeats it.
DATE_COLUMNS = ("interview_date", "expected_response_date", "thank_you_sent_on", "followed_up_on")

# Columns with a meaning that are not signals (DESIGN.md, "Signals").
META_COLUMNS = (
    "interview_id",
    "application_id",
    "interview_date",
    "expected_response_date",
    "thank_you_sent_on",
    "followed_up_on",
    "company",
    "role",
    "interviewer_name",
    "candidate_name",
    "outcome",
    "notes",
)

# The states a person may record, by kind of signal (``resources/signals.toml``, ``states``).
STATES = {
    "scale": ("low", "middle", "high"),
    "yesno": ("yes", "no"),
    "minutes": ("short", "nearly", "full", "over"),
    "stage": STAGES,
}


def _codes(words) -> str:
    return ", ".join(f"`{w}`" for w in words)


# What each meta column holds (data/README.md and `offerodds signals` show it).
META_TEXT = {
    "interview_id": "Text. Your own id for the interview; recommended, it is the key that "
    "outcome labels attach to and what `offerodds explain --id` looks up.",
    "application_id": "Text. Shared by the rounds of one application; cross-validation keeps "
    "them together in one fold.",
    "interview_date": "A date: ISO (`2026-03-02`) is best, or a date-time (`2026-03-02T14:30`) "
    "where the hour matters; `2 March 2026`, and numbers whose order is clear (`25/03/2026`), "
    "are read too (see Accepted values).",
    "expected_response_date": "A date (or date-time) you were told to expect an answer by.",
    "thank_you_sent_on": "ISO date (or date-time) you sent your thank-you email; leave it empty "
    "until you have. `thank_you_within_24h` = yes also counts as sent. The next step never asks "
    "for what you already did.",
    "followed_up_on": "ISO date of your last follow-up email about the status (empty if none "
    "yet); the next follow-up is timed from it.",
    "company": "Text, passed through; for your own reference and the follow-up email.",
    "role": "Text, passed through; for your own reference and the follow-up email.",
    "interviewer_name": "Text; used only to draft a follow-up email (`offerodds followup`).",
    "candidate_name": "Text; used only to sign a follow-up email (`offerodds followup`).",
    "notes": "Free text: what you noticed in the interview, in your own words (English). Passed "
    "through; `offerodds notes` proposes the signal values it supports, and `offerodds score "
    "--from-notes` fills only the signals you left empty from it (listed in `signals_from_notes`). "
    "Notes stay in your files: never in the outcome store, a model, MLflow or a report.",
    "outcome": f"What happened, once you know: {_codes(OUTCOMES)}. Only {_codes(TRAINING_LABELS)} "
    f"train the model; {_codes(KEPT_LABELS)} are kept but never trained on. Leave it empty while "
    "you wait (an empty outcome never overwrites a stored one).",
}


def template_columns() -> list[str]:
    """The header of a blank interview file (``offerodds template``, a new ``ask`` tracker)."""
    tail = ("thank_you_sent_on", "followed_up_on", "outcome", "notes")
    lead = [c for c in META_COLUMNS if c not in tail]
    return [*lead, *input_columns(), *tail]


VALUE_TEXT = {
    "scale": "1-5",
    "yesno": "yes/no",
    "minutes": f"minutes, 0 < m <= {MINUTES_MAX:g}",
    "stage": "/".join(STAGES),
}


@dataclass(frozen=True)
class State:
    """One state of a signal: a few words for a chart (``label``; ``{percent}`` in a length's
    label is how far it ran short or over) and the sentence reasons use (``says``)."""

    label: str
    says: str
    #: The answer as the subject of what it changed ("the set list of questions" made ... count
    #: for less); context answers and rounds only, else empty.
    acts: str = ""


@dataclass(frozen=True)
class Signal:
    """One signal of the catalogue (see ``resources/signals.toml`` for the fields)."""

    name: str
    columns: tuple[str, ...]
    kind: str
    direction: str
    group: str
    question: str
    section: str
    claim: str
    states: dict[str, State] = field(compare=False)  # keyed by state, in STATES order
    short_below: float | None = None  # minutes: below this share of the time, "cut well short"

    @property
    def context_sensitive(self) -> bool:
        """Whether a structured format or an inexperienced interviewer weakens this signal."""
        return self.group in CONTEXT_SENSITIVE_GROUPS

    def reading(self, state: str) -> int:
        """The article's reading of ``state``: +1 a good sign, -1 a bad sign, 0 neither.

        From ``direction``: for "+" a high rating, a yes and a length that ran its full time
        or over are good signs, a low rating, a no and a length cut well short bad ones ("-"
        swaps yes and no); a middle rating, a length nearly full, a context answer and a stage
        are neither.
        """
        if self.direction not in ("+", "-") or state in ("middle", "nearly"):
            return 0
        sign = 1 if self.direction == "+" else -1
        good = state in ("high", "yes", "full", "over")
        return sign if good else -sign


@functools.cache
def catalogue() -> tuple[Signal, ...]:
    """All signals, in catalogue order."""
    text = resources.files("offerodds").joinpath("resources/signals.toml").read_text("utf-8")
    entries = tomllib.loads(text)["signal"]
    signals = []
    for e in entries:
        states = {k: State(**v) for k, v in e["states"].items()}
        if tuple(states) != STATES[e["kind"]]:
            raise ValueError(
                f"signals.toml: {e['name']!r} must describe the states {', '.join(STATES[e['kind']])} "
                f"(in that order), not {', '.join(states)}"
            )
        signals.append(Signal(**{**e, "columns": tuple(e["columns"]), "states": states}))
    return tuple(signals)


@functools.cache
def by_name() -> dict[str, Signal]:
    """Signals keyed by name."""
    return {s.name: s for s in catalogue()}


def signal_names() -> list[str]:
    """Signal names in catalogue order."""
    return [s.name for s in catalogue()]


def contribution_signals() -> list[str]:
    """Signals that get a ``contrib_<signal>`` column: all but ``stage``, which sets the baseline."""
    return [s.name for s in catalogue() if s.kind != "stage"]


@functools.cache
def input_columns() -> tuple[str, ...]:
    """Every signal input column, in catalogue order."""
    return tuple(c for s in catalogue() for c in s.columns)


@functools.cache
def column_kinds() -> dict[str, str]:
    """Kind of value of each signal input column."""
    return {c: s.kind for s in catalogue() for c in s.columns}


def signals_frame():
    """The catalogue as a data dictionary (one row per signal).

    Returns
    -------
    pandas.DataFrame
        Columns ``signal``, ``columns``, ``values``, ``direction``, ``question``,
        ``section`` and ``claim``.
    """
    import pandas as pd

    return pd.DataFrame(
        {
            "signal": [s.name for s in catalogue()],
            "columns": [", ".join(s.columns) for s in catalogue()],
            "values": [VALUE_TEXT[s.kind] for s in catalogue()],
            "direction": [s.direction for s in catalogue()],
            "question": [s.question for s in catalogue()],
            "section": [s.section for s in catalogue()],
            "claim": [s.claim for s in catalogue()],
        }
    )
