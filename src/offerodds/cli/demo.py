"""``offerodds demo``: the whole loop on the example data, in a workspace of its own.

The demo folder's marker records every file the demo made (device, inode, size, time); a
later demo removes exactly those, and only when nothing else is in the folder: it never
deletes a file it did not make, marker or not.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from offerodds.cli import advice, scoring
from offerodds.cli.common import EXIT_OK, run
from offerodds.files.cleanup import CreatedFiles
from offerodds.files.workspace import Workspace


def _cli(argv: list[str]) -> int:
    """Run one scoring or advice command as the command line would."""
    return run([scoring, advice], argv)


def _fresh(root: Path, made: CreatedFiles) -> None:
    """Empty ``root`` of an earlier demo's files, or refuse if it holds anything else."""
    if not root.exists():
        return
    if root.is_symlink() or not root.is_dir():
        raise ValueError(f"the demo needs a fresh folder, and {root} is not one; pass --workspace NEW_DIR")
    foreign = made.foreign() if made.marker.exists() else None
    if foreign is None:
        if any(root.iterdir()):
            raise ValueError(
                f"the demo needs a fresh workspace, and {root} is not empty (and not a demo's); "
                "pass --workspace NEW_DIR"
            )
        return
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise ValueError(
            f"{root} holds files the demo did not make or that changed since ({shown}); the demo "
            "deletes only its own files: move yours, or pass --workspace NEW_DIR"
        )
    made.remove()  # an earlier demo's files, exactly as it left them: start afresh


def cmd_demo(args) -> int:
    root = Path(args.workspace) if args.workspace else Path("offerodds-demo")
    made = CreatedFiles(root, root / ".offerodds-demo")
    _fresh(root, made)
    root.mkdir(parents=True, exist_ok=True)
    made.record()  # nothing yet: a demo killed before the end leaves nothing listed to delete
    try:
        return _demo(args, root)
    finally:
        made.record()  # everything in the folder now was made by this run


def _quietly(function, *args, **kwargs):
    """A call whose warnings step 1 already reported (the same file, scored again)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _demo(args, root: Path) -> int:
    from offerodds import api  # retraining and examples: loaded only when the demo runs
    from offerodds.synthetic import generate

    examples = Path(args.examples)
    interviews, outcomes = examples / "interviews.csv", examples / "outcomes.csv"
    if not (interviews.exists() and outcomes.exists()):
        print(f"(no example files in {examples}: generating synthetic ones in the demo workspace)")
        interviews, outcomes = root / "interviews.csv", root / "outcomes.csv"
        generate(200, seed=1, outcomes=False).drop(columns="true_probability").to_csv(interviews, index=False)
        generate(1000, seed=2).drop(columns="true_probability").to_csv(outcomes, index=False)
    ws = Workspace.resolve(root)
    print(f"== 1. score {interviews} with the rule card (a fresh workspace has no model)")
    _cli(["score", str(interviews), "-o", str(ws.root / "scored-rules.csv"), "--workspace", str(ws.root)])
    print(f"\n== 2. retrain on {outcomes}")
    report = api.retrain(outcomes, workspace=ws)
    print(report)
    print(f"\n== 3. score again: now with {report.serving}")
    _cli(["score", str(interviews), "-o", str(ws.root / "scored-model.csv"), "--workspace", str(ws.root)])
    first = _quietly(api.score, interviews, model=api.load_model(ws)).iloc[0]
    print(f"\n== 4. explain interview {first['interview_id']}")
    _cli(["explain", str(interviews), "--id", str(first["interview_id"]), "--workspace", str(ws.root)])
    as_of = str(first["interview_date"])  # the day of that interview: its thank-you is due
    print(f"\n== 5. what to do next, as of {as_of} (score --as-of; the columns next_step, next_step_due)")
    upcoming = _quietly(api.score, interviews, model=api.load_model(ws), as_of=as_of)
    for row in upcoming.head(4).itertuples():
        print(f"{row.interview_id}  due {row.next_step_due}: {row.next_step}")
    draft = ws.root / "followup.eml"
    print(f"\n== 6. the email interview {first['interview_id']}'s next step calls for (never sent)")
    _cli(["followup", str(interviews), "--id", str(first["interview_id"]), "--as-of", as_of, "-o", str(draft),
          "--workspace", str(ws.root)])
    print("\n== where things are")
    print(f"scored files: {ws.root / 'scored-rules.csv'}, {ws.root / 'scored-model.csv'}; draft: {draft}")
    print(f"retrain report: {report.report_path}")
    print(f"models: {ws.models_dir}; MLflow: {ws.tracking_uri} (mlflow ui --backend-store-uri {ws.tracking_uri})")
    return EXIT_OK


def add_commands(sub, common) -> None:
    """Register ``demo`` on the ``offerodds`` parser."""
    p = sub.add_parser("demo", parents=[common], help="the whole loop on the example data")
    p.add_argument("--examples", default="data/examples", help="folder with interviews.csv and outcomes.csv")
    p.set_defaults(func=cmd_demo)
