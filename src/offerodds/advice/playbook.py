"""The playbook: the next-step rules, loaded from ``resources/advice.toml`` (what to do after an
interview, and by when); the file's comments say how a row's next step is chosen.

Named so that "rules" means one thing: the rule card (:func:`offerodds.rules`), the scorer
used before any model is trained. This module was ``offerodds.advice.rules`` (its ``RuleSet``,
``advice_rules``, ``load_rules`` and ``parse_rules``); that path still imports, with a
``DeprecationWarning`` (``offerodds/_compat.py``)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib import resources

from offerodds.errors import ConfigError
from offerodds.signals.catalogue import by_name, catalogue

__all__ = ["CONDITIONS", "DRAFTS", "DUES", "Addition", "AdviceFileError", "Playbook", "Rule", "load_playbook", "parse_playbook", "playbook"]

#: The conditions a rule may name (each may be negated with ``not ``).
CONDITIONS = (
    "no_outcome",
    "outcome_offer",
    "outcome_withdrawn",
    "outcome_no_offer",
    "thank_you_recorded",
    "followed_up",
    "contacted",
    "follow_up_done",
    "interview_dated",
    "interview_date_unreadable",
    "interview_ahead",
    "window_open",
    "thank_you_stale",
    "promised",
    "promised_passed",
    "low_probability",
)
#: How a rule's due date is reckoned.
DUES = (
    "none",
    "as_of",
    "thank_you_deadline",
    "promised_next_day",
    "promised_next_day_or_as_of",
    "interview_plus_wait",
    "follow_up_plus_wait",
)
#: The drafts a rule may call for ("" for none).
DRAFTS = ("", "thank_you", "status")


@dataclass(frozen=True)
class Rule:
    """One situation and its next step."""

    id: str
    when: tuple[tuple[str, bool], ...]  # (condition, required value)
    due: str
    draft: str
    step: str
    section: str
    claim: str


@dataclass(frozen=True)
class Addition:
    """Advice that joins whatever step is chosen when its conditions hold."""

    id: str
    when: tuple[tuple[str, bool], ...]
    text: str
    section: str
    claim: str


@dataclass(frozen=True, eq=False)  # one object per file read: compared (and hashed) by identity
class Playbook:
    """The whole advice file: settings, next-step rules in order, additions, draft texts and
    phrases."""

    version: int
    thank_you_hours: float
    wait_working_days: int
    low_probability: float
    gaps_named: int
    mention_min_effect: float
    exclude_groups: tuple[str, ...]
    gaps_named_text: str
    gaps_unnamed_text: str
    rules: tuple[Rule, ...]
    additions: tuple[Addition, ...]
    draft: dict
    mention: dict
    gap: dict
    #: Signals a draft or the advice may name as a strength or a gap, in catalogue order.
    interview_signals: tuple[str, ...] = ()
    #: Days after the interview when a late thank-you would read oddly (None: never).
    thank_you_days: int | None = None
    #: What the candidate can do about each weak signal, in the next email.
    act: dict = field(default_factory=dict)
    #: The weakest signals said as circumstance (``{names}``); empty when none is named.
    circumstances_named_text: str = ": {names}, which was their side of the interview, not yours to fix"
    #: What the candidate can do when no gap is named.
    actions_unnamed_text: str = "add whatever strengthens your case"

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


#: The advice file is not as ``advice.toml`` documents it; the message names the entry.
AdviceFileError = ConfigError


def _conditions(entry: dict, where: str) -> tuple[tuple[str, bool], ...]:
    out = []
    for text in entry.get("when", []):
        words = str(text).split()
        negated = len(words) == 2 and words[0] == "not"
        name = words[-1] if words else ""
        if len(words) not in (1, 2) or (len(words) == 2 and not negated) or name not in CONDITIONS:
            raise AdviceFileError(f"{where}: unknown condition {text!r}; known: {', '.join(CONDITIONS)}")
        out.append((name, not negated))
    if not out:
        raise AdviceFileError(f"{where}: a rule needs at least one condition in `when`")
    return tuple(out)


def _text(template: str, settings: dict, where: str) -> str:
    try:  # settings now; {gaps} stays for each row
        return template.format(**settings, gaps="{gaps}", circumstances="{circumstances}", actions="{actions}")
    except (KeyError, IndexError) as error:
        raise AdviceFileError(f"{where}: unknown field {error} in {template!r}") from None


#: Each number of ``[settings]``: (whole number?, lowest, highest); NaN and infinity are refused.
_RANGES = {
    "thank_you_hours": (False, 1.0, 24.0 * 14),
    "wait_working_days": (True, 1, 60),
    "thank_you_days": (True, 1, 365),
    "low_probability": (False, 0.0, 1.0),
    "gaps_named": (True, 0, 30),
    "mention_min_effect": (False, 0.0, 10.0),
}


def _check_settings(settings: dict) -> None:
    """The advice file's numbers, checked when it is loaded (ranges, NaN), naming the entry."""
    for key, (whole, low, high) in _RANGES.items():
        if key not in settings:
            continue
        value = settings[key]
        kinds = (int,) if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or not low <= value <= high:
            what = "a whole number" if whole else "a number"
            raise AdviceFileError(f"the advice file: [settings] {key} = {value!r}; {what} from {low:g} to {high:g} is needed")


def parse_playbook(data: dict) -> Playbook:
    """A :class:`Playbook` from the parsed TOML, checked entry by entry."""
    settings = dict(data.get("settings", {}))
    _check_settings(settings)
    fields = {k: settings[k] for k in ("thank_you_hours", "wait_working_days", "thank_you_days") if k in settings}
    rules = []
    seen = set()
    for i, entry in enumerate(data.get("rule", []), start=1):
        where = f"advice rule {i} ({entry.get('id', '?')})"
        for key in ("id", "due", "step", "section", "claim"):
            if not str(entry.get(key, "")).strip():
                raise AdviceFileError(f"{where}: `{key}` is missing")
        if entry["id"] in seen:
            raise AdviceFileError(f"{where}: the id {entry['id']!r} is used twice")
        seen.add(entry["id"])
        if entry["due"] not in DUES:
            raise AdviceFileError(f"{where}: unknown due {entry['due']!r}; known: {', '.join(DUES)}")
        if entry.get("draft", "") not in DRAFTS:
            raise AdviceFileError(f"{where}: unknown draft {entry['draft']!r}")
        rules.append(
            Rule(entry["id"], _conditions(entry, where), entry["due"], entry.get("draft", ""),
                 _text(entry["step"], fields, where), entry["section"], entry["claim"])
        )
    additions = []
    for i, entry in enumerate(data.get("addition", []), start=1):
        where = f"advice addition {i} ({entry.get('id', '?')})"
        additions.append(
            Addition(entry["id"], _conditions(entry, where), _text(entry["text"], fields, where),
                     entry["section"], entry["claim"])
        )
    if not rules:
        raise AdviceFileError("the advice file has no rules")
    mention, gap, act = dict(data.get("mention", {})), dict(data.get("gap", {})), dict(data.get("act", {}))
    unknown = (set(mention) | set(gap) | set(act)) - set(by_name())
    if unknown:
        raise AdviceFileError(f"advice phrases for signals that do not exist: {sorted(unknown)}")
    exclude = tuple(settings.get("exclude_groups", ()))
    return Playbook(
        version=int(data.get("version", 1)),
        thank_you_hours=float(settings["thank_you_hours"]),
        wait_working_days=int(settings["wait_working_days"]),
        low_probability=float(settings["low_probability"]),
        gaps_named=int(settings["gaps_named"]),
        mention_min_effect=float(settings["mention_min_effect"]),
        exclude_groups=exclude,
        gaps_named_text=str(settings["gaps_named_text"]),
        gaps_unnamed_text=str(settings["gaps_unnamed_text"]),
        rules=tuple(rules),
        additions=tuple(additions),
        draft=dict(data.get("draft", {})),
        mention=mention,
        gap=gap,
        interview_signals=tuple(s.name for s in catalogue() if s.kind != "stage" and s.group not in exclude),
        thank_you_days=int(settings["thank_you_days"]) if "thank_you_days" in settings else None,
        act=act,
        **{k: str(settings[k]) for k in ("circumstances_named_text", "actions_unnamed_text") if k in settings},
    )


def load_playbook(text: str) -> Playbook:
    """A :class:`Playbook` from the text of an advice TOML file."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AdviceFileError(f"the advice file is not valid TOML: {error}") from None
    try:
        return parse_playbook(data)
    except KeyError as error:
        raise AdviceFileError(f"the advice file lacks the setting {error}") from None


@functools.cache
def playbook() -> Playbook:
    """The packaged playbook (``resources/advice.toml``)."""
    return load_playbook(resources.files("offerodds").joinpath("resources/advice.toml").read_text("utf-8"))
