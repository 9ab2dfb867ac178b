"""``offerodds score``, ``validate``, ``explain``, ``signals`` and ``template``.

Imports beyond the catalogue happen inside the commands, so ``signals``, ``template`` and
``--help`` answer without loading pandas.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from offerodds.cli.advice import as_of_option
from offerodds.cli.common import EXIT_OK, EXIT_PROBLEMS, plural, say
from offerodds.cli.output import STDOUT, check_output, open_writer
from offerodds.errors import ChampionUnavailable, InputError
from offerodds.signals.catalogue import META_COLUMNS, META_TEXT, VALUE_TEXT, catalogue, template_columns


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}.scored.csv")


def default_rejects(out: str, source: Path) -> Path:
    """``<OUT stem>.rejects.csv`` beside OUT; beside IN when OUT is standard output."""
    base = default_output(source) if out == STDOUT else Path(out)
    return base.with_name(f"{base.stem}.rejects.csv")


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


def _scorer(args):
    """The scorer asked for (``--rules``) or serving, and why."""
    from offerodds.stores.serving import ChampionUnavailable, serving
    from offerodds.scoring.rulecard import rules

    if args.rules:
        return rules(), "--rules asked for the rule card"
    try:
        chosen = serving(args.ws, fallback=not getattr(args, "no_fallback", False))
    except ChampionUnavailable as error:
        raise ChampionUnavailable(f"{error} (--no-fallback: not falling back to the rule card)") from error
    if args.ws.champion_pointer.exists() and chosen.scorer.kind == "rules":
        say(f"warning: falling back to the rule card: {chosen.reason}")
    return chosen.scorer, chosen.reason


def _problem_counts(problems) -> tuple[int, int]:
    """(errors, warnings) among the lines of a problem report."""
    warnings = int((problems["severity"] == "warning").sum())
    return len(problems) - warnings, warnings


def cmd_score(args) -> int:
    from offerodds.usecases import CHUNK_ROWS, iter_scored, replaced_columns
    from offerodds.files.atomic import check_distinct
    from offerodds.files.reading import open_table
    from offerodds.scoring.results import result_columns
    from offerodds.scoring.views import people_columns, people_view
    from offerodds.signals.validation import PROBLEM_COLUMNS

    source = Path(args.input)
    out = check_output(args.output) if args.output else str(default_output(source))
    rejects_path = check_output(args.rejects, "problems file") if args.rejects else str(default_rejects(out, source))
    if rejects_path == STDOUT == out:
        raise InputError("the scored rows and the problems cannot both go to standard output; give --rejects FILE")
    check_distinct({"the input": source, "the output": out, "the rejects file": rejects_path})
    table = open_table(source, encoding=args.encoding)
    scorer, why = _scorer(args)
    replaced = replaced_columns(table)
    kept = [h for h in table.headers if h not in replaced]
    people = args.view == "people"
    columns = people_columns(kept, table.colmap) if people else [*kept, *result_columns()]
    progress = Progress(not args.quiet)
    n_read = n_scored = n_errors = n_warnings = n_rejected = 0
    notices = []
    with open_writer(out, columns) as writer, open_writer(
        rejects_path, list(PROBLEM_COLUMNS), formula_safe=True
    ) as rejects:
        # CHUNK_ROWS rows at a time keeps memory flat; the output does not depend on it
        chunks = iter_scored(table, scorer, chunk_rows=args.chunk_rows or CHUNK_ROWS, as_of=args.as_of)
        for chunk in chunks:
            valid = chunk.checked.valid
            frame = chunk.frame[valid] if not valid.all() else chunk.frame
            if people:
                frame = people_view(frame, chunk.checked.typed[valid], columns)
            writer.write(frame)
            problems = chunk.problem_lines  # the rows' problems, and the reader's warnings
            if len(problems):
                rejects.write(problems)
            notices += chunk.notices
            errors, warnings = _problem_counts(problems)
            n_read += len(valid)
            n_scored += int(valid.sum())
            n_rejected += int((~valid).sum())
            n_errors += errors
            n_warnings += warnings
            progress.update(len(valid))
            del chunk, valid, frame  # memory stays at one chunk in hand while the next is scored
    progress.close()
    if not args.quiet:
        found = plural(n_errors + n_warnings, "problem")
        if n_warnings:  # a warning keeps its row: say how many of each
            found = plural(n_warnings, "warning")
            found = f"{plural(n_errors, 'error')} and {found}" if n_errors else found
        where = "standard output" if out == STDOUT else out
        say(
            f"read {plural(n_read, 'row')}: scored {n_scored:,}, rejected {n_rejected:,} "
            f"({found} in {rejects_path}); scorer {scorer.kind} {scorer.version} ({why}); wrote {where}"
        )
    for notice in notices[:3]:
        say(f"warning: {notice.message(str(source))} (listed in {rejects_path})")
    if len(notices) > 3:
        say(f"warning: {len(notices) - 3} more quoted cells like these, listed in {rejects_path}")
    return EXIT_PROBLEMS if args.strict and n_rejected else EXIT_OK


def cmd_validate(args) -> int:
    from offerodds.usecases import CHUNK_ROWS
    from offerodds.files.reading import open_table
    from offerodds.signals.validation import validate

    table = open_table(Path(args.input), encoding=args.encoding)
    first_row, n_rows, n_bad, n_warned = 1, 0, 0, 0
    for raw in table.chunks(args.chunk_rows or CHUNK_ROWS):
        checked = validate(raw, table.colmap, first_row)
        problems = checked.problems
        for p in problems.itertuples(index=False):
            who = f" (interview {p.interview_id})" if p.interview_id else ""
            note = " [warning: the row is still scored]" if p.severity == "warning" else ""
            print(f"row {p.row}{who}: {p.column} = {p.value!r}: {p.reason}{note}")
        warned = problems.loc[problems["severity"] == "warning", "row"].to_numpy() - first_row
        n_rows += len(raw)
        n_bad += int((~checked.valid).sum())
        n_warned += len(set(warned.tolist()) - set((~checked.valid).nonzero()[0].tolist()))
        first_row += len(raw)
    for n in table.notices:
        print(f"row {n.row}: {n.column} = {n.value!r}: {n.reason}")
    recognised = ", ".join(table.colmap)
    summary = f"{plural(n_rows, 'row')}; {n_rows - n_bad:,} valid, {n_bad:,} with errors"
    if n_warned:
        summary += f"; {plural(n_warned, 'valid row')} with warnings (scored anyway)"
    print(summary)
    print(f"columns recognised: {recognised}")
    return EXIT_PROBLEMS if n_bad else EXIT_OK


def _pick_row(args, scored, id_column) -> int:
    """The position of the interview ``--id`` names: its interview_id, else its row number."""
    wanted = args.id.strip()
    if id_column is not None:
        matches = (scored[id_column].astype("string").str.strip() == wanted).to_numpy(dtype=bool, na_value=False)
        if matches.any():
            return int(matches.argmax())
    if wanted.isdigit() and 1 <= int(wanted) <= len(scored):
        if id_column is not None:
            say(f"no interview_id {wanted!r} in {args.input}: explaining row {wanted}")
        return int(wanted) - 1
    if id_column is None:
        raise InputError(f"{args.input} has no interview_id column and {len(scored):,} rows; give --id as a row number")
    raise InputError(f"no interview with id {args.id!r} in {args.input} (nor a row {args.id})")


def cmd_explain(args) -> int:
    from offerodds.api import explain
    from offerodds.usecases import score_table
    from offerodds.files.atomic import check_distinct
    from offerodds.files.reading import open_table

    check_distinct({"the input": Path(args.input), "--plot": args.plot})
    if args.plot and Path(args.plot).suffix.lower() != ".png":
        raise InputError(f"the chart is a PNG image: name it with .png, not {args.plot}")
    scorer = _scorer(args)[0]
    table = open_table(Path(args.input), encoding=args.encoding)
    with warnings.catch_warnings():  # the other rows' warnings are not this interview's
        warnings.simplefilter("ignore")
        scored = score_table(table, scorer)
    row = scored.iloc[_pick_row(args, scored, table.colmap.get("interview_id"))]
    if row["error"]:
        raise InputError(f"interview {args.id} is invalid: {row['error']}")
    inputs = {h: row[h] for h in table.colmap.values() if h in row.index}  # what offerodds reads
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
    if args.output and args.output != STDOUT:
        from offerodds.files.atomic import AtomicFile

        target = Path(args.output)
        if target.suffix.lower() != ".csv":
            raise InputError(f"the template is a CSV file: name it with .csv, not {args.output}")
        if target.is_file() and target.stat().st_size and target.read_bytes() != line.encode():
            raise InputError(f"{target} exists and holds data; the template is a blank file: choose a new name")
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
    p.add_argument(
        "-o", "--output", metavar="OUT",
        help="a .csv or .parquet file, or - for standard output (default: <IN stem>.scored.csv beside IN)",
    )
    p.add_argument("--rejects", metavar="FILE", help="the problems file (default: <OUT stem>.rejects.csv)")
    p.add_argument(
        "--view", choices=("exact", "people"), default="exact",
        help="exact (default): every contribution in full precision; people: rounded, the "
        "recorded signals' effects in words, reasons and next step",
    )
    p.add_argument("--rules", action="store_true", help="score with the rule card")
    p.add_argument("--no-fallback", action="store_true", help="fail if the champion cannot load")
    p.add_argument("--strict", action="store_true", help="exit 3 when rows were rejected")
    p.add_argument("--quiet", action="store_true", help="no progress or summary")
    as_of_option(p)
    reader_options(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("validate", parents=[common], help="report the problems of a file (exit 3 if rows have errors)")
    p.add_argument("input", metavar="IN")
    p.add_argument("--strict", action="store_true", help=argparse.SUPPRESS)  # always: exit 3 on errors
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
