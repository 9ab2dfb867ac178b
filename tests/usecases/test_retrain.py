"""The retrain pipeline end to end, with MLflow tracking disabled (test_tracking covers MLflow):
merge labels, fit a candidate, judge it, promote it only when it is clearly better, and serve it.

One workspace is trained from empty once per module (v1 promoted from the example outcomes);
tests that change a workspace work on a copy of it.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sklearn.metrics import brier_score_loss, log_loss

import offerodds
from offerodds import cli
from offerodds.signals.catalogue import by_name, contribution_signals
from offerodds.stores.modelstore import ModelStore
from offerodds.stores.outcomes import OutcomeStore
from offerodds.stores.serving import serving
from offerodds.synthetic import generate
from offerodds.files.workspace import Workspace

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
OUTCOMES = REPO / "data" / "examples" / "outcomes.csv"
INTERVIEWS = REPO / "data" / "examples" / "interviews.csv"
SIGNAL_COLUMNS = [c for s in by_name().values() for c in s.columns]


@pytest.fixture(scope="module")
def v1(tmp_path_factory, no_tracking_config):
    """(root, report): ``retrain(outcomes.csv)`` from an empty workspace. Read only."""
    root = tmp_path_factory.mktemp("pipeline") / "ws"
    report = offerodds.retrain(OUTCOMES, workspace=root, config=no_tracking_config)
    return root, report


@pytest.fixture
def v1_copy(v1, tmp_path) -> Path:
    """A private copy of the v1 workspace, to change."""
    root, _ = v1
    return Path(shutil.copytree(root, tmp_path / "ws"))


@pytest.fixture(autouse=True)
def _restore_warning_hook(monkeypatch):
    """``cli.main`` installs its own warning printer; undo it after each test."""
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)


def run_cli(*args) -> int:
    return cli.main([str(a) for a in args])


def store_of(root) -> pd.DataFrame:
    return OutcomeStore(Workspace.resolve(root)).read()


# --- from empty to a champion -----------------------------------------------------------------


def test_retrain_from_an_empty_workspace_promotes_v1(v1, monkeypatch):
    root, report = v1
    assert (report.rows_read, report.rows_rejected) == (1000, 0)
    assert (report.store_rows_before, report.store_rows_after) == (0, 1000)
    assert report.label_counts == {"offer": 295, "no_offer": 705}
    assert report.promoted and report.version == "v1"
    assert report.decision == "promoted as v1"
    assert report.serving == "model v1"
    assert report.run_id is None  # tracking disabled
    assert list(report.table.index[:4]) == ["candidate", "recalibrated_card", "rules", "base_rate"]
    assert report.table.loc["candidate", "log_loss"] <= report.table.loc["recalibrated_card", "log_loss"]
    assert report.table.loc["candidate", "log_loss"] < report.table.loc["rules", "log_loss"]
    assert report.report_path.is_file()
    assert {"reliability", "weights"} <= set(report.figures)
    assert all(Path(p).read_bytes().startswith(b"\x89PNG") for p in report.figures.values())
    text = str(report)
    assert "decision: promoted as v1" in text and "now serving: model v1" in text
    assert not (root / "mlflow.db").exists() and not (root / "mlartifacts").exists()

    monkeypatch.setenv("OFFERODDS_WORKSPACE", str(root))
    scored = offerodds.score(INTERVIEWS)
    assert len(scored) == 200 and (scored["error"] == "").all()
    assert set(scored["scorer"]) == {"model"}
    assert set(scored["model_version"]) == {"v1"}


def test_model_output_is_exactly_additive(v1):
    root, _ = v1
    scored = offerodds.score(INTERVIEWS, model=offerodds.load_model(root))
    assert set(scored["scorer"]) == {"model"}
    contrib = scored[[f"contrib_{s}" for s in contribution_signals()]].to_numpy(dtype=float)
    log_odds = scored["offer_log_odds"].to_numpy(dtype=float)
    baseline = scored["baseline_log_odds"].to_numpy(dtype=float)
    np.testing.assert_allclose(log_odds, baseline + contrib.sum(axis=1), rtol=0, atol=1e-9)
    np.testing.assert_allclose(scored["offer_probability"], expit(log_odds), rtol=0, atol=1e-12)
    # a signal not recorded contributes exactly 0
    raw = pd.read_csv(INTERVIEWS, dtype=str, keep_default_na=False)
    for signal in ("engagement", "selling", "hurried"):
        empty = (raw[signal] == "").to_numpy()
        assert empty.any()
        assert (scored.loc[empty, f"contrib_{signal}"] == 0.0).all()
    # the model has an interval around its probability
    p = scored["offer_probability"]
    assert (scored["offer_probability_low"] <= p).all() and (p <= scored["offer_probability_high"]).all()
    assert (scored["offer_probability_high"] > scored["offer_probability_low"]).all()


# --- nothing new, or nothing real, promotes nothing -----------------------------------------------


@pytest.fixture(scope="module")
def same_file_again(v1, tmp_path_factory, no_tracking_config, copy_workspace):
    """(root, store before, report): the v1 workspace retrained on the same file again."""
    source, _ = v1
    root = copy_workspace(source, tmp_path_factory.mktemp("again") / "ws")
    before = store_of(root)
    report = offerodds.retrain(OUTCOMES, workspace=root, config=no_tracking_config)
    return root, before, report


def test_the_same_file_again_changes_no_row_and_promotes_nothing(same_file_again):
    root, before, report = same_file_again
    after = store_of(root)
    assert (report.store_rows_before, report.store_rows_after) == (1000, 1000)
    columns = ["interview_id", "application_id", "interview_date", "outcome", *SIGNAL_COLUMNS]
    pd.testing.assert_frame_equal(after[columns], before[columns])
    assert not report.promoted and report.decision == "not promoted"
    assert ModelStore(Workspace.resolve(root)).versions() == ["v1"]
    assert ModelStore(Workspace.resolve(root)).champion() == "v1"
    assert serving(Workspace.resolve(root)).scorer.version == "v1"


def test_the_same_file_again_adds_no_outcome_the_champion_never_saw(same_file_again):
    root, before, report = same_file_again
    after = store_of(root)
    assert after["labelled_at"].tolist() == before["labelled_at"].tolist()
    nothing_new = "no outcomes were added since the champion was trained"
    assert any(nothing_new in r for r in report.reasons), report.reasons
    assert "champion, unseen outcomes" not in report.table.index


def test_the_same_file_again_has_no_newly_labelled_interviews(same_file_again):
    _, _, report = same_file_again
    assert report.prospective is None or report.prospective["n"] == 0, report.prospective


def test_shuffled_outcomes_promote_nothing(v1_copy, tmp_path, no_tracking_config):
    frame = pd.read_csv(OUTCOMES, dtype=str, keep_default_na=False)
    rng = np.random.default_rng(20260501)
    frame["outcome"] = rng.permutation(frame["outcome"].to_numpy())
    path = tmp_path / "relabelled.csv"
    frame.to_csv(path, index=False)

    report = offerodds.retrain(path, workspace=v1_copy, config=no_tracking_config)
    assert report.store_rows_after == 1000
    stored = store_of(v1_copy).set_index("interview_id")["outcome"]
    assert stored.reindex(frame["interview_id"]).tolist() == frame["outcome"].tolist()  # relabelled
    assert not report.promoted and report.decision == "not promoted", str(report)
    assert report.reasons, "a refusal says why"
    ws = Workspace.resolve(v1_copy)
    assert ModelStore(ws).versions() == ["v1"] and ModelStore(ws).champion() == "v1"


# --- too few outcomes -----------------------------------------------------------------------------


def few_labels(path: Path, offers: int, no_offers: int) -> Path:
    frame = generate(offers + no_offers + 40, seed=8)
    offer, no_offer = frame[frame["outcome"] == "offer"], frame[frame["outcome"] == "no_offer"]
    frame = pd.concat([offer.head(offers), no_offer.head(no_offers)])
    frame.to_csv(path, index=False)
    return path


def test_too_few_outcomes_of_a_class_trains_nothing(tmp_path, no_tracking_config):
    path = few_labels(tmp_path / "few.csv", offers=4, no_offers=30)
    root = tmp_path / "ws"
    report = offerodds.retrain(path, workspace=root, config=no_tracking_config)
    assert report.decision == "not trained" and not report.promoted
    assert report.label_counts == {"offer": 4, "no_offer": 30}
    assert "too few outcomes" in report.reasons[0] and "at least 5" in report.reasons[0]
    assert report.candidate is None and report.table is None
    assert report.store_rows_after == 34  # the labels are kept for later
    ws = Workspace.resolve(root)
    assert ModelStore(ws).versions() == []
    assert serving(ws).scorer.kind == "rules"
    assert "too few outcomes" in str(report)


def test_too_few_outcomes_keeps_the_champion_serving(v1_copy, tmp_path):
    config = tmp_path / "strict.toml"
    config.write_text("[fit]\nmin_outcomes_per_class = 5000\n[tracking]\nenabled = false\n", encoding="utf-8")
    report = offerodds.retrain(OUTCOMES, workspace=v1_copy, config=config)
    assert report.decision == "not trained"
    assert "at least 5000" in report.reasons[0]
    ws = Workspace.resolve(v1_copy)
    assert ModelStore(ws).versions() == ["v1"]
    assert serving(ws).scorer.version == "v1"
    assert report.serving.startswith("model v1")


# --- force, rollback ------------------------------------------------------------------------------


def test_force_promotes_and_rollback_restores_the_previous_champion(v1_copy, no_tracking_config, capsys):
    ws = Workspace.resolve(v1_copy)
    report = offerodds.retrain(workspace=v1_copy, force=True, config=no_tracking_config)
    assert report.promoted and report.version == "v2" and report.decision == "promoted as v2"
    assert any("--force" in r for r in report.reasons)
    assert serving(ws).scorer.version == "v2"
    capsys.readouterr()

    assert run_cli("rollback", "--workspace", v1_copy) == 0
    out = capsys.readouterr().out
    assert "champion: v2 -> v1" in out
    assert ModelStore(ws).champion() == "v1"
    assert ModelStore(ws).versions() == ["v1", "v2"]  # nothing is deleted
    scored = offerodds.score(INTERVIEWS, model=offerodds.load_model(v1_copy))
    assert set(scored["model_version"]) == {"v1"}

    assert run_cli("rollback", "rules", "--workspace", v1_copy) == 0  # straight to the rule card
    assert "champion: v1 -> rules" in capsys.readouterr().out
    assert serving(ws).scorer.kind == "rules"

    assert run_cli("rollback", "v2", "--workspace", v1_copy) == 0  # or to a stored version
    assert "champion: rules -> v2" in capsys.readouterr().out
    assert ModelStore(ws).champion() == "v2"

    assert run_cli("rollback", "v9", "--workspace", v1_copy) == 1  # not stored: one clear line
    assert "no model v9" in capsys.readouterr().err
    assert ModelStore(ws).champion() == "v2"


def promote_copies(root: Path, *versions: str) -> ModelStore:
    """Store copies of the champion as the next versions and promote each (no fitting)."""
    store = ModelStore(Workspace.resolve(root))
    with store.lock():
        for _ in versions:
            scorer = store.load(store.champion())
            store.set_champion(store.save(scorer), "promoted by retrain")
    return store


def test_a_second_rollback_goes_further_back(v1_copy, capsys):
    store = promote_copies(v1_copy, "v2", "v3")
    assert store.champion() == "v3"
    assert run_cli("rollback", "--workspace", v1_copy) == 0
    assert store.champion() == "v2"
    assert run_cli("rollback", "--workspace", v1_copy) == 0
    assert "champion: v2 -> v1" in capsys.readouterr().out
    assert store.champion() == "v1"


def test_rollback_without_a_champion_is_a_clear_error(tmp_path, capsys):
    assert run_cli("rollback", "--workspace", tmp_path / "empty") == 1
    err = capsys.readouterr().err
    assert "no champion to roll back from" in err and "Traceback" not in err


# --- the prospective check --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def new_outcomes(v1, tmp_path_factory, no_tracking_config, copy_workspace):
    """The v1 workspace retrained on 300 newly labelled interviews.

    Returns (root, report, y, p): the new outcomes and v1's probabilities for them.
    """
    source, _ = v1
    folder = tmp_path_factory.mktemp("new-outcomes")
    root = copy_workspace(source, folder / "ws")
    new = generate(300, seed=21)  # interview ids syn-21-*: none is in the store
    path = folder / "new.csv"
    new.to_csv(path, index=False)
    p = offerodds.score(path, model=offerodds.load_model(root))["offer_probability"].to_numpy()
    y = (new["outcome"] == "offer").to_numpy(dtype=float)
    report = offerodds.retrain(path, workspace=root, config=no_tracking_config)
    return root, report, y, p


def test_prospective_check_scores_the_serving_scorer_on_newly_labelled_rows(v1, new_outcomes):
    _, first = v1
    assert first.prospective_scorer == "the rule card rules-1" and first.prospective["n"] == 1000

    _, report, y, p = new_outcomes
    assert report.prospective_scorer == "model v1"
    got = report.prospective
    assert got["n"] == 300
    assert got["log_loss"] == pytest.approx(log_loss(y, p), abs=1e-9)
    assert got["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-9)
    assert "how the scorer in use (model v1) predicted the 300 newly labelled interviews" in str(report)
    assert report.store_rows_after == 1300


def test_the_gate_judges_the_champion_on_the_new_outcomes(new_outcomes):
    _, report, _, _ = new_outcomes
    assert any("on the 300 outcomes the champion never saw" in r for r in report.reasons), report.reasons
    assert report.table.loc["champion, unseen outcomes", "n"] == 300


# --- the command line ---------------------------------------------------------------------------------


def test_cli_retrain_status_history(tmp_path, no_tracking_config, capsys):
    frame = generate(300, seed=5)
    frame["outcome"] = frame["outcome"].astype("object")
    frame.loc[7, "outcome"] = "maybe"
    labelled = tmp_path / "labelled.csv"
    frame.to_csv(labelled, index=False)
    root = tmp_path / "ws"

    assert run_cli("retrain", labelled, "--config", no_tracking_config, "--workspace", root) == 0
    captured = capsys.readouterr()
    assert "decision: " in captured.out and "now serving: " in captured.out
    assert "labelled rows read: 300, rejected: 1" in captured.out
    assert "1 labelled row rejected" in captured.err
    rejects = pd.read_csv(root / "reports" / "retrain.rejects.csv", dtype=str)
    errors = rejects[rejects["severity"] == "error"]  # warnings (one of two minutes) keep their row
    assert errors["value"].tolist() == ["maybe"] and errors["row"].tolist() == ["8"]
    decision = next(line.strip() for line in captured.out.splitlines() if line.strip().startswith("decision: "))
    # plain words first: what was read and learned from, the decision, what next; figures after
    out = captured.out.splitlines()
    assert out[0].startswith("This time: 300 labelled rows read, 1 rejected")
    assert out[1].startswith("Learned from 299 interviews with an outcome")
    plain = out[: out.index("The figures behind it:")]
    assert any(line.startswith("Decision: ") for line in plain) and any(line.startswith("Next: ") for line in plain)
    assert not any(word in " ".join(plain) for word in ("Brier", "ECE", "AUC", "out-of-fold", "resamples"))
    chosen = serving(Workspace.resolve(root)).scorer

    assert run_cli("status", "--workspace", root) == 0
    status = capsys.readouterr().out
    scorer = "the rule card" if chosen.kind == "rules" else "model"
    assert f"serving: {scorer} {chosen.version}" in status
    assert "outcome store: 299 interviews" in status

    assert run_cli("history", "--workspace", root) == 0
    history = capsys.readouterr().out
    if decision == "decision: promoted as v1":
        assert "rules -> v1" in history and "v1: created" in history
    else:
        assert "no champion changes yet" in history


def test_cli_status_and_history_of_a_trained_workspace(v1, capsys):
    root, _ = v1
    assert run_cli("status", "--workspace", root) == 0
    status = capsys.readouterr().out
    assert "serving: model v1 (champion v1" in status
    assert "stored versions: v1" in status
    assert "outcome store: 1,000 interviews" in status
    assert run_cli("history", "--workspace", root) == 0
    history = capsys.readouterr().out
    assert "rules -> v1  (promoted by retrain)" in history
    assert "v1: created" in history and "295 offers / 705 no-offers" in history


def test_score_with_a_broken_champion(v1_copy, tmp_path, capsys):
    data = bytearray((v1_copy / "models" / "v1" / "arrays.npz").read_bytes())
    data[len(data) // 2] ^= 0x01
    (v1_copy / "models" / "v1" / "arrays.npz").write_bytes(bytes(data))
    out = tmp_path / "scored.csv"

    assert run_cli("score", INTERVIEWS, "-o", out, "--no-fallback", "--workspace", v1_copy) == 1
    err = capsys.readouterr().err
    assert "SHA-256" in err and "--no-fallback" in err
    assert "Traceback" not in err and len([line for line in err.splitlines() if line.strip()]) == 1

    assert run_cli("score", INTERVIEWS, "-o", out, "--workspace", v1_copy) == 0
    err = capsys.readouterr().err
    assert "rule card" in err and "the champion could not be loaded" in err
    assert "arrays.npz does not match its SHA-256" in err
    scored = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert set(scored["scorer"]) == {"rules"} and len(scored) == 200


# --- a forged or broken champion never breaks the next retrain; rollback takes versions only ---------


def forge_nan_weights(root: Path, version: str) -> None:
    """NaN weights in a version, with the manifest's hash rewritten to match (a full forgery)."""
    import io
    import json

    from offerodds.stores.modelstore import sha256

    folder = root / "models" / version
    buffer = io.BytesIO()
    n = len(offerodds.rules().coef)
    np.savez(buffer, coef=np.full(n, np.nan), covariance=np.zeros((0, 0)))
    (folder / "arrays.npz").write_bytes(buffer.getvalue())
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["arrays.npz"] = sha256(buffer.getvalue())
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_a_champion_with_nan_weights_never_serves_and_never_fails_a_retrain(v1_copy, tmp_path, no_tracking_config, capsys):
    forge_nan_weights(v1_copy, "v1")
    out = tmp_path / "scored.csv"
    assert run_cli("score", INTERVIEWS, "-o", out, "--workspace", v1_copy) == 0
    assert "falling back to the rule card" in capsys.readouterr().err
    assert set(pd.read_csv(out)["scorer"]) == {"rules"}

    new = tmp_path / "new.csv"
    generate(300, seed=31).to_csv(new, index=False)
    for _ in range(2):  # every later retrain works, and says what serves
        report = offerodds.retrain(new, workspace=v1_copy, config=no_tracking_config)
        assert report.table is not None and "could not be loaded" not in report.decision
        assert report.prospective_scorer in ("the rule card rules-1", "model v2")
    ws = Workspace.resolve(v1_copy)
    assert serving(ws).scorer.kind in ("rules", "model") and serving(ws).scorer.version != "v1"


def test_rollback_takes_a_version_number_and_refuses_a_path(v1_copy, tmp_path, capsys):
    store = promote_copies(v1_copy, "v2")
    assert run_cli("rollback", "1", "--workspace", v1_copy) == 0
    assert "champion: v2 -> v1" in capsys.readouterr().out and store.champion() == "v1"
    outside = Path(shutil.copytree(v1_copy / "models" / "v2", tmp_path / "some" / "folder"))
    for bad in (outside, "../v2", "v2/../v2", "models/v2"):
        assert run_cli("rollback", bad, "--workspace", v1_copy) == 1
        err = capsys.readouterr().err
        assert "is not a model version: give a stored version such as v3 (or 3), or 'rules'" in err, err
        assert store.champion() == "v1"


def test_history_and_rollback_survive_a_damaged_history_line(v1_copy, capsys):
    store = promote_copies(v1_copy, "v2", "v3")
    history = v1_copy / "models" / "history.jsonl"
    lines = history.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][: len(lines[1]) // 2]  # the v1 -> v2 line, torn
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert run_cli("history", "--workspace", v1_copy) == 0
    captured = capsys.readouterr()
    assert f"offerodds: warning: {history} line 2 is damaged and was skipped" in captured.err
    assert "v2 -> v3" in captured.out and "v3: created" in captured.out

    assert run_cli("rollback", "--workspace", v1_copy) == 0
    assert "champion: v3 -> v2" in capsys.readouterr().out and store.champion() == "v2"


def test_rollback_repairs_a_broken_pointer_when_told_which_version(v1_copy, capsys):
    pointer = v1_copy / "models" / "champion.json"
    pointer.write_text('{"version": "/etc"}', encoding="utf-8")
    assert run_cli("status", "--workspace", v1_copy) == 0
    assert "serving: the rule card rules-1 (the champion could not be loaded: the champion pointer" in capsys.readouterr().out
    assert run_cli("rollback", "--workspace", v1_copy) == 1
    assert "name the version to serve: offerodds rollback v3 (or rules)" in capsys.readouterr().err
    assert run_cli("rollback", "v1", "--workspace", v1_copy) == 0
    assert "champion: rules -> v1" in capsys.readouterr().out
    assert serving(Workspace.resolve(v1_copy)).scorer.version == "v1"


def test_the_report_names_the_recalibrated_card_when_it_is_served_instead(tmp_path, capsys):
    """A world where the card is right but twice too timid: the recalibrated card wins the gate,
    and the report says it, not the unserved learned model, is what now serves."""
    from dataclasses import replace

    from offerodds.synthetic import typed_frame
    from offerodds.config import load_config

    frame = generate(400, seed=100).drop(columns=["true_probability"])
    z = offerodds.rules().decompose(typed_frame(frame)).log_odds
    frame["outcome"] = np.where(np.random.default_rng(100).random(400) < expit(0.3 + 2 * z), "offer", "no_offer")
    config = load_config()
    config = replace(config, tracking=replace(config.tracking, enabled=False))
    report = offerodds.retrain(frame, workspace=tmp_path / "ws", config=config)
    assert report.decision == "promoted as v1 (the rule card recalibrated)"
    assert report.served_instead.startswith("the rule card recalibrated: slope ")
    page = report.report_path.read_text(encoding="utf-8")
    assert "Served instead of the learned model: the rule card recalibrated" in page
    capsys.readouterr()
    assert cli.main(["status", "--workspace", str(tmp_path / "ws")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("serving: model v1") and lines[2] == (
        "  the rule card recalibrated on 400 outcomes (its level and overall strength)"
    )


def test_status_says_what_the_learned_model_made_of_the_card(tmp_path, capsys):
    from dataclasses import replace

    from offerodds.config import load_config

    config = load_config()
    config = replace(config, tracking=replace(config.tracking, enabled=False))
    from tests.conftest import EXAMPLE_OUTCOMES

    report = offerodds.retrain(EXAMPLE_OUTCOMES, workspace=tmp_path / "ws", config=config)
    assert report.decision == "promoted as v1", report.reasons
    capsys.readouterr()
    assert cli.main(["status", "--workspace", str(tmp_path / "ws")]) == 0
    line = capsys.readouterr().out.splitlines()[2]
    info = report.candidate.fit_summary
    assert line == f"  learned from 1,000 outcomes: the card's points x{info.card_scale:.2f}, level {info.level_shift:+.2f} log-odds"
