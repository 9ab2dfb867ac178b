"""The workspace layout, defined once (DESIGN.md, "Workspace and model versions").

``--workspace DIR``, else ``$OFFERODDS_WORKSPACE``, else the current directory. Nothing else in
offerodds builds workspace paths by hand. Creating a :class:`Workspace` does no I/O.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "OFFERODDS_WORKSPACE"
CHAMPION_ALIAS = "champion"

__all__ = ["CHAMPION_ALIAS", "ENV_VAR", "Workspace"]


@dataclass(frozen=True)
class Workspace:
    """Where a user's models, outcome store and MLflow data live."""

    root: Path

    @classmethod
    def resolve(cls, path: str | os.PathLike | None = None) -> "Workspace":
        """The workspace named by ``path``, else ``$OFFERODDS_WORKSPACE``, else the cwd."""
        chosen = path if path is not None else os.environ.get(ENV_VAR) or "."
        return cls(Path(chosen).expanduser().resolve())

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    def version_dir(self, version: str) -> Path:
        return self.models_dir / version

    @property
    def champion_pointer(self) -> Path:
        return self.models_dir / "champion.json"

    @property
    def history_file(self) -> Path:
        """Every change of champion, one JSON line each."""
        return self.models_dir / "history.jsonl"

    @property
    def registry_file(self) -> Path:
        """Which registry version mirrors each local version, and the registry's model name."""
        return self.models_dir / "registry.json"

    @property
    def lock_file(self) -> Path:
        return self.models_dir / ".retrain.lock"

    @property
    def labelled_dir(self) -> Path:
        return self.root / "data" / "labelled"

    @property
    def outcome_store(self) -> Path:
        return self.labelled_dir / "outcomes.parquet"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    def retrain_report_dir(self, stamp: str) -> Path:
        """The folder of one retrain's HTML report and figures."""
        return self.reports_dir / f"retrain-{stamp}"

    @property
    def retrain_rejects(self) -> Path:
        """The problems of the labelled rows the last retrain rejected."""
        return self.reports_dir / "retrain.rejects.csv"

    @property
    def tracker(self) -> Path:
        """The interview file ``offerodds ask`` appends to unless told another."""
        return self.root / "interviews.csv"

    @property
    def calibration_log(self) -> Path:
        """Every retrain's prospective check, as aggregates: one JSON line per retrain."""
        return self.reports_dir / "calibration.jsonl"

    @property
    def mlflow_db(self) -> Path:
        return self.root / "mlflow.db"

    @property
    def mlflow_artifacts(self) -> Path:
        return self.root / "mlartifacts"

    @property
    def default_tracking_uri(self) -> str:
        """The workspace's own MLflow database."""
        return f"sqlite:///{self.mlflow_db}"

    @property
    def tracking_uri(self) -> str:
        """``$MLFLOW_TRACKING_URI`` when set, else the workspace's SQLite file."""
        return os.environ.get("MLFLOW_TRACKING_URI") or self.default_tracking_uri

    @property
    def tracking_in_use(self) -> bool:
        """Whether there is MLflow data to mirror: the workspace's database exists, or the
        user named a tracking store."""
        return self.mlflow_db.exists() or self.tracking_uri != self.default_tracking_uri
