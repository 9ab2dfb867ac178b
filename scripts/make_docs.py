"""Generate ``data/README.md``, the data dictionary, from the signal catalogue.

Everything in the page about signals (columns, values, direction, the question to answer and
the article section it rests on) comes from ``offerodds.signals.catalogue`` (``resources/signals.toml``),
so the page cannot drift from what offerodds actually reads. ``tests/test_docs.py`` checks that
the committed file equals :func:`render`. Run from anywhere after changing the catalogue::

    python scripts/make_docs.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = REPO / "data" / "README.md"

# The page describes this checkout's catalogue, installed or not.
try:
    import offerodds  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO / "src"))

from offerodds.signals.catalogue import (  # noqa: E402
    MINUTES_MAX,
    META_COLUMNS,
    META_TEXT,
    NO_WORDS,
    SCALE_MAX,
    SCALE_MIN,
    STAGES,
    VALUE_TEXT,
    YES_WORDS,
    catalogue,
)
from offerodds.advice.playbook import CONDITIONS, DUES, playbook  # noqa: E402

DIRECTION_TEXT = {
    "+": "+ (more / yes is a good sign)",
    "-": "- (more / yes is a bad sign)",
    "context": "context (changes how other signals read)",
}

def _cell(text: object) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _code_list(words) -> str:
    return ", ".join(f"`{w}`" for w in words)


_WORD_ORDER = ("yes", "no", "y", "n", "true", "false", "t", "f", "1", "0")


def _words(words: frozenset[str]) -> list[str]:
    """Yes/no words as a person would write them (the ``1.0``/``0.0`` spellings are implied)."""
    rank = {w: i for i, w in enumerate(_WORD_ORDER)}
    return sorted((w for w in words if "." not in w), key=lambda w: (rank.get(w, len(rank)), w))


def _signal_table() -> list[str]:
    lines = [
        "| signal | column(s) | values | direction | question to answer | article section |",
        "|---|---|---|---|---|---|",
    ]
    for s in catalogue():
        columns = ", ".join(f"`{c}`" for c in s.columns)
        lines.append(
            f"| `{s.name}` | {columns} | {_cell(VALUE_TEXT[s.kind])} | "
            f"{_cell(DIRECTION_TEXT[s.direction])} | {_cell(s.question)} | {_cell(s.section)} |"
        )
    return lines


def _meta_table() -> list[str]:
    lines = ["| column | what it holds |", "|---|---|"]
    for column in META_COLUMNS:
        lines.append(f"| `{column}` | {_cell(META_TEXT[column])} |")
    return lines


# How the advice file's conditions and due dates read in the page.
CONDITION_TEXT = {
    "no_outcome": ("no outcome yet", "an outcome is known"),
    "outcome_offer": ("outcome `offer`", "not an offer"),
    "outcome_withdrawn": ("outcome `withdrawn`", "not withdrawn"),
    "outcome_no_offer": ("outcome `no_offer`", "not `no_offer`"),
    "thank_you_recorded": ("a thank-you recorded", "no thank-you recorded"),
    "followed_up": ("a follow-up recorded", "no follow-up recorded"),
    "contacted": ("a thank-you or follow-up recorded", "no contact recorded"),
    "follow_up_done": ("followed up (since the date given, if one was)", "no follow-up since the date given"),
    "interview_dated": ("interview date known", "no interview date"),
    "interview_date_unreadable": ("the interview date could not be read", "no unreadable interview date"),
    "interview_ahead": ("the interview is still ahead", "the interview has taken place"),
    "window_open": ("within {hours:g} hours of the interview", "more than {hours:g} hours after the interview"),
    "thank_you_stale": ("more than {days} days after the interview", "at most {days} days after the interview"),
    "promised": ("a date for their answer given", "no date for their answer given"),
    "promised_passed": ("the date given for their answer has passed", "that date is not past"),
    "low_probability": ("offer probability below {low:.0%}", "offer probability at least {low:.0%}"),
}
DUE_TEXT = {
    "none": "empty",
    "as_of": "today (the as-of date)",
    "thank_you_deadline": "the day the {hours:g} hours end",
    "promised_next_day": "the day after the date given",
    "promised_next_day_or_as_of": "the day after the date given, or today if later",
    "interview_plus_wait": "{wait} working days after the interview",
    "follow_up_plus_wait": "{wait} working days after the follow-up",
}


#: How the per-row fields of a step read in the table.
ROW_FIELDS = {
    "gaps": "the gaps (the weakest recorded signals, named)",
    "circumstances": ": [what the interviewer did, named], which was their side of the interview, not yours to fix",
    "actions": "[what you can add in writing about it, per signal]",
}


def _when(conditions, fill) -> str:
    return "; ".join(CONDITION_TEXT[name][0 if wanted else 1].format(**fill) for name, wanted in conditions)


def _advice_table() -> list[str]:
    rules = playbook()
    fill = {"hours": rules.thank_you_hours, "wait": rules.wait_working_days, "low": rules.low_probability,
            "days": rules.thank_you_days}
    missing = (set(CONDITIONS) - set(CONDITION_TEXT)) | (set(DUES) - set(DUE_TEXT))
    if missing:
        raise KeyError(f"scripts/make_docs.py cannot describe {sorted(missing)}")
    lines = ["| when | next step | due | article section |", "|---|---|---|---|"]
    for rule in rules.rules:
        lines.append(
            f"| {_cell(_when(rule.when, fill))} | {_cell(rule.step.format(**ROW_FIELDS))} | "
            f"{_cell(DUE_TEXT[rule.due].format(**fill))} | {_cell(rule.section)} |"
        )
    for addition in rules.additions:
        lines.append(
            f"| {_cell(_when(addition.when, fill))} | joins the step: "
            f"{_cell(addition.text.format(**ROW_FIELDS))} | "
            f"as the step | {_cell(addition.section)} |"
        )
    return lines


def _writes_section() -> list[str]:
    """What offerodds writes back, and how it keeps your data safe in it."""
    return [
        "## What offerodds writes back",
        "",
        "- **Scored output keeps your columns exactly as you gave them**, before the result",
        "  columns: every cell, character for character, including one that a spreadsheet would",
        "  run as a formula (a cell you wrote as `=SUM(A1:A3)` is still that in the scored file).",
        "- **Rejects files and the people's view (`--view people`) are formula-safe.** They echo",
        "  your values back (ids, cells, headers) to be read in a spreadsheet, so a value that",
        "  begins with `=`, `+`, `-`, `@`, a tab or a carriage return, and is not a plain number",
        "  (`-3` and `+2.5` stay as they are), gets a leading apostrophe: `'=HYPERLINK(...)`",
        "  shows as text instead of running. The apostrophe is not part of your data, and only",
        "  your values get it: row numbers and probabilities stay numbers, and a value that",
        "  already starts with an apostrophe is left as it is.",
        "- **A quote left open is reported.** A cell in quotes may run over several lines; when",
        "  those lines look like whole rows of your file, a closing quote is probably missing and",
        "  interviews were read into one cell. offerodds reads the file as written (it is valid",
        "  CSV) and warns, naming the line where the quote opens, in the summary and in the",
        "  rejects file (the row itself is kept).",
        "- **Nothing you read is overwritten.** An output (`-o`, `--rejects`, `--report`) that is",
        "  the input or the other output, under any name or link, is refused before anything is",
        "  written.",
        "- **Your interviews stay yours.** In the workspace, the outcome store and the files that",
        "  list interviews (`interviews.csv` of `offerodds ask`, `reports/retrain.rejects.csv`) are",
        "  readable by you only; new files you name with `-o` get your usual permissions (your",
        "  umask), and a file offerodds replaces keeps its own. Files are written under a temporary",
        "  name and renamed when complete; a stopped run (Ctrl-C, SIGTERM) removes its temporary",
        "  files, and the next run removes what a killed one left.",
        "  `offerodds forget ID ...` removes interviews from the workspace for good; every other",
        "  row of the files it rewrites stays exactly as it was, byte for byte.",
        "- **No two interviews are merged.** In labelled files, a row without `interview_id` is",
        "  kept apart from every other, even one with the same answers (its id is made from its",
        "  answers and which of the identical rows it is), so adding the same file twice, or a",
        "  sorted copy of it, changes nothing. An `interview_id` that appears on several rows of",
        "  one file is named in the retrain's output; the last of those rows is kept.",
        "- **Several offerodds at once** (two `ask` in two terminals, an `ask` during a `forget`)",
        "  take turns on the workspace's files: no row is lost.",
        "",
    ]


def render() -> str:
    """The text of ``data/README.md``."""
    length = next(s for s in catalogue() if s.kind == "minutes")
    scheduled, actual = length.columns
    parts = [
        "# Interview data: what offerodds reads",
        "",
        "<!-- Generated by scripts/make_docs.py from the signal catalogue "
        "(src/offerodds/resources/signals.toml). Do not edit by hand: edit the catalogue and "
        "run `python scripts/make_docs.py`. -->",
        "",
        "offerodds reads one row per job interview: what you observed in it (the *signals*) and,",
        "once you know it, how it ended (the *outcome*). This page lists every column it",
        "understands and the values each one accepts.",
        "",
        "## The example files are synthetic",
        "",
        "The files in `data/examples/` are **synthetic**: no real person, company or interview is",
        "in them. They are drawn by `offerodds.synthetic` (a seeded generator with a known ground",
        "truth, described in its module docstring) and written by `scripts/make_examples.py`:",
        "",
        "- `interviews.csv`: interviews drawn with seed 1, signals only (no outcome), like a file",
        "  you would fill in yourself; try `offerodds score data/examples/interviews.csv`.",
        "- `outcomes.csv`: interviews drawn with seed 2, with an `outcome` column, to try",
        "  retraining on labelled data.",
        "",
        "Run `python scripts/make_examples.py` to regenerate them. Your own interview rows are",
        "personal data: keep them out of this repository; offerodds never sends them anywhere.",
        "",
        "## Filling in the template",
        "",
        "1. `offerodds template -o blank.csv` writes the header of a CSV with every column below.",
        "2. Add one row per interview, soon after it while you remember it. Answer the questions",
        "   in the signal table; leave a cell empty when you did not notice or do not know.",
        "3. `offerodds validate blank.csv` lists any cell offerodds cannot read (row, column,",
        "   value and reason); `offerodds score blank.csv` writes `blank.scored.csv` beside it,",
        "   and `offerodds explain blank.csv --id <interview_id>` explains one interview.",
        "",
        "Columns may come in any order and you may drop the ones you never fill. Header matching",
        "ignores case and surrounding spaces and treats spaces and hyphens as underscores",
        "(`Eye Contact` means `eye_contact`). Columns that are not in this page pass through to",
        "the output unchanged. A CSV may use commas, semicolons or tabs and should be UTF-8",
        "(otherwise pass `--encoding`, e.g. `--encoding cp1252`); Parquet files work too.",
        "",
        "## Accepted values",
        "",
        f"- **yes/no**: {_code_list(_words(YES_WORDS))} for yes; {_code_list(_words(NO_WORDS))}"
        " for no; in any case.",
        f"- **scales ({VALUE_TEXT['scale']})**: a number from {SCALE_MIN:g} (least) to "
        f"{SCALE_MAX:g} (most); 3 is neutral and earns nothing, and decimals such as 3.5 are "
        "accepted.",
        f"- **minutes**: `{scheduled}` (how long the interview was planned to last) and "
        f"`{actual}` (how long it lasted), each more than 0 and at most {MINUTES_MAX:g}. The "
        f"`{length.name}` signal needs both: one without the other is a warning, and the length "
        "is left out.",
        f"- **stage**: {_code_list(STAGES)} (any case): the round of the interview. It sets "
        "the base rate an interview starts from.",
        "- **dates**: ISO `2026-03-10` (best), or with a time (`2026-03-10T09:00`,",
        "  `2026-03-10 09:00`); also `2026/03/10`, `10 March 2026`, `10 Mar 2026`, `March 10, 2026`",
        "  and numbers with the year last when the order is clear (`25/03/2026`, `03/25/2026`).",
        "  `03/10/2026` is not guessed (3 October or 10 March?), nor is a two-digit year, nor a",
        "  year before 1900 or after 2200 (`9999-12-31T23:59-12:00`): such a date is a warning",
        "  for its row, which is still scored, and is left unread. Dates never change the",
        "  probability.",
        "- **empty** (a blank cell) means *not recorded*: the signal then contributes exactly 0",
        "  to the prediction, neither for nor against. Leaving a cell empty is always better than",
        "  guessing.",
        "",
        "A row with a value that does not fit (a scale of 7, `maybe` in a yes/no) is not scored:",
        "the problem goes to the rejects file with its row number (the first data row is 1),",
        "column, value, reason and `severity` `error`. A problem that does not change the",
        "probability (a date that cannot be read, minutes without their partner) is a `warning`:",
        "it is listed the same way and the row is still scored, on what can be used. Every row",
        "is either scored or rejected.",
        "",
        *_writes_section(),
        "## Signals",
        "",
        "Direction is how the source article (\"Did your job interview go well?\") reads the",
        "signal; the section column names the part of the article it rests on. A signal's",
        "contribution in the scored output is the column `contrib_<signal>` (except `stage`,",
        "which sets the baseline instead).",
        "",
        *_signal_table(),
        "",
        "## Other columns with a meaning",
        "",
        *_meta_table(),
        "",
        "`offerodds signals` prints the same catalogue in the terminal, with the article's point",
        "behind each signal.",
        "",
        "## The next step",
        "",
        "Every scored interview also gets `next_step` (one sentence) and `next_step_due` (an ISO",
        "date) from the article's follow-up advice, as of today or `--as-of DATE`. Record",
        "`thank_you_sent_on` and `followed_up_on` as you act, so advice you already followed is",
        "not repeated (`thank_you_within_24h` = yes counts as a thank-you). Of the playbook's",
        "entries that apply, the one due first is the next step; on the same day, the one listed",
        "first. Dates are read in your time zone (a date-time with an offset is converted; one",
        "without is your wall clock). The playbook below (next steps; the rule card is what",
        "scores) comes from `src/offerodds/resources/advice.toml`, where each entry",
        "also says the article's point it rests on. `offerodds followup FILE --id ID` drafts the",
        "email a next step calls for, and `offerodds ask` adds one interview by asking its",
        "questions.",
        "",
        *_advice_table(),
    ]
    return "\n".join(parts) + "\n"


def main() -> int:
    README.parent.mkdir(parents=True, exist_ok=True)
    README.write_text(render(), encoding="utf-8", newline="\n")
    sys.stdout.write(f"wrote {README.relative_to(REPO)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
