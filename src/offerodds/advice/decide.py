"""The next step of every interview of a chunk, at once (the ``next_step`` and
``next_step_due`` columns).

Vectorised over rows: each condition of the advice file is one boolean array, each due date
one ``datetime64[D]`` array; a row's step is the rule that applies and is due first. Texts
depend only on the rule, the additions that joined it and the weakest signals named, so each
distinct text is written once, however many rows share it.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from offerodds.advice.playbook import Playbook, playbook
from offerodds.advice.texts import S as _S, text_of_key
from offerodds.advice.timeline import AsOf, Local, as_of_date, localise
from offerodds.scoring.reasons import MIN_EFFECT
from offerodds.signals.catalogue import STATES, by_name, contribution_signals
from offerodds.signals.states import state_codes
from offerodds.signals.dates import Dates, parse_dates
from offerodds.signals.labels import normalise_outcomes

__all__ = ["Advice", "Facts", "advise", "facts_from_frame"]

# outcome codes of Facts.outcome; anything else (empty, pending, unknown text) is 0
OUTCOME_CODES = {"offer": 1, "withdrawn": 2, "no_offer": 3}
_NO_RULE = np.iinfo(np.int64).max  # sort key of a rule that does not apply
_NO_DUE = _NO_RULE - 1  # sort key of a rule that applies without a due date
_NAT = np.datetime64("NaT", "D").astype(np.int64)
# the texts written so far, per rule set: key -> text (bounded, so memory stays flat)
_TEXTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_TEXTS_MAX = 50_000


@dataclass
class Facts:
    """What the advice reads from each row (one entry per row)."""

    interview: Dates
    promised: Dates
    thank_you_on: Dates
    followed_up_on: Dates
    thank_you_yes: np.ndarray  # bool: thank_you_within_24h is yes
    outcome: np.ndarray  # int: OUTCOME_CODES, 0 for none
    probability: np.ndarray  # float
    contributions: np.ndarray  # (n, k) log-odds, column j is signals[j]
    signals: list[str]
    states: np.ndarray | None = None  # (n, k) the recorded state of each (signals.states)

    def __len__(self) -> int:
        return len(self.outcome)


def _outcome_codes(values: pd.Series) -> np.ndarray:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    canonical = normalise_outcomes(pd.Series(np.asarray(uniques, dtype=object), dtype=object))
    mapped = np.array([OUTCOME_CODES.get(c, 0) if isinstance(c, str) else 0 for c in canonical], dtype=np.int8)
    return np.where(codes >= 0, mapped[np.maximum(codes, 0)] if len(mapped) else 0, 0).astype(np.int8)


def facts_from_frame(frame: pd.DataFrame, colmap: dict[str, str], typed: pd.DataFrame) -> Facts:
    """The facts of a scored chunk.

    Parameters
    ----------
    frame : pandas.DataFrame
        The input columns under their own headers and the result columns (what
        ``offerodds.usecases._score`` assembles).
    colmap : dict
        Canonical column name -> header, as from ``match_columns``.
    typed : pandas.DataFrame
        The typed signal frame of the same rows.
    """
    n = len(frame)

    def dates(name: str) -> Dates:
        header = colmap.get(name)
        return parse_dates(frame[header]) if header in frame.columns else Dates.empty(n)

    outcome_header = colmap.get("outcome")
    outcome = (
        _outcome_codes(frame[outcome_header]) if outcome_header in frame.columns else np.zeros(n, np.int8)
    )
    signals = contribution_signals()
    thank_you = typed["thank_you_within_24h"].to_numpy(dtype=float, na_value=np.nan)
    return Facts(
        interview=dates("interview_date"),
        promised=dates("expected_response_date"),
        thank_you_on=dates("thank_you_sent_on"),
        followed_up_on=dates("followed_up_on"),
        thank_you_yes=thank_you == 1.0,
        outcome=outcome,
        probability=frame["offer_probability"].to_numpy(dtype=float, na_value=np.nan),
        contributions=frame[[f"contrib_{s}" for s in signals]].to_numpy(dtype=float),  # NaN: rejected
        signals=signals,
        states=state_codes(typed.reset_index(drop=True), signals),
    )


@dataclass
class Advice:
    """The advice for each row of a chunk.

    Attributes
    ----------
    rule : numpy.ndarray of int
        Index of the chosen rule in ``rules.rules``; -1 where none applies.
    due : numpy.ndarray of datetime64[D]
        The next step's due date; NaT for none.
    weak : numpy.ndarray of bool
        The low-odds addition joined the step (the draft then addresses the gaps).
    gaps : numpy.ndarray of int, shape (n, rules.gaps_named)
        The weakest recorded signals, as indices into ``rules.interview_signals``; -1 for none.
    gap_states : numpy.ndarray of int, shape (n, rules.gaps_named)
        The state recorded for each gap (its index in ``STATES`` of the signal's kind); -1
        for none. The next step names a gap by what was recorded, never by its sign.
    text_index, texts
        ``texts[text_index[i]]`` is row i's ``next_step``.
    interview_day, promised_day : numpy.ndarray of datetime64[D]
        The interview and the promised answer in the candidate's calendar (NaT if not given).
    """

    rules: Playbook
    rule: np.ndarray
    due: np.ndarray
    weak: np.ndarray
    gaps: np.ndarray
    text_index: np.ndarray
    texts: list[str]
    interview_day: np.ndarray
    promised_day: np.ndarray
    gap_states: np.ndarray | None = None
    states: np.ndarray | None = None  # (n, k) as in Facts
    signals: tuple[str, ...] = ()

    def step(self, i: int) -> str:
        return self.texts[self.text_index[i]]

    def rule_of(self, i: int):
        """The chosen :class:`~offerodds.advice.playbook.Rule` of row ``i`` (None if none)."""
        return self.rules.rules[self.rule[i]] if self.rule[i] >= 0 else None

    def gap_signals(self, i: int) -> list[str]:
        names = self.rules.interview_signals
        return [names[j] for j in self.gaps[i] if j >= 0]

    def state_of(self, i: int, signal: str) -> str | None:
        """The state recorded for ``signal`` in row ``i`` (``yes``, ``low``...), None if not."""
        if self.states is None or signal not in self.signals:
            return None
        code = int(self.states[i, self.signals.index(signal)])
        return STATES[by_name()[signal].kind][code] if code >= 0 else None

    def columns(self, valid: np.ndarray) -> tuple[pd.api.extensions.ExtensionArray, pd.api.extensions.ExtensionArray]:
        """``next_step`` and ``next_step_due`` as pandas string columns; empty where not ``valid``."""
        show = np.asarray(valid, bool) & (self.rule >= 0)
        dictionary = pa.array([*self.texts, None], type=pa.large_string())
        index = np.where(show, self.text_index, len(self.texts)).astype(np.int32)
        steps = pc.take(dictionary, pa.array(index))
        due = np.where(show, self.due, np.datetime64("NaT", "D"))
        at, days = pd.factorize(due.astype(np.int64))  # few distinct dates: each written once
        names = [None if d == _NAT else str(np.datetime64(int(d), "D")) for d in days]
        dates = pc.take(pa.array(names, type=pa.large_string()), pa.array(at.astype(np.int32)))
        return pd.arrays.ArrowStringArray(steps), pd.arrays.ArrowStringArray(dates)


def _later(local: Local, as_of: AsOf) -> np.ndarray:
    """A is after the date (to the second when both have a time of day, else by the day)."""
    by_day = as_of.day > local.day
    if as_of.moment is None:
        return by_day & local.known
    return np.where(local.has_time, as_of.moment > local.clock, by_day) & local.known


def _working_days_after(day: np.ndarray, count: int) -> np.ndarray:
    """``count`` working days (Monday to Friday) after each day; a weekend day counts from the
    Monday after it. Each distinct day is reckoned once."""
    out = np.full(len(day), np.datetime64("NaT", "D"))
    known = ~np.isnat(day)
    if known.any():
        codes, days = pd.factorize(day[known].astype(np.int64))
        later = np.busday_offset(days.astype("datetime64[D]"), count, roll="forward")
        out[known] = later[codes]
    return out


class _Situation:
    """The conditions and due dates of one chunk, computed when a rule first asks for them."""

    def __init__(self, facts: Facts, as_of: AsOf, rules: Playbook):
        self.n = len(facts)
        self.facts, self.as_of, self.rules = facts, as_of, rules
        self.interview = localise(facts.interview, as_of.zone)
        self.promised = localise(facts.promised, as_of.zone)
        self.thanked = localise(facts.thank_you_on, as_of.zone)
        self.followed = localise(facts.followed_up_on, as_of.zone)
        self._cache: dict[str, np.ndarray] = {}

    def window_end(self) -> tuple[np.ndarray, np.ndarray]:
        """The end of the thank-you window: moment (for a time of day) and day."""
        i = self.interview
        hours = np.timedelta64(int(round(self.rules.thank_you_hours * 3600)), "s")
        end = i.clock + hours
        days = np.timedelta64(int(np.ceil(self.rules.thank_you_hours / 24)), "D")
        return end, np.where(i.has_time, end.astype("datetime64[D]"), i.day + days)

    def condition(self, name: str) -> np.ndarray:
        if name not in self._cache:
            self._cache[name] = getattr(self, f"_{name}")()
        return self._cache[name]

    # -- the conditions of advice.toml ---------------------------------------------------
    def _no_outcome(self):
        return self.facts.outcome == 0

    def _outcome_offer(self):
        return self.facts.outcome == OUTCOME_CODES["offer"]

    def _outcome_withdrawn(self):
        return self.facts.outcome == OUTCOME_CODES["withdrawn"]

    def _outcome_no_offer(self):
        return self.facts.outcome == OUTCOME_CODES["no_offer"]

    def _thank_you_recorded(self):
        return self.thanked.known | self.facts.thank_you_yes

    def _followed_up(self):
        return self.followed.known

    def _contacted(self):
        return self.condition("thank_you_recorded") | self.condition("followed_up")

    def _follow_up_done(self):
        p, f = self.promised, self.followed
        return f.known & (~p.known | (f.day >= p.day))

    def _interview_dated(self):
        return self.interview.known

    def _interview_date_unreadable(self):
        return self.facts.interview.bad & ~self.interview.known

    def _interview_ahead(self):
        i, a = self.interview, self.as_of
        by_day = a.day < i.day
        if a.moment is None:
            return by_day & i.known
        return np.where(i.has_time, a.moment < i.clock, by_day) & i.known

    def _window_open(self):
        i, a = self.interview, self.as_of
        end, end_day = self.window_end()
        by_day = a.day <= end_day
        if a.moment is None:
            return by_day & i.known
        return np.where(i.has_time, a.moment <= end, by_day) & i.known

    def _thank_you_stale(self):
        days = self.rules.thank_you_days
        if days is None:
            return np.zeros(self.n, bool)
        i = self.interview
        return i.known & (self.as_of.day > i.day + np.timedelta64(days, "D"))

    def _promised(self):
        return self.promised.known

    def _promised_passed(self):
        return _later(self.promised, self.as_of)

    def _low_probability(self):
        with np.errstate(invalid="ignore"):
            return self.facts.probability < self.rules.low_probability

    # -- the due dates ---------------------------------------------------------------------
    def due(self, name: str) -> np.ndarray:
        nat = np.full(self.n, np.datetime64("NaT", "D"))
        wait = self.rules.wait_working_days
        if name == "none":
            return nat
        if name == "as_of":
            return np.full(self.n, self.as_of.day)
        if name == "thank_you_deadline":
            return self.window_end()[1]
        if name == "promised_next_day":
            return self.promised.day + np.timedelta64(1, "D")
        if name == "promised_next_day_or_as_of":
            return np.maximum(self.promised.day + np.timedelta64(1, "D"), self.as_of.day)  # NaT stays
        if name == "interview_plus_wait":
            return _working_days_after(self.interview.day, wait)
        if name == "follow_up_plus_wait":
            return _working_days_after(self.followed.day, wait)
        raise ValueError(f"unknown due {name!r}")

    def holds(self, when) -> np.ndarray:
        ok = np.ones(self.n, bool)
        for name, wanted in when:
            value = self.condition(name)
            ok &= value if wanted else ~value
        return ok


def _weakest(contributions: np.ndarray, count: int) -> np.ndarray:
    """Columns of the ``count`` most negative values of each row below -MIN_EFFECT (the lower
    column first among equal values); -1 where there are fewer."""
    out = np.full((len(contributions), count), -1, dtype=np.int64)
    if contributions.shape[1] == 0 or len(contributions) == 0:
        return out
    take = min(count, contributions.shape[1])
    order = np.argsort(contributions, axis=1, kind="stable")[:, :take]
    low = np.take_along_axis(contributions, order, axis=1) < -MIN_EFFECT
    out[:, :take] = np.where(low, order, -1)
    return out


def advise(facts: Facts, as_of=None, rules: Playbook | None = None) -> Advice:
    """The next step of every row of ``facts`` as of ``as_of``.

    Parameters
    ----------
    facts : Facts
        As from :func:`facts_from_frame`.
    as_of : see :func:`~offerodds.advice.timeline.as_of_date`
        Default: today, local time.
    rules : Playbook, optional
        Default: the packaged rules (``resources/advice.toml``).

    Returns
    -------
    Advice
    """
    rules = rules or playbook()
    as_of = as_of_date(as_of)
    n = len(facts)
    situation = _Situation(facts, as_of, rules)
    keys = np.full((len(rules.rules), n), _NO_RULE, dtype=np.int64)
    dues = np.empty((len(rules.rules), n), dtype="datetime64[D]")
    for r, rule in enumerate(rules.rules):
        applies = situation.holds(rule.when)
        due = situation.due(rule.due)
        dues[r] = due
        key = np.where(np.isnat(due), _NO_DUE, due.astype(np.int64))
        keys[r] = np.where(applies, key, _NO_RULE)
    chosen = np.argmin(keys, axis=0) if n else np.zeros(0, np.int64)
    found = keys[chosen, np.arange(n)] != _NO_RULE if n else np.zeros(0, bool)
    rule = np.where(found, chosen, -1)
    due = np.where(found, dues[chosen, np.arange(n)], np.datetime64("NaT", "D")) if n else dues[:1, :0].ravel()

    added = np.zeros((n, len(rules.additions)), bool)
    for a, addition in enumerate(rules.additions):
        added[:, a] = situation.holds(addition.when) & found
    weak = added.any(axis=1)

    # the weakest recorded signals, for the rows whose text names them
    interview = [facts.signals.index(s) for s in rules.interview_signals if s in facts.signals]
    positions = np.array([rules.interview_signals.index(facts.signals[j]) for j in interview], dtype=np.int64)
    gaps = np.full((n, rules.gaps_named), -1, dtype=np.int64)
    per_row = ("{gaps}", "{circumstances}", "{actions}")
    names_gaps = np.array([any(f in r.step for f in per_row) for r in rules.rules] + [False])[rule] | weak
    gap_states = np.full((n, rules.gaps_named), -1, dtype=np.int64)
    if names_gaps.any() and len(interview):
        picked = _weakest(facts.contributions[np.ix_(names_gaps, interview)], rules.gaps_named)
        gaps[names_gaps] = np.where(picked >= 0, positions[np.maximum(picked, 0)], -1)
        if facts.states is not None:
            recorded = facts.states[np.ix_(names_gaps, interview)].astype(np.int64)
            state = np.take_along_axis(recorded, np.maximum(picked, 0), axis=1)
            gap_states[names_gaps] = np.where(picked >= 0, state, -1)

    # one text per distinct (rule, additions, gaps and their recorded states), remembered
    width = len(rules.interview_signals) * _S + 1
    key = rule.astype(np.int64) + 1
    for a in range(len(rules.additions)):
        key = key * 2 + added[:, a]
    for j in range(rules.gaps_named):
        named = (gaps[:, j] >= 0) & (gap_states[:, j] >= 0)
        key = key * width + np.where(named, gaps[:, j] * _S + gap_states[:, j] + 1, 0)
    inverse, unique = pd.factorize(key)
    known = _TEXTS.setdefault(rules, {})
    if len(known) > _TEXTS_MAX:
        known.clear()
    texts = []
    for k in unique.tolist():
        if k not in known:
            known[k] = text_of_key(rules, k, width)
        texts.append(known[k])
    return Advice(
        rules, rule, due, weak, gaps, inverse, texts, situation.interview.day, situation.promised.day,
        gap_states, facts.states, tuple(facts.signals),
    )
