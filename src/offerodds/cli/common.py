"""What every command shares: exit codes, one-line messages on stderr, the workspace option,
and parsing a command line into the function that runs it."""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from offerodds.io.cleanup import unwinding_on_sigterm
from offerodds.io.modelstore import StoreError
from offerodds.io.workspace import Workspace
from offerodds.signals.headers import InputError

__all__ = ["CliError", "EXIT_ERROR", "EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "run", "say"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PROBLEMS = 0, 1, 2, 3


class CliError(Exception):
    """A problem to report in one line with exit code 1."""


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, prefixed with the program name)."""
    print(f"offerodds: {message}", file=sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    if f"{os.sep}offerodds{os.sep}" not in str(filename):
        return  # a library's notice (some, like MLflow's, bypass the filters set in main)
    say(f"warning: {message}")


def common_options() -> argparse.ArgumentParser:
    """The options every command takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", help="workspace folder (default: $OFFERODDS_WORKSPACE or .)")
    common.add_argument("--debug", action="store_true", help="show tracebacks")
    return common


def build_parser(modules) -> argparse.ArgumentParser:
    """The ``offerodds`` parser with the commands of each module (its ``add_commands``)."""
    parser = argparse.ArgumentParser(
        prog="offerodds", description="How likely is a job interview to end in an offer, and why."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_options()
    for module in modules:
        module.add_commands(sub, common)
    return parser


def run(modules, argv: list[str] | None = None) -> int:
    """Parse ``argv`` with the commands of ``modules`` and run the chosen one."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    args = build_parser(modules).parse_args(argv)
    args.ws = Workspace.resolve(args.workspace)
    with warnings.catch_warnings():
        # offerodds' own warnings, every time; _show_warning drops the libraries' notices,
        # which a person running offerodds cannot act on
        warnings.simplefilter("always")
        warnings.showwarning = _show_warning
        return unwinding_on_sigterm(_run, args)  # SIGTERM cleans up as Ctrl-C does


def _run(args) -> int:
    try:
        return args.func(args)
    except KeyboardInterrupt:
        say("interrupted")
        return EXIT_ERROR
    except Exception as error:  # one clear line, the traceback only on request
        if args.debug:
            raise
        known = (CliError, InputError, StoreError, ValueError, OSError)
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        if not isinstance(error, known):
            message = f"{type(error).__name__}: {message} (run with --debug for details)"
        say(f"error: {message}")
        return EXIT_ERROR
