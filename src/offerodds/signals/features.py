"""``SignalFeatures``: the signal encodings (:mod:`offerodds.signals.encoding`) as a
scikit-learn transformer, so they fit in pipelines and pass ``check_estimator``."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from offerodds.signals.catalogue import catalogue, input_columns
from offerodds.signals.encoding import check_signal_frame, encode, feature_layout

__all__ = ["SignalFeatures"]


class SignalFeatures(TransformerMixin, BaseEstimator):
    """Turn the validated signal frame into named features, each owned by one signal.

    Parameters
    ----------
    interactions : bool, default=True
        Add the context interactions of body-language and rapport signals.

    Attributes
    ----------
    feature_names_in_ : ndarray of str
        The signal input columns expected (absent ones are read as not recorded).
    n_features_in_ : int
        Number of signal input columns.
    feature_owner_ : ndarray of str
        For each output feature, the signal that owns it.

    Examples
    --------
    >>> import pandas as pd
    >>> from offerodds import SignalFeatures
    >>> frame = pd.DataFrame({"engagement": [5.0, None], "hurried": [1.0, 0.0]})
    >>> X = SignalFeatures().fit(frame).transform(frame)
    >>> X.shape
    (2, 76)
    """

    def __init__(self, interactions: bool = True):
        self.interactions = interactions

    def fit(self, X, y=None):
        """Check that ``X`` names at least one signal column and record the layout."""
        check_signal_frame(X)
        columns = list(input_columns())
        self.feature_names_in_ = np.asarray(columns, dtype=object)
        self.n_features_in_ = len(columns)
        names, owners = feature_layout(self.interactions)
        self._names = np.asarray(names, dtype=object)
        self.feature_owner_ = np.asarray(owners, dtype=object)
        return self

    def transform(self, X) -> np.ndarray:
        """Features of each row, shape (n_rows, n_features), float64."""
        check_is_fitted(self, "feature_owner_")
        return encode(X, self.interactions)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the output features."""
        check_is_fitted(self, "feature_owner_")
        return self._names.copy()

    def ownership_matrix(self) -> tuple[np.ndarray, list[str]]:
        """0/1 matrix (n_features, n_signals) mapping features to their owning signal."""
        check_is_fitted(self, "feature_owner_")
        signals = [s.name for s in catalogue()]
        index = {name: i for i, name in enumerate(signals)}
        matrix = np.zeros((len(self.feature_owner_), len(signals)))
        matrix[np.arange(len(self.feature_owner_)), [index[o] for o in self.feature_owner_]] = 1
        return matrix, signals
