"""Draw the explanation chart shown in the README: ``docs/images/explain-example.png``.

Scores the synthetic example file ``data/examples/interviews.csv`` with the rule card, picks an
interview with strong signals both for and against an offer (so the chart shows green and red
bars), and saves its explanation chart (``Explanation.plot``: what was recorded, each answer's
effect on the odds, the probability and the starting point).
Deterministic: the same example file gives the same interview. Prints only the path written::

    python scripts/make_readme_chart.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "data" / "examples" / "interviews.csv"
CHART = REPO / "docs" / "images" / "explain-example.png"

# The chart shows this checkout's rule card, installed or not.
try:
    import offerodds  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO / "src"))

import pandas as pd  # noqa: E402

import offerodds  # noqa: E402


def pick_interview(scored: pd.DataFrame) -> str:
    """The interview_id whose strongest signals for and against are both large.

    Among valid rows, take the one maximising the smaller of (sum of positive contributions,
    minus the sum of negative ones), so both sides are substantial; ties go to the row with
    fewer recorded signals (a shorter chart), then to the first row.
    """
    contrib = scored.filter(like="contrib_").astype(float)
    balance = pd.concat(
        [contrib.clip(lower=0).sum(axis=1), -contrib.clip(upper=0).sum(axis=1)], axis=1
    ).min(axis=1)
    valid = scored["error"].fillna("") == ""
    ranked = pd.DataFrame(
        {"balance": balance.round(2), "bars": (contrib != 0).sum(axis=1), "order": range(len(scored))}
    )[valid]
    best = ranked.sort_values(["balance", "bars", "order"], ascending=[False, True, True]).index[0]
    return str(scored.loc[best, "interview_id"])


def make_chart(source: Path = EXAMPLES, path: Path = CHART) -> Path:
    """Score ``source`` with the rule card and save the chart of one interview to ``path``."""
    card = offerodds.rules()
    scored = offerodds.score(source, model=card)
    interview_id = pick_interview(scored)
    raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    interview = raw.loc[raw["interview_id"] == interview_id].iloc[0].to_dict()
    explanation = offerodds.explain(interview, model=card)
    stage = interview.get("stage", "").strip()
    title = f"Interview {interview_id}" + (f" ({stage} round)" if stage else "")
    path.parent.mkdir(parents=True, exist_ok=True)
    explanation.plot(path, title=title)
    return path


def main() -> int:
    written = make_chart()
    sys.stdout.write(f"{written.relative_to(REPO)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
