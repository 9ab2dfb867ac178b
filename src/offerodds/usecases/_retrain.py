"""The retrain pipeline: labelled files in, outcome store updated, a candidate judged, perhaps
promoted, everything tracked. Wiring only: it calls the steps (:mod:`offerodds.training.gate`,
:func:`offerodds.stores.outcomes.merge`, :func:`offerodds.training.fit.fit_arrays`) and does the
I/O and the tracking at the edge.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from offerodds.files.arrow import is_table_like
from offerodds.stores.calibration_log import CalibrationLog
from offerodds.files.cleanup import remove_stale_in_workspace
from offerodds.stores.labelled import read_labelled
from offerodds.stores.modelstore import ModelStore, StoreError
from offerodds.stores.outcomes import STORE_TEXT_COLUMNS, OutcomeStore, labelled_now, merge, release_arrow_memory, repeated_ids, store_rows, training_set
from offerodds.reports.retrain import write_report
from offerodds.stores.serving import serving
from offerodds.files.workspace import Workspace
from offerodds.files.writing import PROBLEM_USER_COLUMNS, write_table
from offerodds.scoring.agreement import describe, disagreements
from offerodds.scoring.rulecard import rules
from offerodds.tracking import log_retrain, outcomes_digest
from offerodds.training import gate
from offerodds.training.calibration import recalibrated_card
from offerodds.config import FitConfig, RetrainConfig, load_config
from offerodds.errors import InputError
from offerodds.scoring.scorer import LinearScorer
from offerodds.signals.validation import errors_only
from offerodds.training.fit import FitError, fit_arrays
from offerodds.training.summary import RetrainFacts, figure_lines, outcome_counts, plain_summary

__all__ = ["Ingested", "Judged", "Promotion", "Recorded", "RetrainResult", "StoreUpdate", "fit_labelled", "retrain", "write_rejects"]


def __getattr__(name: str):  # RetrainReport, the earlier name of RetrainResult (offerodds/_compat.py)
    from offerodds._compat import moved_name

    return moved_name(__name__, name)


@dataclass(frozen=True)
class Ingested:
    """Step 1: the labelled sources read and checked, and the store's new rows (None when no
    source was given)."""

    rows_read: int = 0
    rows_rejected: int = 0
    rejects: pd.DataFrame = field(default_factory=pd.DataFrame)
    new_rows: pd.DataFrame | None = None
    repeated: dict = field(default_factory=dict)  # file -> {interview_id: rows}, ids on several rows
    rejects_path: Path | None = None  # the problems file, written under the workspace lock


@dataclass(frozen=True)
class StoreUpdate:
    """Step 2: the outcome store before and after the merge, the labels it holds now, and how
    the scorer in use predicted the newly labelled interviews (the prospective check)."""

    rows_before: int = 0
    rows_after: int = 0
    label_counts: dict = field(default_factory=dict)
    prospective: dict | None = None
    prospective_scorer: str = ""
    prospective_sums: dict | None = None
    migrated: int = 0  # content ids of the older rule renamed in the store
    outcome_counts: dict = field(default_factory=dict)  # the store's rows per outcome (pending, withdrawn too)
    new_outcome_counts: dict = field(default_factory=dict)  # the same, among the rows labelled now
    outcomes_digest: str = ""  # SHA-256 of the trainable outcomes (signal values and labels), for MLflow
    outcome_columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Judged:
    """Step 3: the candidate fitted and judged out of sample (``candidate`` is None when it
    could not be fitted; ``reasons`` say why)."""

    candidate: LinearScorer | None = None
    table: pd.DataFrame | None = None
    reasons: tuple[str, ...] = ()
    disagreements: tuple[str, ...] = ()
    comparisons: dict = field(default_factory=dict)  # the gate's (paired bootstraps, the champion's)
    gate_chose: bool = False  # the gate itself chose a model (not --force)
    minimum: int = 0  # outcomes of each kind needed, when there were too few


@dataclass(frozen=True)
class Promotion:
    """Step 4: what was decided and what serves now."""

    decision: str = "not trained"
    promoted: bool = False
    version: str | None = None
    serving: str = ""
    served_instead: str = ""  # how the recalibrated card was fitted, when it is promoted instead
    reasons: tuple[str, ...] = ()  # the promotion's own notes, after the gate's reasons


@dataclass(frozen=True)
class Recorded:
    """Step 5: the retrain's HTML report and its MLflow run (problems said, never raised)."""

    report_path: Path | None = None
    figures: dict = field(default_factory=dict)
    run_id: str | None = None
    registered: str | None = None
    tracking_notes: tuple[str, ...] = ()
    tracking_problem: str | None = None
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class RetrainResult:
    """What a retrain did, for a person (``str(result)``) and for code: the results of its
    steps, each immutable, composed by :func:`retrain`. Not to be confused with the retrain's
    HTML report (``report_path``: the page written under ``reports/``). Was ``RetrainReport``
    (still importable, with a ``DeprecationWarning``)."""

    workspace: Path
    ingested: Ingested = field(default_factory=Ingested)
    store: StoreUpdate = field(default_factory=StoreUpdate)
    judged: Judged = field(default_factory=Judged)
    promotion: Promotion = field(default_factory=Promotion)
    recorded: Recorded = field(default_factory=Recorded)

    # the steps' figures under the names code and tests read
    rows_read = property(lambda self: self.ingested.rows_read)
    rows_rejected = property(lambda self: self.ingested.rows_rejected)
    rejects = property(lambda self: self.ingested.rejects)
    rejects_path = property(lambda self: self.ingested.rejects_path)
    repeated = property(lambda self: self.ingested.repeated)
    migrated = property(lambda self: self.store.migrated)
    store_rows_before = property(lambda self: self.store.rows_before)
    store_rows_after = property(lambda self: self.store.rows_after)
    label_counts = property(lambda self: self.store.label_counts)
    prospective = property(lambda self: self.store.prospective)
    prospective_scorer = property(lambda self: self.store.prospective_scorer)
    prospective_sums = property(lambda self: self.store.prospective_sums)
    outcomes_digest = property(lambda self: self.store.outcomes_digest)
    outcome_columns = property(lambda self: list(self.store.outcome_columns))
    candidate = property(lambda self: self.judged.candidate)
    table = property(lambda self: self.judged.table)
    disagreements = property(lambda self: list(self.judged.disagreements))
    decision = property(lambda self: self.promotion.decision)
    promoted = property(lambda self: self.promotion.promoted)
    version = property(lambda self: self.promotion.version)
    serving = property(lambda self: self.promotion.serving)
    served_instead = property(lambda self: self.promotion.served_instead)
    report_path = property(lambda self: self.recorded.report_path)
    figures = property(lambda self: self.recorded.figures)
    run_id = property(lambda self: self.recorded.run_id)
    registered = property(lambda self: self.recorded.registered)
    tracking_notes = property(lambda self: list(self.recorded.tracking_notes))
    tracking_problem = property(lambda self: self.recorded.tracking_problem)

    @property
    def reasons(self) -> list[str]:
        """Why it was decided so: the gate's reasons, then the promotion's and the records' notes."""
        return [*self.judged.reasons, *self.promotion.reasons, *self.recorded.problems]

    @property
    def tracking_warning(self) -> str | None:
        """One line when MLflow failed: what stands locally, what lags, and the repair."""
        if self.tracking_problem is None:
            return None
        if self.promoted:
            return (
                f"promoted {self.version} locally; the registry was not updated: {self.tracking_problem}; "
                "`offerodds sync` repairs it"
            )
        return f"the MLflow run was not recorded: {self.tracking_problem}"

    @property
    def facts(self) -> RetrainFacts:
        """What the plain summary reads, from the steps' results."""
        judged, promotion = self.judged, self.promotion
        return RetrainFacts(
            rows_read=self.rows_read,
            rows_rejected=self.rows_rejected,
            new_outcomes=self.store.new_outcome_counts,
            store_outcomes=self.store.outcome_counts,
            store_rows=self.store_rows_after,
            serving_before=self.prospective_scorer,
            promoted=promotion.promoted,
            version=promotion.version,
            served_instead=bool(promotion.served_instead),
            forced=promotion.promoted and not judged.gate_chose,
            comparisons=judged.comparisons,
            stopped=judged.reasons[0] if judged.candidate is None and judged.reasons else "",
            min_per_class=judged.minimum,
            nothing_unseen=any("nothing new to judge it on" in r for r in judged.reasons),
        )

    def summary(self) -> list[str]:
        """The retrain in plain words first (``training.summary.plain_summary``)."""
        return plain_summary(self.facts)

    def __str__(self) -> str:
        lines = [*self.summary(), "", "The figures behind it:"]
        return "\n".join([*lines, *("  " + line for line in figure_lines(self))])


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _recalibrated(train, now: str, n_store_rows: int):
    """The rule card recalibrated on every trainable outcome, ready to be stored."""
    scorer = recalibrated_card(train.typed, train.y)
    scorer.fit_summary.trained_through, scorer.fit_summary.n_store_rows = now, n_store_rows
    return scorer


def _ingest(sources, now: str) -> Ingested:
    """Step 1: read and validate every labelled source."""
    if isinstance(sources, (str, Path, pd.DataFrame, dict)) or is_table_like(sources):
        sources = [sources]  # one table (a Polars or Arrow table, a DuckDB relation), not a list
    parts, rejects, rows_read, rows_rejected, repeated = [], [], 0, 0, {}
    for source in sources:
        data = read_labelled(source, raw_columns=STORE_TEXT_COLUMNS)
        name = str(source) if isinstance(source, (str, Path)) else f"<{type(source).__name__}>"
        rejects.append(data.problems.assign(file=name))
        rows_read += len(data.raw)
        rows_rejected += int((~data.valid).sum())
        if counts := repeated_ids(data):
            repeated[name] = counts
        parts.append(store_rows(data, now))
        del data  # the next source is read without this one's rows
    new_rows = None
    if parts:
        new_rows = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    del parts
    return Ingested(
        rows_read,
        rows_rejected,
        pd.concat(rejects, ignore_index=True) if rejects else pd.DataFrame(),
        new_rows,
        repeated,
    )


def _update_store(ws: Workspace, new_rows: list, current, now: str):
    """Step 2: merge the new rows into the outcome store (the store and the calibration log
    are written here); the prospective check of the scorer in use on the newly labelled.
    ``new_rows``: a list holding the new rows' frame (or None), emptied here so that the frame
    is released once merged."""
    outcomes = OutcomeStore(ws)
    before = outcomes.read()
    rows_before = len(before)
    new = new_rows.pop()
    after = merge(before, new) if new is not None else before
    del before
    prospective = sums = None
    if new is None and outcomes.migrated:
        outcomes.write(after)  # the migration of the ids, kept
    if new is not None:
        del new
        outcomes.write(after)
        # the honest, prospective check: interviews whose label was given now, scored by
        # the scorer people have been using, which never saw these outcomes
        fresh, fresh_y = labelled_now(after, now)
        prospective = gate.prospective(current.scorer, fresh, fresh_y)
        # kept as aggregates, for calibration over time (offerodds monitor, status)
        sums = gate.prospective_sums(current.scorer, fresh, fresh_y, now)
        del fresh
        if sums is not None:
            CalibrationLog(ws).append(sums)
    train = training_set(after)
    now_rows = (after["labelled_at"].astype("string") == now).fillna(False).to_numpy(bool)
    update = StoreUpdate(
        rows_before, len(after), train.label_counts, prospective, current.scorer.title, sums, outcomes.migrated,
        outcome_counts(after["outcome"]), outcome_counts(after.loc[now_rows, "outcome"]),
        outcomes_digest=outcomes_digest(train.typed, train.y),
        outcome_columns=tuple(str(c) for c in train.typed.columns),
    )
    return update, train


def _quiet(phase: str, detail: str) -> None:
    """No progress wanted."""


def _judge(train, config: RetrainConfig, current, now: str, n_store_rows: int, say=_quiet):
    """Step 3: fit the candidate and judge it out of sample; (Judged, the gate's decision,
    its out-of-fold probabilities), the last two None when no candidate could be fitted."""
    try:
        candidate = fit_arrays(train.typed, train.y, train.groups, config.fit)
    except FitError as error:
        return Judged(reasons=(str(error),)), None, None
    candidate.fit_summary.trained_through = now
    candidate.fit_summary.n_store_rows = n_store_rows
    disagree = tuple(describe(r) for r in disagreements(candidate, rules()))
    say("checking", "out of fold against the rule card" + (" and the champion" if current.scorer.kind == "model" else ""))
    oof = gate.out_of_fold(train.typed, train.y, train.groups, config.fit, candidate)
    champion_p = unseen = None
    if current.scorer.kind == "model":
        champion_p = gate.predict(current.scorer, train.typed)
        unseen = gate.unseen_by(current.scorer, train.labelled_at)
    decision = gate.judge(train.y, oof, config.gate, champion_p, unseen, seed=config.fit.random_state,
                          champion_learned=not gate.is_rule_card(current.scorer))
    judged = Judged(candidate, decision.table, tuple(decision.reasons), disagree, decision.comparisons, decision.promote)
    return judged, decision, oof


def _promote(store: ModelStore, judged: Judged, decision, train, force: bool, now: str, n_store_rows: int, serving_now: str) -> Promotion:
    """Step 4: store and promote what the gate chose (or the candidate, with ``force``)."""
    chosen = decision.chosen or (gate.CANDIDATE if force else None)
    notes = []
    if force and not decision.promote:
        notes.append("--force: the learned model promoted although the gate said no")
    if chosen is None:
        return Promotion("not promoted", serving=serving_now, reasons=tuple(notes))
    candidate = judged.candidate
    served = candidate if chosen == gate.CANDIDATE else _recalibrated(train, now, n_store_rows)
    served_instead = served.fit_summary.calibration if served is not candidate else ""
    metrics = {name: row.dropna().to_dict() for name, row in decision.table.iterrows()}
    try:
        version = store.save(served, metrics=metrics, extra={"decision": [*judged.reasons, *notes], "chosen": chosen})
    except StoreError as error:  # it would not load back: it never serves
        notes.append(f"the chosen model cannot be stored: {error}")
        return Promotion("not promoted", serving=serving_now, served_instead=served_instead, reasons=tuple(notes))
    store.set_champion(version, "promoted by retrain" + (" (--force)" if force else ""))
    what = "" if chosen == gate.CANDIDATE else " (the rule card recalibrated)"
    return Promotion(f"promoted as {version}{what}", True, version, f"model {version}{what}", served_instead, tuple(notes))


def retrain(
    labelled=(),
    *,
    workspace=None,
    force: bool = False,
    config: RetrainConfig | str | Path | None = None,
    progress=None,
) -> RetrainResult:
    """Merge labelled outcomes into the workspace's store, fit and judge a candidate, and
    promote it only if it is clearly better (or ``force``).

    Parameters
    ----------
    labelled : path, table, or a list of them
        Labelled interviews (an ``outcome`` column): a CSV or Parquet file, a pandas or Polars
        DataFrame, a Polars LazyFrame, a pyarrow Table or RecordBatchReader, a DuckDB relation.
        Empty: retrain on the store as it is.
    workspace : path or Workspace, optional
    force : bool
        Promote the candidate whatever the gate says.
    config : RetrainConfig or path to a TOML file, optional
    progress : callable, optional
        Called as ``progress(phase, detail)`` when each phase starts: ``"reading"`` (the
        labelled files and the outcome store), ``"fitting"`` (the candidate, and judging it
        out of fold against the rule card and the champion: ``"checking"``), ``"saving"``
        (the model and the report) and ``"logging"`` (MLflow); ``detail`` says what, in words.

    Returns
    -------
    RetrainResult
        The results of the steps (``ingested``, ``store``, ``judged``, ``promotion``,
        ``recorded``), each immutable; ``print(report)`` for a summary.
    """
    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    config = config if isinstance(config, RetrainConfig) else load_config(config)
    store = ModelStore(ws)
    say = progress if progress is not None else _quiet
    with store.lock("retrain"):
        remove_stale_in_workspace(ws)  # what killed runs left: temporary stores, staging folders
        now = _now()
        say("reading", "the labelled outcomes and the outcome store")
        ingested = _ingest(labelled, now)
        release_arrow_memory()  # what reading the files took, kept by Arrow's allocator, given back
        if len(ingested.rejects):  # under the lock: a forget never misses an id written after it
            path = write_table(ws.retrain_rejects, ingested.rejects, formula_safe=PROBLEM_USER_COLUMNS, private=True)
            ingested = replace(ingested, rejects_path=path)
        current = serving(ws)
        serving_now = f"{current.scorer.kind} {current.scorer.version} ({current.reason})"
        new_rows = [ingested.new_rows]  # stored now: released once merged, not held through the fit
        ingested = replace(ingested, new_rows=None)
        update, train = _update_store(ws, new_rows, current, now)
        report = RetrainResult(ws.root, ingested, update, promotion=Promotion(serving=serving_now))

        minimum = config.fit.min_outcomes_per_class
        if min(update.label_counts.values()) < minimum:
            reason = (
                f"too few outcomes to learn from: {update.label_counts['offer']} offers and "
                f"{update.label_counts['no_offer']} no-offers; at least {minimum} of each are needed. "
                "Label more interviews and retrain."
            )
            return replace(report, judged=Judged(reasons=(reason,), minimum=minimum))
        say("fitting", f"the candidate on {len(train.y):,} outcomes")
        judged, decision, oof = _judge(train, config, current, now, update.rows_after, say)
        if decision is None:
            return replace(report, judged=judged, promotion=Promotion("not promoted", serving=serving_now))
        say("saving", "the chosen model and the report" if decision.chosen or force else "the report")
        promotion = _promote(store, judged, decision, train, force, now, update.rows_after, serving_now)
        report = replace(report, judged=judged, promotion=promotion)

        problems, path, figures = [], None, {}
        try:
            path, figures = write_report(ws, report, train.y, oof, judged.candidate)
        except Exception as error:  # after a promotion nothing may fail the command: say it
            problems.append(f"the retrain report could not be written: {type(error).__name__}: {error}")
        report = replace(report, recorded=Recorded(path, figures, problems=tuple(problems)))
        if config.tracking.enabled:
            say("logging", "the run to MLflow")
            # after the local promotion, and never undoing it: a failure is said, not raised
            tracked = log_retrain(ws, config, report, decision, store)
            report = replace(
                report,
                recorded=replace(
                    report.recorded,
                    run_id=tracked.run_id,
                    registered=tracked.registered,
                    tracking_notes=tuple(tracked.notes),
                    tracking_problem=tracked.problem,
                ),
            )
    return report

def write_rejects(report: RetrainResult, workspace=None) -> Path | None:
    """The retrain's problems file (and warnings about rows that were kept), owner only: a
    retrain writes it under the workspace lock (``report.rejects_path``); a report without
    that path is written now, under the lock. None when there were no problems."""
    if report.rejects_path is not None:
        return report.rejects_path
    if not len(report.rejects):
        return None
    from offerodds.files.locks import wait_limit

    ws = workspace if isinstance(workspace, Workspace) else Workspace.resolve(workspace)
    with ModelStore(ws).lock("retrain", wait=wait_limit()):
        return write_table(ws.retrain_rejects, report.rejects, formula_safe=PROBLEM_USER_COLUMNS, private=True)


def fit_labelled(labelled, config: FitConfig | None = None) -> LinearScorer:
    """A scorer learned from ``labelled`` (a frame, a path or a list of dicts with an
    ``outcome`` column); invalid rows are an :class:`~offerodds.errors.InputError`."""
    data = read_labelled(labelled)
    errors = errors_only(data.problems)
    if len(errors):
        first = errors.iloc[0]
        raise InputError(
            f"{len(errors)} problem(s) in the labelled data; first: row {first.row}, "
            f"{first.column} = {first.value!r}: {first.reason}"
        )
    train = data.trainable()
    return fit_arrays(train.typed, train.y, train.groups, config or FitConfig())
