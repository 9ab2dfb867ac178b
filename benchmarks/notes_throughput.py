"""10,000 interviews with free-text notes through ``offerodds score --from-notes`` (a real
process, as a person runs it): the target is under a minute on 2 cores.

    python benchmarks/notes_throughput.py [--rows 10000]

The notes are the development notes of data/notes/dev.jsonl (synthetic), drawn with
replacement, each row with a few recorded signals beside them (so some cells are filled from
the notes and others are kept as recorded).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import print_checks  # noqa: E402

DEV = Path(__file__).resolve().parents[1] / "data" / "notes" / "dev.jsonl"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    notes = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    rng = np.random.default_rng(25)
    n = args.rows
    frame = pd.DataFrame({
        "interview_id": [f"iv-{i}" for i in range(n)],
        "stage": rng.choice(["", "screen", "first", "final"], n),
        "engagement": rng.choice(["", "2", "4"], n),
        "distracted": rng.choice(["", "no"], n),
        "notes": rng.choice(np.array(notes, dtype=object), n),
    })
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "interviews.csv"
        frame.to_csv(source, index=False)
        out = Path(folder) / "scored.csv"
        command = [sys.executable, "-m", "offerodds.cli", "score", str(source), "-o", str(out), "--rules",
                   "--from-notes", "--quiet", "--workspace", folder]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            print(done.stderr)
            return 1
        scored = pd.read_csv(out, dtype=str, keep_default_na=False)
    filled = int((scored["signals_from_notes"] != "").sum())
    print(f"{n:,} interviews with notes through `offerodds score --from-notes`: {seconds:.1f} s "
          f"({1000 * seconds / n:.2f} ms an interview, the process's start included); "
          f"{filled:,} rows had signals filled from their notes")
    return 0 if print_checks([(seconds < 60, f"{n:,} notes scored in under a minute ({seconds:.1f} s)")]) else 1


if __name__ == "__main__":
    sys.exit(main())
