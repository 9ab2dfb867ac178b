"""The phrases that speak to each signal, loaded from ``resources/notes.toml``.

The reading rules are data: that file lists, per column, the phrases a careful reader takes as
a given value, with flags for the scopes that matter (see its header). This module only loads
and compiles them, once, on first use.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources

from offerodds.signals.catalogue import STAGES, column_kinds

__all__ = ["Lexicon", "Rule", "lexicon"]

_FLAGS = frozenset("xf")


@dataclass(frozen=True)
class Rule:
    """One rule: a column, the value its phrases imply, how to read around them (``flags``),
    and the compiled phrases."""

    column: str
    value: object
    flags: str
    pattern: re.Pattern


@dataclass(frozen=True)
class Lexicon:
    """Every rule, in file order, and the intensifiers and softeners that move a level."""

    rules: tuple[Rule, ...]
    strong: re.Pattern
    soft: re.Pattern


def _check(rule: dict, kinds: dict) -> None:
    """A clear error for a rule whose column or value the catalogue does not know."""
    column, value = rule.get("column"), rule.get("value")
    kind = kinds.get(column)
    if kind is None or kind == "minutes":
        raise ValueError(f"notes.toml: {column!r} is not a column the notes rules can propose")
    ok = {
        "scale": isinstance(value, int) and 1 <= value <= 5,
        "yesno": value in ("yes", "no"),
        "stage": value in STAGES,
    }[kind]
    if not ok:
        raise ValueError(f"notes.toml: {value!r} is not a value of {column} ({kind})")
    if set(rule.get("flags", "")) - _FLAGS:
        raise ValueError(f"notes.toml: unknown flags {rule['flags']!r} for {column}")
    if ("phrases" in rule) == ("pattern" in rule):
        raise ValueError(f"notes.toml: a rule for {column} needs either phrases or a pattern")


@functools.cache
def lexicon() -> Lexicon:
    """The rules of ``resources/notes.toml``, compiled."""
    text = resources.files("offerodds").joinpath("resources/notes.toml").read_text("utf-8")
    data = tomllib.loads(text)
    words = data["words"]

    def expand(phrase: str) -> str:
        for name, alternatives in words.items():
            phrase = phrase.replace("{" + name + "}", alternatives)
        return phrase

    kinds = column_kinds()
    rules = []
    for rule in data["rule"]:
        _check(rule, kinds)
        if "phrases" in rule:
            source = r"\b(?:" + "|".join(expand(p) for p in rule["phrases"]) + r")\b"
        else:
            source = expand(rule["pattern"])
        rules.append(Rule(rule["column"], rule["value"], rule.get("flags", ""), re.compile(source)))
    levels = data["levels"]
    return Lexicon(tuple(rules), re.compile(levels["strong"]), re.compile(levels["soft"]))
