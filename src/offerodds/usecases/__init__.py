"""The use cases: each wires the steps below it, owns the I/O at the edge and returns a result
that reads in words (``str(result)``). The Python API (:mod:`offerodds.api`) and the command
line are two doors onto these, and call nothing below them.

=====================  ==========================================================
score                  :func:`score_table`, :func:`iter_scored` (streamed chunks),
                       :func:`score_file` (-> :class:`ScoredFile`),
                       :func:`choose_scorer` (-> :class:`Chosen`)
validate               :func:`validate_file` (-> :class:`Validation`)
explain, followup      :func:`explain_interview`, :func:`followup_interview`,
                       :func:`explain_in_file`, :func:`followup_in_file`
ask                    :func:`questions`, :func:`answer_problem`, :func:`add_interview`
fit, retrain           :func:`fit_labelled`, :func:`retrain` (-> :class:`RetrainResult`)
monitor                :func:`monitor`, :func:`monitor_file` (-> ``MonitorResult``)
status, history        :func:`status`, :func:`history`
rollback, sync         :func:`rollback`, :func:`sync`
forget                 :func:`forget` (-> :class:`Forgotten`)
signals, template      :func:`catalogue_lines`, :func:`write_template`
notes                  :func:`from_notes` (-> ``NoteReading``), :func:`note_from_file`
demo                   :func:`demo_folder`, :func:`demo_examples`
=====================  ==========================================================

Each name is loaded on first use, so scoring never loads scikit-learn, scipy.stats or MLflow.
"""

from offerodds._lazy import doors

_HOMES = {
    # score
    "CHUNK_ROWS": "._score",
    "FRAME_CHUNK_ROWS": "._score",
    "Chosen": "._score",
    "ScoredChunk": "._score",
    "ScoredFile": "._score",
    "choose_scorer": "._score",
    "default_output": "._score",
    "default_rejects": "._score",
    "iter_scored": "._score",
    "replaced_columns": "._score",
    "score_file": "._score",
    "score_table": "._score",
    # validate
    "Validation": "._validate",
    "validate_file": "._validate",
    # one interview: explain, followup
    "ExplainedInFile": "._one",
    "FollowupInFile": "._one",
    "explain_in_file": "._one",
    "explain_interview": "._one",
    "find_interview": "._one",
    "followup_in_file": "._one",
    "followup_interview": "._one",
    # ask
    "Asked": "._ask",
    "add_interview": "._ask",
    "answer_problem": "._ask",
    "check_tracker": "._ask",
    "questions": "._ask",
    # the scorer as SQL
    "to_sql": "._export",
    "write_sql": "._export",
    "columns_of": "._export",
    # fit, retrain
    "RetrainResult": "._retrain",
    "fit_labelled": "._retrain",
    "retrain": "._retrain",
    "write_rejects": "._retrain",
    # monitor
    "NoReference": "._monitor",
    "default_report": "._monitor",
    "monitor": "._monitor",
    "monitor_file": "._monitor",
    "profile_table": "._monitor",
    "workspace_reference": "._monitor",
    # status, history, rollback, sync
    "History": "._models",
    "Rollback": "._models",
    "Status": "._models",
    "Synced": "._models",
    "calibration_lines": "._models",
    "history": "._models",
    "rollback": "._models",
    "status": "._models",
    "sync": "._models",
    # forget
    "Forgotten": "._forget",
    "forget": "._forget",
    "personal_tables": "._forget",
    # notes
    "NoteReading": "offerodds.notes",
    "NotesColumnMissing": "._notes",
    "filled_signals": "._notes",
    "format_value": "offerodds.notes.reader",
    "from_notes": "offerodds.notes",
    "note_from_file": "._notes",
    # signals, template (the input's format, with validate)
    "catalogue_lines": "._validate",
    "template_line": "._validate",
    "write_template": "._validate",
    # demo
    "demo_examples": "._demo",
    "demo_folder": "._demo",
    # what the doors hand on: the scorer and its results, the workspace, the process plumbing
    "Draft": "offerodds.advice.drafts",
    "as_of_date": "offerodds.advice.timeline",
    "Explanation": "offerodds.scoring.explanation",
    "LinearScorer": "offerodds.scoring.scorer",
    "MonitorResult": "offerodds.monitoring.result",
    "Workspace": "offerodds.files.workspace",
    "STDOUT": "offerodds.files.atomic",
    "check_output": "offerodds.files.writing",
    "load_model": "offerodds.stores.serving",
    "rules": "offerodds.scoring.rulecard",
    "signals_frame": "offerodds.signals.catalogue",
    "unwinding_on_sigterm": "offerodds.files.cleanup",
    "printable": "offerodds.signals.printable",
    "terminal_safe": "offerodds.signals.printable",
    "load_config": "offerodds.config",
    "MESSAGES_VARIABLE": "offerodds.tracking",
}

__all__ = sorted(_HOMES)
_door, __dir__ = doors(__name__, _HOMES)


def __getattr__(name: str):
    if name in _HOMES:
        return _door(name)
    from offerodds._compat import moved_name  # an earlier name (a DeprecationWarning), else AttributeError

    return moved_name(__name__, name)
