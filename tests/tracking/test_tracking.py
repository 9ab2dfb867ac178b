"""MLflow tracking and the model registry (DESIGN.md: "Workspace and model versions",
"Personal data stays local", the MLflow pyfunc contract).

Creating an MLflow database is slow, so every test here uses the ONE session workspace
(``mlflow_template``: outcomes.csv retrained once with tracking on, v1 promoted and registered)
or a private copy of it (``mlflow_workspace``).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from offerodds import cli
from offerodds.stores.modelstore import ModelStore
from offerodds.scoring.results import result_columns
from offerodds.signals.catalogue import input_columns
from offerodds.tracking.pyfunc import output_columns
from offerodds.files.workspace import Workspace
from tests.conftest import canonical_signals

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
OUTCOMES = REPO / "data" / "examples" / "outcomes.csv"
INTERVIEWS = REPO / "data" / "examples" / "interviews.csv"
NAME = "offerodds"


@pytest.fixture(autouse=True)
def _restore_global_state(monkeypatch, restore_mlflow_uris):
    """``cli.main`` installs a warning printer; offerodds points MLflow at a workspace."""
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)


def use_workspace_mlflow(root: Path):
    """Point this process's MLflow client at a workspace's database; returns mlflow."""
    import mlflow

    uri = Workspace.resolve(root).tracking_uri
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return mlflow


def run_cli(*args) -> int:
    return cli.main([str(a) for a in args])


# --- the registry's champion is the CLI's model ------------------------------------------------------


def test_registry_champion_gives_exactly_the_cli_probabilities(mlflow_template, tmp_path, capsys):
    root, report = mlflow_template
    out = tmp_path / "scored.csv"
    assert run_cli("score", INTERVIEWS, "-o", out, "--quiet", "--workspace", root) == 0
    cli_scored = pd.read_csv(out)
    assert set(cli_scored["scorer"]) == {"model"} and set(cli_scored["model_version"]) == {"v1"}

    mlflow = use_workspace_mlflow(root)
    model = mlflow.pyfunc.load_model(f"models:/{NAME}@champion")
    predicted = model.predict(pd.read_csv(INTERVIEWS))  # as pandas reads it: ints, floats, text

    assert list(predicted.columns) == list(output_columns())
    assert len(predicted) == len(cli_scored) == 200
    assert predicted["interview_id"].tolist() == cli_scored["interview_id"].tolist()
    assert (predicted["error"] == "").all()
    numeric = ["offer_probability", "offer_probability_low", "offer_probability_high", "offer_log_odds",
               "baseline_log_odds", *[c for c in result_columns() if c.startswith("contrib_")]]
    for column in numeric:
        np.testing.assert_array_equal(
            predicted[column].to_numpy(dtype=float), cli_scored[column].to_numpy(dtype=float), err_msg=column
        )
    for column in ("scorer", "model_version", "reasons"):
        assert predicted[column].astype(str).tolist() == cli_scored[column].astype(str).tolist(), column


# --- no user data in MLflow --------------------------------------------------------------------------


def user_values() -> set[str]:
    frame = pd.read_csv(OUTCOMES, dtype=str, keep_default_na=False)
    values = set()
    for column in ("interview_id", "application_id", "company", "role"):
        values |= {v for v in frame[column] if v}
    return values


def test_no_user_value_reaches_mlflow(mlflow_template):
    root, _ = mlflow_template
    values = user_values()
    assert len(values) > 1000
    files = sorted(p for p in root.glob("mlflow.db*") if p.is_file())
    files += sorted(p for p in (root / "mlartifacts").rglob("*") if p.is_file())
    assert root / "mlflow.db" in files and len(files) > 5
    found = {}
    for path in files:
        data = path.read_bytes()
        hits = sorted(v for v in values if v.encode("utf-8") in data)
        if hits:
            found[str(path.relative_to(root))] = hits[:5]
    assert not found, f"user values in MLflow's data: {found}"


def test_mlflow_holds_no_pickle(mlflow_template):
    root, _ = mlflow_template
    suffixes = {".pkl", ".pickle", ".joblib", ".cloudpickle"}
    pickles = [p for p in (root / "mlartifacts").rglob("*") if p.suffix in suffixes]
    assert pickles == []
    models = list((root / "mlartifacts").rglob("MLmodel"))
    assert models, "no logged model"
    for path in models:  # logged as "models from code": MLflow stores the code, not a pickle
        text = path.read_text(encoding="utf-8")
        assert "loader_module: mlflow.pyfunc.loaders.code_model" in text
        assert "python_model:" not in text


# --- the run -------------------------------------------------------------------------------------


def test_the_run_has_params_and_metrics(mlflow_template):
    root, report = mlflow_template
    mlflow = use_workspace_mlflow(root)
    client = mlflow.MlflowClient()
    run = client.get_run(report.run_id)
    experiment = client.get_experiment(run.info.experiment_id)
    assert experiment.name == NAME

    params = run.data.params
    for key in ("prior_strength", "calibration_slope", "n_offers", "n_no_offers", "folds", "decision"):
        assert key in params, key
    assert (params["n_offers"], params["n_no_offers"]) == ("295", "705")
    assert float(params["prior_strength"]) > 0 and float(params["calibration_slope"]) > 0
    assert params["decision"] == "promoted as v1"
    assert run.data.tags["offerodds.decision"] == "promoted as v1"

    metrics = run.data.metrics
    for scorer in ("candidate", "rules", "base_rate"):
        for name in ("log_loss", "brier", "roc_auc"):
            key = f"{scorer}.{name}"
            assert key in metrics, key
            assert metrics[key] == pytest.approx(report.table.loc[scorer, name], abs=1e-12)
    assert metrics["candidate.log_loss"] < metrics["rules.log_loss"] < metrics["base_rate.log_loss"]
    assert metrics["prospective.log_loss"] == pytest.approx(report.prospective["log_loss"], abs=1e-12)

    artifacts = {a.path for a in client.list_artifacts(report.run_id, "report")}
    assert {"report/report.html", "report/reliability.png", "report/weights.png"} <= artifacts
    version = client.get_model_version_by_alias(NAME, "champion")
    assert str(version.version) == "1" and version.run_id == report.run_id


# --- records a team can audit ------------------------------------------------------------------------


def test_the_run_is_named_for_what_it_did_and_records_what_it_learned_from(mlflow_template):
    """Read back with MLflow's own client: the name, the offerodds version, the settings, the
    outcomes' digest as a dataset input without rows, the weights as a table."""
    import datetime as dt
    import hashlib
    import importlib.metadata
    import json

    root, report = mlflow_template
    mlflow = use_workspace_mlflow(root)
    client = mlflow.MlflowClient()
    run = client.get_run(report.run_id)
    assert run.info.run_name == f"retrain {dt.date.today().isoformat()}: v1 promoted"
    tags = run.data.tags
    assert tags["offerodds.package_version"] == importlib.metadata.version("offerodds")
    assert tags["mlflow.note.content"].startswith(f"offerodds {tags['offerodds.package_version']} retrain: promoted as v1.")
    assert "295 offers and 705 no-offers" in tags["mlflow.note.content"]

    settings = mlflow.artifacts.load_dict(f"{run.info.artifact_uri}/settings/retrain.json")
    assert settings["fit"]["folds"] == int(run.data.params["folds"]) and settings["tracking"]["experiment"] == NAME

    [given] = run.inputs.dataset_inputs
    digest = tags["offerodds.outcomes_sha256"]
    assert len(digest) == 64 and given.dataset.digest == digest[:32]
    assert given.dataset.name == "outcomes learned from" and given.dataset.source_type == "code"
    assert {t.key: t.value for t in given.tags}.items() >= {"mlflow.data.context": "training", "offers": "295",
                                                            "no_offers": "705", "sha256": digest}.items()
    columns = [c["name"] for c in json.loads(given.dataset.schema)["mlflow_colspec"]]
    assert columns[-1] == "outcome" and set(input_columns()) - {"scheduled_minutes", "actual_minutes"} <= set(columns)
    assert given.dataset.profile in (None, "", "{}")  # no rows, no profile of them

    # the digest is the outcomes' own: the same store read again gives it, one label changed does not
    from offerodds.stores.outcomes import OutcomeStore, training_set
    from offerodds.tracking import outcomes_digest

    train = training_set(OutcomeStore(Workspace.resolve(root)).read())
    assert outcomes_digest(train.typed, train.y) == digest
    flipped = train.y.copy()
    flipped[0] = 1 - flipped[0]
    assert outcomes_digest(train.typed, flipped) != digest
    assert hashlib.sha256(b"").hexdigest() != digest

    weights = pd.read_json(Path(run.info.artifact_uri.removeprefix("file://")) / "weights.json", orient="split")
    model = ModelStore(Workspace.resolve(root)).load("v1")
    assert weights["feature"].tolist() == ["(intercept)", *model.feature_names]
    learned = np.r_[model.intercept, model.coef]
    np.testing.assert_allclose(weights["learned_log_odds"].to_numpy(), learned, rtol=0, atol=1e-9)  # MLflow's table: 10 digits
    exact = pd.read_csv(Path(run.info.artifact_uri.removeprefix("file://")) / "weights.csv")
    np.testing.assert_array_equal(exact["learned_log_odds"].to_numpy(), learned)  # the CSV: every bit
    import offerodds

    np.testing.assert_array_equal(exact["rule_card_log_odds"].to_numpy()[1:], offerodds.rules().coef)
    assert (weights["posterior_sd"] > 0).all()


def test_the_registered_model_and_its_version_say_what_they_are(mlflow_template):
    root, report = mlflow_template
    client = use_workspace_mlflow(root).MlflowClient()
    described = client.get_registered_model(NAME).description
    assert described.startswith("offerodds: the probability that a job interview ends in an offer")
    assert "'champion' mirrors the workspace's local champion pointer" in described
    version = client.get_model_version(NAME, "1").description
    assert version.startswith("offerodds model v1 (promoted as v1 by retrain, MLflow run " + report.run_id)
    assert "Learned from 295 offers and 705 no-offers" in version
    assert client.get_run(report.run_id).data.tags["offerodds.outcomes_sha256"] in version


def test_the_logged_model_pins_its_requirements_and_holds_no_path_of_this_machine(mlflow_template):
    """Every file MLflow stored for the model (MLmodel, requirements, environments, examples,
    the code file, the model folder): no path of the machine that logged it."""
    import importlib.metadata
    import sys
    import tempfile

    from mlflow.models import Model

    root, _ = mlflow_template
    [logged] = list((root / "mlartifacts" / "models").glob("*/artifacts"))
    requirements = (logged / "requirements.txt").read_text(encoding="utf-8").split()
    assert requirements[0] == f"offerodds=={importlib.metadata.version('offerodds')}"
    assert all("==" in r for r in requirements), requirements
    assert {r.split("==")[0] for r in requirements} >= {"offerodds", "pandas", "numpy", "pyarrow"}
    assert any(r.split("==")[0] in ("mlflow", "mlflow-skinny") for r in requirements)
    machine = {str(root), str(REPO), sys.prefix, str(Path.home()), tempfile.gettempdir(), "file:"}
    files = [p for p in logged.rglob("*") if p.is_file()]
    assert len(files) >= 8
    found = {str(p.relative_to(logged)): sorted(m for m in machine if m.encode() in p.read_bytes()) for p in files}
    assert not {k: v for k, v in found.items() if v}, found
    flavor = Model.load(str(logged / "MLmodel")).flavors["python_function"]
    assert flavor["model_code_path"] == "mlflow_model.py"
    assert flavor["artifacts"]["scorer"] == {"path": "artifacts/v1", "uri": "artifacts/v1"}


# --- the alias mirrors the local pointer ---------------------------------------------------------


def status(root, capsys) -> str:
    assert run_cli("status", "--workspace", root) == 0
    return capsys.readouterr().out


def test_status_reports_the_alias_and_rollback_moves_it(mlflow_workspace, mlflow_template, capsys):
    import json

    import offerodds
    from offerodds.tracking import registry_champion

    root = mlflow_workspace
    ws = Workspace.resolve(root)
    text = status(root, capsys)
    assert "serving: model v1" in text
    assert "registry alias 'champion' of 'offerodds': 1 (mirrors the local pointer)" in text
    assert "WARNING" not in text

    report = offerodds.retrain(workspace=root, force=True)  # tracked: registers version 2
    assert report.version == "v2" and report.run_id
    assert (root / "mlartifacts" / report.run_id).is_dir()  # the copy writes into itself ...
    assert not (mlflow_template[0] / "mlartifacts" / report.run_id).exists()  # ... not the original
    assert registry_champion(ws) == "2"
    text = status(root, capsys)
    assert "serving: model v2" in text and "registry alias 'champion' of 'offerodds': 2 (mirrors" in text

    # status says what the last promotion, rollback or sync recorded, without asking MLflow:
    # a record that disagrees with the local pointer is a warning
    record = json.loads(ws.registry_file.read_text(encoding="utf-8"))
    record["alias"]["registered"] = "1"
    ws.registry_file.write_text(json.dumps(record), encoding="utf-8")
    text = status(root, capsys)
    assert "WARNING" in text and "points at 1" in text and "as recorded at the last promotion" in text
    assert "local champion v2 is registry version 2" in text

    assert run_cli("rollback", "--workspace", root) == 0
    out = capsys.readouterr().out
    assert "champion: v2 -> v1" in out and "registry alias champion -> version 1" in out
    assert ModelStore(ws).champion() == "v1"
    assert registry_champion(ws) == "1"
    text = status(root, capsys)
    assert "registry alias 'champion' of 'offerodds': 1 (mirrors the local pointer)" in text and "WARNING" not in text

    assert run_cli("rollback", "rules", "--workspace", root) == 0
    assert "registry alias champion removed" in capsys.readouterr().out
    assert registry_champion(ws) is None
    text = status(root, capsys)
    assert "serving: the rule card" in text and "WARNING" not in text


def test_status_never_imports_mlflow(mlflow_workspace):
    """status reads the registry's state from models/registry.json: no MLflow import, and a
    readable summary (no Python dict)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from offerodds.cli import main\n"
        f"code = main(['status', '--workspace', {str(mlflow_workspace)!r}])\n"
        "assert 'mlflow' not in sys.modules, 'status imported MLflow'\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "outcome store: 1,000 interviews (" in done.stdout and "offers" in done.stdout
    assert "{" not in done.stdout and "registry alias 'champion' of 'offerodds': 1 (mirrors" in done.stdout
    assert "as recorded at the last promotion, rollback or sync" in done.stdout


def test_two_workspaces_in_one_process_keep_their_own_mlflow_data(tmp_path, monkeypatch):
    """MLflow exports the URI it is given; a second workspace must not log into the first."""
    import os

    from offerodds.tracking._session import connect as _mlflow
    from offerodds.files.workspace import Workspace

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    first, second = Workspace(tmp_path / "a"), Workspace(tmp_path / "b")
    _mlflow(first)
    assert "MLFLOW_TRACKING_URI" not in os.environ
    assert second.tracking_uri.endswith(str(tmp_path / "b" / "mlflow.db"))


# --- what loading MLflow's copy runs, and what it checks --------------------------------------------


def test_mlflows_copy_runs_offerodds_code_that_checks_the_folder_like_the_store(mlflow_template, tmp_path):
    """SECURITY.md, "MLflow and Spark": loading the registry's model runs the code file MLflow
    stored with it (mlflow_model.py: MLflow's "models from code"), so the tracking store must be
    trusted; that code loads the model folder with the model store's checks, so a folder with
    NaN weights (hash rewritten too) is refused there as well, on a Spark worker as anywhere."""
    import json
    import shutil

    import mlflow

    root, _ = mlflow_template
    logged = next((root / "mlartifacts" / "models").glob("*/artifacts"))
    assert (logged / "mlflow_model.py").is_file()  # code, stored beside the model, run on load
    copy = Path(shutil.copytree(logged, tmp_path / "model"))
    mlflow.pyfunc.load_model(str(copy))  # the untouched copy loads

    folder = next((copy / "artifacts").iterdir())
    import io

    from offerodds.stores.modelstore import sha256

    buffer = io.BytesIO()
    coef = np.load(folder / "arrays.npz")["coef"]
    np.savez(buffer, coef=np.full_like(coef, np.nan), covariance=np.zeros((0, 0)))
    (folder / "arrays.npz").write_bytes(buffer.getvalue())
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["arrays.npz"] = sha256(buffer.getvalue())
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(Exception, match="not finite numbers"):
        mlflow.pyfunc.load_model(str(copy))


# --- the pyfunc dates its advice with params={"as_of": ...} ----------------------------------------


def test_pyfunc_gives_the_advice_as_of_the_date_in_its_params(mlflow_template):
    import offerodds

    root, _ = mlflow_template
    mlflow = use_workspace_mlflow(root)
    model = mlflow.pyfunc.load_model(f"models:/{NAME}@champion")
    assert [p.name for p in model.metadata.get_params_schema().params] == ["as_of"]
    data = canonical_signals(INTERVIEWS).head(20)
    for as_of in ("2026-03-02", "2026-04-15"):
        got = model.predict(data, params={"as_of": as_of})
        expected = offerodds.score(data, model=offerodds.load_model(root), as_of=as_of)
        assert list(got.columns) == list(output_columns())
        for column in ("next_step", "next_step_due"):
            assert got[column].tolist() == expected[column].fillna("").astype(str).tolist(), column
        assert set(got["next_step_due"]) == {as_of}  # no interview date among these columns: due that day
    today = model.predict(data)  # no params: today
    assert got["next_step"].tolist() == today["next_step"].tolist()


def test_mlflow_messages_stay_out_of_the_terminal_and_notebook_unless_asked(mlflow_workspace, capfd, monkeypatch):
    """Retraining (promotion registers a version) and loading the registered model print none of
    MLflow's own messages or warnings; OFFERODDS_MLFLOW_MESSAGES lets them through."""
    import offerodds

    root = mlflow_workspace
    monkeypatch.delenv("OFFERODDS_MLFLOW_MESSAGES", raising=False)
    capfd.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = offerodds.retrain(workspace=root, force=True)
        mlflow = use_workspace_mlflow(root)
        model = mlflow.pyfunc.load_model(f"models:/{NAME}@champion")
        model.predict(pd.DataFrame([{"engagement": 4.0}]))
    assert report.version == "v2"
    err = capfd.readouterr().err
    assert "Successfully registered" not in err and "Created version" not in err, err
    assert "type hints" not in err
    assert not [w for w in caught if "type hints" in str(w.message)]



@pytest.mark.parametrize("asked", [False, True])
def test_mlflow_messages_and_warnings_come_through_when_asked(monkeypatch, capfd, asked):
    """While offerodds talks to MLflow, MLflow's event messages (what "Successfully registered
    model" goes through) and its warnings are held back, unless OFFERODDS_MLFLOW_MESSAGES (set by
    --debug) asks for them."""
    from mlflow.utils.logging_utils import eprint

    from offerodds.tracking._session import quiet

    if asked:
        monkeypatch.setenv("OFFERODDS_MLFLOW_MESSAGES", "1")
    else:
        monkeypatch.delenv("OFFERODDS_MLFLOW_MESSAGES", raising=False)
    shown = []
    monkeypatch.setattr(warnings, "showwarning", lambda message, *args, **kwargs: shown.append(str(message)))
    capfd.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with quiet():
            eprint("an MLflow event message")
            warnings.warn_explicit("an MLflow warning", UserWarning, "/site-packages/mlflow/models/x.py", 1)
            warnings.warn("offerodds' own warning")
    err = capfd.readouterr().err
    assert ("an MLflow event message" in err) == asked
    assert ("an MLflow warning" in shown) == asked
    assert "offerodds' own warning" in shown  # never held back
