"""``offerodds retrain``, ``status``, ``history`` and ``rollback``: the model's life cycle."""

from __future__ import annotations

from offerodds.api import retrain
from offerodds.cli.common import EXIT_OK, say
from offerodds.cli.monitor import calibration_lines
from offerodds.io.modelstore import ModelStore, StoreError
from offerodds.io.outcomes import OutcomeStore
from offerodds.io.serving import serving


def cmd_retrain(args) -> int:
    report = retrain(args.labelled, workspace=args.ws, force=args.force, config=args.config)
    print(report)
    if len(report.rejects):
        path = args.ws.retrain_rejects
        path.parent.mkdir(parents=True, exist_ok=True)
        report.rejects.to_csv(path, index=False)
        say(f"{report.rows_rejected} labelled rows rejected; their problems are in {path}")
    return EXIT_OK


def cmd_status(args) -> int:
    ws = args.ws
    chosen = serving(ws)
    store = OutcomeStore(ws).read()
    labels = store["outcome"].value_counts().to_dict() if len(store) else {}
    print(f"workspace: {ws.root}")
    print(f"serving: {chosen.scorer.kind} {chosen.scorer.version} ({chosen.reason})")
    print(f"stored versions: {', '.join(ModelStore(ws).versions()) or 'none'}")
    print(f"outcome store: {len(store):,} interviews {labels}")
    print(f"MLflow tracking: {ws.tracking_uri}")
    if ws.mlflow_db.exists() or not ws.tracking_uri.startswith("sqlite:"):
        from offerodds.tracking import read_record, registry_champion

        local = ModelStore(ws).champion()
        expected = read_record(ws).versions.get(local) if local else None
        actual = registry_champion(ws)
        if expected != actual:
            print(
                f"WARNING: registry alias 'champion' points at {actual or 'nothing'} but the local "
                f"champion {local or '(rule card)'} is registry version {expected or 'none'}; "
                "the local pointer is the source of truth (offerodds rollback re-mirrors it)"
            )
        else:
            print(f"registry alias 'champion': {actual or 'none'} (mirrors the local pointer)")

    # --- calibration over time, a block of its own (offerodds monitor shows it too) ---
    print()
    print("\n".join(calibration_lines(ws)))
    return EXIT_OK


def cmd_history(args) -> int:
    store = ModelStore(args.ws)
    events = store.history()
    if not events:
        print("no champion changes yet: the rule card serves")
    for e in events:
        print(f"{e['at']}  {e['from'] or 'rules'} -> {e['to'] or 'rules'}  ({e['reason']})")
    for version in store.versions():
        m = store.manifest_of(version)
        counts = m.get("label_counts", {})
        print(f"{version}: created {m.get('created')}, {counts.get('offer')} offers / {counts.get('no_offer')} no-offers")
    return EXIT_OK


def cmd_rollback(args) -> int:
    store = ModelStore(args.ws)
    with store.lock():
        current = store.champion()
        if args.version:
            target = None if args.version == "rules" else args.version
        else:
            earlier = [
                e["from"]
                for e in store.history()
                if e["to"] == current and e["from"] != current and not e["reason"].startswith("rollback")
            ]
            if current is None:
                raise StoreError("no champion to roll back from: the rule card already serves")
            target = earlier[-1] if earlier else None
        store.set_champion(target, f"rollback from {current or 'rules'}")
    print(f"champion: {current or 'rules'} -> {target or 'rules (the rule card)'}")
    if args.ws.mlflow_db.exists() or not args.ws.tracking_uri.startswith("sqlite:"):
        from offerodds.tracking import mirror_alias

        print(mirror_alias(args.ws, target))
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
    p.add_argument("version", nargs="?", metavar="VERSION", help="a stored version, or 'rules'")
    p.set_defaults(func=cmd_rollback)
