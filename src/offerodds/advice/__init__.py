"""What to do next after each interview: the article's follow-up and recovery advice as rules
in a data file, applied to whole chunks of scored rows, and the follow-up email drafts.

Above scoring and signals, below everything that reads or writes files: it imports
``offerodds.scoring`` and ``offerodds.signals`` only. Modules: ``playbook`` (the next-step
rules, loaded from ``resources/advice.toml``), ``timeline`` (the as-of date and the candidate's calendar),
``decide`` (the ``next_step`` and ``next_step_due`` of every row), ``drafts`` (the email).
"""

__all__ = ["decide", "drafts", "playbook", "timeline"]
