"""The scorer as one SQL SELECT: the checks of the arguments ``offerodds.to_sql`` takes."""

from __future__ import annotations

from offerodds.errors import InputError
from offerodds.export.sql import DIALECTS, select_sql
from offerodds.scoring.scorer import LinearScorer

__all__ = ["to_sql"]


def to_sql(
    dialect: str = "duckdb",
    table: str = "interviews",
    model: LinearScorer | None = None,
    *,
    columns: list[str] | None = None,
) -> str:
    """:func:`offerodds.to_sql` for a given scorer (see there)."""
    if dialect not in DIALECTS:
        raise InputError(f"dialect must be one of {', '.join(DIALECTS)}, got {dialect!r}")
    if not isinstance(table, str) or not table.strip():
        raise InputError("table must name a table (or be a table expression), got an empty name")
    if not isinstance(model, LinearScorer):
        raise InputError(f"model must be a scorer (offerodds.rules(), offerodds.fit(...)), got {type(model).__name__}")
    return select_sql(model, dialect, table, columns=columns)
