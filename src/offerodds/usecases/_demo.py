"""``demo``'s own folder: the whole loop runs in a workspace of its own.

The demo folder's marker records every file the demo made (device, inode, size, time); a
later demo removes exactly those, and only when nothing else is in the folder: it never
deletes a file it did not make, marker or not.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from offerodds.errors import InputError
from offerodds.files.cleanup import CreatedFiles

__all__ = ["demo_examples", "demo_folder"]


def _fresh(root: Path, made: CreatedFiles) -> None:
    """Empty ``root`` of an earlier demo's files, or refuse if it holds anything else."""
    if not root.exists():
        return
    if root.is_symlink() or not root.is_dir():
        raise InputError(f"the demo needs a fresh folder, and {root} is not one; pass --workspace NEW_DIR")
    foreign = made.foreign() if made.marker.exists() else None
    if foreign is None:
        if any(root.iterdir()):
            raise InputError(
                f"the demo needs a fresh workspace, and {root} is not empty (and not a demo's); "
                "pass --workspace NEW_DIR"
            )
        return
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise InputError(
            f"{root} holds files the demo did not make or that changed since ({shown}); the demo "
            "deletes only its own files: move yours, or pass --workspace NEW_DIR"
        )
    made.remove()  # an earlier demo's files, exactly as it left them: start afresh


@contextlib.contextmanager
def demo_folder(root):
    """A fresh demo folder at ``root`` for the ``with`` block; every file in it afterwards is
    recorded as the demo's own (so a later demo may remove exactly those)."""
    root = Path(root)
    made = CreatedFiles(root, root / ".offerodds-demo")
    _fresh(root, made)
    root.mkdir(parents=True, exist_ok=True)
    made.record()  # nothing yet: a demo killed before the end leaves nothing listed to delete
    try:
        yield root
    finally:
        made.record()  # everything in the folder now was made by this run


def demo_examples(examples, root) -> tuple[Path, Path, bool]:
    """The example interviews and outcomes: from ``examples`` when both are there, else
    synthetic ones generated into ``root`` (the third value says so)."""
    examples, root = Path(examples), Path(root)
    interviews, outcomes = examples / "interviews.csv", examples / "outcomes.csv"
    if interviews.exists() and outcomes.exists():
        return interviews, outcomes, False
    from offerodds.synthetic import generate

    interviews, outcomes = root / "interviews.csv", root / "outcomes.csv"
    generate(200, seed=1, outcomes=False).drop(columns="true_probability").to_csv(interviews, index=False)
    generate(1000, seed=2).drop(columns="true_probability").to_csv(outcomes, index=False)
    return interviews, outcomes, True
