"""Tests for offerodds.files.reading: opening CSV, Parquet, frames and dicts, and chunking them."""

import codecs

import numpy as np
import pandas as pd
import pytest

from offerodds.signals.catalogue import input_columns
from offerodds.files.reading import InputError, Table, open_table
from offerodds.signals.headers import match_columns, normalise_header


def _write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def _rows(table: Table, chunk_rows: int = 100_000) -> pd.DataFrame:
    return pd.concat(list(table.chunks(chunk_rows)), ignore_index=True)


def _one_line_error(source, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        open_table(source, **kwargs)
    message = str(info.value)
    assert "\n" not in message and message.strip() == message and message
    return message


# --- headers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, expected",
    [
        ("  Eye Contact ", "eye_contact"),
        ("EYE-CONTACT", "eye_contact"),
        ("eye_contact", "eye_contact"),
        ("Scheduled Minutes", "scheduled_minutes"),
        ("thank-you  within_24h", "thank_you_within_24h"),
        ("eye__contact", "eye_contact"),
        ("Interview ID", "interview_id"),
    ],
)
def test_normalise_header(header, expected):
    assert normalise_header(header) == expected


def test_match_columns_maps_signals_and_meta_and_skips_others():
    colmap = match_columns(["  Eye Contact ", "Scheduled Minutes", "Interview-ID", "Notes", "comments"])
    assert colmap == {
        "eye_contact": "  Eye Contact ",
        "scheduled_minutes": "Scheduled Minutes",
        "interview_id": "Interview-ID",
        "notes": "Notes",  # a meta column: passed through, read by --from-notes
    }


def test_match_columns_two_headers_for_one_column_names_both():
    with pytest.raises(InputError) as info:
        match_columns(["EYE-CONTACT", "stage", "eye_contact"])
    message = str(info.value)
    assert "'EYE-CONTACT'" in message and "'eye_contact'" in message
    assert "both mean 'eye_contact'" in message


def test_match_columns_without_any_signal_lists_headers_and_points_to_help():
    with pytest.raises(InputError) as info:
        match_columns(["interview_id", "name", "date", "score", "remarks", "extra", "more"])
    message = str(info.value)
    assert "'name'" in message and "..." in message and "'more'" not in message
    assert "offerodds signals" in message and "offerodds template" in message


# --- CSV --------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_sniffed(tmp_path, delimiter):
    d = delimiter
    text = f"interview_id{d}eye_contact{d}note\n007{d}4{d}fine\n008{d}{d}N/A\n"
    table = open_table(_write(tmp_path / "data.csv", text))
    assert table.kind == "csv" and table.n_rows is None
    assert table.headers == ["interview_id", "eye_contact", "note"]
    rows = _rows(table)
    assert rows["interview_id"].tolist() == ["007", "008"]
    assert rows["eye_contact"].tolist() == ["4", ""]
    assert rows["note"].tolist() == ["fine", "N/A"]


def test_csv_delimiters_inside_quotes_do_not_count(tmp_path):
    text = '"a;b;c;d",eye_contact\n"x;y",3\n'
    table = open_table(_write(tmp_path / "q.csv", text))
    assert table.headers == ["a;b;c;d", "eye_contact"]
    assert _rows(table).to_dict("list") == {"a;b;c;d": ["x;y"], "eye_contact": ["3"]}


def test_csv_utf8_bom_and_crlf(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "eye_contact,city\r\n4,Zürich\r\n2,Malmö\r\n".encode())
    table = open_table(path)
    assert table.headers == ["eye_contact", "city"]
    assert table.colmap == {"eye_contact": "eye_contact"}
    rows = _rows(table)
    assert rows.to_dict("list") == {"eye_contact": ["4", "2"], "city": ["Zürich", "Malmö"]}


@pytest.mark.parametrize(
    "bom, codec",
    [
        (b"", "utf-16"),  # Python's utf-16 writes its own BOM
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (b"", "utf-32"),
    ],
)
def test_csv_utf16_and_utf32_with_bom(tmp_path, bom, codec):
    path = tmp_path / "wide.csv"
    path.write_bytes(bom + "stage;note\r\nfinal;café\r\nscreen;naïve\r\n".encode(codec))
    table = open_table(path)
    assert table.headers == ["stage", "note"]
    rows = _rows(table)
    assert rows.to_dict("list") == {"stage": ["final", "screen"], "note": ["café", "naïve"]}


def test_cp1252_refused_naming_file_and_byte_then_read_with_encoding(tmp_path):
    path = tmp_path / "data.csv"
    path.write_bytes("eye_contact,city\n4,Paris\n3,Besançon\n".encode("cp1252"))
    message = _one_line_error(path)
    assert "data.csv is not UTF-8 text" in message
    assert "0xe7" in message and "line 3" in message and "--encoding" in message
    rows = _rows(open_table(path, encoding="cp1252"))
    assert rows["city"].tolist() == ["Paris", "Besançon"]


def test_bad_utf8_far_into_a_file_is_found_with_its_line(tmp_path):
    path = tmp_path / "long.csv"
    good = "".join(f"{i},3\n" for i in range(200_000))  # about 1.6 MB before the bad byte
    path.write_bytes(b"interview_id,eye_contact\n" + good.encode() + b"x,\xff\n")
    message = _one_line_error(path)
    assert "0xff" in message and f"line {200_002}" in message


def test_unknown_encoding_is_an_input_error(tmp_path):
    path = _write(tmp_path / "d.csv", "eye_contact\n4\n")
    assert "unknown encoding 'klingon'" in _one_line_error(path, encoding="klingon")


def test_odd_headers_are_matched_and_kept_as_written(tmp_path):
    text = "  Eye Contact ,Scheduled Minutes,ACTUAL-minutes,Stage\n4,60,45,final\n"
    table = open_table(_write(tmp_path / "odd.csv", text))
    assert table.headers == ["  Eye Contact ", "Scheduled Minutes", "ACTUAL-minutes", "Stage"]
    assert table.colmap == {
        "eye_contact": "  Eye Contact ",
        "scheduled_minutes": "Scheduled Minutes",
        "actual_minutes": "ACTUAL-minutes",
        "stage": "Stage",
    }
    assert list(_rows(table).columns) == table.headers


def test_two_headers_meaning_the_same_column_are_refused(tmp_path):
    path = _write(tmp_path / "dup.csv", "EYE-CONTACT,eye_contact\n4,5\n")
    message = _one_line_error(path)
    assert "dup.csv" in message and "'EYE-CONTACT'" in message and "'eye_contact'" in message


def test_identical_headers_are_refused_naming_the_header(tmp_path):
    path = _write(tmp_path / "same.csv", "eye_contact,notes,notes\n4,a,b\n")
    message = _one_line_error(path)
    assert "'notes'" in message and "more than once" in message


def test_passthrough_columns_are_kept_byte_for_byte(tmp_path):
    text = (
        "interview_id,eye_contact,note,code,blank\n"
        '007,4,N/A,NA,\n'
        '"0012",3,"Smith, J.\nsecond line",null,""\n'
        "1e3,,  spaced  ,NaN,\n"
    )
    rows = _rows(open_table(_write(tmp_path / "pass.csv", text)))
    assert rows["interview_id"].tolist() == ["007", "0012", "1e3"]
    assert rows["note"].tolist() == ["N/A", "Smith, J.\nsecond line", "  spaced  "]
    assert rows["code"].tolist() == ["NA", "null", "NaN"]
    assert rows["blank"].tolist() == ["", "", ""]
    assert rows["eye_contact"].tolist() == ["4", "3", ""]
    assert not rows.isna().any().any()


@pytest.mark.parametrize(
    "text", ["eye_contact,note\n", "eye_contact,note", "eye_contact,note\r\n\r\n"]
)
def test_header_only_file_gives_zero_rows(tmp_path, text):
    table = open_table(_write(tmp_path / "head.csv", text))
    chunks = list(table.chunks())
    assert sum(len(c) for c in chunks) == 0
    assert list(chunks[0].columns) == ["eye_contact", "note"]


def test_ragged_row_is_refused_naming_its_line(tmp_path):
    text = 'eye_contact,note\n4,"two\nlines"\n3,a,b\n2,c\n'
    path = _write(tmp_path / "ragged.csv", text)
    message = _one_line_error(path)
    assert message.startswith(str(path)) and "line 4" in message


def test_ragged_row_after_the_first_block_is_refused_while_reading(tmp_path):
    good = "".join(f"{i % 5 + 1},x\n" for i in range(1_200_000))  # more than one 4 MiB block
    path = _write(tmp_path / "late.csv", "eye_contact,note\n" + good + "3,a,b\n")
    table = open_table(path)
    with pytest.raises(InputError) as info:
        for _ in table.chunks(200_000):
            pass
    message = str(info.value)
    assert "\n" not in message and "late.csv" in message and "line 1200002" in message


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda d: d / "missing.csv", "not found"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.csv", ""), "is empty"),
        (lambda d: _write(d / "blank.csv", "\n\n  \n"), "is empty"),
        (
            lambda d: (d / "pic.png").write_bytes(
                b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
            )
            and d / "pic.png",
            "PNG image",
        ),
        (
            lambda d: (d / "blob.csv").write_bytes(b"\x01\x02\x00\x00\xff" * 50) and d / "blob.csv",
            "binary",
        ),
        (lambda d: _write(d / "data.json", '[{"eye_contact": 4, "stage": "final"}]'), "JSON"),
        (lambda d: _write(d / "notes.csv", "name,date\nAnn,2025-01-02\n"), "no signal column"),
        (lambda d: _write(d / "fake.parquet", "eye_contact\n4\n"), "not a Parquet file"),
    ],
)
def test_file_level_problems_are_one_line_input_errors(tmp_path, make, expected):
    path = make(tmp_path)
    message = _one_line_error(path)
    assert expected in message
    assert str(path) in message


@pytest.mark.parametrize(
    "source, expected",
    [
        (42, "type int"),
        (None, "type NoneType"),
        ([{"eye_contact": 4}, "stage=final"], "item 2 of the list is of type str"),
        ({"name": "Ann"}, "no signal column"),
    ],
)
def test_other_inputs_are_refused(source, expected):
    assert expected in _one_line_error(source)


# --- chunks -----------------------------------------------------------------------------------


def _frame_2500() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    return pd.DataFrame(
        {
            "interview_id": [f"{i:05d}" for i in range(2500)],
            "eye_contact": rng.integers(1, 6, 2500).astype(str),
            "note": [f"note, {i}\nline" if i % 7 == 0 else "" for i in range(2500)],
        }
    )


@pytest.mark.parametrize("kind", ["csv", "parquet", "frame"])
def test_chunks_hold_every_row_once_in_order(tmp_path, kind):
    expected = _frame_2500()
    if kind == "csv":
        source = tmp_path / "many.csv"
        expected.to_csv(source, index=False)
    elif kind == "parquet":
        source = tmp_path / "many.parquet"
        expected.to_parquet(source, index=False, row_group_size=700)
    else:
        source = expected
    table = open_table(source)
    chunks = list(table.chunks(chunk_rows=1000))
    assert [len(c) for c in chunks] == [1000, 1000, 500]
    for c in chunks:
        assert isinstance(c.index, pd.RangeIndex) and c.index.start == 0
        assert list(c.columns) == ["interview_id", "eye_contact", "note"]
    together = pd.concat(chunks, ignore_index=True)
    assert together.astype(object).equals(expected.astype(object))
    assert table.n_rows == (None if kind == "csv" else 2500)


def test_chunks_can_be_read_twice(tmp_path):
    path = tmp_path / "twice.csv"
    _frame_2500().to_csv(path, index=False)
    table = open_table(path)
    first = pd.concat(list(table.chunks(999)), ignore_index=True)
    second = pd.concat(list(table.chunks(2500)), ignore_index=True)
    assert first.equals(second) and len(first) == 2500


def test_chunk_rows_must_be_positive():
    with pytest.raises(ValueError):
        list(open_table({"eye_contact": 4}).chunks(0))


# --- Parquet, frames, dicts --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".parquet", ".pq"])
def test_parquet_round_trip(tmp_path, suffix):
    frame = pd.DataFrame(
        {
            "interview_id": ["007", "008", "009"],
            "Eye Contact": [4.0, np.nan, 2.0],
            "hurried": [True, False, None],
            "stage": ["final", None, "screen"],
        },
        index=[10, 11, 12],
    )
    path = tmp_path / f"data{suffix}"
    frame.to_parquet(path)
    table = open_table(path)
    assert table.kind == "parquet" and table.n_rows == 3
    assert table.headers == ["interview_id", "Eye Contact", "hurried", "stage"]
    assert table.colmap["eye_contact"] == "Eye Contact"
    rows = _rows(table)
    assert isinstance(rows.index, pd.RangeIndex) and rows.index.start == 0
    assert rows["interview_id"].tolist() == ["007", "008", "009"]
    assert rows["Eye Contact"].iloc[[0, 2]].tolist() == [4.0, 2.0]
    assert np.isnan(rows["Eye Contact"][1])
    assert rows["hurried"].tolist()[:2] == [True, False] and pd.isna(rows["hurried"][2])


def test_parquet_under_a_csv_name_is_still_read(tmp_path):
    path = tmp_path / "really_parquet.csv"
    pd.DataFrame({"eye_contact": [3, 4]}).to_parquet(path, index=False)
    table = open_table(path)
    assert table.kind == "parquet" and _rows(table)["eye_contact"].tolist() == [3, 4]


def test_one_dict_is_one_interview():
    table = open_table({"interview_id": "a1", "eye_contact": 4, "hurried": True, "note": None})
    assert table.kind == "frame" and table.n_rows == 1 and table.path is None
    row = _rows(table).iloc[0].to_dict()
    assert row == {"interview_id": "a1", "eye_contact": 4, "hurried": True, "note": None}


def test_list_of_dicts_keeps_order_and_union_of_keys():
    table = open_table([{"eye_contact": 4, "id": "x"}, {"stage": "final", "eye_contact": "5"}])
    rows = _rows(table)
    assert table.headers == ["eye_contact", "id", "stage"] and table.n_rows == 2
    assert rows["eye_contact"].tolist() == [4, "5"]
    assert rows["id"][0] == "x" and pd.isna(rows["id"][1])


def test_frame_values_are_kept_as_given_and_frame_untouched():
    frame = pd.DataFrame(
        {
            "hurried": [True, False, True],
            "eye_contact": [4.5, np.nan, 2.0],
            "note": ["a", None, "c"],
            7: [1, 2, 3],  # a non-text column label
        },
        index=["x", "y", "z"],
    )
    before = frame.copy()
    table = open_table(frame)
    assert table.headers == ["hurried", "eye_contact", "note", "7"]
    rows = _rows(table, chunk_rows=2)
    assert rows["hurried"].dtype == bool and rows["hurried"].tolist() == [True, False, True]
    assert rows["eye_contact"].dtype == np.float64 and np.isnan(rows["eye_contact"][1])
    assert rows["note"][1] is None or pd.isna(rows["note"][1])
    assert rows["7"].tolist() == [1, 2, 3]
    assert frame.equals(before) and list(frame.index) == ["x", "y", "z"]


def test_every_signal_column_of_the_catalogue_is_recognised(tmp_path):
    headers = [c.upper().replace("_", " ") for c in input_columns()]
    text = ",".join(headers) + "\n" + "," * (len(headers) - 1) + "\n"
    path = _write(tmp_path / "all.csv", text)
    table = open_table(path)
    assert sorted(k for k in table.colmap) == sorted(input_columns())


def test_bytes_the_given_encoding_cannot_decode_are_an_input_error(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(b"eye_contact,note\n4,\x81\n")  # 0x81 means nothing in cp1252
    with pytest.raises(InputError) as info:
        list(open_table(path, encoding="cp1252").chunks())
    message = str(info.value)
    assert "\n" not in message and "odd.csv is not cp1252 text" in message and "0x81" in message
