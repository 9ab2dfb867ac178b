"""A retrain said in plain words, before any statistic: what was learned from how many
interviews (and which were skipped, and why), whether the new model predicts better than what
serves now on interviews it had not seen, the decision and why, and what to do next.

Plain functions of plain values (counts, the gate's comparisons), so the retrain's result type
and both doors (terminal, report) say the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from offerodds.signals.printable import printable
from offerodds.training import gate

__all__ = ["RetrainFacts", "figure_lines", "more_outcomes_needed", "outcome_counts", "plain_summary"]

#: The one-sided z of the gate's "in all but 5 % of resamples" (``[gate] max_luck``).
_Z = 1.645


@dataclass(frozen=True)
class RetrainFacts:
    """What the plain summary reads (every field has a default: a retrain may stop early)."""

    rows_read: int = 0
    rows_rejected: int = 0
    new_outcomes: dict = field(default_factory=dict)  # outcome -> count, among rows labelled now
    store_outcomes: dict = field(default_factory=dict)  # outcome -> count, in the whole store
    store_rows: int = 0
    serving_before: str = ""  # "the rule card rules-1", "model v1"
    promoted: bool = False
    version: str | None = None
    served_instead: bool = False  # the recalibrated card was promoted, not the learned model
    forced: bool = False
    comparisons: dict = field(default_factory=dict)  # the gate's (Decision.comparisons)
    stopped: str = ""  # why no model was judged (too few outcomes, a fit refused)
    min_per_class: int = 0
    nothing_unseen: bool = False  # a champion serves and no outcome came after it


def outcome_counts(outcomes) -> dict:
    """How many rows of an ``outcome`` column carry each outcome (offer, no_offer, withdrawn,
    pending; an empty one counts as pending)."""
    values = outcomes.astype("string").str.strip().str.lower().fillna("pending")
    return {k: int(v) for k, v in values.value_counts().items()}


def _count(counts: dict, key: str) -> int:
    return int(counts.get(key, 0))


def _n(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def more_outcomes_needed(test: dict, n: int) -> int | None:
    """About how many more outcomes would make a lead this size clear to the gate, from the
    spread of the paired bootstrap (the standard error falls as one over the square root of
    the count); None when the learned model is not ahead at all."""
    diff = float(test.get("mean_diff", float("nan")))
    low, high = float(test.get("ci_low", float("nan"))), float(test.get("ci_high", float("nan")))
    if not (diff < 0) or not math.isfinite(low) or not math.isfinite(high) or n <= 0:
        return None
    se = (high - low) / (2 * 1.96)
    if se <= 0:
        return None
    needed = n * (_Z * se / abs(diff)) ** 2
    return max(int(math.ceil((needed - n) / 10.0) * 10), 10)


def _learned_line(f: RetrainFacts) -> str:
    offers, no_offers = _count(f.store_outcomes, "offer"), _count(f.store_outcomes, "no_offer")
    trained = offers + no_offers
    skipped = [
        (_count(f.store_outcomes, "pending"), "pending (no outcome yet)"),
        (_count(f.store_outcomes, "withdrawn"), "withdrawn by the candidate"),
    ]
    skipped_text = "; ".join(f"{n:,} {why}" for n, why in skipped if n)
    line = (
        f"Learned from {_n(trained, 'interview')} with an outcome ({offers:,} offers, "
        f"{no_offers:,} no offers)"
    )
    if skipped_text:
        line += f"; kept but not learned from: {skipped_text}"
    return line + "."


def _this_time_line(f: RetrainFacts) -> str:
    if not f.rows_read:
        return "No new labelled file: the outcome store was used as it is."
    new = f.new_outcomes
    parts = [f"{_count(new, k):,} {w}" for k, w in (("offer", "offers"), ("no_offer", "no offers"),
                                                    ("pending", "pending"), ("withdrawn", "withdrawn"))
             if _count(new, k)]
    added = sum(new.values()) if new else 0
    text = f"This time: {_n(f.rows_read, 'labelled row')} read"
    if f.rows_rejected:
        text += f", {f.rows_rejected:,} rejected (their problems are listed, nothing of them was stored)"
    unchanged = f.rows_read - f.rows_rejected - added
    text += f"; {_n(added, 'interview')} new or changed" + (f" ({', '.join(parts)})" if parts else "")
    if unchanged > 0:
        text += f", {unchanged:,} already stored as they are"
    return text + f"; the outcome store holds {_n(f.store_rows, 'interview')}."


def plain_summary(f: RetrainFacts) -> list[str]:
    """The retrain in a few plain sentences: learned, compared, decided, next."""
    lines = [_this_time_line(f), _learned_line(f)]
    c = f.comparisons
    if f.stopped:
        lines.append(f"Decision: nothing new serves. {f.stopped}")
        offers, no_offers = _count(f.store_outcomes, "offer"), _count(f.store_outcomes, "no_offer")
        if f.min_per_class and min(offers, no_offers) < f.min_per_class:
            short = [f"{f.min_per_class - n:,} more {w}" for n, w in ((offers, "offers"), (no_offers, "no offers"))
                     if n < f.min_per_class]
            lines.append(f"Next: label at least {' and '.join(short)}, then retrain; until then "
                         f"{f.serving_before or 'what serves now'} keeps serving.")
        else:
            lines.append(f"Next: {f.serving_before or 'what serves now'} keeps serving; retrain when more outcomes come in.")
        return lines

    champion = next((v for k, v in c.items() if k.endswith("_vs_champion_unseen")), None)
    rules_test = c.get("candidate_vs_rules") or {}
    n_out = _count(f.store_outcomes, "offer") + _count(f.store_outcomes, "no_offer")
    # better than what serves now, on interviews it had not seen
    if champion is not None:
        mine, champ = champion.get("candidate", champion.get("recalibrated_card")), champion["champion"]
        contender = "the rule card recalibrated" if "recalibrated_card" in champion else "the new model"
        if champion.get("tie"):
            how = f"{contender} and {f.serving_before} predict equally well: a tie, the difference is within noise"
        elif mine < champ:
            how = f"{contender} predicts better"
        else:
            how = f"{contender} predicts worse, beyond noise"
        lines.append(
            f"On the {champion['n']:,} interviews {f.serving_before} never saw, {how} "
            f"(average log-loss {mine:.4f} against {champ:.4f}; lower is better)."
        )
    elif rules_test:
        diff = float(rules_test.get("mean_diff", 0.0))
        how = (
            "clearly better than the rule card" if _clear(rules_test)
            else "a little better than the rule card, but within noise" if diff < 0
            else "no better than the rule card"
        )
        lines.append(
            "On interviews it had not learned from (each scored by a model fitted without it), the "
            f"learned model predicts {how} (average log-loss {abs(diff):.4f} "
            f"{'lower' if diff < 0 else 'higher'}; lower is better)."
        )

    # the decision and why
    if f.promoted:
        why = "it predicts clearly better than the rule card and the offer rate alone on interviews it had not seen"
        if f.served_instead:
            why = ("the learned model did not beat the rule card recalibrated, which itself predicts clearly "
                   "better than the rule card and the offer rate alone")
        if champion is not None and champion.get("tie"):
            why += (f", and it ties with {f.serving_before}, also a learned model: between two learned models "
                    "a tie goes to the one that learned from more outcomes, as long as it is clearly better "
                    "than the rule card")
        elif champion is not None:
            why += f", and it is not worse than {f.serving_before} on the interviews that model never saw"
        if f.forced:
            why = "--force asked for it (the comparisons alone would not have promoted it)"
        lines.append(f"Decision: promoted as {f.version}{' (the rule card recalibrated)' if f.served_instead else ''}: {why}.")
        lines.append(f"Next: nothing to do; `offerodds rollback` goes back to {f.serving_before} if you need to.")
        return lines

    serving = f.serving_before or "what serves now"
    if champion is not None and champion.get("tie"):
        if champion.get("champion_learned", True):
            why = (f"{serving} is a learned model and the rule card recalibrated replaces one only when "
                   "clearly better, not on a tie")
        else:
            why = (f"{serving} is the rule card recalibrated, and a learned model takes the rule card's "
                   "place only when it predicts clearly better, never on a tie")
        lines.append(f"Decision: not promoted: {'the rule card recalibrated' if 'recalibrated_card' in champion else 'the new model'} ties with {serving} on the interviews that model never saw "
                     f"(the difference is within noise), and {why}; {serving} keeps serving.")
        lines.append("Next: retrain when more outcomes come in (a lead may become clear), or "
                     "`offerodds retrain --force` to promote the learned model anyway.")
        return lines
    if champion is not None and not champion.get("tie"):
        lines.append(f"Decision: not promoted: it predicts worse than {serving} on the interviews that model never saw, "
                     "beyond noise; " + f"{serving} keeps serving.")
        lines.append("Next: retrain when more outcomes come in; `offerodds retrain --force` promotes it anyway.")
        return lines
    if f.nothing_unseen:
        lines.append(f"Decision: not promoted: no outcome was added since {serving} was trained, so there is "
                     f"nothing new to judge it against; {serving} keeps serving.")
        lines.append("Next: label more interviews and retrain, or `offerodds retrain --force` to promote it anyway.")
        return lines
    blocking, words = _blocking(c)
    more = more_outcomes_needed(blocking, n_out) if blocking else None
    lines.append(f"Decision: not promoted: {words}; {serving} keeps serving.")
    if more is not None:
        lines.append(f"Next: wait for about {more:,} more outcomes and retrain (the lead is too small to be "
                     "sure of yet), or `offerodds retrain --force` to promote the learned model anyway.")
    else:
        lines.append("Next: retrain when more outcomes come in (no lead to wait for yet), or "
                     "`offerodds retrain --force` to promote the learned model anyway.")
    return lines


def _clear(test: dict, max_luck: float = 0.05) -> bool:
    """The gate's "clearly better": ahead on average and not better in at most ``max_luck``
    of the resamples."""
    return float(test.get("mean_diff", 0.0)) < 0 and float(test.get("p_a_not_better", 1.0)) <= max_luck


def _blocking(c: dict) -> tuple[dict, str]:
    """The comparison that kept the learned model (or the recalibrated card) from serving,
    and why, in words."""
    for rival, name in (("rules", "the rule card"), ("base_rate", "the offer rate alone")):
        test = c.get(f"candidate_vs_{rival}")
        if test is not None and not _clear(test):
            return test, (f"the learned model does not yet predict clearly better than {name} on "
                          "interviews it had not learned from")
    recal = c.get("candidate_vs_recalibrated_card")
    if recal is not None and float(recal.get("mean_diff", 0.0)) > 0:
        for rival, name in (("rules", "the rule card"), ("base_rate", "the offer rate alone")):
            test = c.get(f"recalibrated_card_vs_{rival}")
            if test is not None and not _clear(test):
                return test, (
                    "the learned model predicts no better than the rule card with only its level and "
                    "strength fitted to your outcomes (the rule card recalibrated), the simpler model it "
                    f"would give way to, and that one is not yet clearly better than {name}"
                )
    return {}, "the comparisons did not favour it"


def figure_lines(self) -> list[str]:
    """The figures behind a retrain's plain summary, under plain labels (``self``: its
    ``RetrainResult``)."""
    lines = [
        f"labelled rows read: {self.rows_read:,}, rejected: {self.rows_rejected:,}",
        f"outcome store: {self.store_rows_before:,} -> {self.store_rows_after:,} interviews "
        f"({self.label_counts.get('offer', 0)} offers, {self.label_counts.get('no_offer', 0)} no-offers)",
    ]
    for name, counts in self.repeated.items():
        shown = ", ".join(f"{printable(i)} ({n} rows)" for i, n in list(counts.items())[:10])
        more = f" and {len(counts) - 10} more" if len(counts) > 10 else ""
        one = len(counts) == 1
        lines.append(
            f"{len(counts):,} interview{'' if one else 's'} appear{'s' if one else ''} more than once in "
            f"{printable(name)}: {shown}{more}; the last row of each is kept"
        )
    if self.migrated:
        lines.append(
            f"outcome store: {self.migrated:,} ids of rows without interview_id renamed to the current "
            "rule (a hash of the answers and the row's occurrence number)"
        )
    if self.prospective:
        p = self.prospective
        lines.append(
            f"how the scorer in use ({self.prospective_scorer}) predicted the {p['n']:,} newly "
            f"labelled interviews before learning from them: log-loss {p['log_loss']:.4f}, "
            f"Brier {p['brier']:.4f} (both: lower is better), AUC {p['roc_auc']:.3f} (how often an "
            "offer was ranked above a no offer; 0.5 is chance)"
        )
    if self.table is not None:
        lines += ["", "each model scored on interviews it had not learned from (out of fold): log-loss and "
                  "Brier, lower is better; ECE, the average gap between predicted and observed offer "
                  "rates, lower is better; AUC as above:",
                  *gate.readable_table(self.table).to_string().splitlines(), ""]
    candidate = getattr(self, "candidate", None)
    if candidate is not None and candidate.fit_summary is not None and candidate.fit_summary.holdout_check:
        from offerodds.training.misfit import form_lines

        lines += [*form_lines(candidate.fit_summary), ""]
    if self.disagreements:
        lines.append("where the outcomes disagree with the article (the learned model's reading):")
        lines += [f"  - {d}" for d in self.disagreements]
    lines.append(f"decision: {self.decision}")
    lines += [f"  - {r}" for r in self.reasons]
    lines.append(f"now serving: {self.serving}")
    if self.report_path:
        lines.append(f"report: {self.report_path}")
    if self.run_id:
        lines.append(f"MLflow run: {self.run_id}")
    lines += self.tracking_notes
    if self.tracking_warning:
        lines.append(self.tracking_warning)
    return lines
