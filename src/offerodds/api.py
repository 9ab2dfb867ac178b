"""The public functions a notebook uses; ``offerodds/__init__.py`` re-exports them.

Each is thin: it resolves what the caller left out (the workspace's serving scorer) and calls
the domain code. Fitting, retraining and monitoring are imported when first called, so scoring
never loads scikit-learn, scipy.stats or MLflow.
"""

from __future__ import annotations

import pandas as pd

from offerodds.errors import InputError
from offerodds.usecases import (
    Draft,
    Explanation,
    LinearScorer,
    explain_interview,
    followup_interview,
    from_notes,
    load_model,
    rules,
    score_table,
    signals_frame,
)

__all__ = [
    "catalogue", "explain", "fit", "followup", "from_notes", "load_model", "monitor", "retrain", "rules", "score",
    "to_sql",
]


def catalogue():
    """The signals offerodds reads, as a data dictionary: one row per signal with its input
    columns, the values it takes, which way it points, the question that records it, and the
    section and claim of the article it rests on. (Called ``signals()`` before 0.2: that name
    is the ``offerodds.signals`` sub-package.)

    Returns
    -------
    pandas.DataFrame
        Columns ``signal``, ``columns``, ``values``, ``direction``, ``question``,
        ``section`` and ``claim``.

    Examples
    --------
    >>> import offerodds
    >>> "selling" in set(offerodds.catalogue()["signal"])
    True
    """
    return signals_frame()


def score(
    data, model: LinearScorer | None = None, *, encoding: str | None = None, as_of=None,
    from_notes: bool = False,
) -> pd.DataFrame:
    """Score interviews: probability of an offer, per-signal contributions, reasons and the
    next step.

    Parameters
    ----------
    data : table, str, pathlib.Path, dict or list of dict
        A table of interviews: a CSV or Parquet path, a pandas or Polars DataFrame, a Polars
        LazyFrame, a pyarrow Table or RecordBatchReader (read batch by batch), a DuckDB
        relation (anything with ``__arrow_c_stream__``); one interview as a dict, or a list of
        dicts. Headers match the signal columns ignoring case, surrounding spaces and
        spaces/hyphens versus underscores; other columns pass through unchanged.
    model : scorer, optional
        What :func:`offerodds.fit` or :func:`offerodds.rules` returned; by default the
        workspace's serving scorer (its champion model, else the rule card). The workspace is
        the folder named by the environment variable ``OFFERODDS_WORKSPACE``, else the current
        directory; ``model=offerodds.load_model("other/workspace")`` scores with another
        workspace's.
    encoding : str, optional
        Text encoding of a CSV file that is not UTF-8.
    as_of : str, datetime.date or datetime.datetime, optional
        The date the advice (``next_step``, ``next_step_due``) is given for; default today,
        local time. A date-time (with or without an offset such as ``+01:00``) judges the
        24-hour thank-you window to the minute.
    from_notes : bool, default False
        Fill each interview's EMPTY signals from its ``notes`` column (free text, read by
        :func:`offerodds.from_notes`); a recorded value is never replaced and the input columns
        come back unchanged. What was filled is listed in ``signals_from_notes`` and marked
        "(from your notes)" in the reasons. A table without a ``notes`` column is an error.

    Returns
    -------
    pandas.DataFrame
        One row per input row, in input order: the input columns, then the result columns
        (``offer_probability``, ..., ``contrib_<signal>``, ``reasons``, ``scorer``, ...,
        ``next_step``, ``next_step_due``), ``signals_from_notes`` with ``from_notes``, and
        ``error``: empty for scored rows, the problems of an invalid row (which gets no
        probability and no next step).

    Examples
    --------
    >>> import offerodds
    >>> out = offerodds.score({"engagement": 5, "selling": 4, "hurried": "no"},
    ...                       model=offerodds.rules())
    >>> round(float(out.loc[0, "offer_probability"]), 3)
    0.312
    """
    return score_table(data, _scorer(model), encoding=encoding, as_of=as_of, from_notes=from_notes)


def _scorer(model) -> LinearScorer:
    """The scorer given, else the workspace's serving one; a clear error for anything else."""
    if model is None:
        return load_model()
    if not isinstance(model, LinearScorer):
        raise InputError(
            f"model= takes what offerodds.fit(), offerodds.rules() or offerodds.load_model() "
            f"returned, not {type(model).__name__}"
        )
    return model


def followup(interview, model: LinearScorer | None = None, *, as_of=None) -> Draft:
    """The email the interview's next step calls for, drafted for you to review and send.

    Parameters
    ----------
    interview : dict, pandas.Series or one-row DataFrame
        One interview: its signals, and for the draft ``interview_date``,
        ``expected_response_date``, ``thank_you_sent_on``, ``followed_up_on``, ``outcome``,
        ``candidate_name``, ``interviewer_name``, ``company`` and ``role`` where known.
    model : scorer, optional
        As for :func:`offerodds.score`.
    as_of : optional
        As for :func:`offerodds.score`; default today.

    Returns
    -------
    Draft
        ``kind`` is ``"thank_you"``, ``"status"``, or ``""`` when the next step calls for no
        email; ``str(draft)`` is the email (or why none), ``draft.email()`` an
        :class:`email.message.EmailMessage`. Nothing is ever sent.

    Examples
    --------
    >>> import offerodds
    >>> d = offerodds.followup({"interview_date": "2026-03-02", "company": "Acme", "selling": 5},
    ...                        model=offerodds.rules(), as_of="2026-03-02")
    >>> d.kind, d.subject, d.next_step_due
    ('thank_you', 'Thank you: [role] interview', '2026-03-03')
    """
    return followup_interview(interview, _scorer(model), as_of=as_of)


def explain(interview, model: LinearScorer | None = None, *, from_notes: bool = False) -> Explanation:
    """Explain one interview: probability, exact per-signal contributions, reasons.

    Parameters
    ----------
    interview : dict, pandas.Series or a one-row table
        One interview's signals (a one-row pandas or Polars DataFrame, Arrow table or DuckDB
        relation works too).
    model : scorer, optional
        As for :func:`offerodds.score`; by default the workspace's serving scorer.
    from_notes : bool, default False
        As for :func:`offerodds.score`: the signals left empty are filled from the interview's
        ``notes``, and the reasons mark them "(from your notes)".

    Returns
    -------
    Explanation
        Prints as a table in a terminal, renders as HTML in a notebook, ``.plot()`` draws it.

    Examples
    --------
    >>> import offerodds
    >>> e = offerodds.explain({"selling": 5, "hurried": "yes"}, model=offerodds.rules())
    >>> sorted(e.table()["signal"])
    ['hurried', 'selling']
    """
    return explain_interview(interview, _scorer(model), from_notes=from_notes)


def fit(labelled, *, config=None) -> LinearScorer:
    """Learn a scorer from labelled interviews; nothing is written to disk.

    Parameters
    ----------
    labelled : table, path, or list of dict
        Any table :func:`score` takes (pandas, Polars, pyarrow, DuckDB, a CSV or Parquet file),
        of interviews with an ``outcome`` column (``offer`` / ``no_offer``; ``withdrawn``,
        ``pending`` and empty outcomes are not trained on). ``application_id``, when present,
        keeps the rounds of one application in one cross-validation fold.
    config : offerodds.config.FitConfig, optional

    Returns
    -------
    LinearScorer
        ``kind == "model"``; use it as ``model=`` in :func:`offerodds.score` and
        :func:`offerodds.explain`. Its ``fit_summary`` says how it was fitted.

    Raises
    ------
    FitError
        Too few outcomes, or outcomes that contradict the signals.
    ValueError
        Invalid rows (their problems are named).

    Examples
    --------
    >>> import offerodds
    >>> from offerodds.synthetic import generate
    >>> model = offerodds.fit(generate(500, seed=3))
    >>> model.kind
    'model'
    """
    from offerodds.usecases import fit_labelled  # scikit-learn and scipy: only when fitting

    return fit_labelled(labelled, config)


def retrain(labelled=(), *, workspace=None, force: bool = False, config=None, progress=None):
    """Merge labelled outcomes into the workspace, fit and judge a candidate, maybe promote it.

    See :func:`offerodds.usecases.retrain` for the parameters; returns its
    :class:`~offerodds.usecases.RetrainResult`.
    """
    from offerodds.usecases import retrain as run

    return run(labelled, workspace=workspace, force=force, config=config, progress=progress)


def monitor(data, *, reference=None, report=None, workspace=None, config=None, encoding: str | None = None):
    """Does a batch of interviews still look like what the model learned from?

    Per signal, the share of interviews that recorded it and the values given are compared with
    the reference, and so are the predicted probabilities; each check is a test on counts whose
    threshold accounts for both sample sizes, and the checks are adjusted together (Holm), so a
    batch from the reference's own population raises an alarm about 1 % of the time
    (``[monitor] alpha``). Rows with problems are left out and counted, as :func:`score`
    rejects them.

    Parameters
    ----------
    data : table, path, dict or list of dict
        The batch: interviews as :func:`score` takes them (pandas, Polars, pyarrow, DuckDB, a
        file).
    reference : same kinds, optional
        What to compare with. By default the outcomes the champion model learned from (from
        the workspace's outcome store); with no champion, the whole outcome store; with
        neither, a reference must be given.
    report : path, optional
        Write a self-contained HTML report there (charts embedded).
    workspace : path or Workspace, optional
    config : RetrainConfig or path to a TOML file, optional
        ``[monitor]`` settings, and ``[tracking]``: when the workspace already tracks retrains
        in MLflow, the figures and the report are logged to the ``<experiment>-monitor``
        experiment (aggregates only).
    encoding : str, optional
        Text encoding of CSV files that are not UTF-8.

    Returns
    -------
    MonitorResult
        ``moved`` (anything beyond chance), ``moved_signals``, ``checks`` (every check),
        ``expected`` (the offer rate the scorer expects for the batch, with its 90 % range),
        ``per_retrain()`` and ``per_month()`` (calibration over time); ``print(result)`` for
        a summary.

    Raises
    ------
    ValueError
        No reference to compare with, or no valid interview in the batch.

    Examples
    --------
    >>> import offerodds
    >>> from offerodds.synthetic import generate
    >>> result = offerodds.monitor(generate(200, seed=1), reference=generate(3000, seed=2))
    >>> result.moved
    False
    """
    from offerodds.usecases import monitor as run

    return run(data, reference=reference, report=report, workspace=workspace, config=config, encoding=encoding)


def to_sql(
    dialect: str = "duckdb",
    table: str = "interviews",
    model: LinearScorer | None = None,
    *,
    columns: list[str] | None = None,
) -> str:
    """The scorer as one SQL SELECT over a table of interviews, for DuckDB or Spark SQL.

    Parameters
    ----------
    dialect : {"duckdb", "spark"}
    table : str, default "interviews"
        What the query reads (``FROM <table>``): a table or view name, or a table expression
        such as ``read_csv('interviews.csv', all_varchar=true)`` in DuckDB; inserted as
        written. Its columns carry the template's names (``offerodds template``), as text or as
        the types a reader infers. Without ``columns`` the query cannot see header variants
        ("Eye Contact"): such a column reads as not recorded, so pass ``columns`` or rename.
    model : scorer, optional
        What :func:`offerodds.fit` or :func:`offerodds.rules` returned; by default what
        ``offerodds score`` would serve (the workspace's champion, else the rule card).
    columns : list of str, optional
        The table's columns, in order. Headers are then matched as ``offerodds score`` matches
        them (case, spaces and hyphens ignored), a header that looks like a column but is not
        read ("Eye contact (1-5)") is warned about, signal columns the table lacks are read as
        not recorded (in DuckDB they are anyway; in Spark SQL the query otherwise needs them
        all), and each row's problems are listed in this order, as ``offerodds score`` lists
        them.

    Returns
    -------
    str
        One SELECT giving, per row: ``interview_id``, ``offer_probability``,
        ``offer_log_odds``, ``baseline_log_odds``, ``contrib_<signal>`` for each signal,
        ``signals_recorded``, ``scorer``, ``model_version`` and ``error`` ("" for a scored row;
        for a row ``offerodds score`` rejects, its problems, and no probability). Reasons, the
        next step and a learned model's 90 % interval stay in Python (:func:`offerodds.score`):
        the interval is a quadratic form over every feature, too slow as SQL.

    Examples
    --------
    >>> import duckdb, offerodds
    >>> sql = offerodds.to_sql("duckdb", "(SELECT '5' AS selling, 'no' AS hurried)", model=offerodds.rules())
    >>> row = duckdb.sql(sql).fetchall()[0]
    >>> round(row[1], 3), row[-1]
    (0.296, '')
    """
    from offerodds.usecases import to_sql as build

    return build(dialect, table, model, columns=columns)
