"""The command line: the only code that talks to a person. ``main`` is the ``offerodds``
entry point; one module per group of commands (``scoring``, ``models``, ``demo``)."""

from offerodds.cli.main import main

__all__ = ["main"]
