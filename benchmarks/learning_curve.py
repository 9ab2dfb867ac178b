"""Learning curve: how good is the offerodds model after 20 ... 5,000 labelled interviews?

On the synthetic generator (whose true probability is the best attainable prediction), for each
training size several training sets are drawn and five scorers are compared on ONE large
held-out set from another seed:

1. ``rule card``           -- the card as shipped (it learns nothing);
2. ``card recalibrated``   -- an unpenalised logistic regression on the card's log-odds
                              (intercept and slope), fitted on the same outcomes;
3. ``logistic CV``         -- scikit-learn ``LogisticRegressionCV`` on the ``SignalFeatures``
                              features, C chosen by cross-validated log-loss (same folds);
4. ``offerodds``           -- ``offerodds.training.fit.fit_arrays(typed, y, groups)`` (its defaults);
5. ``best attainable``     -- the generator's true probability.

Brier scores are compared as ratios to the best attainable on the same held-out set, averaged
over training sets; log-loss and ECE (15 equal-count bins) are averaged too, and ``coverage`` is
the share of held-out rows whose true probability lies inside offerodds' 90 % interval.
Training sets are drawn as they come (seed ``1000 * n + replicate``), never redrawn. On one with
fewer than ``FitConfig.min_outcomes_per_class`` offers or no-offers offerodds refuses to fit and
the product keeps serving the rule card, so that is what ``offerodds`` predicts there (the table
says how often; coverage is averaged over the sets where a model was fitted). The recalibrated
card and logistic CV need 2 of each class; below that they too fall back to the card.

Usage::

    PYTHONPATH=src python benchmarks/learning_curve.py            # the full run (< 10 min, 2 cores)
    PYTHONPATH=src python benchmarks/learning_curve.py --quick    # a smoke test (~15 s): too few
        # training sets for its PASS/FAIL lines to mean much
    PYTHONPATH=src python benchmarks/learning_curve.py --also selection=cv --also selection=cv_min
        # adds offerodds variants with other FitConfig settings (comma-separated key=value)

Exit status 0 when every target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import fields, replace
from pathlib import Path

# One BLAS thread per process: the fits are many small matrix products, which multithreaded
# BLAS slows down (badly so on a shared 2-core machine); parallelism is across training sets.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV  # noqa: E402

from offerodds.signals.features import SignalFeatures# noqa: E402
from offerodds.evaluation.metrics import evaluate  # noqa: E402
from offerodds.training.config import FitConfig
from offerodds.training.fit import FitError, fit_arrays
from offerodds.training.folds import splits# noqa: E402
from offerodds.scoring.rulecard import rules  # noqa: E402
from offerodds.synthetic import generate, true_probability, typed_frame  # noqa: E402

SIZES = (20, 50, 100, 300, 1_000, 5_000)
# Training sets per size: many where they are cheap and the comparisons noisy, fewer where slow.
SEEDS = {20: 20, 50: 20, 100: 20, 300: 20, 1_000: 10, 5_000: 5}
QUICK_SEEDS = {20: 4, 50: 4, 100: 4, 300: 4, 1_000: 2, 5_000: 1}
TEST_SEED = 1
BASE = ("rule card", "card recalibrated", "logistic CV", "offerodds")

# ------------------------------------------------------------------------------------------------
# Held-out set (one per worker process)

_TEST: dict = {}


def _load_test(n_test: int) -> None:
    df = generate(n_test, seed=TEST_SEED)
    typed = typed_frame(df)
    card = rules()
    _TEST.update(
        typed=typed,
        y=(df["outcome"] == "offer").to_numpy(dtype=int),
        p_true=true_probability(typed),
        X=SignalFeatures().fit(typed).transform(typed),
        card_logit=card.decompose(typed).log_odds,
        p_card=card.decompose(typed).probability,
    )


def _training_set(n: int, replicate: int):
    """The ``replicate``-th training set of size ``n`` (outcomes as 0/1)."""
    df = generate(n, seed=1_000 * n + replicate)
    return df, (df["outcome"] == "offer").to_numpy(dtype=int)


def _metrics(p: np.ndarray) -> dict:
    y, p_true = _TEST["y"], _TEST["p_true"]
    m = evaluate(y, p)
    best = float(np.mean((y - p_true) ** 2))
    return {"brier_ratio": m["brier"] / best, "log_loss": m["log_loss"], "ece": m["ece"]}


def _offerodds(typed, y, groups, config: FitConfig) -> dict:
    start = time.perf_counter()
    try:
        model = fit_arrays(typed, y, groups, config)
    except FitError:  # what is served then: the rule card
        out = _metrics(_TEST["p_card"])
        out.update(coverage=np.nan, seconds=np.nan, refused=1)
        return out
    seconds = time.perf_counter() - start
    parts = model.decompose(_TEST["typed"])
    p_true = _TEST["p_true"]
    out = _metrics(parts.probability)
    out.update(
        coverage=float(np.mean((parts.low <= p_true) & (p_true <= parts.high))),
        seconds=seconds,
        refused=0,
        alpha=model.fit.prior_strength,
        slope=model.fit.calibration_slope,
    )
    return out


def run_one(n: int, replicate: int, variants: dict[str, FitConfig]) -> dict:
    """Fit every method on one training set and score it on the held-out set."""
    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    base = FitConfig()
    df, y = _training_set(n, replicate)
    typed = typed_frame(df)
    groups = df["application_id"].to_numpy()
    card = rules()
    results: dict[str, dict] = {"rule card": _metrics(_TEST["p_card"])}
    learnable = np.bincount(y, minlength=2).min() >= 2

    # (2) the card recalibrated: intercept and slope on its log-odds, unpenalised
    if learnable:
        z = card.decompose(typed).log_odds[:, None]
        recal = LogisticRegression(C=np.inf, max_iter=1_000).fit(z, y)
        p = recal.predict_proba(_TEST["card_logit"][:, None])[:, 1]
    else:
        p = _TEST["p_card"]
    results["card recalibrated"] = _metrics(p)

    # (3) plain logistic regression on the features, C by cross-validated log-loss (same folds)
    if learnable:
        X = SignalFeatures().fit(typed).transform(typed)
        folds = splits(y, groups, base.folds, base.random_state)
        plain = LogisticRegressionCV(
            Cs=np.logspace(-3, 3, 13), cv=folds, scoring="neg_log_loss", l1_ratios=(0.0,),
            max_iter=2_000, use_legacy_attributes=False,
        ).fit(X, y)
        p = plain.predict_proba(_TEST["X"])[:, 1]
    else:
        p = _TEST["p_card"]
    results["logistic CV"] = _metrics(p)

    # (4) offerodds, with its defaults and any variants asked for
    results["offerodds"] = _offerodds(typed, y, groups, base)
    for name, config in variants.items():
        results[name] = _offerodds(typed, y, groups, config)
    return {"n": n, "replicate": replicate, "results": results}


# ------------------------------------------------------------------------------------------------
# Report


def summarise(runs: list[dict], methods: list[str]) -> dict:
    table = {}
    for n in sorted({r["n"] for r in runs}):
        rows = [r for r in runs if r["n"] == n]
        stats = {}
        for m in methods:
            values = {k: np.array([r["results"][m].get(k, np.nan) for r in rows], dtype=float)
                      for k in ("brier_ratio", "log_loss", "ece", "coverage", "seconds", "alpha",
                                "slope", "refused")}
            stats[m] = {k: float(np.nanmean(v)) if np.isfinite(v).any() else np.nan
                        for k, v in values.items()}
            if np.isfinite(values["alpha"]).any():  # prior strengths: geometric mean
                stats[m]["alpha"] = float(np.exp(np.nanmean(np.log(values["alpha"]))))
            stats[m]["brier_ratio_sd"] = float(np.std(values["brier_ratio"], ddof=1)) if len(rows) > 1 else np.nan
        refused = int(sum(r["results"]["offerodds"]["refused"] for r in rows))
        table[n] = {"stats": stats, "sets": len(rows), "refused": refused}
    return table


def targets(table: dict) -> list[tuple[str, bool, str]]:
    out = []
    s = {n: t["stats"] for n, t in table.items()}

    def r(n, m):
        return s[n][m]["brier_ratio"]

    if 5_000 in s:
        oo, lr = r(5_000, "offerodds"), r(5_000, "logistic CV")
        out.append(("5,000: Brier within 1 % of the best attainable", oo <= 1.01,
                    f"ratio {oo:.4f}"))
        out.append(("5,000: Brier no worse than logistic CV (0.2 % tolerance)", oo <= 1.002 * lr,
                    f"{oo:.4f} vs {lr:.4f} ({100 * (oo / lr - 1):+.2f} %)"))
        ece = s[5_000]["offerodds"]["ece"]
        out.append(("5,000: ECE under 0.015", ece < 0.015, f"ECE {ece:.4f}"))
    for n in (20, 50):
        if n in s:
            oo, card, lr = r(n, "offerodds"), r(n, "rule card"), r(n, "logistic CV")
            out.append((f"{n:,}: no worse than the rule card", oo <= card, f"{oo:.4f} vs {card:.4f}"))
            out.append((f"{n:,}: better than logistic CV", oo < lr, f"{oo:.4f} vs {lr:.4f}"))
    for n in (100, 300):
        if n in s:
            oo, card, lr = r(n, "offerodds"), r(n, "rule card"), r(n, "logistic CV")
            out.append((f"{n:,}: better than the rule card and logistic CV", oo < card and oo < lr,
                        f"{oo:.4f} vs card {card:.4f}, logistic CV {lr:.4f}"))
    for n in s:
        oo, rc = r(n, "offerodds"), r(n, "card recalibrated")
        out.append((f"{n:,}: within 5 % of the card recalibrated", oo <= 1.05 * rc,
                    f"{oo:.4f} vs {rc:.4f} ({100 * (oo / rc - 1):+.1f} %)"))
    for n in (100, 300, 1_000):
        if n in s:
            cov = s[n]["offerodds"]["coverage"]
            out.append((f"{n:,}: 90 % interval covers the best attainable 80-95 %",
                        0.80 <= cov <= 0.95, f"coverage {cov:.3f}"))
    return out


def render(table: dict, methods: list[str], n_test: int) -> str:
    lines = [f"Held-out set: {n_test:,} synthetic interviews (seed {TEST_SEED}); "
             "Brier / best = Brier score divided by the true probability's on the same rows.", ""]
    for n, t in table.items():
        refused = (f"; on {t['refused']} of them too few offers to fit, so offerodds "
                   "kept the rule card" if t["refused"] else "")
        lines.append(f"n = {n:,} labelled interviews ({t['sets']} training sets{refused})")
        lines.append(f"  {'method':<34}{'Brier/best':>11}{'(sd)':>8}{'log-loss':>10}{'ECE':>8}"
                     f"{'coverage':>10}{'alpha':>9}{'slope':>7}{'fit s':>7}")
        for m in methods:
            st = t["stats"][m]
            cov = f"{st['coverage']:.3f}" if np.isfinite(st["coverage"]) else ""
            alpha = f"{st['alpha']:.3g}" if np.isfinite(st["alpha"]) else ""
            slope = f"{st['slope']:.2f}" if np.isfinite(st["slope"]) else ""
            secs = f"{st['seconds']:.2f}" if np.isfinite(st["seconds"]) else ""
            sd = f"{st['brier_ratio_sd']:.4f}" if np.isfinite(st["brier_ratio_sd"]) else ""
            lines.append(f"  {m:<34}{st['brier_ratio']:>11.4f}{sd:>8}{st['log_loss']:>10.4f}"
                         f"{st['ece']:>8.4f}{cov:>10}{alpha:>9}{slope:>7}{secs:>7}")
        best = t["best"]
        lines.append(f"  {'best attainable':<34}{1.0:>11.4f}{'':>8}{best['log_loss']:>10.4f}"
                     f"{best['ece']:>8.4f}")
        lines.append("")
    return "\n".join(lines)


def parse_variant(text: str) -> tuple[str, FitConfig]:
    kinds = {f.name: f.type for f in fields(FitConfig)}
    changes = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in kinds:
            raise SystemExit(f"--also: unknown FitConfig setting {key!r}; known: {sorted(kinds)}")
        kind = kinds[key]
        changes[key] = value.strip() if kind in ("str", str) else (
            int(value) if kind in ("int", int) else float(value))
    return f"offerodds [{text}]", replace(FitConfig(), **changes)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="4 training sets per size (2 at 1,000, 1 at 5,000) and a 10,000-row "
                             "held-out set")
    parser.add_argument("--seeds", type=int, default=None,
                        help="training sets at every size (default: 20 up to 300, 10 at 1,000, "
                             "5 at 5,000)")
    parser.add_argument("--test-size", type=int, default=None, help="held-out rows (default 50,000)")
    parser.add_argument("--sizes", type=str, default=None, help="comma-separated training sizes")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--also", action="append", default=[], metavar="KEY=VALUE[,...]",
                        help="add an offerodds variant with these FitConfig settings")
    args = parser.parse_args(argv)

    table_of_seeds = QUICK_SEEDS if args.quick else SEEDS
    n_test = args.test_size or (10_000 if args.quick else 50_000)
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES
    variants = dict(parse_variant(v) for v in args.also)
    methods = list(BASE) + list(variants)

    jobs = [(n, r) for n in sorted(sizes, reverse=True)
            for r in range(args.seeds or table_of_seeds.get(n, 5))]
    start = time.perf_counter()
    with ProcessPoolExecutor(max(1, args.jobs), initializer=_load_test, initargs=(n_test,)) as pool:
        futures = [pool.submit(run_one, n, r, variants) for n, r in jobs]
        runs = [f.result() for f in futures]
    _load_test(n_test)
    best = evaluate(_TEST["y"], _TEST["p_true"])

    table = summarise(runs, methods)
    for t in table.values():
        t["best"] = best
    print(f"offerodds: fit_arrays with {FitConfig()}")
    print(render(table, methods, n_test))
    checks = targets(table)
    print("Targets")
    for name, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}: {detail}")
    print(f"\n{len(runs)} training sets in {time.perf_counter() - start:.0f} s")
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
