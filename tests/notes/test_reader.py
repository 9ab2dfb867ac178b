"""``offerodds.from_notes``: what a careful reader infers from a note, and nothing more.

The cases below were written for these tests (they are not the evaluation corpus): each names
what must be proposed and what must not be, in the reading rules of docs/notes.md.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

import offerodds
from offerodds.notes import NoteReading, from_notes
from offerodds.notes.reader import from_notes as read_by_rules  # the rules alone, before the confidence layer (test_confidence.py)
from offerodds.notes.lexicon import _check, lexicon
from offerodds.signals.catalogue import column_kinds

ROOT = Path(__file__).resolve().parents[2]

CASES = [
    ('He was on his phone for most of the interview.', {'distracted': 'yes'}, []),
    ('She never once checked her phone and gave me her full attention.', {'distracted': 'no'}, []),
    ('I was checking my phone in the waiting room, nervous as hell.', {}, ['distracted', 'engagement']),
    ('The interviewer interrupted me constantly.', {'interrupted_often': 'yes'}, []),
    ('I interrupted him a couple of times by accident.', {}, ['interrupted_often']),
    ('She let me finish every answer.', {'interrupted_often': 'no'}, []),
    ('It was short, 20 minutes, but she never seemed rushed.', {'hurried': 'no', 'actual_minutes': 20}, []),
    ('The interview was only 25 minutes long.', {'actual_minutes': 25}, ['hurried']),
    ('He seemed in a massive hurry and wrapped it up early.', {'hurried': 'yes'}, []),
    ("I felt rushed but that's probably just my nerves.", {}, ['hurried']),
    ('Not sure whether he was distracted or just tired.', {}, ['distracted', 'engagement']),
    ('Maybe she was a bit bored? Hard to tell over zoom.', {}, ['engagement', 'distracted']),
    ('I think she was genuinely engaged, lots of nodding.', {'engagement': 4}, []),
    ('She was not engaged at all.', {'engagement': 2}, []),
    ('Great eye contact throughout.', {'eye_contact': 5}, []),
    ('He avoided eye contact the whole time.', {'eye_contact': 1}, []),
    ('They offered me a tour of the office afterwards and I met a few of the devs.', {'workspace_tour': 'yes', 'introduced_to_team': 'yes'}, []),
    ('No tour, it was all on Teams.', {'workspace_tour': 'no'}, []),
    ("They said they'd show me the office next time.", {}, ['workspace_tour']),
    ("I'll meet the team in the final round.", {}, ['introduced_to_team', 'stage']),
    ('The recruiter said I should hear back within a week.', {'timeline_given': 'yes'}, []),
    ("They'll be in touch, no date given.", {'timeline_given': 'no'}, []),
    ('She explained the next steps: a take-home task and then a panel.', {'next_steps_explained': 'yes'}, []),
    ('Zero info on next steps.', {'next_steps_explained': 'no'}, []),
    ('He asked about my notice period and when I could start.', {'availability_discussed': 'yes'}, []),
    ('I asked about the notice period they expect.', {}, ['availability_discussed']),
    ('They asked where I want to be in five years.', {'career_goals_asked': 'yes'}, []),
    ('Nobody asked about my long-term goals.', {'career_goals_asked': 'no'}, []),
    ("She mentioned there's a clear path to senior engineer within two years.", {'growth_discussed': 'yes'}, []),
    ('At the end she asked if I had any questions and answered them all in detail.', {'questions_invited': 'yes', 'answer_quality': 4}, []),
    ('When I asked about the budget he got really vague.', {}, ['company_info']),
    ('Her answers were evasive.', {'answer_quality': 2}, []),
    ('They used a standard set of questions with a scoring rubric.', {'structured_format': 'yes'}, []),
    ('It felt totally unscripted.', {}, []),
    ('The hiring manager seemed pretty new to interviewing.', {'inexperienced_interviewer': 'yes'}, []),
    ("I'm new to interviewing so I was nervous.", {}, ['inexperienced_interviewer']),
    ('Sent a thank you email that evening.', {'thank_you_within_24h': 'yes'}, []),
    ("I'll send a thank you email tomorrow morning.", {}, ['thank_you_within_24h']),
    ('Posted a handwritten thank-you card today.', {'handwritten_note': 'yes'}, []),
    ('This was the phone screen with HR.', {'stage': 'screen'}, []),
    ('Second round done! The final round is next week.', {'stage': 'other'}, []),
    ('Final round interview at Globex today.', {'stage': 'final'}, []),
    ("It was the first time I'd been to their office.", {}, ['stage', 'inexperienced_interviewer']),
    ('The interview was scheduled for 45 minutes but finished after 30.', {'scheduled_minutes': 45, 'actual_minutes': 30}, []),
    ('Booked for an hour; lasted about 50 minutes.', {'scheduled_minutes': 60}, ['actual_minutes']),
    ('It went well over an hour.', {}, ['actual_minutes', 'scheduled_minutes']),
    ('The call ran from 2:00 to 2:45pm.', {'actual_minutes': 45}, []),
    ('Commute took 40 minutes and I waited 10 minutes in reception.', {}, ['actual_minutes', 'scheduled_minutes']),
    ('The interviewer was warm and friendly but the questions were pretty generic.', {}, ['skills_depth', 'rapport']),  # a contrast: no manner scale
    ('They grilled me on my SQL and kept asking follow-up questions.', {'skills_depth': 4, 'follow_up_questions': 'yes'}, []),
    ("He didn't ask a single follow-up question.", {'follow_up_questions': 'no'}, []),
    ('The interviewer was really selling the company, told me about the perks and the equity.', {'selling': 4}, []),
    ("She told me a lot about the company's history and mission.", {'company_info': 4}, []),
    ('I told them a lot about my background.', {}, ['company_info', 'skills_depth']),
    ('I talked about my career goals a lot.', {}, ['career_goals_asked']),
    ('It was an interrogation, not a conversation.', {'rapport': 2}, []),
    ('Very relaxed, felt like chatting with a friend.', {'rapport': 4}, []),
    ('I was really relaxed for once!', {}, ['rapport']),
    ('One interviewer was lovely and engaged, the other was on his laptop the entire time.', {}, ['engagement', 'distracted']),
    ('Both interviewers were super engaged.', {'engagement': 5}, []),
    ("It's not that she didn't ask about my availability.", {'availability_discussed': 'yes'}, []),
    ('My cat knocked over my coffee this morning.', {}, []),
    ('Wore my blue suit, parking was a nightmare.', {}, []),
    ('Interview went fine I think.', {}, []),
    ('Met all four people I was scheduled to meet.', {'met_all_scheduled': 'yes'}, []),
    ('The VP was supposed to join but cancelled last minute.', {'met_all_scheduled': 'no'}, []),
    ('No one from the team was around, it was just the HR lady.', {'introduced_to_team': 'no'}, []),
    ('we chatted about football at the end, very casual', {'casual_ending': 'yes'}, []),
    ('It ended abruptly, she just said thanks and left.', {'casual_ending': 'no'}, []),
    ('intervewer was realy enthusiastc, smiling alot', {'enthusiasm': 4}, []),
    ('• asked abt my notice\n• showed me round the lab\n• no timeline', {'availability_discussed': 'yes', 'workspace_tour': 'yes', 'timeline_given': 'no'}, []),
    ("He don't ask me any question about my experience, only about the salary.", {'skills_depth': 2}, []),
    ('Hardly any eye contact from him.', {'eye_contact': 2}, []),
    ("The organisation's values were explained in depth by the recruiter.", {}, []),
    ('Oh sure, she was SO engaged, scrolling her phone the whole time /s', {'distracted': 'yes'}, ['engagement']),
    ("Honestly not a bad interview, he didn't seem bored at all.", {}, ['engagement']),
    ('The hiring manager was 10 minutes late, so we only had 35 minutes.', {'actual_minutes': 35}, ['scheduled_minutes']),
    ('We overran by 15 minutes on a 45-minute slot.', {'scheduled_minutes': 45, 'actual_minutes': 60}, []),
    ('It was supposed to be 30 min but went on for almost an hour.', {'scheduled_minutes': 30}, ['actual_minutes']),
    ('Half an hour, as booked.', {'scheduled_minutes': 30, 'actual_minutes': 30}, []),
    ("She said she'd email me by the end of next week.", {'timeline_given': 'yes'}, []),
    ("No word on when I'll hear back.", {'timeline_given': 'no'}, []),
    ('He asked what my salary expectations are.', {}, ['availability_discussed']),
    ('They asked if I could start in January.', {'availability_discussed': 'yes'}, []),
    ("Asked me what I'd want to be doing in 3 years.", {'career_goals_asked': 'yes'}, []),
    ('She talked about the training budget and internal promotions.', {'growth_discussed': 'yes'}, []),
    ("He showed me some slides about the company's mission and values.", {'company_info': 4}, []),
    ('They were pretty vague about what the job actually involves.', {'role_info': 2}, []),
    ('Not a single question about my experience.', {'skills_depth': 2}, []),
    ('The questions were really tough and specific to my projects.', {'skills_depth': 4}, []),
    ('She followed up on everything I said.', {'follow_up_questions': 'yes'}, []),
    ('I asked a lot of questions at the end.', {}, ['questions_invited']),
    ('We had plenty of time at the end for my questions.', {'questions_invited': 'yes'}, []),
    ('The recruiter read questions from a script.', {'structured_format': 'yes'}, []),
    ('It was her first ever interview as a manager, she said.', {'inexperienced_interviewer': 'yes'}, []),
    ("He's clearly done hundreds of these.", {'inexperienced_interviewer': 'no'}, []),
    ('I sent a thank you email right after.', {'thank_you_within_24h': 'yes'}, []),
    ('Thank-you email sent 2 days later.', {'thank_you_within_24h': 'no'}, []),
    ("Didn't send any handwritten note.", {'handwritten_note': 'no'}, []),
    ('This was my third interview with them.', {'stage': 'other'}, []),
    ('It was a panel of three, and all three were great.', {}, ['met_all_scheduled']),
    ('Only two of the four panelists turned up.', {'met_all_scheduled': 'no'}, []),
    ('The engineer I was supposed to meet was off sick.', {'met_all_scheduled': 'no'}, []),
    ('I met the whole team over lunch.', {'introduced_to_team': 'yes'}, []),
    ('He gave me a quick tour of the warehouse.', {'workspace_tour': 'yes'}, []),
    ("We didn't get to see the office.", {'workspace_tour': 'no'}, []),
    ("I wasn't shown around.", {'workspace_tour': 'no'}, []),
    ('She seemed distracted at first but then got really into it.', {}, ['distracted']),
    ('Not the friendliest person, very curt.', {'rapport': 2}, []),
    ('The vibe was super friendly and relaxed.', {'rapport': 5}, []),
    ('Atmosphere was tense.', {'rapport': 2}, []),
    ("She didn't smile once.", {'enthusiasm': 2}, []),
    ('He looked genuinely excited when I described my project.', {'enthusiasm': 4}, []),
    ('I was excited to hear about the role.', {}, ['enthusiasm']),
    ('She kept cutting me off mid-sentence.', {'interrupted_often': 'yes'}, []),
    ('He interrupted me once to clarify something.', {'interrupted_often': 'no'}, []),
    ('Never felt rushed.', {}, ['hurried']),
    ('He was clearly in a rush to get to his next meeting.', {'hurried': 'yes'}, []),
    ('Interview was really short, like 15 min.', {}, ['hurried', 'actual_minutes']),
    ('Lots of eye contact, lots of nodding.', {'eye_contact': 4}, ['enthusiasm']),  # nodding: engagement or enthusiasm, writers differ
    ('He stared at his laptop most of the time.', {'eye_contact': 2}, []),
    ('My friend said her interview there included an office tour.', {}, ['workspace_tour']),
    ('Last time they gave me a tour, this time nothing.', {}, ['workspace_tour']),
    ('Should I send a thank-you email?', {}, ['thank_you_within_24h']),
    ('They usually introduce candidates to the team, but not me.', {}, ['introduced_to_team']),
    ('Interviewer: friendly. Eye contact: good. Timeline: none given.', {'eye_contact': 4, 'timeline_given': 'no'}, []),
    ('Q: did they explain next steps? A: yes, in detail.', {}, []),
    ('the final round is on friday, today was the second', {}, ['stage', 'next_steps_explained']),
    ('The interviewer was very attentive and make many questions about my last job.', {'engagement': 4}, []),
    ('He was not so interested, he look the phone many times.', {'distracted': 'yes'}, []),
    ('They explained me all the next steps of the process.', {'next_steps_explained': 'yes'}, []),
    ('She told me I will receive answer until Friday.', {'timeline_given': 'yes'}, []),
    ("They didn't asked me nothing about my experience.", {'skills_depth': 2}, []),
    ('The manager show me the office and present me to his team.', {'workspace_tour': 'yes', 'introduced_to_team': 'yes'}, []),
    ('interviwer kept interupting me, so anoying', {'interrupted_often': 'yes'}, []),
    ('she asked about my notise period and when i can start', {'availability_discussed': 'yes'}, []),
    ('they gave me a tour of the ofice', {'workspace_tour': 'yes'}, []),
    ('Brilliant chat, she was ever so keen on my background and we had a right laugh.', {'rapport': 4}, []),
    ('He talked me through their graduate programme and how people progress to senior.', {'growth_discussed': 'yes'}, []),
    ("They were quite cagey about the organisation's finances.", {'company_info': 2}, []),
    ('Yeah, super friendly, she barely said hello.', {}, ['rapport', 'enthusiasm']),
    ("It's not like they didn't tell me about the company, they did, at length.", {'company_info': 4}, []),
    ("I can't say he wasn't distracted.", {}, ['distracted']),
    ("I'm pretty sure she said I'd hear back within a week.", {'timeline_given': 'yes'}, []),
    ('I think they showed me around mostly to kill time, but they did.', {'workspace_tour': 'yes'}, []),
    ("Did they explain the next steps? I honestly can't remember.", {}, ['next_steps_explained']),
    ("I'm not sure if the hiring manager was distracted or just thinking.", {}, ['distracted']),
    ("Maybe they'll give me a tour next time?", {}, ['workspace_tour']),
    ('I smiled and nodded the whole way through, tried to look enthusiastic.', {}, ['enthusiasm']),
    ('I was in a rush to get back to work.', {}, ['hurried']),
    ('I kept interrupting her, which I regret.', {}, ['interrupted_often']),
    ('I introduced myself to the team at reception.', {}, ['introduced_to_team']),
    ('Short and sweet: 20 minutes for a 20-minute slot.', {'scheduled_minutes': 20, 'actual_minutes': 20}, ['hurried']),
    ("Anna was warm and chatty; Ben didn't look up from his laptop once.", {}, ['rapport', 'eye_contact', 'engagement', 'enthusiasm']),
    ('Both of them asked loads about my projects.', {'skills_depth': 4}, []),
    ('Slot was 10:00-11:00, we finished at 10:35.', {'scheduled_minutes': 60, 'actual_minutes': 35}, []),
    ('Started 2pm, finished 3:15pm.', {'actual_minutes': 75}, []),
    ('We were done by 10:40 for an 11:00 slot.', {}, ['actual_minutes', 'scheduled_minutes']),
    ('Forty-five minutes booked, twenty-five used.', {'scheduled_minutes': 45}, []),
    ('It lasted an hour and a half.', {'actual_minutes': 90}, []),
    ('The call took fifteen minutes.', {'actual_minutes': 15}, []),
    ('Every candidate gets the same eight questions, she told me, and she scored each answer on a form.', {'structured_format': 'yes'}, []),
    ('Very by-the-book: competency questions, one after another, with a rubric.', {'structured_format': 'yes'}, []),
    ('Felt like they were ticking boxes on a checklist.', {'structured_format': 'yes'}, []),
    ('They went off-script a lot and we just talked.', {'structured_format': 'no'}, []),
    ('He walked me through the open-plan office and the lab.', {'workspace_tour': 'yes'}, []),
    ('Got a quick look around the warehouse floor.', {'workspace_tour': 'yes'}, []),
    ('It was remote so no chance of a tour.', {'workspace_tour': 'no'}, []),
    ('We stayed in the meeting room the whole time, never saw the rest of the office.', {'workspace_tour': 'no'}, []),
    ('She looked at her watch every few minutes and sighed.', {'hurried': 'yes'}, []),
    ('He said he had a hard stop at 3 and sped through the last questions.', {'hurried': 'yes'}, []),
    ('She took her time with every question, no rushing at all.', {'hurried': 'no'}, []),
    ("Even though it was only 20 minutes, he didn't seem in any hurry.", {'hurried': 'no', 'actual_minutes': 20}, []),
    ('She laid out the whole process: a case study, then a panel, then references.', {'next_steps_explained': 'yes'}, []),
    ('He explained what happens next in detail.', {'next_steps_explained': 'yes'}, []),
    ("No idea what happens now, they didn't say.", {'next_steps_explained': 'no'}, []),
    ('She wanted to know where I see my career in five years.', {'career_goals_asked': 'yes'}, []),
    ('He asked what my long-term ambitions are.', {'career_goals_asked': 'yes'}, []),
    ("They asked about my aspirations and whether I'd want to manage people one day.", {'career_goals_asked': 'yes'}, []),
    ('She probed really deeply into my thesis methodology.', {'skills_depth': 4}, []),
    ('Lots of technical questions about my Python and SQL work.', {'skills_depth': 4}, []),
    ('He went through my CV line by line and asked about every gap.', {'skills_depth': 4}, []),
    ('Surface-level questions only, the kind you find on Google.', {'skills_depth': 2}, []),
    ('The interview ran for 50 minutes.', {'actual_minutes': 50}, []),
    ('Scheduled for 11 to 11:45, it actually ended at 11:30.', {'scheduled_minutes': 45, 'actual_minutes': 30}, []),
    ('It was meant to be a 30-minute call but we talked for an hour.', {'scheduled_minutes': 30, 'actual_minutes': 60}, []),
    ('We wrapped up ten minutes early, in a one-hour slot.', {'scheduled_minutes': 60, 'actual_minutes': 50}, []),
    ('The 90-minute panel ran 20 minutes over.', {'scheduled_minutes': 90, 'actual_minutes': 110}, []),
    ('First-round video call with the hiring manager.', {'stage': 'first'}, []),
    ('HR screen this morning, 20 mins.', {'stage': 'screen', 'actual_minutes': 20}, []),
    ('Onsite final today, five interviews back to back.', {'stage': 'final'}, []),
    ("They said I'm through to the final round.", {}, ['stage']),
    ('She asked me about my notice period, I said one month.', {'availability_discussed': 'yes'}, []),
    ('He promised feedback by Friday.', {'timeline_given': 'yes'}, []),
    ("They'll let me know in two weeks.", {'timeline_given': 'yes'}, []),
    ("She didn't give any timeframe for a decision.", {'timeline_given': 'no'}, []),
    ('I got to ask all my questions and she answered every one candidly.', {'questions_invited': 'yes', 'answer_quality': 4}, []),
    ('He brushed off my question about team turnover.', {'answer_quality': 2}, []),
    ('There was no time left for my questions.', {'questions_invited': 'no'}, []),
    ('She mentioned they promote from within and pay for certifications.', {'growth_discussed': 'yes'}, []),
    ('Nothing about progression or training came up.', {'growth_discussed': 'no'}, []),
    ('So nervous. Rushed through my answers and forgot to smile.', {}, []),
    ('My answers felt rushed and I barely made eye contact, ugh.', {}, []),
    ('I was really engaged and enthusiastic, I think it showed.', {}, []),
    ('Spent the whole morning prepping questions to ask them.', {}, []),
    ('I asked loads of follow-up questions about the team.', {}, []),
    ('I sent my CV again before the interview because they lost it.', {}, []),
    ('Practised my answers with Dad for an hour last night.', {}, []),
    ('I was distracted by the noise outside.', {}, []),
    ('I talked too much and probably interrupted her twice.', {}, []),
    ('Felt relaxed for once, slept well.', {}, []),
    ('I kept checking the time because I had to pick up my kid.', {}, []),
    ('I got lost on the way and arrived ten minutes late, sweating.', {}, []),
    ('I showed them my portfolio and walked them through three projects.', {}, []),
    ('I explained my notice period and when I could start.', {}, []),
    ('I told them where I see myself in five years even though nobody asked.', {}, ['career_goals_asked']),
    ('I asked about next steps but forgot to ask about the timeline.', {}, []),
    ('Wore the grey suit. Coffee beforehand was a mistake.', {}, []),
    ("Really want this job, it's the perfect team for me.", {}, []),
    ('Interview done! Now I wait.', {}, []),
    ('Kept it short and sweet in my answers, like my coach said.', {}, []),
    ('I was too excited to sleep afterwards.', {}, []),
    ('I had a whole list of questions ready but it was fine.', {}, []),
    ('The building was gorgeous, huge windows and plants everywhere.', {}, []),
    ('Honestly I think I nailed the technical part.', {}, []),
    ('I need to send my thank-you email tonight.', {}, []),
    ('Dear Ms Patel, thank you again for your advice last week. I prepared answers about my dissertation and practised my handshake. The train was delayed so I arrived flustered, but the receptionist was kind and offered me water. I will let you know how it goes.', {}, []),
    ("ok so. woke up at 5, couldnt sleep, drank 3 coffees. the office is in this old warehouse near the canal, very cool. i kept thinking i'd mess up the STAR stuff. anyway it's done now, fingers crossed", {}, []),
    ("My sister says I should have asked more questions. I think I was too quiet. Next time I'll prepare a list.", {}, []),
    ("The job ad said the role involves lots of client work, which I love. The company's mission really resonates with me.", {}, []),
    ("I read their annual report beforehand and knew loads about the company's history.", {}, []),
    ('I explained my thesis in detail and walked them through my portfolio.', {}, []),
    ("I wasn't sure how long it would last so I booked the whole afternoon off.", {}, []),
    ('The last company I interviewed with gave me a tour and introduced me to everyone, this one was very different I guess.', {}, []),
    ("I hope they'll explain the next steps in the email.", {}, []),
    ("Would be great if they told me when I'd hear back.", {}, []),
    ('I was smiling the whole time, probably too much!', {}, []),
    ("If they ask about my notice period I'll say one month.", {}, []),
    ("In the waiting room another candidate said they'd had a really long technical grilling.", {}, []),
    ('Note to self: send handwritten card tomorrow.', {}, []),
    ('My mentor says a structured interview with a scoring sheet is normal there.', {}, []),
    ('I had prepared for a panel of three but it turned out to be just one person, which was the plan all along.', {}, ['met_all_scheduled']),
    ("The interviewer's dog kept barking in the background of the video call.", {}, []),
    ('They said the team is growing fast and they hire a lot of juniors.', {}, []),
    ("I'm worried I rambled; my answers were way too long.", {}, []),
    ("Honestly can't tell if it went well or badly.", {}, []),
]


@pytest.mark.parametrize("text, wanted, never", CASES, ids=[c[0][:40] for c in CASES])
def test_a_note_proposes_what_it_says_and_nothing_it_does_not(text, wanted, never):
    reading = read_by_rules(text)
    for column, value in wanted.items():
        assert reading.get(column) == value, (column, dict(reading))
    for column in never:
        assert column not in reading, (column, dict(reading))
    if not wanted and not never:
        assert dict(reading) == {}


def _gold_holds(column, value, gold) -> bool:
    return value in gold if isinstance(gold, list) else value == gold


def _corpus(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_worked_examples_are_read_as_a_careful_reader_reads_them():
    examples = [
        {"text": "Hi! A handwritten card thanking Mr Osei is in the post. The thank-you email only went out on day three, oops.",
         "gold": {"handwritten_note": "yes", "thank_you_within_24h": "no"}},
        {"text": "Mum, it was fine, don't worry! Traffic on the ring road was awful though, and I spilled tea on my printed CV.",
         "gold": {}},
        {"text": "Jess, I was so nervous that I forgot half of my prepared answers and I talked over the interviewer twice.",
         "gold": {}},
        {"text": "Hello Ana, it was the first round. The interviewer was clearly very experienced, no script, just a relaxed "
                 "conversation, and it went 40 minutes over the planned 30.",
         "gold": {"stage": "first", "inexperienced_interviewer": "no", "structured_format": "no", "rapport": [4, 5],
                  "scheduled_minutes": 30, "actual_minutes": 70}},
    ]
    for example in examples:
        reading = read_by_rules(example["text"])
        assert dict(reading).keys() == example["gold"].keys(), example["text"]
        for column, value in reading.items():
            assert _gold_holds(column, value, example["gold"][column]), (column, value)
        # the confidence may drop a proposal it judges unlikely to be right; it never changes one
        kept = from_notes(example["text"])
        assert set(kept) <= set(reading) and all(kept[c] == reading[c] for c in kept)


def test_on_the_development_notes_the_targets_hold():
    """A guard against regressions on the notes the rules were tuned on (the held-out figures
    are in docs/notes.md, from benchmarks/notes_accuracy.py)."""
    proposed = right = gold = opposite = empty = empty_hit = 0
    for note in _corpus(ROOT / "data" / "notes" / "dev.jsonl"):
        reading = from_notes(note["text"])
        gold += len(note["gold"])
        empty += not note["gold"]
        empty_hit += not note["gold"] and bool(reading)
        for column, value in reading.items():
            proposed += 1
            want = note["gold"].get(column)
            right += want is not None and _gold_holds(column, value, want)
            if column_kinds()[column] in ("scale", "yesno") and want is not None:
                side = lambda v: (v > 3) - (v < 3) if isinstance(v, int) else {"yes": 1, "no": -1}[v]  # noqa: E731
                wanted_sides = {side(v) for v in (want if isinstance(want, list) else [want])}
                opposite += side(value) != 0 and wanted_sides == {-side(value)}
    assert right / proposed >= 0.9 and right / gold >= 0.5
    assert opposite < 0.01 * proposed and empty_hit <= 0.1 * empty


def test_every_value_comes_with_the_words_of_the_note_it_rests_on():
    text = ("Final round today. The panel lead checked his watch twice and we were done after 25 minutes "
            "of a 60-minute slot. Nobody showed me around. He said I'd hear back by the 14th.")
    reading = from_notes(text)
    assert dict(reading) == {"stage": "final", "hurried": "yes", "workspace_tour": "no", "timeline_given": "yes",
                             "scheduled_minutes": 60, "actual_minutes": 25}
    for column in reading:
        assert reading.evidence[column] and reading.evidence[column] in text, column
    assert "Nobody showed me around" in reading.evidence["workspace_tour"]


@pytest.mark.parametrize("empty", [None, "", "   ", math.nan])
def test_no_text_proposes_nothing(empty):
    reading = from_notes(empty)
    assert isinstance(reading, NoteReading) and len(reading) == 0 and reading.evidence == {}
    assert "supports no signal value" in repr(reading)


def test_anything_but_text_is_refused_with_a_clear_error():
    with pytest.raises(TypeError, match="reads text"):
        from_notes(42)


def test_the_result_reads_as_a_mapping_and_in_words():
    reading = offerodds.from_notes("She asked about my notice period.")
    assert reading["availability_discussed"] == "yes" and list(reading) == ["availability_discussed"]
    assert reading.to_dict() == {"availability_discussed": "yes"}
    assert 'availability_discussed = yes   from: "She asked about my notice period"' in str(reading)
    assert "<table>" in reading._repr_html_()


def test_every_proposal_fits_its_column():
    for rule in lexicon().rules:
        kind = column_kinds()[rule.column]
        assert kind != "minutes"
        if kind == "scale":
            assert rule.value in (1, 2, 3, 4, 5)


@pytest.mark.parametrize("rule, message", [
    ({"column": "engagment", "value": 4, "phrases": ["x"]}, "not a column"),
    ({"column": "engagement", "value": 7, "phrases": ["x"]}, "not a value of engagement"),
    ({"column": "hurried", "value": "maybe", "phrases": ["x"]}, "not a value of hurried"),
    ({"column": "hurried", "value": "yes", "flags": "q", "phrases": ["x"]}, "unknown flags"),
    ({"column": "hurried", "value": "yes"}, "needs either phrases or a pattern"),
])
def test_a_wrong_rule_in_the_rules_file_is_named(rule, message):
    with pytest.raises(ValueError, match=message):
        _check(rule, column_kinds())
