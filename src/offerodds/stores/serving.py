"""Which scorer serves: the workspace's champion model if one is promoted and loads, else the
rule card, always with the reason said. Whatever is wrong with the champion (the pointer, the
folder, a file, a value) is a :class:`~offerodds.stores.modelstore.StoreError`, so it falls back."""

from __future__ import annotations

from dataclasses import dataclass

from offerodds.errors import ChampionUnavailable
from offerodds.stores.modelstore import ModelStore, StoreError
from offerodds.files.workspace import Workspace
from offerodds.scoring.rulecard import rules
from offerodds.scoring.scorer import LinearScorer

__all__ = ["ChampionUnavailable", "Serving", "load_model", "serving"]


@dataclass
class Serving:
    """The serving scorer and why it is the one serving."""

    scorer: LinearScorer
    reason: str


def serving(workspace: Workspace | None = None, *, fallback: bool = True) -> Serving:
    """The champion model of ``workspace`` if it loads, else the rule card.

    Parameters
    ----------
    fallback : bool
        With False, a champion that is named but cannot be loaded raises
        :class:`ChampionUnavailable` instead of falling back to the rule card.
    """
    ws = workspace or Workspace.resolve()
    try:
        store = ModelStore(ws)
        version = store.champion()
        if version is None:
            return Serving(rules(), f"no champion model in {ws.models_dir}")
        scorer = store.load(version)
    except StoreError as error:
        if not fallback:
            raise ChampionUnavailable(str(error)) from error
        return Serving(rules(), f"the champion could not be loaded: {error}")
    return Serving(scorer, f"champion {version} from {ws.models_dir}")


def load_model(workspace=None) -> LinearScorer:
    """The serving scorer: the champion model, else the rule card.

    The reason for the choice is in ``scorer.serving_reason``.

    Examples
    --------
    >>> import offerodds
    >>> scorer = offerodds.load_model()
    >>> scorer.kind in {"rules", "model"}
    True
    """
    ws = workspace if isinstance(workspace, Workspace) or workspace is None else Workspace.resolve(workspace)
    chosen = serving(ws)
    chosen.scorer.serving_reason = chosen.reason
    return chosen.scorer
