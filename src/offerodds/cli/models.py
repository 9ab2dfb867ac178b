"""``offerodds retrain``, ``status``, ``history``, ``rollback``, ``sync`` and ``monitor``: the model's
life cycle, and whether a batch still looks like what it learned from (``monitor`` exits 0 when
nothing moved beyond chance, 3 when something did, for scheduled jobs).

The local champion pointer is the source of truth; the MLflow registry mirrors it. A command
that changes the pointer moves the registry alias under the same lock, and when MLflow fails it
says so in one line and exits 0: the local change stands and ``offerodds sync`` repairs the
registry. ``status`` reports the registry as the last promotion, rollback or sync recorded it,
without asking MLflow (or importing it). The use cases are
:mod:`offerodds.usecases` (status, history, rollback, sync, retrain); they are imported inside
the commands, so the parser (``--help``, ``offerodds signals``) does not load them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from offerodds.cli.common import EXIT_OK, EXIT_PROBLEMS, plural, say


class PhaseLines:
    """``offerodds retrain``'s progress on a terminal: one line per phase as it starts, with the
    time since the retrain began."""

    def __init__(self):
        self.start = None

    def __call__(self, phase: str, detail: str) -> None:
        now = time.perf_counter()
        self.start = now if self.start is None else self.start
        say(f"retrain: {phase} {detail} ({now - self.start:.1f} s since the retrain began)")


def cmd_retrain(args) -> int:
    from offerodds.usecases import retrain

    report = retrain(args.labelled, workspace=args.ws, force=args.force, config=args.config,
                     progress=PhaseLines() if sys.stderr.isatty() else None)
    print(report)
    if report.rejects_path is not None and report.rows_rejected:  # written by retrain, under the lock
        say(f"{plural(report.rows_rejected, 'labelled row')} rejected; their problems are in {report.rejects_path}")
    if report.tracking_warning:
        say(f"warning: {report.tracking_warning}")
    return EXIT_OK


def cmd_status(args) -> int:
    from offerodds.usecases import status

    print(status(args.ws))
    return EXIT_OK


def cmd_history(args) -> int:
    from offerodds.usecases import history

    result = history(args.ws)
    if result.lines:
        print(result)
    return EXIT_OK


def cmd_rollback(args) -> int:
    from offerodds.usecases import rollback

    result = rollback(args.version, workspace=args.ws)
    print(result)
    if result.warning:
        say(f"warning: {result.warning}")
    return EXIT_OK


def cmd_sync(args) -> int:
    from offerodds.usecases import sync

    print(sync(workspace=args.ws, config=args.config))
    return EXIT_OK


def cmd_monitor(args) -> int:
    from offerodds.usecases import monitor_file

    result = monitor_file(
        Path(args.input),
        reference=args.reference,
        report=args.report,
        workspace=args.ws,
        config=args.config,
        encoding=args.encoding,
    )
    print(result)
    if result.moved:
        say(f"moved beyond chance: {result.moved_names} (exit code 3)")
    return EXIT_PROBLEMS if result.moved else EXIT_OK


def add_commands(sub, common) -> None:
    """Register the model commands on the ``offerodds`` parser."""
    p = sub.add_parser("retrain", parents=[common], help="learn from labelled outcomes")
    p.add_argument("labelled", nargs="*", metavar="LABELLED", help="CSV/Parquet files with an outcome column")
    p.add_argument("--force", action="store_true", help="promote the candidate whatever the gate says")
    p.add_argument("--config", metavar="FILE", help="a retrain TOML (see pipelines/retrain.toml)")
    p.set_defaults(func=cmd_retrain)

    p = sub.add_parser("status", parents=[common], help="which scorer serves, and the stores")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("history", parents=[common], help="champion changes and stored versions")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("rollback", parents=[common], help="restore the previous champion")
    p.add_argument("version", nargs="?", metavar="VERSION", help="a stored version (v3 or 3), or 'rules'")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("sync", parents=[common], help="mirror the local champion to the MLflow registry")
    p.add_argument("--config", metavar="FILE", help="a retrain TOML (its [tracking] experiment)")
    p.set_defaults(func=cmd_sync)

    p = sub.add_parser(
        "monitor",
        parents=[common],
        help="compare a batch of interviews with what the model learned from",
        description="Per signal, the share recorded and the values given, and the predicted "
        "probabilities, against the reference; the offer rate the scorer expects; calibration "
        "over time. Exit 0: nothing moved beyond chance; 3: something did; 1: an error.",
    )
    p.add_argument("input", metavar="IN", help="CSV or Parquet file of interviews")
    p.add_argument(
        "--reference",
        metavar="FILE",
        help="compare with these interviews (default: the outcomes the champion learned from, "
        "else the outcome store)",
    )
    p.add_argument("--report", metavar="FILE.html", help="default: <IN stem>.monitor.html beside IN")
    p.add_argument("--config", metavar="FILE", help="a pipeline TOML ([monitor], [tracking])")
    p.add_argument("--encoding", help="text encoding of a CSV that is not UTF-8 (e.g. cp1252)")
    p.add_argument("--chunk-rows", type=int, default=None, help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_monitor)
