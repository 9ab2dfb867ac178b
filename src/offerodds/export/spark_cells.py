"""Spark SQL's reading and checking of the cells: a fast path for what people write, and the
full reading only for the rows that need it (DESIGN.md, "export/"; docs/scale.md, "The scorer
as SQL").

Spark fuses a query's layers into one generated Java method per stage, and the JVM does not
compile a method of more than 8,000 bytes of bytecode: it interprets it, several times slower.
Reading every cell as :mod:`offerodds.signals.validation` reads it (white space of every kind,
number patterns, the words people write, an error text per column) written out for thirty
columns made that method several times too large, and Spark SQL no faster than the Python UDF.

So the cells are read in two steps:

- **fast**: each cell compared with what the template asks for and people write most (``1``
  to ``5``, ``yes``/``no``, ``1``/``0``, ``true``/``false``, whole minutes, the stages), as
  written. A cell that matches is read; a blank one is not recorded; any other cell makes its
  row *odd*.
- **full**, only for odd rows: the row's cells gathered in one array and read by one lambda
  (so its code is written once, not once per column) exactly as the DuckDB query reads them
  (:func:`offerodds.export.sql._checks`): every kind of white space, the number pattern,
  lower-cased words looked up; then one more lambda gives each cell's problem in the words of
  the rejects file, in the order of the row's columns.

Rows that are not odd never run the full reading. Its code, and each fast reading, is in a
method of its own (:meth:`~offerodds.export.dialects.Dialect.own_method`), so the stage's
method stays small enough for the JVM to compile.
"""

from __future__ import annotations

from offerodds.export.dialects import NUMBER, Dialect, literal
from offerodds.signals.catalogue import MINUTES_MAX, NO_WORDS, SCALE_MAX, SCALE_MIN, STAGES, YES_WORDS, column_kinds
from offerodds.signals.validation import REASONS

__all__ = ["checked_layer", "echo", "fast_sql", "inline_values", "value_sql"]

# what people write most, read as written: (text, value) per kind
_COMMON = {
    "scale": [(str(k), f"{k:.1f}e0") for k in (3, 4, 2, 1, 5)],
    "yesno": [("no", "0.0e0"), ("yes", "1.0e0"), ("0", "0.0e0"), ("1", "1.0e0"), ("false", "0.0e0"), ("true", "1.0e0")],
    "stage": [(s, literal(s)) for s in STAGES],
}


def fast_sql(column: str, x: str, d: Dialect) -> str:
    """The cell ``x`` (its text, as written) read where it is written as people write it most;
    NULL for anything else (blank, or a cell only the full reading can read or reject)."""
    kind = column_kinds()[column]
    if kind == "minutes":  # whole minutes in range, written plainly (no sign, no leading zero)
        whole = f"try_cast({x} AS INT)"
        plain = f"{whole} > 0 AND {whole} <= {int(MINUTES_MAX)} AND CAST({whole} AS {d.text_type}) = {x}"
        # times 1 where it is, NULL where not: a product, not a CASE, so that Spark does not
        # rewrite the odd test's isnull() of it into the CASE's branches (it stays one
        # expression, computed once)
        return f"(CAST({whole} AS DOUBLE) * (CASE WHEN {plain} THEN 1.0e0 END))"
    return d.lookup(x, _COMMON[kind])


def echo(text: str, kind: str) -> str:
    """A cell as :func:`~offerodds.signals.validation.cell_text` shows it, from its ``text``
    and its column's type (``kind``, lower case, written once): ``4`` for a double 4.0,
    ``True`` for a boolean, otherwise the text as written."""
    number = f"regexp_replace({text}, '[.]0$', '')"
    return (
        f"(CASE {kind} WHEN 'double' THEN {number} WHEN 'float' THEN {number} WHEN 'real' THEN {number}"
        f" WHEN 'boolean' THEN upper(substr({text}, 1, 1)) || substr({text}, 2) ELSE {text} END)"
    )


def _pick(items: list[str], k: str) -> str:
    """The k-th (0-based) of literal ``items``."""
    return f"element_at(array({', '.join(items)}), {k} + 1)"


def _full_value(t: str, kind: str, d: Dialect) -> str:
    """A cell's text ``t`` read as validation reads it, before the range checks: a number, 1 or
    0 for a yes/no, a stage's position (1 to 4); NULL where blank or not readable."""
    x = f"trim({t})"
    full = d.strip(x)
    number = (
        f"(CASE WHEN {d.matches(x, NUMBER)} THEN try_cast({x} AS DOUBLE)"
        f" WHEN {d.matches(full, NUMBER)} THEN try_cast({full} AS DOUBLE) END)"
    )
    words = [(w, "1.0e0") for w in sorted(YES_WORDS)] + [(w, "0.0e0") for w in sorted(NO_WORDS)]
    stages = [(s, f"{k + 1:.1f}e0") for k, s in enumerate(STAGES)]
    return (
        f"(CASE {kind} WHEN 'yesno' THEN {d.lookup(f'lower({full})', words)}"
        f" WHEN 'stage' THEN {d.lookup(f'lower({full})', stages)} ELSE {number} END)"
    )


def _full_problem(v: str, t: str, kind: str, header: str, shown: str, d: Dialect) -> str:
    """The problem of a cell (NULL when it has none) from its value ``v`` read by
    :func:`_full_value`, its text ``t`` and how the rejects file shows it (``shown``), in the
    words of the rejects file."""
    blank = f"{d.strip(f'trim({t})')} = ''"
    unread = f"{v} IS NULL AND {t} IS NOT NULL AND NOT ({blank})"

    scale = f"{v} >= {SCALE_MIN:.1f}e0 AND {v} <= {SCALE_MAX:.1f}e0"
    minutes = f"{v} > 0.0e0 AND {v} <= {MINUTES_MAX:.1f}e0"
    reason = (
        f"(CASE WHEN {kind} = 'scale' AND {v} IS NOT NULL AND NOT ({scale}) THEN {literal(REASONS['scale'])}"
        f" WHEN {kind} = 'minutes' AND {v} IS NOT NULL AND NOT ({minutes}) THEN {literal(REASONS['minutes'])}"
        f" WHEN NOT ({unread}) THEN NULL"
        f" WHEN {kind} = 'yesno' THEN {literal(REASONS['yesno'])}"
        f" WHEN {kind} = 'stage' THEN {literal(REASONS['stage'])}"
        f" ELSE {literal(REASONS['number'])} END)"
    )
    return f"concat({header}, ': ', {reason}, ' (got ', chr(39), {shown}, chr(39), ')')"


def _in_range(v: str, kind: str) -> str:
    """``v`` where a cell of ``kind`` may hold it (a scale 1 to 5, minutes above 0 and at most
    a day; any yes/no or stage that was read), NULL otherwise."""
    scale = f"{v} >= {SCALE_MIN:.1f}e0 AND {v} <= {SCALE_MAX:.1f}e0"
    minutes = f"{v} > 0.0e0 AND {v} <= {MINUTES_MAX:.1f}e0"
    return f"(CASE WHEN {kind} = 'scale' THEN (CASE WHEN {scale} THEN {v} END) WHEN {kind} = 'minutes' THEN (CASE WHEN {minutes} THEN {v} END) ELSE {v} END)"


def checked_layer(cells: str, carry: str, raws: str, raw_of: dict[str, str],
                  order: list[str], headers: dict[str, str], d: Dialect) -> str:
    """The layers from ``cells`` (the query's first layer: the carried columns ``carry``, the
    own raw columns ``raws`` and each cell as text, ``_oo_x_<column>``) to the readings: each
    column's fast reading ``_oo_f_<column>`` (NULL where blank or not fast-readable), the
    array ``_oo_vs`` of an odd row's checked values in ``order`` (NULL for a row that is not
    odd), and the row's problems ``_oo_error`` ('' when it has none). :func:`value_sql` gives
    a column's checked value from them. ``order``: the signal input columns in the order of
    the row's columns; ``raw_of``: each one's cell as written; ``headers``: how problems name
    them.

    Every large expression gets a method of its own (:meth:`Dialect.own_method`)."""

    def i(name: str) -> str:
        return d.ident(f"_oo_{name}")

    own = d.own_method
    fs = "".join(f"{i(f'f_{c}')}, " for c in order)
    fast = {c: fast_sql(c, i(f"x_{c}"), d) for c in order}
    # a row is odd when a cell is neither blank nor read by the fast path (NULL OR false is
    # NULL, which CASE takes as false: a NULL cell is blank). Each fast reading is written
    # twice in its layer (its value, the odd test), so Spark gives each a function of its own.
    odd = " OR ".join(f"(isnull({fast[c]}) AND {i(f'x_{c}')} <> '')" for c in order)
    fast_columns = "".join(f"{fast[c]} AS {i(f'f_{c}')}, " for c in order)
    written = ", ".join(f"CAST({raw_of[c]} AS {d.text_type})" for c in order)
    # each column's type, for the rejects file's echo (a constant once Spark has analysed it)
    types = f"array({', '.join(f'lower(typeof({raw_of[c]}))' for c in order)})"
    kinds = [literal(column_kinds()[c]) for c in order]
    names = [literal(headers[c]) for c in order]
    kind, w, s, v = _pick(kinds, "_oo_k"), i("w"), i("s"), i("vs")
    read = f"transform({w}, (_oo_t, _oo_k) -> {_full_value('_oo_t', kind, d)})"
    checked = f"transform({s}, (_oo_v, _oo_k) -> {_in_range('_oo_v', kind)})"
    cell = f"element_at({w}, _oo_k + 1)"
    problem = _full_problem("_oo_v", cell, kind, _pick(names, "_oo_k"), echo(cell, f"element_at({i('types')}, _oo_k + 1)"), d)
    problems = f"(CASE WHEN {s} IS NULL THEN '' ELSE array_join(transform({s}, (_oo_v, _oo_k) -> {problem}), '; ') END)"
    gather = f"(CASE WHEN {i('odd')} THEN array({written}) END)"
    t = i("types")
    fast_layer = f"SELECT {carry}{raws}{fast_columns}{own(f'({odd})')} AS {i('odd')}, {types} AS {t} FROM ({cells}) AS cells"
    gathered = f"SELECT {carry}{fs}{t}, {own(gather)} AS {w} FROM ({fast_layer}) AS fast"
    read_layer = f"SELECT {carry}{fs}{t}, {w}, {own(read)} AS {s} FROM ({gathered}) AS gathered"
    return f"SELECT {carry}{fs}{own(checked)} AS {v}, {own(problems)} AS {i('error')} FROM ({read_layer}) AS read"


def value_sql(column: str, order: list[str], d: Dialect) -> str:
    """The checked value of a signal input column over the columns of :func:`checked_layer`:
    the fast reading, or for an odd row the full one (a fast reading is a valid value, so the
    full reading would give the same)."""
    at = f"element_at({d.ident('_oo_vs')}, {order.index(column) + 1})"
    if column_kinds()[column] == "stage":  # its position (1 to 4) as the stage's name; not
        # element_at(array, position): Spark's generated code gives the last element for a
        # NULL position
        at = f"(CASE {at} " + " ".join(f"WHEN {k + 1:.1f}e0 THEN {literal(s)}" for k, s in enumerate(STAGES)) + " END)"
    return f"coalesce({d.ident(f'_oo_f_{column}')}, {at})"


def inline_values(sql: str, order: list[str], d: Dialect, skip: tuple[str, ...] = ()) -> str:
    """``sql`` with each checked value ``_oo_v_<column>`` (but those of ``skip``) written out
    (:func:`value_sql`)."""
    out = sql
    for c in order:
        if c not in skip:
            out = out.replace(d.ident(f"_oo_v_{c}"), value_sql(c, order, d))
    return out
