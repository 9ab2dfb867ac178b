"""The scorer as one SQL SELECT: the checks of the arguments ``offerodds.to_sql`` takes."""

from __future__ import annotations

from offerodds.errors import InputError, warn
from offerodds.export.sql import DIALECTS, select_sql
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.headers import lookalikes, match_columns

__all__ = ["read_columns", "to_sql"]


def read_columns(columns: list[str]) -> dict[str, str]:
    """The columns offerodds reads among a table's headers, matched as ``offerodds score``
    matches them (case, spaces and hyphens ignored): canonical name -> header. A header that
    looks like a column but is not read ("Eye contact (1-5)", "eye_contac") is warned about,
    as ``offerodds score`` warns: read as not recorded, it would lower every probability
    without a word. Two headers that mean one column are an error."""
    headers = [str(c) for c in columns]
    colmap = match_columns(headers)
    for header, column in lookalikes(headers, colmap):
        warn(
            f"column {header!r} is not read: did you mean {column!r}? Rename the header to use it "
            "(offerodds never renames one itself); until then it counts as not recorded"
        )
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
