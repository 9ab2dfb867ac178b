"""offerodds: how likely is a job interview to end in an offer, and why.

The public surface a notebook needs: the functions, the result types they return and the
errors a user can cause (all :class:`OfferoddsError`). Names are loaded on first use, so
``import offerodds`` stays light (and never imports MLflow).
"""

import importlib as _importlib
import pkgutil as _pkgutil

from offerodds._compat import install as _install_compat

_install_compat()  # old module paths, for MLflow models logged by earlier layouts

_EXPORTS = {
    # the doors
    "score": "offerodds.api",
    "explain": "offerodds.api",
    "followup": "offerodds.api",
    "rules": "offerodds.api",
    "load_model": "offerodds.api",
    "catalogue": "offerodds.api",
    "fit": "offerodds.api",
    "retrain": "offerodds.api",
    "monitor": "offerodds.api",
    "from_notes": "offerodds.api",
    "to_sql": "offerodds.api",
    # what they return
    "LinearScorer": "offerodds.scoring.scorer",
    "FitSummary": "offerodds.scoring.scorer",
    "Explanation": "offerodds.scoring.explanation",
    "Draft": "offerodds.advice.drafts",
    "RetrainResult": "offerodds.usecases",
    "MonitorResult": "offerodds.monitoring.result",
    "NoteReading": "offerodds.notes",
    # the errors a user can cause
    "OfferoddsError": "offerodds.errors",
    "InputError": "offerodds.errors",
    "FileClash": "offerodds.errors",
    "FileAccessError": "offerodds.errors",
    "ConfigError": "offerodds.errors",
    "FitError": "offerodds.errors",
    "NoReference": "offerodds.errors",
    "StoreError": "offerodds.errors",
    "ChampionUnavailable": "offerodds.errors",
    "TrackingError": "offerodds.errors",
    "OfferoddsWarning": "offerodds.errors",  # what offerodds warns with (filter it by this)
    # estimators for scikit-learn users
    "SignalFeatures": "offerodds.signals.features",
    "PriorLogisticRegression": "offerodds.training.prior_logistic",
}

__all__ = sorted(_EXPORTS)


def _version() -> str:
    """The installed distribution's version: pyproject.toml's ``version``, the one place it is
    written ("0+unknown" for a source tree that was never installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("offerodds")
    except PackageNotFoundError:
        return "0+unknown"


def __getattr__(name: str):
    if name == "__version__":  # read on first use: importing offerodds reads no file
        globals()[name] = value = _version()
        return value
    if name == "spark":  # the Spark helper, a module: imported (with pyspark) on first use
        return _importlib.import_module("offerodds.spark")
    if name not in _EXPORTS:  # an earlier name (a DeprecationWarning), else AttributeError
        from offerodds._compat import moved_name

        return moved_name(__name__, name)
    value = getattr(_importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


def __dir__():
    """``__all__`` and the sub-packages and modules (loaded or not); nothing else."""
    parts = [m.name for m in _pkgutil.iter_modules(__path__) if not m.name.startswith("_")]
    return sorted(set(__all__) | set(parts))
