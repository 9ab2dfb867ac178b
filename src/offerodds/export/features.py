"""Every feature and extra term of a scorer as a SQL expression over the checked values
(``_oo_v_<column>``), from the same definitions the Python scorer encodes: one for one with
:func:`offerodds.signals.encoding.encode_signal` and :func:`offerodds.signals.terms.encode_terms`."""

from __future__ import annotations

import sys

from offerodds.export.dialects import DIALECTS, Dialect, literal, number
from offerodds.signals.catalogue import CONTEXT_SIGNALS, STAGES, by_name, catalogue
from offerodds.signals.encoding import base_features
from offerodds.signals.terms import parse_term

__all__ = ["factor_sql", "feature_factors", "feature_sql", "term_sql", "value_column"]


def _base_index() -> dict[str, tuple[str, int]]:
    """Every base feature name -> (its signal, its position among the signal's features)."""
    return {f: (s.name, k) for s in catalogue() for k, f in enumerate(base_features(s))}


def value_column(column: str) -> str:
    return f"_oo_v_{column}"


def _length(signal, d: Dialect) -> tuple[str, str]:
    """When a length signal is known, and its ratio (actual over scheduled minutes): as
    :func:`offerodds.signals.encoding.length_ratio`, known where both minutes are and the ratio is
    finite (minutes of 1e-310 are valid, and their ratio is infinite)."""
    scheduled, actual = (d.ident(value_column(c)) for c in signal.columns)
    ratio = f"({actual} / {scheduled})"
    return f"{scheduled} IS NOT NULL AND {actual} IS NOT NULL AND {ratio} <= {number(sys.float_info.max)}", ratio


def _base_sql(signal_name: str, k: int, d: Dialect) -> str:
    """The SQL of the k-th base feature of a signal, over the checked values (``v_<column>``):
    the expressions of :func:`offerodds.signals.encoding.encode_signal`, one for one."""
    signal = by_name()[signal_name]
    if signal.kind == "scale":  # (rating - 3) / 2, 0 where not recorded
        return f"COALESCE(({d.ident(value_column(signal.name))} - 3.0e0) / 2.0e0, 0.0e0)"
    if signal.kind == "yesno":  # one indicator per answer
        answer = ("1.0e0", "0.0e0")[k]
        return f"(CASE WHEN {d.ident(value_column(signal.name))} = {answer} THEN 1.0e0 ELSE 0.0e0 END)"
    if signal.kind == "minutes":  # recorded, how much it was cut short, how much it ran over
        known, ratio = _length(signal, d)
        part = (
            "1.0e0",
            f"least({ratio}, 1.0e0) - 1.0e0",
            f"least(greatest({ratio} - 1.0e0, 0.0e0), 1.0e0)",
        )[k]
        return f"(CASE WHEN {known} THEN {part} ELSE 0.0e0 END)"
    stage = STAGES[k]
    return f"(CASE WHEN {d.ident(value_column(signal.name))} = {literal(stage)} THEN 1.0e0 ELSE 0.0e0 END)"


def factor_sql(part: str, dialect: str | Dialect = "duckdb") -> str:
    """The SQL of one factor of a feature name: a base feature of a signal
    (:func:`~offerodds.signals.encoding.base_features`), or a context signal's name, which is 1
    where it was answered yes (:func:`~offerodds.signals.encoding.context_masks`)."""
    d = DIALECTS[dialect] if isinstance(dialect, str) else dialect
    index = _base_index()
    if part in index:
        return _base_sql(*index[part], d)
    if part in CONTEXT_SIGNALS:
        return f"(CASE WHEN {d.ident(value_column(part))} = 1.0e0 THEN 1.0e0 ELSE 0.0e0 END)"
    raise ValueError(
        f"the SQL export does not know the feature factor {part!r}; "
        "offerodds.export.sql must learn its definition before such a model can be exported"
    )


def feature_factors(name: str) -> list[str]:
    """The factors of a feature name, in the order the Python scorer multiplies them."""
    return name.split("*")


def feature_sql(name: str, dialect: str | Dialect = "duckdb", factors: dict[str, str] | None = None) -> str:
    """The SQL of one feature of :func:`~offerodds.signals.encoding.feature_layout`.

    A name is a product of factors joined by ``*`` (:func:`factor_sql`): each factor is a base
    feature of a signal, or a context signal's name, which is 1 where it was answered yes. The
    product is taken left to right, as the Python scorer multiplies.

    ``factors`` (factor -> SQL) names factors the query computed once in an inner layer (the
    export's ``features`` layer); a factor not in it is written out here.
    """
    d = DIALECTS[dialect] if isinstance(dialect, str) else dialect
    parts = []
    for part in feature_factors(name):
        try:
            parts.append(factors[part] if factors is not None and part in factors else factor_sql(part, d))
        except ValueError:
            raise ValueError(
                f"the SQL export does not know the feature {name!r} (its part {part!r}); "
                "offerodds.export.sql must learn its definition before such a model can be exported"
            ) from None
    out = parts[0]
    for factor in parts[1:]:
        out = f"({out} * {factor})"
    return out


def _signal_value_sql(signal_name: str, d: Dialect) -> str:
    """A signal's value as :func:`offerodds.signals.terms.signal_value` gives it: a scale as
    (rating - 3) / 2, a yes +1 and a no -1, the length ratio minus 1 clipped to [-1, 1]; 0 where
    it was left empty."""
    signal = by_name()[signal_name]
    v = d.ident(value_column(signal.name))
    if signal.kind == "scale":
        return f"COALESCE(({v} - 3.0e0) / 2.0e0, 0.0e0)"
    if signal.kind == "yesno":
        return f"(CASE WHEN {v} = 1.0e0 THEN 1.0e0 WHEN {v} = 0.0e0 THEN -1.0e0 ELSE 0.0e0 END)"
    known, ratio = _length(signal, d)
    return f"(CASE WHEN {known} THEN least(greatest({ratio} - 1.0e0, -1.0e0), 1.0e0) ELSE 0.0e0 END)"


def term_sql(name: str, dialect: str | Dialect = "duckdb") -> str:
    """The SQL of one extra term of a learned model (:mod:`offerodds.signals.terms`): the
    expressions of :func:`~offerodds.signals.terms.encode_terms`, one for one."""
    d = DIALECTS[dialect] if isinstance(dialect, str) else dialect
    term = parse_term(name)
    if term.kind == "blank":
        return f"(CASE WHEN {d.ident(value_column(term.owners[0]))} IS NOT NULL THEN 1.0e0 ELSE 0.0e0 END)"
    if term.kind == "shape":
        known, ratio = _length(by_name()["interview_length"], d)
        return f"(CASE WHEN {known} THEN least(greatest({ratio} - {number(term.knot)}, 0.0e0), 1.0e0) ELSE 0.0e0 END)"
    if term.kind == "stage":
        stage = f"(CASE WHEN {d.ident(value_column('stage'))} = {literal(term.stage)} THEN 1.0e0 ELSE 0.0e0 END)"
        return f"({_signal_value_sql(term.owners[0], d)} * {stage})"
    a, b = term.owners
    return f"({_signal_value_sql(a, d)} * {_signal_value_sql(b, d)})"
