"""``offerodds sql``: the serving scorer as one SQL SELECT for DuckDB or Spark SQL."""

from __future__ import annotations

import sys
from pathlib import Path

from offerodds.cli.common import EXIT_OK, CliError, say
from offerodds.cli.output import STDOUT


def cmd_sql(args) -> int:
    from offerodds.export.query import to_sql
    from offerodds.io.files import AtomicFile

    if args.rules:
        from offerodds.scoring.rulecard import rules

        scorer, why = rules(), "--rules asked for the rule card"
    else:
        from offerodds.io.serving import serving

        chosen = serving(args.ws)
        scorer, why = chosen.scorer, chosen.reason
    try:
        text = to_sql(args.dialect, args.table, scorer) + ";\n"
    except ValueError as error:
        raise CliError(str(error)) from error
    if args.output and args.output != STDOUT:
        target = Path(args.output)
        with AtomicFile(target) as tmp:
            tmp.write_text(text, encoding="utf-8")
        say(f"{args.dialect} SQL of {scorer.title} ({why}) written to {target}")
    else:
        sys.stdout.write(text)
        say(f"{args.dialect} SQL of {scorer.title} ({why})")
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
    p.add_argument("-o", "--output", metavar="FILE", help="write the SQL to FILE (default: standard output)")
    p.add_argument("--rules", action="store_true", help="the rule card, whatever the workspace serves")
    p.set_defaults(func=cmd_sql)
