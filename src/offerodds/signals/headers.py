"""Header matching (DESIGN.md, "Signals"): which columns of a table mean which signal.

Headers match ignoring case and surrounding spaces, with spaces and hyphens read as
underscores; two headers meaning the same column are an error naming both. Every file-level
problem is an :class:`InputError` whose message is one line naming what is wrong.
"""

from __future__ import annotations

import difflib
import re

from offerodds.errors import InputError, warn
from offerodds.signals.catalogue import META_COLUMNS, input_columns

__all__ = ["InputError", "check_unique", "lookalikes", "match_columns", "normalise_header", "one_line", "require_signals", "warn_lookalikes"]

_HINT = re.compile(r"\([^)]*\)|\[[^\]]*\]")  # "(1-5)", "[yes/no]"
_CLOSE = 0.8  # how alike (difflib's ratio) a header must be to a column's name to be suggested


def one_line(text: object, limit: int = 300) -> str:
    """Collapse whitespace (newlines included) and shorten, for a one-line message."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def normalise_header(h: str) -> str:
    """Canonical form of a column header.

    Parameters
    ----------
    h : str
        A header as written in the file.

    Returns
    -------
    str
        Stripped, lower-case, with runs of spaces, hyphens and underscores turned into one
        underscore.

    Examples
    --------
    >>> normalise_header("  Eye-Contact ")
    'eye_contact'
    """
    text = str(h).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-_]+", "_", text)


def _preview(headers: list[str], n: int = 5) -> str:
    shown = ", ".join(repr(str(h)) for h in headers[:n])
    return shown + (", ..." if len(headers) > n else "")


def match_columns(headers: list[str]) -> dict[str, str]:
    """Map canonical column names to the headers that mean them.

    Parameters
    ----------
    headers : list of str
        The headers of a table, as written.

    Returns
    -------
    dict
        Canonical name (a signal input column or a meta column) -> original header, for every
        header that is one of them; other headers are passthrough columns and are left out.

    Raises
    ------
    InputError
        When two headers mean the same column, or when no signal input column is recognised.
    """
    signal_cols = set(input_columns())
    known = signal_cols | set(META_COLUMNS)
    colmap: dict[str, str] = {}
    for h in headers:
        canon = normalise_header(h)
        if canon not in known:
            continue
        if canon in colmap:
            raise InputError(
                f"columns {colmap[canon]!r} and {h!r} both mean {canon!r}; keep only one of them"
            )
        colmap[canon] = h
    if not signal_cols & colmap.keys() and "notes" not in colmap:  # notes alone: --from-notes reads them
        found = f"found {_preview(headers)}" if headers else "found no columns"
        alike = lookalikes(headers, colmap)
        hint = "did you mean " + ", ".join(f"{c!r} for {h!r}" for h, c in alike[:3]) + "? " if alike else ""
        raise InputError(
            f"no signal column recognised ({found}); {hint}`offerodds signals` lists the column "
            "names and `offerodds template` writes a blank file to fill in"
        )
    return colmap


def require_signals(headers: list[str], colmap: dict[str, str], name: str) -> None:
    """A clear error for a table whose only column offerodds reads is ``notes`` (it opens, for
    ``score --from-notes``; read without it every row would be the starting point)."""
    if set(input_columns()) & colmap.keys():
        return
    alike = lookalikes(headers, colmap)
    hint = "did you mean " + ", ".join(f"{c!r} for {h!r}" for h, c in alike[:3]) + "? " if alike else ""
    raise InputError(
        f"no signal column recognised in {name}, only `notes`: {hint}`offerodds score --from-notes` "
        "(from_notes=True) reads the signals from the notes; `offerodds signals` lists the column names"
    )


def warn_lookalikes(headers: list[str], colmap: dict[str, str]) -> None:
    """Warn of each header that looks like a column but is not read (:func:`lookalikes`): read
    as not recorded, it would lower the probabilities without a word."""
    for header, column in lookalikes(headers, colmap):
        warn(
            f"column {header!r} is not read: did you mean {column!r}? Rename the header to use it "
            "(offerodds never renames one itself)"
        )


def lookalikes(headers: list[str], colmap: dict[str, str]) -> list[tuple[str, str]]:
    """Headers that offerodds does not read but that look like a column it would.

    A header whose words match once a hint in parentheses or brackets and punctuation are
    left out ("Eye contact (1-5)", "Next steps explained?"), or that is spelled close to a
    column's name ("Enthusiam"), is paired with that column, unless another header already
    means it. Nothing is renamed: the caller says so and the person decides.

    Returns
    -------
    list of (header, column)

    Examples
    --------
    >>> lookalikes(["Enthusiam", "Eye contact (1-5)", "notes"], {})
    [('Enthusiam', 'enthusiasm'), ('Eye contact (1-5)', 'eye_contact')]
    """
    known = [*input_columns(), *META_COLUMNS]
    free = [c for c in known if c not in colmap]
    found, taken = [], set()
    for h in headers:
        canon = normalise_header(h)
        if canon in known or not canon:
            continue
        bare = normalise_header(re.sub(r"[^\w\s\-]", " ", _HINT.sub(" ", str(h)))).strip("_")
        guess = bare if bare in free else None
        if guess is None:
            close = difflib.get_close_matches(bare or canon, free, n=1, cutoff=_CLOSE)
            guess = close[0] if close else None
        if guess is not None and guess not in taken:
            found.append((h, guess))
            taken.add(guess)
    return found


def check_unique(headers: list[str]) -> None:
    seen: dict[str, int] = {}
    for i, h in enumerate(headers):
        if h in seen:
            what = f"{h!r}" + (" (empty)" if not str(h).strip() else "")
            raise InputError(
                f"the header {what} appears more than once (columns {seen[h] + 1} and {i + 1}); "
                "give each column its own name"
            )
        seen[h] = i
