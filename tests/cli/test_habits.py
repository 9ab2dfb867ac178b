"""The habits of a good command line (issue 14): each with a test, most through a real process.

--version; quiet when the reader of stdout goes away; "did you mean" for a header that looks
like a column, never a rename; plain one-line errors; output formats by extension and standard
output; the people view; shell completion; "1 problem", never "1 problems".
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds import cli
from offerodds.signals.catalogue import contribution_signals

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "data" / "examples" / "interviews.csv"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)


def _env(tmp_path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH", "")) if p)
    env["OFFERODDS_WORKSPACE"] = str(tmp_path / "ws")
    return env


def offerodds_cmd(*args) -> list[str]:
    return [sys.executable, "-m", "offerodds.cli", *map(str, args)]


def run(tmp_path, *args) -> int:
    return cli.main([*map(str, args), "--workspace", str(tmp_path / "ws")])


# --- a reader that goes away --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["signals"], ["status"], ["score", "{examples}", "-o", "-"], ["completion", "bash"], ["--help"]]
)
def test_quiet_when_the_reader_closes_the_pipe_first(tmp_path, args):
    """The read end is closed before the command writes a byte: every write fails (EPIPE)."""
    # a copy of the examples: with ``-o -`` the problems file goes beside the input
    examples = shutil.copyfile(EXAMPLES, tmp_path / EXAMPLES.name)
    args = [a.format(examples=examples) for a in args]
    process = subprocess.Popen(
        offerodds_cmd(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(tmp_path), cwd=tmp_path
    )
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0
    assert "Broken pipe" not in err and "Traceback" not in err and "Exception ignored" not in err, err


@pytest.mark.parametrize("command", ["offerodds status | head -3", "offerodds signals | head -1",
                                     "offerodds score {examples} -o - | head -2"])
def test_quiet_in_a_shell_pipeline_with_head(tmp_path, command):
    wrapper = tmp_path / "bin"
    wrapper.mkdir()
    script = wrapper / "offerodds"
    script.write_text(f'#!/bin/sh\nexec {sys.executable} -m offerodds.cli "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    env = _env(tmp_path)
    env["PATH"] = f"{wrapper}{os.pathsep}{env['PATH']}"
    examples = shutil.copyfile(EXAMPLES, tmp_path / EXAMPLES.name)  # -o -: problems beside the input
    line = "set -o pipefail; " + command.format(examples=examples)
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert "Broken pipe" not in done.stderr and "Traceback" not in done.stderr, done.stderr


# --- --version, usage, errors -------------------------------------------------------------------


def _declared_version() -> str:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def test_version(tmp_path):
    done = subprocess.run(offerodds_cmd("--version"), capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"offerodds {offerodds.__version__}"
    assert done.stdout.strip() == f"offerodds {_declared_version()}"


def test_the_version_is_written_once_in_pyproject():
    """``offerodds.__version__`` is the installed metadata, which is pyproject's ``version``;
    no module writes a version of its own."""
    assert offerodds.__version__ == importlib.metadata.version("offerodds") == _declared_version()
    written = [p.relative_to(REPO) for p in (REPO / "src").rglob("*.py")
               if re.search(r"^\s*__version__\s*=\s*['\"]", p.read_text(encoding="utf-8"), re.MULTILINE)]
    assert written == []


def test_errors_are_one_plain_line_without_class_names(tmp_path, capsys):
    assert run(tmp_path, "rollback") == 1  # nothing to roll back: a StoreError inside
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("offerodds: error: ")
    assert "Error:" not in err.removeprefix("offerodds: error: ") and "Traceback" not in err


def test_retrain_counts_in_words(tmp_path, capsys, no_tracking_config):
    bad = tmp_path / "labels.csv"
    frame = pd.read_csv(REPO / "data" / "examples" / "outcomes.csv", dtype=str, keep_default_na=False)
    frame.loc[3, "engagement"] = "9"
    frame.to_csv(bad, index=False)
    assert run(tmp_path, "retrain", bad, "--config", no_tracking_config) == 0
    err = capsys.readouterr().err
    assert "1 labelled row rejected" in err and "1 labelled rows" not in err


# --- headers that look like a column -------------------------------------------------------------

LOOKALIKES = "interview_id,Enthusiam,Eye contact (1-5),Next steps explained?,selling,notes\n1,5,5,yes,4,fine\n"


def test_a_header_like_a_column_gets_a_did_you_mean_warning_and_is_not_read(tmp_path, capsys):
    source = tmp_path / "mine.csv"
    source.write_text(LOOKALIKES, encoding="utf-8")
    assert run(tmp_path, "score", source, "-o", tmp_path / "out.csv") == 0
    err = capsys.readouterr().err
    for header, column in [("Enthusiam", "enthusiasm"), ("Eye contact (1-5)", "eye_contact"),
                           ("Next steps explained?", "next_steps_explained")]:
        assert f"column {header!r} is not read: did you mean {column!r}?" in err
    assert "notes" not in err.replace("'notes'", "")  # a plain passthrough column: no warning
    scored = pd.read_csv(tmp_path / "out.csv")
    assert scored.loc[0, "signals_recorded"] == 1  # only selling: nothing renamed
    assert list(scored.columns[:6]) == ["interview_id", "Enthusiam", "Eye contact (1-5)",
                                        "Next steps explained?", "selling", "notes"]


def test_a_notebook_gets_the_same_warning():
    with pytest.warns(UserWarning, match="did you mean 'enthusiasm'"):
        out = offerodds.score({"Enthusiam": 5, "selling": 4}, model=offerodds.rules())
    assert out.loc[0, "signals_recorded"] == 1


def test_a_file_of_annotated_headers_only_says_which_it_means(tmp_path, capsys):
    source = tmp_path / "annotated.csv"
    source.write_text("Eye contact (1-5),Notes\n4,x\n", encoding="utf-8")
    assert run(tmp_path, "validate", source) == 1
    assert "did you mean 'eye_contact' for 'Eye contact (1-5)'" in capsys.readouterr().err


# --- output formats, standard output and the people view -----------------------------------------


@pytest.mark.parametrize("name", ["out.xlsx", "out.json", "out"])
def test_an_unknown_output_format_is_refused_before_reading(tmp_path, capsys, name):
    missing = tmp_path / "not-there.csv"  # never read: the output is checked first
    assert run(tmp_path, "score", missing, "-o", tmp_path / name) == 1
    err = capsys.readouterr().err
    assert "offerodds writes .csv or .parquet files" in err and "not found" not in err
    assert not (tmp_path / name).exists()


def test_template_and_chart_names_are_checked_too(tmp_path, capsys):
    assert run(tmp_path, "template", "-o", tmp_path / "blank.xlsx") == 1
    assert "name it with .csv" in capsys.readouterr().err and not (tmp_path / "blank.xlsx").exists()
    assert run(tmp_path, "explain", tmp_path / "not-there.csv", "--id", "1", "--plot", tmp_path / "why.jpg") == 1
    assert "name it with .png" in capsys.readouterr().err


def test_score_to_standard_output(tmp_path):
    source = tmp_path / "interviews.csv"
    shutil.copyfile(EXAMPLES, source)
    done = subprocess.run(
        offerodds_cmd("score", source, "-o", "-"), capture_output=True, text=True, env=_env(tmp_path),
        cwd=tmp_path, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    from io import StringIO

    scored = pd.read_csv(StringIO(done.stdout))
    assert len(scored) == 200 and "offer_probability" in scored.columns
    assert "wrote standard output" in done.stderr
    assert (tmp_path / "interviews.scored.rejects.csv").exists()  # problems beside the input
    assert not (tmp_path / "interviews.scored.csv").exists()


def test_the_exact_view_is_the_default_and_stays_exact(tmp_path):
    source = tmp_path / "interviews.csv"
    shutil.copyfile(EXAMPLES, source)
    assert run(tmp_path, "score", source, "-o", tmp_path / "exact.csv", "--quiet") == 0
    exact = pd.read_csv(tmp_path / "exact.csv")
    contrib = exact[[f"contrib_{s}" for s in contribution_signals()]]
    assert contrib.shape[1] == len(contribution_signals())  # every signal, recorded or not
    np.testing.assert_allclose(exact["offer_log_odds"], exact["baseline_log_odds"] + contrib.sum(axis=1),
                               rtol=0, atol=1e-9)
    expected = offerodds.score(source, model=offerodds.rules())
    np.testing.assert_array_equal(exact["offer_probability"], expected["offer_probability"])  # full precision


def test_the_people_view(tmp_path):
    source = tmp_path / "interviews.csv"
    shutil.copyfile(EXAMPLES, source)
    out = tmp_path / "people.csv"
    assert run(tmp_path, "score", source, "-o", out, "--view", "people", "--quiet") == 0
    people = pd.read_csv(out, dtype={"interview_id": str}, keep_default_na=False)
    exact = offerodds.score(source, model=offerodds.rules())
    assert list(people.columns) == [
        "interview_id", "application_id", "interview_date", "company", "role",
        "offer_probability", "offer_probability_low", "offer_probability_high",
        "effects", "reasons", "next_step", "next_step_due", "scorer", "model_version",
    ]
    assert not [c for c in people.columns if c.startswith("contrib_")]
    np.testing.assert_array_equal(people["offer_probability"], exact["offer_probability"].round(2))
    assert (people["reasons"] == exact["reasons"]).all()
    # effects: only what was recorded, in words, strongest first, as odds
    first = offerodds.explain(pd.read_csv(source, dtype=str, keep_default_na=False).iloc[0], model=offerodds.rules())
    moved = first.table()[first.table()["contribution"].abs() >= 0.005]
    head, *items = people.loc[0, "effects"].split("; ")
    assert [i.rsplit(", ", 1)[0] for i in items] == [f"{r.recorded}: {r.effect}" for r in moved.itertuples()]
    # the starting point, the probability and percentage points that add up to the change shown
    start, final = (float(v) for v in re.findall(r"(\d+\.\d) %", head))
    assert start == round(100 * first.baseline_probability, 1) and final == round(100 * first.offer_probability, 1)
    points = [float(i.rsplit(", ", 1)[1].removesuffix(" pp")) for i in items]
    assert sum(points) == pytest.approx(final - start, abs=1e-9)
    assert all(np.sign(p) == np.sign(r.contribution) or p == 0 for p, r in zip(points, moved.itertuples()))
    for row in people.itertuples():  # every row adds up
        head, *items = row.effects.split("; ")
        start, final = (float(v) for v in re.findall(r"(\d+\.\d) %", head))
        shown = [float(i.rsplit(", ", 1)[1].removesuffix(" pp")) for i in items if i.endswith(" pp")]
        assert sum(shown) == pytest.approx(final - start, abs=1e-9), row.effects


def test_the_people_view_says_what_a_context_answer_changed(tmp_path):
    source = tmp_path / "one.csv"
    source.write_text("interview_id,engagement,structured_format\na,5,yes\n", encoding="utf-8")
    out = tmp_path / "people.csv"
    assert run(tmp_path, "score", source, "-o", out, "--view", "people", "--quiet", "--rules") == 0
    effects = pd.read_csv(out)["effects"][0]
    plain = offerodds.score({"engagement": 5}, model=offerodds.rules())["contrib_engagement"][0]
    with_it = offerodds.score({"engagement": 5, "structured_format": "yes"}, model=offerodds.rules())["contrib_engagement"][0]
    assert (f"structured format: it made the interviewer's body language count for less "
            f"(engagement x{np.exp(with_it):.2f} instead of x{np.exp(plain):.2f})") in effects


def test_the_people_view_to_parquet(tmp_path):
    out = tmp_path / "people.parquet"
    assert run(tmp_path, "score", EXAMPLES, "-o", out, "--view", "people", "--quiet",
               "--rejects", tmp_path / "r.csv") == 0
    people = pd.read_parquet(out)
    assert len(people) == 200 and people["effects"].str.contains("odds x").all()


# --- counting in words -------------------------------------------------------------------------


def test_one_problem_is_not_one_problems(tmp_path, capsys):
    source = tmp_path / "one.csv"
    source.write_text("interview_id,engagement\na,9\n", encoding="utf-8")
    assert run(tmp_path, "score", source) == 0
    err = capsys.readouterr().err
    assert "read 1 row:" in err and "(1 problem in" in err and "problems" not in err.split("(1 problem")[1][:3]
    assert run(tmp_path, "validate", source) == 3
    assert "1 row; 0 valid, 1 with errors" in capsys.readouterr().out


# --- shell completion ----------------------------------------------------------------------------


def _complete(tmp_path, shell_line: str, words: list[str]) -> list[str]:
    script = subprocess.run(offerodds_cmd("completion", "bash"), capture_output=True, text=True,
                            env=_env(tmp_path), timeout=60).stdout
    (tmp_path / "completion.bash").write_text(script, encoding="utf-8")
    line = (
        f"source {tmp_path / 'completion.bash'}; COMP_WORDS=({' '.join(words)}); "
        f"COMP_CWORD={len(words) - 1}; _offerodds; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    done = subprocess.run(["bash", "-c", line], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bash_completion_offers_commands_options_and_values(tmp_path):
    assert _complete(tmp_path, "", ["offerodds", "sc"]) == ["score"]
    assert "--view" in _complete(tmp_path, "", ["offerodds", "score", "--v"])
    assert _complete(tmp_path, "", ["offerodds", "score", "x.csv", "--view", "p"]) == ["people"]
    (tmp_path / "mine.csv").write_text("engagement\n4\n", encoding="utf-8")
    assert "mine.csv" in _complete(tmp_path, "", ["offerodds", "validate", "mi"])
    zsh = subprocess.run(offerodds_cmd("completion", "zsh"), capture_output=True, text=True,
                         env=_env(tmp_path), timeout=60).stdout
    assert "bashcompinit" in zsh and "complete -o filenames -F _offerodds offerodds" in zsh


# --- what a command loads (the latency figures are in benchmarks/cli_latency.py) -----------------


def _loaded_after(tmp_path, argv: list[str]) -> set[str]:
    """The top-level packages a fresh process has loaded after running ``offerodds ARGV``."""
    code = (
        "import sys, contextlib, io\n"
        "from offerodds.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    code = main({[str(a) for a in argv]!r})\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(tmp_path),
                          cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


@pytest.mark.parametrize("argv", [["signals"], ["completion", "bash"], ["template"]])
def test_commands_that_read_no_table_load_no_table_library(tmp_path, argv):
    loaded = _loaded_after(tmp_path, argv)
    assert not loaded & {"pandas", "pyarrow", "numpy", "scipy", "sklearn", "mlflow", "matplotlib"}


def test_scoring_loads_neither_scikit_learn_nor_scipy_nor_mlflow(tmp_path):
    loaded = _loaded_after(tmp_path, ["score", EXAMPLES, "-o", tmp_path / "out.csv", "--quiet"])
    assert "pandas" in loaded  # the check can see what is loaded
    assert not loaded & {"scipy", "sklearn", "mlflow", "matplotlib"}
