"""``offerodds retrain``, ``status``, ``history``, ``rollback`` and ``sync``: the model's life cycle.

The local champion pointer is the source of truth; the MLflow registry mirrors it. A command
that changes the pointer moves the registry alias under the same lock, and when MLflow fails it
says so in one line and exits 0: the local change stands and ``offerodds sync`` repairs the
registry. ``status`` reports the registry as the last promotion, rollback or sync recorded it,
without asking MLflow (or importing it). The use cases are
:mod:`offerodds.usecases` (status, history, rollback, sync, retrain); they are imported inside
the commands, so the parser (``--help``, ``offerodds signals``) does not load them.
"""

from __future__ import annotations

import sys
import time

from offerodds.cli.common import EXIT_OK, plural, say


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
