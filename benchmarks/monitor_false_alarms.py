"""How often ``offerodds monitor`` raises an alarm on a batch that did not change, and whether it
flags and names a signal that did.

For each of several synthetic populations (different seeds, shares of empty cells, and the rule
card or a learned model as the scorer), a reference of 3,000 interviews is drawn, then 200
seeded batches of 50, 200 and 2,000 interviews from the same population: an alarm on one of
them is a false alarm, and at most 5 % of batches may raise one. Then batches where one signal
moved (availability discussed in 95 % of the interviews that recorded it, instead of about a
third) must be flagged, with that signal named first; how often a smaller move (to 50 %) is
flagged shows the sensitivity at each size. For comparison, the same unchanged batches are
judged by fixed PSI bands (any signal's population stability index over 0.1 or 0.25, the
scorecard convention) and by the same tests without the multiple-comparison correction.

    python benchmarks/monitor_false_alarms.py            # 200 batches per size (about 15 minutes)
    python benchmarks/monitor_false_alarms.py --batches 40
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import print_checks  # noqa: E402

import offerodds  # noqa: E402
from offerodds.monitoring.drift import compare  # noqa: E402
from offerodds.usecases import profile_table  # noqa: E402
from offerodds.synthetic import generate  # noqa: E402
from offerodds.config import load_config  # noqa: E402

REFERENCE_ROWS = 3000
SIZES = (50, 200, 2000)
MOVED_SIGNAL = "availability_discussed"
MOVED_SHARE = 0.95
SUBTLE_SHARE = 0.5  # a smaller move, to show how sensitive the checks are at each size
MAX_FALSE_ALARMS = 0.05
# (name, seed of the reference, share of empty cells, scorer)
POPULATIONS = (
    ("A: 15 % empty cells, rule card", 1, 0.15, "rules"),
    ("B: nothing left empty, learned model", 2, 0.0, "model"),
    ("C: 40 % empty cells, rule card", 3, 0.40, "rules"),
)


def move_signal(frame, seed: int, share: float = MOVED_SHARE):
    """The batch with ``MOVED_SIGNAL`` answered yes in ``share`` of the rows that recorded it."""
    frame = frame.copy()
    recorded = frame[MOVED_SIGNAL].notna().to_numpy()
    yes = np.random.default_rng(seed).random(int(recorded.sum())) < share
    frame.loc[recorded, MOVED_SIGNAL] = np.where(yes, "yes", "no")
    return frame


def psi(reference_counts: np.ndarray, batch_counts: np.ndarray, floor: float = 1e-4) -> float:
    """Population stability index over categories (empty cells are a category)."""
    r = np.maximum(reference_counts / reference_counts.sum(), floor)
    b = np.maximum(batch_counts / batch_counts.sum(), floor)
    return float(((b - r) * np.log(b / r)).sum())


def upper_bound(alarms: int, n: int) -> float:
    """One-sided 95 % Clopper-Pearson upper bound of the alarm rate."""
    return 1.0 if alarms == n else float(stats.beta.ppf(0.95, alarms + 1, n - alarms))


def scorer_for(kind: str, seed: int):
    if kind == "rules":
        return offerodds.rules()
    return offerodds.fit(generate(2000, seed=500 + seed))


def run(batches: int, moved_batches: int, alpha: float) -> list[tuple[bool, str]]:
    checks = []
    for name, seed, missing, kind in POPULATIONS:
        scorer = scorer_for(kind, seed)
        reference = profile_table(generate(REFERENCE_ROWS, seed=seed, missing_rate=missing), scorer)
        print(f"\npopulation {name}: reference {reference.rows:,} interviews")
        print(
            f"{'batch':>6} {'alarms':>8} {'rate':>6} {'95 % bound':>10} {'PSI>0.1':>8} {'PSI>0.25':>9} "
            f"{'uncorrected':>11} {'s/batch':>8}"
        )
        for n in SIZES:
            alarms = psi_01 = psi_025 = uncorrected = 0
            named = []
            start = time.perf_counter()
            for i in range(batches):
                batch = profile_table(generate(n, seed=10_000 * seed + i, missing_rate=missing), scorer)
                found = compare(reference, batch, alpha=alpha)
                alarms += bool(found["moved"].any())
                uncorrected += bool((found["p"] < 0.05).any())
                worst = max(psi(reference.counts[s], batch.counts[s]) for s in batch.counts)
                psi_01 += worst > 0.1
                psi_025 += worst > 0.25
                if found["moved"].any():
                    named.append(f"{found['signal'][0]} {found['check'][0]}")
            seconds = (time.perf_counter() - start) / batches
            rate = alarms / batches
            print(
                f"{n:>6} {alarms:>4}/{batches:<3} {rate:>6.1%} {upper_bound(alarms, batches):>10.1%} "
                f"{psi_01 / batches:>8.0%} {psi_025 / batches:>9.0%} {uncorrected / batches:>11.0%} {seconds:>8.2f}"
            )
            if named:
                print(f"       false alarms named: {', '.join(sorted(set(named)))}")
            checks.append(
                (rate <= MAX_FALSE_ALARMS, f"{name}, {n} interviews: alarms on {rate:.1%} of {batches} unchanged batches (at most 5 %)")
            )
        for n in SIZES:
            flagged, first, subtle = 0, 0, 0
            for i in range(moved_batches):
                drawn = generate(n, seed=20_000 * seed + i, missing_rate=missing)
                found = compare(reference, profile_table(move_signal(drawn, seed=i), scorer), alpha=alpha)
                flagged += MOVED_SIGNAL in set(found.loc[found["moved"], "signal"])
                first += bool(found["moved"][0]) and found["signal"][0] == MOVED_SIGNAL
                found = compare(reference, profile_table(move_signal(drawn, i, SUBTLE_SHARE), scorer), alpha=alpha)
                subtle += MOVED_SIGNAL in set(found.loc[found["moved"], "signal"])
            print(
                f"  {MOVED_SIGNAL} moved to {MOVED_SHARE:.0%} yes, {n} interviews: flagged in {flagged}/{moved_batches}, "
                f"named first in {first}/{moved_batches}; to {SUBTLE_SHARE:.0%} yes: flagged in {subtle}/{moved_batches}"
            )
            text = f"{name}, {n} interviews: the moved signal flagged and named first in {first} of {moved_batches} batches"
            checks.append((first == moved_batches, text))
    return checks


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200, help="unchanged batches per size and population")
    parser.add_argument("--moved-batches", type=int, default=50, help="batches with a moved signal per size")
    parser.add_argument("--alpha", type=float, default=load_config().monitor.alpha, help="default: [monitor] alpha")
    args = parser.parse_args(argv)
    print(f"alpha (family-wise, Holm over all checks): {args.alpha:g}")
    start = time.perf_counter()
    checks = run(args.batches, args.moved_batches, args.alpha)
    print(f"\n({time.perf_counter() - start:.0f} s)")
    return 0 if print_checks(checks) else 1


if __name__ == "__main__":
    sys.exit(main())
