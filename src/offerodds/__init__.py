"""offerodds: how likely is a job interview to end in an offer, and why.

The public surface a notebook needs. Names are loaded on first use, so ``import offerodds``
stays light (and never imports MLflow).
"""

from __future__ import annotations

import importlib

from offerodds._compat import install

install()  # old module paths, for MLflow models logged by earlier layouts

__version__ = "0.1.0"

_EXPORTS = {
    "score": "offerodds.api",
    "explain": "offerodds.api",
    "followup": "offerodds.api",
    "rules": "offerodds.api",
    "load_model": "offerodds.api",
    "signals": "offerodds.api",
    "fit": "offerodds.api",
    "retrain": "offerodds.api",
    "monitor": "offerodds.api",
    "SignalFeatures": "offerodds.signals.features",
    "PriorLogisticRegression": "offerodds.training.prior_logistic",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'offerodds' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
