"""The model's life cycle: ``status``, ``history``, ``rollback`` and ``sync``.

The local champion pointer is the source of truth; the MLflow registry mirrors it. What changes
the pointer moves the registry alias under the same lock; when MLflow fails, the local change
stands, the result says so, and ``sync`` repairs the registry. ``status`` reports the registry as
the last promotion, rollback or sync recorded it, without asking MLflow (or importing it).
"""

from __future__ import annotations

from dataclasses import dataclass

from offerodds.config import load_config
from offerodds.errors import StoreError, TrackingError
from offerodds.files.workspace import Workspace
from offerodds.stores.calibration_log import CalibrationLog
from offerodds.stores.modelstore import ModelStore, parse_version
from offerodds.stores.outcomes import OutcomeStore
from offerodds.stores.serving import serving

__all__ = ["History", "Rollback", "Status", "Synced", "calibration_lines", "history", "rollback", "status", "sync"]

_LABEL_WORDS = {"offer": ("offer", "offers"), "no_offer": ("no offer", "no offers")}


def _ws(workspace) -> Workspace:
    return workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word if n == 1 else word + 's'}"


def _labels_text(counts: dict[str, int]) -> str:
    """``295 offers, 705 no offers, 3 pending`` (outcomes in the order people think of them)."""
    order = ["offer", "no_offer", "withdrawn", "pending", ""]
    parts = []
    for label in sorted(counts, key=lambda k: order.index(k) if k in order else len(order)):
        one, many = _LABEL_WORDS.get(label, (label or "without an outcome", label or "without an outcome"))
        parts.append(f"{counts[label]:,} {one if counts[label] == 1 else many}")
    return ", ".join(parts)


def _registry_line(ws: Workspace) -> str:
    """The registry as the last promotion, rollback or sync recorded it (no MLflow)."""
    from offerodds.tracking import read_record, recorded_state

    state = recorded_state(ws)
    if state is not None:
        return str(state)
    if read_record(ws).versions:
        return "registry: where the alias 'champion' points is not recorded yet (offerodds sync records it)"
    if ws.registry_file.exists():  # a record that cannot be read (read_record said why)
        return "WARNING: the registry record cannot be read; offerodds sync rebuilds it from the registry"
    return "registry: nothing registered in MLflow yet"


def _what_model(info) -> str:
    """The kind of model a version is, in a few words, from its fit summary."""
    outcomes = _plural(info.n_outcomes, "outcome")
    if info.calibration.startswith("the rule card recalibrated"):
        return f"the rule card recalibrated on {outcomes} (its level and overall strength)"
    if info.calibration.startswith("none needed"):
        return f"learned from {outcomes}: the card's points x{info.card_scale:.2f}, level {info.level_shift:+.2f} log-odds"
    return f"learned from {outcomes}"


def calibration_lines(workspace=None) -> list[str]:
    """Calibration over time, per retrain and per month of labelling, as lines to print."""
    from offerodds.monitoring.over_time import text_block

    return text_block(CalibrationLog(_ws(workspace)).read())


@dataclass(frozen=True)
class Status:
    """Which scorer serves and why, the stores, the registry and calibration over time."""

    lines: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.lines)


def status(workspace=None) -> Status:
    """The workspace's state in lines a person reads."""
    ws = _ws(workspace)
    chosen = serving(ws)
    store = ModelStore(ws)
    counts = OutcomeStore(ws).outcome_counts()
    total = sum(counts.values())
    lines = [f"workspace: {ws.root}", f"serving: {chosen.scorer.title} ({chosen.reason})"]
    if chosen.scorer.kind == "model" and chosen.scorer.fit_summary is not None:
        lines.append(f"  {_what_model(chosen.scorer.fit_summary)}")
    lines.append(f"stored versions: {', '.join(store.versions()) or 'none'}")
    lines.append(f"outcome store: {_plural(total, 'interview')}" + (f" ({_labels_text(counts)})" if total else ""))
    lines.append(f"MLflow tracking: {ws.tracking_uri}")
    if ws.tracking_in_use:
        lines.append(_registry_line(ws))
    # calibration over time, a block of its own (offerodds monitor shows it too)
    lines += ["", *calibration_lines(ws)]
    return Status(tuple(lines))


@dataclass(frozen=True)
class History:
    """Champion changes, oldest first, and the stored versions."""

    lines: tuple[str, ...]

    def __str__(self) -> str:
        return "\n".join(self.lines)


def history(workspace=None) -> History:
    store = ModelStore(_ws(workspace))
    events = store.history()
    lines = [] if events else ["no champion changes yet: the rule card serves"]
    for e in events:
        lines.append(f"{e['at']}  {e['from'] or 'rules'} -> {e['to'] or 'rules'}  ({e['reason']})")
    for version in store.versions():
        m = store.manifest_of(version)
        counts = m.get("label_counts") if isinstance(m.get("label_counts"), dict) else {}
        lines.append(f"{version}: created {m.get('created')}, {counts.get('offer')} offers / {counts.get('no_offer')} no-offers")
    return History(tuple(lines))


def _previous_champion(store: ModelStore, current: str) -> str | None:
    """What ``current`` replaced when it was promoted (rollbacks do not count), else None."""
    earlier = [
        e["from"]
        for e in store.history()
        if e["to"] == current and e["from"] != current and not e["reason"].startswith("rollback")
    ]
    return earlier[-1] if earlier else None


@dataclass(frozen=True)
class Rollback:
    """The champion before and after; what the registry mirror said, and a warning when it
    could not follow (the local rollback stands)."""

    before: str | None
    after: str | None
    registry_lines: tuple[str, ...] = ()
    warning: str | None = None

    def __str__(self) -> str:
        return "\n".join(
            [f"champion: {self.before or 'rules'} -> {self.after or 'rules (the rule card)'}", *self.registry_lines]
        )


def _mirror(ws: Workspace, store: ModelStore, target: str | None) -> tuple[tuple[str, ...], str | None]:
    """Move the registry alias to ``target`` (registering it if the registry lacks it)."""
    from offerodds.tracking import describe
    from offerodds.tracking import sync as mirror

    try:
        lines = mirror(ws, store, load_config(None).tracking.experiment, versions=[target] if target else [])
    except Exception as error:  # MLflow, SQLAlchemy, the disk: the local rollback stands
        return (), (
            f"{target or 'the rule card'} serves locally; the registry was not updated: "
            f"{describe(error)}; `offerodds sync` repairs it"
        )
    return tuple(lines), None


def rollback(version: str | None = None, *, workspace=None) -> Rollback:
    """Serve ``version`` (``v3``, ``3`` or ``rules``), else the champion's predecessor."""
    ws = _ws(workspace)
    store = ModelStore(ws)
    wanted = parse_version(version) if version else None
    with store.lock("rollback"):
        try:
            current, broken = store.champion(), None
        except StoreError as error:
            current, broken = None, error
        if version:
            target = wanted
        elif broken is not None:
            raise StoreError(f"{broken}; name the version to serve: offerodds rollback v3 (or rules)")
        elif current is None:
            raise StoreError("no champion to roll back from: the rule card already serves")
        else:
            target = _previous_champion(store, current)
        store.set_champion(target, f"rollback from {current or 'rules'}")
        lines, warning = _mirror(ws, store, target) if ws.tracking_in_use else ((), None)  # under the same lock
    return Rollback(current, target, lines, warning)


@dataclass(frozen=True)
class Synced:
    """What ``sync`` registered and moved, and the registry's state after it."""

    lines: tuple[str, ...]
    state: str

    def __str__(self) -> str:
        return "\n".join([*self.lines, self.state])


def sync(*, workspace=None, config=None) -> Synced:
    """Make the MLflow registry mirror the local model store (idempotent)."""
    from offerodds.tracking import describe, registry_state
    from offerodds.tracking import sync as mirror

    ws = _ws(workspace)
    store = ModelStore(ws)
    experiment = load_config(config).tracking.experiment
    with store.lock("sync"):
        try:
            lines = mirror(ws, store, experiment)
        except StoreError:
            raise
        except Exception as error:  # MLflow, SQLAlchemy, the disk
            raise TrackingError(f"the registry could not be updated: {describe(error)}") from error
    return Synced(tuple(lines), str(registry_state(ws)))
