"""``offerodds retrain``, ``status``, ``history``, ``rollback`` and ``sync``: the model's life cycle.

The local champion pointer is the source of truth; the MLflow registry mirrors it. A command
that changes the pointer moves the registry alias under the same lock, and when MLflow fails it
says so in one line and exits 0: the local change stands and ``offerodds sync`` repairs the
registry. ``status`` reports the registry as the last promotion, rollback or sync recorded it,
without asking MLflow (or importing it). Imports happen inside the commands, so the parser
(``--help``, ``offerodds signals``) does not load them.
"""

from __future__ import annotations

from offerodds.cli.common import EXIT_OK, plural, say
from offerodds.errors import TrackingError

_LABEL_WORDS = {"offer": ("offer", "offers"), "no_offer": ("no offer", "no offers")}


def cmd_retrain(args) -> int:
    from offerodds.api import retrain

    report = retrain(args.labelled, workspace=args.ws, force=args.force, config=args.config)
    print(report)
    if len(report.rejects):  # problems, and warnings about rows that were kept
        from offerodds.files.writing import write_table

        path = write_table(args.ws.retrain_rejects, report.rejects, formula_safe=True, private=True)
        if report.rows_rejected:
            say(f"{plural(report.rows_rejected, 'labelled row')} rejected; their problems are in {path}")
    if report.tracking_warning:
        say(f"warning: {report.tracking_warning}")
    return EXIT_OK


def _labels_text(counts: dict[str, int]) -> str:
    """``295 offers, 705 no offers, 3 pending`` (outcomes in the order people think of them)."""
    order = ["offer", "no_offer", "withdrawn", "pending", ""]
    parts = []
    for label in sorted(counts, key=lambda k: order.index(k) if k in order else len(order)):
        one, many = _LABEL_WORDS.get(label, (label or "without an outcome", label or "without an outcome"))
        parts.append(f"{counts[label]:,} {one if counts[label] == 1 else many}")
    return ", ".join(parts)


def _registry_line(ws) -> str:
    """The registry as the last promotion, rollback or sync recorded it (no MLflow)."""
    from offerodds.tracking.registry import read_record, recorded_state

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
    outcomes = plural(info.n_outcomes, "outcome")
    if info.calibration.startswith("the rule card recalibrated"):
        return f"the rule card recalibrated on {outcomes} (its level and overall strength)"
    if info.calibration.startswith("none needed"):
        return f"learned from {outcomes}: the card's points x{info.card_scale:.2f}, level {info.level_shift:+.2f} log-odds"
    return f"learned from {outcomes}"


def cmd_status(args) -> int:
    from offerodds.stores.modelstore import ModelStore
    from offerodds.stores.outcomes import OutcomeStore
    from offerodds.stores.serving import serving

    ws = args.ws
    chosen = serving(ws)
    store = ModelStore(ws)
    counts = OutcomeStore(ws).outcome_counts()
    total = sum(counts.values())
    print(f"workspace: {ws.root}")
    print(f"serving: {chosen.scorer.title} ({chosen.reason})")
    if chosen.scorer.kind == "model" and chosen.scorer.fit_summary is not None:
        print(f"  {_what_model(chosen.scorer.fit_summary)}")
    print(f"stored versions: {', '.join(store.versions()) or 'none'}")
    print(f"outcome store: {plural(total, 'interview')}" + (f" ({_labels_text(counts)})" if total else ""))
    print(f"MLflow tracking: {ws.tracking_uri}")
    if ws.tracking_in_use:
        print(_registry_line(ws))

    # --- calibration over time, a block of its own (offerodds monitor shows it too) ---
    from offerodds.cli.monitor import calibration_lines

    print()
    print("\n".join(calibration_lines(ws)))
    return EXIT_OK


def cmd_history(args) -> int:
    from offerodds.stores.modelstore import ModelStore

    store = ModelStore(args.ws)
    events = store.history()
    if not events:
        print("no champion changes yet: the rule card serves")
    for e in events:
        print(f"{e['at']}  {e['from'] or 'rules'} -> {e['to'] or 'rules'}  ({e['reason']})")
    for version in store.versions():
        m = store.manifest_of(version)
        counts = m.get("label_counts") if isinstance(m.get("label_counts"), dict) else {}
        print(f"{version}: created {m.get('created')}, {counts.get('offer')} offers / {counts.get('no_offer')} no-offers")
    return EXIT_OK


def _previous_champion(store, current: str) -> str | None:
    """What ``current`` replaced when it was promoted (rollbacks do not count), else None."""
    earlier = [
        e["from"]
        for e in store.history()
        if e["to"] == current and e["from"] != current and not e["reason"].startswith("rollback")
    ]
    return earlier[-1] if earlier else None


def _mirror(args, store, target: str | None) -> None:
    """Move the registry alias to ``target`` (registering it if the registry lacks it)."""
    from offerodds.tracking.sync import sync
    from offerodds.tracking.session import describe
    from offerodds.config import load_config

    try:
        lines = sync(args.ws, store, load_config(None).tracking.experiment, versions=[target] if target else [])
    except Exception as error:  # MLflow, SQLAlchemy, the disk: the local rollback stands
        say(
            f"warning: {target or 'the rule card'} serves locally; the registry was not updated: "
            f"{describe(error)}; `offerodds sync` repairs it"
        )
        return
    for line in lines:
        print(line)


def cmd_rollback(args) -> int:
    from offerodds.stores.modelstore import ModelStore, StoreError, parse_version

    store = ModelStore(args.ws)
    wanted = parse_version(args.version) if args.version else None
    with store.lock():
        try:
            current, broken = store.champion(), None
        except StoreError as error:
            current, broken = None, error
        if args.version:
            target = wanted
        elif broken is not None:
            raise StoreError(f"{broken}; name the version to serve: offerodds rollback v3 (or rules)")
        elif current is None:
            raise StoreError("no champion to roll back from: the rule card already serves")
        else:
            target = _previous_champion(store, current)
        store.set_champion(target, f"rollback from {current or 'rules'}")
        print(f"champion: {current or 'rules'} -> {target or 'rules (the rule card)'}")
        if args.ws.tracking_in_use:
            _mirror(args, store, target)  # under the same lock as the pointer
    return EXIT_OK


def cmd_sync(args) -> int:
    from offerodds.stores.modelstore import ModelStore, StoreError
    from offerodds.tracking import registry_state
    from offerodds.tracking.sync import sync
    from offerodds.tracking.session import describe
    from offerodds.config import load_config

    store = ModelStore(args.ws)
    experiment = load_config(args.config).tracking.experiment
    with store.lock():
        try:
            lines = sync(args.ws, store, experiment)
        except StoreError:
            raise
        except Exception as error:  # MLflow, SQLAlchemy, the disk
            raise TrackingError(f"the registry could not be updated: {describe(error)}") from error
    for line in lines:
        print(line)
    print(registry_state(args.ws))
    return EXIT_OK


def add_commands(sub, common) -> None:
    """Register the model commands on the ``offerodds`` parser."""
    p = sub.add_parser("retrain", parents=[common], help="learn from labelled outcomes")
    p.add_argument("labelled", nargs="*", metavar="LABELLED", help="CSV/Parquet files with an outcome column")
    p.add_argument("--force", action="store_true", help="promote the candidate whatever the gate says")
    p.add_argument("--config", metavar="FILE", help="a retrain TOML (see pipelines/retrain.toml)")
    p.set_defaults(func=cmd_retrain)

    p = sub.add_parser("status", parents=[common], help="which scorer serves, and the stores")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("history", parents=[common], help="champion changes and stored versions")
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("rollback", parents=[common], help="restore the previous champion")
    p.add_argument("version", nargs="?", metavar="VERSION", help="a stored version (v3 or 3), or 'rules'")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser("sync", parents=[common], help="mirror the local champion to the MLflow registry")
    p.add_argument("--config", metavar="FILE", help="a retrain TOML (its [tracking] experiment)")
    p.set_defaults(func=cmd_sync)
