"""The ``offerodds`` command line (DESIGN.md, "Command line").

Exit codes: 0 done; 1 a clear one-line error (a traceback only with ``--debug``); 2 usage;
3 some rows have errors (``validate``, ``score --strict``), or ``monitor`` found something that
moved. The CLI is the only place that talks to a person.
"""

from __future__ import annotations

import sys

from offerodds.cli import advice, completion, demo, export, models, notes, privacy, scoring
from offerodds.cli.common import build_parser as _build, run

__all__ = ["COMMANDS", "build_parser", "main"]

#: The modules whose commands make up ``offerodds``, in the order ``--help`` lists them.
COMMANDS = (scoring, notes, advice, models, privacy, export, demo, completion)


def build_parser():
    """The whole ``offerodds`` parser."""
    return _build(COMMANDS)


def main(argv: list[str] | None = None) -> int:
    """Run ``offerodds`` with ``argv`` (default: the process's arguments); returns the exit code."""
    return run(COMMANDS, argv)


if __name__ == "__main__":
    sys.exit(main())
