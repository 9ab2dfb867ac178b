"""What makes an MLflow run and a registered version auditable by a team: a name that says what
the retrain did, the offerodds version, the settings, a digest of the outcomes learned from (an
MLflow dataset input without rows), the weights as a table, descriptions on the registered model
and its versions, and pinned requirements. Aggregates only, never an interview.

MLflow itself is imported only inside the functions that log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from importlib import metadata

import numpy as np
import pandas as pd

__all__ = [
    "MODEL_DESCRIPTION",
    "log_outcomes",
    "log_settings",
    "log_weights",
    "outcomes_digest",
    "package_version",
    "pinned_requirements",
    "retrain_note",
    "run_name",
    "version_description",
    "weights_table",
]

MODEL_DESCRIPTION = (
    "offerodds: the probability that a job interview ends in an offer, from the signals observed "
    "in it, with each signal's exact contribution, the reasons in words and the next step. Each "
    "version is a model promoted by `offerodds retrain` (or registered by `offerodds sync`): it "
    "learned from the workspace's labelled outcomes, with the article's rule card as its prior, and "
    "was judged out of sample against the rule card before it served. The alias 'champion' mirrors "
    "the workspace's local champion pointer (models/champion.json), which is the source of truth."
)

_REQUIREMENTS = ("offerodds", "mlflow", "pandas", "numpy", "scipy", "scikit-learn", "pyarrow")


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def package_version() -> str:
    """The installed offerodds' version (``unknown`` when it runs from a source tree)."""
    return _installed("offerodds") or "unknown"


def pinned_requirements() -> list[str]:
    """``name==version`` of what the logged model needs, as installed now: MLflow as the full
    distribution when installed, else ``mlflow-skinny`` (offerodds' base install)."""
    pinned = []
    for name in _REQUIREMENTS:
        if name == "mlflow" and _installed("mlflow") is None:
            name = "mlflow-skinny"
        version = _installed(name)
        pinned.append(f"{name}=={version}" if version else name)
    return pinned


def outcomes_digest(typed: pd.DataFrame, y: np.ndarray) -> str:
    """SHA-256 of the outcomes learned from: their signal values and labels, row by row in the
    outcome store's order (pandas' row hash, stable across machines), so two runs with the same
    digest learned from the same outcomes."""
    frame = typed.reset_index(drop=True).assign(__outcome__=np.asarray(y, dtype=float))
    rows = pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype="<u8")
    header = json.dumps([str(c) for c in frame.columns]).encode("utf-8")
    return hashlib.sha256(header + rows.tobytes()).hexdigest()


def run_name(report, when: dt.date | None = None) -> str:
    """What the retrain did, in the run's name: ``retrain 2026-03-10: v4 promoted``."""
    day = (when or dt.date.today()).isoformat()
    decision = str(report.decision)
    if report.promoted and report.version:
        rest = decision.split(report.version, 1)[1].strip() if report.version in decision else ""
        return f"retrain {day}: {report.version} promoted" + (f" {rest}" if rest else "")
    return f"retrain {day}: {decision}"


def retrain_note(report) -> str:
    """The run's description (MLflow shows the ``mlflow.note.content`` tag as one)."""
    counts = report.label_counts or {}
    lines = [
        f"offerodds {package_version()} retrain: {report.decision}.",
        f"Learned from {counts.get('offer', 0):,} offers and {counts.get('no_offer', 0):,} no-offers "
        f"(outcome store: {report.store_rows_before:,} -> {report.store_rows_after:,} interviews; "
        f"{report.rows_read:,} labelled rows read, {report.rows_rejected:,} rejected).",
        "",
        "Why:",
        *[f"- {reason}" for reason in report.reasons],
    ]
    if report.disagreements:
        lines += ["", "Where the outcomes disagree with the article:", *[f"- {d}" for d in report.disagreements]]
    return "\n".join(lines)


def _plain(value):
    """Settings as JSON can hold them (paths and other objects as text)."""
    return json.loads(json.dumps(value, default=str))


def log_settings(mlflow, config) -> None:
    """The retrain's settings, whole, as ``settings/retrain.json``."""
    settings = dataclasses.asdict(config) if dataclasses.is_dataclass(config) else dict(vars(config))
    mlflow.log_dict(_plain(settings), "settings/retrain.json")


def log_outcomes(mlflow, typed_columns: list[str], digest: str, counts: dict) -> None:
    """The outcomes learned from as an MLflow dataset input: their digest, columns and counts,
    no rows (MLflow's ``MetaDataset``)."""
    from mlflow.data.code_dataset_source import CodeDatasetSource
    from mlflow.data.meta_dataset import MetaDataset
    from mlflow.types import ColSpec, DataType, Schema

    source = CodeDatasetSource(
        {"what": "the workspace's outcome store, trainable rows", "where": "data/labelled/outcomes.parquet"}
    )
    schema = Schema([ColSpec(DataType.string, str(c)) for c in [*typed_columns, "outcome"]])
    dataset = MetaDataset(source, name="outcomes learned from", digest=digest[:32], schema=schema)
    tags = {
        "offers": str(counts.get("offer", 0)),
        "no_offers": str(counts.get("no_offer", 0)),
        "sha256": digest,
    }
    mlflow.log_input(dataset, context="training", tags=tags)


def weights_table(scorer) -> pd.DataFrame:
    """One row per feature: the signal that owns it, the learned weight, the rule card's, and
    the posterior sd where the model has one; the intercept first. Log-odds units."""
    from offerodds.scoring.rulecard import rules

    card = rules()
    names = ["(intercept)", *scorer.feature_names]
    owners = ["(baseline)", *[str(o) for o in scorer.feature_owner]]
    learned = np.r_[scorer.intercept, scorer.coef]
    prior = np.r_[card.intercept, card.coef] if list(card.feature_names) == list(scorer.feature_names) else None
    sd = None
    n = len(scorer.feature_names)
    if scorer.covariance is not None and scorer.covariance.shape[0] >= n + 1:
        # the covariance covers (coef, any pair or shape terms, intercept): the intercept is last
        diag = np.sqrt(np.clip(np.diag(scorer.covariance), 0.0, None))
        sd = np.r_[diag[-1], diag[:n]]
    return pd.DataFrame(
        {
            "feature": names,
            "signal": owners,
            "learned_log_odds": learned,
            "rule_card_log_odds": prior if prior is not None else np.full(len(names), np.nan),
            "posterior_sd": sd if sd is not None else np.full(len(names), np.nan),
        }
    )


def log_weights(mlflow, scorer) -> None:
    """The weights as a table artifact (``weights.json``, shown by MLflow's UI) and as CSV."""
    table = weights_table(scorer)
    mlflow.log_table(table, artifact_file="weights.json")
    mlflow.log_text(table.to_csv(index=False), "weights.csv")


def version_description(scorer, local: str, how: str, extra: str = "") -> str:
    """A registered version's description: the local version, how it came, what it learned from."""
    info = scorer.fit_summary
    parts = [f"offerodds model {local} ({how}, offerodds {package_version()})."]
    if info is not None:
        learned = f"Learned from {info.n_offers:,} offers and {info.n_no_offers:,} no-offers"
        if info.trained_through:
            learned += f" labelled through {info.trained_through[:10]}"
        parts.append(learned + (f"; calibration: {info.calibration}." if info.calibration else "."))
    if extra:
        parts.append(extra)
    return " ".join(parts)
