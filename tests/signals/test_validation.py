"""Tests for offerodds.signals.validation: typing raw rows and reporting bad cells."""


import numpy as np
import pandas as pd
import pytest

from offerodds.signals.catalogue import STAGES, column_kinds, input_columns
from offerodds.files.reading import open_table
from offerodds.signals.validation import reasons_by_row, validate

SCALE = "a scale must be a number from 1 to 5"
YESNO = "expected yes or no (yes/no, y/n, true/false, t/f, 1/0)"
MINUTES = "minutes must be more than 0 and at most 1440"
STAGE = "stage must be one of screen, first, final, other"
UNREADABLE = "not a date offerodds can read; write it as YYYY-MM-DD (2026-03-10)"
NOT_A_NUMBER = "not a number"


def _text_frame(columns: dict) -> pd.DataFrame:
    """Raw rows as a CSV gives them: every cell a string."""
    return pd.DataFrame(columns, dtype="str")


def _colmap(frame: pd.DataFrame) -> dict:
    from offerodds.signals.headers import match_columns

    return match_columns(list(frame.columns))


@pytest.mark.parametrize(
    "header, canonical, good, bad, typed_good, reason",
    [
        ("Eye Contact", "eye_contact", "4", "7", 4.0, SCALE),
        ("eye_contact", "eye_contact", " 3.5 ", "0", 3.5, SCALE),
        ("enthusiasm", "enthusiasm", "5", "very", 5.0, NOT_A_NUMBER),
        ("Hurried", "hurried", " Yes ", "maybe", 1.0, YESNO),
        ("distracted", "distracted", "F", "2", 0.0, YESNO),
        ("Actual Minutes", "actual_minutes", "45", "-5", 45.0, MINUTES),
        ("actual_minutes", "actual_minutes", "1440", "2000", 1440.0, MINUTES),
        ("scheduled-minutes", "scheduled_minutes", "60", "0", 60.0, MINUTES),
        ("scheduled_minutes", "scheduled_minutes", "60", "ten", 60.0, NOT_A_NUMBER),
        ("Stage", "stage", " Final ", "onsite", "final", STAGE),
    ],
)
def test_each_bad_value_rejects_exactly_its_row(header, canonical, good, bad, typed_good, reason):
    raw = _text_frame(
        {
            "Interview ID": ["a", "b", "c"],
            "engagement": ["4", "4", "2"],
            header: [good, bad, ""],
            "notes": ["x", "y", "z"],
        }
    )
    result = validate(raw, _colmap(raw))
    assert result.valid.tolist() == [True, False, True]
    errors = result.problems[result.problems["severity"] == "error"]
    assert errors.to_dict("records") == [
        {"row": 2, "interview_id": "b", "column": header, "value": bad, "reason": reason, "severity": "error"}
    ]
    assert result.typed["engagement"].tolist() == [4.0, 4.0, 2.0]
    if canonical in input_columns():
        column = result.typed[canonical]
        assert pd.isna(column[1]) and pd.isna(column[2])  # invalid -> NaN, empty -> NaN
        assert column[0] == typed_good


@pytest.mark.parametrize(
    "header, text, reason",
    [
        ("interview_date", "31/12/25", UNREADABLE),
        ("Expected Response Date", "soon", UNREADABLE),
        ("interview_date", "03/10/2026", "day and month could be either way round (3 October or 10 March); "
         "write it as YYYY-MM-DD"),
    ],
)
def test_a_date_that_cannot_be_read_is_a_warning_and_the_row_is_scored(card, header, text, reason):
    raw = _text_frame({"interview_id": ["a", "b"], "engagement": ["5", "5"], header: ["2026-03-10", text]})
    result = validate(raw, _colmap(raw))
    assert result.valid.tolist() == [True, True]
    assert result.problems.to_dict("records") == [
        {"row": 2, "interview_id": "b", "column": header, "value": text, "reason": reason, "severity": "warning"}
    ]
    assert reasons_by_row(result.problems, 2).tolist() == ["", ""]  # warnings reject nothing
    import offerodds

    scored = offerodds.score(raw, model=card)
    assert scored["offer_probability"].notna().all() and (scored["error"] == "").all()
    assert scored.loc[0, "offer_probability"] == scored.loc[1, "offer_probability"]


@pytest.mark.parametrize(
    "text",
    ["2026-03-10", "2026-03-10T09:00", "2026-03-10 09:00", "2026/03/10", "10 March 2026", "10 Mar 2026",
     "March 10, 2026", "Tuesday 10 March 2026", "10-Mar-2026", "10/03/2026 ".replace("10/03", "25/03"),
     "03/25/2026", "03/03/2026", "2026-03-10T09:00+01:00"],
)
def test_common_unambiguous_dates_are_read(text):
    raw = _text_frame({"engagement": ["4"], "interview_date": [text]})
    assert validate(raw, _colmap(raw)).problems.empty


@pytest.mark.parametrize(
    "cells, warned",
    [
        ({"actual_minutes": "45"}, "actual_minutes without scheduled_minutes"),
        ({"scheduled_minutes": "60"}, "scheduled_minutes without actual_minutes"),
        ({"actual_minutes": "45", "scheduled_minutes": ""}, "actual_minutes without scheduled_minutes"),
    ],
)
def test_minutes_that_cannot_be_compared_are_a_warning_and_leave_the_length_out(card, cells, warned):
    raw = _text_frame({"interview_id": ["x"], "selling": ["4"], **{k: [v] for k, v in cells.items()}})
    result = validate(raw, _colmap(raw))
    assert result.valid.tolist() == [True]
    (problem,) = result.problems.to_dict("records")
    assert problem["severity"] == "warning" and problem["reason"].startswith(warned)
    assert problem["value"] == next(v for v in cells.values() if v)
    import offerodds

    scored = offerodds.score(raw, model=card).iloc[0]
    assert scored["contrib_interview_length"] == 0.0 and scored["signals_recorded"] == 1
    assert scored["offer_probability"] == offerodds.score({"selling": 4}, model=card).loc[0, "offer_probability"]


def test_an_error_in_one_minutes_cell_is_not_also_a_warning_about_the_other():
    raw = _text_frame({"scheduled_minutes": ["60"], "actual_minutes": ["-5"]})
    result = validate(raw, _colmap(raw))
    assert result.problems["severity"].tolist() == ["error"] and result.valid.tolist() == [False]


def test_a_row_with_two_problems_gives_two_lines_in_column_order():
    raw = _text_frame(
        {
            "interview_id": ["ok", "twice"],
            "stage": ["first", "onsite"],
            "eye_contact": ["3", "9"],
        }
    )
    result = validate(raw, _colmap(raw))
    assert result.valid.tolist() == [True, False]
    problems = result.problems
    assert problems["row"].tolist() == [2, 2]
    assert problems["column"].tolist() == ["stage", "eye_contact"]  # input order, not catalogue
    assert problems["interview_id"].tolist() == ["twice", "twice"]
    reasons = reasons_by_row(problems, 2)
    assert reasons.tolist() == [
        "",
        f"stage: {STAGE} (got 'onsite'); eye_contact: {SCALE} (got '9')",
    ]


def test_problems_are_sorted_by_row_then_column():
    raw = _text_frame(
        {
            "hurried": ["x", "yes", "x", "no"],
            "rapport": ["1", "6", "6", "6"],
        }
    )
    problems = validate(raw, _colmap(raw)).problems
    assert list(zip(problems["row"], problems["column"])) == [
        (1, "hurried"),
        (2, "rapport"),
        (3, "hurried"),
        (3, "rapport"),
        (4, "rapport"),
    ]
    assert (problems["interview_id"] == "").all()


@pytest.mark.parametrize(
    "column, values, expected",
    [
        ("eye_contact", [" 4 ", "3.5", "1", "5.0", "+2", "1e0"], [4.0, 3.5, 1.0, 5.0, 2.0, 1.0]),
        ("hurried", ["Yes", " y ", "TRUE", "t", "1", "1.0"], [1.0] * 6),
        ("hurried", ["no", "N", "False", " f", "0", "0.0"], [0.0] * 6),
        ("actual_minutes", ["0.5", "1440", "90"], [0.5, 1440.0, 90.0]),
    ],
)
def test_good_text_values_are_typed(column, values, expected):
    raw = _text_frame({column: values})
    result = validate(raw, _colmap(raw))
    assert result.valid.all() and (result.problems["severity"] == "warning").all()  # minutes alone
    assert result.typed[column].tolist() == expected


def test_stage_is_categorical_over_the_catalogue_stages():
    raw = _text_frame({"stage": [" Final ", "SCREEN", "first", "other", "", None]})
    typed = validate(raw, _colmap(raw)).typed["stage"]
    assert isinstance(typed.dtype, pd.CategoricalDtype)
    assert list(typed.cat.categories) == list(STAGES)
    assert typed.iloc[:4].tolist() == ["final", "screen", "first", "other"]
    assert typed.iloc[4:].isna().all()


@pytest.mark.parametrize("missing", [None, np.nan, "", "   ", "\t"])
def test_missing_values_are_nan_and_valid(missing):
    columns = {c: [missing] for c in ["eye_contact", "hurried", "actual_minutes", "stage"]}
    raw = pd.DataFrame({**columns, "interview_date": [missing]}, dtype=object)
    result = validate(raw, _colmap(raw))
    assert result.valid.tolist() == [True] and result.problems.empty
    assert result.typed.iloc[0].isna().all()


def test_typed_has_every_catalogue_column_and_every_row():
    raw = _text_frame(
        {
            "interview_id": [str(i) for i in range(6)],
            "Eye Contact": ["4", "x", "", "2", "9", "1"],
            "stage": ["final", "", "bad", "first", "", "other"],
        }
    )
    raw.index = [10, 11, 12, 13, 14, 15]  # typed has its own RangeIndex
    result = validate(raw, _colmap(raw))
    typed = result.typed
    assert list(typed.columns) == list(input_columns())
    assert len(typed) == 6 and isinstance(typed.index, pd.RangeIndex) and typed.index.start == 0
    kinds = column_kinds()
    for column in input_columns():
        if kinds[column] == "stage":
            assert isinstance(typed[column].dtype, pd.CategoricalDtype)
        else:
            assert typed[column].dtype == np.float64
    assert typed["engagement"].isna().all()  # absent from the input
    assert result.valid.tolist() == [True, False, False, True, False, True]
    assert len(result.valid) == 6 and result.valid.dtype == bool


def test_frame_values_numbers_and_bools_are_handled():
    raw = pd.DataFrame(
        {
            "interview_id": [1.0, 2.0, 3.0, 4.0, None],
            "eye_contact": [4, 4.5, np.int64(2), 7.0, None],
            "hurried": [True, False, np.True_, None, False],
            "distracted": [1, 0, 1.0, 2, None],
            "rapport": pd.Series([3, "4", True, 2.0, np.nan], dtype=object),
            "casual_ending": pd.Series(["yes", 0, 1.0, "maybe", None], dtype=object),
            "stage": pd.Categorical(["final", None, "screen", "first", "other"]),
            "interview_date": pd.to_datetime(["2025-01-02", None, "2025-03-04", None, None]),
        }
    )
    before = raw.copy()
    result = validate(raw, _colmap(raw))
    typed = result.typed
    assert typed["eye_contact"].iloc[:3].tolist() == [4.0, 4.5, 2.0]
    assert typed["hurried"].iloc[:3].tolist() == [1.0, 0.0, 1.0] and np.isnan(typed["hurried"][3])
    assert typed["distracted"].iloc[:3].tolist() == [1.0, 0.0, 1.0]
    assert typed["rapport"].iloc[[0, 1, 3]].tolist() == [3.0, 4.0, 2.0]
    assert typed["casual_ending"].iloc[:3].tolist() == [1.0, 0.0, 1.0]
    assert typed["stage"].tolist()[:1] == ["final"]
    problems = result.problems[["row", "column", "value", "interview_id"]]
    assert list(problems.itertuples(index=False, name=None)) == [
        (3, "rapport", "True", "3"),  # a bool is not a number on a scale
        (4, "eye_contact", "7", "4"),
        (4, "distracted", "2", "4"),
        (4, "casual_ending", "maybe", "4"),
    ]
    assert result.valid.tolist() == [True, True, False, False, True]
    pd.testing.assert_frame_equal(raw, before)  # the caller's frame is never written to


def test_first_row_offsets_row_numbers():
    raw = _text_frame({"interview_id": ["p", "q"], "eye_contact": ["6", "3"]})
    result = validate(raw, _colmap(raw), first_row=1001)
    assert result.problems["row"].tolist() == [1001]
    assert reasons_by_row(result.problems, 2, first_row=1001).tolist() == [
        f"eye_contact: {SCALE} (got '6')",
        "",
    ]


def test_no_problem_gives_an_empty_frame_with_the_columns():
    raw = _text_frame({"eye_contact": ["3"]})
    result = validate(raw, _colmap(raw))
    assert list(result.problems.columns) == ["row", "interview_id", "column", "value", "reason", "severity"]
    assert result.problems.empty and result.problems["row"].dtype == np.int64
    assert reasons_by_row(result.problems, 1).tolist() == [""]


def test_zero_rows():
    raw = _text_frame({"eye_contact": []})
    result = validate(raw, _colmap(raw))
    assert result.typed.shape == (0, len(input_columns())) and len(result.valid) == 0


def test_row_numbers_count_data_rows_across_chunks(tmp_path):
    body = [f"id{i},{9 if i in (3, 1500) else 3}" for i in range(1, 2501)]
    lines = ["interview_id,eye_contact", *body]
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(lines) + "\n")
    table = open_table(path)
    rows, ids, n_typed, first = [], [], 0, 1
    for chunk in table.chunks(chunk_rows=1000):
        result = validate(chunk, table.colmap, first_row=first)
        rows += result.problems["row"].tolist()
        ids += result.problems["interview_id"].tolist()
        n_typed += len(result.typed)
        first += len(chunk)
    assert rows == [3, 1500] and ids == ["id3", "id1500"] and n_typed == 2500


def test_reasons_by_row_with_many_problems_per_row():
    raw = _text_frame({c: ["bad", ""] for c in ["hurried", "distracted", "eye_contact"]})
    result = validate(raw, _colmap(raw))
    text = reasons_by_row(result.problems, 2)
    assert text[0].count("; ") == 2 and text[0].startswith("hurried: ") and text[1] == ""


def test_a_million_rows_keep_every_row():
    n = 1_000_000
    rng = np.random.default_rng(3)
    raw = pd.DataFrame(
        {
            "eye_contact": rng.choice(["1", " 2 ", "4.5", "", "9", "x"], n),
            "hurried": rng.choice(["yes", "No", "", "maybe", "1"], n),
        }
    ).astype("str")
    result = validate(raw, _colmap(raw))
    assert len(result.typed) == n
    bad = raw["eye_contact"].isin(["9", "x"]) | raw["hurried"].eq("maybe")
    assert (~result.valid == bad.to_numpy()).all()
