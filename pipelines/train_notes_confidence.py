"""Train the notes reader's confidence (``src/offerodds/resources/notes_confidence.json``).

Each proposal the rules make (``offerodds.notes.reader.from_notes``, the rules alone) on the
labelled notes of ``data/notes/`` is one example: right (a careful reader infers the same value)
or not. A logistic regression over the features of ``offerodds.notes.confidence.features`` learns
how likely a proposal is to be right; the threshold under which ``offerodds.from_notes`` drops a
proposal is chosen from leave-one-writer-out predictions (each writer's notes judged by a model
that never saw that writer). Run it after any change to the reading rules:

    python pipelines/train_notes_confidence.py            # retrain, write the weights, print the table
    python pipelines/train_notes_confidence.py --check    # only say whether the shipped weights are current

Deterministic: the same rules and notes give the same file (weights rounded to 4 decimals).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "notes"
OUT = ROOT / "src" / "offerodds" / "resources" / "notes_confidence.json"
COMMAND = "python pipelines/train_notes_confidence.py"

# Who wrote each part: a writer's parts are held out together.
WRITERS = {
    "dev": "writer 1", "heldout": "writer 1",
    "dev2": "writer 2", "heldout2": "writer 2",
    "dev3": "writer 3", "heldout3": "writer 3",
    "heldout4": "writer 4", "heldout5": "writer 5",
    "dev5": "writer 6", "dev6": "writer 7", "dev7": "writer 8", "dev8": "writer 9",
    "heldout6": "writer 10", "heldout7": "writer 11", "heldout8": "writer 12",
    "heldout11": "writer 15", "heldout12": "writer 16",
}
# Parts kept for measuring only: never trained on, so their figures stay a measure of new writing.
MEASURE_ONLY = {"heldout9", "heldout10", "heldout13", "heldout14", "heldout15", "heldout16"}
SETTINGS = {
    "C": 0.3,                 # inverse L2 strength of the logistic regression
    "ngrams": False,          # hashed words and word pairs of the clause: off, they did not help on held-out writers
    "wrong_costs": 0,         # a wrong value costs this many missing ones (keep a proposal when P(right) >= k/(k+1)); 0: keep all (held out by writer, writers 10-12, the 0.80 threshold of k = 4 did not raise precision)
    "min_recall": 0.50,       # ... unless that takes a writer's recall (or the pooled recall) under this
}


# What counts as right and as an opposite reading: the accuracy benchmark's own definitions, so
# the confidence learns exactly what the figures in docs/notes.md count.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from notes_accuracy import _correct as correct, _opposite as opposite  # noqa: E402


def load_notes(data: Path = DATA) -> list[dict]:
    """Every labelled note of ``data`` with its part and writer; a part without a writer is an error."""
    notes = []
    for path in sorted(data.glob("*.jsonl")):
        if path.stem in MEASURE_ONLY:
            continue
        if path.stem not in WRITERS:
            raise SystemExit(f"{path.name}: say who wrote it in WRITERS of {Path(__file__).name}")
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                note = json.loads(line)
                notes.append({**note, "part": path.stem, "writer": WRITERS[path.stem]})
    return notes


def proposals(notes: list[dict], ngrams: bool) -> list[dict]:
    """One row per proposal of the rules alone: its note, writer, features and whether it is right."""
    from offerodds.notes.confidence import features
    from offerodds.notes.reader import from_notes as read_by_rules

    rows = []
    for i, note in enumerate(notes):
        reading = read_by_rules(note["text"])
        gold = note["gold"]
        for column, value in reading.items():
            rows.append({
                "note": i, "writer": note["writer"], "column": column,
                "right": column in gold and correct(column, value, gold[column]),
                "opposite": column in gold and opposite(column, value, gold[column]),
                "features": features(column, value, reading.evidence.get(column, ""),
                                     reading.phrases.get(column, ""), note["text"], reading, ngrams),
            })
    return rows


# What a careful reader knows before any data: a sentence that is about somewhere other than this
# interview (a source, a rehearsal, another time, someone else's interview, people in general) or
# that doubts itself is less likely to be read right. These start the weights below zero (log-odds);
# the data move them as far as they justify (the same idea as the rule card as the scoring
# model's prior). Every other weight starts at zero.
PRIOR = {"clause_source": -1.0, "clause_rehearsal": -1.0, "clause_another_time": -1.0, "clause_theirs": -1.0,
         "generic": -1.0, "doubt": -1.0, "conditional": -0.5, "question": -0.5, "clause_elsewhere": -0.5}


class PriorLogistic:
    """Logistic regression whose L2 penalty pulls each weight towards its prior (``PRIOR``), not
    towards zero; the intercept is not penalised. Fitted by L-BFGS on the exact gradient."""

    def __init__(self, C: float, prior: np.ndarray):
        self.C, self.prior = C, prior

    def fit(self, X, y):
        from scipy.optimize import minimize

        X = np.asarray(X.todense() if hasattr(X, "todense") else X, dtype=float)
        y = np.asarray(y, dtype=float)

        def loss(theta):
            w, b = theta[:-1], theta[-1]
            z = X @ w + b
            nll = np.sum(np.logaddexp(0.0, z) - y * z)
            d = w - self.prior
            grad_z = 1.0 / (1.0 + np.exp(-z)) - y
            return (self.C * nll + 0.5 * d @ d,
                    np.append(self.C * (X.T @ grad_z) + d, self.C * grad_z.sum()))

        start = np.append(self.prior, 0.0)
        result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-9})
        self.coef_ = result.x[None, :-1]
        self.intercept_ = result.x[-1:]
        return self

    def predict_proba(self, X):
        X = np.asarray(X.todense() if hasattr(X, "todense") else X, dtype=float)
        p = 1.0 / (1.0 + np.exp(-(X @ self.coef_[0] + self.intercept_[0])))
        return np.column_stack([1 - p, p])


def fit(rows: list[dict], C: float):
    """The fitted (vectoriser, logistic regression) on ``rows``."""
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer(sort=True)
    X = vec.fit_transform([r["features"] for r in rows])
    y = [int(r["right"]) for r in rows]
    prior = np.array([PRIOR.get(name, 0.0) for name in vec.get_feature_names_out()])
    return vec, PriorLogistic(C, prior).fit(X, y)


def held_out_probabilities(rows: list[dict], C: float) -> list[float]:
    """Each row's probability from a model fitted without its writer's notes."""
    probs = [0.0] * len(rows)
    for writer in sorted({r["writer"] for r in rows}):
        train = [r for r in rows if r["writer"] != writer]
        test = [i for i, r in enumerate(rows) if r["writer"] == writer]
        vec, model = fit(train, C)
        p = model.predict_proba(vec.transform([rows[i]["features"] for i in test]))[:, 1]
        for i, pi in zip(test, p):
            probs[i] = float(pi)
    return probs


def figures(notes: list[dict], rows: list[dict], keep: list[bool], writer: str | None = None) -> dict:
    """Precision, recall, opposite readings and empty-gold notes with a proposal, of the kept proposals."""
    chosen = [i for i, n in enumerate(notes) if writer is None or n["writer"] == writer]
    gold = sum(len(notes[i]["gold"]) for i in chosen)
    mine = [(r, k) for r, k in zip(rows, keep) if k and (writer is None or r["writer"] == writer)]
    proposed = len(mine)
    right = sum(r["right"] for r, _ in mine)
    opp = sum(r["opposite"] for r, _ in mine)
    with_prop = {r["note"] for r, _ in mine}
    empty = [i for i in chosen if not notes[i]["gold"]]
    return {"proposed": proposed, "right": right, "gold": gold, "opposite": opp,
            "precision": right / proposed if proposed else float("nan"), "recall": right / gold if gold else float("nan"),
            "empty": len(empty), "empty_hit": sum(i in with_prop for i in empty)}


def choose_threshold(notes, rows, probs, settings=SETTINGS) -> float:
    """The threshold: a proposal is kept when a wrong value's cost, ``wrong_costs`` times a
    missing one's, is outweighed (probability right >= k / (k + 1)); lowered step by step if,
    held out by writer, that would take the pooled recall, or the recall of any writer the rules
    alone read at or above the minimum, under the minimum."""
    k = settings["wrong_costs"]
    writers = sorted({n["writer"] for n in notes})
    floor = [w for w in writers if figures(notes, rows, [True] * len(rows), w)["recall"] >= settings["min_recall"]]
    t = round(k / (k + 1), 2)
    while t > 0:
        keep = [p >= t for p in probs]
        if figures(notes, rows, keep)["recall"] >= settings["min_recall"] and all(
                figures(notes, rows, keep, w)["recall"] >= settings["min_recall"] for w in floor):
            return t
        t = round(t - 0.01, 2)
    return 0.0


def train(data: Path = DATA, settings=SETTINGS) -> tuple[dict, dict]:
    """The weights file's content and the validation (per writer, rules alone and with the filter)."""
    notes = load_notes(data)
    rows = proposals(notes, settings["ngrams"])
    probs = held_out_probabilities(rows, settings["C"])
    threshold = choose_threshold(notes, rows, probs, settings)
    vec, model = fit(rows, settings["C"])
    weights = {name: round(float(w), 4) for name, w in zip(vec.get_feature_names_out(), model.coef_[0])}
    content = {
        "about": ("Confidence of offerodds.from_notes proposals: logistic regression weights over "
                  f"offerodds.notes.confidence.features; written by `{COMMAND}` from data/notes/. Do not edit."),
        "intercept": round(float(model.intercept_[0]), 4),
        "threshold": threshold,
        "wrong_costs": settings["wrong_costs"],
        "ngrams": settings["ngrams"],
        "C": settings["C"],
        "trained_on": {"notes": len(notes), "proposals": len(rows), "right": sum(r["right"] for r in rows)},
        "weights": {k: v for k, v in sorted(weights.items()) if v != 0.0},
    }
    writers = sorted({n["writer"] for n in notes}, key=lambda w: int(w.split()[-1]))
    table = {}
    for w in [*writers, None]:
        table[w or "all"] = {
            "parts": sorted({n["part"] for n in notes if w is None or n["writer"] == w}),
            "rules": figures(notes, rows, [True] * len(rows), w),
            "filtered": figures(notes, rows, [p >= threshold for p in probs], w),
        }
    trade = []
    for t in (0.0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9):
        trade.append((t, figures(notes, rows, [p >= t for p in probs])))
    dropped = [r for r, p in zip(rows, probs) if p < threshold]
    drops = {"proposals": len(rows), "dropped": len(dropped), "dropped_right": sum(r["right"] for r in dropped),
             "wrong": sum(not r["right"] for r in rows)}
    return content, {"table": table, "threshold": threshold, "trade_off": trade, "drops": drops,
                     "calibration": calibration(rows, probs)}


def calibration(rows, probs, edges=(0.5, 0.7, 0.8, 0.9, 0.95)) -> list[tuple[str, int, float, float]]:
    """Held-out-writer probabilities by band: count, mean probability, share right."""
    bands = defaultdict(list)
    for r, p in zip(rows, probs):
        k = sum(p >= e for e in edges)
        bands[k].append((p, r["right"]))
    names = ["< 0.50"] + [f">= {e:.2f}" + (f", < {edges[i + 1]:.2f}" if i + 1 < len(edges) else "") for i, e in enumerate(edges)]
    return [(names[k], len(v), sum(p for p, _ in v) / len(v), sum(y for _, y in v) / len(v))
            for k, v in sorted(bands.items())]


def render(content: dict) -> str:
    return json.dumps(content, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _cell(a: dict, b: dict, key: str) -> str:
    return f"{a[key]:.3f} -> {b[key]:.3f}"


def print_report(report: dict) -> None:
    """The validation as markdown tables (docs/notes.md quotes them)."""
    print(f"threshold: {report['threshold']:.2f} (a proposal is kept when its probability of being right reaches it; "
          f"0.00 keeps all: the rules alone)")
    print("\nLeave one writer out: each writer's notes judged by a model trained without them "
          "(rules alone -> rules + confidence):\n")
    print("| writer | parts | precision | recall | opposite readings | empty-gold notes with a proposal |")
    print("|---|---|---|---|---|---|")
    for w, row in report["table"].items():
        a, b = row["rules"], row["filtered"]
        parts = "all parts" if w == "all" else ", ".join(row["parts"])
        print(f"| {w} | {parts} | {_cell(a, b, 'precision')} | {_cell(a, b, 'recall')} | "
              f"{a['opposite']} of {a['proposed']} -> {b['opposite']} of {b['proposed']} | "
              f"{a['empty_hit']} -> {b['empty_hit']} of {a['empty']} |")
    d = report["drops"]
    print(f"\nAt {report['threshold']:.2f}, held out by writer: {d['dropped']} of {d['proposals']} proposals dropped, "
          f"{d['dropped_right']} of them right; {d['dropped'] - d['dropped_right']} of the {d['wrong']} wrong ones removed.")
    print("\nTrade-off, all writers pooled (each judged by a model that never saw it):\n")
    print("| threshold | precision | recall | opposite readings | proposals kept |")
    print("|---|---|---|---|---|")
    for t, f in report["trade_off"]:
        print(f"| {t:.2f} | {f['precision']:.3f} | {f['recall']:.3f} | {f['opposite']} | {f['proposed']} |")
    print("\nCalibration (held-out-writer probabilities by band):\n")
    print("| probability band | proposals | mean probability | share right |")
    print("|---|---|---|---|")
    for name, n, p, y in report["calibration"]:
        print(f"| {name} | {n} | {p:.3f} | {y:.3f} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the shipped weights are not current")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    content, report = train()
    text = render(content)
    if args.check:
        current = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'current' if current else 'STALE: run ' + COMMAND}")
        return 0 if current else 1
    args.out.write_text(text, encoding="utf-8")
    print_report(report)
    print(f"\nwrote {args.out} ({len(content['weights'])} weights, {len(text) // 1024} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
