"""The calibration log: every retrain's prospective check (how the scorer in use predicted the
outcomes labelled at that retrain, before it saw them), kept as aggregates only.

One JSON object per line in ``reports/calibration.jsonl`` (:attr:`Workspace.calibration_log`):
counts, sums and binned sums from :func:`offerodds.training.gate.prospective_sums`, never an
interview. The file is rewritten whole and atomically for each new line, so a reader never sees
half a line; a damaged line (edited by hand, say) is skipped with a warning naming it.
"""

from __future__ import annotations

import json

from offerodds.errors import warn
from offerodds.files.atomic import AtomicFile
from offerodds.files.workspace import Workspace

__all__ = ["CalibrationLog"]


class CalibrationLog:
    """The workspace's prospective checks, oldest first."""

    def __init__(self, workspace: Workspace):
        self.path = workspace.calibration_log

    def append(self, record: dict) -> None:
        """Add one retrain's record (a dict of aggregates). Call under the retrain lock."""
        before = self.path.read_text(encoding="utf-8") if self.path.exists() else ""
        if before and not before.endswith("\n"):
            before += "\n"
        with AtomicFile(self.path, suffix=".jsonl", durable=True) as tmp:
            tmp.write_text(before + json.dumps(record, sort_keys=True) + "\n", encoding="utf-8")

    def read(self) -> list[dict]:
        """Every record, oldest first (none when no retrain has checked new outcomes yet)."""
        if not self.path.exists():
            return []
        records = []
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or int(record["n"]) < 1:
                    raise ValueError("not a record")
            except (ValueError, KeyError, TypeError):
                warn(f"{self.path}, line {number}: not a calibration record; skipped")
                continue
            records.append(record)
        return records
