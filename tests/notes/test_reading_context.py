"""Issue 25, logic pass: kinds of wrong proposals found on the development corpora, each shown
abstaining (or reading as meant) next to the plain case that must still read."""

from offerodds import from_notes


def test_advice_an_article_and_a_job_ad_are_not_this_interview():
    assert dict(from_notes("Things to look out for next time according to that article: eye contact, "
                           "do they smile, do they show you round.")) == {}
    assert dict(from_notes("Friend's advice: always send a thank-you within 24h.")) == {}
    assert dict(from_notes("The job ad said 'we value follow-up'.")) == {}
    assert dict(from_notes("4) send a thank-you within a day.")) == {}
    # the plain case reads
    assert from_notes("She smiled a lot and showed me round the office.")["workspace_tour"] == "yes"
    assert from_notes("Sent a thank-you within 24h.")["thank_you_within_24h"] == "yes"
    # an aside about the job ad does not reach back over what happened
    reading = from_notes("The interview did NOT include a tour, which I was half expecting since the job ad "
                         "said 'come see our studio'.")
    assert reading["workspace_tour"] == "no"


def test_hearsay_reputation_and_interviewers_in_general_propose_nothing():
    assert dict(from_notes("The hiring manager at Pemberton is famous for never smiling.")) == {}
    assert dict(from_notes("Interviewers who don't ask follow-up questions are the worst, right? Discuss.")) == {}
    assert dict(from_notes("Heard from a guy on the forum that they always give a tour.")) == {}
    assert dict(from_notes("Apparently a tour is a good sign.")) == {}
    # "apparently" alone is the writer's own report and still reads
    assert from_notes("Apparently I'm the first person the new team lead has ever interviewed - "
                      "he said it was his first time interviewing.")["inexperienced_interviewer"] == "yes"
    assert from_notes("He never asked a single follow-up question.")["follow_up_questions"] == "no"


def test_an_interview_to_come_a_rehearsal_and_an_earlier_one_are_not_this_one():
    assert "stage" not in from_notes("Bought a new blazer for Monday's final round.")
    assert dict(from_notes("Mock panel at uni: they cut me off loads.")) == {}
    assert dict(from_notes("Practice interview with Dad tonight. He played a grumpy hiring manager who kept "
                           "interrupting.")) == {}
    reading = from_notes("Two years ago at Penhallow the final round was chaos - interviewer on her phone. "
                         "Today the panel chair was focused and gave me a tour.")
    assert "stage" not in reading and "distracted" not in reading
    assert reading["workspace_tour"] == "yes"
    reading = from_notes("My sister's interview there was a full day with a tour. Mine today was on Zoom.")
    assert "workspace_tour" not in reading
    # the plain cases read
    assert from_notes("Final round today with the CTO.")["stage"] == "final"
    assert from_notes("She cut me off loads.")["interrupted_often"] == "yes"


def test_a_round_still_to_come_or_named_by_its_kind_is_no_stage_and_a_stated_last_round_is_final():
    assert "stage" not in from_notes("She said the final round would be with the finance director.")
    assert "stage" not in from_notes("First interview in four years, for a manager role.")
    assert "stage" not in from_notes("The technical round at Nirvik Systems.")
    assert "stage" not in from_notes("Successful people go to a final interview with the business.")
    assert "stage" not in from_notes("She walked me through all four stages: assessment centre, panel, references, offer.")
    assert from_notes("Second interview at Coppergate, which they'd told me is the last round.")["stage"] == "final"
    assert from_notes("Marlowe Games, 2nd round (of 2, so final).")["stage"] == "final"
    assert from_notes("Round 2 of 4 today.")["stage"] == "other"
    # the plain cases read
    assert from_notes("Second interview at Coppergate.")["stage"] == "other"
    assert from_notes("Screening call - recruiter said the next stage is a coding session.")["stage"] == "screen"


def test_negation_reaches_over_fillers_and_idioms_deny_nothing():
    reading = from_notes("nobody asked, like, where I see myself or anything about my goals")
    assert reading["career_goals_asked"] == "no"
    assert from_notes("He never so much as glanced at his phone.")["distracted"] == "no"
    assert from_notes("The interviewer was not so much interested in my answers.")["engagement"] == 2
    assert from_notes("not gonna lie the interviewer seemed distracted, checking his phone")["distracted"] == "yes"
    assert from_notes("The manager was interrupting me not once, not twice, but ten times.")["interrupted_often"] == "yes"
    assert from_notes("The hiring manager didn't not ask about my availability.")["availability_discussed"] == "yes"
    assert from_notes("So... selling it, he was not.")["selling"] == 2
    assert from_notes("She asked me nothing about my future plans.")["career_goals_asked"] == "no"
    # the plain cases read
    assert from_notes("She asked where I see myself in five years.")["career_goals_asked"] == "yes"
    assert from_notes("nobody asked about my goals")["career_goals_asked"] == "no"


def test_not_yet_hedged_negations_and_neither_nor():
    assert dict(from_notes("Daniel has not yet sent a thank-you; we agreed he will do it tonight.")) == {}
    assert "handwritten_note" not in from_notes("Wrote a thank you card for the GM but haven't posted it yet.")
    assert "distracted" not in from_notes("I'd not say he was distracted exactly.")
    assert "enthusiasm" not in from_notes("He was neither enthusiastic nor bored.")
    # the plain cases read
    assert from_notes("I didn't send a thank-you.")["thank_you_within_24h"] == "no"
    assert from_notes("He wasn't distracted at all.")["distracted"] == "no"


def test_checklists_thin_content_and_doubt_next_door():
    assert from_notes("\u2610 handwritten note (nope)")["handwritten_note"] == "no"
    assert from_notes("Handwritten card \u2718")["handwritten_note"] == "no"
    assert "company_info" not in from_notes("Told me about the company: honestly pretty vague.")
    assert "role_info" not in from_notes("He explained very little about the job, only the title.") or \
        from_notes("He explained very little about the job, only the title.")["role_info"] <= 2
    assert "distracted" not in from_notes("He was typing the whole time. Not sure if notes or emails. Hard to tell.")
    assert "enthusiasm" not in from_notes("Couldn't tell you if the interviewer liked me. Poker face.")
    assert "distracted" not in from_notes("the interviewer was clearly distracted lol. NOT.")
    # the plain cases read
    assert from_notes("Handwritten card posted the next day.")["handwritten_note"] == "yes"
    assert from_notes("She told me loads about the company's history and plans.")["company_info"] >= 4
    assert from_notes("He kept checking his phone the whole time.")["distracted"] == "yes"


def test_one_of_several_interviewers_is_not_the_panel():
    note = ("Four interviews back to back. The first two were great, really engaged, leaning in. "
            "The third guy was on his laptop the whole time and barely looked up.")
    reading = from_notes(note)
    assert not {"engagement", "distracted", "eye_contact"} & set(reading)
    reading = from_notes("Two of them were super friendly and chatty, the third checked the time. 3 interviewers.")
    assert "hurried" not in reading
    # said of them together, it stands
    assert from_notes("Panel of two. Both were engaged and leaning in.")["engagement"] >= 4


def test_lengths_a_careful_reader_works_out():
    assert dict(from_notes("It was supposed to be 45 minutes but we talked for one hour and half.")) == {
        "scheduled_minutes": 45, "actual_minutes": 90}
    assert from_notes("Meant to be thirty min and ran to an hour and a quarter.")["actual_minutes"] == 75
    reading = from_notes("Ravensworth phone screen: 10:00-10:30 booked, it ran until 10:40.")
    assert (reading["scheduled_minutes"], reading["actual_minutes"]) == (30, 40)
    reading = from_notes("Phone interview, 45 mins. She had another call so we finished 10 minutes early.")
    assert (reading["scheduled_minutes"], reading["actual_minutes"]) == (45, 35)
    assert from_notes("call was booked for 1 hr and it went the full hour, actually 5 mins over")["actual_minutes"] == 65
    # a moment in the interview, time left for questions, an HR person: no length
    assert "actual_minutes" not in from_notes("He was distracted at first, but after 10 minutes he closed his laptop.")
    assert "actual_minutes" not in from_notes("We had 15 minutes only for my questions.")
    assert "actual_minutes" not in from_notes("The interviewer, an HR generalist, read from a form.")
    # the plain cases read
    assert from_notes("After 15 minutes he said 'ok, that's all'.")["actual_minutes"] == 15
    assert from_notes("We were done after 20 minutes.")["actual_minutes"] == 20


def test_two_roles_a_denying_header_a_form_answer_a_change_and_an_excuse():
    reading = from_notes("The team lead seemed really excited, the manager seemed bored. Awkward combo.")
    assert not {"engagement", "distracted", "enthusiasm"} & set(reading)
    reading = from_notes("Things I was NOT asked at Greylock: my notice period, or where I see myself in five years.")
    assert reading["availability_discussed"] == "no" and reading["career_goals_asked"] == "no"
    assert from_notes("Met everyone on the schedule: no - the MD was swapped for her deputy.")["met_all_scheduled"] == "no"
    assert "distracted" not in from_notes("She seemed bored, checked her email a couple of times, then perked up at the end.")
    assert "distracted" not in from_notes("He stared at his screen the entire interview. To be fair he was typing up my answers.")
    # what the writer excuses is the bad side only: a good reading stands
    assert from_notes("He didn't interrupt me, to be fair.")["interrupted_often"] == "no"
    # the plain cases read
    assert from_notes("The manager seemed bored and kept checking his phone.")["distracted"] == "yes"
    assert from_notes("Things I was asked: my notice period and my goals.")["availability_discussed"] == "yes"


def test_a_stated_middle_a_litotes_on_a_scale_and_an_unseen_interviewer():
    assert "enthusiasm" not in from_notes("Medium eye contact, medium energy, a couple of smiles.")
    assert "selling" not in from_notes("I wouldn't say they didn't try to sell it to me... they did, a bit.")
    assert "eye_contact" not in from_notes("The interview was on the phone, so no eye contact obviously.")
    assert "actual_minutes" not in from_notes("I took a £40 taxi and the slot was 30 minutes.")
    # the plain cases read
    assert from_notes("She smiled a lot.")["enthusiasm"] == 4
    assert from_notes("It's not that she didn't ask about my availability.")["availability_discussed"] == "yes"
    assert from_notes("On video he never looked up from his notes.")["eye_contact"] <= 2


def test_what_such_a_sentence_reaches_and_what_is_no_doubt():
    # a new statement after the advice is about this interview
    reading = from_notes("Next time I'm going to ask for a tour myself, I didn't see anything of the depot today.")
    assert reading.get("workspace_tour") in (None, "no")
    # a call promised for tomorrow is a timeline, not an interview to come
    assert from_notes("Said they'd call tomorrow.")["timeline_given"] == "yes"
    # "hard to read" is a person, not a doubt about the sentence before
    assert from_notes("Tour happened (the whole site). The main chap was quite hard to read though.")["workspace_tour"] == "yes"
    # "the two of them" is both of them
    assert from_notes("The two of them took turns and really pushed on every example with more questions.")["skills_depth"] >= 4


def test_a_short_doubt_a_round_wanted_back_for_and_a_generic_judgement():
    assert "engagement" not in from_notes("Can't tell if she was bored or tired. Maybe both? She yawned once.")
    assert "stage" not in from_notes("The client wants me back for a second round, but the date is TBC.")
    assert "workspace_tour" not in from_notes("Apparently a tour is good, a short interview is bad.")
    # a stated middle holds back a scale only: a yes/no beside it stands
    assert from_notes("So-so interview, no tour.")["workspace_tour"] == "no"
    # the plain cases read
    assert from_notes("She yawned twice and looked bored.")["engagement"] <= 2
    assert from_notes("Second round at Barrow & Finch.")["stage"] == "other"


def test_a_superlative_is_the_top_level_and_a_chair_and_the_woman_from_finance_are_two_people():
    assert from_notes("Honestly the most enthusiastic person I've ever met.")["enthusiasm"] == 5
    reading = from_notes("The panel chair was brilliant, warm and smiley; the woman from finance was stony-faced throughout.")
    assert "enthusiasm" not in reading
    # the plain cases read
    assert from_notes("She was enthusiastic.")["enthusiasm"] == 4
    assert from_notes("The panel chair was warm and smiley.")["enthusiasm"] >= 4
