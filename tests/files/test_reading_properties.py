"""Properties of reading and validation (hypothesis): whatever the cells, headers, encoding,
delimiter, quoting and line endings of a well-formed CSV file, the reader never crashes and
never loses a row (every row read is scored or rejected, with its exact cells), every
rejection names its row and reason, and a warning about a quote names the line it opens on.

The files are written the way RFC 4180 says (a cell holding the delimiter, a quote or a line
break is quoted, quotes doubled), not with Python's csv module: with ``lineterminator="\\n"``
it leaves a bare carriage return unquoted, which every reader, pyarrow and Python's own
included, reads as a line break.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import offerodds
from offerodds.usecases import iter_scored
from offerodds.files.reading import InputError, open_table
from offerodds.signals.catalogue import META_COLUMNS, input_columns
from offerodds.signals.headers import normalise_header
from offerodds.signals.validation import validate

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
KNOWN = set(input_columns()) | set(META_COLUMNS)
SIGNAL_HEADERS = {  # canonical -> ways people write it
    "engagement": ["engagement", "Engagement", " ENGAGEMENT "],
    "eye_contact": ["eye_contact", "Eye Contact", "eye-contact"],
    "hurried": ["hurried", "Hurried"],
    "stage": ["stage", "Stage"],
    "scheduled_minutes": ["scheduled_minutes", "Scheduled Minutes"],
    "actual_minutes": ["actual_minutes", "actual-minutes"],
    "interview_id": ["interview_id", "Interview ID"],
    "interview_date": ["interview_date", "Interview Date"],
}
SIGNALISH = [  # values that exercise validation: good, bad, odd
    "", " ", "1", "5", "3.5", "7", "0", "-1", "1e0", "yes", "No", "Y", "t", "maybe", "screen",
    "Final", "semi", "60", "1441", "2026-01-02", "02/01/2026", "N/A", "=HYPERLINK(\"x\")",
    "+cmd|' /C calc'!A0", "@SUM(A1)", "\t4", "4\r", '"', '""', "a,b", "a;b", "a\tb",
    "line\nbreak", "cr\rlf\r\n", "-", "+1", "\u00e9t\u00e9", "\u4e2d", "\U0001f600",
]
# any character a text can hold in a file: no NUL (a binary file), no lone surrogate
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12)
ENCODINGS = [  # (how the file is written, what the user passes)
    ("utf-8", None),
    ("utf-8-sig", None),
    ("utf-16", None),
    ("utf-32", None),
    ("utf-16-le", "utf-16-le"),
    ("cp1252", "cp1252"),
]
LINE_BREAK = re.compile(r"\r\n|\r|\n")


def held(text: str, codec: str) -> str:
    """The text as a file in ``codec`` holds it (cp1252 cannot hold every character)."""
    return text.encode(codec, "replace").decode(codec) if codec == "cp1252" else text


def other_header(text: str) -> bool:
    """A passthrough header: means no known column, and pyarrow keeps it as written."""
    return bool(text.strip()) and normalise_header(text) not in KNOWN and "\ufeff" not in text


@st.composite
def csv_files(draw, header_text=TEXT):
    signals = draw(st.lists(st.sampled_from(sorted(SIGNAL_HEADERS)), min_size=1, max_size=4, unique=True))
    if not set(signals) & set(input_columns()):
        signals.append("engagement")
    encoding = draw(st.sampled_from(ENCODINGS))
    headers = [draw(st.sampled_from(SIGNAL_HEADERS[s])) for s in signals]
    others = draw(st.lists(header_text.map(lambda h: held(h, encoding[0])).filter(other_header), max_size=3))
    headers += [h for h in dict.fromkeys(others) if h not in headers]
    order = draw(st.permutations(range(len(headers))))
    headers = [headers[i] for i in order]
    cell = st.one_of(st.sampled_from(SIGNALISH), TEXT)
    rows = draw(st.lists(st.lists(cell, min_size=len(headers), max_size=len(headers)), max_size=25))
    return {
        "headers": headers,
        "rows": rows,
        "delimiter": draw(st.sampled_from([",", ";", "\t"])),
        "quote_all": draw(st.booleans()),
        "newline": draw(st.sampled_from(["\n", "\r\n", "\r"])),
        "encoding": encoding,
        "final_newline": draw(st.booleans()),
        "blank_lines": draw(st.lists(st.integers(0, 30), max_size=3)),
        "chunk_rows": draw(st.integers(1, 8)),
    }


def _quote(cell: str, delimiter: str, quote_all: bool) -> str:
    if quote_all or any(c in cell for c in (delimiter, '"', "\r", "\n")):
        return '"' + cell.replace('"', '""') + '"'
    return cell


def write_csv(spec: dict, path: Path) -> tuple[list[str], list[list[str]], dict]:
    """Write the file; returns the headers and rows as the file holds them (cp1252 cannot
    hold every character) and, per (row, column), the line each cell starts on."""
    codec, _ = spec["encoding"]
    headers = [held(h, codec) for h in spec["headers"]]
    rows = [[held(c, codec) for c in row] for row in spec["rows"]]
    d, nl, quote_all = spec["delimiter"], spec["newline"], spec["quote_all"]
    lines_out, starts, line = [], {}, 1
    blanks = set(spec["blank_lines"])

    def add(cells: list[str], row: int | None) -> None:
        nonlocal line
        text = d.join(_quote(c, d, quote_all) for c in cells)
        if len(cells) == 1 and cells[0] == "":
            text = '""'  # a lone empty cell, not an empty line
        at = line
        for j, c in enumerate(cells):
            if row is not None:
                starts[(row, j)] = at
            at += len(LINE_BREAK.findall(c))
        lines_out.append(text)
        line += len(LINE_BREAK.findall(text)) + 1

    add(headers, None)
    for i, row in enumerate(rows, start=1):
        if i in blanks:  # an empty line is not a row
            lines_out.append("")
            line += 1
        add(row, i)
    text = nl.join(lines_out)
    if spec["final_newline"] or not rows:
        text += nl
    path.write_bytes(text.encode(codec))
    return headers, rows, starts


def _read_back(path: Path, spec: dict):
    table = open_table(path, encoding=spec["encoding"][1])
    chunks = list(table.chunks(spec["chunk_rows"]))
    return table, chunks


@SETTINGS
@given(spec=csv_files())
def test_every_row_is_read_with_its_exact_cells(spec):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interviews.csv"
        headers, rows, starts = write_csv(spec, path)
        table, chunks = _read_back(path, spec)
        assert table.headers == headers
        got = pd.concat(chunks, ignore_index=True)
        assert len(got) == len(rows)
        assert got.astype(object).values.tolist() == rows if rows else got.empty
        for notice in table.notices:  # a warning names the line its quote opens on
            j = headers.index(notice.column)
            assert notice.line == starts[(notice.row, j)]
            assert "\r" in rows[notice.row - 1][j] or "\n" in rows[notice.row - 1][j]


@SETTINGS
@given(spec=csv_files())
def test_every_row_is_scored_or_rejected_naming_row_and_reason(spec, card):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interviews.csv"
        _, rows, _ = write_csv(spec, path)
        table = open_table(path, encoding=spec["encoding"][1])
        scored = rejected = 0
        for chunk in iter_scored(table, card, chunk_rows=spec["chunk_rows"]):
            valid = chunk.checked.valid
            problems = chunk.checked.problems
            n = len(valid)
            assert len(chunk.frame) == n
            scored += int(valid.sum())
            rejected += int((~valid).sum())
            errors = problems[problems["severity"] == "error"]
            rows_named = set(errors["row"].tolist())
            bad_rows = {chunk.first_row + i for i in np.flatnonzero(~valid)}
            assert rows_named == bad_rows  # a rejection names its row; no error for a good row
            assert problems["row"].between(chunk.first_row, chunk.first_row + n - 1).all()
            assert problems["reason"].map(lambda r: isinstance(r, str) and r != "").all()
            assert set(problems["severity"]) <= {"error", "warning"}
            probability = chunk.frame["offer_probability"].to_numpy(dtype=float)
            assert np.isfinite(probability[valid]).all() and np.isnan(probability[~valid]).all()
        assert scored + rejected == len(rows)


@SETTINGS
@given(spec=csv_files(header_text=st.text(st.sampled_from("ab ,;\t\"'=-\n\r\u00e9"), min_size=1, max_size=6)))
def test_headers_holding_delimiters_quotes_and_line_breaks(spec):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "interviews.csv"
        headers, rows, _ = write_csv(spec, path)
        others = {",", ";", "\t"} - {spec["delimiter"]}
        try:
            table, chunks = _read_back(path, spec)
        except InputError as error:  # refused in one line, never a crash
            assert "\n" not in str(error)
            assert any(c in h for h in headers for c in others), "a file without doubt refused"
            return
        got = pd.concat(chunks, ignore_index=True)
        assert len(got) == len(rows)  # never a row lost
        if not any(c in h for h in headers for c in others):
            # the header says which delimiter it is: everything exactly as written
            assert table.headers == headers
            assert got.astype(object).values.tolist() == rows if rows else got.empty


CELL_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 2000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(SIGNALISH),
    TEXT,
)


@SETTINGS
@given(
    columns=st.lists(st.sampled_from(sorted(set(input_columns()) | {"interview_id", "notes"})), min_size=1, max_size=6, unique=True),
    data=st.data(),
)
def test_any_frame_of_any_values_is_scored_or_rejected(columns, data):
    if not set(columns) & set(input_columns()):
        columns = [*columns, "engagement"]
    n = data.draw(st.integers(0, 20))
    frame = pd.DataFrame({c: data.draw(st.lists(CELL_VALUES, min_size=n, max_size=n)) for c in columns}, dtype=object)
    out = offerodds.score(frame, model=offerodds.rules())
    assert len(out) == n
    errors = out["error"].fillna("")
    probability = out["offer_probability"].to_numpy(dtype=float)
    assert (np.isfinite(probability) == (errors == "").to_numpy()).all()
    checked = validate(frame, {c: c for c in columns})
    errors = checked.problems[checked.problems["severity"] == "error"]
    assert set(errors["row"]) == {i + 1 for i in np.flatnonzero(~checked.valid)}
    assert (checked.problems["reason"] != "").all()
