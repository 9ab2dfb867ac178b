"""``offerodds forget``: remove interviews from the workspace for good."""

from __future__ import annotations

from offerodds.cli.common import EXIT_OK, plural, say


def _names(items) -> str:
    from offerodds.usecases import printable

    items = [printable(i) for i in items]
    return ", ".join(items[:10]) + (f" and {len(items) - 10} more" if len(items) > 10 else "")


def cmd_forget(args) -> int:
    from offerodds.usecases import forget

    ws = args.ws
    if args.retrain:  # its settings checked before anything is forgotten
        from offerodds.usecases import load_config

        load_config(args.config)
    done = forget(ws, args.ids)
    files = sum(done.files.values())
    where = ([f"{plural(done.store_rows, 'row')} from the outcome store"] if done.store_rows else []) + [
        f"{plural(n, 'row')} from {path.relative_to(ws.root)}" for path, n in done.files.items()
    ]
    found = len(done.ids) - len(done.not_found)
    if found:
        print(f"forgot {plural(found, 'interview')} in {ws.root}: removed {'; '.join(where)}")
    if done.not_found:
        print(f"not in the workspace {ws.root} (nothing to forget): {_names(done.not_found)}")
    for path, why in done.unreadable.items():
        say(f"warning: could not check {path} ({why}); remove those interviews from it yourself")
    if done.leftovers:
        print(f"also removed {len(done.leftovers)} temporary files left by killed runs")
    if done.store_rows or files:
        if done.trained_with:
            serving = f"; the champion {done.champion} serves now" if done.champion else ""
            print(
                f"models trained with them keep what they learned until the next retrain: "
                f"{_names(done.trained_with)}{serving}"
            )
        print(
            "scored and rejects files you wrote yourself with `offerodds score` are yours: "
            "offerodds does not keep track of them"
        )
    if args.retrain:
        from offerodds.usecases import retrain

        report = retrain((), workspace=ws, config=args.config)
        print(report)
        if report.promoted:
            print(f"the champion {report.version} was trained without the forgotten interviews")
            if done.trained_with:
                print(
                    f"the stored versions {_names(done.trained_with)} still hold what they learned "
                    "from them: rolling back to one brings it back"
                )
        elif done.champion in done.trained_with:
            print(
                f"the champion {done.champion} was trained with them and still serves (the new "
                "candidate was not promoted): `offerodds retrain --force` replaces it, "
                "`offerodds rollback rules` serves the rule card"
            )
    elif done.trained_with:
        print("run `offerodds retrain` (or forget with --retrain) to fit a model without them")
    return EXIT_OK


def add_commands(sub, common) -> None:
    """Register ``forget`` on the ``offerodds`` parser."""
    p = sub.add_parser("forget", parents=[common], help="remove interviews from the workspace for good")
    p.add_argument("ids", nargs="+", metavar="ID", help="interview_id of each interview to forget")
    p.add_argument("--retrain", action="store_true", help="then retrain on the outcomes that remain")
    p.add_argument("--config", metavar="FILE", help="a retrain TOML for --retrain")
    p.set_defaults(func=cmd_forget)
