"""The model store (DESIGN.md, "Workspace and model versions"): versions v1, v2, ..., a manifest
with SHA-256 of every file, artifacts that cannot run code, an atomic champion pointer and a
lock. The stored scorers here are built by hand (no fitting), so these tests are fast.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

import offerodds
from offerodds.stores import modelstore as modelstore_module
from offerodds.stores.modelstore import ModelStore, StoreError, parse_version, sha256
from offerodds.stores.serving import ChampionUnavailable, serving
from offerodds.files.workspace import Workspace
from tests.conftest import make_scorer


@pytest.fixture
def champion(store) -> str:
    """v1 saved and promoted."""
    with store.lock():
        version = store.save(make_scorer(), metrics={"candidate": {"log_loss": 0.42}})
        store.set_champion(version, "test")
    return version


def flip_one_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


# --- versions and manifest ----------------------------------------------------------------------


def test_versions_count_up_in_numeric_order(store):
    assert store.versions() == [] and store.next_version() == "v1"
    with store.lock():
        saved = [store.save(make_scorer(i)) for i in range(11)]
    assert saved == [f"v{i}" for i in range(1, 12)]
    assert store.versions() == saved  # v10 and v11 after v9, not after v1
    assert store.next_version() == "v12"


def test_a_stored_version_loads_back_exactly(store):
    scorer = make_scorer(3)
    with store.lock():
        version = store.save(scorer)
    loaded = store.load(version)
    assert (loaded.kind, loaded.version) == ("model", version)
    assert loaded.intercept == scorer.intercept
    np.testing.assert_array_equal(loaded.coef, scorer.coef)
    np.testing.assert_array_equal(loaded.covariance, scorer.covariance)
    assert loaded.fit_summary.n_offers == scorer.fit_summary.n_offers


def test_manifest_records_what_the_version_is(store, ws):
    with store.lock():
        version = store.save(make_scorer(2), metrics={"candidate": {"log_loss": 0.4}})
    manifest = json.loads((ws.version_dir(version) / "manifest.json").read_text(encoding="utf-8"))
    for key in ("version", "created", "signals", "label_counts", "metrics", "files", "libraries"):
        assert key in manifest, key
    assert manifest["version"] == version
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", manifest["created"])
    assert set(manifest["signals"]) >= {"engagement", "stage", "interview_length", "hurried"}
    assert manifest["label_counts"] == {"offer": 42, "no_offer": 90}
    assert manifest["metrics"] == {"candidate": {"log_loss": 0.4}}
    assert set(manifest["files"]) == {"params.json", "arrays.npz"}
    for name, digest in manifest["files"].items():
        assert digest == sha256(ws.version_dir(version) / name)
        assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert {"numpy", "pandas", "scikit-learn"} <= set(manifest["libraries"])
    assert store.manifest_of(version) == manifest


def test_no_staging_folder_is_left_behind(store, ws):
    with store.lock():
        store.save(make_scorer())
        store.save(make_scorer(1))
    leftovers = [p.name for p in ws.models_dir.iterdir() if p.name.startswith(".v")]
    assert leftovers == []


# --- a changed, foreign or dangerous artifact is refused --------------------------------------


@pytest.mark.parametrize("name", ["params.json", "arrays.npz"])
def test_one_changed_byte_is_refused(store, ws, champion, name):
    flip_one_byte(ws.version_dir(champion) / name)
    with pytest.raises(StoreError, match=rf"{re.escape(name)} does not match its SHA-256"):
        store.load(champion)
    # scoring falls back to the rule card and says why ...
    chosen = serving(ws)
    assert chosen.scorer.kind == "rules"
    assert "does not match its SHA-256" in chosen.reason and name in chosen.reason
    # ... unless asked not to
    with pytest.raises(ChampionUnavailable, match="SHA-256"):
        serving(ws, fallback=False)


def test_a_foreign_file_in_the_version_folder_is_refused(store, ws, champion):
    (ws.version_dir(champion) / "extra.pkl").write_bytes(b"\x80\x04K\x01.")
    with pytest.raises(StoreError, match=r"does not list: \['extra.pkl'\]"):
        store.load(champion)
    assert serving(ws).scorer.kind == "rules"


def test_a_missing_file_is_refused(store, ws, champion):
    (ws.version_dir(champion) / "arrays.npz").unlink()
    with pytest.raises(StoreError, match="missing arrays.npz"):
        store.load(champion)


def test_a_tampered_version_cannot_be_promoted(store, ws, champion):
    with store.lock():
        v2 = store.save(make_scorer(1))
    flip_one_byte(ws.version_dir(v2) / "params.json")
    with store.lock(), pytest.raises(StoreError, match="SHA-256"):
        store.set_champion(v2, "test")
    assert store.champion() == champion


# --- the champion pointer -------------------------------------------------------------------------


def test_promotion_and_rollback_move_the_pointer(store, ws, champion):
    assert store.champion() == champion
    assert serving(ws).scorer.version == champion
    with store.lock():
        v2 = store.save(make_scorer(1))
        store.set_champion(v2, "promoted")
    assert store.champion() == v2 and serving(ws).scorer.version == v2
    with store.lock():
        store.set_champion(champion, "rollback")
    assert store.champion() == champion and serving(ws).scorer.version == champion
    with store.lock():
        store.set_champion(None, "back to the rule card")
    assert store.champion() is None and serving(ws).scorer.kind == "rules"
    moves = [(e["from"], e["to"]) for e in store.history()]
    assert moves == [(None, "v1"), ("v1", "v2"), ("v2", "v1"), ("v1", None)]


def test_the_pointer_is_written_beside_it_and_renamed_into_place(store, ws, champion, monkeypatch):
    renames = []
    real_replace = os.replace

    def spy(src, dst, *args, **kwargs):
        renames.append((Path(src), Path(dst)))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(modelstore_module.os, "replace", spy)
    with store.lock():
        v2 = store.save(make_scorer(1))
        store.set_champion(v2, "promoted")
    assert [d for _, d in renames] == [ws.champion_pointer]
    src = renames[0][0]
    assert src.parent == ws.champion_pointer.parent and src != ws.champion_pointer
    assert not src.exists()
    assert json.loads(ws.champion_pointer.read_text(encoding="utf-8"))["version"] == v2


def test_an_interrupted_pointer_write_keeps_the_old_champion(store, ws, champion, monkeypatch):
    with store.lock():
        v2 = store.save(make_scorer(1))

    def crash(src, dst, *args, **kwargs):
        raise OSError("power cut")

    with monkeypatch.context() as patched:
        patched.setattr(modelstore_module.os, "replace", crash)
        with store.lock(), pytest.raises(OSError, match="power cut"):
            store.set_champion(v2, "promoted")
    assert store.champion() == champion
    assert serving(ws).scorer.version == champion


# --- the lock -------------------------------------------------------------------------------------


def test_a_second_lock_holder_gets_a_clear_error(store, ws):
    with store.lock():
        with pytest.raises(StoreError, match="another retrain, rollback or sync is running") as caught:
            with ModelStore(ws).lock():
                pass  # pragma: no cover
        assert str(ws.root) in str(caught.value)
        with pytest.raises(StoreError, match="another retrain, rollback or sync is running"):
            with store.lock():
                pass  # pragma: no cover
    with store.lock():  # released: the next holder gets it
        pass


def test_retrain_is_refused_while_the_lock_is_held(store, ws, no_tracking_config, tmp_path):
    labelled = tmp_path / "few.csv"
    labelled.write_text("interview_id,engagement,outcome\na,4,offer\n", encoding="utf-8")
    with store.lock():
        with pytest.raises(StoreError, match="another retrain, rollback or sync is running"):
            offerodds.retrain(labelled, workspace=ws.root, config=no_tracking_config)
    assert not ws.outcome_store.exists()  # nothing was merged while locked out


# --- the pointer names a version folder inside models/, nothing else ---------------------------------


def copy_of_version(ws: Workspace, version: str, target: Path) -> Path:
    """A valid model folder outside the store (what an attacker would point at)."""
    import shutil

    return Path(shutil.copytree(ws.version_dir(version), target))


@pytest.mark.parametrize(
    "pointer, says",
    [
        ({"version": "OUTSIDE"}, "names '/"),
        ({"version": "../../x"}, "names '../../x'"),
        ({"version": "v1/../v1"}, "names 'v1/../v1'"),
        ({"version": "v01"}, "names 'v01'"),
        ({"version": 5}, "names 5"),
        ({"version": None}, "names None"),
        ({}, "names None"),
        ([1, 2], "holds a list"),
        ("v1", "holds a str"),
    ],
    ids=["absolute", "dotdot", "dotdot-inside", "leading-zero", "number", "null", "no-version", "list", "string"],
)
def test_a_pointer_that_is_not_a_version_falls_back_to_the_rule_card(store, ws, champion, tmp_path, pointer, says):
    outside = copy_of_version(ws, champion, tmp_path / "elsewhere")
    if pointer == {"version": "OUTSIDE"}:
        pointer = {"version": str(outside)}
    ws.champion_pointer.write_text(json.dumps(pointer), encoding="utf-8")
    with pytest.raises(StoreError, match="champion pointer") as caught:
        store.champion()
    assert says in str(caught.value)
    chosen = serving(ws)
    assert chosen.scorer.kind == "rules" and "champion pointer" in chosen.reason and says in chosen.reason
    with pytest.raises(ChampionUnavailable, match="champion pointer"):
        serving(ws, fallback=False)


@pytest.mark.parametrize("text", [b"not json", b"[" * 100_000 + b"]" * 100_000, b"\xff\xfe"], ids=["text", "nested", "bytes"])
def test_a_pointer_that_is_not_json_falls_back_to_the_rule_card(store, ws, champion, text):
    ws.champion_pointer.write_bytes(text)
    chosen = serving(ws)
    assert chosen.scorer.kind == "rules" and "champion pointer" in chosen.reason


def test_a_version_folder_that_is_a_link_is_refused(store, ws, champion, tmp_path):
    outside = copy_of_version(ws, champion, tmp_path / "elsewhere")
    params = json.loads((outside / "params.json").read_text(encoding="utf-8"))
    params["version"] = "v2"  # a folder that would pass every other check as v2
    (outside / "params.json").write_text(json.dumps(params), encoding="utf-8")
    manifest = json.loads((outside / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["params.json"] = sha256(outside / "params.json")
    (outside / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (ws.models_dir / "v2").symlink_to(outside, target_is_directory=True)
    ws.champion_pointer.write_text(json.dumps({"version": "v2"}), encoding="utf-8")
    with pytest.raises(StoreError, match="is a symbolic link"):
        store.load("v2")
    chosen = serving(ws)
    assert chosen.scorer.kind == "rules" and "is a symbolic link" in chosen.reason
    assert store.versions() == ["v1"]  # a link is not a stored version ...
    assert store.next_version() == "v3"  # ... but its name is taken
    with store.lock(), pytest.raises(StoreError, match="is a symbolic link"):
        store.set_champion("v2", "test")


@pytest.mark.parametrize("name", ["params.json", "arrays.npz", "manifest.json"])
def test_a_file_that_is_a_link_is_refused(store, ws, champion, tmp_path, name):
    folder = ws.version_dir(champion)
    target = tmp_path / name
    target.write_bytes((folder / name).read_bytes())  # the same bytes: only the link is wrong
    (folder / name).unlink()
    (folder / name).symlink_to(target)
    with pytest.raises(StoreError, match=f"{re.escape(name)} is a symbolic link"):
        store.load(champion)
    assert serving(ws).scorer.kind == "rules"


def test_a_pointer_that_is_a_link_is_refused(store, ws, champion, tmp_path):
    elsewhere = tmp_path / "pointer.json"
    elsewhere.write_text(ws.champion_pointer.read_text(encoding="utf-8"), encoding="utf-8")
    ws.champion_pointer.unlink()
    ws.champion_pointer.symlink_to(elsewhere)
    chosen = serving(ws)
    assert chosen.scorer.kind == "rules" and "champion.json is a symbolic link" in chosen.reason


def test_a_fifo_in_place_of_a_file_is_refused_without_blocking(store, ws, champion):
    folder = ws.version_dir(champion)
    (folder / "arrays.npz").unlink()
    os.mkfifo(folder / "arrays.npz")
    with pytest.raises(StoreError, match="arrays.npz is not a regular file"):
        store.load(champion)


def test_the_lock_file_is_never_followed(store, ws, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    ws.models_dir.mkdir(parents=True)
    ws.lock_file.symlink_to(victim)
    with pytest.raises(StoreError, match="is a symbolic link"):
        with store.lock():
            pass  # pragma: no cover
    assert victim.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(
    "typed, expected",
    [("v3", "v3"), ("3", "v3"), (" 12 ", "v12"), ("rules", None), ("RULES", None)],
)
def test_a_version_as_a_person_types_it(typed, expected):
    assert parse_version(typed) == expected


@pytest.mark.parametrize("typed", ["/some/folder", "../v1", "v1/", "v1/../v2", "v", "v-1", "0", "v0", "three", "\u0663"])
def test_anything_else_is_not_a_version(typed):
    with pytest.raises(StoreError, match="is not a model version"):
        parse_version(typed)


# --- history.jsonl: damaged lines are skipped and named; the pointer wins ------------------------------


def test_a_damaged_history_line_is_skipped_with_a_warning_naming_file_and_line(store, ws, champion):
    with store.lock():
        v2 = store.save(make_scorer(1))
        store.set_champion(v2, "promoted by retrain")
    lines = ws.history_file.read_text(encoding="utf-8").splitlines()
    lines.insert(1, '{"at": "2026-01-01", "from": "v1", "to": "/etc", "reas')  # torn, and not a version
    lines.insert(1, '["not", "an", "event"]')
    ws.history_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.warns(UserWarning) as caught:
        events = store.history()
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert f"{ws.history_file} line 2 is damaged and was skipped" in messages[0]
    assert f"{ws.history_file} line 3 is damaged and was skipped" in messages[1]
    assert [(e["from"], e["to"]) for e in events] == [(None, "v1"), ("v1", "v2")]


def test_a_change_the_history_lacks_is_taken_from_the_pointer(store, ws, champion):
    """A command killed between the pointer and the history line (tests/tracking/test_promotion.py kills
    one there): the history shows the change, and the next change records it for good."""
    with store.lock():
        v2 = store.save(make_scorer(1))
        store.set_champion(v2, "promoted by retrain")
    lines = ws.history_file.read_text(encoding="utf-8").splitlines()
    ws.history_file.write_text(lines[0] + "\n", encoding="utf-8")  # the v1 -> v2 line never made it
    events = store.history()
    assert [(e["from"], e["to"]) for e in events] == [(None, "v1"), ("v1", "v2")]
    assert "recorded late" in events[-1]["reason"] and events[-1]["reason"].startswith("promoted by retrain")
    with store.lock():
        store.set_champion(None, "rollback from v2")
    moves = [(e["from"], e["to"]) for e in store.history()]
    assert moves == [(None, "v1"), ("v1", "v2"), ("v2", None)]
    assert len(ws.history_file.read_text(encoding="utf-8").splitlines()) == 3


def test_a_broken_pointer_is_replaced_not_followed(store, ws, champion):
    ws.champion_pointer.write_text(json.dumps({"version": "../../x"}), encoding="utf-8")
    with store.lock():
        assert store.set_champion(champion, "rollback") is None
    assert store.champion() == champion and serving(ws).scorer.version == champion
