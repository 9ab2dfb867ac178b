"""``ask``: one interview entered question by question, added to an interview file, then
explained and given its next step. The questions and the checks of each answer are here; the
asking itself is the command line's."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from offerodds.advice.drafts import Draft
from offerodds.errors import InputError
from offerodds.scoring.explanation import Explanation
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.catalogue import DATE_COLUMNS, VALUE_TEXT, catalogue, column_kinds, template_columns
from offerodds.files.workspace import Workspace
from offerodds.stores.guard import tracker_lock
from offerodds.stores.interview_file import append_interview, check_tracker, new_columns
from offerodds.usecases._one import explain_interview, followup_interview

__all__ = ["Asked", "add_interview", "answer_problem", "check_tracker", "questions"]

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


def answer_problem(column: str, answer: str) -> str | None:
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


@dataclass(frozen=True)
class Asked:
    """The interview added (its id and file), its explanation and its next step's draft."""

    interview_id: str
    target: Path
    explanation: Explanation
    draft: Draft
    added_columns: tuple[str, ...] = ()  # columns the file's header gained (earlier rows empty)

    @property
    def next_step_line(self) -> str:
        due = f" (due {self.draft.next_step_due})" if self.draft.next_step_due else ""
        return f"next step{due}: {self.draft.next_step}"

    def __str__(self) -> str:
        lines = [str(self.explanation), self.next_step_line]
        if self.draft.kind:
            lines.append(f"draft the email: offerodds followup {self.target} --id {self.interview_id}")
        return "\n".join(lines)


def add_interview(
    target, answers: dict[str, str], scorer: LinearScorer, *, as_of=None, private: bool = False,
    workspace=None, on_wait=None,
) -> Asked:
    """Append ``answers`` as a new interview to the interview file ``target``, then explain it
    and give its next step with ``scorer``.

    The file is re-read and rewritten under its lock: the ``workspace``'s lock for a file in
    it (``forget`` rewrites it under the same), else a lock beside the file; it waits as long
    as another writer needs (``on_wait`` is told who), so answers a person typed are never
    dropped and two asks at once both keep their row."""
    if not answers:
        raise InputError("no answer given: nothing was added")
    target = Path(target)
    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    with tracker_lock(ws, target, on_wait=on_wait):
        added = tuple(new_columns(target, answers))
        interview_id = append_interview(target, answers, private=private)
    interview = {c: answers.get(c, "") for c in template_columns()} | {"interview_id": interview_id}
    explanation = explain_interview(interview, scorer)
    draft = followup_interview(interview, scorer, as_of=as_of)
    return Asked(interview_id, target, explanation, draft, added)
