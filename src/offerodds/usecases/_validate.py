"""The input's format: the catalogue in words (``signals``), the blank CSV to fill in
(``template``), both derived from the catalogue (nothing restates it; neither loads pandas), and
every problem of a file, row by row, without scoring it (``validate``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from offerodds.errors import InputError
from offerodds.files.atomic import AtomicFile
from offerodds.signals.catalogue import META_COLUMNS, META_TEXT, VALUE_TEXT, catalogue, template_columns

__all__ = ["Validation", "catalogue_lines", "template_line", "validate_file", "write_template"]

def catalogue_lines() -> list[str]:
    """Every signal: its columns and values, the question that records it, the article's claim
    and section; then the other columns with a meaning."""
    lines = []
    for s in catalogue():
        lines.append(f"{s.name}  [{', '.join(s.columns)}: {VALUE_TEXT[s.kind]}; direction {s.direction}]")
        lines.append(f"    ask:   {s.question}")
        lines.append(f"    why:   {s.claim}")
        lines.append(f"    cites: {s.section}")
    lines.append("\n  other columns with a meaning (none changes the probability):")
    for column in META_COLUMNS:
        lines.append(f"  {column}: {META_TEXT[column].replace('`', '')}")
    return lines


def template_line() -> str:
    """The header of the CSV to fill in, with its newline."""
    return ",".join(template_columns()) + "\n"


def write_template(path) -> Path:
    """Write the blank template to ``path`` (a .csv); a file that holds data is refused."""
    line = template_line()
    target = Path(path)
    if target.suffix.lower() != ".csv":
        raise InputError(f"the template is a CSV file: name it with .csv, not {path}")
    if target.is_file() and target.stat().st_size and target.read_bytes() != line.encode():
        raise InputError(f"{target} exists and holds data; the template is a blank file: choose a new name")
    with AtomicFile(target) as tmp:
        tmp.write_text(line, encoding="utf-8")
    return target


# --- validate -----------------------------------------------------------------------------------


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
    from offerodds.files.reading import iter_validated, open_table  # pandas: only to validate
    from offerodds.signals.printable import printable
    from offerodds.usecases._score import CHUNK_ROWS

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
