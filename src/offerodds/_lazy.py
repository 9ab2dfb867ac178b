"""How a sub-package names its public doors without loading them: each name is imported from
its home module on first use, so importing a package (and ``import offerodds``) stays light and
never loads MLflow, scikit-learn or scipy.stats before they are needed."""

from __future__ import annotations

import importlib


def doors(package: str, homes: dict[str, str]):
    """``__getattr__`` and ``__dir__`` for ``package`` whose public names live in ``homes``
    (name -> module, relative to ``package`` when it starts with a dot)."""

    def __getattr__(name: str):
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        home = homes[name]
        module = importlib.import_module(package + home if home.startswith(".") else home)
        return getattr(module, name)

    def __dir__():
        return sorted(homes)

    return __getattr__, __dir__
