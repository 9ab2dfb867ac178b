"""``signals`` and ``template``: the catalogue in words and the blank CSV to fill in, both
derived from the catalogue (nothing restates it). Neither loads pandas."""

from __future__ import annotations

from pathlib import Path

from offerodds.errors import InputError
from offerodds.files.atomic import AtomicFile
from offerodds.signals.catalogue import META_COLUMNS, META_TEXT, VALUE_TEXT, catalogue, template_columns

__all__ = ["catalogue_lines", "template_line", "write_template"]


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
