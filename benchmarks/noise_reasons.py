"""How often a signal that carries nothing is among an interview's reasons, after a model
learned from 300 outcomes (issue 22, item 2; the figure is in docs/reasons.md).

Worlds (from ``benchmarks/worlds.py``, written apart from the fitting code): ``irrelevant_third``
(8 of the 24 signals carry nothing, given the others) and the same world with a quarter of
the cells empty at random. For each of ``--sets`` training sets of 300 outcomes, the learned
model (``offerodds.fit``'s procedure) scores 2,000 fresh interviews of the same world; an
interview counts when one of the irrelevant signals is named in its ``reasons`` (the real
column, parsed back to signals). Shown beside it: the same reasons when effects of uncertain
sign are not left out (the rule before issue 22), and how often yes scored below no for a
yes/no signal against the article (after 300 outcomes, in the learned weights).

Run: ``PYTHONPATH=src nice python benchmarks/noise_reasons.py [--sets 20]`` (about 2 min).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from worlds import worlds  # noqa: E402

from offerodds.scoring import agreement  # noqa: E402
from offerodds.scoring import reasons as reason_module  # noqa: E402
from offerodds.scoring.agreement import contribution_sd, uncertain_cells  # noqa: E402
from offerodds.scoring.results import result_frame  # noqa: E402
from offerodds.signals.catalogue import by_name, contribution_signals  # noqa: E402
from offerodds.signals.states import state_codes  # noqa: E402
from offerodds.config import FitConfig  # noqa: E402
from offerodds.training.fit import fit_arrays  # noqa: E402

IRRELEVANT = ("eye_contact", "enthusiasm", "interrupted_often", "workspace_tour",
              "company_info", "career_goals_asked", "growth_discussed", "questions_invited")


def _named(texts, typed) -> np.ndarray:
    """For each row, whether its reasons text names an irrelevant signal (by the sentence of
    the state recorded)."""
    out = np.zeros(len(texts), dtype=bool)
    states = state_codes(typed.reset_index(drop=True), list(IRRELEVANT))
    for i, text in enumerate(texts):
        for j, signal in enumerate(IRRELEVANT):
            code = states[i, j]
            if code < 0:
                continue
            says = list(by_name()[signal].states.values())[code].says
            if says in text:
                out[i] = True
    return out


def _reversed_yes_no(model, card, coef=None) -> int:
    """Yes/no signals whose learned yes scores below no where the article reads yes as good
    (or above, where it reads yes as bad); ``coef``: other weights in the model's layout."""
    names = model.feature_names
    weights = model.coef if coef is None else np.asarray(coef, dtype=float)
    count = 0
    for s in contribution_signals():
        signal = by_name()[s]
        if signal.kind != "yesno" or signal.direction not in ("+", "-"):
            continue
        y, n = names.index(f"{s}=yes"), names.index(f"{s}=no")
        learned, article = weights[y] - weights[n], card.coef[y] - card.coef[n]
        count += bool(learned * article < 0)
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=20)
    parser.add_argument("--outcomes", type=int, default=300)
    parser.add_argument("--scored", type=int, default=2000)
    parser.add_argument("--family-level", type=float, default=None,
                        help="the level of the check across signals (default: offerodds' own)")
    args = parser.parse_args()
    if args.family_level is not None:
        agreement.FAMILY_LEVEL = args.family_level
    import offerodds

    card = offerodds.rules()
    base = worlds()["irrelevant_third"]
    cases = {
        "irrelevant_third": base,
        "irrelevant_third, a quarter of cells empty at random": replace(
            base, population=replace(base.population, missing=0.25)
        ),
    }
    print(f"{args.sets} training sets of {args.outcomes} outcomes per world; {args.scored:,} fresh interviews each")
    print("share of interviews with a signal that carries nothing among their reasons:")
    for name, world in cases.items():
        now, before, served_only, reversed_, reversed_raw, any_reason = [], [], [], [], [], []
        each, each_any = [], []  # the outcomes-alone check state by state, not adjusted across signals
        for k in range(args.sets):
            typed, groups, _, y = world.draw(args.outcomes, seed=1000 + k)
            model = fit_arrays(typed, y, groups, FitConfig())
            fresh, _, _, _ = world.draw(args.scored, seed=5000 + k)
            fresh = fresh.reset_index(drop=True)
            level, agreement.FAMILY_LEVEL = agreement.FAMILY_LEVEL, None  # no adjustment
            try:
                unadjusted = fit_arrays(typed, y, groups, FitConfig())
            finally:
                agreement.FAMILY_LEVEL = level
            old_texts = result_frame(fresh, unadjusted, np.ones(len(fresh), bool))["reasons"].astype(str).tolist()
            each.append(_named(old_texts, fresh).mean())
            each_any.append(np.mean([t != "no recorded signal clearly moves the odds" for t in old_texts]))
            texts = result_frame(fresh, model, np.ones(len(fresh), bool))["reasons"].astype(str).tolist()
            now.append(_named(texts, fresh).mean())
            any_reason.append(np.mean([t != "no recorded signal clearly moves the odds" for t in texts]))
            parts = model.decompose(fresh)
            states = state_codes(fresh, parts.signals)
            old = reason_module.reasons(parts.contributions, parts.signals, states)  # nothing left out
            before.append(_named(list(old), fresh).mean())
            sd = contribution_sd(model, fresh)  # the served posterior's reading alone
            alone = reason_module.reasons(parts.contributions, parts.signals, states, uncertain_cells(parts.contributions, sd))
            served_only.append(_named(list(alone), fresh).mean())
            reversed_.append(_reversed_yes_no(model, card))
            reversed_raw.append(_reversed_yes_no(model, card, model.fit_summary.raw_coef))
        now, before = np.array(now), np.array(before)
        se = now.std(ddof=1) / np.sqrt(len(now))
        print(f"  {name}:")
        print(f"    now (effects less than 90 % sure of their sign left out; across signals: {'none' if agreement.FAMILY_LEVEL is None else format(agreement.FAMILY_LEVEL, '.0%')}): {now.mean():.1%} +- {se:.1%} "
              f"(range {now.min():.1%} to {now.max():.1%})")
        print(f"    each signal checked alone at 90 % (no adjustment across signals): {np.mean(each):.1%}; "
              f"interviews with at least one reason {np.mean(each_any):.1%}")
        print(f"    before (every effect eligible): {before.mean():.1%} (range {before.min():.1%} to {before.max():.1%})")
        print(f"    the served model's posterior alone (no check by the outcomes alone): {np.mean(served_only):.1%}")
        print(f"    interviews with at least one reason: {np.mean(any_reason):.1%}")
        print(f"    models whose reasons never name an irrelevant signal: {np.mean(now == 0):.0%}; "
              f"median share of interviews {np.median(now):.1%}")
        print(f"    yes/no signals with no scoring above yes against the article: {np.mean(reversed_):.2f} per model "
              f"(max {max(reversed_)}); before the tie rule {np.mean(reversed_raw):.2f} (max {max(reversed_raw)})")


if __name__ == "__main__":
    main()
