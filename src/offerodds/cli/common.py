"""What every command shares: exit codes, one-line messages on stderr, the workspace option,
and parsing a command line into the function that runs it.

Habits of a good command line: ``--version``; a reader that stops early (``offerodds status |
head -3``) ends the command quietly; errors are one plain line (a traceback only with
``--debug``, which also lets MLflow's own messages through).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings

from offerodds.errors import OfferoddsError
from offerodds.usecases import MESSAGES_VARIABLE as MLFLOW_MESSAGES
from offerodds.usecases import Workspace, unwinding_on_sigterm

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "MLFLOW_MESSAGES",
    "plural",
    "run",
    "say",
]

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PROBLEMS = 0, 1, 2, 3


def say(message: str) -> None:
    """A message for the person at the terminal (stderr, prefixed with the program name)."""
    print(f"offerodds: {message}", file=sys.stderr)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 problem``, ``2 problems``, ``1,000 rows`` (``many``: an irregular plural)."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


#: The warnings said during the current command: each is said once, however often it comes.
_SAID: set[str] = set()


def _show_warning(message, category, filename, lineno, file=None, line=None):
    from offerodds.errors import OfferoddsWarning

    ours = isinstance(category, type) and issubclass(category, OfferoddsWarning)
    if not ours and f"{os.sep}offerodds{os.sep}" not in str(filename):
        return  # a library's notice (some, like MLflow's, bypass the filters set in main)
    text = str(message)
    if text in _SAID:
        return  # the same file opened twice by one command (followup, explain): said once
    _SAID.add(text)
    say(f"warning: {text}")


def common_options() -> argparse.ArgumentParser:
    """The options every command takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", help="workspace folder (default: $OFFERODDS_WORKSPACE or .)")
    common.add_argument("--debug", action="store_true", help="show tracebacks and MLflow's own messages")
    return common


def build_parser(modules) -> argparse.ArgumentParser:
    """The ``offerodds`` parser with the commands of each module (its ``add_commands``)."""
    import offerodds

    parser = argparse.ArgumentParser(
        prog="offerodds", description="How likely is a job interview to end in an offer, and why."
    )
    parser.add_argument("--version", action="version", version=f"offerodds {offerodds.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_options()
    for module in modules:
        module.add_commands(sub, common)
    return parser


class _SafeText:
    """A text stream whose writes pass through :func:`terminal_safe` (escape sequences, carriage
    returns and direction overrides in a cell are shown as ``\\x1b``, ``\\r``, ``\\u202e``);
    everything else (``buffer`` for binary output, ``fileno``, ``isatty``) is the stream's."""

    def __init__(self, stream):
        self._stream = stream

    @property
    def unfiltered(self):
        """The stream itself, for offerodds's own control characters (the progress line)."""
        return self._stream

    def write(self, text: str) -> int:
        from offerodds.usecases import terminal_safe

        return self._stream.write(terminal_safe(text))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def run(modules, argv: list[str] | None = None) -> int:
    """Parse ``argv`` with the commands of ``modules`` and run the chosen one."""
    os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
    try:
        parser = build_parser(modules)
        args = parser.parse_args(argv)  # usage errors exit 2 (argparse)
        args.parser = parser
        args.ws = Workspace.resolve(args.workspace)
        _SAID.clear()  # once per command
        streams = sys.stdout, sys.stderr
        with warnings.catch_warnings():
            # offerodds' own warnings, every time; _show_warning drops the libraries' notices,
            # which a person running offerodds cannot act on
            warnings.simplefilter("always")
            warnings.showwarning = _show_warning
            # what reaches the terminal carries no control character from the user's data
            sys.stdout, sys.stderr = _SafeText(sys.stdout), _SafeText(sys.stderr)
            try:
                code = unwinding_on_sigterm(_run, args)  # SIGTERM cleans up as Ctrl-C does
            finally:
                sys.stdout, sys.stderr = streams
        sys.stdout.flush()  # a reader gone away shows up here, while it can still be caught
        return code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_OK


def _quiet_stdout() -> None:
    """The reader of stdout went away (``| head``): nothing more to say, and nothing at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout is not a file descriptor (captured in a test)
        pass


def _run(args) -> int:
    saved = os.environ.get(MLFLOW_MESSAGES)
    if args.debug:
        os.environ[MLFLOW_MESSAGES] = "1"
    try:
        return args.func(args)
    except KeyboardInterrupt:
        say("interrupted")
        return EXIT_ERROR
    except BrokenPipeError:
        raise
    except Exception as error:  # one clear line, the traceback only on request
        if args.debug:
            raise
        message = str(error).splitlines()[0] if str(error).strip() else "something went wrong"
        if not isinstance(error, OfferoddsError):  # not the user's doing: a bug of offerodds
            message = f"internal error: {type(error).__name__}: {message} (run with --debug for the details)"
        say(f"error: {message}")
        return EXIT_ERROR
    finally:
        if saved is None:
            os.environ.pop(MLFLOW_MESSAGES, None)
        else:
            os.environ[MLFLOW_MESSAGES] = saved
