"""Regenerate the example data files in ``data/examples/`` from the synthetic generator.

- ``interviews.csv``: 200 interviews (seed 1), signals only: no ``true_probability``, no
  ``outcome``; what a person's own file looks like.
- ``outcomes.csv``: 1,000 labelled interviews (seed 2) with ``outcome`` but without
  ``true_probability``; enough to try ``offerodds retrain``.

Missing values are written as empty cells. Run from anywhere::

    python scripts/make_examples.py
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = REPO / "data" / "examples"

# The examples come from this checkout's generator, installed or not.
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from offerodds.synthetic import generate  # noqa: E402


def make_examples(out_dir: Path = EXAMPLES_DIR) -> list[Path]:
    """Write ``interviews.csv`` and ``outcomes.csv`` into ``out_dir``.

    Parameters
    ----------
    out_dir : pathlib.Path, default=data/examples of this repository
        Folder to write into (created if needed).

    Returns
    -------
    list of pathlib.Path
        The two files written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    interviews = generate(200, seed=1, outcomes=False).drop(columns=["true_probability"])
    outcomes = generate(1000, seed=2, outcomes=True).drop(columns=["true_probability"])
    written = []
    for name, frame in (("interviews.csv", interviews), ("outcomes.csv", outcomes)):
        path = out_dir / name
        frame.to_csv(path, index=False)
        written.append(path)
    return written


def main() -> int:
    for path in make_examples():
        sys.stdout.write(f"wrote {path.relative_to(REPO)} ({path.stat().st_size:,} bytes)\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
