"""``offerodds followup`` (the email an interview's next step calls for, never sent) and
``offerodds ask`` (one interview entered by answering questions).

Imports beyond the catalogue happen inside the commands, so building the parser (every
``offerodds`` command does) loads neither pandas nor the scorers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from offerodds.cli.common import EXIT_OK, say
from offerodds.errors import InputError
from offerodds.signals.catalogue import DATE_COLUMNS, VALUE_TEXT, catalogue, column_kinds, template_columns

__all__ = ["add_commands", "as_of_option"]


def _as_of(text: str):
    from offerodds.advice.timeline import as_of_date

    try:
        return as_of_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def as_of_option(parser) -> None:
    """The ``--as-of DATE`` option of the commands that give advice."""
    parser.add_argument(
        "--as-of",
        metavar="DATE",
        type=_as_of,
        default=None,
        help="give the next step as of this date (YYYY-MM-DD, or a date-time; default: today)",
    )


def _scorer(args):
    from offerodds.stores.serving import serving
    from offerodds.scoring.rulecard import rules

    return rules() if args.rules else serving(args.ws).scorer


# --- followup ---------------------------------------------------------------------------------


def find_interview(table, wanted: str) -> dict:
    """The raw cells of one interview of ``table``: by ``interview_id``, else by row number."""
    wanted = wanted.strip()
    id_column = table.colmap.get("interview_id")
    number = int(wanted) if wanted.isdigit() else None
    first, by_number = 1, None
    for raw in table.chunks():
        if id_column is not None:
            ids = raw[id_column].astype("string").str.strip()
            hit = (ids == wanted).fillna(False).to_numpy(bool)
            if hit.any():
                return raw.iloc[int(hit.argmax())].to_dict()
        if number is not None and first <= number < first + len(raw):
            by_number = raw.iloc[number - first].to_dict()
        first += len(raw)
    if by_number is not None:
        return by_number
    where = "interview_id" if id_column is not None else "row number (the file has no interview_id)"
    raise InputError(f"no interview with {where} {wanted!r} in {table.path or 'the input'}")


def _check_draft_target(target: Path | None) -> None:
    """An earlier draft may be replaced; any other file that holds data is refused."""
    if target is None or not target.is_file() or not target.stat().st_size:
        return
    with open(target, "rb") as handle:
        head = handle.read(4096)
    if b"\nX-Unsent: 1" not in head.replace(b"\r\n", b"\n"):
        raise InputError(f"{target} exists and is not an email draft; choose a new name for the draft")


def cmd_followup(args) -> int:
    from offerodds.advice.timeline import as_of_date
    from offerodds.api import followup
    from offerodds.files.atomic import AtomicFile, check_distinct
    from offerodds.files.reading import open_table

    check_distinct({"the input": Path(args.input), "the draft": args.output})
    _check_draft_target(Path(args.output) if args.output else None)
    table = open_table(Path(args.input), encoding=args.encoding)
    interview = find_interview(table, args.id)
    as_of = args.as_of or as_of_date()
    draft = followup(interview, model=_scorer(args), as_of=as_of)
    print(draft)
    if draft.kind == "status" and draft.next_step_due > str(as_of.day):
        say(f"this email is for {draft.next_step_due}, if you have not heard back by then")
    if args.output:
        if not draft.kind:
            say(f"no email is called for now, so nothing was written to {args.output}")
            return EXIT_OK
        with AtomicFile(Path(args.output)) as tmp:
            tmp.write_bytes(bytes(draft.email()))
        say(f"draft written to {args.output}; open it in your mail client, edit it and send it yourself")
    return EXIT_OK


# --- ask --------------------------------------------------------------------------------------

# The questions before the catalogue's: (column, question); names are free text.
_FIRST = (
    ("interview_date", "When was the interview? (YYYY-MM-DD, or YYYY-MM-DDTHH:MM)"),
    ("company", "Which company?"),
    ("role", "Which role?"),
    ("interviewer_name", "The interviewer's name (for the follow-up email)?"),
    ("candidate_name", "Your full name (to sign the follow-up email)?"),
)
_LAST = (("expected_response_date", "When did they say you would hear back? (YYYY-MM-DD)"),)
_LENGTH_PARTS = {"scheduled_minutes": "scheduled minutes", "actual_minutes": "minutes it lasted"}


def _hinted(question: str, kind: str) -> str:
    """The question with the values it takes, unless it says them already."""
    hint = VALUE_TEXT[kind]
    return question if hint in question or kind == "stage" else f"{question} [{hint}]"


def questions() -> list[tuple[str, str]]:
    """(column, question) in the order ``ask`` asks them: the interview, then the catalogue."""
    stage = next(s for s in catalogue() if s.kind == "stage")
    asked = [*_FIRST, ("stage", _hinted(stage.question, "stage"))]
    for signal in catalogue():
        if signal.kind == "stage":
            continue
        if len(signal.columns) == 1:
            asked.append((signal.columns[0], _hinted(signal.question, signal.kind)))
        else:
            for column in signal.columns:
                part = _LENGTH_PARTS.get(column, column)
                asked.append((column, f"{signal.question} - {part}?"))
    return [*asked, *_LAST]


def problem(column: str, answer: str) -> str | None:
    """Why ``answer`` does not fit ``column`` (None when it does)."""
    if column not in column_kinds() and column not in DATE_COLUMNS:
        return None  # free text
    import pandas as pd

    from offerodds.signals.validation import validate

    checked = validate(pd.DataFrame({column: [answer]}, dtype=object), {column: column})
    # a tracker keeps clean answers: a date offerodds cannot read is asked again too (scoring
    # would only warn); one of the two minutes alone is expected here, asked one at a time
    problems = checked.problems
    asked_again = problems[(problems["severity"] == "error") | (column in DATE_COLUMNS)]
    return str(asked_again["reason"].iloc[0]) if len(asked_again) else None


def _read(prompt: str) -> str | None:
    """One answer, or None at the end of input (answers piped in are echoed, so the transcript
    reads as a dialogue)."""
    try:
        answer = input(prompt)
    except EOFError:
        return None
    if not sys.stdin.isatty():
        print(answer)
    return answer


def interview_answers() -> dict[str, str]:
    """Ask every question; Enter skips one, the end of input skips the rest."""
    print("One interview, question by question. Enter skips a question (not recorded); "
          "ending the input (Ctrl-D) skips the rest.")
    answers: dict[str, str] = {}
    for column, question in questions():
        while True:
            answer = _read(f"{question} ")
            if answer is None:
                print()
                return answers
            answer = answer.strip()
            why = problem(column, answer) if answer else None
            if why is None:
                break
            print(f"  {why!s}; try again, or press Enter to skip")
        if answer:
            answers[column] = answer
    return answers


def cmd_ask(args) -> int:
    from offerodds.api import explain, followup
    from offerodds.stores.interview_file import append_interview, check_tracker

    target = Path(args.output) if args.output else args.ws.tracker
    check_tracker(target)  # before the questions, not after them
    answers = interview_answers()
    if not answers:
        raise InputError("no answer given: nothing was added")
    interview_id = append_interview(target, answers, private=args.output is None)  # the workspace's: owner only
    say(f"added interview {interview_id} to {target}")
    interview = {c: answers.get(c, "") for c in template_columns()} | {"interview_id": interview_id}
    scorer = _scorer(args)
    print()
    print(explain(interview, model=scorer))
    draft = followup(interview, model=scorer, as_of=args.as_of)
    due = f" (due {draft.next_step_due})" if draft.next_step_due else ""
    print(f"next step{due}: {draft.next_step}")
    if draft.kind:
        print(f"draft the email: offerodds followup {target} --id {interview_id}")
    return EXIT_OK


def add_commands(sub, common) -> None:
    """Register ``followup`` and ``ask`` on the ``offerodds`` parser."""
    p = sub.add_parser("followup", parents=[common], help="draft the email an interview's next step calls for")
    p.add_argument("input", metavar="IN")
    p.add_argument("--id", required=True, help="its interview_id (or row number)")
    p.add_argument("-o", "--output", metavar="DRAFT.eml", help="also write the draft as an email file")
    p.add_argument("--rules", action="store_true", help="score with the rule card")
    p.add_argument("--encoding", help="text encoding of a CSV that is not UTF-8 (e.g. cp1252)")
    as_of_option(p)
    p.set_defaults(func=cmd_followup)

    p = sub.add_parser("ask", parents=[common], help="enter one interview by answering questions")
    p.add_argument("-o", "--output", metavar="TRACKER.csv", help="the CSV to add it to (default: interviews.csv in the workspace)")
    p.add_argument("--rules", action="store_true", help="score with the rule card")
    as_of_option(p)
    p.set_defaults(func=cmd_ask)

