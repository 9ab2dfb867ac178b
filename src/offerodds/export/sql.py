"""The scorer as one SQL SELECT, for DuckDB and Spark SQL (DESIGN.md, "export/").

The query reads a table whose columns carry the template's names (``offerodds template``),
typed as people's readers give them: all text (DuckDB's ``read_csv(all_varchar=true)``, Spark's
CSV reader without a schema) or what type inference picks (integers, doubles, booleans). For
each row it gives what ``offerodds score`` gives, to 1e-9: ``interview_id``,
``offer_probability``, ``offer_log_odds``, ``baseline_log_odds``, one ``contrib_<signal>`` per
signal, ``signals_recorded``, ``scorer``, ``model_version`` and ``error``; a row ``offerodds
score`` rejects gets no probability and its problems in ``error``, in the words of
:func:`offerodds.score`. Reasons and advice stay in Python, and so does a learned model's 90 %
interval (``offer_probability_low`` / ``_high``): it is a quadratic form over every feature,
some 6,000 products per row; written out as SQL it made DuckDB spend 30 s planning the query,
and as list functions it ran at a fifth of the speed of ``offerodds score`` (docs/scale.md).

It is built in layers, each one a sub-select naming what the next one reads, so that no
expression is written twice (Spark parses and plans the text, and fuses the layers into one
generated method: short text and short code are what it runs fast):

1. ``cells``: each signal input column as text with its spaces trimmed, and as written;
2. ``parsed``: each cell read as :mod:`offerodds.signals.validation` reads it (NULL where blank
   or not readable): the words and ratings people write most compared as written, any other
   word lower-cased, stripped of every kind of white space and looked up (in Spark a literal
   map, in DuckDB a simple CASE), numbers matched against the pattern validation uses;
3. ``checked``: each column's value in its range (NULL otherwise) and its problem, in the words
   of the rejects file;
4. ``factors``: every factor the scorer's features multiply (each base feature of a signal and
   each context answer) from the same definitions the Python scorer encodes, once
   (:func:`~offerodds.export.features.factor_sql`), a learned model's extra terms
   (:func:`~offerodds.export.features.term_sql`), the row's problems in the order of its
   columns, and the signals recorded. A feature's name says what it is (``engagement``,
   ``hurried=yes``, ``interview_length:short``, ``stage=final``, and products such as
   ``engagement*structured_format``); a name the export does not know is an error, never a
   silent zero;
5. the contributions (each feature, :func:`feature_sql` over the factors, times its weight,
   summed in the order the Python scorer sums them), the baseline, the log-odds and the
   probability.

Spark's query differs in how it is cut, not in what it computes (docs/scale.md, "The scorer as
SQL"). Spark fuses the layers into one generated Java method, and the JVM interprets a method
of more than 8,000 bytes of bytecode instead of compiling it: so written, the query cost as
much CPU as the Python UDF. So in Spark:

- layers 2 and 3 are :mod:`offerodds.export.spark_cells`: a fast reading of the cells people
  write most, and the full reading above only for the rows that need it;
- each large expression (a fast reading, a contribution with its factors and terms written
  into it, the signals recorded) is written twice in its layer, so that Spark's common
  subexpression elimination gives it a method of its own (:meth:`Dialect.own_method`); what
  is left in the stage's method stays under 8,000 bytes;
- the contributions, the baseline and the signals recorded are NULL for a rejected row
  already.
"""

from __future__ import annotations

import numpy as np

from offerodds.errors import InputError
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.catalogue import (
    MINUTES_MAX,
    NO_WORDS,
    SCALE_MAX,
    SCALE_MIN,
    STAGES,
    YES_WORDS,
    catalogue,
    column_kinds,
    contribution_signals,
    input_columns,
)
from offerodds.export.dialects import DIALECTS, NUMBER, Dialect, literal, number
from offerodds.export.spark_cells import checked_layer, echo, inline_values, value_sql
from offerodds.export.features import factor_sql, feature_factors, feature_sql, term_sql
from offerodds.signals.encoding import feature_layout
from offerodds.signals.terms import parse_term
from offerodds.signals.validation import REASONS

__all__ = ["DIALECTS", "SQL_COLUMNS", "Dialect", "feature_sql", "select_sql", "term_sql"]

#: The result columns of the query, in order.
def SQL_COLUMNS() -> list[str]:  # noqa: N802 - a constant-like list
    return [
        "interview_id",
        "offer_probability",
        "offer_log_odds",
        "baseline_log_odds",
        *(f"contrib_{s}" for s in contribution_signals()),
        "signals_recorded",
        "scorer",
        "model_version",
        "error",
    ]


# ---------------------------------------------------------------- validation in SQL


def _message(header: str, reason: str, raw: str) -> str:
    """``<column>: <reason> (got '<value>')``, as :func:`~offerodds.signals.problems.reasons_by_row`."""
    return f"({literal(f'{header}: {reason} (got ')} || chr(39) || {raw} || chr(39) || ')')"


def _echo(raw_column: str, d: Dialect) -> str:
    """The cell as :func:`~offerodds.signals.validation.cell_text` shows it (:func:`echo`)."""
    return echo(f"CAST({raw_column} AS {d.text_type})", f"lower(typeof({raw_column}))")


def _checks(column: str, header: str, raw: str, d: Dialect) -> tuple[str, str, str]:
    """For one input column: its parsed value (NULL where blank or not readable) from ``x``,
    then, one layer up, its checked value and its problem (NULL when there is none) from the
    parsed value ``p`` and the cell as written (``raw``).

    ``x`` is the cell with its spaces trimmed (cheap); a cell that does not read so is tried
    again stripped of every kind of white space, as Python's ``str.strip`` does (tabs, line
    breaks), and only such cells pay for that. A cell that strips to nothing is blank.
    """
    kind = column_kinds()[column]
    x = d.ident(f"_oo_x_{column}")
    p = d.ident(f"_oo_p_{column}")
    full = d.strip(x)
    shown = _echo(raw, d)
    written = f"trim(CAST({raw} AS {d.text_type}))"
    bad = f"{p} IS NULL AND {raw} IS NOT NULL AND {d.strip(written)} <> ''"  # written, not blank, not read
    if kind in ("scale", "minutes"):
        # a number, read where the trimmed text is one, else where the text stripped of every
        # kind of white space is one: blank and unreadable cells give NULL. The ratings people
        # write ("1" to "5") are looked up first, without a pattern or a cast.
        number = (
            f"(CASE WHEN {d.matches(x, NUMBER)} THEN try_cast({x} AS DOUBLE)"
            f" WHEN {d.matches(full, NUMBER)} THEN try_cast({full} AS DOUBLE) END)"
        )
        if kind == "scale":
            common = " ".join(f"WHEN {literal(str(k))} THEN {k:.1f}e0" for k in (3, 4, 2, 1, 5))
            parse = f"(CASE {x} {common} ELSE {number} END)"
            ok = f"{p} >= {SCALE_MIN:.1f}e0 AND {p} <= {SCALE_MAX:.1f}e0"
        else:
            parse = number
            ok = f"{p} > 0.0e0 AND {p} <= {MINUTES_MAX:.1f}e0"
        value = f"(CASE WHEN {ok} THEN {p} END)"
        problem = (
            f"(CASE WHEN {p} IS NOT NULL AND NOT ({ok}) THEN {_message(header, REASONS[kind], shown)}"
            f" WHEN {bad} THEN {_message(header, REASONS['number'], shown)} END)"
        )
        return parse, value, problem
    # yes/no and stage: the words people write most, as written, first (a simple CASE: DuckDB
    # would make an IN list a join); any other text lower-cased and stripped of every kind of
    # white space, as Python's str.strip().lower(), and looked up
    if kind == "yesno":
        pairs = [(w, "1.0e0") for w in sorted(YES_WORDS)] + [(w, "0.0e0") for w in sorted(NO_WORDS)]
        common = " ".join(f"WHEN {literal(w)} THEN {v}" for w, v in (("no", "0.0e0"), ("yes", "1.0e0")))
    else:
        pairs = [(s, literal(s)) for s in STAGES]
        common = " ".join(f"WHEN {literal(s)} THEN {literal(s)}" for s in STAGES)
    parse = f"(CASE {x} {common} ELSE {d.lookup(f'lower({full})', pairs)} END)"
    return parse, p, f"(CASE WHEN {bad} THEN {_message(header, REASONS[kind], shown)} END)"


# ---------------------------------------------------------------- the query


def _sum(terms: list[str]) -> str:
    """The terms added left to right, as the Python scorer adds them (``+`` is left
    associative in both dialects; written without a parenthesis per term, which Spark's
    parser reads several times faster in a fresh session)."""
    return f"({' + '.join(terms)})" if terms else "0.0e0"


def _numpy_row_sum(terms: list[str]) -> str:
    """The sum of ``terms`` in the order numpy sums a row of a C-contiguous array (its pairwise
    sum: eight running sums, combined in pairs, then the rest one by one), so the log-odds are
    the same bits as ``contributions.sum(axis=1)``."""
    n = len(terms)
    if n < 8:
        return _sum(terms) if n else "0.0e0"
    r = list(terms[:8])
    i = 8
    while i + 8 <= n:
        r = [f"({r[j]} + {terms[i + j]})" for j in range(8)]
        i += 8
    out = f"((({r[0]} + {r[1]}) + ({r[2]} + {r[3]})) + (({r[4]} + {r[5]}) + ({r[6]} + {r[7]})))"
    for t in terms[i:]:
        out = f"({out} + {t})"
    return out


def _expit(x: str) -> str:
    return f"(CASE WHEN {x} >= 0.0e0 THEN 1.0e0 / (1.0e0 + exp(-{x})) ELSE exp({x}) / (1.0e0 + exp({x})) END)"


def select_sql(
    scorer: LinearScorer,
    dialect: str = "duckdb",
    source: str = "interviews",
    *,
    columns: list[str] | None = None,
    colmap: dict[str, str] | None = None,
    passthrough: list[str] | None = None,
) -> str:
    """The SELECT that scores ``source`` with ``scorer``.

    Parameters
    ----------
    scorer : LinearScorer
        The rule card or a learned model.
    dialect : {"duckdb", "spark"}
    source : str
        What follows ``FROM``: a table or view name, or a table expression such as DuckDB's
        ``read_csv('interviews.csv', all_varchar=true)``; inserted as written.
    columns : list of str, optional
        The columns ``source`` has, in order. Signal columns it lacks are read as not recorded
        and each row's problems are listed in this order, as ``offerodds score`` lists them.
        Without it, DuckDB's query fills absent template columns itself (``UNION ALL BY
        NAME``) and lists problems in the template's order; Spark SQL has no such union, so
        its query then needs every signal column and ``interview_id``.
    colmap : dict, optional
        Canonical column name -> the source's header for it (default: the canonical names).
    passthrough : list of str, optional
        Source columns to give first, unchanged (the Spark helper's input columns); the
        result columns follow, and ``interview_id`` is not repeated when it is one of them.
    """
    try:
        d = DIALECTS[dialect]
    except KeyError:
        raise InputError(f"dialect must be one of {', '.join(DIALECTS)}, got {dialect!r}") from None
    own = [c for c in passthrough or [] if str(c).lower().startswith("_oo_")]
    if own:  # the query's own columns are named so (a carried column would make them ambiguous)
        raise InputError(f"column {own[0]!r} cannot be kept beside the results: offerodds's SQL names its "
                         "own columns _oo_...; rename it before scoring")
    names, owners = feature_layout()
    if list(names) != list(scorer.feature_names):
        raise ValueError("the scorer's features are not the catalogue's layout; it cannot be exported")
    coef = np.asarray(scorer.coef, dtype=float)

    def i(name: str) -> str:  # an internal column
        return d.ident(f"_oo_{name}")

    wanted = ["interview_id", *input_columns()]
    colmap = dict(colmap) if colmap is not None else {c: c for c in wanted}
    if columns is not None:
        colmap = {c: h for c, h in colmap.items() if h in set(columns)}
        order = {h: k for k, h in enumerate(columns)}
    else:
        order = {h: k for k, h in enumerate(colmap[c] for c in wanted if c in colmap)}
    src = source
    if columns is None and d.name == "duckdb":  # absent template columns become NULL
        nulls = ", ".join(f"NULL AS {d.ident(colmap[c])}" for c in wanted if c in colmap)
        src = f"(SELECT * FROM (FROM {source}) UNION ALL BY NAME (SELECT {nulls} WHERE false))"

    def col(canon: str) -> str:
        header = colmap.get(canon)
        return "NULL" if header is None else f"src.{d.ident(header)}"

    keep = [d.ident(c) for c in (passthrough or [])]
    id_kept = passthrough is not None and colmap.get("interview_id") in passthrough
    carried = keep + ([] if id_kept else [d.ident("interview_id")])
    carry = "".join(f"{c}, " for c in carried)

    # the cell as written: the source column when it is carried, else a column of its own
    raw_of = {}
    for c in input_columns():
        header = colmap.get(c)
        if header is None:
            raw_of[c] = "NULL"
        elif header in (passthrough or []):
            raw_of[c] = d.ident(header)
        else:
            raw_of[c] = i(f"r_{c}")
    own_raw = [c for c in input_columns() if raw_of[c] == i(f"r_{c}")]
    raws = "".join(f"{i(f'r_{c}')}, " for c in own_raw)
    checks = {} if d.name == "spark" else {c: _checks(c, colmap.get(c, c), raw_of[c], d) for c in input_columns()}
    # each layer names what the next one reads, so no expression is written or computed twice

    # 1. cells: the text with its spaces trimmed
    cells = [f"src.{k}" for k in keep]
    if not id_kept:
        cells.append(f"{col('interview_id')} AS {d.ident('interview_id')}")
    cells += [f"{col(c)} AS {i(f'r_{c}')}" for c in own_raw]
    # (Spark's fast path compares the text as written: a cell with spaces takes the full path)
    text = "CAST({} AS {})" if d.name == "spark" else "trim(CAST({} AS {}))"
    cells += [f"{text.format(col(c), d.text_type)} AS {i(f'x_{c}')}" for c in input_columns()]
    layer1 = f"SELECT {', '.join(cells)} FROM {src} AS src"

    by_position = sorted(
        input_columns(),
        key=lambda c: (order.get(colmap.get(c, c), len(order)), input_columns().index(c)),
    )
    if d.name == "spark":  # 2-3. a fast path for what people write, the full reading for odd rows
        headers = {c: colmap.get(c, c) for c in input_columns()}
        layer3 = checked_layer(layer1, carry, raws, raw_of, by_position, headers, d)
        error = i("error")
    else:
        # 2. each cell parsed
        parsed = [f"{checks[c][0]} AS {i(f'p_{c}')}" for c in input_columns()]
        layer2 = f"SELECT {carry}{raws}{', '.join(parsed)} FROM ({layer1}) AS cells"

        # 3. checked values, and each column's problem (NULL when it has none)
        values = [f"{checks[c][1]} AS {i(f'v_{c}')}" for c in input_columns()]
        problems = [f"{checks[c][2]} AS {i(f'e_{c}')}" for c in input_columns()]
        layer3 = f"SELECT {carry}{', '.join(values)}, {', '.join(problems)} FROM ({layer2}) AS parsed"
        # the row's problems in the order of its columns ("" for a valid row, without joining
        # thirty NULLs)
        found = ", ".join(i(f"e_{c}") for c in by_position)
        error = f"(CASE WHEN coalesce({found}) IS NULL THEN '' ELSE concat_ws('; ', {found}) END)"

    # 4. every factor the features multiply (each base feature of a signal and each context
    # answer, from its definition, once), the extra terms of a learned model, the row's
    # problems and the signals recorded
    # (Spark writes the factors and terms into each contribution instead, which has a method
    # of its own: a column per factor would cost a call and a copy each in the stage's method)
    inline = d.name == "spark"

    def gated(expr: str, skip: tuple[str, ...] = ()) -> str:
        """In Spark: NULL for a rejected row, over the fast and full readings (but ``skip``)."""
        if not inline:
            return expr
        return inline_values(f"(CASE WHEN {i('error')} = '' THEN {expr} END)", by_position, d, skip)

    parts = [] if inline else list(dict.fromkeys(part for name in names for part in feature_factors(name)))
    factor_column = {part: i(f"f{k}") for k, part in enumerate(parts)}
    term_names = list(getattr(scorer, "terms", ()) or ())
    term_of = {k: term_sql(name, d) if inline else i(f"t{k}") for k, name in enumerate(term_names)}
    # (Spark: the lengths' values, which the length's features and terms read many times, as
    # columns; every other value written out where it is read)
    minutes = tuple(c for c in input_columns() if column_kinds()[c] == "minutes") if inline else ()
    columns4 = [i(f"f_{c}") for c in input_columns()] + [i("vs")] if inline else []
    columns4 += [f"{d.own_method(value_sql(c, by_position, d))} AS {i(f'v_{c}')}" for c in minutes]
    columns4 += [f"{factor_sql(part, d)} AS {factor_column[part]}" for part in parts]
    columns4 += [] if inline else [f"{term_sql(name, d)} AS {term_of[k]}" for k, name in enumerate(term_names)]
    recorded = []
    for s in catalogue():
        known = " AND ".join(f"{i(f'v_{c}')} IS NOT NULL" for c in s.columns)
        recorded.append(f"(CASE WHEN {known} THEN 1 ELSE 0 END)")
    recorded_sql = d.own_method(gated("(" + " + ".join(recorded) + ")"))
    columns4 += [f"{error} AS {i('error')}", f"{recorded_sql} AS {i('recorded')}"]
    layer4 = f"SELECT {carry}{', '.join(columns4)} FROM ({layer3}) AS checked"

    # 5. contributions: each feature (the product of its factors) times its weight, summed in
    # the Python scorer's order, then the extra terms (a pair's half to each of its two
    # signals); the baseline
    def term(k: int) -> str:
        return f"({feature_sql(names[k], d, factor_column)} * {number(coef[k])})"

    contributing = contribution_signals()
    extra: dict[str, list[str]] = {s: [] for s in contributing}
    term_coef = np.asarray(getattr(scorer, "term_coef", np.zeros(0)), dtype=float)
    for k, name in enumerate(term_names):
        owners_of = parse_term(name).owners
        column = term_of[k]
        if len(owners_of) == 1:
            extra[owners_of[0]].append(f"({column} * {number(term_coef[k])})")
        else:
            for owner in owners_of:
                extra[owner].append(f"({column} * {number(0.5 * term_coef[k])})")
    contrib = []
    for s in contributing:
        owned = [k for k, o in enumerate(owners) if o == s]
        contrib.append(gated(_sum([term(k) for k in owned] + extra[s]), minutes))
    base_terms = [term(k) for k, o in enumerate(owners) if o not in contributing]
    intercept = number(scorer.intercept)
    baseline = gated(f"({intercept} + {_sum(base_terms)})" if base_terms else intercept, minutes)
    # (Spark: each contribution and the baseline in a method of its own; not beside the
    # log-odds that sum them, where Spark's parser, nesting each inside the sum, took seconds
    # in a fresh session)
    named = ", ".join(f"{d.own_method(e)} AS {i(f'c_{s}')}" for e, s in zip(contrib, contributing))
    layer5 = (
        f"SELECT {carry}{named}, {d.own_method(baseline)} AS {i('baseline')}, {i('error')}, {i('recorded')} "
        f"FROM ({layer4}) AS factors"
    )
    log_odds = f"({i('baseline')} + {_numpy_row_sum([i(f'c_{s}') for s in contributing])})"
    layer6 = f"SELECT *, {log_odds} AS {i('lo')}, {i('error')} = '' AS {i('ok')} FROM ({layer5}) AS weighed"

    valid = i("ok")

    def when_valid(expr: str, name: str, nulled: bool = False) -> str:
        """``expr`` for a valid row, NULL for a rejected one (``nulled``: it is NULL there
        already, as Spark's gated sums are)."""
        if nulled:
            return f"{expr} AS {d.ident(name)}"
        return f"(CASE WHEN {valid} THEN {expr} END) AS {d.ident(name)}"

    lo = i("lo")
    out = list(carried)
    out.append(when_valid(_expit(lo), "offer_probability", inline))
    out.append(when_valid(lo, "offer_log_odds", inline))
    out.append(when_valid(i("baseline"), "baseline_log_odds", inline))
    out += [when_valid(i(f"c_{s}"), f"contrib_{s}", inline) for s in contributing]
    out.append(when_valid(i("recorded"), "signals_recorded", inline))
    out.append(when_valid(literal(scorer.kind), "scorer"))
    out.append(when_valid(literal(scorer.version), "model_version"))
    out.append(f"{i('error')} AS {d.ident('error')}")
    title = scorer.title.replace("\n", " ")
    header = f"-- offerodds, {title}: the probability of an offer for each interview ({d.name} SQL)\n"
    return f"{header}SELECT {', '.join(out)}\nFROM ({layer6}) AS scored"
