"""The scorer where the data lives: one SQL SELECT for DuckDB and Spark SQL (:func:`to_sql`),
and the SQL half of the Spark helper (``offerodds.spark.score``)."""

from offerodds.export.query import to_sql
from offerodds.export.sql import select_sql

__all__ = ["select_sql", "to_sql"]
