"""How DuckDB and Spark SQL spell the few things they spell differently, and literals both
read the same way (strings through ``chr`` for quotes and backslashes, doubles in scientific
notation)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["DIALECTS", "NUMBER", "Dialect", "literal", "number"]

#: The number pattern of :mod:`offerodds.signals.validation`, without backslashes (Spark's
#: string literals read them).
NUMBER = "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$"

# what Python's str.strip() removes around a cell: its 29 kinds of white space (tabs, line
# breaks, no-break and other Unicode spaces, the separators U+001C to U+001F), none above U+3000
_SPACE = tuple(c for c in range(0x3001) if chr(c).isspace())


@dataclass(frozen=True)
class Dialect:
    """The few places DuckDB and Spark SQL spell things differently."""

    name: str
    text_type: str

    def ident(self, name: str) -> str:
        if self.name == "spark":
            return "`" + name.replace("`", "``") + "`"
        return '"' + name.replace('"', '""') + '"'

    def matches(self, text: str, pattern: str) -> str:
        if self.name == "spark":  # (?d): Java's $ would also match before a final U+0085,
            # U+2028 or U+2029, and "4\u2028" would pass for a number its cast cannot read
            return f"({text} RLIKE {literal('(?d)' + pattern)})"
        return f"regexp_matches({text}, {literal(pattern)})"

    def lookup(self, text: str, pairs: list[tuple[str, str]]) -> str:
        """The value paired with ``text`` (NULL for any other text): in Spark a literal map,
        looked up in a short loop (a long CASE makes Spark's generated code larger than the
        JVM compiles), in DuckDB a simple CASE."""
        if self.name == "spark":
            return "map(" + ", ".join(f"{literal(w)}, {v}" for w, v in pairs) + f")[{text}]"
        return f"(CASE {text} " + " ".join(f"WHEN {literal(w)} THEN {v}" for w, v in pairs) + " END)"

    def own_method(self, expr: str, nullable: bool = True) -> str:
        """``expr``, in Spark written so that it is computed in a method of its own: written
        twice in one function that gives its value (``coalesce(expr, expr)``; ``least(expr,
        expr)`` where it is never NULL, as Spark drops a coalesce whose first part cannot be
        NULL), so Spark's common subexpression elimination computes it once, in a function
        whose parameters are only the columns it reads. The stage's method keeps the call and
        stays small enough for the JVM to compile (it interprets a method of more than 8,000
        bytes of bytecode). In DuckDB as is."""
        if self.name != "spark":
            return expr
        return f"coalesce({expr}, {expr})" if nullable else f"least({expr}, {expr})"

    def strip(self, text: str) -> str:
        """``text`` stripped of every kind of white space, as Python's ``str.strip()``."""
        if self.name == "spark":  # Spark's chr() gives only the first 256 characters
            utf8 = "".join(chr(c) for c in _SPACE).encode("utf-8").hex().upper()
            return f"trim(BOTH decode(unhex('{utf8}'), 'UTF-8') FROM {text})"
        chars = " || ".join(f"chr({c})" for c in _SPACE)
        return f"trim({text}, {chars})"


DIALECTS = {"duckdb": Dialect("duckdb", "VARCHAR"), "spark": Dialect("spark", "STRING")}


def literal(text: str) -> str:
    """A string literal both dialects read the same way: quotes and backslashes as ``chr``."""
    parts, plain = [], ""
    for ch in text:
        if ch in ("'", "\\"):
            if plain:
                parts.append(f"'{plain}'")
                plain = ""
            parts.append(f"chr({ord(ch)})")
        else:
            plain += ch
    if plain or not parts:
        parts.append(f"'{plain}'")
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


def number(x: float) -> str:
    """A double literal, exact in both dialects: in scientific notation (a bare ``0.35`` is
    a DECIMAL in both; ``0.35e0`` is the double nearest to 0.35)."""
    x = float(x)
    if not np.isfinite(x):
        raise ValueError(f"a weight must be a finite number, got {x!r}")
    text = repr(x)
    return f"{text}e0" if "e" not in text else text


