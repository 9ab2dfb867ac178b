"""Labelled interviews, read and validated for training (signals, outcome, application)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from offerodds.errors import InputError, warn
from offerodds.files.csvfiles import notice_lines
from offerodds.files.reading import iter_validated, open_table
from offerodds.signals.labels import normalise_outcomes, outcome_problems, training_target
from offerodds.signals.validation import PROBLEM_COLUMNS

__all__ = ["Labelled", "Stacked", "read_labelled"]


@dataclass
class Labelled:
    """Validated labelled rows: the raw rows, typed signals, canonical outcomes, problems."""

    raw: pd.DataFrame
    typed: pd.DataFrame
    outcome: pd.Series
    groups: np.ndarray | None
    problems: pd.DataFrame
    valid: np.ndarray
    colmap: dict[str, str] = field(default_factory=dict)

    @property
    def y(self) -> np.ndarray:
        return training_target(self.outcome)

    def trainable(self) -> "Labelled":
        """Only the valid rows labelled offer or no_offer."""
        keep = self.valid & np.isfinite(self.y)
        return Labelled(
            self.raw[keep].reset_index(drop=True),
            self.typed[keep].reset_index(drop=True),
            self.outcome[keep].reset_index(drop=True),
            None if self.groups is None else self.groups[keep],
            self.problems.iloc[0:0],
            np.ones(int(keep.sum()), dtype=bool),
            self.colmap,
        )


class Stacked:
    """A validated signal frame of ``n`` rows written a block of rows at a time (``put``) into
    its final arrays: ``frame()`` is what ``pd.concat`` of the blocks gives (columns, types,
    index, values), without the blocks and their concatenation held at once (at a million
    rows each is some 230 MB)."""

    def __init__(self, first: pd.DataFrame, n: int):
        self.columns, self.dtypes = list(first.columns), first.dtypes
        self.floats = [c for c in self.columns if self.dtypes[c] == np.float64]
        self.values = np.empty((len(self.floats), n))  # pandas' layout of one float block
        self.codes = {c: np.empty(n, dtype=first[c].cat.codes.dtype) for c in self.columns
                      if isinstance(self.dtypes[c], pd.CategoricalDtype)}
        self.others = {c: [] for c in self.columns if c not in self.floats and c not in self.codes}
        self.indexes = []

    def put(self, start: int, part: pd.DataFrame) -> None:
        stop = start + len(part)
        for j, c in enumerate(self.floats):
            self.values[j, start:stop] = part[c].to_numpy()
        for c, codes in self.codes.items():
            codes[start:stop] = part[c].cat.codes.to_numpy()
        for c, pieces in self.others.items():
            pieces.append(part[c])
        self.indexes.append(part.index)

    def frame(self) -> pd.DataFrame:
        index = self.indexes[0].append(self.indexes[1:])
        out = pd.DataFrame(self.values.T, columns=self.floats, index=index, copy=False)
        for at, c in enumerate(self.columns):
            if c in self.codes:
                codes = pd.Categorical.from_codes(self.codes[c], dtype=self.dtypes[c])
                out.insert(at, c, pd.Series(codes, index=index, copy=False))
            elif c in self.others:
                out.insert(at, c, pd.concat(self.others[c]).set_axis(index))
        return out

    @classmethod
    def of(cls, parts: list) -> pd.DataFrame:
        """``pd.concat(parts)`` of validated blocks, each block released from ``parts`` (emptied
        here) once it is written. Blocks that differ in their columns or types are concatenated
        by pandas."""
        n = sum(len(part) for part in parts)
        if len(parts) == 1:
            return parts.pop()
        first = parts[0]
        if any(list(part.columns) != list(first.columns) or not part.dtypes.equals(first.dtypes) for part in parts):
            whole = pd.concat(parts)
            parts.clear()
            return whole
        stacked = cls(parts[0], n)
        start = 0
        while parts:
            part = parts.pop(0)
            stacked.put(start, part)
            start += len(part)
            del part
        return stacked.frame()


def read_labelled(source, *, encoding: str | None = None, raw_columns=None) -> Labelled:
    """Read and validate labelled interviews; every row is kept, problems are listed.

    ``raw_columns``: the canonical names of the columns to keep as read in ``raw`` (``outcome``
    is always kept); by default all. The signals are in ``typed`` either way, so a retrain
    keeps only its keys, dates and outcome as text (at a million rows the whole raw frame
    is some 400 MB).
    """
    table = open_table(source, encoding=encoding)
    if "outcome" not in table.colmap:
        raise InputError("labelled data needs an 'outcome' column (offer, no_offer, withdrawn, pending)")
    kept = None
    if raw_columns is not None:
        wanted = {table.colmap[c] for c in {*raw_columns, "outcome"} if c in table.colmap}
        kept = [h for h in table.headers if h in wanted]
    raws, typed, problems, valid = [], [], [], []
    for chunk in iter_validated(table):
        raw, checked, first_row = chunk.raw, chunk.checked, chunk.first_row
        ids = raw[table.colmap["interview_id"]] if "interview_id" in table.colmap else None
        bad_outcome = outcome_problems(raw[table.colmap["outcome"]], table.colmap["outcome"], first_row, ids)
        ok = checked.valid.copy()
        ok[bad_outcome["row"].to_numpy() - first_row] = False
        raws.append(raw if kept is None else raw[kept])
        typed.append(checked.typed)
        problems += [checked.problems, bad_outcome]
        valid.append(ok)
    if table.notices:  # kept rows, reported beside the problems
        problems.append(notice_lines(table.notices))
        for notice in table.notices:
            warn(notice.message(table.name))
    raw = pd.concat(raws, ignore_index=True) if raws else pd.DataFrame(columns=table.headers if kept is None else kept)
    del raws
    all_problems = pd.concat(problems, ignore_index=True) if problems else pd.DataFrame(
        columns=list(PROBLEM_COLUMNS)
    )
    all_problems = all_problems.sort_values("row", kind="stable").reset_index(drop=True)
    outcome = normalise_outcomes(raw[table.colmap["outcome"]]).reset_index(drop=True)
    groups = None
    if "application_id" in table.colmap:
        app = raw[table.colmap["application_id"]].astype("string").str.strip()
        ids = pd.Series(np.arange(len(raw)), dtype="string").radd("row-")
        groups = app.mask(app.fillna("") == "", ids).to_numpy(dtype=object)
    return Labelled(
        raw,
        Stacked.of(typed).reset_index(drop=True) if typed else pd.DataFrame(),
        outcome,
        groups,
        all_problems,
        np.concatenate(valid) if valid else np.zeros(0, dtype=bool),
        table.colmap,
    )
