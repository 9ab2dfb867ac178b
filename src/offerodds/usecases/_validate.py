"""``validate``: every problem of a file, row by row, without scoring it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from offerodds.files.reading import iter_validated, open_table
from offerodds.signals.printable import printable
from offerodds.usecases._score import CHUNK_ROWS

__all__ = ["Validation", "validate_file"]


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word if n == 1 else word + 's'}"


@dataclass(frozen=True)
class Validation:
    """What ``validate`` found: one line per problem (``lines``), and the counts."""

    lines: tuple[str, ...]
    n_rows: int
    n_bad: int
    n_warned: int
    recognised: tuple[str, ...]

    @property
    def summary(self) -> str:
        text = f"{_plural(self.n_rows, 'row')}; {self.n_rows - self.n_bad:,} valid, {self.n_bad:,} with errors"
        if self.n_warned:
            text += f"; {_plural(self.n_warned, 'valid row')} with warnings (scored anyway)"
        return text

    def __str__(self) -> str:
        return "\n".join([*self.lines, self.summary, f"columns recognised: {', '.join(self.recognised)}"])


def validate_file(source, *, encoding: str | None = None, chunk_rows: int | None = None) -> Validation:
    """Read and validate ``source`` chunk by chunk; nothing is scored or written."""
    table = open_table(Path(source) if isinstance(source, str) else source, encoding=encoding)
    lines, n_rows, n_bad, n_warned = [], 0, 0, 0
    for chunk in iter_validated(table, chunk_rows or CHUNK_ROWS):
        checked, first_row = chunk.checked, chunk.first_row
        problems = checked.problems
        for p in problems.itertuples(index=False):
            who = f" (interview {printable(p.interview_id)})" if p.interview_id else ""
            note = " [warning: the row is still scored]" if p.severity == "warning" else ""
            lines.append(f"row {p.row}{who}: {printable(p.column)} = {p.value!r}: {printable(p.reason)}{note}")
        warned = problems.loc[problems["severity"] == "warning", "row"].to_numpy() - first_row
        n_rows += len(chunk.raw)
        n_bad += int((~checked.valid).sum())
        n_warned += len(set(warned.tolist()) - set((~checked.valid).nonzero()[0].tolist()))
    for n in table.notices:
        lines.append(f"row {n.row}: {printable(n.column)} = {n.value!r}: {printable(n.reason)}")
    return Validation(tuple(lines), n_rows, n_bad, n_warned, tuple(printable(c) for c in table.colmap))
