"""``offerodds sql``: the serving scorer as one SQL SELECT for DuckDB or Spark SQL."""

from __future__ import annotations

import sys

from offerodds.cli.common import EXIT_OK, say


def cmd_sql(args) -> int:
    from offerodds.usecases import choose_scorer, columns_of, to_sql, write_sql

    chosen = choose_scorer(args.ws, rules=args.rules)
    columns = columns_of(args.columns_from) if args.columns_from else None
    text = to_sql(args.dialect, args.table, chosen.scorer, columns=columns) + ";\n"
    if args.output and args.output != "-":  # "-": standard output, as elsewhere
        target = write_sql(text, args.output)
        say(f"{args.dialect} SQL of {chosen.scorer.title} ({chosen.reason}) written to {target}")
    else:
        sys.stdout.write(text)
        say(f"{args.dialect} SQL of {chosen.scorer.title} ({chosen.reason})")
    return EXIT_OK


def add_commands(sub, common) -> None:
    """Register ``offerodds sql`` on the ``offerodds`` parser."""
    p = sub.add_parser(
        "sql",
        parents=[common],
        help="print the serving scorer as one SQL SELECT (DuckDB, Spark SQL)",
        description="The scorer as one SELECT over a table with the template's column names: "
        "interview_id, offer_probability, offer_log_odds, baseline_log_odds, contrib_<signal>, "
        "signals_recorded, scorer, model_version and error per row, as `offerodds score` gives "
        "them. Reasons, the next step and a learned model's interval stay in `offerodds score`.",
    )
    p.add_argument("--dialect", choices=("duckdb", "spark"), default="duckdb", help="SQL dialect (default duckdb)")
    p.add_argument(
        "--table",
        default="interviews",
        help="the table the query reads (default interviews); any table expression, such as "
        "\"read_csv('interviews.csv', all_varchar=true)\" in DuckDB",
    )
    p.add_argument(
        "--columns-from",
        metavar="FILE",
        help="a CSV or Parquet file with the table's columns (its header is read, not its rows): "
        "headers are then matched as `offerodds score` matches them, one that looks like a column "
        "but is not read is warned about, and Spark SQL's query reads a table that lacks columns",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write the SQL to FILE (default: standard output)")
    p.add_argument("--rules", action="store_true", help="the rule card, whatever the workspace serves")
    p.set_defaults(func=cmd_sql)
