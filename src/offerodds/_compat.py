"""Every compatibility shim in one place: module paths and names of earlier layouts, kept so
that MLflow models they logged (whose code imports them) and older notebooks still run. Each
use raises a :class:`DeprecationWarning` naming the new home.

- offerodds 0.1 (flat layout): ``from offerodds.modelstore import load_folder`` and
  ``from offerodds.scoring import result_columns, score``;
- the ``io/`` layout: ``from offerodds.io.modelstore import load_folder`` and
  ``from offerodds.io.batch import score_table``, and the other ``offerodds.io.*``,
  ``offerodds.pipeline``, ``offerodds.monitoring.run``/``report``, ``offerodds.training.config``;
- ``offerodds.advice.rules`` (the next-step rules, now the playbook: ``offerodds.advice.playbook``,
  with ``RuleSet``, ``advice_rules``, ``load_rules``, ``parse_rules`` renamed);
- ``RetrainReport``, the retrain's result, now ``RetrainResult`` (``offerodds``,
  ``offerodds.usecases``).

Old module paths are served by an import hook installed when ``offerodds`` is imported; it
imports nothing until an old path is asked for. Tests: tests/test_compat.py (a model logged by
each earlier layout loads and scores).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
import warnings

#: old module path -> its home now
MOVED_MODULES = {
    "offerodds.modelstore": "offerodds.stores.modelstore",
    "offerodds.pipeline": "offerodds.usecases._retrain",
    "offerodds.training.config": "offerodds.config",
    "offerodds.monitoring.run": "offerodds.usecases._monitor",
    "offerodds.monitoring.report": "offerodds.reports.monitor",
    "offerodds.io.workspace": "offerodds.files.workspace",
    "offerodds.io.files": "offerodds.files.atomic",
    "offerodds.io.csvfiles": "offerodds.files.csvfiles",
    "offerodds.io.reading": "offerodds.files.reading",
    "offerodds.io.writing": "offerodds.files.writing",
    "offerodds.io.cleanup": "offerodds.files.cleanup",
    "offerodds.io.faults": "offerodds.files.faults",
    "offerodds.io.outcomes": "offerodds.stores.outcomes",
    "offerodds.io.labelled": "offerodds.stores.labelled",
    "offerodds.io.modelfiles": "offerodds.stores.modelfiles",
    "offerodds.io.modelstore": "offerodds.stores.modelstore",
    "offerodds.io.serving": "offerodds.stores.serving",
    "offerodds.io.calibration_log": "offerodds.stores.calibration_log",
    "offerodds.io.tracker": "offerodds.stores.interview_file",
    "offerodds.io.batch": "offerodds.usecases._score",
    "offerodds.io.forget": "offerodds.usecases._forget",
    "offerodds.io.report": "offerodds.reports.retrain",
    # implementation modules made private
    "offerodds.tracking.relocation": "offerodds.tracking._relocation",
    "offerodds.tracking.registry": "offerodds.tracking._registry",
    "offerodds.tracking.monitor_runs": "offerodds.tracking._monitor_runs",
    "offerodds.tracking.runs": "offerodds.tracking._runs",
    "offerodds.tracking.session": "offerodds.tracking._session",
    "offerodds.tracking.sync": "offerodds.tracking._sync",
    "offerodds.signals.problems": "offerodds.signals._problems",
    # small modules joined so that no room holds more than 12
    "offerodds.signals.printable": "offerodds.signals.printable",
    "offerodds.signals.real_numbers": "offerodds.signals.printable",
    "offerodds.files.output": "offerodds.files.writing",
}

#: old module path -> (its home now, {old name: new name}) where names were renamed as well;
#: the old path is a module of its own that hands out the new module's names under both
RENAMED_MODULES = {
    "offerodds.advice.rules": (
        "offerodds.advice.playbook",
        {
            "RuleSet": "Playbook",
            "advice_rules": "playbook",
            "load_rules": "load_playbook",
            "parse_rules": "parse_playbook",
        },
    ),
}

#: old packages that are gone; they exist only to hold their moved modules
GONE_PACKAGES = {"offerodds.io": "offerodds.files and offerodds.stores"}

#: (package, name) -> (module, name) of names a package no longer has
MOVED_NAMES = {
    ("offerodds.scoring", "result_columns"): ("offerodds.scoring.results", "result_columns"),
    ("offerodds.scoring", "score"): ("offerodds.api", "score"),
    # the retrain's result, once called a report like the HTML page it writes
    ("offerodds", "RetrainReport"): ("offerodds.usecases", "RetrainResult"),
    ("offerodds.usecases", "RetrainReport"): ("offerodds.usecases", "RetrainResult"),
    ("offerodds.usecases._retrain", "RetrainReport"): ("offerodds.usecases", "RetrainResult"),
}


def _warn(old: str, new: str) -> None:
    warnings.warn(f"{old} is deprecated; use {new}", DeprecationWarning, stacklevel=3)


def moved_name(package: str, name: str):
    """The object a package's old name stands for (its ``__getattr__`` calls this)."""
    if (package, name) not in MOVED_NAMES:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    module, new_name = MOVED_NAMES[package, name]
    _warn(f"{package}.{name}", f"{module}.{new_name}")
    return getattr(importlib.import_module(module), new_name)


class _Alias(importlib.abc.Loader):
    """Loads an old module path as the module that now lives elsewhere (the same object)."""

    def __init__(self, old: str):
        self.old = old

    def create_module(self, spec):
        if self.old in GONE_PACKAGES:
            package = types.ModuleType(self.old, f"Moved to {GONE_PACKAGES[self.old]}.")
            package.__path__ = []
            return package
        if self.old in RENAMED_MODULES:
            return _renamed(self.old)
        new = MOVED_MODULES[self.old]
        _warn(self.old, new)
        return importlib.import_module(new)

    def exec_module(self, module):
        pass


def _renamed(old: str) -> types.ModuleType:
    """A stand-in for the module ``old`` whose names were renamed: each old name warns and
    returns the new object; every other name is the new module's."""
    new, names = RENAMED_MODULES[old]
    _warn(old, new)
    home = importlib.import_module(new)
    module = types.ModuleType(old, f"Moved to {new}; renamed: {names}.")

    def __getattr__(name):
        if name in names:
            _warn(f"{old}.{name}", f"{new}.{names[name]}")
            return getattr(home, names[name])
        return getattr(home, name)

    module.__getattr__ = __getattr__
    module.__all__ = sorted(set(home.__all__) | set(names))
    return module


class _OldLayouts(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname in MOVED_MODULES or fullname in GONE_PACKAGES or fullname in RENAMED_MODULES:
            return importlib.machinery.ModuleSpec(
                fullname, _Alias(fullname), is_package=fullname in GONE_PACKAGES
            )
        return None


def install() -> None:
    """Put the import hook for old module paths on ``sys.meta_path`` (once)."""
    if not any(isinstance(finder, _OldLayouts) for finder in sys.meta_path):
        sys.meta_path.append(_OldLayouts())
