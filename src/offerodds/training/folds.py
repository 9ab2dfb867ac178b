"""Cross-validation folds: stratified, and grouped so that the rounds of one application never
sit in two folds. The one place offerodds splits outcomes into folds."""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

from offerodds.errors import FitError

__all__ = ["MANY_GROUPS", "splits"]

#: Above this many application groups, folds are dealt in one vectorised step (scikit-learn's
#: StratifiedGroupKFold places groups one at a time in Python: about 10 s per call at 70,000).
MANY_GROUPS = 5_000


def splits(y: np.ndarray, groups: np.ndarray | None, folds: int, random_state: int = 0):
    """Stratified folds, grouped (one application never in two folds) when ``groups`` is given."""
    n_splits = int(min(folds, np.bincount(y.astype(int)).min()))
    if groups is not None:
        names, group_of_row = np.unique(groups, return_inverse=True)
        if len(names) < 2:
            raise FitError(
                f"all {len(y)} outcomes belong to one application (application_id {names[0]!r}): "
                "cross-validation keeps an application's rounds together, so it needs outcomes of "
                "at least two applications"
            )
        n_splits = max(min(n_splits, len(names)), 2)
        if len(names) > MANY_GROUPS:
            # shuffle the groups, order them by offer rate and deal them to the folds in turn:
            # each fold gets the same mix of offer rates
            rate = np.bincount(group_of_row, weights=y) / np.bincount(group_of_row)
            order = np.random.default_rng(random_state).permutation(len(names))
            order = order[np.argsort(rate[order], kind="stable")]
            fold_of_group = np.empty(len(names), dtype=int)
            fold_of_group[order] = np.arange(len(names)) % n_splits
            fold = fold_of_group[group_of_row]
            return [(np.flatnonzero(fold != k), np.flatnonzero(fold == k)) for k in range(n_splits)]
        splitter = StratifiedGroupKFold(n_splits, shuffle=True, random_state=random_state)
        return list(splitter.split(np.zeros(len(y)), y, groups))
    splitter = StratifiedKFold(max(n_splits, 2), shuffle=True, random_state=random_state)
    return list(splitter.split(np.zeros(len(y)), y))
