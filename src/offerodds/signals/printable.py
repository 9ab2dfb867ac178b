"""Text from a user's file made safe to print on a terminal.

A cell, an id or a header can hold control characters: an escape sequence (``\\x1b[2J`` clears
the screen, ``\\x1b]8;;...`` makes a link), a carriage return that overwrites the start of the
line, a line break that forges a line of its own, or a bidirectional override that shows text
reversed. Everything offerodds prints from user data goes through :func:`printable`, which shows
such characters as escapes (``\\x1b``, ``\\r``, ``\\u202e``) and leaves other text as it is.
"""

from __future__ import annotations

import re

__all__ = ["printable", "terminal_safe"]

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match) -> str:
    char = match.group()
    return char.encode("unicode_escape").decode("ascii") if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def printable(value) -> str:
    """``value`` as text with control and direction-changing characters escaped.

    >>> printable("a\\x1b[2Jb")
    'a\\\\x1b[2Jb'
    >>> printable("Zoë")
    'Zoë'
    """
    text = value if isinstance(value, str) else str(value)
    return _UNSAFE.sub(_escape, text)


_UNSAFE_IN_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def terminal_safe(text: str) -> str:
    """Lines of text for a terminal: as :func:`printable`, but line breaks and tabs kept (the
    command line passes everything it prints through this; ids and cells go through
    :func:`printable` first, so a line break inside one is shown as ``\\n``)."""
    if _UNSAFE_IN_TEXT.search(text) is None:
        return text
    return _UNSAFE_IN_TEXT.sub(_escape, text)
