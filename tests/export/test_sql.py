"""``offerodds.to_sql`` run in DuckDB gives what ``offerodds.score`` gives: every feature of the
layout on every signal state, the contributions, log-odds and probability to 1e-9, and the same
problems for the rows it rejects, over text columns and over the types DuckDB infers."""

from __future__ import annotations

import csv
import dataclasses
import itertools

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.export.sql import SQL_COLUMNS, feature_sql, select_sql
from offerodds.signals.catalogue import CONTEXT_SIGNALS, STAGES, catalogue, input_columns, template_columns
from offerodds.signals.encoding import encode, feature_layout
from offerodds.signals.validation import validate

duckdb = pytest.importorskip("duckdb")

pytestmark = pytest.mark.filterwarnings("ignore:row .* the rows are scored on what can be used")

FLOATS = ["offer_probability", "offer_log_odds", "baseline_log_odds",
          *(c for c in SQL_COLUMNS() if c.startswith("contrib_"))]

# the states a person may write, by kind of signal (text as in a CSV), blank first
STATES = {
    "scale": ["", "1", "2", "3", "4", "5", "2.5"],
    "yesno": ["", "yes", "no"],
    "stage": ["", *STAGES],
}
LENGTHS = [("", ""), ("45", ""), ("", "45"), ("60", "30"), ("60", "60"), ("30", "60"), ("30", "90"), ("60", "59")]


def state_rows() -> pd.DataFrame:
    """Every state of every signal, under every answer of the two context questions, and
    random mixtures (so every pair of states meets)."""
    rows = []
    depth = max(len(v) for v in STATES.values())
    for contexts in itertools.product(["", "yes", "no"], repeat=len(CONTEXT_SIGNALS)):
        for k in range(max(depth, len(LENGTHS))):
            row = {}
            for s in catalogue():
                if s.kind == "minutes":
                    row.update(zip(s.columns, LENGTHS[k % len(LENGTHS)]))
                else:
                    values = STATES[s.kind]
                    row[s.name] = values[(k + len(s.name)) % len(values)]
            row.update(zip(CONTEXT_SIGNALS, contexts))
            rows.append(row)
    rng = np.random.default_rng(24)
    for _ in range(300):
        row = {}
        for s in catalogue():
            if s.kind == "minutes":
                row.update(zip(s.columns, LENGTHS[rng.integers(len(LENGTHS))]))
            else:
                row[s.name] = rng.choice(STATES[s.kind])
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(input_columns())).fillna("")
    frame.insert(0, "interview_id", [f"s{i}" for i in range(len(frame))])
    return frame


# cells people write that offerodds reads, and some it rejects (with the row it goes in)
ODD_CELLS = [
    ("engagement", " 4 "), ("engagement", "+4"), ("engagement", "4."), ("engagement", ".5e1"),
    ("engagement", "7"), ("engagement", "0"), ("engagement", "abc"), ("engagement", "4,5"),
    ("selling", "1e400"), ("hurried", "YES"), ("hurried", " y "), ("hurried", "T"), ("hurried", "1.0"),
    ("hurried", "0"), ("hurried", "maybe"), ("hurried", "2"), ("stage", " Final "), ("stage", "onsite"),
    ("scheduled_minutes", "0"), ("scheduled_minutes", "1441"), ("actual_minutes", "1440"),
    ("actual_minutes", "-5"), ("structured_format", "TRUE"), ("inexperienced_interviewer", "perhaps"),
    ("rapport", "it's \\ fine"), ("enthusiasm", "\t3\t"),
]


def odd_rows() -> pd.DataFrame:
    frame = state_rows().head(len(ODD_CELLS) + 1).copy()
    for i, (column, value) in enumerate(ODD_CELLS):
        frame.loc[i, column] = value
    frame.loc[len(ODD_CELLS), ["engagement", "hurried", "stage"]] = ["9", "perhaps", "lunch"]  # three at once
    frame["interview_id"] = [f"odd{i}" for i in range(len(frame))]
    return frame


# every character Python's str.strip() removes (tabs, line breaks, U+001C to U+001F, no-break
# and other Unicode spaces)
SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]


def space_rows() -> pd.DataFrame:
    """For each kind of white space, a row whose cells people padded with it (a rating, a yes, a
    stage, minutes) or hold nothing else (blank), and one more holding only it; and a length of
    1e-310 scheduled minutes (valid, with an infinite ratio: not known, as in Python)."""
    frame = state_rows().head(2 * len(SPACES) + 1).copy()
    for k, ws in enumerate(SPACES):
        frame.loc[2 * k, ["engagement", "hurried", "stage", "scheduled_minutes", "actual_minutes", "rapport"]] = [
            f"{ws}4{ws}", f"yes{ws}", f"{ws}final", f"{ws}45", f"30{ws}", ws]
        frame.loc[2 * k + 1, ["hurried", "structured_format", "enthusiasm", "selling"]] = [ws, f"{ws}{ws}no", f"{ws}3", f"2{ws}"]
    frame.loc[2 * len(SPACES), ["scheduled_minutes", "actual_minutes"]] = ["1e-310", "60"]
    frame["interview_id"] = [f"ws{i}" for i in range(len(frame))]
    return frame


def write(frame: pd.DataFrame, path) -> str:
    frame.to_csv(path, index=False)
    return str(path)


def run(sql: str) -> pd.DataFrame:
    con = duckdb.connect()
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def assert_like_score(got: pd.DataFrame, expected: pd.DataFrame, floats=FLOATS) -> None:
    """Row by row (the SQL keeps the order), every float to 1e-9, the same rows rejected with
    the same problems."""
    assert len(got) == len(expected)
    assert got["interview_id"].astype(str).tolist() == expected["interview_id"].astype(str).tolist()
    assert got["error"].tolist() == expected["error"].fillna("").astype(str).tolist()
    for column in floats:
        a = got[column].to_numpy(dtype=float, na_value=np.nan)
        b = expected[column].to_numpy(dtype=float, na_value=np.nan)
        assert np.array_equal(np.isnan(a), np.isnan(b)), column
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-9, err_msg=column)
    valid = expected["error"].fillna("") == ""
    assert (got.loc[valid.to_numpy(), "signals_recorded"].astype(int).tolist()
            == expected.loc[valid, "signals_recorded"].astype(int).tolist())
    assert got.loc[~valid.to_numpy(), "offer_probability"].isna().all()


@pytest.fixture(scope="module")
def learned():
    from offerodds.synthetic import generate

    return offerodds.fit(generate(400, seed=24))


def test_every_feature_of_the_layout_is_the_python_feature_on_every_state():
    """The definitions the SQL is generated from give, feature by feature, what
    ``signals.encoding.encode`` gives the Python scorer."""
    raw = state_rows()
    typed = validate(raw, {c: c for c in raw.columns}).typed
    expected = encode(typed)
    names, _ = feature_layout()
    values = pd.DataFrame({f"_oo_v_{c}": typed[c].astype(object if c == "stage" else float) for c in input_columns()})
    values["_oo_v_stage"] = typed["stage"].astype("string")
    con = duckdb.connect()
    con.register("typed_values", values)
    sql = "SELECT " + ", ".join(f"{feature_sql(n)} AS f{i}" for i, n in enumerate(names)) + " FROM typed_values"
    got = con.execute(sql).fetchnumpy()
    assert len(names) == expected.shape[1]
    for i, name in enumerate(names):
        np.testing.assert_array_equal(got[f"f{i}"], expected[:, i], err_msg=name)


def test_a_feature_the_export_does_not_know_is_an_error():
    with pytest.raises(ValueError, match="does not know the feature 'engagement\\*lunch'"):
        feature_sql("engagement*lunch")


@pytest.mark.parametrize("model", ["rules", "learned"])
def test_duckdb_over_text_gives_what_score_gives(model, learned, tmp_path):
    scorer = offerodds.rules() if model == "rules" else learned
    frame = pd.concat([state_rows(), odd_rows()], ignore_index=True)
    path = write(frame, tmp_path / "interviews.csv")
    expected = offerodds.score(path, model=scorer)
    sql = offerodds.to_sql("duckdb", f"read_csv('{path}', all_varchar=true)", model=scorer)
    got = run(sql)
    assert list(got.columns) == SQL_COLUMNS()
    assert_like_score(got, expected)
    assert (got["error"] != "").sum() == 13 + 1  # 13 of the odd cells are rejected, and the row of three
    assert "engagement: a scale must be a number from 1 to 5 (got '9'); hurried: expected yes or no" in got["error"].iloc[-1]


@pytest.mark.parametrize("model", ["rules", "every_term"])
def test_duckdb_strips_every_kind_of_white_space_as_score_does(model, tmp_path):
    """A cell padded with a no-break space, a line separator or U+001F reads as ``offerodds
    score`` reads it (str.strip()); one holding only such space is blank; and minutes whose ratio
    is infinite leave the length not known, as in Python."""
    scorer = offerodds.rules() if model == "rules" else with_every_kind_of_term()
    path = tmp_path / "interviews.csv"
    space_rows().to_csv(path, index=False, quoting=csv.QUOTE_ALL)  # pandas leaves a lone \r unquoted
    expected = offerodds.score(path, model=scorer)
    assert (expected["error"].fillna("") == "").all()  # every one of them reads
    assert_like_score(run(offerodds.to_sql("duckdb", f"read_csv('{path}', all_varchar=true)", model=scorer)), expected)


def test_the_interval_stays_in_python(learned):
    """A learned model's interval is not in the SQL (docs/scale.md says why); nothing claims it."""
    sql = offerodds.to_sql("duckdb", "(SELECT '5' AS selling)", model=learned)
    assert "offer_probability_low" not in sql and list(run(sql).columns) == SQL_COLUMNS()


def test_duckdb_over_inferred_types_gives_what_score_gives(tmp_path):
    """DuckDB's own reading: whole numbers as BIGINT, 2.5 as DOUBLE, true/false as BOOLEAN."""
    from offerodds.synthetic import generate

    frame = generate(2000, seed=7)
    for column in ("distracted", "hurried", "casual_ending"):  # booleans as a reader infers them
        frame[column] = frame[column].map({"yes": "true", "no": "false"})
    frame.loc[3, "engagement"] = 7
    frame["scheduled_minutes"] = frame["scheduled_minutes"].astype(float)
    frame.loc[5, "scheduled_minutes"] = 2.5
    frame.loc[6, "hurried"] = None
    path = write(frame, tmp_path / "typed.csv")
    con = duckdb.connect()
    con.execute(f"CREATE TABLE interviews AS FROM read_csv('{path}')")
    kinds = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE interviews)").fetchall())
    assert kinds["engagement"] == "BIGINT" and kinds["hurried"] == "BOOLEAN" and kinds["scheduled_minutes"] == "DOUBLE"
    got = con.execute(offerodds.to_sql("duckdb", "interviews", model=offerodds.rules())).df()
    expected = offerodds.score(path, model=offerodds.rules())
    assert_like_score(got, expected)
    assert got.loc[3, "error"] == "engagement: a scale must be a number from 1 to 5 (got '7')"


def test_a_missing_column_is_not_recorded(tmp_path):
    frame = pd.DataFrame({"Interview_ID": ["a", "b"], "selling": ["5", "2"], "STAGE": ["final", ""],
                          "notes": ["x", "y"]})
    path = write(frame, tmp_path / "few.csv")
    expected = offerodds.score(path, model=offerodds.rules())
    got = run(offerodds.to_sql("duckdb", f"read_csv('{path}', all_varchar=true)", model=offerodds.rules()))
    assert_like_score(got, expected.rename(columns={"Interview_ID": "interview_id"}))
    # with the columns named, Spark's query needs none of the others either
    sql = offerodds.to_sql("spark", "few", model=offerodds.rules(), columns=list(frame.columns))
    assert "`hurried`" not in sql.split("FROM few")[0].split("AS src")[0][-200:]


def test_problems_follow_the_order_of_the_columns(tmp_path):
    frame = pd.DataFrame({"interview_id": ["a"], "stage": ["lunch"], "engagement": ["9"]})
    path = write(frame, tmp_path / "order.csv")
    expected = offerodds.score(path, model=offerodds.rules())["error"].iloc[0]
    source = f"read_csv('{path}', all_varchar=true)"
    got = run(offerodds.to_sql("duckdb", source, model=offerodds.rules(), columns=list(frame.columns)))
    assert got["error"].iloc[0] == expected and expected.startswith("stage:")


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="dialect must be one of duckdb, spark"):
        offerodds.to_sql("postgres", model=offerodds.rules())
    with pytest.raises(ValueError, match="table must name a table"):
        offerodds.to_sql("duckdb", " ", model=offerodds.rules())


def test_the_default_is_what_score_serves(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert offerodds.to_sql() == select_sql(offerodds.rules(), "duckdb", "interviews")
    assert "the rule card rules-1" in offerodds.to_sql().splitlines()[0]


def test_the_template_is_a_table_the_query_reads(tmp_path):
    path = tmp_path / "template.csv"
    path.write_text(",".join(template_columns()) + "\n" + ",".join("" for _ in template_columns()) + "\n")
    got = run(offerodds.to_sql("duckdb", f"read_csv('{path}', all_varchar=true)", model=offerodds.rules()))
    assert got["error"].tolist() == [""] and got["signals_recorded"].tolist() == [0]


def test_the_sql_command_writes_what_duckdb_runs(tmp_path, capsys):
    from offerodds.cli.main import main

    path = write(state_rows(), tmp_path / "interviews.csv")
    target = tmp_path / "score.sql"
    table = f"read_csv('{path}', all_varchar=true)"
    assert main(["sql", "--dialect", "duckdb", "--table", table, "-o", str(target), "--workspace", str(tmp_path)]) == 0
    assert "the rule card rules-1" in capsys.readouterr().err  # which scorer, and why, is said
    got = run(target.read_text().rstrip().rstrip(";"))
    assert_like_score(got, offerodds.score(path, model=offerodds.rules()))
    assert main(["sql", "--dialect", "spark", "--rules"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("-- offerodds, the rule card rules-1") and "FROM interviews AS src" in out


def with_every_kind_of_term():
    """The rule card with a blank effect, a length shape, a stage pair and a signal pair of
    each kind of value (scale, yes/no, length), with weights of both signs."""
    from offerodds.signals.terms import blank_terms, length_terms

    terms = (
        blank_terms()[0], blank_terms()[3], length_terms()[1], length_terms()[5],
        "workspace_tour x stage=final", "engagement x stage=screen",
        "engagement x hurried", "rapport x interview_length", "hurried x timeline_given",
    )
    weights = np.array([-0.41, 0.23, 0.37, -0.52, 0.61, -0.29, 0.44, -0.33, 0.19])
    return dataclasses.replace(offerodds.rules(), terms=terms, term_coef=weights)


def test_a_learned_models_extra_terms_give_in_sql_what_they_give_in_python(tmp_path):
    """Blank effects, the length shape, stage pairs and signal pairs are computed by the SQL
    from their definitions (a pair's half to each signal), never dropped."""
    scorer = with_every_kind_of_term()
    path = write(pd.concat([state_rows(), odd_rows()], ignore_index=True), tmp_path / "interviews.csv")
    expected = offerodds.score(path, model=scorer)
    got = run(offerodds.to_sql("duckdb", f"read_csv('{path}', all_varchar=true)", model=scorer))
    assert_like_score(got, expected)
    plain = offerodds.score(path, model=offerodds.rules())
    moved = ~np.isclose(expected["offer_log_odds"].to_numpy(dtype=float, na_value=np.nan),
                        plain["offer_log_odds"].to_numpy(dtype=float, na_value=np.nan))
    assert moved.sum() > len(expected) // 2  # the terms count in these rows


def test_a_fitted_model_with_terms_gives_in_sql_what_score_gives(learned, tmp_path):
    assert learned.terms  # a fitted model has at least its blank effects
    path = write(state_rows(), tmp_path / "interviews.csv")
    got = run(offerodds.to_sql("duckdb", f"read_csv('{path}', all_varchar=true)", model=learned))
    assert_like_score(got, offerodds.score(path, model=learned))


def test_header_variants_are_read_when_the_columns_are_given(tmp_path):
    """"Eye Contact" and "Interview Id" mean eye_contact and interview_id, as in `offerodds
    score`; a header that only looks like a column is warned about, never read silently as
    not recorded."""
    frame = pd.DataFrame({"Interview Id": ["a", "b"], "Eye Contact": ["5", "1"], "next-steps explained": ["yes", "no"],
                          "Stage": ["final", "screen"], "Enthusiam": ["5", "5"]})
    path = write(frame, tmp_path / "variants.csv")
    with pytest.warns(UserWarning, match="'Enthusiam' is not read: did you mean 'enthusiasm'"):
        expected = offerodds.score(path, model=offerodds.rules())
    with pytest.warns(UserWarning, match="'Enthusiam' is not read: did you mean 'enthusiasm'"):
        sql = offerodds.to_sql("duckdb", f"read_csv('{path}', all_varchar=true)", model=offerodds.rules(),
                               columns=list(frame.columns))
    got = run(sql)
    assert_like_score(got, expected.rename(columns={"Interview Id": "interview_id"}))
    assert got["signals_recorded"].tolist() == [3, 3]  # eye contact, next steps, the stage


def test_the_sql_command_reads_the_columns_of_a_file(tmp_path, capsys):
    from offerodds.cli.main import main

    frame = pd.DataFrame({"Interview Id": ["a"], "Eye Contact": ["5"], "Enthusiam": ["5"]})
    path = write(frame, tmp_path / "variants.csv")
    assert main(["sql", "--rules", "--columns-from", path, "--table", f"read_csv('{path}', all_varchar=true)"]) == 0
    printed = capsys.readouterr()
    assert "column 'Enthusiam' is not read: did you mean 'enthusiasm'?" in printed.err
    got = run(printed.out.rstrip().rstrip(";"))
    assert got["interview_id"].tolist() == ["a"] and got["signals_recorded"].tolist() == [1]
