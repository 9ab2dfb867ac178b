"""The scorer as one SQL SELECT: the checks of the arguments ``offerodds.to_sql`` takes."""

from __future__ import annotations

from offerodds.errors import InputError
from offerodds.export.sql import DIALECTS, select_sql
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.headers import match_columns, warn_lookalikes

__all__ = ["read_columns", "to_sql"]


def read_columns(columns: list[str]) -> dict[str, str]:
    """The columns offerodds reads among a table's headers, matched as ``offerodds score``
    matches them (case, spaces and hyphens ignored): canonical name -> header. A header that
    only looks like a column ("Eye contact (1-5)", "Enthusiam") is warned about, as ``offerodds
    score`` warns; two headers that mean one column are an error."""
    headers = [str(c) for c in columns]
    colmap = match_columns(headers)
    warn_lookalikes(headers, colmap)
    return colmap


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
    if columns is None:
        return select_sql(model, dialect, table)
    columns = [str(c) for c in columns]
    return select_sql(model, dialect, table, columns=columns, colmap=read_columns(columns))
