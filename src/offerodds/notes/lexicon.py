"""The phrases that speak to each signal: the reading rules as data.

Each rule is ``(column, value, pattern, flags)``. ``pattern`` is a regular expression over the
normalised note (lower case, American spelling, see :mod:`offerodds.notes.text`); ``value`` is
what a careful reader infers when the phrase is said plainly: ``"yes"`` / ``"no"``, a level on
the 1-5 scale (4 or 2 for a plain statement, 5 or 1 for an extreme one, 3 for "some"), or a
stage. ``flags``:

- ``n``: a negation in scope turns the reading over (a yes becomes a no; a high level becomes
  2); a negated ``no`` or low level proposes nothing (a double negative is not a level);
- ``x``: only when someone other than the candidate is the subject (``I asked about ...`` is
  the candidate's own action; ``I was asked ...`` and ``she asked ...`` are the interviewer's);
- ``f``: not when it is only planned or promised (``I'll meet the team next round``).

Two rules that read a column differently in one note cancel out: the note proposes nothing
for it (two interviewers who differed, or a note that contradicts itself).
"""

from __future__ import annotations

import re

__all__ = ["RULES", "Rule"]

W = {
    # someone on the company's side
    "iv": r"(?:he|she|they|the (?:interviewer|hiring manager|manager|recruiter|panel|lead|director|founder|ceo|cto|hr person)|"
          r"interviewers?|recruiter|panel(?:ists?)?|both of them|everyone|the team)",
    "me": r"(?:me|my|mine)",
    "q": r"(?:questions?|qs)",
    "team": r"(?:team(?:mates)?|colleagues|co-?workers|engineers|developers|devs|designers|analysts|staff|chefs|members of the team|"
            r"team members|people (?:from|on|in) the team|the people i'd work with|the group|squad|crew|peers|nurses|teachers)",
    "office": r"(?:office|offices|workspace|work space|floor|building|studio|lab|labs|site|warehouse|factory|kitchen|"
              r"premises|campus|shop floor|facilities|facility|desks|workplace|hq|headquarters|plant|store|ward|clinic|"
              r"restaurant|hotel|school|classroom|showroom)",
    "cnt": r"(?:a|one|two|three|four|five|six|several|a few|a couple of|some|many|lots of|a bunch of|\d+)",
    "detail": r"(?:detail(?:ed)?|depth|in-depth|lengthy|long|thorough(?:ly)?|specific|specifics|extensive(?:ly)?|"
              r"at length|a lot|lots|loads|plenty|tons|great length|deep|full|comprehensive)",
    "co": r"(?:company|firm|business|organization|org|agency|startup|start-up|group|bank|charity|school|hospital|"
          r"practice|brand|employer|culture|mission|values|history|clients|customers|strategy|products?|roadmap|"
          r"vision|funding|revenue|market|plans for the company|where the company is going)",
    "role": r"(?:role|job|position|post|day-to-day|day to day|responsibilities|duties|what i'd be doing|"
            r"what the job involves|what i would be doing|the work itself|projects i'd work on|scope|vacancy|"
            r"what the role involves|the team's work|job description)",
    "goal": r"(?:career goals?|goals|long-term plans?|career plans?|where i (?:see|saw) myself|where i want(?:ed)? to be|"
            r"where i'd like to be|aspirations|ambitions|five-year plan|5-year plan|(?:five|5|ten|10|three|3) years|"
            r"career (?:path|direction|aims)|what i want to do long(?:-| )term|future plans|my future|long term|"
            r"long-term|where i'm heading|what i want from my career|next career step)",
    "grow": r"(?:promotion|promotions|progression|career path|career ladder|career development|development (?:path|plan|"
            r"scheme|program|budget|opportunities)|training (?:budget|program|scheme|opportunities)|learning budget|"
            r"growth (?:opportunities|path|plan)|room (?:to|for) grow(?:th)?|advancement|move up|moving up|"
            r"grow into|step up to|become a (?:lead|senior|manager)|mentoring|mentorship|graduate scheme|"
            r"conference budget|certifications?|study leave|sponsor(?:ship)? for|internal mobility|levels|"
            r"progress (?:quickly|fast|to)|opportunities to (?:grow|develop|progress|advance)|chances? to (?:grow|progress))",
}


def _p(text: str) -> str:
    return text.format(**W)


_RAW = [
    # --- engagement (1-5) ------------------------------------------------------------------
    ("engagement", 4, r"\b(?:engaged|attentive|leaned in|leaning in|leant in|leant forward|leaned forward|leaning forward|"
                      r"listened (?:closely|carefully|intently|attentively|properly|really well)|hung on (?:my|every) word|"
                      r"(?:really |genuinely )?(?:interested|invested) in (?:what i (?:had to say|said)|my answers|me|my (?:story|background|work|experience|projects?))|"
                      r"full(?:y)? (?:attention|present|focused)|paid (?:close )?attention|paying (?:close )?attention|"
                      r"focused on me|tuned in|locked in|present and focused|took (?:lots of |loads of |a lot of |detailed )?notes)\b", "nx"),
    ("engagement", 5, r"\b(?:(?:super|extremely|incredibly|really|very|so|highly) (?:engaged|attentive))\b", "nx"),
    ("engagement", 2, r"\b(?:disengaged|unengaged|not engaged|uninterested|disinterested|bored|looked bored|seemed bored|"
                      r"zoned out|spaced out|checked out|half-?listen(?:ing|ed)|half listen(?:ing|ed)|going through the motions|"
                      r"leaned back|leaning back|slouched|yawn(?:ed|ing)?|indifferent|couldn't care less)\b", "x"),
    ("engagement", 3, r"\b(?:(?:somewhat|fairly|moderately|reasonably|kind of|kinda|sort of|semi-?) ?engaged|engaged enough|"
                      r"polite but (?:distant|reserved|neutral)|neutral|middle of the road)\b", "x"),
    # --- eye_contact (1-5) ------------------------------------------------------------------
    ("eye_contact", 4, r"\b(?:(?:good|great|strong|lots of|plenty of|steady|solid|constant|a lot of|excellent|nice|warm|real|proper) eye contact|"
                       r"eye contact (?:was|were) (?:good|great|strong|steady|solid|excellent|fine|constant)|"
                       r"(?:kept|held|maintained|made) (?:good |great |steady |strong |constant |lots of |a lot of )?eye contact|"
                       r"looked (?:me )?(?:right |straight |directly )?(?:in|into) (?:the|my) eyes?|looked right at me)\b", "nx"),
    ("eye_contact", 2, r"\b(?:(?:little|no|zero|poor|bad|minimal|hardly any|barely any|not much|limited|weak|avoided|avoiding|avoids|broke) eye contact|"
                       r"eye contact (?:was|were) (?:poor|bad|minimal|lacking|nonexistent|non-existent|limited|weak)|"
                       r"(?:barely|hardly|never|rarely|didn't|did not|wouldn't|would not) (?:even )?(?:look(?:ed)?|glance[d]?) (?:at me|up|me in the eye)|"
                       r"(?:kept )?(?:stared|staring|looking|looked|glancing|glanced|eyes) (?:down )?(?:at|on) (?:his|her|their|the) (?:screen|laptop|notes|paper|papers|desk|monitor|computer|sheet|phone|other screen)|"
                       r"eyes (?:glued|fixed) to|looked away|looking away|looked past me|(?:never|didn't) look(?:ed)? up)\b", "x"),
    # --- enthusiasm (1-5) -------------------------------------------------------------------
    ("enthusiasm", 4, r"\b(?:smil(?:ed|ing|es|ey)|grinn(?:ed|ing)|nodd(?:ed|ing)|nods|enthusiastic(?:ally)?|animated|lively|"
                      r"upbeat|cheerful|bubbly|energetic|excited (?:about|by) (?:my|me|what i)|"
                      r"(?:seemed|looked|sounded|was|were|got) (?:really |very |genuinely )?(?:excited|thrilled|impressed)(?! to)|"
                      r"warm and friendly|very warm|so warm|lovely and warm|laugh(?:ed|ing)? (?:a lot|at my jokes|with me)|"
                      r"sounded (?:genuinely )?(?:excited|keen|happy)|energy was (?:great|high|good))\b", "nx"),
    ("enthusiasm", 2, r"\b(?:monotone|flat voice|(?:sounded|seemed|was|looked) (?:flat|bored|tired|unenthusiastic|unimpressed|deadpan|cold)|"
                      r"unenthusiastic|stone-?faced|poker-?faced|poker face|expressionless|blank (?:face|stare|expression)|"
                      r"no (?:smiles?|expression|emotion|reaction|energy|enthusiasm)|(?:never|didn't|did not|not once|barely|rarely|hardly) (?:even )?(?:smiled?|nodded|cracked a smile|react(?:ed)?)|"
                      r"without (?:a|one) (?:smile|nod)|zero (?:energy|enthusiasm)|low energy|lacked enthusiasm|lack of enthusiasm)\b", "x"),
    # --- distracted (yes/no) ------------------------------------------------------------------
    ("distracted", "yes", r"\b(?:distracted|multitask(?:ed|ing)|preoccupied|(?:mind|head) (?:was )?(?:elsewhere|somewhere else)|"
                          r"(?:answered|answering|reading|read|checking|checked|typing|typed|replying to|replied to|writing) (?:his |her |their |some |an? )?(?:emails?|e-mails|messages|texts|slack|teams messages|chat)|"
                          r"(?:on|checking|checked|scrolling|scrolled|looking at|looked at|glancing at|glanced at|kept checking|kept looking at) (?:his|her|their) (?:phone|mobile|cell|notifications)|"
                          r"(?:took|taking|answered|answering|picked up) (?:a |another |two |several )?(?:phone )?calls?(?! (?:with|from) me)(?: (?:during|in the middle|mid))?|"
                          r"kept (?:getting|being) interrupted by|typing (?:the whole time|throughout|away|on (?:his|her|their) laptop)|"
                          r"(?:wasn't|was not|weren't|not) (?:really )?(?:listening|paying attention)|half-?listening|"
                          r"(?:looking|looked|glancing|glanced|staring|stared) (?:at (?:his|her|their) (?:other )?(?:screen|monitor|laptop)|out the window))\b", "nx"),
    ("distracted", "no", r"\b(?:(?:full|undivided|complete|whole) attention|(?:phone|laptop) (?:away|face down|closed|put away)|"
                         r"put (?:his|her|their) phone away|no distractions|fully (?:present|focused)|focused entirely on me)\b", "x"),
    # --- interrupted_often (yes/no) -----------------------------------------------------------
    ("interrupted_often", "yes", r"\b(?:interrupt(?:ed|ing|s)? (?:me|my)(?! once| one time)|kept interrupting|interrupted (?:a lot|constantly|repeatedly|often|frequently|all the time)|"
                                 r"cut(?:ting)? me off(?! once| one time| just once)|cuts me off|talk(?:ed|ing|s)? over me|spoke over me|speaking over me|"
                                 r"(?:didn't|did not|wouldn't|would not|never) let me finish|jump(?:ed|ing)? in (?:before i|mid|while i|every)|"
                                 r"kept jumping in|finish(?:ed|ing)? my sentences|constant interruptions|lots of interruptions|"
                                 r"(?:couldn't|could not|can't|barely could) (?:get a word in|finish (?:a|my|one) (?:sentence|answer|thought)))\b", "nx"),
    ("interrupted_often", "no", r"\b(?:(?:didn't|did not|never|not once|wouldn't|would not|didn't once) (?:\w+ )?(?:interrupt(?:ed)?|cut|talk(?:ed)? over|spoke over|speak over) (?:me)?|let me finish|let me talk|never interrupted|didn't interrupt|did not interrupt|no interruptions|"
                                r"without interrupting|without (?:any )?interruptions?|heard me out|let me speak)\b", "x"),
    # --- hurried (yes/no) ---------------------------------------------------------------------
    ("hurried", "yes", r"\b(?:rushed|rushing|rushed through|hurried|hurrying|in a (?:hurry|rush)|impatient(?:ly)?|impatience|"
                       r"(?:kept |constantly )?(?:checking|checked|looking at|looked at|glancing at|glanced at) (?:his |her |their |the )?(?:watch|clock|time)|"
                       r"(?:had|needed|wanted) to (?:run|rush|dash|get going|leave|hop off)(?: off)?(?: to)?|"
                       r"sped through|speed-?ran|raced through|blitzed through|whizzed through|wrap(?:ped)? (?:it |things )?up (?:quickly|fast|early|abruptly)|"
                       r"hurry(?:ing)? (?:me|things|it) along|(?:sense|air|feeling) of (?:hurry|urgency|impatience)|"
                       r"(?:in|under) time pressure|tapping (?:his|her|their) (?:pen|foot|fingers)|couldn't wait to (?:finish|end|wrap|get)|"
                       r"clock-?watching|one eye on the clock|back-to-back (?:meetings|calls) and|late for (?:another|a|his|her) meeting)\b", "nx"),
    ("hurried", "no", r"\b(?:no (?:rush|hurry|time pressure)|(?:took|taking) (?:his|her|their) time|unhurried|relaxed pace|"
                      r"(?:never|didn't|did not|wasn't|not) (?:feel |seem |seemed |in a |at all )?(?:rushed|rushing|hurried|in a hurry|rush me|hurry me)|"
                      r"plenty of time|all the time (?:i|we) needed|wasn't rushed|no sense of hurry|in no hurry|leisurely)\b", ""),
    # --- rapport (1-5) --------------------------------------------------------------------------
    ("rapport", 4, r"\b(?:two-?way (?:conversation|discussion|chat|street|dialogue)|back[- ]and[- ]forth|"
                   r"(?:felt|was|like|more) (?:more )?(?:like )?(?:a|an) (?:real |genuine |natural |friendly |relaxed |nice |easy )?(?:conversation|chat|discussion|dialogue) (?:than|rather than|not)|"
                   r"(?:felt|was) like (?:a|an) (?:real |genuine |natural |friendly |relaxed |nice |easy |proper )?(?:conversation|chat|discussion|dialogue|coffee|catch-up)|"
                   r"(?:conversation|chat|discussion|it) flowed|flowed (?:naturally|nicely|well|easily)|(?:great|good|real|instant|strong|nice|genuine|easy) rapport|"
                   r"rapport (?:was|felt) (?:great|good|strong|easy|natural|there)|(?:we )?clicked|hit it off|got on (?:really |very |so )?well|"
                   r"got along (?:really |very |so )?(?:well|great)|on the same wavelength|felt (?:really )?(?:comfortable|natural|easy) talking|"
                   r"relaxed (?:conversation|chat|atmosphere|vibe|feel|discussion)|(?:put|made) me (?:feel )?(?:at ease|comfortable|relaxed)|"
                   r"(?:laughed|joked|joking|laughing) together|(?:friendly|easy-?going|easy) (?:conversation|chat|atmosphere|vibe))\b", "n"),
    ("rapport", 4, r"\b(?:(?:was|seemed|felt|looked|were) (?:(?:very|really|so|totally|completely|quite|pretty) )*(?:relaxed|at ease|chill|laid-?back|easy-?going))\b", "nx"),
    ("rapport", 2, r"\b(?:interrogation|interrogated|grilling|like a (?:cross-?examination|trial|police)|one-?sided|"
                   r"(?:cold|frosty|icy|tense|awkward|stiff|hostile|uncomfortable|strained|robotic|transactional|clinical) "
                   r"(?:atmosphere|vibe|conversation|interview|feel|tone|exchange|silence|silences|mood|room)|"
                   r"(?:was|were|felt|seemed|came across as) (?:very |really |so |a bit |quite |pretty |rather )?(?:cold|frosty|icy|tense|awkward|stiff|hostile|curt|brusque|dismissive|rude|condescending|robotic|standoffish|aloof)|"
                   r"no (?:rapport|connection|chemistry|small talk|back and forth)|(?:didn't|did not|never) (?:really )?(?:click|connect|warm up)|"
                   r"zero (?:rapport|chemistry|connection)|like talking to a wall|checklist|box-?ticking|tick-?box)\b", "x"),
    # --- casual_ending (yes/no) ---------------------------------------------------------------
    ("casual_ending", "yes", r"\b(?:(?:at|towards?|near|by|toward) the end.{0,60}?(?:chat(?:ted|ting)?|small talk|joked|joking|laugh(?:ed|ing)|casual|friendly|relaxed|informal|banter|chatty)|"
                             r"(?:chat(?:ted|ting)?|small talk|joked|joking|laugh(?:ed|ing)|banter|talked|talking) (?:about [^,.]{1,40} )?(?:at|towards?|near) the end|"
                             r"ended (?:up )?(?:on a|with a|with some|with|in a) (?:friendly|casual|relaxed|warm|light|high|nice|informal|jokey)?\s?(?:note|chat|chats|small talk|banter|laugh|joke|conversation)|"
                             r"ended (?:up )?(?:chatting|talking about|joking|laughing)|(?:got|became|turned|went) (?:more |much |really )?(?:casual|friendly|chatty|informal|relaxed) (?:at|towards?|near|by) the end|"
                             r"(?:finished|wrapped up|closed) (?:with|on) (?:some |a )?(?:small talk|chat|friendly|casual|laugh|joke|banter)|"
                             r"after the formal (?:part|bit|questions).{0,40}(?:chat|casual|friendly|relaxed|joked))\b", "nx"),
    ("casual_ending", "no", r"\b(?:(?:formal|stiff|businesslike|professional) (?:right |all the way |until |till |to )(?:the )?(?:end|very end|last minute)|"
                            r"(?:ended|finished|stopped|cut off) (?:very |quite |rather )?(?:abruptly|suddenly|coldly)|abrupt (?:ending|end|goodbye)|"
                            r"(?:ended|finished) (?:on a|with a) (?:cold|flat|awkward|curt|formal)|no small talk (?:at|towards?) the end|"
                            r"stayed formal|remained formal|formal throughout|formal the whole)\b", ""),
    # --- met_all_scheduled (yes/no) -------------------------------------------------------------
    ("met_all_scheduled", "yes", r"\b(?:met (?:with )?(?:everyone|everybody|all (?:of )?(?:the )?(?:\w+ )?(?:people|interviewers|panel(?:ists)?|panel members|\w+ of them|them))(?: (?:i was|that i was|who i was|i'd been|i had been|on the|in the) (?:supposed|scheduled|meant|due|expected|told|set)| as (?:planned|scheduled))|"
                                 r"(?:all|each|every one) of the (?:\w+ )?(?:interviewers|panel(?:ists)?|people) (?:were there|turned up|showed up|attended|joined|came)|"
                                 r"(?:full|whole|complete) panel (?:was there|turned up|showed up|attended|joined)|nobody (?:was )?(?:missing|dropped out|cancell?ed)|"
                                 r"met (?:all|everyone) (?:\w+ )?(?:as|on the) (?:planned|scheduled|agenda|schedule|itinerary)|everyone on the (?:schedule|agenda|list|itinerary))\b", "nf"),
    ("met_all_scheduled", "no", r"\b(?:(?:couldn't|could not|didn't|did not|failed to|wasn't able to|was unable to|never) (?:make it|come(?! up| across| back| to| in| out| over)|show(?! me)|turn up|join|attend)|"
                                r"(?:was|were) (?:absent|off sick|sick|ill|out sick|unavailable|missing|a no-?show|away|stuck in)|no-?show|"
                                r"(?:dropped out|pulled out|bailed|cancell?ed (?:on me|last minute|at the last minute)|got pulled into|had to cancel)|"
                                r"(?:only|just) met (?:\w+ )?(?:\w+ )?of (?:the )?(?:\w+)|met (?:only|just) (?:\w+ )?of the|"
                                r"(?:one|two|1|2) (?:of the )?(?:interviewers|panel(?:ists)?|people) (?:was|were) (?:missing|absent|replaced)|"
                                r"instead of the (?:\w+ )?(?:i was|scheduled|planned)|(?:stand-?in|replacement|substitute) (?:interviewer|for)|"
                                r"someone else (?:stepped in|filled in|covered)|(?:stepped|filled) in for)\b", "x"),
    # --- introduced_to_team (yes/no) -------------------------------------------------------------
    ("introduced_to_team", "yes", _p(r"\b(?:introduced (?:me )?to (?:the |some of the |a few of the |a couple of the |some |a few |two |three |several |his |her |their |my future |the wider |the whole |\w+ )?(?:\w+ )?{team}|"
                                     r"introduced me to (?:some |a few |two |three |several )?(?:people|everyone|folks|a couple of people)|"
                                     r"met (?:\w+ |{cnt} |some of |a few of |a couple of |two of |three of |the whole |the rest of |part of |the )*(?:my (?:future |potential )?|the |his |her |their )?(?:\w+ )?{team}|"
                                     r"met (?:\w+ |{cnt} )?(?:people|person|members) (?:from|on|of|in) the (?:\w+ )?team|"
                                     r"(?:{team}|team (?:lead|member|members)|(?:some|two|three|a few) (?:of the )?(?:people|team)) (?:joined|popped in|came in|stopped by|dropped by|said hello|said hi|came over)|"
                                     r"(?:said hello|said hi|chatted|had lunch|had coffee|grabbed coffee) (?:to|with) (?:the |some of the |a few |some |my future |his |her )?(?:\w+ )?{team}|"
                                     r"(?:lunch|coffee|drinks) with (?:the |some of the |his |her )?(?:\w+ )?{team}|meet(?:-| )and(?:-| )greet|"
                                     r"(?:shook hands|shake hands) with (?:the |some )?{team})\b"), "nf"),
    ("introduced_to_team", "no", _p(r"\b(?:(?:nobody|no one|no-one|none) (?:from|of|on|else from) (?:the )?(?:\w+ )?team|"
                                    r"(?:didn't|did not|never|didn't get to|did not get to) (?:meet|see) (?:anyone|anybody|the team|any of the team|other|the rest|my (?:future )?team)|"
                                    r"no (?:team )?(?:introductions?|intros?|meet(?:ing)? (?:with )?the team|team meet)|wasn't introduced|was not introduced)\b"), ""),
    # --- workspace_tour (yes/no) --------------------------------------------------------------------
    ("workspace_tour", "yes", _p(r"\b(?:(?:showed|show|shown|took|walked|led|gave) me (?:a|round|around|about|through|on a (?:quick |short |little |brief )?tour)(?: (?:of|round|around))? (?:the |their |our |his |her )?(?:\w+ )?{office}|"
                                 r"(?:showed|shown|show) (?:me )?(?:round|around)|(?:a|the|quick|short|brief|little|full|proper) (?:\w+ )?(?:tour|walk-?round|walkaround|walk-?through)(?: of| round| around)?(?: the)? ?(?:\w+ )?{office}?|"
                                 r"{office} tour|toured (?:the )?{office}|walked (?:me )?(?:round|around|through) (?:the |their )?(?:\w+ )?{office}|"
                                 r"(?:got|had|did|gave me|given) (?:a |the )?(?:quick |short |brief |little |full |proper )?(?:tour|look around|walk round))\b"), "nf"),
    ("workspace_tour", "no", _p(r"\b(?:no (?:\w+ )?(?:tour|walk-?round|look around)|(?:nobody|no one|no-one) (?:showed|took|walked) me (?:round|around)|"
                                r"(?:didn't|did not|never|wasn't|was not) (?:get |given |offered )?(?:a |any )?(?:\w+ )?(?:tour|look around|shown (?:round|around))|"
                                r"(?:didn't|did not|never) (?:show|take|walk) me (?:round|around|through)|never saw the {office}|didn't see the {office})\b"), ""),
    # --- company_info (1-5) ---------------------------------------------------------------------------
    ("company_info", 4, _p(r"\b(?:(?:told|talked|spoke|explained|walked me through|went through|went over|shared|presented|gave me|described|covered) (?:me |us )?(?:a lot |lots |loads |at length |in detail |a great deal |so much |a ton |heaps )?(?:about |on |through |over )?(?:the |their |our |its )?(?:company's |firm's |company |organization's |business's )?(?:history|mission|values|culture|strategy|clients|customers|products?|roadmap|vision|funding|growth plans|structure|market|business model|plans|background|story|company|firm|business|organization|org)|"
                           r"(?:detailed|in-depth|thorough|full|extensive|lengthy|long|great|good|clear|specific|comprehensive|proper) (?:overview|picture|explanation|rundown|presentation|introduction|intro|description|pitch|information|info|briefing|run-?through) (?:of|about|on) (?:the |their )?(?:company|firm|business|organization|org|culture|history|mission|strategy|products?|clients)|"
                           r"(?:a lot|lots|loads|plenty|tons|a great deal|a ton) (?:of )?(?:detail |info(?:rmation)? )?(?:about|on) (?:the |their )?(?:company|firm|business|organization|culture|history|mission|strategy)|"
                           r"(?:company|firm|business|organization)(?:'s)? (?:history|mission|values|culture|strategy|roadmap|vision|plans|story) (?:in (?:detail|depth)|at length))\b"), "nxf"),
    ("company_info", 2, _p(r"\b(?:(?:no|little|zero|hardly any|barely any|not much|very little|limited|vague|superficial|generic) (?:real )?(?:detail|details|info|information|specifics|explanation) (?:about|on|of) (?:the )?(?:role|job|position)(?:,)? (?:or|and|nor) (?:about |on |of )?(?:the )?(?:company|firm|business|organization)|(?:no|little|zero|hardly any|barely any|not much|very little|limited|vague|superficial|generic) (?:real )?(?:detail|details|info|information|specifics|sense|idea|clue|context|explanation) (?:about|on|of|re|regarding) (?:the |what the )?(?:company|firm|business|organization|culture|mission|strategy)|"
                           r"(?:vague|cagey|evasive|tight-lipped|secretive) about (?:the )?(?:company|firm|business|organization|strategy|plans|funding|finances)|"
                           r"(?:didn't|did not|never) (?:say|tell me|explain|talk|mention|describe) (?:much |anything |a thing |a lot |too much )?(?:about )?(?:the |what the |their )?(?:company|firm|business|organization|culture|mission)|"
                           r"(?:know|knew) (?:nothing|very little|little|no more) about (?:the )?(?:company|firm|business|organization))\b"), ""),
    # --- role_info (1-5) ---------------------------------------------------------------------------------
    ("role_info", 4, _p(r"\b(?:(?:explained|described|walked me through|went through|went over|talked (?:me )?through|outlined|covered|laid out|spelled out|detailed|told me (?:all )?about|talked about|spoke about|clarified|broke down|showed me) (?:in (?:detail|depth) |at length |carefully |clearly |exactly |precisely )?(?:\w+ ){{0,3}}?(?:the |a |my |this |what )?(?:role|job|position|post|day-to-day|day to day|daily routine|responsibilities|duties|tasks|typical day|typical week|scope|what i'd be doing|what i would be doing|what the (?:job|role) (?:involves|entails|is)|what the work (?:involves|is)|projects? i'd (?:be )?work(?:ing)? on|first (?:90|30|60|six months|three months|year)|kpis|targets|expectations|job spec)|"
                        r"(?:detailed|in-depth|thorough|full|extensive|great|good|clear|specific|comprehensive|proper|concrete|real) (?:overview|picture|explanation|rundown|description|idea|sense|breakdown|walk-?through|info(?:rmation)?|details?|examples?) (?:of|about|on) (?:the |what the |my |a typical )?(?:role|job|position|post|day-to-day|responsibilities|duties|day|work|week)|"
                        r"(?:a lot|lots|loads|plenty|tons|a great deal) (?:of )?(?:detail |details |info(?:rmation)? )?(?:about|on) (?:the )?(?:role|job|position|day-to-day|responsibilities)|"
                        r"(?:know|knew|have|got) (?:a )?(?:clear|good|great|exact|precise|much better|really good|solid) (?:idea|picture|sense|understanding) of (?:what|the (?:role|job)))\b"), "nxf"),
    ("role_info", 2, _p(r"\b(?:(?:no|little|zero|hardly any|barely any|not much|very little|limited|vague|superficial|generic) (?:real )?(?:detail|details|info|information|specifics|explanation) (?:about|on|of) (?:the )?(?:company|firm|business|organization)(?:,)? (?:or|and|nor) (?:about |on |of )?(?:the )?(?:role|job|position)|(?:no|little|zero|hardly any|barely any|not much|very little|limited|vague|superficial|generic) (?:real |concrete )?(?:detail|details|info|information|specifics|sense|idea|clue|clarity|explanation|description) (?:about|on|of|re|regarding|as to) (?:the |what the |my |what i'd |what i would )?(?:role|job|position|post|day-to-day|responsibilities|duties|work|be doing)|"
                        r"(?:vague|unclear|cagey|evasive|fuzzy|hazy|woolly|wooly|confused) (?:about|on|regarding) (?:the |what the |my )?(?:role|job|position|responsibilities|duties|day-to-day|work|what i'd)|"
                        r"(?:still )?(?:don't|do not|didn't|did not) (?:really )?(?:know|understand|get) (?:what|exactly what) (?:the (?:job|role|position) (?:is|involves|entails)|i'd (?:actually )?be doing|i would (?:actually )?be doing)|"
                        r"(?:didn't|did not|never|couldn't|could not) (?:really )?(?:explain|describe|say|tell me|clarify) (?:much |anything |a lot )?(?:about )?(?:the |what the |my |what )?(?:role|job|position|responsibilities|day-to-day|i'd be doing)|"
                        r"no (?:job description|clear role|clarity (?:on|about) the role))\b"), ""),
    # --- selling (1-5) ------------------------------------------------------------------------------------
    ("selling", 4, r"\b(?:sold (?:it|me|the (?:role|job|company|position|team|place|opportunity))(?: to me| hard| well)?|(?:really |hard )?selling (?:the (?:role|job|company|position|team|place)|it|me on)|"
                   r"sell(?:ing)? me (?:on )?(?:the |their )?(?:role|job|company|position|team|vision)|pitch(?:ed|ing) (?:the (?:role|job|company|position|team)|it|me)|"
                   r"(?:tried|trying|keen|wanted) to (?:get me excited|excite me|win me over|sell|convince me|persuade me|recruit me|woo me|impress me)|"
                   r"talked up|bigged up|hyped (?:up )?(?:the|it)|(?:gushed|raved) about|(?:real |hard |big )?sales pitch|"
                   r"(?:talked|told me|went on|spoke) (?:a lot |loads |at length |enthusiastically |excitedly |proudly )?about (?:the |their )?(?:perks|benefits|bonus|equity|share options|remote (?:budget|policy)|flexible|culture)|"
                   r"(?:made|make) (?:the (?:role|job|company|place)|it) sound (?:amazing|great|exciting|brilliant|fantastic|fun|really good)|"
                   r"(?:really |clearly )?wanted me (?:to join|on board|on the team)|(?:recruiting|courting|wooing) me)\b", "nx"),
    ("selling", 2, r"\b(?:(?:didn't|did not|never|made no effort to|no attempt to|didn't even try to|didn't try to) (?:try to )?(?:sell|pitch|convince|persuade)|"
                   r"no (?:sales )?pitch|(?:zero|no) (?:effort|attempt) to sell|didn't seem to care (?:if|whether) i (?:took|wanted|joined))\b", ""),
    # --- skills_depth (1-5) --------------------------------------------------------------------------------
    ("skills_depth", 4, _p(r"\b(?:(?:detailed|in-depth|in depth|probing|deep|tough|hard|searching|pointed|technical|specific|thorough|challenging|penetrating|rigorous|intense|forensic|good|great|proper|real) (?:\w+ )?(?:{q}|grilling|technical (?:deep-?)?dive|deep-?dive|drilling)(?: (?:about|on|into|around|re) (?:my |the )?(?:\w+ ){{0,2}}(?:experience|skills|cv|resume|background|work|projects?|past|career|role|portfolio|code|designs?|decisions|thesis|research|approach|answers|api|system|architecture|choices))?|"
                           r"(?:dug|digging|dig|drilled|drilling|went|going|delved|delving|dived|dove) (?:deep(?:ly)? |really )?(?:into|through|over|deep into) (?:every |each |all )?(?:of )?(?:my |the )?(?:\w+ ){{0,2}}(?:experience|skills|cv|resume|background|work|projects?|past roles|career|portfolio|code|designs?|decisions|thesis|research|answers|track record|achievements|technical)|"
                           r"(?:grilled|quizzed|pressed|probed|tested) me (?:on|about|hard|thoroughly|properly|in depth)|"
                           r"(?:went|go|going) (?:through|over) my (?:cv|resume|experience|background|portfolio) (?:line by line|in detail|in depth|thoroughly|carefully|point by point)|"
                           r"(?:asked|asking) (?:me )?(?:a lot|lots|loads|plenty|tons|heaps) (?:of )?(?:\w+ )?(?:{q} )?(?:about|on) (?:my )?(?:\w+ )?(?:experience|skills|cv|resume|background|projects?|work|portfolio)|"
                           r"(?:technical|coding|case|whiteboard|live coding|design) (?:exercise|test|challenge|task|assessment|round) (?:was|were) (?:tough|hard|thorough|detailed|deep)|"
                           r"(?:really |very )?(?:interested|curious) in (?:the details of |the specifics of )?my (?:experience|projects?|work|thesis|research|background))\b"), "nx"),
    ("skills_depth", 2, _p(r"\b(?:(?:generic|superficial|surface-?level|shallow|basic|standard|boilerplate|easy|stock|cookie-?cutter|bland|simple|textbook|cliche|cliched|canned) (?:\w+ )?{q}|"
                           r"{q} (?:were|was|felt|seemed) (?:very |really |quite |pretty |all |so |a bit )?(?:generic|superficial|surface-?level|shallow|basic|standard|easy|vague|general|bland)|"
                           r"nothing (?:about|on) my (?:actual |real )?(?:experience|skills|cv|resume|background|projects?|work)|"
                           r"(?:didn't|did not|never|barely|hardly|don't|doesn't|do not|does not) (?:even )?(?:ask(?:ed)?|look(?:ed)? at|read|dig into|probe|mention(?:ed)?|go into|touch(?:ed)? on) (?:\w+ ){{0,3}}?(?:about |at |into |on )?(?:my )?(?:\w+ )?(?:experience|skills|cv|resume|background|projects?|portfolio|work history|technical)|"
                           r"(?:could have|could've) been (?:asked|for) (?:anyone|any candidate)|(?:not|no) (?:a single|one) (?:technical|specific) {q})\b"), ""),
    # --- follow_up_questions (yes/no) ------------------------------------------------------------------------
    ("follow_up_questions", "yes", _p(r"\b(?:follow-?up {q}|followed up on (?:my|every|each|what|some)|kept (?:digging|probing|pushing|drilling)|"
                                      r"(?:dug|digging|drilled|drilling|probed|probing|pushed|pushing) (?:a bit |a little |much |even )?(?:deeper|further)|"
                                      r"(?:asked|asking) (?:me )?(?:why|how) i (?:chose|picked|decided|did|made|went|handled|approached|would)|"
                                      r"asked (?:me )?(?:to (?:elaborate|expand|explain (?:further|more))|more about (?:my|that|the))|"
                                      r"(?:wanted|asked) (?:to know )?(?:more )?(?:detail|details|specifics) on (?:my|each|every)|"
                                      r"(?:lots|loads|plenty|a lot|a few|several) of (?:follow-?ups|follow-?up {q}))\b"), "nx"),
    ("follow_up_questions", "no", _p(r"\b(?:(?:moved|went|jumped|skipped) (?:straight|right|directly|quickly) (?:on )?to the next {q}|"
                                     r"(?:never|didn't|did not) (?:ask(?:ed)? (?:any )?)?follow(?:ed)?(?:-| )?up(?: on)?(?! with)|"
                                     r"no follow-?ups?(?: {q})?|(?:just|only) read (?:out )?(?:the |his |her )?{q}(?: one after (?:the|an)other)?)\b"), ""),
    # --- career_goals_asked (yes/no) -----------------------------------------------------------------------------
    ("career_goals_asked", "yes", _p(r"\b(?:(?:asked|asking|ask|quizzed|wanted to know|curious|interested in hearing)(?: me)?(?: \w+){{0,3}}? (?:about |what |where |how )?(?:my |i saw |i see )?{goal}|"
                                     r"where (?:do )?i (?:see|saw) myself|where i want(?:ed)? my career to go|where i see my career|"
                                     r"my (?:career goals|long-term goals|five-year plan|5-year plan|aspirations|ambitions) (?:came up|were discussed)|"
                                     r"talked about (?:my )?(?:career goals|long-term goals|where i want to be|my ambitions|my aspirations))\b"), "nx"),
    ("career_goals_asked", "no", _p(r"\b(?:(?:never|didn't|did not) (?:ask|asked|ask me|asked me|even ask) (?:\w+ ){{0,3}}?(?:about )?(?:my |where i )?{goal}|"
                                    r"no (?:questions? (?:about|on) )?(?:my )?(?:career goals|long-term goals|future plans|aspirations))\b"), ""),
    # --- growth_discussed (yes/no) --------------------------------------------------------------------------------
    ("growth_discussed", "yes", _p(r"\b(?:(?:told|talked|spoke|mentioned|explained|described|discussed|brought up|went over|walked me through|outlined|said|showed)(?: me| us)?(?: \w+){{0,6}}? (?:about )?(?:the |their |a |an |clear |real |plenty of |lots of |internal )?{grow}|"
                                   r"{grow}(?: \w+){{0,3}} (?:came up|were discussed|was discussed|were mentioned|was mentioned)|(?:there's|there is|there are|has|have|offers?|offered) (?:a |an |clear |real |good |great |lots of |plenty of )?{grow}|"
                                   r"(?:could|can|would|i'd) (?:grow|progress|move up|develop) (?:into|to|quickly|fast)|"
                                   r"(?:could|can) (?:become|lead|step up)|in (?:a year|two years|18 months) i (?:could|might|would))\b"), "nx"),
    ("growth_discussed", "no", _p(r"\b(?:(?:no|zero) (?:talk|mention|discussion|word|sign) (?:of|about) (?:\w+ )?(?:{grow}|growth|development|progress|career|the future)|"
                                  r"(?:never|didn't|did not) (?:mention|talk about|discuss|bring up|say anything about) (?:\w+ )?(?:{grow}|growth|development|career progress|where the role could lead)|"
                                  r"dead-?end (?:job|role|position)|no (?:room|path|ladder) (?:to|for) (?:grow|growth|progress)|flat structure with no)\b"), ""),
    # --- questions_invited (yes/no) ----------------------------------------------------------------------------------
    ("questions_invited", "yes", _p(r"\b(?:asked (?:me )?(?:if|whether) i (?:had|have) (?:any )?(?:\w+ )?{q}|"
                                    r"(?:plenty|lots|loads|a lot|heaps|tons|ample|enough|loads|good|some|half an hour|\d+ minutes|time|space|room|a chance|the chance|an opportunity|opportunity|the opportunity|the floor) (?:of )?(?:time )?(?:for|to ask|for me to ask) (?:my |any |some |all my |all of my )?(?:own )?{q}|"
                                    r"(?:invited|encouraged|welcomed|let me ask|let me fire|asked for) (?:me to ask |my |any |all my )?(?:own )?{q}|"
                                    r"(?:opened|open) (?:up )?(?:the floor|it up) (?:to|for) (?:me|my|questions)|(?:any|my) {q} for (?:me|us)|"
                                    r"q&a|q and a|(?:i )?(?:got|had|was given|was able) (?:to ask|a chance to ask|the chance to ask|time to ask|plenty of time to ask|lots of time to ask|to get through) (?:all |all of |loads of |lots of |a lot of |my |some )?(?:my )?{q}?|"
                                    r"what (?:questions|q's) (?:do|did) i have|do you have any {q})\b"), "x"),
    ("questions_invited", "no", _p(r"\b(?:(?:never|didn't|did not|didn't even|forgot to) (?:ask|asked|give me|leave|let me ask|offer|invite|allow) (?:me )?(?:if i had |whether i had |for |a chance to ask |time for |any |the chance to ask |room for |space for |an opportunity to ask )?(?:any )?(?:my )?(?:own )?{q}|"
                                   r"no (?:time|room|space|chance|opportunity|slot) (?:left )?(?:for|to ask) (?:my |any )?(?:own )?{q}|(?:ran out of|out of) time (?:for|before) (?:my )?{q}|"
                                   r"(?:didn't|did not|never|couldn't|could not) (?:get|have) (?:a |the )?(?:chance|time|opportunity) to ask|"
                                   r"no q&a|(?:wasn't|was not|weren't) (?:given|offered|allowed) (?:a|the|any)? ?(?:chance|time|opportunity) (?:to ask|for))\b"), ""),
    # --- answer_quality (1-5) ----------------------------------------------------------------------------------------------
    ("answer_quality", 4, _p(r"\b(?:answered (?:all |each of |every one of |every |each )?(?:of )?(?:my |all my )?{q} (?:in (?:detail|depth|full)|at length|thoroughly|carefully|openly|honestly|candidly|frankly|clearly|properly|fully|thoughtfully|enthusiastically|patiently|really well|well|with real detail|with examples|straight)|"
                             r"(?:detailed|thoughtful|thorough|honest|candid|open|frank|clear|great|good|straight|direct|considered|full|specific|enthusiastic|transparent|helpful) answers|"
                             r"(?:really |very |super |quite )?(?:open|honest|candid|transparent|frank|forthcoming|straight) (?:about|with|when|in) (?:everything|my|the|answering|her|his|their|answers)|"
                             r"(?:took|taking) (?:\w+ )?time (?:to answer|answering|over my|with my) {q}?|"
                             r"(?:gave|give) (?:me )?(?:real |concrete |specific |detailed |honest |long |full |great )(?:answers|examples|numbers|detail))\b"), "nx"),
    ("answer_quality", 2, _p(r"\b(?:(?:vague|evasive|fuzzy|woolly|wooly|generic|non-?committal|canned|scripted|short|curt|one-word|dismissive|unclear|half|wishy-washy|guarded) answers?|"
                             r"non-?answers?|(?:dodged|dodging|deflected|deflecting|sidestepped|sidestepping|ducked|avoided|avoiding|brushed off|brushing off|dismissed|waved away|skirted|skirted around) (?:my |the |a |that |every |some )?(?:\w+ )?(?:{q}|it|them|answering)|"
                             r"changed the (?:subject|topic)|(?:wouldn't|would not|couldn't|could not|refused to|didn't|did not) (?:really )?(?:answer|give (?:me )?(?:a )?(?:straight|real|clear) answer)(?: (?:my |any |the )?(?:\w+ )?{q})?|"
                             r"(?:answers|responses) (?:were|was) (?:vague|evasive|short|curt|generic|unclear|wishy-washy)|(?:cagey|evasive|vague) (?:when|about|in answering) (?:i asked|answering|my)|"
                             r"(?:we'll|we will) (?:get to that|cover that later))\b"), ""),
    # --- availability_discussed (yes/no) ---------------------------------------------------------------------------------
    ("availability_discussed", "yes", r"\b(?:(?:asked|asking|wanted to know|quizzed|checked|inquired|discussed|talked about|went over|confirmed|mentioned|covered|brought up)(?: me)?(?: \w+){0,3}? (?:about )?(?:my |the )?(?:notice period|notice|availability|start date|starting date|when i (?:could|can|would be able to|'d be able to|might) (?:start|join|begin)|how soon i (?:could|can) (?:start|join)|when i'd be available|earliest start|how much notice|availability to start|dates|relocation timeline)|"
                                      r"(?:notice period|start date|availability|when i could start)(?: \w+){0,3} (?:came up|was discussed|were discussed|was mentioned|got discussed)|"
                                      r"when (?:could|can) (?:i|you) start|how soon (?:could|can) (?:i|you) start)\b", "nx"),
    ("availability_discussed", "no", r"\b(?:(?:never|didn't|did not|nobody) (?:\w+ )?(?:ask(?:ed)?|mention(?:ed)?|discuss(?:ed)?|bring up|brought up|talk about|talked about) (?:\w+ )?(?:about )?(?:my |a |the )?(?:notice period|availability|start date|starting date|when i (?:could|can) start)|"
                                     r"no (?:talk|mention|discussion|question|questions) (?:of|about|on) (?:my |a |the )?(?:notice period|availability|start date|starting|when i could start))\b", ""),
    # --- next_steps_explained (yes/no) ------------------------------------------------------------------------------------
    ("next_steps_explained", "yes", r"\b(?:(?:explained|outlined|described|walked me through|went through|went over|laid out|set out|told me about|talked me through|clarified|covered|mapped out|shared|gave me|gave|detailed|spelled out|ran through|talked through|said what|told me what) (?:\w+ ){0,4}?(?:the |their |all the |each of the |what the )?(?:next (?:steps?|stages?|rounds?)|(?:rest of the |hiring |recruitment |interview |whole |selection |offer )?process|(?:remaining |further )?(?:stages|rounds)|what happens next|what (?:comes|came|would happen|happens) next|what to expect (?:next)?|timeline (?:and|of the) process)(?: (?:step by step|in detail|clearly))?|"
                                    r"(?:next|second|final|third|last|another|onsite|on-site) (?:step|stage|round|interview) (?:is|will be|would be|'ll be|involves|would involve|will involve|is going to be|consists of|would consist|will consist)|"
                                    r"(?:there (?:will|would) be|there's|there is) (?:a |an |one more |another )(?:\w+ )?(?:round|stage|interview|step|assessment|task|exercise|panel)(?: (?:with|next|after|in))|"
                                    r"(?:clear|detailed) (?:explanation|picture|rundown|overview|idea) of (?:the )?(?:next steps|process|what happens next)|"
                                    r"(?:next steps|the process) (?:were|was) (?:clearly |well |all )?(?:explained|laid out|clear|outlined|spelled out)|"
                                    r"(?:said|told me|explained)(?: that)? (?:the |a |an )?(?:next|final|second) (?:round|stage|step|interview) (?:would|will|is)|"
                                    r"if (?:i|this) (?:got|get|goes|went|go) through,? (?:\w+ ){0,4}?(?:next|there'd be|there would be|i'd|i would|i'll))\b", "nx"),
    ("next_steps_explained", "no", r"\b(?:(?:nothing|zero|little|(?:no|zero|little) (?:word|info|information|detail|details|mention|idea|clue|explanation|clarity)|zero info|no one said anything|not a word) (?:about|on|re|of|as to|regarding) (?:the )?(?:next steps?|what happens next|what's next|the process|next stages?|the next round)|"
                                   r"(?:didn't|did not|never|didn't really|couldn't|could not|wouldn't|would not) (?:\w+ )?(?:explain|say|tell me|mention|outline|go over|describe|clarify|talk about) (?:\w+ )?(?:the |any |what the )?(?:next steps?|what happens next|what (?:comes|would come|the next) (?:next|step)|the process|next stages?|how the process works)|"
                                   r"(?:next steps|the process) (?:were|was|are|is|remain|remained) (?:\w+ )?(?:unclear|vague|a mystery|not (?:explained|clear|mentioned))|"
                                   r"(?:no|zero) (?:idea|clue) (?:what|about) (?:happens |comes )?next|no next steps|next steps: none)\b", ""),
    # --- timeline_given (yes/no) -----------------------------------------------------------------------------------------
    ("timeline_given", "yes", r"\b(?:(?:hear|heard|hearing) (?:back )?(?:from (?:them|him|her|us) )?(?:by|within|in|on|before|early|late|end of|this|next|inside|after|around|about) (?:the )?(?:\d|a |an |one|two|three|four|five|six|seven|ten|fourteen|a couple|a few|few|couple|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|next|this|end|the end|early|mid|late|the 1|the 2|the 3|\d+(?:st|nd|rd|th)|week|month|days|weeks|tomorrow|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|"
                              r"(?:back to me|get back|be in touch|let me know|respond|reply|get in touch|contact me|decision|decide|feedback|an answer|an update|news|offer|outcome|result)(?: \w+){0,4}? (?:by|within|in|on|before|early|end of|this|next|inside) (?:the )?(?:\d|a |an |one|two|three|four|five|seven|ten|fourteen|a couple|a few|few|couple|monday|tuesday|wednesday|thursday|friday|next|this|end|the end|early|mid|\d+(?:st|nd|rd|th)|week|month|days|weeks|tomorrow|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)|"
                              r"(?:gave|give|given|told|shared|set|provided|offered) (?:me |us )?(?:a |the |an |clear |firm |rough |specific |exact |concrete )?(?:timeline|timeframe|time frame|date|deadline|decision date|turnaround)|"
                              r"(?:decision|feedback|answer|outcome|offer|news|results) (?:is |are |will be |would be |should be |was )?(?:expected |due |promised )?(?:by|within|on|before|early|end of|next) (?:the )?(?:\d|a |one|two|three|a couple|a few|few|monday|tuesday|wednesday|thursday|friday|next|this|end|early|mid|week|month|\d+(?:st|nd|rd|th))|"
                              r"timeline (?:was|is) (?:clear|\d|two|three|one|a week|about|roughly|end of|next|within))\b", "n"),
    ("timeline_given", "no", r"\b(?:(?:didn't|did not|never|wouldn't|would not|couldn't|could not|no one|nobody) (?:\w+ )?(?:say|said|tell me|told me|mention|mentioned|give|gave|commit to|specify|share|set) (?:me )?(?:\w+ )?(?:when (?:i'd|i would|i will|i'll|we'd|to expect|they'd|they would|they will)|a (?:timeline|timeframe|time frame|date|deadline)|any (?:timeline|timeframe|time frame|date|dates|deadline)|how long|the timeline|a time)|"
                             r"no (?:timeline|timeframe|time frame|date|dates|deadline|idea when|clue when|word on when|indication of when|mention of when)|"
                             r"(?:don't|do not|didn't|did not) know when (?:i'll|i will|i'd|i would|we'll|they'll|they will|to expect)|"
                             r"(?:timeline|timing|when i'd hear) (?:was|is|remains|remained) (?:unclear|vague|a mystery|unknown|open)|"
                             r"(?:said|told me) (?:they'd|they would|they'll|we'll|they will) (?:be in touch|get back|let me know)(?: (?:soon|at some point|eventually|in due course))?(?= ?(?:$|but|,|and|with no|without))(?=.*(?:no|without|didn't|not) (?:date|timeline|timeframe|idea)))\b", ""),
    # --- structured_format (yes/no) -------------------------------------------------------------------------------------
    ("structured_format", "yes", _p(r"\b(?:(?:fixed|set|standard|standardized|prepared|predefined|pre-?set|pre-?written|scripted|same|rigid|strict) (?:list of |set of )?{q}|"
                                    r"(?:read|reading|stuck|sticking|followed|following|went) (?:off |from |to |through |out )?(?:a |the |his |her |their )?(?:script|sheet|checklist|list of {q}|question sheet|form|rubric)|"
                                    r"(?:scoring|score|marking|evaluation|assessment) (?:sheet|rubric|grid|matrix|form|scheme|card)|scorecard|"
                                    r"structured (?:interview|format|panel|questions|competency)|(?:very |quite |really |highly )?(?:scripted|structured)|"
                                    r"(?:same|identical) {q} (?:to|for|as) (?:every|all|each) (?:candidate|applicant|other)|"
                                    r"competency[- ]based|star (?:format|method) (?:questions|interview)|word for word|(?:ticked|ticking) (?:off )?(?:boxes|a box)|"
                                    r"took turns (?:asking|reading)|each (?:asked|read) (?:their|his|her) (?:set|question))\b"), "nx"),
    ("structured_format", "no", _p(r"\b(?:no (?:script|set questions|fixed questions|list of questions|rubric|scorecard)|unstructured|off-?script|"
                                   r"free-?flowing|free-?form|(?:no|without) (?:a |any )?(?:fixed |set )?(?:structure|agenda|format))\b"), ""),
    # --- inexperienced_interviewer (yes/no) ------------------------------------------------------------------------------------
    ("inexperienced_interviewer", "yes", r"\b(?:(?:first|1st|second|2nd) (?:time|ever time|interview) (?:(?:she|he|they)(?:'d| had| has|'s)? )?(?:ever )?(?:interviewing|interviewed|conducting|running|doing|sitting on|on the other side|hiring|as (?:an |the )?(?:interviewer|hiring manager))|"
                                         r"(?:new|fresh) (?:to|at) (?:interviewing|hiring|recruiting|this|managing|running interviews)|(?:newly promoted|brand new|new|first-time|junior|green|inexperienced|rookie|nervous|trainee) (?:\w+ )?(?:manager|interviewer|hiring manager|recruiter|lead)|"
                                         r"(?:seemed|was|looked|sounded|came across as) (?:very |quite |a bit |a little |pretty |clearly |really |rather )?(?:inexperienced|new to this|nervous|unsure of (?:himself|herself|themselves)|out of (?:his|her|their) depth|green|junior|awkward and new)|"
                                         r"(?:didn't|did not) (?:seem to )?(?:know|really know) how to (?:run|conduct|lead|do) (?:an|the|a) (?:interview|meeting)|"
                                         r"(?:never|hasn't|had never|has never|had not|hadn't) (?:\w+ )?(?:interviewed|hired|run an interview|done (?:this|an interview|one of these|interviews))(?: anyone| before| people)?|"
                                         r"(?:still )?learning (?:how )?to interview|shadowing|(?:her|his|their) first (?:interview|hire|time hiring))\b", "x"),
    ("inexperienced_interviewer", "no", r"\b(?:(?:very |clearly |obviously |highly |really |extremely )?(?:experienced|seasoned|veteran|practised|practiced) (?:\w+ )?(?:interviewer|hiring manager|recruiter|manager|at (?:this|interviewing))|"
                                        r"(?:seemed|was|is|sounded|came across as) (?:(?:very|clearly|obviously|highly|really|extremely|super|so) )*(?:experienced|seasoned)|"
                                        r"(?:done|run|conducted|did) (?:this|hundreds of|thousands of|lots of|loads of|many|so many|a lot of|countless) (?:interviews|times|of these)|"
                                        r"(?:knew|knows) (?:exactly )?(?:what (?:she|he|they) (?:was|were) doing|how to run (?:an|the) interview)|"
                                        r"(?:years|decades) of (?:interviewing|hiring))\b", "x"),
    # --- thank_you_within_24h (yes/no) -----------------------------------------------------------------------------------------
    ("thank_you_within_24h", "yes", r"\b(?:(?:sent|send|emailed|fired off|wrote|dropped|shot|posted|mailed)(?: off)? (?:a |my |the |an |off a |off my |them a |him a |her a |them my |him my |her my )?(?:quick |short |brief |little |polite |nice )?(?:thank-?\s?you|thanks|thank you)(?: note| email| e-mail| message| mail| letter)?"
                                    r"(?: email| e-mail| note| message)? (?:to \w+ )?(?:to (?:them|him|her|everyone|the panel|the recruiter|the interviewer|each of them) )?"
                                    r"(?:the same (?:day|evening|night|afternoon)|that (?:evening|night|afternoon|same day|day)|same day|same evening|right after|straight after|immediately|within (?:an? |the |\d+ |one |two |a few |few )?(?:hours?|the hour|the day|24 hours|24h|a day)|this (?:morning|afternoon|evening)|last night|an hour later|a few hours later|(?:the )?next morning|first thing|on the way home|on the train home|on the bus home|in the car|before (?:bed|dinner|leaving|i left)|as soon as i got home|already|tonight|the morning after)|"
                                    r"(?:thank-?\s?you|thanks) (?:email|e-mail|note|message|mail) (?:\w+ ){0,3}?(?:went out|was sent|sent|is sent|gone|done|out) (?:the same (?:day|evening|night)|that (?:evening|night|afternoon|day)|same day|right after|straight after|within (?:the |an? )?(?:hour|day|24)|this (?:morning|evening)|last night|the next morning|already)|"
                                    r"(?:already|just) (?:sent|emailed|fired off|wrote|dropped) (?:a |my |the |them a |him a |her a )?(?:quick |short )?(?:thank-?\s?you|thanks))\b", "f"),
    ("thank_you_within_24h", "no", r"\b(?:(?:sent|send|emailed|wrote|went out|was sent|only went out|got sent|did)(?: \w+){0,5}? (?:only )?(?:on )?(?:day (?:three|four|five|3|4|5|two|2)|(?:two|three|four|five|a few|several|2|3|4|5) days (?:later|after)|(?:a|one) (?:week|few days) (?:later|after)|after (?:the )?weekend|(?:the|a) (?:day|days) after (?:next|the next)|48 hours|too late)|"
                                   r"(?:forgot|forget|never got round|never got around|didn't get round|didn't get around|haven't got round) (?:to )?(?:send|sending|write|writing|email)(?:ing)? (?:a |my |the |them a )?(?:thank-?\s?you|thanks)|"
                                   r"(?:never|didn't|did not|haven't|have not|still haven't|not) (?:\w+ )?(?:sent|send|write|written|wrote|emailed|bothered with) (?:a |my |the |any |them a |him a |her a )?(?:thank-?\s?you|thanks)(?! card| note by hand)|"
                                   r"no (?:thank-?\s?you|thanks) (?:email|e-mail|note|message)(?: (?:yet|sent))?|thank-?\s?you (?:email )?(?:was |went out |only went out )?(?:late|days later))\b", ""),
    # --- handwritten_note (yes/no) ---------------------------------------------------------------------------------------------
    ("handwritten_note", "yes", r"\b(?:handwritten (?:card|note|letter|thank-?\s?you|thanks|message)|(?:card|note|letter) (?:written )?by hand|"
                                r"(?:wrote|write|written|posted|mailed|sent|dropped off|left) (?:a |an |them a |him a |her a )?(?:\w+ )?(?:thank-?\s?you |paper |physical )?(?:card|letter)(?! (?:online|by email|electronically))|"
                                r"(?:wrote|write|written) (?:a |them a |him a |her a )?(?:\w+ )?(?:thank-?\s?you )?note by hand|"
                                r"(?:put|popped|dropped) (?:a |the |my )?(?:\w+ )?(?:card|note|letter) in the (?:post|mail)|snail mail|by post)\b", "nf"),
    ("handwritten_note", "no", r"\b(?:no (?:handwritten|hand-?written|paper) (?:card|note|letter|thank-?\s?you)|(?:didn't|did not|never|won't|not going to|haven't|skipped|skipping) (?:\w+ )?(?:send|sent|write|wrote|bother with|do|done) (?:a |any )?(?:handwritten|hand-?written|physical|paper) (?:card|note|letter|one|thank-?\s?you)|"
                               r"(?:skipped|skipping|no) (?:the )?(?:handwritten|physical|paper) (?:card|note|one))\b", ""),
    # --- stage ------------------------------------------------------------------------------------------------------------------
    ("stage", "screen", r"\b(?:(?:phone|telephone|recruiter|hr|initial|intro|introductory|first|quick|video|pre-?|screening|talent|zoom|teams) ?(?:-| )?screen(?:ing|er)?(?: (?:call|interview|chat|round|stage))?|"
                        r"screening (?:call|interview|chat|round|stage)|(?:call|chat|interview) with (?:the |a |their )?(?:recruiter|talent (?:partner|acquisition)|hr|in-house recruiter)|"
                        r"(?:intro|introductory|initial|exploratory) (?:call|chat|phone call)|recruiter (?:call|chat|phone call|screen)|"
                        r"(?:passed|got through|did) the (?:phone |recruiter |hr )?screen)\b", "f"),
    ("stage", "first", r"\b(?:first (?:round|interview(?! (?:with|for) (?:a|the) (?:company|firm) in)|stage|proper interview|formal interview|face-to-face|in-person interview|real interview)|"
                       r"1st (?:round|interview|stage)|round (?:one|1)\b|first-round|stage (?:one|1)\b|initial interview)(?!s)\b", "f"),
    ("stage", "final", r"\b(?:final (?:round|interview|stage|panel|onsite|on-site|meeting|conversation|chat|hurdle|step)|(?:last|final) (?:round|stage) (?:interview)?|"
                       r"final-round|(?:the )?(?:final|last) one|final(?:s)? day|superday|super day|(?:third|second|3rd|2nd) and (?:final|last) (?:round|interview|stage)|"
                       r"(?:round|stage) (?:\w+ )?of (?:\w+ )?\(?final\)?)\b", "f"),
    ("stage", "other", r"\b(?:(?:second|2nd|third|3rd|fourth|4th|middle|technical|tech|case|coding|take-?home|assessment) (?:round|stage|interview)(?! and (?:final|last))|round (?:two|three|four|2|3|4)\b|"
                       r"stage (?:two|three|2|3)\b|assessment (?:centre|center|day)|(?:technical|coding|case) (?:test|exercise|assessment))\b", "f"),
]

# More ways of saying the same things (plain English, non-native and note-taking forms).
_MORE = [
    ("engagement", 4, r"\b(?:right there with me|(?:jotting|jotted|scribbling|scribbled) (?:down )?notes|super into it|really into it|all ears|"
                      r"(?:very |really |genuinely )?(?:interested|curious) in (?:everything|what) i (?:said|had to say))\b", "x"),
    ("engagement", 3, r"\b(?:listened (?:politely|dutifully)|polite(?:ly)? (?:interest|attention)|no more,? no less)\b", "x"),
    ("eye_contact", 4, r"\b(?:look(?:s|ed)? me (?:right |straight |directly )?in the eyes?|held (?:my )?(?:gaze|eye contact))\b", "x"),
    ("eye_contact", 2, r"\b(?:(?:looking|looked|staring|stared|gazing|gazed|glancing|glanced) (?:up )?(?:at|out of|out) (?:the )?(?:wall|ceiling|floor|window|table|desk|door)|"
                       r"looked (?:me )?(?:in|into) (?:the|my) eyes? (?:maybe |only |just |about )?(?:once|twice))\b", "x"),
    ("eye_contact", 3, r"\b(?:some eye contact|eye contact (?:was )?(?:ok|okay|fine|normal|average|so-so)|looked up (?:from [\w ]{1,20} )?(?:now and then|occasionally|from time to time|every so often|sometimes))\b", "x"),
    ("enthusiasm", 4, r"\b(?:(?:she|he|they) (?:smile|smiles|laugh|nod|nods)|with a (?:big |warm |huge )?smile|big smile|smiley)\b", ""),
    ("enthusiasm", 3, r"\b(?:(?:friendly|polite|pleasant) enough|nothing over the top|smiled (?:a couple of times|once or twice|occasionally|now and then))\b", "x"),
    ("distracted", "yes", r"\b(?:(?:looking|looked|glancing|glanced|staring|stared) at (?:his|her|their) (?:other |second |another )?(?:screen|monitor|laptop)|"
                          r"(?:on|at) (?:his|her|their) (?:laptop|phone) the whole time|typed on (?:his|her|their) (?:phone|laptop)|bored out of (?:his|her|their) (?:mind|skull)|"
                          r"(?:looked|seemed|was) (?:so |really |totally )?bored)\b", "x"),
    ("interrupted_often", "yes", r"\b(?:kept cutting in|cutting in (?:before|while|mid)|cut in (?:constantly|all the time|every time|whenever)|"
                                 r"cut me off (?:whenever|every time|constantly|all the time|a lot|repeatedly)|every (?:\d+|few|couple of) (?:seconds|minutes)|"
                                 r"(?:couldn't|could not) finish a single)\b", "x"),
    ("hurried", "yes", r"\b(?:get to the point|hurry up|speed (?:it|this|things) up|keep it (?:short|snappy|brief|quick)|short on time|pressed for time|"
                       r"running (?:out of|short on|low on) time|in the interest of time|let's move on quickly|(?:looking|looked|glancing|glanced) at the clock)\b", ""),
    ("rapport", 4, r"\b(?:bounc(?:ed|ing) ideas|we both talked|(?:more )?like a (?:coffee|chat|friendly|casual|real)(?: \w+)? (?:chat|conversation|catch-up)|"
                   r"rapport (?:with \w+ )?(?:was|felt) (?:great|good|strong|easy|natural|amazing|excellent|brilliant|lovely)|"
                   r"laughed at my (?:\w+ )?jokes?|told (?:a joke|jokes|one of (?:her|his|their) own)|(?:shared|had) a (?:good )?laugh|warmest interviewer)\b", ""),
    ("rapport", 4, r"\b(?:(?:felt|was) like (?:chatting|talking|a chat) (?:with|to) (?:a friend|an old friend|friends|a colleague|a mate|an old colleague))\b", ""),
    ("rapport", 2, r"\b(?:cross-?examin(?:ed|ation)|interrogat(?:ed|ion)|like (?:an|a) (?:interrogation|exam|police interview|trial))\b", ""),
    ("rapport", 3, r"\b(?:neither (?:\w+ )?(?:stiff|cold|warm|friendly|formal) nor (?:\w+ )?(?:warm|friendly|cold|stiff|formal)|"
                   r"polite (?:back-and-forth|conversation|but (?:distant|formal|reserved)))\b", ""),
    ("casual_ending", "yes", r"\b(?:(?:by|at|towards?|near) the end.{0,40}?(?:swapping|swapped|sharing|shared|trading|traded) (?:\w+ )?stories|"
                             r"(?:by|at|towards?|near) the end.{0,40}?like (?:old )?friends)\b", ""),
    ("met_all_scheduled", "yes", r"\b(?:all (?:\w+ )?(?:of them )?(?:showed up|turned up|were there|made it|attended|came|joined)|"
                                 r"(?:met|saw) (?:all|everyone|everybody)(?: \w+){0,4} (?:as planned|as scheduled|on the (?:schedule|agenda|itinerary))|nobody dropped out|no one dropped out)\b", "f"),
    ("met_all_scheduled", "no", r"\b(?:met (?:only |just )?(?:one|two|three|1|2|3) (?:\w+ )?(?:out )?of (?:the|my) (?:two|three|four|five|2|3|4|5)|"
                                r"(?:only|just) (?:one|two|1|2) of (?:the|my) (?:two|three|four|five|2|3|4|5))\b", ""),
    ("introduced_to_team", "yes", _p(r"\b(?:(?:got |was |were )?introduced to (?:anyone|anybody|everyone|people)(?: else)?|"
                                     r"introduced me to (?:the |some |a few |two |three |several |his |her |their )?(?:\w+ ){{0,2}}(?:leaders|leads|managers|nurses|staff|engineers|folks|guys|members|devs|analysts|designers|people|crew|squad|colleagues)|"
                                     r"(?:{team}|team)(?: \w+){{0,4}} (?:to )?(?:say|said) (?:hi|hello)|(?:{team}|team) (?:\w+ ){{0,3}}(?:popped|stopped|dropped|came) (?:\w+ ){{0,2}}(?:in|by)|"
                                     r"shook hands with (?:\w+ ){{0,3}}(?:of them|people|everyone|the team)|(?:lunch|coffee|drinks) with the (?:whole |entire )?(?:squad|team|crew|gang))\b"), "f"),
    ("workspace_tour", "yes", _p(r"\b(?:showed me (?:round |around )?(?:the|their|our) (?:\w+ ){{0,2}}(?:{office}|hall|wards?|workshop|production|kitchen|site|floor)|"
                                 r"showed me where (?:the |my |his |her )?(?:\w+ ){{0,2}}(?:team|people|i'd|i would|everyone) (?:sits?|works?|sat)|"
                                 r"(?:walked|took) me (?:round|around|through) the (?:\w+ ){{0,2}}(?:{office}|hall|wards?|workshop|floor))\b"), "f"),
    ("introduced_to_team", "no", r"\b(?:(?:nobody|no one|no-one) else (?:came in|joined|was there|popped in|showed up|turned up))\b", ""),
    ("workspace_tour", "no", _p(r"\b(?:(?:nobody|no one|no-one) (?:offered to )?(?:show|showed|take|took) me (?:round|around|the {office}))\b"), ""),
    ("company_info", 4, _p(r"\b(?:(?:describing|explaining|telling me about|talking about|talking me through|walking me through|going through|presenting) (?:\w+ ){{0,2}}(?:the |their )?(?:company's|firm's|organization's|business's|company|firm|business)|"
                           r"(?:company's|firm's) (?:expansion|history|values|mission|strategy|growth|plans|products|clients|story|roadmap|vision))\b"), "xf"),
    ("company_info", 2, r"\b(?:(?:told|said|gave|shared) (?:me |us )?(?:absolutely |literally |pretty much |basically )?nothing about (?:the )?(?:company|firm|business|organization))\b", ""),
    ("company_info", 3, r"\b(?:company info(?:rmation)? (?:was|were) (?:decent|ok|okay|fine|average|alright|so-so|basic)|got the gist of (?:the |their )?(?:company|products|business))\b", ""),
    ("role_info", 4, r"\b(?:(?:very |really |super |quite )?(?:specific|detailed|clear|concrete|precise) about (?:what )?(?:the |my )?(?:role|job|position|responsibilities|i'd be doing)|"
                     r"(?:scope of the role|the role|the job|responsibilities|my responsibilities) (?:was|were|is|are) (?:crystal |very |really |super |totally |perfectly )?clear|"
                     r"explain(?:ed)? (?:me |to me )?(?:many|lots of|a lot of|loads of) things about|what i (?:will|would|'d) (?:do|be doing) every day)\b", "x"),
    ("role_info", 3, r"\b(?:(?:rough|brief|quick|short|high-level|general|basic) (?:outline|overview|idea|summary|description|sketch) of the (?:role|job|position))\b", ""),
    ("selling", 4, r"\b(?:(?:tried|trying) (?:\w+ )?(?:hard )?to (?:sell|pitch|convince|persuade|win me over|get me excited)|you'd love it here)\b", ""),
    ("selling", 2, r"\b(?:no (?:attempt|effort) (?:\w+ )?to (?:make|sell|pitch|convince|persuade)|(?:didn't|did not|never) (?:exactly |really )?pitch)\b", ""),
    ("skills_depth", 4, r"\b(?:went (?:really )?deep on|drilled (?:down )?into (?:every|each|all) (?:\w+ ){0,3}(?:of )?my|(?:dug|digging|drilled|drilling) into my (?:solution|code|answers?|test|take-home|case study|work|design))\b", ""),
    ("skills_depth", 2, r"\b(?:asked (?:me )?nothing about my (?:\w+ )?(?:portfolio|experience|work|projects?|cv|resume|background|skills)|stayed on the surface|scratched the surface|surface-level)\b", ""),
    ("skills_depth", 3, r"\b(?:(?:^|the |her |his |their )(?:technical )?questions (?:on|about) (?:\w+ ){0,3}(?:were|was) (?:middling|average|so-so|okay|ok|fine|standard|mixed)|"
                        r"standard depth|(?:fairly|pretty|quite) standard (?:questions|depth|stuff)|nothing too (?:probing|deep|technical|hard|searching))\b", ""),
    ("follow_up_questions", "yes", _p(r"\b(?:follow-?ups?|kept asking|kept pressing|(?:every|each) answer (?:i gave)?.{{0,40}}(?:came back with|asked|pushed|followed up)|came back with (?:another|more) {q})\b"), "x"),
    ("career_goals_asked", "yes", r"\b(?:(?:keen|wanted|curious|interested) to (?:know|hear|understand) (?:what|where|how) i(?:'d| would)? (?:like|want|see|hope)|"
                                  r"what i (?:would|'d) like to (?:specialize|specialise|do|be doing|focus on) (?:in )?(?:eventually|long-term|in the future|later|one day))\b", ""),
    ("growth_discussed", "yes", r"\b(?:(?:clear |a |real )?path to (?:senior|lead|management|principal|manager|promotion|partner|team lead)|leadership (?:program|scheme|track|course|academy)|how people (?:move|progress|get promoted|grow|advance)|"
                                r"move from (?:\w+ ){1,2}to (?:\w+ ){0,1}(?:\w+)|mentors? (?:at each|for each|for every|assigned)|career (?:track|framework|levels))\b", ""),
    ("questions_invited", "yes", r"\b(?:(?:chance|time|opportunity|room|space) (?:for me )?to ask (?:\w+ )?(?:questions|anything|my own|mine)?|take as long as you need)\b", ""),
    ("questions_invited", "no", r"\b(?:(?:question time|time for (?:my )?questions|q&a)(?: \w+){0,4} (?:was|were) (?:basically |practically |pretty much |almost )?(?:nonexistent|non-existent|zero|nil|none|skipped))\b", ""),
    ("answer_quality", 4, r"\b(?:answered (?:them|it|those|these|everything|all of them)(?: all)? (?:properly|thoroughly|in detail|in depth|carefully|openly|honestly|patiently|at length)|answered (?:each|every|all)(?: one| of them| of my questions)? (?:properly|thoroughly|in detail|carefully|well|with examples)|with examples from)\b", "x"),
    ("answer_quality", 2, r"\b(?:(?:answers|responses)(?: \w+){0,4} (?:were|was) (?:\w+,? ){0,3}?(?:vague|generic|evasive|wishy-washy|unclear)|got (?:\w+ )?non-?answers)\b", ""),
    ("availability_discussed", "yes", r"\b(?:notice period|start date|starting date|availability to start|(?:ask|asks|asked) me when i (?:can|could) (?:begin|start|join))\b", "x"),
    ("availability_discussed", "no", r"\b(?:(?:start dates?|notice period|availability|my start) (?:\w+ )?(?:didn't|did not|never) (?:come up|get mentioned|get discussed))\b", ""),
    ("next_steps_explained", "yes", r"\b(?:(?:mentioned|described|explained) (?:the )?next steps|went through what happens next|(?:said|told me|explained) what (?:would )?happens? next)\b", ""),
    ("next_steps_explained", "no", r"\b(?:(?:asked|asking) (?:\w+ )?what (?:happens|comes|is) next.{0,40}(?:shrugged|we'll see|no idea|didn't know|wouldn't say|dodged|vague)|"
                                   r"had to (?:email|call|chase|ask) (?:\w+ ){0,2}(?:afterwards |after )?to find out)\b", ""),
    ("timeline_given", "yes", r"\b(?:(?:offers?|decisions?|feedback|answers?|results?) (?:\w+ ){0,2}(?:go out|goes out|come out|will come|will be made|are made|made) (?:within|by|in|on|before|next)|"
                              r"(?:would|will|'ll) (?:call|ring|phone|email|contact) (?:me )?(?:by|on|within|before|next) (?:\w+)|within (?:\w+ ){0,2}(?:working|business) days)\b", ""),
    ("structured_format", "yes", r"\b(?:read (?:\w+ ){0,3}(?:questions|qs) (?:off|from|out of) (?:a |the |his |her |their )?(?:\w+ )?(?:sheet|list|paper|script|screen|page|form|doc|document|binder|clipboard))\b", ""),
    ("inexperienced_interviewer", "yes", r"\b(?:first (?:person|candidate|interview) (?:that |who )?(?:the |this |my |our )?(?:\w+ ){0,3}(?:has|had|'s) (?:ever )?interviewed)\b", ""),
    ("inexperienced_interviewer", "no", r"\b(?:(?:been|has been|'s been|had been) (?:hiring|interviewing|recruiting|doing this|running interviews) (?:\w+ ){0,4}(?:for )?(?:\w+ ){0,3}(?:years|decades)|"
                                        r"interviewed (?:hundreds|thousands|loads|lots|dozens|so many) of (?:people|candidates))\b", ""),
    ("thank_you_within_24h", "yes", r"\b(?:(?:sent|emailed|fired off|dropped|shot|mailed)(?: \w+){0,4}? (?:thank-?\s?you|thanks)(?! card| letter)(?: \w+){0,3}? (?:from|on) the (?:train|bus|tube|car|cab|taxi|lobby|station|car park|parking lot|way home|way out)|"
                                    r"emailed (?:\w+ )?to say (?:thanks|thank you)(?: \w+){0,2}? (?:within (?:an? |the |\d+ |one |two |a few )?(?:hours?|hour|day|24)|the same (?:day|evening)|that (?:evening|night)|right after|straight after|an hour later))\b", "f"),
    ("thank_you_within_24h", "no", r"\b(?:(?:didn't|did not|never) bother(?:ed)? with (?:a |any |the )?(?:thank-?\s?you|thanks)|"
                                   r"(?:thank-?\s?you|thanks)(?: \w+){0,2} (?:hasn't|has not|haven't|didn't|did not|still hasn't) (?:gone out|been sent|go out).{0,40}(?:two|three|four|2|3|4|several|a few) days|"
                                   r"(?:didn't|did not|forgot to|never) send (?:a |my |the |any )?(?:thank-?\s?you|thanks)(?! card| note| letter)(?: email)? (?:until|till) (?!(?:later that|that|the same|this))|"
                                   r"forgot to send (?:a |my |the )?(?:thank-?\s?you|thanks)(?! card| note| letter)(?: email)? (?:until|till))\b", ""),
    ("handwritten_note", "yes", r"\b(?:(?:wrote|write|written) out (?:a |an )?(?:\w+ )?(?:thank-?\s?you )?(?:card|note|letter)|in (?:fountain )?pen|in ink)\b", ""),
    ("handwritten_note", "no", r"\b(?:(?:skip|skipped|skipping) the (?:handwritten |hand-?written |paper )?(?:card|note|letter)|(?:not|no|won't|never) (?:doing|do|bother(?:ing)? with) (?:a |any )?(?:handwritten|hand-?written))\b", ""),
    ("stage", "final", r"\b(?:^final (?:at|with|for|today|yesterday|this morning|this afternoon|round|interview)|(?:it is|it's|it was|this is|this was|that was) the (?:last|final) (?:round|stage|interview))\b", "f"),
    ("stage", "screen", r"\b(?:^screening\b|screening (?:with|call|w/))", "f"),
    ("stage", "other", r"\b(?:informal (?:chat|coffee|meeting) with the (?:founder|ceo|md|owner|co-?founder))\b", "f"),
]

RULES = tuple(
    (column, value, re.compile(pattern), flags) for column, value, pattern, flags in _RAW + _MORE
)

#: A plain statement's level with an intensifier ("extremely engaged") or a softener ("fairly").
STRONG = re.compile(r"\b(?:extremely|incredibly|super|hugely|massively|insanely|exceptionally|amazingly|totally|"
                    r"completely|utterly|absolutely|so so|the whole time|throughout|the entire time|all the way through|"
                    r"the whole interview|constantly|every single)\b")
SOFT = re.compile(r"\b(?:somewhat|fairly|moderately|reasonably|kind of|kinda|sort of|a bit|a little|slightly|partly|"
                  r"mostly|occasionally|at times|sometimes|now and then|here and there|at first|initially|"
                  r"a couple of times|once or twice|mildly|semi)\b")
