"""The phrases of ``resources/notes.toml``: each family reads a plain sentence, and a near-miss
that sounds like it (the same words about something else) proposes nothing for that column.

Every sentence here was written for these tests; none is copied from an evaluation corpus.
"""

from __future__ import annotations

import pytest

from offerodds.notes import from_notes
from offerodds.notes.reader import from_notes as read_by_rules  # the rules alone, before the confidence layer (test_confidence.py)

# (note, the values it must propose, the columns it must leave out)
CASES = [
    # structured_format: a fixed set of questions, not a question asked twice or a panel's turns
    ("She asked every candidate the same questions, off a sheet.", {"structured_format": "yes"}, []),
    ("He was reading everything from a paper.", {"structured_format": "yes"}, []),
    ("He asked me the same question two times, I think he forgot.", {}, ["structured_format"]),
    ("The two of them took turns asking me about my last job.", {}, ["structured_format"]),
    ("Same with my questions about pay: no clear answer.", {}, ["structured_format"]),
    # questions_invited: a Q&A part given to the candidate, not a question-and-answer style
    ("There was a short Q&A at the end where I asked about the team.", {"questions_invited": "yes"}, []),
    ("Mostly straight Q&A, not much of a conversation.", {}, ["questions_invited"]),
    # stage: the last round, not the last interviewer of the day; an unnumbered round is no stage
    ("It was the last one before the offer, they said.", {"stage": "final"}, []),
    ("Three interviewers; the last one, the finance lead, was lovely.", {}, ["stage"]),
    ("Today was the technical round with two developers.", {}, ["stage"]),
    ("Round 2 of 3, the technical round.", {"stage": "other"}, []),
    # timeline_given: a call or a decision promised by a day or within a time
    ("He said he'd ring me on Monday.", {"timeline_given": "yes"}, []),
    ("She told me the decision would come on or before the 20th.", {"timeline_given": "yes"}, []),
    ("The recruiter said the manager will reach out by end of next week.", {"timeline_given": "yes"}, []),
    ("Results in three weeks, then reference checks.", {"timeline_given": "yes"}, []),
    ("They said they'd be in touch. Didn't say when.", {"timeline_given": "no"}, []),
    ("The invite said an hour, it ran to ninety minutes.", {}, ["timeline_given"]),
    ("Good to know before Friday.", {}, ["timeline_given"]),
    ("I said I could start in two weeks.", {}, ["timeline_given"]),
    # stage: "had their final" is this interview
    ("I had their final today, three interviews back to back.", {"stage": "final"}, []),
    # next_steps_explained: what comes next, said as the process
    ("She said next is a trial shift, then references.", {"next_steps_explained": "yes"}, []),
    ("He talked me through the offer process.", {"next_steps_explained": "yes"}, []),
    ("Nobody mentioned what happens next.", {"next_steps_explained": "no"}, []),
    ("My real interview is next Tuesday at 3.", {}, ["next_steps_explained"]),
    ("Said the next step is a technical test, then two onsite rounds.", {"next_steps_explained": "yes"}, []),
    ("HR explained the steps before an offer.", {"next_steps_explained": "yes"}, []),
    ("They didn't say anything about next steps.", {"next_steps_explained": "no"}, []),
    ("Next is my sister's wedding, then a holiday.", {}, ["next_steps_explained"]),
    # workspace_tour: taken round a place
    ("Then she walked me round the shop.", {"workspace_tour": "yes"}, []),
    ("The head took me round the department before the panel.", {"workspace_tour": "yes"}, []),
    ("I saw nothing of the warehouse, just a meeting room.", {"workspace_tour": "no"}, []),
    ("She walked me through every line of the job spec.", {}, ["workspace_tour"]),
    # introduced_to_team: introduced to someone who is not an interviewer
    ("He introduced me to Lena, who'd be my supervisor.", {"introduced_to_team": "yes"}, []),
    ("I met a few of the people I'd be working with.", {"introduced_to_team": "yes"}, []),
    ("She introduced me to the panel and we started.", {}, ["introduced_to_team"]),
    # met_all_scheduled: everyone on the schedule came, or someone did not
    ("All four panel members turned up on time.", {"met_all_scheduled": "yes"}, []),
    ("I met the three people on my itinerary.", {"met_all_scheduled": "yes"}, []),
    ("I was told I would meet the architect, but the architect never joined the call.", {"met_all_scheduled": "no"}, []),
    ("All four of us went for a coffee after the exam.", {}, ["met_all_scheduled"]),
    # skills_depth: questions that went into how the work was done, or none about it
    ("He kept going deeper on my Kafka work, why I picked that partitioning.", {"skills_depth": 4}, []),
    ("She asked me why I chose that algorithm and what broke.", {"skills_depth": 4}, []),
    ("The head chef asked me precisely zero questions about my cooking experience.", {"skills_depth": 2}, []),
    ("He kept saying how much I'd love the team.", {}, ["skills_depth"]),
    ("She asked loads about my notice period.", {}, ["skills_depth"]),
    # role_info: what the job is, told in full or not at all
    ("The manager told me everything about the role, the rota and the budget.", {"role_info": 4}, []),
    ("The recruiter wasn't able to tell me anything about the day to day.", {"role_info": 2}, []),
    ("He explained very little about the job, just the title.", {"role_info": 2}, []),  # not the high level
    # answer_quality: how the interviewer answered the candidate's questions
    ("He answered my questions about the restructuring candidly and in detail.", {"answer_quality": 4}, []),
    ("When I asked about training she gave me a really thorough answer.", {"answer_quality": 4}, []),
    ("He answered my questions with one word.", {"answer_quality": 2}, []),
    ("When I asked what happens next he said 'we'll see'.", {}, ["answer_quality"]),
    # company_info: what was said of the organisation
    ("She told me loads about the trust: the merger, the new build, the values.", {"company_info": 4}, []),
    ("He talked for ages about where the company is going.", {"company_info": 4}, []),
    ("She didn't give any information about the company.", {"company_info": 2}, []),
    ("He told me about the hotel where he stayed last week.", {}, ["company_info"]),
    # thank_you_within_24h: the candidate's thank-you, within hours or days later
    ("Thank you email sent 2 hrs after.", {"thank_you_within_24h": "yes"}, []),
    ("I emailed them the same evening to say thanks.", {"thank_you_within_24h": "yes"}, []),
    ("Remembered four days later and sent the thank-you anyway.", {"thank_you_within_24h": "no"}, []),
    ("They sent me the take-home two hours later.", {}, ["thank_you_within_24h"]),
    # availability_discussed: start dates, notice, holidays
    ("She asked if I had any holidays booked over the summer.", {"availability_discussed": "yes"}, []),
    ("He asked whether she could start on the 1st.", {"availability_discussed": "yes"}, []),
    ("They didn't ask about start dates at all.", {"availability_discussed": "no"}, []),
    ("I booked a holiday for after the interview.", {}, ["availability_discussed"]),
    # follow_up_questions: more questions on an answer, or none
    ("He asked about my React work and then four follow ups on testing.", {"follow_up_questions": "yes"}, []),
    ("She kept going 'and why?' after every answer.", {"follow_up_questions": "yes"}, []),
    ("Nobody followed up on anything I said.", {"follow_up_questions": "no"}, []),
    ("He said he would follow up with the recruiter.", {}, ["follow_up_questions"]),
    # stage: rounds written as a count, a title line, or a screen with a recruiter
    ("It was the second of three rounds.", {"stage": "other"}, []),
    ("Interview 2 of 3 at the bank.", {"stage": "other"}, []),
    ("Zoom final with the founders.", {"stage": "final"}, []),
    ("Screen with the recruiter at the agency, 20 minutes.", {"stage": "screen"}, []),
    ("Prep for my final at Voss: practise the case.", {}, ["stage"]),
    ("He stared at his screen with a frown.", {}, ["stage"]),
    # career_goals_asked: said of another person in a debrief, or nobody asking
    ("They asked her where she wanted to be in five years.", {"career_goals_asked": "yes"}, []),
    ("She asked me if I'm interested in management in the future.", {"career_goals_asked": "yes"}, []),
    ("Nobody asked about my longer-term plans.", {"career_goals_asked": "no"}, []),
    ("I prepared a whole answer on conflict and they never asked.", {}, ["career_goals_asked"]),
    # growth_discussed: routes up, internal promotion, funded training
    ("He spoke about the possibility to grow to senior in one year.", {"growth_discussed": "yes"}, []),
    ("The company likes to promote internally.", {"growth_discussed": "yes"}, []),
    ("No mention of training or progression at all.", {"growth_discussed": "no"}, []),
    ("Graduate scheme assessment centre today.", {}, ["growth_discussed"]),
    # questions_invited: an open invitation, or none
    ("She said 'ask me anything' and left fifteen minutes for it.", {"questions_invited": "yes"}, []),
    ("No questions for me at the end, just 'right, we'll be in touch'.", {"questions_invited": "no"}, []),
    # structured_format: questions off a list, or no script at all
    ("She asked questions from a form, one after the other.", {"structured_format": "yes"}, []),
    ("Zero script, just a wandering conversation.", {"structured_format": "no"}, []),
    # engagement: listening and attention, said in everyday words
    ("The panel lead was listening very attentively, noting down points.", {"engagement": 4}, []),
    ("He was properly focused on what I said.", {"engagement": 4}, []),
    ("Not listening, just typing something else the whole time.", {"engagement": 2}, []),
    ("I was focused on my answers and forgot to breathe.", {}, ["engagement"]),
    # rapport: how the conversation felt
    ("Warm, funny, easy to talk to, like coffee with a mate.", {"rapport": 4}, []),
    ("It felt like two people talking rather than an interview.", {"rapport": 4}, []),
    ("I am easy to talk to, my manager says.", {}, ["rapport"]),
    # hurried: what the interviewer said or did to speed up
    ("She said 'let's make it quick' and hurried me through the last questions.", {"hurried": "yes"}, []),
    ("She said take your time, zero rush.", {"hurried": "no"}, []),
    ("At minute 29 he said we were out of time, as planned.", {}, ["hurried"]),
    # selling: the interviewer pitching the job, or making no effort
    ("She kept telling me how much I'd love the team.", {"selling": 4}, []),
    ("She made zero effort to make the job sound appealing.", {"selling": 2}, []),
    ("I kept telling myself I'd love it, whatever happened.", {}, ["selling"]),
    # loose words that named a note's own form, not the interview
    ("Interview checklist: tour yes, team no.", {}, ["rapport"]),
    ("My scorecard for the day: good.", {}, ["structured_format"]),
    ("Standard questions, standard answers.", {}, ["structured_format"]),
    ("She said they have a very structured process: a screen, then a panel.", {}, ["structured_format"]),
    ("The chair ran a tight ship with a standard question set.", {"structured_format": "yes"}, []),
    ("She went through the interview like a checklist.", {"rapport": 2}, []),
    ("She told me it was her first interview she makes alone.", {}, ["stage"]),
    # eye_contact: looking at the candidate, or at something else
    ("He looked at me during all my answers.", {"eye_contact": 4}, []),
    ("She barely looked up from her sheet.", {"eye_contact": 2}, []),
    ("He avoided eye contact the whole time.", {"eye_contact": 1}, []),
    # distracted: attention on something else
    ("He kept looking at his radio and walked off mid answer.", {"distracted": "yes"}, []),
    ("He was attentive: no phone, no laptop, only listening.", {"distracted": "no"}, []),
    # inexperienced_interviewer: new to interviewing, or plainly practised
    ("He said this was his third ever interview.", {"inexperienced_interviewer": "yes"}, []),
    ("She clearly had been doing this for years.", {"inexperienced_interviewer": "no"}, []),
    ("It was my third interview this week.", {}, ["inexperienced_interviewer"]),
    # casual_ending: talk about other things at the end, or formal to the end
    ("In the last ten minutes we talked about travelling and food.", {"casual_ending": "yes"}, []),
    ("At the end we were talking about the best ramen places in town.", {"casual_ending": "yes"}, []),
    ("She stayed cold until the end, no small talk.", {"casual_ending": "no"}, []),
    ("Chatty the whole way through, not just at the end, we talked about everything.", {}, ["casual_ending"]),
    # handwritten_note: a card posted, or none
    ("Thanks card written and posted to the whole panel.", {"handwritten_note": "yes"}, []),
    ("No card either, didn't get round to it.", {"handwritten_note": "no"}, []),
    # not yet is not no; 'next steps' is not a date
    ("He has not yet sent a thank-you; he will do it tonight.", {}, ["thank_you_within_24h"]),
    ("HR will email next steps 'soon'.", {}, ["timeline_given"]),
    ("HR will email by Friday.", {"timeline_given": "yes"}, []),
    ("Said final decision Friday.", {"timeline_given": "yes"}, []),
    ("They'd be in touch 'in the next couple of weeks'.", {"timeline_given": "yes"}, []),
    ("He said all this will take three weeks.", {"timeline_given": "yes"}, []),
    ("No idea what happens next or when.", {"timeline_given": "no"}, []),
    ("The decision to apply was mine, made in two days.", {}, ["timeline_given"]),
    ("She said they'd let shortlisted people know by Wednesday.", {"timeline_given": "yes"}, []),
    # "nothing about" is the opposite; a team lead is one person, not the team
    ("She asked me nothing about my future plans, only about past jobs.", {"career_goals_asked": "no"}, []),
    ("She told nothing about career development.", {"growth_discussed": "no"}, []),
    ("I met the team lead.", {}, ["introduced_to_team"]),
    ("I met the team after lunch.", {"introduced_to_team": "yes"}, []),
    # good questions are not deep ones; the candidate's own eye contact is not the interviewer's
    ("She asked good questions.", {}, ["skills_depth"]),
    ("She said my eye contact was bad because I kept looking at my notes.", {}, ["eye_contact"]),
    # more everyday wordings: counts met, a pitch, which project, today's final, growing, timing
    ("4 people scheduled, met all 4.", {"met_all_scheduled": "yes"}, []),
    ("The CEO did a whole pitch about why they'll win the market.", {"selling": 4}, []),
    ("He told me exactly which project I would own.", {"role_info": 4}, []),
    ("Today, the Amberline final: the VP was fully present.", {"stage": "final"}, []),
    ("She said the team's been promoting from within.", {"growth_discussed": "yes"}, []),
    ("She said it will be three weeks before I hear.", {"timeline_given": "yes"}, []),
    ("They didn't talk about timing.", {"timeline_given": "no"}, []),
    ("She did the whole thing walking me around the hotel.", {"workspace_tour": "yes"}, []),
    ("She asked when I'm free to start.", {"availability_discussed": "yes"}, []),
    ("I met all 4 of my friends for lunch after.", {}, ["met_all_scheduled"]),
    # met_all_scheduled: everyone but one, or only some
    ("Met the chief engineer, the project lead and HR, the three on my itinerary.", {"met_all_scheduled": "yes"}, []),
    ("I met one person out of the three on the schedule.", {"met_all_scheduled": "no"}, []),
    ("Met everyone except the CFO, who was off sick.", {"met_all_scheduled": "no"}, []),
    ("The panel were all there as planned.", {"met_all_scheduled": "yes"}, []),
    # goals in other words; a laboratory toured
    ("She also asked about my five year plan.", {"career_goals_asked": "yes"}, []),
    ("The director made me visit all the laboratory.", {"workspace_tour": "yes"}, []),
    # a line that starts "Asked ...": the asker is the interviewer, not the "I" in the question
    ("Asked when I could start.", {"availability_discussed": "yes"}, []),
    ("Asked if I had any questions at the end.", {"questions_invited": "yes"}, []),
    ("Asked what I wanted to be doing in 5 years.", {"career_goals_asked": "yes"}, []),
    ("I asked if I could start earlier.", {}, ["availability_discussed"]),
    ("I asked what I should prepare for the next round.", {}, ["career_goals_asked"]),
    ("Zoom final of the quiz league tonight!", {}, ["stage"]),
    ("Today my final exam at uni, then the interview prep.", {}, ["stage"]),
    ("She introduced me to their tech stack and the codebase.", {}, ["introduced_to_team"]),
    ("Learned more about the company from their website than from the recruiter.", {}, ["company_info"]),
    ("Honestly learned more about the company in that interview than from their website.", {"company_info": 4}, []),
    ("The interviewer was not so much interested in my answers.", {"engagement": 2}, []),
    ("Honestly the most enthusiastic person I've ever met.", {"enthusiasm": 5}, []),
    ("She was relaxed about it, we still used the whole hour.", {}, ["rapport"]),
    ("Most of it was her describing precisely what I'd own in my first six months.", {"role_info": 4}, []),
    ("When I asked what success looks like, the manager gave me this really detailed answer.", {"answer_quality": 4}, []),
    ("He promised me a tour another day.", {}, ["workspace_tour"]),
    ("They'd send the case study 48 hours before the next round.", {}, ["thank_you_within_24h"]),
    # more wordings from the older writers' notes
    ("Said they'd let me know one way or the other by the twenty-third.", {"timeline_given": "yes"}, []),
    ("No tour. Hear back tomorrow.", {"timeline_given": "yes"}, []),
    ("Didn't get the slightest hint of next steps or when I'd hear.", {"timeline_given": "no"}, []),
    ("She explained the whole loop: craft interview, values interview, then a team chat.", {"next_steps_explained": "yes"}, []),
    ("They mentioned that a second interview with the director would follow.", {"next_steps_explained": "yes"}, []),
    ("They have not informed about the next steps.", {"next_steps_explained": "no"}, []),
    ("The hiring manager interview next, then an offer.", {"next_steps_explained": "yes"}, []),
    ("My interview next week is with the bank.", {}, ["next_steps_explained"]),
    ("I had coffee with two of the people I'd be working with.", {"introduced_to_team": "yes"}, []),
    ("The CEO spent half the interview talking up the company.", {"company_info": 4}, []),
    ("Got a full run-through of the company: founding story, business units, competitors.", {"company_info": 4}, []),
    ("Nothing at all about the company, it's confidential apparently.", {"company_info": 2}, []),
    ("Fired off the thank-you email at 11pm the same night.", {"thank_you_within_24h": "yes"}, []),
    ("Thank-you email: sent 26 hours later.", {"thank_you_within_24h": "no"}, []),
    ("Start dates never came up.", {"availability_discussed": "no"}, []),
    ("She said they'd need me by 1 March at the latest.", {"availability_discussed": "yes"}, []),
    ("I talked up my own experience a bit too much.", {}, ["company_info"]),
    ("Man, they went deep. Architecture, trade-offs, the lot.", {"skills_depth": 4}, []),
    ("Grilled me for a good half hour on my firmware work.", {"skills_depth": 4}, []),
    ("He didn't ask me a single thing about my last job.", {"skills_depth": 2}, []),
    ("I took a deep breath and went deep into the answer.", {}, ["skills_depth"]),
    ("Asked what the culture is like and got a really thoughtful answer.", {"answer_quality": 4}, []),
    ("Every question I asked, she said 'I'd have to check'. Not one real answer.", {"answer_quality": 2}, []),
    ("She walked me through what a normal week looks like.", {"role_info": 4}, []),
    ("Role still a mystery after an hour.", {"role_info": 2}, []),
    ("He cut across me constantly, I barely finished a sentence.", {"interrupted_often": "yes"}, []),
    ("Not once did he cut across me.", {"interrupted_often": "no"}, []),
    ("Just typed away while she talked.", {"distracted": "yes"}, []),
    ("She barely looked up from her sheet.", {"eye_contact": 2}, ["structured_format"]),
    ("Manager was nice enough but the whole thing was off a script.", {"structured_format": "yes"}, []),
]


@pytest.mark.parametrize("text, wanted, never", CASES, ids=[c[0][:40] for c in CASES])
def test_a_phrase_reads_its_sentence_and_not_its_near_miss(text, wanted, never):
    reading = read_by_rules(text)
    for column, value in wanted.items():
        assert reading.get(column) == value, (column, dict(reading))
    for column in never:
        assert column not in reading, (column, dict(reading))
