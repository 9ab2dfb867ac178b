"""``offerodds followup`` (the email an interview's next step calls for, never sent) and
``offerodds ask`` (one interview entered by answering questions).

Imports beyond the catalogue happen inside the commands, so building the parser (every
``offerodds`` command does) loads neither pandas nor the scorers.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from offerodds.cli.common import EXIT_OK, plural, say

__all__ = ["add_commands", "as_of_option"]


def _as_of(text: str):
    from offerodds.usecases import as_of_date

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
    from offerodds.usecases import choose_scorer

    return choose_scorer(args.ws, rules=args.rules).scorer


# --- followup ---------------------------------------------------------------------------------


def cmd_followup(args) -> int:
    from offerodds.usecases import followup_in_file

    result = followup_in_file(
        Path(args.input), args.id, _scorer(args), as_of=args.as_of, output=args.output, encoding=args.encoding,
        workspace=args.ws,
    )
    print(result)
    for note in result.notes:
        say(note)
    return EXIT_OK


# --- ask --------------------------------------------------------------------------------------


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


NOTES_QUESTION = "Paste your notes about the interview and end them with an empty line, or press Enter to skip:"
CLEAR = "-"


def notes_text(given: str | None) -> str:
    """The candidate's notes: ``--notes``, else pasted at the first question (lines up to an
    empty one; Enter alone skips)."""
    if given is not None:
        return given
    print(NOTES_QUESTION)
    lines = []
    while True:
        line = _read("")
        if line is None or not line.strip():
            break
        lines.append(line.rstrip())
    return "\n".join(lines)


def interview_answers(proposed=None) -> dict[str, str]:
    """Ask every question; Enter skips one (or keeps the value the notes ``proposed``, a
    :class:`~offerodds.notes.NoteReading`), the end of input skips the rest."""
    from offerodds.usecases import answer_problem, format_value, questions

    proposed = proposed if proposed is not None else {}
    print("One interview, question by question. Enter skips a question (not recorded); "
          "ending the input (Ctrl-D) skips the rest.")
    if proposed:
        print(f"Your notes support {len(proposed)} of the answers: each is shown as [from your notes: VALUE] "
              f"under the words it rests on; Enter keeps it, another answer replaces it, {CLEAR} leaves it empty. "
              "Ending the input leaves out the ones not reached.")
    answers: dict[str, str] = {}
    for column, question in questions():
        default = format_value(proposed[column]) if column in proposed else ""
        if default:
            print(f'  your notes: "{proposed.evidence[column]}"')
        prompt = f"{question} [from your notes: {default}] " if default else f"{question} "
        while True:
            answer = _read(prompt)
            if answer is None:
                print()
                return answers
            answer = answer.strip()
            if answer == CLEAR:  # left empty, whatever the notes said
                answer = ""
                break
            answer = answer or default
            why = answer_problem(column, answer) if answer else None
            if why is None:
                break
            print(f"  {why!s}; try again, or press Enter to skip")
        if answer:
            answers[column] = answer
    return answers


def cmd_ask(args) -> int:
    from offerodds.usecases import add_interview, check_tracker

    target = Path(args.output) if args.output else args.ws.tracker
    check_tracker(target, writable=True)  # before the questions, not after them
    from offerodds.usecases import from_notes

    notes = notes_text(args.notes).strip()
    answers = interview_answers(from_notes(notes) if notes else None)
    if notes:
        answers["notes"] = notes  # kept in your interview file beside your answers

    def waiting(holder: str) -> None:
        who = f" ({holder.split()[0]})" if holder else ""
        say(f"waiting for another offerodds{who} to finish writing before adding the interview...")

    asked = add_interview(
        target, answers, _scorer(args), as_of=args.as_of,
        private=args.output is None,  # the workspace's: owner only
        workspace=args.ws, on_wait=waiting,
    )
    say(f"added interview {asked.interview_id} to {target}")
    if asked.added_columns:
        say(f"added {plural(len(asked.added_columns), 'column')} at the end of its header: "
            f"{', '.join(asked.added_columns)} (earlier rows have them empty)")
    print()
    print(asked)
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
    p.add_argument("--notes", metavar="TEXT", help="your notes about the interview: the answers they support "
                   "are offered as defaults to confirm or change (instead of the first question)")
    as_of_option(p)
    p.set_defaults(func=cmd_ask)

