"""The next step of an interview (advice/decide.py, resources/advice.toml): every row of the
rules table of issue 10, the 24-hour window to the minute, date-times and time zones, and the
choice among several steps."""

from __future__ import annotations

import itertools
import time

import numpy as np
import pandas as pd
import pytest

import offerodds
from offerodds.advice.decide import advise, facts_from_frame
from offerodds.advice.playbook import CONDITIONS, DUES, AdviceFileError, playbook, load_playbook
from offerodds.advice.timeline import as_of_date
from offerodds.signals.catalogue import by_name
from offerodds.signals.headers import match_columns
from offerodds.signals.validation import validate

RULES = playbook()
HEADINGS = (  # the article's headings a rule may cite
    "Did your job interview go well?",
    "Recovering from a Bad Interview",
    "Job Interview Follow Up",
)


def step(rule_id: str) -> str:
    return RULES.rule(rule_id).step


def advice(as_of, **row) -> tuple[str, str]:
    """(next_step, next_step_due) of one interview scored with the rule card."""
    row.setdefault("stage", "first")  # a neutral interview: no low-odds advice
    out = offerodds.score([row], model=offerodds.rules(), as_of=as_of)
    assert out.loc[0, "error"] == "", out.loc[0, "error"]
    due = out.loc[0, "next_step_due"]
    return out.loc[0, "next_step"], ("" if pd.isna(due) else due)


# --- the rules table, row by row -------------------------------------------------------------


@pytest.mark.parametrize("as_of", ["2026-03-02", "2026-03-03"])
def test_no_thank_you_within_a_day_send_one_now(as_of):
    assert advice(as_of, interview_date="2026-03-02") == (step("thank_you_now"), "2026-03-03")


@pytest.mark.parametrize("as_of", ["2026-03-04", "2026-03-16"])
def test_no_thank_you_after_a_day_send_one_anyway_today(as_of):
    assert advice(as_of, interview_date="2026-03-02") == (step("thank_you_late"), as_of)


@pytest.mark.parametrize("as_of", ["2026-03-17", "2026-12-01"])
def test_weeks_later_without_a_word_check_in_rather_than_thank(as_of):
    assert RULES.thank_you_days == 14
    assert advice(as_of, interview_date="2026-03-02") == (step("check_in_after_silence"), as_of)
    assert "14 days" in step("check_in_after_silence")


def test_weeks_later_without_a_word_but_a_promised_date_ahead_wait_for_it():
    got = advice("2026-03-20", interview_date="2026-03-02", expected_response_date="2026-03-31")
    assert got == (step("wait_promised_after_silence"), "2026-04-01")
    got = advice("2026-04-02", interview_date="2026-03-02", expected_response_date="2026-03-31")
    assert got == (step("status_follow_up"), "2026-04-02")


@pytest.mark.parametrize("thanked", [{"thank_you_sent_on": "2026-03-02"}, {"thank_you_within_24h": "yes"}])
@pytest.mark.parametrize("as_of", ["2026-03-03", "2026-03-09"])
def test_thank_you_recorded_and_a_promised_date_ahead_wait(thanked, as_of):
    got = advice(as_of, interview_date="2026-03-02", expected_response_date="2026-03-09", **thanked)
    assert got == (step("wait_promised"), "2026-03-10")


@pytest.mark.parametrize("as_of", ["2026-03-10", "2026-03-23"])
@pytest.mark.parametrize("followed", [{}, {"followed_up_on": "2026-03-05"}])  # before P: not since
def test_promised_date_passed_polite_status_follow_up(as_of, followed):
    got = advice(as_of, interview_date="2026-03-02", thank_you_sent_on="2026-03-02",
                 expected_response_date="2026-03-09", **followed)
    assert got == (step("status_follow_up"), as_of)  # P + 1 day, or A when later


def test_status_follow_up_due_the_day_after_a_promised_hour():
    row = dict(interview_date="2026-03-02", thank_you_sent_on="2026-03-02",
               expected_response_date="2026-03-09T17:00")
    assert advice("2026-03-09T16:59", **row) == (step("wait_promised"), "2026-03-10")
    assert advice("2026-03-09T17:01", **row) == (step("status_follow_up"), "2026-03-10")


@pytest.mark.parametrize(
    "interview, due",
    [("2026-03-02", "2026-03-11"),  # a Monday: 7 working days later is Wednesday next week
     ("2026-03-06", "2026-03-17"),  # a Friday
     ("2026-03-07", "2026-03-18")],  # a Saturday counts from Monday
)
def test_no_promised_date_follow_up_after_seven_working_days(interview, due):
    for as_of in ("2026-03-08", "2026-05-01"):  # before the wait is over, and long after
        assert advice(as_of, interview_date=interview, thank_you_within_24h="yes") == (step("wait_no_date"), due)


def test_a_follow_up_since_the_promised_date_is_not_repeated():
    row = dict(interview_date="2026-03-02", thank_you_sent_on="2026-03-02",
               expected_response_date="2026-03-09", followed_up_on="2026-03-10")
    assert advice("2026-03-12", **row) == (step("after_follow_up"), "2026-03-19")
    no_date = dict(interview_date="2026-03-02", followed_up_on="2026-03-12")  # also counts as contact
    assert advice("2026-03-13", **no_date) == (step("after_follow_up"), "2026-03-23")


def weak_interview(**row):
    return {"stage": "screen", "hurried": "yes", "distracted": "yes", "engagement": 1,
            "skills_depth": 2, "thank_you_within_24h": "no", **row}


def test_low_probability_joins_the_step_due_and_names_the_weakest_signals():
    out = offerodds.score([weak_interview(interview_date="2026-03-02")], model=offerodds.rules(), as_of="2026-03-02")
    assert out.loc[0, "offer_probability"] < RULES.low_probability
    text, due = out.loc[0, "next_step"], out.loc[0, "next_step_due"]
    assert due == "2026-03-03"  # the thank-you's due date: the advice joins, it does not move it
    assert text.startswith(step("thank_you_now").rstrip("."))
    assert "the odds look low" in text and "feedback" in text
    contrib = {s: out.loc[0, f"contrib_{s}"] for s in ("hurried", "distracted", "engagement", "skills_depth")}
    weakest = sorted(contrib, key=contrib.get)[:2]
    recorded = {"hurried": "yes", "distracted": "yes", "engagement": "low", "skills_depth": "low"}
    circumstance, to_do = text.split("next email to ")
    for signal in weakest:
        # what the interviewer did is named as circumstance, by what was recorded, not for
        # the candidate to fix; what the candidate can do about it is the email's task
        assert by_name()[signal].states[recorded[signal]].says in circumstance
        assert by_name()[signal].states[recorded[signal]].says not in to_do
        assert RULES.act[signal] in to_do
    assert "not yours to fix" in circumstance and "address" not in text
    assert by_name()["thank_you_within_24h"].states["no"].says not in text  # the candidate's own act: not a gap
    assert text.count(".") == 1  # still one sentence


def test_low_probability_adds_nothing_before_the_interview_or_after_an_outcome():
    ahead, _ = advice("2026-03-01", **weak_interview(interview_date="2026-03-02"))
    assert ahead == step("thank_you_upcoming")
    offer, _ = advice("2026-03-05", **weak_interview(interview_date="2026-03-02", outcome="offer"))
    assert offer == step("offer")


@pytest.mark.parametrize("outcome, rule", [("offer", "offer"), ("Withdrawn", "withdrawn")])
def test_offer_or_withdrawn_nothing_to_chase(outcome, rule):
    got = advice("2026-03-20", interview_date="2026-03-02", expected_response_date="2026-03-09", outcome=outcome)
    assert got == (step(rule), "")
    assert "chase" in got[0]


def test_no_offer_learn_from_it_and_keep_going():
    text, due = advice("2026-03-20", **weak_interview(interview_date="2026-03-02", outcome="no_offer"))
    assert due == "" and text.startswith("No offer this time") and "keep applying" in text
    assert by_name()["hurried"].states["yes"].says in text  # what to learn from, named


def test_pending_outcome_is_no_outcome():
    assert advice("2026-03-04", interview_date="2026-03-02", outcome="pending") == (step("thank_you_late"), "2026-03-04")


def test_an_undated_interview_still_gets_a_step_due_today():
    assert advice("2026-03-04") == (step("thank_you_undated"), "2026-03-04")
    assert advice("2026-03-04", thank_you_within_24h="yes") == (step("record_interview_date"), "2026-03-04")


# --- the 24-hour window, date-times and time zones ---------------------------------------------


@pytest.mark.parametrize(
    "as_of, rule, due",
    [("2026-03-03T14:30", "thank_you_now", "2026-03-03"),  # exactly 24 hours: still inside
     ("2026-03-03T14:31", "thank_you_late", "2026-03-03"),
     ("2026-03-03", "thank_you_now", "2026-03-03"),  # a date alone: the whole day counts
     ("2026-03-04", "thank_you_late", "2026-03-04"),
     ("2026-03-02T10:00", "thank_you_upcoming", "2026-03-03")],  # the interview is at 14:30
)
def test_window_of_an_interview_with_a_time(as_of, rule, due):
    assert advice(as_of, interview_date="2026-03-02T14:30") == (step(rule), due)


def test_an_evening_interview_is_thanked_by_the_next_evening():
    assert advice("2026-03-03T23:00", interview_date="2026-03-02T23:30") == (step("thank_you_now"), "2026-03-03")


@pytest.mark.parametrize(
    "as_of, rule, due",
    [  # 20:00 in New York is 02:00 the next day in Berlin, where the candidate is
        ("2026-03-03T09:00+01:00", "thank_you_now", "2026-03-04"),
        ("2026-03-04T01:59+01:00", "thank_you_now", "2026-03-04"),
        ("2026-03-04T02:01+01:00", "thank_you_late", "2026-03-04"),
        # the same interview for a candidate in New York
        ("2026-03-03T19:59-05:00", "thank_you_now", "2026-03-03"),
        ("2026-03-03T20:01-05:00", "thank_you_late", "2026-03-03"),
        ("2026-03-03T01:00Z", "thank_you_now", "2026-03-04"),  # UTC: 01:00 on the 3rd, ends 01:00 on the 4th
    ],
)
def test_an_interview_in_another_time_zone_is_read_in_the_candidates(as_of, rule, due):
    assert advice(as_of, interview_date="2026-03-02T20:00-05:00") == (step(rule), due)


@pytest.fixture
def local_zone(monkeypatch):
    """Set this process's local time zone (as a candidate's machine has it)."""
    def use(zone: str):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone, due, rule", [("Europe/Berlin", "2026-03-04", "thank_you_now"),
                                             ("America/New_York", "2026-03-03", "thank_you_late")])
def test_a_date_alone_as_of_reads_offsets_in_the_local_zone(local_zone, zone, due, rule):
    local_zone(zone)
    text, got_due = advice("2026-03-04", interview_date="2026-03-02T20:00-05:00")
    assert text == step(rule)
    assert got_due == (due if rule == "thank_you_now" else "2026-03-04")


def test_a_frame_of_timestamps_is_read_like_text():
    frame = pd.DataFrame({"stage": ["first", "first"],
                          "interview_date": pd.to_datetime(["2026-03-02 14:30", "2026-03-02"], format="ISO8601")})
    out = offerodds.score(frame, model=offerodds.rules(), as_of="2026-03-03T15:00")
    assert out["next_step"].tolist() == [step("thank_you_late"), step("thank_you_now")]


# --- choosing among steps ----------------------------------------------------------------------


def test_several_apply_the_earliest_due_wins_and_a_tie_goes_to_the_first_listed():
    # no thank-you yet and the promised date is past: the status follow-up (which thanks too)
    # and the late thank-you are both due today; the status follow-up is listed first
    row = dict(interview_date="2026-03-02", expected_response_date="2026-03-03")
    assert advice("2026-03-05", **row) == (step("status_follow_up"), "2026-03-05")
    # the thank-you window is still open (due tomorrow) but the promised date already passed
    # (due today): the earlier one is the next step
    assert advice("2026-03-02", interview_date="2026-03-02", expected_response_date="2026-03-01") == (
        step("status_follow_up"), "2026-03-02")


SMALL = """
version = 1
[settings]
thank_you_hours = 24
wait_working_days = 2
low_probability = 0.0
gaps_named = 1
mention_min_effect = 0.05
gaps_named_text = "({names})"
gaps_unnamed_text = "nothing"
[[rule]]
id = "later"
when = ["no_outcome"]
due = "interview_plus_wait"
step = "later"
section = "s"
claim = "c"
[[rule]]
id = "today"
when = ["no_outcome"]
due = "as_of"
step = "today"
section = "s"
claim = "c"
[[rule]]
id = "also_today"
when = ["no_outcome"]
due = "as_of"
step = "also today"
section = "s"
claim = "c"
"""


def facts(rows: list[dict]):
    raw = pd.DataFrame(rows, dtype=object)
    colmap = match_columns(list(raw.columns))
    checked = validate(raw, colmap)
    from offerodds.scoring.results import result_frame

    frame = pd.concat([raw, result_frame(checked.typed, offerodds.rules(), checked.valid)], axis=1)
    return facts_from_frame(frame, colmap, checked.typed)


def test_earliest_due_with_a_rule_set_of_our_own():
    rules = load_playbook(SMALL)
    got = advise(facts([{"stage": "first", "interview_date": "2026-03-02"},
                        {"stage": "first", "interview_date": "2026-02-20"}]), "2026-03-03", rules)
    assert [got.step(i) for i in range(2)] == ["today", "later"]
    assert got.due.astype(str).tolist() == ["2026-03-03", "2026-02-24"]


@pytest.mark.parametrize(
    "change, message",
    [(("no_outcome", "no_outcom"), "unknown condition 'no_outcom'"),
     (('"interview_plus_wait"', '"next_week"'), "unknown due 'next_week'"),
     (('id = "today"', 'id = "later"'), "used twice"),
     (("wait_working_days = 2\n", ""), "wait_working_days")],
)
def test_a_broken_rules_file_is_refused_naming_the_entry(change, message):
    with pytest.raises(AdviceFileError, match=message):
        load_playbook(SMALL.replace(*change, 1))


# --- every situation gets a step; rejected rows get none ---------------------------------------


def test_every_situation_gets_exactly_one_step_and_a_due_date_until_the_outcome():
    dates = {
        "interview_date": [None, "2026-03-02", "2026-03-02T14:30+01:00", "2026-03-20"],
        "expected_response_date": [None, "2026-03-06", "2026-03-30"],
        "thank_you_sent_on": [None, "2026-03-02"],
        "followed_up_on": [None, "2026-03-04", "2026-03-11"],
        "thank_you_within_24h": [None, "yes", "no"],
        "outcome": [None, "offer", "no_offer", "withdrawn", "pending"],
    }
    rows = [dict(zip(dates, values), stage="first") for values in itertools.product(*dates.values())]
    rows += [dict(r, stage="screen", hurried="yes", distracted="yes", engagement=1) for r in rows[::7]]
    for as_of in ("2026-03-01", "2026-03-03", "2026-03-12", "2026-04-30"):
        out = offerodds.score(rows, model=offerodds.rules(), as_of=as_of)
        assert (out["next_step"].str.len() > 0).all()
        open_ = out["outcome"].isna() | (out["outcome"] == "pending")
        assert out.loc[open_, "next_step_due"].notna().all()
        assert out.loc[~open_, "next_step_due"].isna().all()
        # never a thank-you once one is recorded, never a status follow-up before P has passed
        thanked = out["thank_you_sent_on"].notna() | (out["thank_you_within_24h"] == "yes")
        assert not out.loc[thanked, "next_step"].str.startswith("Send a thank-you").any()
        status = out["next_step"].str.startswith(step("status_follow_up").rstrip("."))
        promised = pd.to_datetime(out["expected_response_date"]).dt.date.astype(str)
        assert (promised[status] < as_of).all()


def test_rejected_rows_get_no_advice_and_advice_is_the_same_in_any_chunk():
    rows = [{"stage": "first", "interview_date": f"2026-03-{1 + i % 28:02d}",
             "thank_you_within_24h": ["yes", "no", None][i % 3],
             "expected_response_date": [None, "2026-03-15"][i % 2]} for i in range(60)]
    rows[5]["engagement"] = 9
    whole = offerodds.score(rows, model=offerodds.rules(), as_of="2026-03-10")
    assert pd.isna(whole.loc[5, "next_step"]) and pd.isna(whole.loc[5, "next_step_due"])
    from offerodds.usecases import iter_scored
    from offerodds.files.reading import open_table

    table = open_table(rows)
    parts = pd.concat([c.frame for c in iter_scored(table, offerodds.rules(), chunk_rows=7, as_of="2026-03-10")])
    for column in ("next_step", "next_step_due"):
        assert parts[column].astype(str).tolist() == whole[column].astype(str).tolist()


# --- the rules file --------------------------------------------------------------------------


def test_every_rule_cites_the_article_and_says_its_claim():
    for entry in (*RULES.rules, *RULES.additions):
        parts = [p.strip() for p in entry.section.split(";")]
        assert all(any(p.startswith(h) for h in HEADINGS) for p in parts), (entry.id, entry.section)
        assert len(entry.claim.split()) >= 8, entry.id


def test_the_vocabulary_of_the_file_is_the_one_the_code_knows():
    used = {name for entry in (*RULES.rules, *RULES.additions) for name, _ in entry.when}
    assert used <= set(CONDITIONS) and {r.due for r in RULES.rules} <= set(DUES)
    assert set(CONDITIONS) <= used  # no condition the file never uses


def test_every_interview_signal_has_draft_phrases():
    assert set(RULES.interview_signals) <= set(RULES.mention)
    assert set(RULES.interview_signals) <= set(RULES.gap)
    assert "thank_you_within_24h" not in RULES.interview_signals and "stage" not in RULES.interview_signals


@pytest.mark.parametrize("bad", ["03/02/2026", "tomorrow", "", "2026-02-30"])
def test_a_bad_as_of_date_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="not an ISO date"):
        as_of_date(bad)


def test_as_of_accepts_dates_and_date_times():
    import datetime as dt

    assert str(as_of_date(dt.date(2026, 3, 2))) == "2026-03-02"
    assert str(as_of_date(dt.datetime(2026, 3, 2, 9, 30))) == "2026-03-02 09:30"
    assert as_of_date("2026-03-02T09:30+05:30").zone.utcoffset(None) == dt.timedelta(hours=5, minutes=30)
    assert as_of_date(None).day == np.datetime64(dt.date.today(), "D")


def test_signals_template_and_validation_know_the_new_date_columns(capsys):
    from offerodds.cli import main

    assert main(["signals"]) == 0 and main(["template"]) == 0
    out = capsys.readouterr().out
    for column in ("thank_you_sent_on", "followed_up_on"):
        assert out.count(column) >= 2, column  # described by signals, a column of the template
    with pytest.warns(UserWarning, match="thank_you_sent_on = 'yesterday': not a date offerodds can read"):
        bad = offerodds.score([{"stage": "first", "thank_you_sent_on": "yesterday", "followed_up_on": "2026-03-05"}],
                              model=offerodds.rules())
    assert bad.loc[0, "error"] == "" and bad.loc[0, "offer_probability"] > 0  # a date never costs the score


def test_a_gap_is_named_by_what_was_recorded_even_where_a_model_counts_it_the_other_way():
    """A learned model that counts a workspace tour against the interview names the gap as "you
    were shown around the workspace", never as "not shown around"; the draft's gap sentence,
    written for the article's bad sign (no tour), is left out for it."""
    from offerodds.scoring.scorer import LinearScorer

    card = offerodds.rules()
    coef = card.feature_weights().copy()
    coef["workspace_tour=yes"] = -3.0  # a world where the tour hurts
    model = LinearScorer(kind="model", version="v9", intercept=card.intercept - 2.0, coef=coef.to_numpy())
    row = weak_interview(interview_date="2026-03-02", workspace_tour="yes")
    out = offerodds.score([row], model=model, as_of="2026-03-02")
    text = out.loc[0, "next_step"]
    assert "the odds look low" in text
    tour = by_name()["workspace_tour"].states
    assert tour["yes"].says in text and tour["no"].says not in text
    draft = str(offerodds.followup(row, model=model, as_of="2026-03-02"))
    assert RULES.gap["workspace_tour"] not in draft  # "I would welcome the chance to see where the team works"


def test_after_a_weak_interview_an_effect_of_uncertain_sign_is_named_neither_way():
    """A learned model unsure which way a signal counts (a wide posterior) does not name it as
    circumstance, nor ask the candidate to act on it."""
    import numpy as np

    from offerodds.scoring.scorer import LinearScorer

    card = offerodds.rules()
    unsure = LinearScorer(kind="model", version="v1", intercept=card.intercept, coef=card.coef,
                          covariance=np.eye(len(card.coef) + 1) * 0.3**2)
    row = weak_interview(interview_date="2026-03-02")
    sure = offerodds.score([row], model=card, as_of="2026-03-02").loc[0, "next_step"]
    vague = offerodds.score([row], model=unsure, as_of="2026-03-02").loc[0, "next_step"]
    said = by_name()["hurried"].states["yes"].says
    assert said in sure and said not in vague
    assert "the odds look low" in vague and "add whatever strengthens your case" in vague
