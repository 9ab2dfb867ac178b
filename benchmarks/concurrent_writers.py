"""How many rows survive writers racing on one workspace (real ``offerodds`` processes).

Prints, for R rounds of N concurrent ``offerodds ask`` on one interview file, the rows asked and
the rows found afterwards; then asks racing forgets (each forget removes two rows that were there
before): the rows expected and found. Every writer takes the workspace lock, re-reads under it
and writes atomically, so the counts must agree.

    python benchmarks/concurrent_writers.py [--asks 8] [--rounds 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path

try:
    from offerodds.usecases import questions
except ImportError:  # offerodds before the use cases (to measure an older checkout)
    from offerodds.cli.advice import questions


def _start(ws: Path, *args: str, answers: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "MLFLOW_DISABLE_TELEMETRY": "true"}
    process = subprocess.Popen([sys.executable, "-m", "offerodds.cli", *args, "--workspace", str(ws)],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               text=True, env=env, cwd=ws)
    process.answers = answers
    return process


def _race(processes: list[subprocess.Popen]) -> list[int]:
    for p in processes:  # every process gets its input at once: they race from here
        p.stdin.write(p.answers or "")
        p.stdin.close()
    return [p.wait(timeout=600) for p in processes]


try:  # ask's first question is the notes (Enter skips it), where offerodds reads notes
    from offerodds.usecases import from_notes as _  # noqa: F401

    _FIRST = "\n"
except ImportError:
    _FIRST = ""


def _answers(company: str) -> str:
    return _FIRST + "".join(({"company": company, "stage": "final"}.get(c, "") + "\n") for c, _ in questions())


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--asks", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        asked = 0
        for r in range(args.rounds):
            codes = _race([_start(ws, "ask", "--rules", answers=_answers(f"r{r}-{i}")) for i in range(args.asks)])
            asked += sum(code == 0 for code in codes)
        print(f"{args.rounds} rounds of {args.asks} concurrent asks: {asked} said 'added', "
              f"{len(_rows(ws / 'interviews.csv'))} rows in the file")
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp)
        old = [f"old-{i}" for i in range(args.asks)]
        (ws / "interviews.csv").write_text(
            "interview_id,company,stage\n" + "".join(f"{i},{i},final\n" for i in old), encoding="utf-8")
        writers = [_start(ws, "ask", "--rules", answers=_answers(f"new-{i}")) for i in range(args.asks)]
        writers += [_start(ws, "forget", old[i], old[i + 1]) for i in range(0, args.asks - 1, 4)]
        _race(writers)
        forgotten = 2 * len(range(0, args.asks - 1, 4))
        print(f"{args.asks} asks racing {len(range(0, args.asks - 1, 4))} forgets: expected "
              f"{2 * args.asks - forgotten} rows, found {len(_rows(ws / 'interviews.csv'))}")


if __name__ == "__main__":
    main()
