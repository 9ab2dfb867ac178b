"""The registry's model behind MLflow's own scoring server, over real HTTP, read by a strict JSON
parser (``json.loads`` that refuses ``NaN`` and ``Infinity``, as ``JSON.parse`` does): the answers
any client parses (DESIGN.md, "Output of scoring": the pyfunc's contract).

The server is MLflow's (``mlflow.pyfunc.scoring_server``, what ``mlflow models serve`` runs)
started in this process on a free port, over the session's registered champion; one test starts
``mlflow models serve`` itself.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.files.workspace import Workspace
from offerodds.tracking.pyfunc import SERVING_VARIABLE, output_columns

pytestmark = pytest.mark.slow

AS_OF = "2026-03-10"


def strict_json(text: str):
    """``json.loads`` as a strict client reads: NaN, Infinity and -Infinity are refused."""

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: str, content_type: str = "application/json") -> tuple[int, object]:
    request = urllib.request.Request(url, data=body.encode("utf-8"), headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, strict_json(response.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return error.code, strict_json(error.read().decode("utf-8"))


@pytest.fixture(scope="module")
def server(mlflow_template, mlflow_uris_kept):
    """MLflow's scoring server over ``models:/offerodds@champion``; yields its /invocations URL.
    MLflow's URIs and the serving flag it sets in the environment are put back afterwards."""
    import mlflow
    import uvicorn
    from mlflow.pyfunc import scoring_server

    root, _ = mlflow_template
    with mlflow_uris_kept(SERVING_VARIABLE):
        uri = Workspace.resolve(root).tracking_uri
        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(uri)
        port = free_port()
        app = scoring_server.init(mlflow.pyfunc.load_model("models:/offerodds@champion"))
        running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
        thread = threading.Thread(target=running.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not running.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert running.started, "the scoring server did not start"
        try:
            yield f"http://127.0.0.1:{port}/invocations"
        finally:
            running.should_exit = True
            thread.join(timeout=30)


@pytest.fixture(scope="module")
def model(mlflow_template):
    root, _ = mlflow_template
    return offerodds.load_model(root)


def records(body: dict) -> str:
    return json.dumps(body)


def by_id(answer) -> dict:
    return {row["interview_id"]: row for row in answer["predictions"]}


def test_a_bad_row_is_null_and_its_error_and_the_good_rows_are_scored(server, model):
    rows = [{"interview_id": "j1", "engagement": 4, "hurried": "no"}, {"interview_id": "j2", "engagement": 9},
            {"interview_id": "j3", "selling": 5, "stage": "final"}]
    code, answer = post(server, records({"dataframe_records": rows, "params": {"as_of": AS_OF}}))
    assert code == 200
    got = by_id(answer)
    assert list(got) == ["j1", "j2", "j3"] and list(got["j1"]) == list(output_columns())
    bad = got["j2"]
    assert bad["error"] == "engagement: a scale must be a number from 1 to 5 (got '9')"
    assert bad["offer_probability"] is None and bad["signals_recorded"] is None and bad["reasons"] == ""
    want = offerodds.score(pd.DataFrame(rows), model=model, as_of=AS_OF)
    for i, interview in enumerate(("j1", "j3")):
        row = want.iloc[[0, 2][i]]
        for column, kind in output_columns().items():
            if kind == "double":
                assert got[interview][column] == float(row[column]), column  # JSON floats round-trip
        assert got[interview]["next_step_due"] == row["next_step_due"] and got[interview]["error"] == ""


def test_a_csv_body_with_a_bad_row_answers_strict_json(server):
    body = "interview_id,engagement,hurried\nj1,4,no\nj2,,maybe\n"
    code, answer = post(server, body, "text/csv")
    assert code == 200
    got = by_id(answer)
    assert got["j2"]["offer_probability"] is None and "hurried" in got["j2"]["error"]
    assert 0 < got["j1"]["offer_probability"] < 1


@pytest.mark.parametrize(
    "body, expected",
    [
        ({"dataframe_records": [{"engagement": 4}], "params": {"as_of": "next tuesday"}}, "as_of"),
        ({"dataframe_records": [{"interview_id": "j1", "enthusiasam": 4}]}, "misspelled"),
        ({"dataframe_split": {"columns": ["engagement", "Engagement"], "data": [[4, 5]]}}, "twice"),
    ],
)
def test_a_problem_with_the_request_is_invalid_parameter_value_with_offerodds_line(server, model, body, expected):
    code, answer = post(server, records(body))
    assert code == 400
    assert answer["error_code"] == "INVALID_PARAMETER_VALUE"
    message = answer["message"]
    data = body.get("dataframe_records") or pd.DataFrame(body["dataframe_split"]["data"],
                                                         columns=body["dataframe_split"]["columns"])
    with pytest.raises(ValueError) as raised:  # offerodds' own words for the same request
        offerodds.score(data if isinstance(data, pd.DataFrame) else pd.DataFrame(data), model=model,
                        as_of=body.get("params", {}).get("as_of"))
    assert message == str(raised.value) and "\n" not in message
    if expected == "misspelled":
        assert "did you mean 'enthusiasm' for 'enthusiasam'?" in message
    assert "Failed to predict" not in message and "stack_trace" not in answer


def test_a_misspelled_header_beside_valid_ones_is_named_in_every_row(server):
    rows = [{"interview_id": "j1", "engagement": 4, "enthusiasam": 5},
            {"interview_id": "j2", "engagement": 3, "enthusiasam": 2, "scheduled_minutes": 45}]
    code, answer = post(server, records({"dataframe_records": rows}))
    assert code == 200
    got = by_id(answer)
    note = "column 'enthusiasam' is not read: did you mean 'enthusiasm'?"
    assert got["j1"]["warnings"] == note
    assert got["j2"]["warnings"].startswith(note + "; scheduled_minutes")  # and the row's own warning
    assert all(0 < row["offer_probability"] < 1 for row in got.values())


def test_the_instances_and_inputs_forms_score_like_dataframe_records(server):
    rows = [{"interview_id": "j1", "engagement": 4, "hurried": None, "stage": "final"},
            {"interview_id": "j2", "engagement": None, "hurried": "yes", "stage": "screen"}]
    _, want = post(server, records({"dataframe_records": rows, "params": {"as_of": AS_OF}}))
    forms = {
        "instances": {"instances": rows},
        "one instance": {"instances": rows[:1]},
        "inputs as columns": {"inputs": {k: [r[k] for r in rows] for k in rows[0]}},
        "inputs as records": {"inputs": rows},
    }
    for name, body in forms.items():
        code, answer = post(server, records({**body, "params": {"as_of": AS_OF}}))
        assert code == 200, (name, answer)
        expected = want["predictions"][:1] if name == "one instance" else want["predictions"]
        assert answer["predictions"] == expected, name
    assert want["predictions"][0]["interview_id"] == "j1" and want["predictions"][0]["error"] == ""


def test_instances_with_different_names_are_refused_by_mlflow_before_the_model(server):
    """MLflow's server turns ``instances`` into one array per name before any model sees them,
    so objects with different names cannot be put back into rows: it answers 400 (the README
    says to give every object the same names, null where not recorded)."""
    code, answer = post(server, records({"instances": [{"engagement": 4}, {"engagement": 3, "hurried": "yes"}]}))
    assert code == 400 and answer["error_code"] == "BAD_REQUEST"
    assert "length of values" in answer["message"]


def test_the_python_predict_keeps_its_number_types():
    """Outside the scoring server (a notebook, a Spark UDF) missing numbers stay NaN in float64."""
    from offerodds.tracking.pyfunc import model_output, model_table

    table = model_table(pd.DataFrame([{"engagement": 9}]))
    from offerodds.usecases import score_table

    out = model_output(score_table(table, offerodds.rules()), table, nulls=False)
    assert out["offer_probability"].dtype == np.float64 and np.isnan(out.loc[0, "offer_probability"])
    served = model_output(score_table(table, offerodds.rules()), table, nulls=True)
    assert served.loc[0, "offer_probability"] is None


def test_mlflow_models_serve_answers_strict_json_and_offerodds_line(mlflow_template, tmp_path):
    """``mlflow models serve`` itself, in its own process, as a user starts it."""
    root, _ = mlflow_template
    port = free_port()
    env = dict(os.environ, MLFLOW_TRACKING_URI=Workspace.resolve(root).tracking_uri, MLFLOW_DISABLE_TELEMETRY="true")
    env.pop(SERVING_VARIABLE, None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(Path(offerodds.__file__).parents[1]), env.get("PYTHONPATH", "")) if p)
    # MLflow runs `uvicorn` from PATH: the scripts folder of every environment this Python reads
    scripts = [Path(sys.executable).parent] + [Path(p).parents[2] / "bin" for p in sys.path if p.endswith("site-packages")]
    env["PATH"] = os.pathsep.join([*dict.fromkeys(str(d) for d in scripts), env.get("PATH", "")])
    log = open(tmp_path / "serve.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "mlflow", "models", "serve", "-m", "models:/offerodds@champion", "-p", str(port),
         "--env-manager", "local", "-h", "127.0.0.1"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/ping", timeout=5):
                    break
            except OSError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")
                time.sleep(0.5)
        code, answer = post(url + "/invocations", records({"dataframe_records": [{"interview_id": "j2", "engagement": 9}]}))
        assert code == 200, answer.get("stack_trace")
        assert answer["predictions"][0]["offer_probability"] is None
        code, answer = post(url + "/invocations", records({"dataframe_records": [{"engagement": 4}],
                                                           "params": {"as_of": "2026-13-45"}}))
        assert code == 400 and answer["error_code"] == "INVALID_PARAMETER_VALUE"
        assert answer["message"].startswith("as-of date '2026-13-45' is not")
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=30)
        log.close()
