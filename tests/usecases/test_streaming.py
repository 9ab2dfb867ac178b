"""Streaming scoring (DESIGN.md, "Output of scoring" and "Scoring stays light").

- ``offerodds score`` gives the same output whatever the chunk size: rows in order, identical
  values, rejects numbered over the whole file across chunk borders; CSV and Parquet, in and out.
- ``import offerodds``, ``offerodds.score`` and ``offerodds score`` never import MLflow.
- The fast paths scoring takes (each distinct text checked once, contributions weighed without
  the feature matrix, reasons from the two ends of each row, the background writer) give
  exactly what the plain computations give.

Every test works in ``tmp_path``; ``data/examples/interviews.csv`` is only read.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds import cli
from offerodds.signals.catalogue import STATES, by_name, contribution_signals
from offerodds.signals.features import SignalFeatures
from offerodds.scoring.phrases import DISAGREES
from offerodds.scoring.reasons import MIN_EFFECT, PER_SIDE, reasons
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.validation import validate

REPO = Path(__file__).resolve().parents[2]
SRC = REPO / "src"
EXAMPLES = REPO / "data" / "examples" / "interviews.csv"
OUTCOMES = REPO / "data" / "examples" / "outcomes.csv"

# Small chunks: fewer than 1,024 rows, so each is checked cell by cell (a whole-file chunk
# checks each distinct text once); 1,400 rows make 9 full chunks and a partial last one. Every
# chunk costs a fixed overhead, so chunks of a handful of rows would only make the test slow.
CHUNK = 150

# (0-based row, column, bad value): around the borders of the first chunks (149|150, 299|300,
# 449|450), two problems in one row, and the last row of the file.
BAD_CELLS = [
    (0, "engagement", "6"),
    (CHUNK - 1, "hurried", "sometimes"),
    (CHUNK, "selling", "lots"),  # in the order of the file's columns
    (CHUNK, "stage", "onsite"),
    (2 * CHUNK - 1, "actual_minutes", "-5"),
    (2 * CHUNK, "interview_date", "31/31/2026"),  # a warning: the row is still scored
    (3 * CHUNK - 1, "eye_contact", "4.5.1"),
    (3 * CHUNK, "scheduled_minutes", "0"),
    (1399, "distracted", "maybe"),
]
ERROR_CELLS = [cell for cell in BAD_CELLS if cell[1] != "interview_date"]  # these reject their row


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    """Run in tmp_path; undo what ``main`` changes in the process (warning hook)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")


def _text_frame(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def mixed_frame() -> pd.DataFrame:
    """1,400 interviews as text (the examples seven times over, ids made unique), with valid
    cells written the many ways people write them and the broken cells of ``BAD_CELLS``.
    More than 1,024 rows, so that a whole-file chunk checks each distinct text once while
    chunks of ``CHUNK`` rows check cell by cell: both must agree."""
    base = _text_frame(EXAMPLES)
    parts = []
    for k in range(7):
        part = base.copy()
        part["interview_id"] = part["interview_id"] + f"-{k}"
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    rng = np.random.default_rng(7)
    spellings = {"yes": ["yes", " Yes", "Y", "true", "1"], "no": ["no", "N ", "False", "f", "0"]}
    for column in ("hurried", "distracted", "casual_ending", "timeline_given"):
        values = frame[column].to_numpy(dtype=object)
        for word, ways in spellings.items():
            at = values == word
            values[at] = rng.choice(ways, size=int(at.sum()))
        frame[column] = values
    frame.loc[rng.random(len(frame)) < 0.1, "stage"] = " FINAL"
    frame.loc[rng.random(len(frame)) < 0.1, "engagement"] = "4.0"
    for row, column, value in BAD_CELLS:
        frame.loc[row, column] = value
    return frame


@pytest.fixture
def mixed_csv(tmp_path, mixed_frame) -> Path:
    path = tmp_path / "mixed.csv"
    mixed_frame.to_csv(path, index=False)
    return path


def _score(source, out, *extra) -> int:
    return cli.main(["score", str(source), "-o", str(out), "--rules", "--quiet", *map(str, extra)])


# --- the same output whatever the chunk size -------------------------------------------------


def test_csv_output_is_identical_for_small_and_large_chunks(tmp_path, mixed_csv, mixed_frame):
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    assert _score(mixed_csv, small, "--chunk-rows", CHUNK) == 0
    assert _score(mixed_csv, large) == 0
    assert small.read_bytes() == large.read_bytes()
    small_rejects = tmp_path / "small.rejects.csv"
    assert small_rejects.read_bytes() == (tmp_path / "large.rejects.csv").read_bytes()

    bad_rows = sorted({row for row, *_ in ERROR_CELLS})
    problems = _text_frame(small_rejects)
    warned = problems[problems["severity"] == "warning"]
    assert (2 * CHUNK + 1, "interview_date", "31/31/2026") in set(zip(warned["row"].astype(int), warned["column"], warned["value"]))
    problems = problems[problems["severity"] == "error"]
    assert problems["row"].astype(int).tolist() == [row + 1 for row, *_ in ERROR_CELLS]  # 1-based
    assert problems["column"].tolist() == [column for _, column, _ in ERROR_CELLS]
    assert problems["value"].tolist() == [value for *_, value in ERROR_CELLS]
    assert problems["interview_id"].tolist() == [mixed_frame.loc[row, "interview_id"] for row, *_ in ERROR_CELLS]

    scored = _text_frame(small)
    kept = mixed_frame.drop(index=bad_rows).reset_index(drop=True)
    assert scored["interview_id"].tolist() == kept["interview_id"].tolist()  # in input order
    pd.testing.assert_frame_equal(scored[list(mixed_frame.columns)], kept)  # passthrough untouched


def test_cli_output_matches_offerodds_score(tmp_path, mixed_csv):
    out = tmp_path / "out.csv"
    assert _score(mixed_csv, out, "--chunk-rows", CHUNK) == 0
    scored = pd.read_csv(out, keep_default_na=False, na_values=[""])
    expected = offerodds.score(mixed_csv, model=offerodds.rules())
    expected = expected[expected["error"] == ""].reset_index(drop=True)
    np.testing.assert_allclose(scored["offer_probability"], expected["offer_probability"], rtol=0, atol=1e-15)
    for signal in contribution_signals():
        column = f"contrib_{signal}"
        np.testing.assert_allclose(scored[column], expected[column], rtol=0, atol=1e-15)
    assert scored["reasons"].tolist() == expected["reasons"].tolist()


def test_parquet_in_and_out_whatever_the_chunk_size(tmp_path, mixed_frame, mixed_csv):
    source = tmp_path / "mixed.parquet"
    mixed_frame.to_parquet(source, index=False)
    small, large = tmp_path / "small.parquet", tmp_path / "large.parquet"
    assert _score(source, small, "--chunk-rows", CHUNK) == 0
    assert _score(source, large) == 0
    small_frame, large_frame = pd.read_parquet(small), pd.read_parquet(large)
    pd.testing.assert_frame_equal(small_frame, large_frame)
    assert (tmp_path / "small.rejects.csv").read_bytes() == (tmp_path / "large.rejects.csv").read_bytes()

    # the same rows and values as from the CSV
    from_csv = tmp_path / "from_csv.parquet"
    assert _score(mixed_csv, from_csv, "--chunk-rows", CHUNK) == 0
    pd.testing.assert_frame_equal(small_frame, pd.read_parquet(from_csv))
    assert small_frame["offer_probability"].notna().all()
    assert len(small_frame) == len(mixed_frame) - len({row for row, *_ in ERROR_CELLS})


def test_champion_output_with_intervals_is_identical_for_any_chunk_size(tmp_path, mixed_frame, mixed_csv):
    """A learned model adds the 90 % interval (a matrix product per chunk): the same bits
    whatever the chunk size, down to chunks of one row."""
    from offerodds.stores.modelstore import ModelStore
    from offerodds.files.workspace import Workspace

    ws = Workspace(tmp_path / "ws")
    store = ModelStore(ws)
    with store.lock():
        store.set_champion(store.save(offerodds.fit(OUTCOMES)), "test")
    head = tmp_path / "head.csv"  # one-row chunks: the first rows and every row with a problem
    mixed_frame.loc[sorted({*range(30), *(row for row, *_ in BAD_CELLS)})].to_csv(head, index=False)

    def scored_bytes(source, rows) -> bytes:
        out = tmp_path / f"{source.stem}-{rows}.csv"
        chunking = ["--chunk-rows", str(rows)] if rows else []
        assert cli.main(["score", str(source), "-o", str(out), "--quiet", "--workspace", str(ws.root), *chunking]) == 0
        return out.read_bytes()

    assert scored_bytes(head, 1) == scored_bytes(head, None)
    assert scored_bytes(mixed_csv, CHUNK) == scored_bytes(mixed_csv, None)
    scored = pd.read_csv(tmp_path / "mixed-None.csv")
    assert set(scored["scorer"]) == {"model"}
    assert (scored["offer_probability_low"] < scored["offer_probability"]).all()
    assert (scored["offer_probability"] < scored["offer_probability_high"]).all()


def test_chunks_of_one_row_keep_every_row(tmp_path):
    source = tmp_path / "examples.csv"  # 60 rows of the examples, some with warnings
    _text_frame(EXAMPLES).head(60).to_csv(source, index=False)
    out_one, out_all = tmp_path / "one.csv", tmp_path / "all.csv"
    assert _score(source, out_one, "--chunk-rows", 1) == 0
    assert _score(source, out_all) == 0
    assert out_one.read_bytes() == out_all.read_bytes()
    assert len(_text_frame(out_one)) == len(_text_frame(source)) == 60


# --- scoring never imports MLflow ------------------------------------------------------------


def _run_python(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true", "OFFERODDS_WORKSPACE": str(tmp_path / "ws")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )


def test_import_and_score_never_import_mlflow(tmp_path):
    done = _run_python(
        f"""
        import sys
        import offerodds
        assert "mlflow" not in sys.modules, "import offerodds imported MLflow"
        out = offerodds.score({str(EXAMPLES)!r})
        assert len(out) == 200 and out["offer_probability"].notna().all()
        offerodds.explain({{"engagement": 4, "hurried": "no", "stage": "final"}})
        assert not [m for m in sys.modules if m == "mlflow" or m.startswith("mlflow.")], "scoring imported MLflow"
        print("clean")
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "clean" in done.stdout


def test_cli_score_never_imports_mlflow_even_with_a_champion(tmp_path):
    from offerodds.stores.modelstore import ModelStore
    from offerodds.files.workspace import Workspace

    ws = Workspace(tmp_path / "ws")
    store = ModelStore(ws)
    with store.lock():
        version = store.save(offerodds.fit(OUTCOMES))
        store.set_champion(version, "test")
    out = tmp_path / "scored.csv"
    done = _run_python(
        f"""
        import sys
        from offerodds.cli import main
        code = main(["score", {str(EXAMPLES)!r}, "-o", {str(out)!r}, "--quiet", "--workspace", {str(ws.root)!r}])
        assert code == 0, code
        assert not [m for m in sys.modules if m == "mlflow" or m.startswith("mlflow.")], "offerodds score imported MLflow"
        print("clean")
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "clean" in done.stdout
    scored = _text_frame(out)
    assert set(scored["scorer"]) == {"model"} and set(scored["model_version"]) == {version}


# --- the fast paths equal the plain computations ---------------------------------------------


def test_validating_a_large_chunk_equals_validating_it_in_small_pieces(mixed_frame):
    """Large chunks check each distinct text once; pieces under 1,024 rows check every cell."""
    from offerodds.signals.headers import match_columns

    raw = mixed_frame
    colmap = match_columns(list(raw.columns))
    whole = validate(raw, colmap, first_row=1)
    pieces = [validate(raw.iloc[i : i + 500].reset_index(drop=True), colmap, first_row=i + 1) for i in range(0, len(raw), 500)]
    pd.testing.assert_frame_equal(whole.typed, pd.concat([p.typed for p in pieces], ignore_index=True))
    pieces_problems = pd.concat([p.problems for p in pieces if len(p.problems)], ignore_index=True)
    pd.testing.assert_frame_equal(whole.problems, pieces_problems)
    assert whole.valid.tolist() == np.concatenate([p.valid for p in pieces]).tolist()
    assert (whole.problems["severity"] == "error").sum() == len(ERROR_CELLS)


def _reference_decomposition(scorer: LinearScorer, typed: pd.DataFrame):
    """The plain computation: the full feature matrix, weighed, summed per owning signal."""
    X = SignalFeatures().fit(typed).transform(typed)
    weighted = X * scorer.coef
    owner = scorer.feature_owner
    stage = owner == "stage"
    baseline = scorer.intercept + weighted[:, stage].sum(axis=1)
    matrix = np.zeros((int((~stage).sum()), len(contribution_signals())))
    index = {s: j for j, s in enumerate(contribution_signals())}
    matrix[np.arange(len(matrix)), [index[o] for o in owner[~stage]]] = 1.0
    contributions = weighted[:, ~stage] @ matrix
    X1 = np.hstack([X, np.ones((len(X), 1))])
    return baseline, contributions, X1


def test_decomposition_is_exactly_the_feature_matrix_one(mixed_frame):
    raw = mixed_frame.drop(index=[row for row, *_ in BAD_CELLS]).reset_index(drop=True)
    from offerodds.signals.headers import match_columns

    typed = validate(raw, match_columns(list(raw.columns))).typed
    card = offerodds.rules()
    rng = np.random.default_rng(3)
    k = len(card.coef)
    A = rng.normal(size=(k + 1, k + 1)) * 0.05
    model = LinearScorer(
        kind="model", version="v9", intercept=card.intercept + 0.1,
        coef=card.coef * rng.uniform(0.5, 1.5, k), covariance=A @ A.T, interval_inflation=1.2,
    )
    for scorer in (card, model):
        parts = scorer.decompose(typed)
        baseline, contributions, X1 = _reference_decomposition(scorer, typed)
        assert np.array_equal(parts.baseline, baseline)
        assert np.array_equal(parts.contributions, contributions)  # bit for bit
        assert np.array_equal(parts.log_odds, baseline + contributions.sum(axis=1))
    sd = np.sqrt(np.einsum("ij,jk,ik->i", X1, model.covariance, X1))
    z = 1.6448536269514722 * 1.2
    np.testing.assert_allclose(parts.low, 1 / (1 + np.exp(-(parts.log_odds - z * sd))), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(parts.high, 1 / (1 + np.exp(-(parts.log_odds + z * sd))), rtol=1e-12, atol=1e-15)


def test_a_row_scored_alone_has_the_bits_it_has_inside_any_chunk():
    """The interval's quadratic form is summed row by row in a fixed order (not by a BLAS
    product, whose order depends on the matrix shape and the CPU): every output of a row is
    the same whether it is scored alone, in a chunk of 7 or in one chunk of all rows."""
    from offerodds.usecases import score_table
    from offerodds.synthetic import generate

    frame = generate(400, seed=21, outcomes=False).drop(columns="true_probability")
    card = offerodds.rules()
    rng = np.random.default_rng(5)
    k = len(card.coef)
    A = rng.normal(size=(k + 1, k + 1)) * 0.05
    model = LinearScorer(
        kind="model", version="v9", intercept=card.intercept, coef=card.coef * rng.uniform(0.5, 1.5, k),
        covariance=A @ A.T,
    )
    floats = ["offer_probability", "offer_probability_low", "offer_probability_high", "offer_log_odds"]
    whole = score_table(frame, model)[floats].to_numpy()
    alone = np.vstack([score_table(frame.iloc[[i]], model)[floats].to_numpy() for i in range(0, 400, 13)])
    assert np.array_equal(alone, whole[::13])
    sevens = np.vstack([score_table(frame.iloc[i : i + 7], model)[floats].to_numpy() for i in range(0, 400, 7)])
    assert np.array_equal(sevens, whole)


def _reference_reasons(contributions: np.ndarray, signals: list[str], states: np.ndarray) -> list[str]:
    """Row by row: a stable descending sort, the strongest two on each side (context answers
    left out), each named by its recorded state, marked where it counted against the
    article's reading."""
    def phrase(i, state_code, side):
        s = by_name()[signals[i]]
        state = STATES[s.kind][state_code]
        text = s.states[state].says
        return f"{text} ({DISAGREES})" if s.reading(state) * side < 0 else text

    texts = []
    context = [by_name()[s].direction == "context" for s in signals]
    for row, state in zip(contributions, states):
        row = np.where(context, 0.0, row)  # context answers are never reasons
        order = np.argsort(-row, kind="stable")
        for_ = [phrase(i, state[i], 1) for i in order[:PER_SIDE] if row[i] > MIN_EFFECT]
        against = [phrase(i, state[i], -1) for i in order[::-1][:PER_SIDE] if row[i] < -MIN_EFFECT]
        parts = (["for: " + "; ".join(for_)] if for_ else []) + (["against: " + "; ".join(against)] if against else [])
        texts.append(" | ".join(parts) if parts else "no recorded signal clearly moves the odds")
    return texts


def test_reasons_equal_the_row_by_row_reference_with_ties():
    signals = contribution_signals()
    rng = np.random.default_rng(11)
    values = np.array([0.0, -0.0, MIN_EFFECT, -MIN_EFFECT, 0.006, -0.006, 0.12, -0.12, 0.3, -0.3])
    contributions = rng.choice(values, size=(20_000, len(signals)))  # ties everywhere
    contributions[:100] = 0.12  # all equal
    contributions[100:200] = 0.0
    # every state of every signal, either sign: texts name the state, whatever the sign
    counts = np.array([len(STATES[by_name()[s].kind]) for s in signals])
    states = (rng.integers(0, 1 << 30, size=contributions.shape) % counts).astype(np.int8)
    assert reasons(contributions, signals, states).tolist() == _reference_reasons(contributions, signals, states)
    smooth = rng.normal(scale=0.2, size=(5_000, len(signals)))
    assert reasons(smooth, signals, states[:5_000]).tolist() == _reference_reasons(smooth, signals, states[:5_000])
    empty = np.empty((0, len(signals)))
    assert reasons(empty, signals, empty.astype(np.int8)).tolist() == []


def test_a_failed_write_leaves_no_output(tmp_path, monkeypatch):
    """A failure on the background writer thread reaches the caller; nothing is left behind."""
    from offerodds.files import writing

    class FailingWriter:
        def __init__(self, path, schema):
            self.calls = 0

        def write_table(self, table):
            self.calls += 1
            if self.calls == 2:
                raise OSError("disk full")

        def close(self):
            pass

    monkeypatch.setattr(writing.pacsv, "CSVWriter", FailingWriter)
    target = tmp_path / "out.csv"
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]})
    with pytest.raises(OSError, match="disk full"):
        with writing.TableWriter(target) as writer:
            for _ in range(5):
                writer.write(frame)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
