"""Compatibility: MLflow models logged by offerodds 0.1 run code that does
``from offerodds.modelstore import load_folder``; the model store is now
:mod:`offerodds.io.modelstore` (tests/test_compat.py)."""

from offerodds.io.modelstore import load_folder

__all__ = ["load_folder"]
