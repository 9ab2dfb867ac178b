"""CSV files as people save them: the encoding (BOMs, UTF-8, or what the user says), the
delimiter and header line, and one-line errors that name the line or byte at fault."""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

from offerodds.signals.headers import InputError

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
    and the delimiter: whichever of comma, semicolon and tab occurs most outside quotes.
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
    return line, end, delimiter
