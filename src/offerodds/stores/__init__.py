"""What the workspace keeps, each under the workspace lock: the outcome store (labelled
interviews), the model store and its champion pointer (which scorer serves), the interview file
``ask`` appends to, and the calibration log (how the scorer in use predicted outcomes labelled
later).

Modules: ``outcomes``, ``labelled`` (labelled files read and checked), ``modelfiles`` (one
version folder, read and checked), ``modelstore``, ``serving``, ``interview_file``,
``calibration_log``. The doors below are loaded on first use.
"""

from offerodds._lazy import doors

_HOMES = {
    "OutcomeStore": ".outcomes",
    "TrainingSet": ".outcomes",
    "merge": ".outcomes",
    "training_set": ".outcomes",
    "Labelled": ".labelled",
    "read_labelled": ".labelled",
    "StoreError": ".modelfiles",
    "load_folder": ".modelfiles",
    "verify_folder": ".modelfiles",
    "ModelStore": ".modelstore",
    "ChampionUnavailable": ".serving",
    "Serving": ".serving",
    "load_model": ".serving",
    "serving": ".serving",
    "append_interview": ".interview_file",
    "check_tracker": ".interview_file",
    "remove_interviews": ".interview_file",
    "CalibrationLog": ".calibration_log",
}

__all__ = sorted(_HOMES)
__getattr__, __dir__ = doors(__name__, _HOMES)
