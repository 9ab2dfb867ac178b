"""Loading one model version folder (SECURITY.md, "The model store"): confined, read once, every
value checked, and any failure a fallback to the rule card with the reason.

Each attack here is the full forgery: the file is rewritten AND its SHA-256 in the manifest, so
the hash check passes and only the loader's own checks stand between the file and the scorer.
The stored scorers are built by hand (no fitting), so these tests are fast; the ones that need a
real process (a file the user cannot read, the load race) run ``python -m offerodds.cli``.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import offerodds
from tests.conftest import (
    EXAMPLE_INTERVIEWS,
    as_an_ordinary_user,
    make_scorer,
    resume,
    run_offerodds,
    start_offerodds,
    wait_until_stopped,
)
from offerodds import cli
from offerodds.stores.modelfiles import MAX_WEIGHT, load_folder
from offerodds.stores.modelstore import StoreError, sha256
from offerodds.stores.serving import ChampionUnavailable, serving
from offerodds.files.workspace import Workspace


@pytest.fixture
def champion(store) -> str:
    """v1 saved and promoted."""
    with store.lock():
        version = store.save(make_scorer())
        store.set_champion(version, "test")
    return version


def forge(folder: Path, name: str, data: bytes) -> None:
    """Replace ``name`` in a version folder and its hash in the manifest (a consistent forgery)."""
    (folder / name).write_bytes(data)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][name] = sha256(data)
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def params_of(folder: Path) -> dict:
    return json.loads((folder / "params.json").read_text(encoding="utf-8"))


def assert_falls_back(ws: Workspace, *fragments: str) -> str:
    """The rule card serves, the reason names every fragment; --no-fallback refuses."""
    chosen = serving(ws)
    assert chosen.scorer.kind == "rules", chosen.reason
    assert chosen.reason.startswith("the champion could not be loaded: "), chosen.reason
    for fragment in fragments:
        assert fragment in chosen.reason, (fragment, chosen.reason)
    with pytest.raises(ChampionUnavailable):
        serving(ws, fallback=False)
    return chosen.reason


N = len(offerodds.rules().coef)


# --- forged arrays: never served ------------------------------------------------------------------


@pytest.mark.parametrize(
    "arrays, says",
    [
        (dict(coef=np.full(N, np.nan), covariance=np.zeros((0, 0))), "not finite numbers"),
        (dict(coef=np.r_[np.inf, np.zeros(N - 1)], covariance=np.zeros((0, 0))), "not finite numbers"),
        (dict(coef=np.full(N, 10 * MAX_WEIGHT), covariance=np.zeros((0, 0))), "within +-1000"),
        (dict(coef=np.zeros(N - 1), covariance=np.zeros((0, 0))), f"coef has shape ({N - 1},), expected ({N},)"),
        (dict(coef=np.zeros((N, 1)), covariance=np.zeros((0, 0))), "coef has shape"),
        (dict(coef=np.zeros(N, dtype=np.int64), covariance=np.zeros((0, 0))), "not 64-bit floats"),
        (dict(coef=np.array(["x"] * N), covariance=np.zeros((0, 0))), "not 64-bit floats"),
        (dict(coef=np.zeros(N), covariance=np.eye(N)), "covariance has shape"),
        (dict(coef=np.zeros(N), covariance=np.full((N + 1, N + 1), np.nan)), "covariance that is not finite"),
        (dict(coef=np.zeros(N), covariance=-np.eye(N + 1)), "variances >= 0"),
        (dict(coef=np.zeros(N), covariance=np.triu(np.ones((N + 1, N + 1)))), "not symmetric"),
        (dict(coef=np.zeros(N)), "not coef and covariance"),
        (dict(coef=np.zeros(N), covariance=np.zeros((0, 0)), extra=np.zeros(1)), "not coef and covariance"),
    ],
    ids=["nan", "inf", "huge", "short", "2d", "ints", "text", "cov-shape", "cov-nan", "cov-negative",
         "cov-asymmetric", "missing", "extra"],
)
def test_forged_arrays_are_refused_and_the_rule_card_serves(store, ws, champion, arrays, says):
    forge(ws.version_dir(champion), "arrays.npz", npz(**arrays))
    with pytest.raises(StoreError, match="arrays.npz") as caught:
        store.load(champion)
    assert says in str(caught.value)
    assert_falls_back(ws, "model v1", says)


@pytest.mark.parametrize(
    "data, says",
    [(b"not a zip", "cannot be read"), (b"PK\x03\x04" + b"\0" * 40, "cannot be read")],
    ids=["garbage", "broken-zip"],
)
def test_an_arrays_file_that_is_not_an_archive_is_refused(store, ws, champion, data, says):
    forge(ws.version_dir(champion), "arrays.npz", data)
    assert_falls_back(ws, "arrays.npz", says)


class _Payload:
    """Unpickling this creates a folder: proof that a pickle ran."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (os.makedirs, (self.marker,))


def test_an_object_array_is_refused_without_running_it(store, ws, champion, tmp_path):
    folder = ws.version_dir(champion)
    marker = tmp_path / "pickle-ran"
    forge(folder, "arrays.npz", npz(coef=np.array([_Payload(marker)] * N, dtype=object), covariance=np.zeros((0, 0))))
    with pytest.raises(StoreError, match="coef holds object, not 64-bit floats"):
        store.load(champion)
    assert not marker.exists(), "loading the artifact ran a pickle"
    assert_falls_back(ws, "not 64-bit floats")
    # the payload is live: numpy with allow_pickle=True would have run it
    with np.load(folder / "arrays.npz", allow_pickle=True) as arrays:
        arrays["coef"]
    assert marker.exists()


def test_a_compressed_bomb_is_read_no_further_than_its_header(store, ws, champion):
    """A member whose header claims the right shape but holds far more data reads only the
    claimed bytes (numpy stops there), so it cannot fill the memory."""
    folder = ws.version_dir(champion)
    coef = io.BytesIO()
    np.save(coef, np.zeros(N))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("coef.npy", coef.getvalue() + b"\0" * (200 << 20))  # 200 MB of zeros
        empty = io.BytesIO()
        np.save(empty, np.zeros((0, 0)))
        archive.writestr("covariance.npy", empty.getvalue())
    assert len(buffer.getvalue()) < 1 << 20
    forge(folder, "arrays.npz", buffer.getvalue())
    loaded = store.load(champion)  # the claimed array is valid: it loads, and only it
    assert loaded.coef.shape == (N,) and not loaded.coef.any()


# --- forged parameters ----------------------------------------------------------------------------


def deeply_nested(depth: int = 100_000) -> bytes:
    return ("[" * depth + "]" * depth).encode()


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda p: [1, 2], "is a list, not an object"),
        (lambda p: deeply_nested(), "nested too deeply"),
        (lambda p: b"\xff\xfe not text", "not valid JSON"),
        (lambda p: {**p, "intercept": float("nan")}, "intercept is nan"),
        (lambda p: {**p, "intercept": "1.5"}, "intercept is str, not a number"),
        (lambda p: {**p, "intercept": True}, "intercept is bool"),
        (lambda p: {**p, "intercept": 1e300}, "within +-1000"),
        (lambda p: {**p, "intercept": 10**400}, "within +-1000"),
        (lambda p: {**p, "version": "/some/folder"}, "names version '/some/folder'"),
        (lambda p: {**p, "version": "v7"}, "names version 'v7'"),
        (lambda p: {**p, "kind": "evil"}, "kind is 'evil'"),
        (lambda p: {**p, "features": p["features"][::-1]}, "different signal catalogue"),
        (lambda p: {**p, "info": [1]}, "info is a list"),
        (lambda p: {**p, "info": {**p["info"], "interval_inflation": -1.0}}, "not positive"),
        (lambda p: {**p, "info": {**p["info"], "interval_inflation": float("inf")}}, "interval_inflation is inf"),
        (lambda p: {**p, "info": {**p["info"], "trained_through": 5}}, "info.trained_through is int, not str"),
        (lambda p: {**p, "info": {**p["info"], "n_offers": 1.5}}, "info.n_offers is float, not int"),
        (lambda p: {**p, "info": {**p["info"], "level_shift": 10**400}}, "info.level_shift is int, not float"),
        (lambda p: {**p, "info": {**p["info"], "config": "x"}}, "info.config is str, not dict"),
    ],
    ids=["list", "nested", "not-utf8", "nan-intercept", "text-intercept", "bool-intercept", "huge-intercept", "huge-int",
         "path-version", "other-version", "kind", "catalogue", "info-list", "inflation-negative", "inflation-inf",
         "trained-through", "n-offers", "huge-shift", "config"],
)
def test_forged_parameters_are_refused_and_the_rule_card_serves(store, ws, champion, change, says):
    folder = ws.version_dir(champion)
    changed = change(params_of(folder))
    forge(folder, "params.json", changed if isinstance(changed, bytes) else json.dumps(changed).encode())
    with pytest.raises(StoreError, match="params.json") as caught:
        store.load(champion)
    assert says in str(caught.value)
    assert_falls_back(ws, "model v1", says)


@pytest.mark.parametrize(
    "manifest, says",
    [
        (b"[1, 2]", "does not list exactly"),
        (deeply_nested(), "nested too deeply"),
        (json.dumps({"files": {"params.json": "0" * 64}}).encode(), "does not list exactly"),
        (json.dumps({"files": {"params.json": "0" * 64, "arrays.npz": "0" * 64, "x.pkl": "0" * 64}}).encode(),
         "does not list exactly"),
    ],
    ids=["list", "nested", "one-file", "three-files"],
)
def test_a_forged_manifest_is_refused(ws, champion, manifest, says):
    (ws.version_dir(champion) / "manifest.json").write_bytes(manifest)
    assert_falls_back(ws, "manifest.json", says)


# --- the load race: what is hashed is what is parsed ------------------------------------------------


def test_a_file_swapped_after_the_hash_check_is_not_what_serves(champion, ws, tmp_path):
    """A real ``offerodds score`` stops right after it read and hashed the champion's files;
    arrays.npz is then replaced by NaN weights (leaving the manifest alone, as an attacker racing
    the check would). The process goes on: it must score with the weights it hashed, since it
    parses the bytes it read instead of opening the file again."""
    clean = tmp_path / "clean.csv"
    assert cli.main(["score", str(EXAMPLE_INTERVIEWS), "-o", str(clean), "--quiet", "--workspace", str(ws.root)]) == 0
    raced = tmp_path / "raced.csv"
    process = start_offerodds("score", EXAMPLE_INTERVIEWS, "-o", raced, "--quiet", "--workspace", ws.root,
                              fault="load.hashed:stop")
    try:
        assert wait_until_stopped(process), "offerodds never reached the point after the hash check"
        (ws.version_dir(champion) / "arrays.npz").write_bytes(npz(coef=np.full(N, np.nan), covariance=np.zeros((0, 0))))
        code, _, err = resume(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 0, err
    got, expected = pd.read_csv(raced), pd.read_csv(clean)
    assert set(got["model_version"]) == {"v1"}
    np.testing.assert_array_equal(got["offer_probability"].to_numpy(), expected["offer_probability"].to_numpy())
    # the swapped file itself is refused by the next load
    assert_falls_back(ws, "arrays.npz does not match its SHA-256")


def test_the_fault_hook_refuses_a_point_it_does_not_know(monkeypatch):
    from offerodds.files.faults import checkpoint

    monkeypatch.setenv("OFFERODDS_FAULT", "load.hashd:stop")  # misspelt: must not pass silently
    with pytest.raises(ValueError, match="expected POINT:ACTION"):
        checkpoint("load.hashed")
    monkeypatch.setenv("OFFERODDS_FAULT", "load.hashed:explode")
    with pytest.raises(ValueError, match="expected POINT:ACTION"):
        checkpoint("load.hashed")


# --- what the user cannot read ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["models/v1/arrays.npz", "models/v1/manifest.json", "models/champion.json"])
def test_a_champion_the_user_cannot_read_falls_back_in_every_command(champion, ws, tmp_path, name):
    (ws.root / name).chmod(0)
    scored = tmp_path / "scored.csv"
    as_user = as_an_ordinary_user()
    code, _, err = run_offerodds("score", EXAMPLE_INTERVIEWS, "-o", scored, "--workspace", ws.root, preexec_fn=as_user)
    assert code == 0, err
    assert "falling back to the rule card" in err and "Permission denied" in err and "Traceback" not in err
    assert set(pd.read_csv(scored)["scorer"]) == {"rules"}

    code, out, err = run_offerodds("status", "--workspace", ws.root, preexec_fn=as_user)
    assert code == 0 and "Traceback" not in err, err
    assert "serving: the rule card rules-1 (the champion could not be loaded" in out and "Permission denied" in out

    code, out, err = run_offerodds("history", "--workspace", ws.root, preexec_fn=as_user)
    assert code == 0 and "Traceback" not in err, err
    assert "v1: created" in out

    code, _, err = run_offerodds("score", EXAMPLE_INTERVIEWS, "-o", scored, "--no-fallback", "--workspace", ws.root,
                                 preexec_fn=as_user)
    assert code == 1 and "Permission denied" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_stored_version_is_loaded_back_before_it_is_renamed_into_place(store, ws):
    """The store never holds a version it would refuse to serve."""
    scorer = make_scorer()
    scorer.coef = scorer.coef * 0 + 5 * MAX_WEIGHT  # finite, so the scorer object accepts it
    with store.lock(), pytest.raises(StoreError, match="within"):
        store.save(scorer)
    assert store.versions() == [] and [p.name for p in ws.models_dir.iterdir()] == [".retrain.lock"]


def test_load_folder_names_what_it_was_given(tmp_path):
    with pytest.raises(StoreError, match="no model mlflow artifact"):
        load_folder(tmp_path / "absent", "mlflow artifact")


def test_a_file_scored_during_a_promotion_is_scored_by_one_version(store, ws, champion, tmp_path):
    """``offerodds score`` holds the champion it loaded: a promotion that lands while it scores
    (here: while it is stopped, between loading v1 and scoring the first of 20 chunks) changes
    the next command's model, never half of this file."""
    out = tmp_path / "during.csv"
    process = start_offerodds("score", EXAMPLE_INTERVIEWS, "-o", out, "--quiet", "--chunk-rows", 10,
                              "--workspace", ws.root, fault="load.hashed:stop")
    try:
        assert wait_until_stopped(process)
        with store.lock():
            store.set_champion(store.save(make_scorer(5)), "promoted by retrain")
        code, _, err = resume(process)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 0, err
    assert set(pd.read_csv(out)["model_version"]) == {"v1"}
    after = tmp_path / "after.csv"
    assert cli.main(["score", str(EXAMPLE_INTERVIEWS), "-o", str(after), "--quiet", "--workspace", str(ws.root)]) == 0
    assert set(pd.read_csv(after)["model_version"]) == {"v2"}
