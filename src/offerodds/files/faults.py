"""Named points of a promotion where a test can kill or pause offerodds (fault injection).

The tests of SECURITY.md's promises kill a real ``offerodds`` process at each step of a
promotion, as a power cut or an out-of-memory kill would, and check what the next command finds.
They name the step in the environment::

    OFFERODDS_FAULT=pointer.replaced:kill offerodds retrain --force labelled.csv

``kill`` sends the process SIGKILL (nothing runs after it: no ``finally``, no ``atexit``);
``stop`` sends it SIGSTOP, so a test can act in that instant (swap a file, start a second
command) and let it go on with SIGCONT. Without the variable (always, outside the tests) a
checkpoint is one dictionary look-up and does nothing. A name that is not in :data:`POINTS` is
an error, so a misspelt test cannot pass by never stopping.
"""

from __future__ import annotations

import os
import signal

__all__ = ["ENV_VAR", "POINTS", "checkpoint"]

ENV_VAR = "OFFERODDS_FAULT"

#: Every named point, in the order a promotion passes them, and what holds there.
POINTS = {
    "save.staged": "a new version's files are written in a staging folder inside models/, not yet renamed",
    "save.renamed": "the new version folder is in models/; the pointer still names the old champion",
    "pointer.replaced": "the pointer names the new champion; history.jsonl does not record it yet",
    "champion.set": "pointer and history agree (the local promotion or rollback is done); MLflow untouched",
    "run.logged": "the MLflow run and its model are logged; nothing is registered yet",
    "registry.registered": "a registry version exists (tagged with the local version); models/registry.json "
    "does not record it and the alias has not moved",
    "registry.recorded": "models/registry.json records the registry version; the alias has not moved",
    "load.hashed": "a model folder's files are read and hashed; nothing is parsed yet",
}

# POSIX signals; absent on Windows, where the faults (a test tool) are not offered
_ACTIONS = {name: sig for name, sig in (("kill", getattr(signal, "SIGKILL", None)),
                                       ("stop", getattr(signal, "SIGSTOP", None))) if sig is not None}


def checkpoint(point: str) -> None:
    """Kill or pause this process here if ``$OFFERODDS_FAULT`` names ``point`` (tests only)."""
    spec = os.environ.get(ENV_VAR)
    if not spec:
        return
    wanted, _, action = spec.partition(":")
    if wanted not in POINTS or action not in _ACTIONS:
        raise ValueError(
            f"{ENV_VAR}={spec!r}: expected POINT:ACTION with a point of {sorted(POINTS)} "
            f"and an action of {sorted(_ACTIONS)}"
        )
    if point not in POINTS:
        raise ValueError(f"checkpoint {point!r} is not a named point of offerodds.files.faults.POINTS")
    if wanted == point:
        os.kill(os.getpid(), _ACTIONS[action])
