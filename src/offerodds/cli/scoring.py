"""``offerodds score``, ``validate``, ``explain``, ``signals`` and ``template``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from offerodds.api import explain, score
from offerodds.cli.advice import as_of_option
from offerodds.cli.common import EXIT_OK, EXIT_PROBLEMS, CliError, say
from offerodds.io.batch import CHUNK_ROWS, iter_scored, replaced_columns
from offerodds.io.files import AtomicFile, check_distinct
from offerodds.io.reading import open_table
from offerodds.io.serving import ChampionUnavailable, serving
from offerodds.io.writing import TableWriter
from offerodds.scoring.results import result_columns
from offerodds.scoring.rulecard import rules
from offerodds.signals.catalogue import META_COLUMNS, META_TEXT, VALUE_TEXT, catalogue, template_columns
from offerodds.signals.validation import PROBLEM_COLUMNS, validate


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}.scored.csv")


def default_rejects(out: Path) -> Path:
    return out.with_name(f"{out.stem}.rejects.csv")


class Progress:
    """Rows done and rows per second on stderr, only when it is a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.perf_counter()
        self.rows = 0

    def update(self, rows: int) -> None:
        self.rows += rows
        if self.enabled:
            rate = self.rows / max(time.perf_counter() - self.start, 1e-9)
            print(f"\rscored {self.rows:,} rows, {rate:,.0f} rows/s", end="", file=sys.stderr)

    def close(self) -> None:
        if self.enabled:
            print(file=sys.stderr)


def cmd_score(args) -> int:
    source = Path(args.input)
    out = Path(args.output) if args.output else default_output(source)
    rejects_path = Path(args.rejects) if args.rejects else default_rejects(out)
    check_distinct({"the input": source, "the output": out, "the rejects file": rejects_path})
    table = open_table(source, encoding=args.encoding)
    if args.rules:
        scorer, why = rules(), "--rules asked for the rule card"
    else:
        try:
            chosen = serving(args.ws, fallback=not args.no_fallback)
        except ChampionUnavailable as error:
            raise CliError(f"{error} (--no-fallback: not falling back to the rule card)") from error
        scorer, why = chosen.scorer, chosen.reason
        if args.ws.champion_pointer.exists() and scorer.kind == "rules":
            say(f"warning: falling back to the rule card: {why}")
    replaced = replaced_columns(table)
    kept = [h for h in table.headers if h not in replaced]
    progress = Progress(not args.quiet)
    n_read = n_scored = n_problems = n_rejected = 0
    notices = []
    with TableWriter(out, [*kept, *result_columns()]) as writer, TableWriter(
        rejects_path, list(PROBLEM_COLUMNS), formula_safe=True
    ) as rejects:
        # CHUNK_ROWS rows at a time keeps memory flat; the output does not depend on it
        chunks = iter_scored(table, scorer, chunk_rows=args.chunk_rows or CHUNK_ROWS, as_of=args.as_of)
        for chunk in chunks:
            valid = chunk.checked.valid
            writer.write(chunk.frame[valid] if not valid.all() else chunk.frame)
            if len(chunk.checked.problems) or chunk.notices:
                rejects.write(chunk.problem_lines)
            notices += chunk.notices
            n_read += len(valid)
            n_scored += int(valid.sum())
            n_rejected += int((~valid).sum())
            n_problems += len(chunk.checked.problems)
            progress.update(len(valid))
            del chunk, valid  # memory stays at one chunk in hand while the next is scored
    progress.close()
    if not args.quiet:
        say(
            f"read {n_read:,} rows: scored {n_scored:,}, rejected {n_rejected:,} "
            f"({n_problems:,} problems in {rejects_path}); scorer {scorer.kind} {scorer.version} "
            f"({why}); wrote {out}"
        )
    for notice in notices[:3]:
        say(f"warning: {notice.message(str(source))} (listed in {rejects_path})")
    if len(notices) > 3:
        say(f"warning: {len(notices) - 3} more quoted cells like these, listed in {rejects_path}")
    return EXIT_PROBLEMS if args.strict and n_rejected else EXIT_OK


def cmd_validate(args) -> int:
    table = open_table(Path(args.input), encoding=args.encoding)
    first_row, n_rows, n_bad = 1, 0, 0
    for raw in table.chunks(args.chunk_rows or CHUNK_ROWS):
        checked = validate(raw, table.colmap, first_row)
        for p in checked.problems.itertuples(index=False):
            who = f" (interview {p.interview_id})" if p.interview_id else ""
            print(f"row {p.row}{who}: {p.column} = {p.value!r}: {p.reason}")
        n_rows += len(raw)
        n_bad += int((~checked.valid).sum())
        first_row += len(raw)
    for n in table.notices:
        print(f"row {n.row}: {n.column} = {n.value!r}: {n.reason}")
    recognised = ", ".join(table.colmap)
    print(f"{n_rows:,} rows; {n_rows - n_bad:,} valid, {n_bad:,} with problems")
    print(f"columns recognised: {recognised}")
    return EXIT_PROBLEMS if n_bad and args.strict else EXIT_OK


def cmd_explain(args) -> int:
    check_distinct({"the input": Path(args.input), "--plot": args.plot})
    scorer = rules() if args.rules else serving(args.ws).scorer
    table = open_table(Path(args.input), encoding=args.encoding)
    scored = score(Path(args.input), model=scorer, encoding=args.encoding)
    id_column = table.colmap.get("interview_id")
    if id_column is not None:
        match = scored[scored[id_column].astype("string").str.strip() == args.id.strip()]
    elif args.id.isdigit() and 1 <= int(args.id) <= len(scored):
        match = scored.iloc[[int(args.id) - 1]]
    else:
        raise CliError(f"{args.input} has no interview_id column; give --id as a row number")
    if match.empty:
        raise CliError(f"no interview with id {args.id!r} in {args.input}")
    row = match.iloc[0]
    if row["error"]:
        raise CliError(f"interview {args.id} is invalid: {row['error']}")
    inputs = {h: row[h] for h in table.headers if h in row.index}
    explanation = explain(inputs, model=scorer)
    print(explanation)
    if args.plot:
        explanation.plot(args.plot)
        say(f"chart written to {args.plot}")
    return EXIT_OK


def cmd_signals(args) -> int:
    for s in catalogue():
        print(f"{s.name}  [{', '.join(s.columns)}: {VALUE_TEXT[s.kind]}; direction {s.direction}]")
        print(f"    ask:   {s.question}")
        print(f"    why:   {s.claim}")
        print(f"    cites: {s.section}")
    print("\n  other columns with a meaning (none changes the probability):")
    for column in META_COLUMNS:
        print(f"  {column}: {META_TEXT[column].replace('`', '')}")
    return EXIT_OK


def cmd_template(args) -> int:
    line = ",".join(template_columns()) + "\n"
    if args.output:
        target = Path(args.output)
        if target.is_file() and target.stat().st_size and target.read_bytes() != line.encode():
            raise CliError(f"{target} exists and holds data; the template is a blank file: choose a new name")
        with AtomicFile(target) as tmp:
            tmp.write_text(line, encoding="utf-8")
        say(f"template written to {args.output}")
    else:
        sys.stdout.write(line)
    return EXIT_OK


def add_commands(sub, common) -> None:
    """Register the scoring commands on the ``offerodds`` parser."""
    def reader_options(p):
        p.add_argument("--encoding", help="text encoding of a CSV that is not UTF-8 (e.g. cp1252)")
        p.add_argument("--chunk-rows", type=int, default=None, help=argparse.SUPPRESS)

    p = sub.add_parser("score", parents=[common], help="score a CSV or Parquet file of interviews")
    p.add_argument("input", metavar="IN")
    p.add_argument("-o", "--output", metavar="OUT", help="default: <IN stem>.scored.csv beside IN")
    p.add_argument("--rejects", metavar="FILE", help="default: <OUT stem>.rejects.csv")
    p.add_argument("--rules", action="store_true", help="score with the rule card")
    p.add_argument("--no-fallback", action="store_true", help="fail if the champion cannot load")
    p.add_argument("--strict", action="store_true", help="exit 3 when rows were rejected")
    p.add_argument("--quiet", action="store_true", help="no progress or summary")
    as_of_option(p)
    reader_options(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("validate", parents=[common], help="report the problems of a file")
    p.add_argument("input", metavar="IN")
    p.add_argument("--strict", action="store_true", help="exit 3 when rows have problems")
    reader_options(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("explain", parents=[common], help="explain one interview of a file")
    p.add_argument("input", metavar="IN")
    p.add_argument("--id", required=True, help="its interview_id (or row number)")
    p.add_argument("--rules", action="store_true", help="explain with the rule card")
    p.add_argument("--plot", metavar="PNG", help="also draw the contributions chart")
    reader_options(p)
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("signals", parents=[common], help="print the signal catalogue")
    p.set_defaults(func=cmd_signals)

    p = sub.add_parser("template", parents=[common], help="write the header of a CSV to fill in")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(func=cmd_template)
