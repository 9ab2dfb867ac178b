"""Did a batch of interviews move away from the reference, beyond chance?

Two checks per signal and one for the scorer's predictions, each a test of a 2 x k table of
counts (batch and reference, by category), so its threshold accounts for both sample sizes:

- **recorded**: the share of interviews where the signal was recorded (Fisher's exact test);
- **values**: among those, the share of each value (Fisher's exact test for yes/no; for more
  categories the chi-square test, its p-value by Monte Carlo draws of tables with the same
  margins when an expected count is under 5, where the chi-square distribution is no guide:
  ``scipy.stats.chi2_contingency`` with a ``MonteCarloMethod``);
- **predictions**: the predicted probabilities, counted in the reference's tenths (deciles).

The p-values are adjusted together with Holm's step-down method, so the chance that any check
of an unchanged batch is flagged stays near ``alpha`` (1 % by default, ``[monitor] alpha``)
whatever the batch size; fixed bands on a stability index (PSI 0.1 / 0.25) flag most unchanged
batches of 50 interviews, and uncorrected tests flag one of the 59 checks of most unchanged
batches of any size (benchmarks/monitor_false_alarms.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from offerodds.monitoring.profile import Profile, categories
from offerodds.signals.catalogue import Signal, by_name, catalogue
from offerodds.config import MonitorConfig

__all__ = ["CHECK_COLUMNS", "compare", "holm", "prediction_edges", "table_test"]

CHECK_COLUMNS = (
    "signal", "check", "batch", "reference", "p", "p_adjusted", "moved", "test", "question",
    "batch_share", "reference_share",
)
MIN_EXPECTED = 5.0  # below this expected count the chi-square distribution is no guide
PREDICTIONS = "predictions"


def table_test(table: np.ndarray, rng: np.random.Generator, resamples: int) -> tuple[float, str]:
    """p-value of a 2 x k table of counts (rows: batch, reference) and the test's name.

    Categories nobody gave are dropped; with fewer than two left, or an empty row, there is
    nothing to compare (NaN). A Monte Carlo p-value first draws a tenth of ``resamples``
    tables; only where that p-value is under 5 % do ``resamples`` fresh tables decide it (a
    p-value found this way is still never too small: it is below any t < 5 % only if the
    fresh draws alone say so, and below any larger t only if the first draws do).
    """
    from scipy import stats

    table = np.asarray(table, dtype=np.int64)
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2 or (table.sum(axis=1) == 0).any():
        return float("nan"), "nothing to compare"
    if table.shape[1] == 2:
        return float(stats.fisher_exact(table).pvalue), "Fisher's exact test"
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    if expected.min() >= MIN_EXPECTED:
        return float(stats.chi2_contingency(table, correction=False).pvalue), "chi-square test"
    drawn = max(int(resamples) // 10, 99)
    p = _monte_carlo(table, rng, drawn)
    if p < 0.05:
        drawn = int(resamples)
        p = _monte_carlo(table, rng, drawn)
    return p, f"chi-square test, Monte Carlo p-value ({drawn:,} tables)"


def _monte_carlo(table: np.ndarray, rng: np.random.Generator, resamples: int) -> float:
    """The chi-square test's p-value from ``resamples`` random tables with the same margins."""
    from scipy import stats

    method = stats.MonteCarloMethod(n_resamples=resamples, rng=rng)
    return float(stats.chi2_contingency(table, correction=False, method=method).pvalue)


def holm(p) -> np.ndarray:
    """Holm's step-down adjustment of p-values (NaN stays NaN and is not counted).

    Rejecting every adjusted p-value under ``alpha`` keeps the chance of any false alarm at
    most ``alpha``, whatever the dependence between the tests.

    Examples
    --------
    >>> holm([0.01, 0.04, float("nan"), 0.03]).round(2).tolist()
    [0.03, 0.06, nan, 0.06]
    """
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    known = np.flatnonzero(np.isfinite(p))
    m = len(known)
    if m:
        order = known[np.argsort(p[known], kind="stable")]
        stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
        out[order] = np.minimum(stepped, 1.0)
    return out


def prediction_edges(reference: np.ndarray) -> np.ndarray:
    """Edges of the reference's tenths of predicted probability (ties merged)."""
    if reference.size == 0:
        return np.zeros(0)
    return np.unique(np.quantile(reference, np.linspace(0.1, 0.9, 9)))


def _pct(count: float, total: float) -> str:
    return f"{100 * count / total:.0f} %" if total else "-"


def _recorded_words(counts: np.ndarray) -> str:
    total, recorded = int(counts.sum()), int(counts[1:].sum())
    return f"recorded in {_pct(recorded, total)} ({recorded:,} of {total:,})"


def _headline(signal: Signal, batch: np.ndarray, reference: np.ndarray) -> int:
    """The category whose share moved most (yes for a yes/no signal)."""
    if signal.kind == "yesno":
        return 1
    shares = [c / c.sum() if c.sum() else np.zeros(len(c)) for c in (batch, reference)]
    return int(np.argmax(np.abs(shares[0] - shares[1])))


def _values_words(signal: Signal, counts: np.ndarray, k: int) -> str:
    total = int(counts.sum())
    if not total:
        return "never recorded"
    name = categories(signal)[k]
    what = f"rated {name}" if signal.kind == "scale" else name
    text = f"{what} in {_pct(counts[k], total)} ({int(counts[k]):,} of {total:,})"
    if signal.kind == "scale":
        mean = float((np.arange(1, 6) * counts).sum() / total)
        text = f"mean {mean:.1f}; {text}"
    return text


def _prediction_words(p: np.ndarray) -> str:
    if p.size == 0:
        return "-"
    low, mid, high = np.quantile(p, [0.1, 0.5, 0.9])
    return f"median {mid:.2f} (80 % between {low:.2f} and {high:.2f})"


def _signal_checks(signal: Signal, batch: Profile, reference: Profile, rng, resamples: int) -> list[dict]:
    b, r = batch.counts[signal.name], reference.counts[signal.name]
    recorded = np.array([[b[1:].sum(), b[0]], [r[1:].sum(), r[0]]])
    p, test = table_test(recorded, rng, resamples)
    rows = [
        {
            "signal": signal.name, "check": "recorded", "p": p, "test": test,
            "batch": _recorded_words(b), "reference": _recorded_words(r),
            "batch_share": b[1:].sum() / b.sum() if b.sum() else np.nan,
            "reference_share": r[1:].sum() / r.sum() if r.sum() else np.nan,
        }
    ]
    values_b, values_r = b[1:], r[1:]
    p, test = table_test(np.vstack([values_b, values_r]), rng, resamples)
    k = _headline(signal, values_b, values_r)
    rows.append(
        {
            "signal": signal.name, "check": "values", "p": p, "test": test,
            "batch": _values_words(signal, values_b, k), "reference": _values_words(signal, values_r, k),
            "batch_share": values_b[k] / values_b.sum() if values_b.sum() else np.nan,
            "reference_share": values_r[k] / values_r.sum() if values_r.sum() else np.nan,
        }
    )
    return rows


def compare(
    reference: Profile,
    batch: Profile,
    *,
    alpha: float = MonitorConfig.alpha,
    resamples: int = MonitorConfig.resamples,
    seed: int = MonitorConfig.random_state,
) -> pd.DataFrame:
    """Every check of ``batch`` against ``reference``, those that moved first.

    Parameters
    ----------
    reference, batch : Profile
    alpha : float
        The family-wise false-alarm rate: the chance that an unchanged batch has any check
        flagged.
    resamples : int
        Monte Carlo tables for a chi-square p-value where expected counts are small.
    seed : int
        Seeds those draws: the same batch always gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per check (``CHECK_COLUMNS``): the signal (or ``predictions``), the check,
        the batch and the reference in words, the raw and Holm-adjusted p-values, ``moved``
        (adjusted p under ``alpha``), the test used, the signal's question from the
        catalogue, and the headline share of batch and reference. Sorted by adjusted p.
    """
    rng = np.random.default_rng(seed)
    rows = []
    for signal in catalogue():
        rows += _signal_checks(signal, batch, reference, rng, resamples)
    edges = prediction_edges(reference.probabilities)
    bins = len(edges) + 1
    table = np.vstack(
        [np.bincount(np.searchsorted(edges, prof.probabilities, side="right"), minlength=bins)
         for prof in (batch, reference)]
    )
    p, test = table_test(table, rng, resamples)
    rows.append(
        {
            "signal": PREDICTIONS, "check": "distribution", "p": p, "test": test,
            "batch": _prediction_words(batch.probabilities),
            "reference": _prediction_words(reference.probabilities),
            "batch_share": float(np.median(batch.probabilities)) if batch.rows else np.nan,
            "reference_share": float(np.median(reference.probabilities)) if reference.rows else np.nan,
        }
    )
    checks = pd.DataFrame(rows)
    checks["p_adjusted"] = holm(checks["p"].to_numpy())
    checks["moved"] = (checks["p_adjusted"] < alpha).to_numpy(dtype=bool)
    questions = {s.name: s.question for s in by_name().values()}
    questions[PREDICTIONS] = "What probability of an offer did the scorer give?"
    checks["question"] = checks["signal"].map(questions)
    checks = checks.sort_values(["p_adjusted", "p"], kind="stable", na_position="last")
    return checks[list(CHECK_COLUMNS)].reset_index(drop=True)
