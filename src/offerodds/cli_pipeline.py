"""``offerodds retrain``, ``status``, ``history``, ``rollback`` and ``demo``."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def _say(message: str) -> None:
    print(f"offerodds: {message}", file=sys.stderr)


def cmd_retrain(args) -> int:
    from offerodds.pipeline import retrain

    report = retrain(args.labelled, workspace=args.ws, force=args.force, config=args.config)
    print(report)
    if len(report.rejects):
        path = args.ws.reports_dir / "retrain.rejects.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        report.rejects.to_csv(path, index=False)
        _say(f"{report.rows_rejected} labelled rows rejected; their problems are in {path}")
    return 0


def cmd_status(args) -> int:
    from offerodds.modelstore import ModelStore
    from offerodds.outcomes import OutcomeStore
    from offerodds.serving import serving

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
        from offerodds.tracking import registry_champion, registry_map

        local = ModelStore(ws).champion()
        expected = registry_map(ws).get(local) if local else None
        actual = registry_champion(ws)
        if expected != actual:
            print(
                f"WARNING: registry alias 'champion' points at {actual or 'nothing'} but the local "
                f"champion {local or '(rule card)'} is registry version {expected or 'none'}; "
                "the local pointer is the source of truth (offerodds rollback re-mirrors it)"
            )
        else:
            print(f"registry alias 'champion': {actual or 'none'} (mirrors the local pointer)")
    return 0


def cmd_history(args) -> int:
    from offerodds.modelstore import ModelStore

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
    return 0


def cmd_rollback(args) -> int:
    from offerodds.modelstore import ModelStore, StoreError

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
    return 0


def cmd_demo(args) -> int:
    import offerodds
    from offerodds.cli import main as cli_main
    from offerodds.workspace import Workspace

    root = Path(args.workspace) if args.workspace else Path("offerodds-demo")
    marker = root / ".offerodds-demo"
    if marker.exists():
        shutil.rmtree(root)  # a demo workspace of an earlier run: start afresh
    elif root.exists() and any(root.iterdir()):
        raise ValueError(f"the demo needs a fresh workspace, and {root} is not empty; pass --workspace NEW_DIR")
    root.mkdir(parents=True, exist_ok=True)
    marker.write_text("made by offerodds demo; removed by the next demo run\n", encoding="utf-8")
    examples = Path(args.examples)
    interviews, outcomes = examples / "interviews.csv", examples / "outcomes.csv"
    if not (interviews.exists() and outcomes.exists()):
        from offerodds.synthetic import generate

        print(f"(no example files in {examples}: generating synthetic ones in the demo workspace)")
        interviews, outcomes = root / "interviews.csv", root / "outcomes.csv"
        generate(200, seed=1, outcomes=False).drop(columns="true_probability").to_csv(interviews, index=False)
        generate(1000, seed=2).drop(columns="true_probability").to_csv(outcomes, index=False)
    ws = Workspace.resolve(root)
    print(f"== 1. score {interviews} with the rule card (a fresh workspace has no model)")
    cli_main(["score", str(interviews), "-o", str(ws.root / "scored-rules.csv"), "--workspace", str(ws.root)])
    print(f"\n== 2. retrain on {outcomes}")
    report = offerodds.retrain(outcomes, workspace=ws)
    print(report)
    print(f"\n== 3. score again: now with {report.serving}")
    cli_main(["score", str(interviews), "-o", str(ws.root / "scored-model.csv"), "--workspace", str(ws.root)])
    first = offerodds.score(interviews, model=offerodds.load_model(ws)).iloc[0]
    print(f"\n== 4. explain interview {first['interview_id']}")
    cli_main(["explain", str(interviews), "--id", str(first["interview_id"]), "--workspace", str(ws.root)])
    print("\n== where things are")
    print(f"scored files: {ws.root / 'scored-rules.csv'}, {ws.root / 'scored-model.csv'}")
    print(f"retrain report: {report.report_path}")
    print(f"models: {ws.models_dir}; MLflow: {ws.tracking_uri} (mlflow ui --backend-store-uri {ws.tracking_uri})")
    return 0


def add_commands(sub, common) -> None:
    """Register the pipeline's subcommands on the ``offerodds`` parser."""
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

    p = sub.add_parser("demo", parents=[common], help="the whole loop on the example data")
    p.add_argument("--examples", default="data/examples", help="folder with interviews.csv and outcomes.csv")
    p.set_defaults(func=cmd_demo)
