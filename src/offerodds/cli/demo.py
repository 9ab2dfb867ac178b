"""``offerodds demo``: the whole loop on the example data, in a workspace of its own (which
files a demo may remove is :func:`offerodds.usecases.demo_folder`'s business)."""

from __future__ import annotations

import warnings
from pathlib import Path

import offerodds
from offerodds.cli import advice, scoring
from offerodds.cli.common import EXIT_OK, run


def _cli(argv: list[str]) -> int:
    """Run one scoring or advice command as the command line would."""
    return run([scoring, advice], argv)


def cmd_demo(args) -> int:
    from offerodds.usecases import demo_folder

    root = Path(args.workspace) if args.workspace else Path("offerodds-demo")
    with demo_folder(root):
        return _demo(args, root)


def _quietly(function, *args, **kwargs):
    """A call whose warnings step 1 already reported (the same file, scored again)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


def _demo(args, root: Path) -> int:
    from offerodds.usecases import Workspace, demo_examples

    interviews, outcomes, generated = demo_examples(args.examples, root)
    if generated:
        print(f"(no example files in {args.examples}: generating synthetic ones in the demo workspace)")
    ws = Workspace.resolve(root)
    print(f"== 1. score {interviews} with the rule card (a fresh workspace has no model)")
    _cli(["score", str(interviews), "-o", str(ws.root / "scored-rules.csv"), "--workspace", str(ws.root)])
    print(f"\n== 2. retrain on {outcomes}")
    report = offerodds.retrain(outcomes, workspace=ws)
    print(report)
    print(f"\n== 3. score again: now with {report.serving}")
    _cli(["score", str(interviews), "-o", str(ws.root / "scored-model.csv"), "--workspace", str(ws.root)])
    first = _quietly(offerodds.score, interviews, model=offerodds.load_model(ws)).iloc[0]
    print(f"\n== 4. explain interview {first['interview_id']}")
    _cli(["explain", str(interviews), "--id", str(first["interview_id"]), "--workspace", str(ws.root)])
    as_of = str(first["interview_date"])  # the day of that interview: its thank-you is due
    print(f"\n== 5. what to do next, as of {as_of} (score --as-of; the columns next_step, next_step_due)")
    upcoming = _quietly(offerodds.score, interviews, model=offerodds.load_model(ws), as_of=as_of)
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
