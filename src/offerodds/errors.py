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

__all__ = [
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
