"""A full-Bayes (NUTS) reference for offerodds' fast fit, on the same model and prior.

The package's learned model (``offerodds.training.fit.fit_arrays``) is a Bayesian logistic
regression around the rule card, fitted with Laplace approximations and averaged over grids of
its prior widths by their evidence. This script fits the SAME model with the SAME prior by
NUTS (NumPyro) and measures what the fast approximations cost, on two synthetic worlds of
``benchmarks/worlds.py`` ("reversed4", "card_half") at 50 and 200 training outcomes, three
training sets each: 12 NUTS fits.

The model, for features ``X = SignalFeatures().fit(typed).transform(typed)`` and the rule card's
log-odds ``c = X @ w0 + b0`` (``cbar``: their mean over the training rows)::

    f(x) = cbar + l + s * (c(x) - cbar) + x @ d

    s ~ N(1, sigma_s**2)    l ~ N(0, sigma_l**2)    d_j ~ N(0, 1 / (alpha * r_j**2))
    log10(alpha) ~ U(1, 4)
    log(sigma_s) ~ U(log 0.05, log 1.0)    log(sigma_l) ~ U(log 0.05, log 0.75)

``r_j`` is the root mean square of feature j's nonzero training values, clipped to [0.05, 1]
(1 for an all-zero column). The served, linear form is ``coef = d + s * w0`` and
``intercept = l + s * b0 + (1 - s) * cbar``.

Training sets and the held-out set are drawn exactly as ``benchmarks/learning_curve.py`` draws
them, so the two benchmarks are paired; the first ``HELD_OUT_ROWS`` held-out rows are scored.

Two steps, in two environments (NumPyro and JAX are NOT dependencies of offerodds and this
never runs in CI)::

    # 1. the NUTS fits (about 5 minutes on 2 cores, 20 s a fit): writes
    #    benchmarks/results/bayes_reference.csv  one row per training set
    #    benchmarks/results/bayes_reference.npz  posterior-mean probabilities of the held-out
    #                                            rows and posterior-mean coef/intercept per fit
    .bayes-venv/bin/python benchmarks/bayes_reference.py

    # 2. the comparison with the fast fit, with the package only (no NumPyro): reads the saved
    #    NUTS results, refits the fast model on the same training sets and prints the table
    python benchmarks/bayes_reference.py --compare

The NUTS environment is a separate virtual environment::

    python3.11 -m venv .bayes-venv
    .bayes-venv/bin/pip install numpyro jax jaxlib pandas scipy scikit-learn
    .bayes-venv/bin/pip install -e .
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

# One BLAS thread, single-threaded XLA kernels and no MLflow telemetry: the machine has 2 cores
# shared with other jobs, and these fits are small enough that threads only add contention.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false")

import numpy as np
from scipy.special import expit

BENCHMARKS = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCHMARKS))

import worlds

import offerodds

WORLDS = ("reversed4", "card_half")
SIZES = (50, 200)
REPLICATES = 3
#: The held-out set is drawn at the learning curve's size (the draw depends on it); only its
#: first rows are scored, which keeps the saved probabilities small.
HELD_OUT_DRAW, HELD_OUT_ROWS = 50_000, 10_000
CHAINS, WARMUP, SAMPLES = 4, 1000, 1000
Z90 = 1.6448536269514722  # the 95th percentile of N(0, 1): a central 90 % interval

# The hyperpriors' ranges: those of the fast fit's grids (training/card_prior.py: ALPHAS, and
# sd_grid up to FitConfig's scale_prior_sd and level_prior_sd); log-uniform, which is what
# uniform weights over those log-spaced grids amount to.
# Read from the package, so the reference follows its defaults.
from offerodds.training.card_prior import ALPHAS, NARROWEST_SD  # noqa: E402
from offerodds.config import FitConfig  # noqa: E402

ALPHA_LOG10 = (float(np.log10(ALPHAS.min())), float(np.log10(ALPHAS.max())))
SIGMA_S = (NARROWEST_SD, FitConfig().scale_prior_sd)
SIGMA_L = (NARROWEST_SD, FitConfig().level_prior_sd)

RESULTS = BENCHMARKS / "results"
CSV_PATH = RESULTS / "bayes_reference.csv"
NPZ_PATH = RESULTS / "bayes_reference.npz"
CSV_FIELDS = ("world", "n", "replicate", "seed", "offers", "nuts_mse_x1e3", "nuts_plugin_mse_x1e3",
              "coverage90", "width90", "rhat_max", "ess_min", "divergences", "seconds",
              "s_mean", "l_mean", "log10_alpha_mean")


def _seed_int(world_index: int, n: int, replicate: int, stream: int) -> int:
    """The learning curve's seeds (stream 1: training sets, stream 0: the held-out set)."""
    sequence = np.random.SeedSequence([20260, world_index, n, replicate, stream])
    return int(sequence.generate_state(1)[0])


def _key(name: str, n: int, replicate: int) -> str:
    return f"{name}/n{n}/r{replicate}"


def feature_scales(X: np.ndarray) -> np.ndarray:
    """``r_j``: root mean square of column j's nonzero values, clipped to [0.05, 1]; 1 if none."""
    nonzero = (X != 0).sum(axis=0)
    rms = np.sqrt((X**2).sum(axis=0) / np.maximum(nonzero, 1))
    return np.where(nonzero > 0, np.clip(rms, 0.05, 1.0), 1.0)


class Problem:
    """One training set of one world, its features, and the scored held-out rows."""

    def __init__(self, name: str, n: int, replicate: int):
        all_worlds = worlds.worlds()
        world = all_worlds[name]
        index = list(all_worlds).index(name)
        self.name, self.n, self.replicate = name, n, replicate
        self.seed = _seed_int(index, n, replicate, 1)
        self.typed, self.groups, _, self.y = world.draw(n, self.seed)
        features = offerodds.SignalFeatures().fit(self.typed)
        self.X = features.transform(self.typed)
        test_typed, _, p_true, _ = world.draw(HELD_OUT_DRAW, _seed_int(index, 0, 0, 0))
        test_typed = test_typed.iloc[:HELD_OUT_ROWS]
        self.X_test = features.transform(test_typed)
        self.p_true = p_true[:HELD_OUT_ROWS]
        card = offerodds.rules()
        self.w0, self.b0 = np.asarray(card.coef, float), float(card.intercept)
        self.c = self.X @ self.w0 + self.b0
        self.cbar = float(self.c.mean())
        self.c_test = self.X_test @ self.w0 + self.b0


# ------------------------------------------------------------------------------------------------
# Step 1: NUTS (NumPyro; imported here only, so --compare runs without it)


def _nuts_model(X, c, cbar, r, y=None):
    import jax.numpy as jnp
    import numpyro
    import numpyro.distributions as dist

    log10_alpha = numpyro.sample("log10_alpha", dist.Uniform(*ALPHA_LOG10))
    log_sigma_s = numpyro.sample("log_sigma_s", dist.Uniform(*np.log(SIGMA_S)))
    log_sigma_l = numpyro.sample("log_sigma_l", dist.Uniform(*np.log(SIGMA_L)))
    # Non-centred: the standardised departures and deviations are sampled, then scaled by the
    # hyperparameters. The centred form is a funnel (d's scale is set by alpha) on which NUTS
    # diverges when the data say little, as at 50 outcomes and 76 features.
    z_s = numpyro.sample("z_s", dist.Normal(0.0, 1.0))
    z_l = numpyro.sample("z_l", dist.Normal(0.0, 1.0))
    z_d = numpyro.sample("z_d", dist.Normal(0.0, 1.0).expand([X.shape[1]]).to_event(1))
    s = 1.0 + jnp.exp(log_sigma_s) * z_s
    l = jnp.exp(log_sigma_l) * z_l
    d = z_d / (jnp.sqrt(10.0**log10_alpha) * r)
    numpyro.sample("y", dist.Bernoulli(logits=cbar + l + s * (c - cbar) + X @ d), obs=y)


def _draws(samples: dict, r: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The posterior draws of s, l and d (chains pooled) from the sampled coordinates."""
    s = 1.0 + np.exp(samples["log_sigma_s"]) * samples["z_s"]
    l = np.exp(samples["log_sigma_l"]) * samples["z_l"]
    d = samples["z_d"] / (np.sqrt(10.0 ** samples["log10_alpha"])[:, None] * r)
    return s, l, d


def _held_out_probabilities(problem: Problem, s, l, d, rows_per_chunk: int = 1_000):
    """Posterior mean and 5th/95th percentiles of expit(f(x)) for each held-out row, computed in
    chunks of rows so the (draws x rows) matrix stays small."""
    mean, lo, hi = (np.empty(HELD_OUT_ROWS) for _ in range(3))
    for start in range(0, HELD_OUT_ROWS, rows_per_chunk):
        rows = slice(start, start + rows_per_chunk)
        f = (problem.cbar + l[:, None] + s[:, None] * (problem.c_test[rows] - problem.cbar)
             + d @ problem.X_test[rows].T)
        p = expit(f)
        mean[rows] = p.mean(axis=0)
        lo[rows], hi[rows] = np.percentile(p, [5.0, 95.0], axis=0)
    return mean, lo, hi


def fit_nuts(problem: Problem) -> tuple[dict, dict]:
    """One NUTS fit: the CSV row and the arrays saved for --compare."""
    import jax
    from numpyro.diagnostics import effective_sample_size, split_gelman_rubin
    from numpyro.infer import MCMC, NUTS

    r = feature_scales(problem.X)
    mcmc = MCMC(NUTS(_nuts_model), num_warmup=WARMUP, num_samples=SAMPLES, num_chains=CHAINS,
                chain_method="sequential", progress_bar=False)
    start = time.perf_counter()
    mcmc.run(jax.random.PRNGKey(problem.seed), problem.X, problem.c, problem.cbar, r,
             y=problem.y.astype(float), extra_fields=("diverging",))
    by_chain = {k: np.asarray(v) for k, v in mcmc.get_samples(group_by_chain=True).items()}
    seconds = time.perf_counter() - start

    rhat = max(float(np.max(split_gelman_rubin(v))) for v in by_chain.values())
    ess = min(float(np.min(effective_sample_size(v))) for v in by_chain.values())
    divergences = int(np.asarray(mcmc.get_extra_fields()["diverging"]).sum())
    pooled = {k: v.reshape((-1,) + v.shape[2:]) for k, v in by_chain.items()}
    s, l, d = _draws(pooled, r)

    mean, lo, hi = _held_out_probabilities(problem, s, l, d)
    coef = (d + s[:, None] * problem.w0).mean(axis=0)
    intercept = float((l + s * problem.b0 + (1.0 - s) * problem.cbar).mean())
    plugin = expit(problem.X_test @ coef + intercept)
    inside = (problem.p_true >= lo) & (problem.p_true <= hi)
    row = {
        "world": problem.name, "n": problem.n, "replicate": problem.replicate,
        "seed": problem.seed, "offers": int(problem.y.sum()),
        "nuts_mse_x1e3": round(1e3 * float(np.mean((mean - problem.p_true) ** 2)), 4),
        "nuts_plugin_mse_x1e3": round(1e3 * float(np.mean((plugin - problem.p_true) ** 2)), 4),
        "coverage90": round(float(inside.mean()), 4), "width90": round(float(np.mean(hi - lo)), 4),
        "rhat_max": round(rhat, 4), "ess_min": round(ess, 1), "divergences": divergences,
        "seconds": round(seconds, 1), "s_mean": round(float(s.mean()), 4),
        "l_mean": round(float(l.mean()), 4),
        "log10_alpha_mean": round(float(pooled["log10_alpha"].mean()), 4),
    }
    key = _key(problem.name, problem.n, problem.replicate)
    arrays = {f"{key}/prob": mean.astype(np.float32), f"{key}/coef": coef,
              f"{key}/intercept": np.float64(intercept)}
    return row, arrays


def run_nuts() -> None:
    import numpyro

    # One device, chains one after another: the other core belongs to another job. Double
    # precision, since this is the reference the approximations are judged against.
    numpyro.set_host_device_count(1)
    numpyro.enable_x64()
    RESULTS.mkdir(exist_ok=True)
    rows, arrays = [], {}
    for name in WORLDS:
        for n in SIZES:
            for replicate in range(REPLICATES):
                row, saved = fit_nuts(Problem(name, n, replicate))
                rows.append(row)
                arrays.update(saved)
                print(", ".join(f"{k} {v}" for k, v in row.items()), flush=True)
                # Saved after every fit, so an interrupted run keeps what it finished.
                _save(rows, arrays)
    print(f"wrote {CSV_PATH} and {NPZ_PATH}")


def _save(rows: list[dict], arrays: dict) -> None:
    with CSV_PATH.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    np.savez_compressed(NPZ_PATH, **arrays)


# ------------------------------------------------------------------------------------------------
# Step 2: the fast fit on the same training sets, against the saved NUTS results


def _fast_fit(problem: Problem) -> dict | str:
    """The fast fit's held-out probabilities, 90 % intervals and weights, or why it refused."""
    from offerodds.training.fit import FitError, fit_arrays

    try:
        model = fit_arrays(problem.typed, problem.y, problem.groups)
    except FitError as error:
        return f"refused: {error}"
    coef, intercept = np.asarray(model.coef, float), float(model.intercept)
    z = problem.X_test @ coef + intercept
    X1 = np.column_stack([problem.X_test, np.ones(len(problem.X_test))])
    sd = np.sqrt(np.einsum("ij,jk,ik->i", X1, np.asarray(model.covariance, float), X1))
    return {"prob": expit(z), "lo": expit(z - Z90 * sd), "hi": expit(z + Z90 * sd),
            "coef": coef, "intercept": intercept,
            "s": model.fit_summary.card_scale, "l": model.fit_summary.level_shift}


def _table(header: list[str], lines: list[list[str]]) -> str:
    """A Markdown table, readable in the terminal and pasted as is into docs/."""
    widths = [max([len(h)] + [len(line[i]) for line in lines]) for i, h in enumerate(header)]
    def fmt(cells):
        return "| " + " | ".join(c.rjust(w) for c, w in zip(cells, widths)) + " |"
    return "\n".join([fmt(header), "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"]
                     + [fmt(line) for line in lines])


def compare() -> None:
    if not CSV_PATH.exists() or not NPZ_PATH.exists():
        sys.exit(f"no NUTS results: run `.bayes-venv/bin/python {Path(__file__).name}` first")
    with CSV_PATH.open(newline="") as handle:
        nuts_rows = list(csv.DictReader(handle))
    saved = np.load(NPZ_PATH)
    per_set, refused = [], []
    for nuts in nuts_rows:
        problem = Problem(nuts["world"], int(nuts["n"]), int(nuts["replicate"]))
        key = _key(problem.name, problem.n, problem.replicate)
        nuts_prob = saved[f"{key}/prob"].astype(float)
        nuts_mse = float(np.mean((nuts_prob - problem.p_true) ** 2))
        # The held-out rows are redrawn here from worlds.py: had it changed since the NUTS run,
        # the pairing would be silently wrong, so the recomputed NUTS MSE must match the CSV's.
        if not np.isclose(1e3 * nuts_mse, float(nuts["nuts_mse_x1e3"]), rtol=1e-3, atol=1e-3):
            sys.exit(f"{key}: the held-out rows differ from the NUTS run's (worlds.py changed?)")
        fast = _fast_fit(problem)
        if isinstance(fast, str):
            refused.append(f"{key}: {fast}")
            continue
        card_prob = expit(problem.c_test)
        # The fast fit serves a plug-in probability (expit of the posterior-mean log-odds), so
        # it is also compared with NUTS's plug-in, apart from NUTS's mean probability.
        nuts_plugin = expit(problem.X_test @ saved[f"{key}/coef"] + saved[f"{key}/intercept"])
        fast_inside = (problem.p_true >= fast["lo"]) & (problem.p_true <= fast["hi"])
        fast_mse = float(np.mean((fast["prob"] - problem.p_true) ** 2))
        per_set.append({
            "world": problem.name, "n": problem.n, "replicate": problem.replicate,
            "offers": int(nuts["offers"]),
            "card_mse": 1e3 * float(np.mean((card_prob - problem.p_true) ** 2)),
            "nuts_mse": 1e3 * nuts_mse, "nuts_plugin_mse": float(nuts["nuts_plugin_mse_x1e3"]),
            "fast_mse": 1e3 * fast_mse, "ratio": fast_mse / nuts_mse,
            "abs_diff": float(np.mean(np.abs(fast["prob"] - nuts_prob))),
            "abs_diff_plugin": float(np.mean(np.abs(fast["prob"] - nuts_plugin))),
            "nuts_cov": float(nuts["coverage90"]), "nuts_width": float(nuts["width90"]),
            "fast_cov": float(fast_inside.mean()),
            "fast_width": float(np.mean(fast["hi"] - fast["lo"])),
            "coef_diff": float(np.max(np.abs(fast["coef"] - saved[f"{key}/coef"]))),
            "intercept_diff": abs(fast["intercept"] - float(saved[f"{key}/intercept"])),
            "nuts_s": float(nuts["s_mean"]), "fast_s": fast["s"],
            "nuts_l": float(nuts["l_mean"]), "fast_l": fast["l"],
            "rhat": float(nuts["rhat_max"]), "divergences": int(nuts["divergences"]),
        })

    print(f"Per training set: MSE x1e3 of the probability against the true one on the first "
          f"{HELD_OUT_ROWS:,} held-out rows;\nNUTS: posterior-mean probability, NUTS plug-in: "
          "expit of the posterior-mean log-odds; dp: fast minus NUTS (or its plug-in)\n"
          "per row; dcoef, dintercept: fast minus NUTS posterior means; s, l: posterior means.\n")
    print(_table(
        ["world", "n", "set", "offers", "NUTS MSE", "NUTS plug-in MSE", "fast MSE", "fast/NUTS",
         "mean abs dp", "abs dp vs plug-in", "max abs dcoef", "abs dintercept", "s NUTS", "s fast",
         "l NUTS", "l fast", "R-hat max", "divergences"],
        [[m["world"], str(m["n"]), str(m["replicate"]), str(m["offers"]), f"{m['nuts_mse']:.2f}",
          f"{m['nuts_plugin_mse']:.2f}", f"{m['fast_mse']:.2f}", f"{m['ratio']:.3f}",
          f"{m['abs_diff']:.4f}", f"{m['abs_diff_plugin']:.4f}", f"{m['coef_diff']:.3f}",
          f"{m['intercept_diff']:.3f}", f"{m['nuts_s']:.3f}", f"{m['fast_s']:.3f}",
          f"{m['nuts_l']:+.3f}", f"{m['fast_l']:+.3f}", f"{m['rhat']:.3f}", str(m["divergences"])]
         for m in per_set]))

    print("\nPer world and size: means over the training sets (fast/NUTS: the mean of the paired "
          "ratios),\nexcept max abs dcoef, the largest over the sets and coefficients; card MSE: "
          "the rule card as shipped.\n")
    lines = []
    for name in dict.fromkeys(m["world"] for m in per_set):
        for n in sorted({m["n"] for m in per_set if m["world"] == name}):
            group = [m for m in per_set if m["world"] == name and m["n"] == n]
            mean = {k: float(np.mean([m[k] for m in group]))
                    for k in ("card_mse", "nuts_mse", "nuts_plugin_mse", "fast_mse", "ratio",
                              "abs_diff", "abs_diff_plugin", "nuts_cov", "nuts_width", "fast_cov",
                              "fast_width")}
            lines.append([name, str(n), str(len(group)), f"{mean['card_mse']:.2f}",
                          f"{mean['nuts_mse']:.2f}", f"{mean['nuts_plugin_mse']:.2f}",
                          f"{mean['fast_mse']:.2f}", f"{mean['ratio']:.3f}",
                          f"{mean['abs_diff']:.4f}", f"{mean['abs_diff_plugin']:.4f}",
                          f"{mean['nuts_cov']:.3f}", f"{mean['nuts_width']:.3f}",
                          f"{mean['fast_cov']:.3f}", f"{mean['fast_width']:.3f}",
                          f"{max(m['coef_diff'] for m in group):.3f}"])
    print(_table(["world", "n", "sets", "card MSE", "NUTS MSE", "NUTS plug-in MSE", "fast MSE",
                  "fast/NUTS", "mean abs dp", "abs dp vs plug-in", "NUTS cov90", "NUTS width",
                  "fast cov90", "fast width", "max abs dcoef"], lines))
    for line in refused:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", action="store_true",
                        help="compare the saved NUTS results with the fast fit (package only)")
    if parser.parse_args().compare:
        compare()
    else:
        run_nuts()


if __name__ == "__main__":
    main()
