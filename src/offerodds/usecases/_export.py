"""The scorer as SQL: ``offerodds.to_sql`` and ``offerodds sql``."""

from __future__ import annotations

from pathlib import Path

from offerodds.errors import InputError
from offerodds.export.query import to_sql as query
from offerodds.files.atomic import AtomicFile
from offerodds.scoring.scorer import LinearScorer
from offerodds.stores.serving import load_model

__all__ = ["columns_of", "to_sql", "write_sql"]


def to_sql(dialect: str = "duckdb", table: str = "interviews", model: LinearScorer | None = None, *,
           columns: list[str] | None = None, workspace=None) -> str:
    """The SELECT of :func:`offerodds.to_sql`: ``model``, else the workspace's serving scorer."""
    if model is None:
        model = load_model(workspace)
    elif not isinstance(model, LinearScorer):
        raise InputError(
            f"model= takes what offerodds.fit(), offerodds.rules() or offerodds.load_model() "
            f"returned, not {type(model).__name__}"
        )
    return query(dialect, table, model, columns=columns)


def columns_of(path) -> list[str]:
    """The headers of a CSV or Parquet file (its rows are not read): what ``offerodds sql
    --columns-from`` gives ``to_sql`` as the table's columns. Headers that only look like a
    column are said once, by ``to_sql``."""
    import warnings

    from offerodds.files.reading import open_table

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return list(open_table(path).headers)


def write_sql(text: str, path) -> Path:
    """Write the query to ``path`` in one atomic step (a reader never sees half of it)."""
    target = Path(path)
    with AtomicFile(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return target
