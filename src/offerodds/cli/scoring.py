"""``offerodds score``, ``validate``, ``explain``, ``signals`` and ``template``.

Imports beyond the catalogue happen inside the commands, so ``signals``, ``template`` and
``--help`` answer without loading pandas.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from offerodds.cli.advice import as_of_option
from offerodds.cli.common import EXIT_OK, EXIT_PROBLEMS, say


def expected_rows(path: Path) -> int | None:
    """How many rows the file at ``path`` holds, when that is cheap to know: a Parquet file's
    metadata, or a CSV file's line breaks (counted in 1 MiB blocks, about 0.1 s per 100 MB; a
    line break inside a quoted cell makes it an estimate, which is all a progress line needs)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(4) == b"PAR1":
                import pyarrow.parquet as pq

                return int(pq.ParquetFile(path).metadata.num_rows)
            handle.seek(0)
            lines, last = 0, b"\n"
            while block := handle.read(1 << 20):
                lines += block.count(b"\n")
                last = block[-1:]
        return max(lines - 1 + (last != b"\n"), 0)  # the header is no row; a last line without a break is
    except (OSError, ValueError, ImportError):
        return None


def _duration(seconds: float) -> str:
    seconds = max(int(round(seconds)), 0)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02d} min"


class Progress:
    """Rows done, rows per second and, when the total is known, the share done and the time
    left, on stderr, only when it is a terminal."""

    def __init__(self, enabled: bool, total: int | None = None):
        self.enabled = enabled and sys.stderr.isatty()
        self.start = time.perf_counter()
        self.rows = 0
        self.total = total

    def line(self) -> str:
        elapsed = max(time.perf_counter() - self.start, 1e-9)
        rate = self.rows / elapsed
        if not self.total:
            return f"scored {self.rows:,} rows, {rate:,.0f} rows/s"
        share = min(self.rows / self.total, 1.0)
        left = (self.total - self.rows) / rate if rate > 0 and self.rows < self.total else 0.0
        return (
            f"scored {self.rows:,} of {self.total:,} rows ({share:.0%}), {rate:,.0f} rows/s, "
            f"about {_duration(left)} left"
        )

    def update(self, rows: int) -> None:
        self.rows += rows
        if self.enabled:
            # offerodds's own carriage return (user text never reaches this line): past the filter
            terminal = getattr(sys.stderr, "unfiltered", sys.stderr)
            print(f"\r{self.line()}\033[K", end="", file=terminal)

    def close(self) -> None:
        if self.enabled:
            print(file=sys.stderr)


def chosen_scorer(args):
    """The scorer asked for (``--rules``) or serving, and why; a warning when the champion
    named cannot load and the rule card serves instead."""
    from offerodds.usecases import choose_scorer

    chosen = choose_scorer(args.ws, rules=args.rules, fallback=not getattr(args, "no_fallback", False))
    if chosen.fell_back:
        say(f"warning: falling back to the rule card: {chosen.reason}")
    return chosen


def cmd_score(args) -> int:
    from offerodds.usecases import score_file

    # the output names are checked before the scorer is loaded or a row is read
    total = expected_rows(Path(args.input)) if not args.quiet and sys.stderr.isatty() else None
    progress = Progress(not args.quiet, total)
    done = score_file(
        Path(args.input),
        lambda: chosen_scorer(args),
        output=args.output,
        rejects=args.rejects,
        view=args.view,
        as_of=args.as_of,
        encoding=args.encoding,
        chunk_rows=args.chunk_rows,
        progress=progress.update,
        from_notes=args.from_notes,
        workspace=args.ws,
    )
    progress.close()
    if not args.quiet:
        say(str(done))
        if done.legend:
            say(done.legend)
    for line in done.warnings():
        say(f"warning: {line}")
    return EXIT_PROBLEMS if args.strict and done.n_rejected else EXIT_OK


def cmd_validate(args) -> int:
    from offerodds.usecases import validate_file

    result = validate_file(Path(args.input), encoding=args.encoding, chunk_rows=args.chunk_rows)
    print(result)
    return EXIT_PROBLEMS if result.n_bad else EXIT_OK


def cmd_explain(args) -> int:
    from offerodds.usecases import explain_in_file

    scorer = lambda: chosen_scorer(args).scorer  # noqa: E731 (chosen once the input opened)
    result = explain_in_file(
        Path(args.input), args.id, scorer, plot=args.plot, encoding=args.encoding, from_notes=args.from_notes
    )
    if result.note:
        say(result.note)
    print(result)
    if result.chart:
        say(f"chart written to {result.chart}")
    return EXIT_OK


def cmd_signals(args) -> int:
    from offerodds.usecases import catalogue_lines

    print("\n".join(catalogue_lines()))
    return EXIT_OK


def cmd_template(args) -> int:
    from offerodds.usecases import STDOUT, template_line, write_template

    if args.output and args.output != STDOUT:
        write_template(args.output)
        say(f"template written to {args.output}")
    else:
        sys.stdout.write(template_line())
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
    p.add_argument(
        "--from-notes", action="store_true",
        help="fill the signals a row left empty from its notes column (never a recorded value); "
        "what was filled is listed in signals_from_notes",
    )
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
    p.add_argument("--from-notes", action="store_true",
                   help="fill the signals the interview left empty from its notes column, as score --from-notes does")
    reader_options(p)
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("signals", parents=[common], help="print the signal catalogue")
    p.set_defaults(func=cmd_signals)

    p = sub.add_parser("template", parents=[common], help="write the header of a CSV to fill in")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(func=cmd_template)
