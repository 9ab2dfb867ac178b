"""The fifth pass's reading rules (docs/notes.md, "Fifth pass" and the rules it added): for each, a note
where a careful reader abstains or reads the other way, and the plain case that still reads.

Each rule is written from a kind of error the reader made on writing it had not seen, not from one
note's wording: the notes here are new sentences of the same kind.
"""

from __future__ import annotations

import pytest

from offerodds.notes import from_notes
from offerodds.notes.reader import from_notes as read_by_rules  # the rules alone, before the confidence layer (test_confidence.py)

# (rule, the note that must not give the value, what it must give instead (or None), the plain note, what it gives)
CASES = [
    # negation scope
    ("never so much as", "He never so much as looked at his phone.", {"distracted": "no"},
     "He looked at his phone a lot.", {"distracted": "yes"}),
    ("forgot to", "They forgot to give me the office tour they had promised.", {"workspace_tour": "no"},
     "They gave me the office tour they had promised.", {"workspace_tour": "yes"}),
    ("not that nobody", "It's not that nobody introduced me to the team.", {"introduced_to_team": "yes"},
     "Nobody introduced me to the team.", {"introduced_to_team": "no"}),
    ("form answer no", "Smiles: none\nEye contact: poor", {"enthusiasm": 2},
     "She smiled a lot.", {"enthusiasm": 4}),
    ("checklist cross", "Thank-you email sent that evening. Handwritten card \u2718 (no stamps).", {"handwritten_note": "no"},
     "Thank-you email sent that evening. Handwritten card posted too.", {"handwritten_note": "yes"}),
    ("parenthesis aside", "Asked about my notice period (none, I'm a graduate).", {"availability_discussed": "yes"},
     "They never asked about my notice period.", {"availability_discussed": "no"}),
    ("no shortage of", "There was no shortage of follow-up questions.", {"follow_up_questions": "yes"},
     "There were no follow-up questions.", {"follow_up_questions": "no"}),
    ("two stacked negations", "Hardly a moment where she wasn't engaged.", {"engagement": None},
     "She wasn't engaged.", {"engagement": 2}),
    ("first interview as a manager", "She said it was her first interview as a manager.", {"stage": None},
     "First interview with the team today.", {"stage": "first"}),
    ("never once is no rarity", "She listened closely, took notes, never once looked at her watch.", {"engagement": 4},
     "She looked me in the eye maybe once.", {"eye_contact": 2}),
    ("eye contact not made", "She didn't make eye contact once.", {"eye_contact": 2},
     "She made eye contact throughout.", {"eye_contact": 5}),
    ("a phone not checked", "He didn't check his phone once.", {"distracted": "no"},
     "He kept checking his phone.", {"distracted": "yes"}),
    # sentences that take back or doubt their neighbours
    ("retraction", "The recruiter was clearly distracted lol. NOT. Most focused person ever.", {"distracted": None},
     "The recruiter was clearly distracted.", {"distracted": "yes"}),
    ("self-correction", "It's not like he didn't tell me what happens next... oh wait, he didn't.", {"next_steps_explained": None},
     "He explained what happens next.", {"next_steps_explained": "yes"}),
    ("doubt alone", "The manager seemed bored. Maybe? Hard to say on video.", {"engagement": None},
     "The manager seemed bored.", {"engagement": 2}),
    ("story's sequel", "Mock interview with my uncle tonight. He kept interrupting on purpose.", {"interrupted_often": None},
     "The manager kept interrupting.", {"interrupted_often": "yes"}),
    ("doubt after a contrast", "She seemed in a hurry, but maybe that's just how she is, I can't tell.", {"hurried": None},
     "She seemed in a hurry.", {"hurried": "yes"}),
    ("a doubt about the outcome takes nothing back", "She seemed in a hurry, but who knows.", {"hurried": None},
     "She asked about my notice period, but I'm not sure they'll call me back.", {"availability_discussed": "yes"}),
    ("a promise doubted is still given", "She seemed in a hurry, but who knows.", {"hurried": None},
     "She said I'd hear by Friday, but who knows.", {"timeline_given": "yes"}),
    # someone else's interview, hearsay
    ("someone's interview by name", "Priya's interviewer asked her about her notice period. Jealous!", {"availability_discussed": None},
     "Today's interviewer asked about my notice period.", {"availability_discussed": "yes"}),
    ("hearsay", "Heard from a friend of a friend that they always give a tour and it runs two hours.",
     {"workspace_tour": None, "actual_minutes": None},
     "They gave me a tour of the office. It lasted two hours.", {"workspace_tour": "yes", "actual_minutes": 120}),
    ("an interview at another time", "When I interviewed at Orbis two years back they gave me a tour.", {"workspace_tour": None},
     "At Orbis today they gave me a tour.", {"workspace_tour": "yes"}),
    ("an interview still to come", "Interview at 3pm tomorrow, 45 minutes.", {"actual_minutes": None},
     "Interview at 3pm, 45 minutes.", {"actual_minutes": 45}),
    ("a round on a date ahead", "He said the final round is on the 12th.", {"stage": None},
     "Final round today with the MD.", {"stage": "final"}),
    # lengths
    ("a clock range called a booking", "We were done at 2:35 for a 2:00 to 3:00 booking.", {"scheduled_minutes": 60, "actual_minutes": 35},
     "Interview ran 2:00-2:45.", {"actual_minutes": 45}),
    ("the unit said once", "Lasted 2 hrs (scheduled 2).", {"scheduled_minutes": 120, "actual_minutes": 120},
     "Scheduled 45 minutes, lasted 30.", {"scheduled_minutes": 45, "actual_minutes": 30}),
    ("a slot's start carries on", "Slot 14:00-15:00 booked; we wrapped up at 14:35.", {"scheduled_minutes": 60, "actual_minutes": 35},
     "Booked 2pm-3pm, finished at 2:40.", {"scheduled_minutes": 60, "actual_minutes": 40}),
    ("a late start is not the slot's", "Scheduled from 10:00 to 10:45. We started late, at 10:10, and finished at 10:50.",
     {"scheduled_minutes": 45, "actual_minutes": 40},
     "Slot was 9 to 10:30, we started on time and finished at 10:45.", {"actual_minutes": 105}),
    ("a tracker's start and end", "* 09:00 start, 09:35 end, 45 min slot", {"actual_minutes": 35, "scheduled_minutes": 45},
     "Call set for 2:00-2:45, she joined at 2:05 and we hung up at 2:25.", {"actual_minutes": 20}),
    ("a quarter after the hour", "Booked thirty minutes, went for an hour and a quarter.", {"actual_minutes": 75},
     "Planned: 1h. Reality: 25 min.", {"scheduled_minutes": 60, "actual_minutes": 25}),
    # two interviewers
    ("two by role", "The sales director was clearly distracted, but the engineer was focused on me.", {"distracted": None},
     "The sales director was clearly distracted.", {"distracted": "yes"}),
    ("two by number", "Interviewer one (Ana) was warm and chatty; interviewer two (Bo) was curt and stiff.", {"rapport": None},
     "The interviewer was curt and stiff.", {"rapport": 2}),
    ("the same said of each", "Interviewer one (Ana) was warm and chatty; interviewer two (Bo) was curt and stiff.", {"rapport": None},
     "Interviewer #1 smiled a lot; interviewer #2 smiled a lot too.", {"enthusiasm": 4}),
    ("a name with an adverb", "Panel today. Tom was super engaged the whole time; Jess basically stared out the window.",
     {"engagement": None, "distracted": None},
     "Panel today. Both of them were super engaged the whole time.", {"engagement": 5}),
    ("one of the panel excepted", "The panel was engaged, except for the guy from finance.", {"engagement": None},
     "Three interviewers, all super engaged.", {"engagement": 5}),
    ("'all smiles' is one person", "The COO was all smiles. The HR person next to her looked miles away.", {"enthusiasm": None},
     "The COO smiled a lot.", {"enthusiasm": 4}),
    # phrases read as their words
    ("tourism is no tour", "My interview at the city tourism office went fine.", {"workspace_tour": None},
     "They gave me a quick tour of the office.", {"workspace_tour": "yes"}),
    ("a tour of a flat", "Booked a tour of a flat for Sunday.", {"workspace_tour": None},
     "She gave me a tour of the lab.", {"workspace_tour": "yes"}),
    ("cut off at a time", "They cut me off at 15 minutes, booked for 30.", {"interrupted_often": None},
     "He cut me off constantly.", {"interrupted_often": "yes"}),
    ("every few minutes alone", "She checked the clock every few minutes.", {"interrupted_often": None},
     "She interrupted every few minutes.", {"interrupted_often": "yes"}),
    ("straight in the eye", "He looked me straight in the eye.", {"answer_quality": None},
     "She was very open about everything I asked.", {"answer_quality": 4}),
    ("time for my questions", "They gave me plenty of time for my questions.", {"hurried": None},
     "There was no rush at all.", {"hurried": "no"}),
    ("first interview ever", "First interview ever for a lead role. Nervous!", {"stage": None},
     "First round with the hiring manager.", {"stage": "first"}),
    ("the same question twice", "He asked me the same question twice.", {"structured_format": None},
     "Same questions for every candidate, scored on a sheet.", {"structured_format": "yes"}),
    ("an interview called off", "Interview cancelled at the last minute, rescheduled for Friday.", {"met_all_scheduled": None},
     "The CFO was supposed to join but cancelled last minute.", {"met_all_scheduled": "no"}),
    ("a friendly end of its own", "Met the team at the end, two designers, really friendly bunch.", {"casual_ending": None},
     "At the end we chatted about football.", {"casual_ending": "yes"}),
    # what comes next
    ("next: label", "- 1st round done\n- next: final with the CEO", {"stage": "first"},
     "- final with the CEO today", {"stage": "final"}),
    ("next is", "Next is the second round, they'll send a date.", {"stage": None},
     "Second round with the director.", {"stage": "other"}),
    ("would follow", "They said a second interview with the director would follow for some.", {"stage": None},
     "Second interview with the director today, round 2 of 3.", {"stage": "other"}),
    # whose act
    ("my own question", "I asked about the training budget and whether they promote from within.", {"growth_discussed": None},
     "She said they promote from within.", {"growth_discussed": "yes"}),
    ("I was the one who", "I was the one who was distracted, the neighbours were drilling.", {"distracted": None},
     "She was distracted, the neighbours were drilling.", {"distracted": "yes"}),
    ("my own answers", "My answers were vague, not great.", {"answer_quality": None},
     "Her answers were vague.", {"answer_quality": 2}),
    ("my own questions", "Her answers to my questions were vague.", {"skills_depth": None, "answer_quality": 2},
     "The questions were shallow.", {"skills_depth": 2}),
    ("a round named as a next step", "I asked about next steps and she said a final round with the CEO, then an offer.", {"stage": None},
     "Final round with the CEO today.", {"stage": "final"}),
    ("a counterfactual", "Had they given me a tour, I'd have felt better.", {"workspace_tour": None},
     "They had given me a tour earlier.", {"workspace_tour": "yes"}),
    ("a friend's reply", "My friend heard back within two days.", {"timeline_given": None},
     "He said I'd hear within 48 hours.", {"timeline_given": "yes"}),
    ("a hoped-for date", "I hope to hear within a week.", {"timeline_given": None},
     "She told me exactly what happens next: a test, then a panel.", {"next_steps_explained": "yes"}),
    # manner scales
    ("thin content beside a high level", "She talked about the company's values for about two minutes, generic stuff.",
     {"company_info": None},
     "She told me a lot about the company's history and clients.", {"company_info": 4}),
    ("nodding is no enthusiasm", "He nodded a lot.", {"enthusiasm": None},
     "He smiled a lot.", {"enthusiasm": 4}),
    ("warmth is no enthusiasm", "She was very warm.", {"enthusiasm": None},
     "She was very enthusiastic.", {"enthusiasm": 4}),
    ("bored is engagement", "He looked bored.", {"enthusiasm": None, "engagement": 2},
     "He sounded flat.", {"enthusiasm": 2}),
    ("standard is not shallow", "They asked standard questions.", {"skills_depth": None},
     "The questions were shallow, nothing deep.", {"skills_depth": 2}),
    ("a couple of smiles", "A couple of smiles, the odd nod.", {"enthusiasm": None},
     "Smiling the whole time.", {"enthusiasm": 5}),
    ("neither nor", "Neither warm nor cold, no big smiles.", {"enthusiasm": None},
     "No smiles at all.", {"enthusiasm": 2}),
    ("the time on a phone", "She kept checking the time on her phone.", {"distracted": None},
     "She kept checking her phone.", {"distracted": "yes"}),
]


@pytest.mark.parametrize("rule, held, gives, plain, reads", CASES, ids=[c[0] for c in CASES])
def test_the_rule_abstains_or_reads_the_other_way(rule, held, gives, plain, reads):
    reading = read_by_rules(held)
    for column, value in gives.items():
        assert reading.get(column) == value, (rule, column, dict(reading))


@pytest.mark.parametrize("rule, held, gives, plain, reads", CASES, ids=[c[0] for c in CASES])
def test_the_plain_case_still_reads(rule, held, gives, plain, reads):
    reading = read_by_rules(plain)
    for column, value in reads.items():
        assert reading.get(column) == value, (rule, column, dict(reading))
