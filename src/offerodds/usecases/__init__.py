"""The use cases: each wires the steps below it, owns the I/O at the edge and returns a result.
The Python API (:mod:`offerodds.api`) and the command line both call these and nothing below.

Doors: :func:`score_table` and :func:`iter_scored` (score a table, streamed in chunks),
:func:`retrain` (-> :class:`RetrainReport`), :func:`monitor` (-> ``MonitorResult``),
:func:`forget` (-> :class:`Forgotten`). Each is loaded on first use.
"""

from offerodds._lazy import doors

_HOMES = {
    "CHUNK_ROWS": "._score",
    "FRAME_CHUNK_ROWS": "._score",
    "ScoredChunk": "._score",
    "iter_scored": "._score",
    "replaced_columns": "._score",
    "score_table": "._score",
    "RetrainReport": "._retrain",
    "retrain": "._retrain",
    "NoReference": "._monitor",
    "monitor": "._monitor",
    "profile_table": "._monitor",
    "workspace_reference": "._monitor",
    "Forgotten": "._forget",
    "forget": "._forget",
    "personal_tables": "._forget",
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = doors(__name__, _HOMES)
