"""The errors a user of offerodds can cause, in one family.

Catch :class:`OfferoddsError` for all of them. Each subclass also inherits the built-in it
replaces (as scikit-learn's ``NotFittedError(ValueError, AttributeError)``), so code written to
catch ``ValueError``, ``RuntimeError`` or ``OSError`` keeps working. Any other exception that
escapes offerodds is a bug in offerodds: the command line shows it with a hint to run with
``--debug``.

>>> import offerodds
>>> try:
...     offerodds.score(42)
... except offerodds.InputError as error:
...     print(type(error).__name__, isinstance(error, ValueError))
InputError True
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

__all__ = [
    "OfferoddsWarning",
    "warn",
    "ChampionUnavailable",
    "ConfigError",
    "FileAccessError",
    "FileClash",
    "FitError",
    "InputError",
    "NoReference",
    "OfferoddsError",
    "StoreError",
    "TrackingError",
]


class OfferoddsError(Exception):
    """Something offerodds was asked to do cannot be done as asked; the message says why in
    one line and names what to change."""


class InputError(OfferoddsError, ValueError):
    """The input, or an argument, is not what was expected: a file that cannot be read, a table
    without signal columns, an interview that is invalid, an id that is not there."""


class FileClash(InputError):
    """Two paths given for different roles name the same file (an output would overwrite an
    input)."""


class FileAccessError(OfferoddsError, OSError):
    """A file or folder the user named cannot be read or written (missing, a folder, no
    permission, the disk is full)."""


class ConfigError(OfferoddsError, ValueError):
    """A settings file (``--config``, ``advice.toml``) is not as documented; the message names
    the entry."""


class FitError(OfferoddsError, ValueError):
    """The outcomes cannot give a model fit to serve: too few of them, or outcomes that
    contradict the signals."""


class NoReference(OfferoddsError, ValueError):
    """``monitor`` has nothing to compare the batch with: no champion, no outcome store and no
    ``reference`` given."""


class StoreError(OfferoddsError, RuntimeError):
    """The model store refuses a request: a version that does not exist or would not load, a
    damaged champion pointer."""


class ChampionUnavailable(OfferoddsError, RuntimeError):
    """The workspace names a champion model that cannot be loaded (``--no-fallback``)."""


class TrackingError(OfferoddsError, RuntimeError):
    """MLflow could not record or update something (the tracking store is locked, full or
    unreachable); what stands locally is unchanged."""


class OfferoddsWarning(UserWarning):
    """Something a person should know that did not stop the work (a header that looks like a
    signal's, a row scored on what could be used). Shown once per call site under Python's
    default filters, attributed to the caller's own line; the command line says each once."""


_PACKAGE = str(Path(__file__).resolve().parent)


#: (message, category, file, line) already warned at: each warning once per call site, even
#: where a library's ``catch_warnings`` resets Python's own registry (as in a notebook).
_WARNED: set[tuple] = set()


def _action(text: str, category: type[Warning], module: str, lineno: int) -> str:
    """What the warnings filters in force do with this warning (Python's own matching)."""
    for action, message, kind, mod, line in warnings.filters:
        if (
            (message is None or message.match(text))
            and issubclass(category, kind)
            and (mod is None or mod.match(module))
            and (line == 0 or line == lineno)
        ):
            return action
    return warnings.defaultaction


def warn(message: str, category: type[Warning] = OfferoddsWarning) -> None:
    """Warn, attributing the warning to the first frame outside offerodds: the line of the
    notebook or script that called into the package, however deep the call that noticed. Said
    once per call site (unless the filters in force say "always", as ``pytest.warns`` does)."""
    frame, level = sys._getframe(1), 2  # stacklevel 2: the caller of this function
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    if frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        key = (str(message), category, frame.f_code.co_filename, frame.f_lineno)
        if _action(str(message), category, module, frame.f_lineno) not in ("always", "error"):
            if key in _WARNED:
                return
            if len(_WARNED) > 10_000:
                _WARNED.clear()
            _WARNED.add(key)
    warnings.warn(message, category, stacklevel=level)
