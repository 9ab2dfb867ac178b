"""CSV files as people save them: the encoding (BOMs, UTF-8, or what the user says), the
delimiter and header line, one-line errors that name the line or byte at fault, and a warning
for a quoted cell that swallowed lines shaped like whole rows (a closing quote missing?)."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from offerodds.signals.headers import InputError
from offerodds.signals.validation import PROBLEM_COLUMNS

HEAD_BYTES = 1 << 20  # the header line must fit in the first MiB
SCAN_BLOCK = 1 << 20  # UTF-8 check and pyarrow block size: 1 MiB (pyarrow reads ahead 32 blocks)
DELIMITERS = (",", ";", "\t")  # in order of preference on a tie
BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
MAGIC = (  # binary formats people save by mistake, and what to tell them
    (b"PK\x03\x04", "is a ZIP archive or an Excel workbook, not CSV; save it as CSV (UTF-8)"),
    (b"\xd0\xcf\x11\xe0", "is an Excel 97-2003 workbook, not CSV; save it as CSV (UTF-8)"),
    (b"%PDF", "is a PDF document, not a CSV or Parquet table"),
    (b"\x89PNG", "is a PNG image, not a CSV or Parquet table"),
)


def decode_error(name: str, encoding: str, exc: UnicodeDecodeError) -> InputError:
    bad = exc.object[exc.start : exc.start + 1].hex() if exc.object else "??"
    return InputError(
        f"{name} is not {encoding} text (byte 0x{bad} cannot be decoded); "
        "pass the file's real encoding with --encoding"
    )


def open_csv(path: Path, encoding: str, delimiter: str, headers: list[str]):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    return pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(encoding=encoding, block_size=SCAN_BLOCK),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in headers},
            null_values=[],
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def find_ragged_line(path: Path, encoding: str, delimiter: str) -> tuple[int, int, int] | None:
    """Line number, field count and header field count of the first ragged row, if found."""
    codec = "utf-8-sig" if encoding == "utf8" else encoding
    try:
        with open(path, encoding=codec, errors="replace", newline="") as f:
            reader = csv.reader(f, delimiter=delimiter)
            expected = None
            start = 1
            for row in reader:
                if row and expected is None:
                    expected = len(row)
                elif row and len(row) != expected:
                    return start, len(row), expected
                start = reader.line_num + 1
    except (csv.Error, OSError):
        return None
    return None


def detect_encoding(head: bytes, encoding: str | None, name: str) -> str:
    """The Python codec name to read the file with."""
    if encoding is not None:
        try:
            return codecs.lookup(encoding).name
        except LookupError:
            message = f"unknown encoding {encoding!r} (try utf-8, cp1252 or latin-1)"
            raise InputError(message) from None
    for bom, codec in BOMS:
        if head.startswith(bom):
            return codec
    for magic, what in MAGIC:
        if head.startswith(magic):
            raise InputError(f"{name} {what}")
    if b"\x00" in head[:8192]:
        raise InputError(
            f"{name} looks like a binary file, not CSV text (for UTF-16 text without a "
            "byte-order mark pass --encoding utf-16-le)"
        )
    return "utf-8"


def check_utf8(path: Path, name: str) -> None:
    """Refuse a file that is not valid UTF-8, naming the first bad byte and its line.

    Reads the file once in blocks; never holds more than one block.
    """
    line = 1
    carry = b""
    with open(path, "rb") as f:
        while True:
            block = f.read(SCAN_BLOCK)
            final = not block
            data = carry + block
            try:
                _, consumed = codecs.utf_8_decode(data, "strict", final)
            except UnicodeDecodeError as exc:
                line += data.count(b"\n", 0, exc.start)
                raise InputError(
                    f"{name} is not UTF-8 text (first bad byte 0x{data[exc.start]:02x} on line "
                    f"{line}); save it as UTF-8 or pass --encoding (for example cp1252)"
                ) from None
            line += data.count(b"\n", 0, consumed)
            carry = data[consumed:]
            if final:
                return


def header_line(text: str) -> tuple[str, int | None, str]:
    """Split off the first non-empty line (quotes respected) and sniff its delimiter.

    Returns the line, the index just after it in ``text`` (None when no line end was found)
    and the delimiter: whichever of comma, semicolon and tab occurs most outside quotes,
    unless the first rows after it split into as many fields as the header only at another
    (a header naming a column ``a,b`` in a semicolon file; a file of one column).
    """
    start = 0
    while start < len(text) and text[start] in "\r\n":
        start += 1
    counts = dict.fromkeys(DELIMITERS, 0)
    in_quotes = False
    end = None
    for i in range(start, len(text)):
        ch = text[i]
        if ch == '"':
            in_quotes = not in_quotes
        elif in_quotes:
            continue
        elif ch in counts:
            counts[ch] += 1
        elif ch in "\r\n":
            end = i
            break
    line = text[start:] if end is None else text[start:end]
    best = max(DELIMITERS, key=lambda d: counts[d])  # first in preference order on a tie
    delimiter = best if counts[best] else ","
    if end is not None:  # the delimiter the first rows agree with, when the header is unsure
        sample = text[end : end + SNIFF_CHARS]
        cut = len(text) > end + SNIFF_CHARS
        consistent = [d for d in DELIMITERS if _same_width(sample, d, counts[d] + 1, cut)]
        if not any(counts.values()):  # one column: any delimiter its cells do not hold
            delimiter = consistent[0] if consistent else delimiter
        elif any(counts[d] for d in consistent):  # the widest header its rows agree with
            delimiter = max((d for d in consistent if counts[d]), key=lambda d: counts[d])
    return line, end, delimiter


SNIFF_CHARS, SNIFF_ROWS = 1 << 16, 100


def _same_width(sample: str, delimiter: str, width: int, cut: bool) -> bool:
    """Whether the first rows of ``sample`` (what follows the header line) all have ``width``
    fields when split at ``delimiter`` (the last row, when ``cut`` short, is not judged)."""
    try:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        rows = [r for r in itertools.islice(reader, SNIFF_ROWS + 1) if r]
    except csv.Error:
        return False
    if cut:
        rows = rows[:-1]
    return bool(rows) and all(len(r) == width for r in rows)


# --- a quote left open ------------------------------------------------------------------------
# A cell quoted over several lines is legal CSV; when those lines are shaped like whole rows of
# the file, a closing quote is probably missing and interviews were read as one cell. Checking
# costs one memchr over each column's text per chunk; only the rare cells with a line break
# are looked at more closely, and only a warning's line number needs a pass over the file.

LINE_BREAK = re.compile(r"\r\n|\r|\n")
VALUE_CHARS = 60  # how much of the cell a warning quotes


@dataclass
class QuoteNotice:
    """A quoted cell spanning lines shaped like whole rows: kept, and reported as a warning."""

    row: int  # data row (1 = the first after the header)
    interview_id: str
    column: str  # the header, as written
    value: str  # the cell's first line, cut short
    line: int | None  # the file's line where the quote opens
    lines: int  # lines the cell spans
    like_rows: int  # how many of them (after the first) split into as many fields as the header

    @property
    def reason(self) -> str:
        """For the problems file."""
        where = f"on line {self.line}" if self.line is not None else "in this row"
        return (
            f"warning, row kept: the quote that opens {where} runs over {self.lines} lines, "
            f"{self.like_rows} of them shaped like whole rows, all read into this one cell; "
            "is a closing quote missing?"
        )

    def message(self, name: str) -> str:
        """For a person: names the file, the line, the row and the column."""
        where = f"line {self.line}" if self.line is not None else f"row {self.row}"
        return (
            f"{name} {where}: a quote opens in column {self.column!r} (row {self.row}) and runs "
            f"over {self.lines} lines, {self.like_rows} of them shaped like whole rows, read as "
            "one cell; is a closing quote missing?"
        )


def notice_lines(notices) -> pd.DataFrame:
    """Warnings as lines of the problems file (``severity`` ``warning`` where it has one)."""
    rows = [
        {
            **dict.fromkeys(PROBLEM_COLUMNS, ""),
            "row": n.row,
            "interview_id": n.interview_id,
            "column": n.column,
            "value": n.value,
            "reason": n.reason,
            **({"severity": "warning"} if "severity" in PROBLEM_COLUMNS else {}),
        }
        for n in notices
    ]
    frame = pd.DataFrame(rows, columns=list(PROBLEM_COLUMNS))
    return frame.astype({"row": "int64"})


def _has_break(array) -> bool:
    """Whether any value of a pyarrow string array may hold a line break (fast, may say yes
    for bytes outside a sliced array; :func:`spanning_cells` checks those exactly)."""
    data = array.buffers()[2] if array.null_count < len(array) else None
    if data is None or data.size == 0:
        return False
    raw = data.to_pybytes()
    return raw.find(b"\n") >= 0 or raw.find(b"\r") >= 0


def _fields(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return line.count(delimiter) + 1


def spanning_cells(table, n_fields: int, delimiter: str) -> list[tuple[int, int, str, int, int]]:
    """Cells of a pyarrow table of strings that span lines shaped like whole rows:
    (row index, column index, text, lines spanned, lines shaped like a row)."""
    import pyarrow.compute as pc

    found = []
    for j, column in enumerate(table.columns):
        base = 0
        for array in column.chunks:
            if _has_break(array):
                mask = pc.or_(pc.match_substring(array, "\n"), pc.match_substring(array, "\r"))
                for i in pc.indices_nonzero(pc.fill_null(mask, False)).to_pylist():
                    text = array[i].as_py()
                    lines = LINE_BREAK.split(text)
                    if len(lines) > 1 and not lines[-1]:  # the line break that ends the file
                        lines.pop()
                    like = sum(_fields(line, delimiter) == n_fields for line in lines[1:])
                    if like:
                        found.append((base + i, j, text, len(lines), like))
            base += len(array)
    return sorted(found)


class LineFinder:
    """The file's line where a data row starts, read with Python's csv module, forward only
    (each call continues where the last stopped: one pass over the file for all warnings)."""

    def __init__(self, path: Path, encoding: str, delimiter: str):
        self._open = (path, "utf-8-sig" if encoding == "utf8" else encoding, delimiter)
        self._file = self._reader = None  # opened when a warning first needs a line
        self._row = -1  # data rows read (-1: the header is still ahead)
        self._last: tuple[int, list[str]] | None = None

    def quote_line(self, row: int, column: int) -> int | None:
        """The line where the cell (data row ``row``, 1-based; ``column`` 0-based) starts."""
        limit = csv.field_size_limit()
        csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a swallowed cell may be long
        try:
            if self._reader is None:
                path, codec, delimiter = self._open
                self._file = open(path, encoding=codec, errors="replace", newline="")  # noqa: SIM115
                self._reader = csv.reader(self._file, delimiter=delimiter)
            while self._row < row:
                start = self._reader.line_num + 1
                fields = next(self._reader)
                if fields:  # pyarrow skips empty lines, and so do the row numbers
                    self._row += 1
                    self._last = (start, fields)
        except (StopIteration, csv.Error, OSError):
            return None
        finally:
            csv.field_size_limit(limit)
        if self._row != row or self._last is None:
            return None
        start, fields = self._last
        before = fields[:column]
        return start + sum(len(LINE_BREAK.findall(f)) for f in before)

    def close(self) -> None:
        if self._file is not None:
            with contextlib.suppress(OSError):
                self._file.close()


def quote_notices(table, first_row: int, headers: list[str], delimiter: str, id_column: str | None, finder: LineFinder) -> list[QuoteNotice]:
    """The :class:`QuoteNotice` of each cell of ``table`` (a chunk whose first row is
    ``first_row``) that spans lines shaped like whole rows."""
    notices = []
    for i, j, text, n_lines, like in spanning_cells(table, len(headers), delimiter):
        ident = ""
        if id_column is not None and id_column in table.column_names:
            ident = table.column(id_column)[i].as_py() or ""
        first = LINE_BREAK.split(text, maxsplit=1)[0]
        value = first if len(first) <= VALUE_CHARS else first[: VALUE_CHARS - 3] + "..."
        line = finder.quote_line(first_row + i, j)
        notices.append(QuoteNotice(first_row + i, ident, table.column_names[j], value, line, n_lines, like))
    return notices


def find_runaway_quote(path: Path, encoding: str, delimiter: str, n_fields: int) -> int | None:
    """The line where the first quoted cell spanning lines shaped like whole rows opens."""
    codec = "utf-8-sig" if encoding == "utf8" else encoding
    limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    try:
        with open(path, encoding=codec, errors="replace", newline="") as f:
            reader = csv.reader(f, delimiter=delimiter)
            start = 1
            for fields in reader:
                for j, field in enumerate(fields):
                    lines = LINE_BREAK.split(field)
                    if len(lines) > 1 and any(_fields(x, delimiter) == n_fields for x in lines[1:]):
                        return start + sum(len(LINE_BREAK.findall(f)) for f in fields[:j])
                start = reader.line_num + 1
    except (csv.Error, OSError):
        return None
    finally:
        csv.field_size_limit(limit)
    return None
