"""``offerodds retrain``, ``status``, ``history`` and ``rollback``: the model's life cycle.

Imports happen inside the commands: ``status`` and ``history`` never load MLflow, and read the
registry's state from what the last promotion, rollback or sync recorded.
"""

from __future__ import annotations

from offerodds.cli.common import EXIT_OK, plural, say

_LABEL_WORDS = {"offer": ("offer", "offers"), "no_offer": ("no offer", "no offers")}


def cmd_retrain(args) -> int:
    from offerodds.api import retrain

    report = retrain(args.labelled, workspace=args.ws, force=args.force, config=args.config)
    print(report)
    if len(report.rejects):
        path = args.ws.retrain_rejects
        path.parent.mkdir(parents=True, exist_ok=True)
        report.rejects.to_csv(path, index=False)
        say(f"{plural(report.rows_rejected, 'labelled row')} rejected; their problems are in {path}")
    return EXIT_OK


def _labels_text(counts: dict[str, int]) -> str:
    """``295 offers, 705 no offers, 3 pending`` (outcomes in the order people think of them)."""
    order = ["offer", "no_offer", "withdrawn", "pending", ""]
    parts = []
    for label in sorted(counts, key=lambda k: order.index(k) if k in order else len(order)):
        one, many = _LABEL_WORDS.get(label, (label or "without an outcome", label or "without an outcome"))
        parts.append(f"{counts[label]:,} {one if counts[label] == 1 else many}")
    return ", ".join(parts)


def _registry_line(ws, local: str | None) -> str:
    """What the registry looked like at the last promotion, rollback or sync (no MLflow)."""
    from offerodds.tracking.registry import read_record

    record = read_record(ws)
    if not record.versions:
        return "registry: nothing registered in MLflow yet"
    alias = record.alias
    if alias is None:
        return "registry: where the alias 'champion' points is not recorded yet (the next promotion or rollback records it)"
    expected = record.versions.get(local) if local else None
    pointed = alias.get("registered")
    when = f"at the last promotion or rollback ({alias.get('at')})"
    if pointed == expected:
        target = f"version {pointed} of '{record.name}'" if pointed else "nothing"
        return f"registry: alias 'champion' -> {target}, mirroring the local champion, {when}"
    return (
        f"WARNING: {when} the registry alias 'champion' pointed at {pointed or 'nothing'}, but the "
        f"local champion {local or '(the rule card)'} is registry version {expected or 'none'}; the "
        "local pointer is the source of truth (offerodds rollback re-mirrors it)"
    )


def cmd_status(args) -> int:
    from offerodds.io.modelstore import ModelStore
    from offerodds.io.outcomes import OutcomeStore
    from offerodds.io.serving import serving

    ws = args.ws
    chosen = serving(ws)
    store = ModelStore(ws)
    counts = OutcomeStore(ws).outcome_counts()
    total = sum(counts.values())
    scorer = "the rule card" if chosen.scorer.kind == "rules" else "model"
    print(f"workspace: {ws.root}")
    print(f"serving: {scorer} {chosen.scorer.version} ({chosen.reason})")
    print(f"stored versions: {', '.join(store.versions()) or 'none'}")
    print(f"outcome store: {plural(total, 'interview')}" + (f" ({_labels_text(counts)})" if total else ""))
    print(f"MLflow tracking: {ws.tracking_uri}")
    print(_registry_line(ws, store.champion()))
    return EXIT_OK


def cmd_history(args) -> int:
    from offerodds.io.modelstore import ModelStore

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
    from offerodds.io.modelstore import ModelStore, StoreError

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
