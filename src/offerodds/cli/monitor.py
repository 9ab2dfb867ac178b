"""``offerodds monitor``: does a batch still look like what the model learned from, and how has
the scorer in use fared on outcomes labelled later? Also the calibration block of ``status``.

Exit codes: 0 nothing moved beyond chance, 3 something did (for scheduled jobs), 1 a clear
error (no reference to compare with, an unreadable file).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from offerodds.cli.common import EXIT_OK, EXIT_PROBLEMS, say

__all__ = ["add_commands"]


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
    """Register ``monitor`` on the ``offerodds`` parser."""
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
