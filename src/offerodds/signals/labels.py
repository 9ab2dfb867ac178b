"""Outcome labels (DESIGN.md, "Outcome labels and the outcome store").

``offer`` (1) and ``no_offer`` (0) train the model; ``withdrawn`` and ``pending`` are kept but
never trained on; an empty outcome is no label at all. Anything else is a rejected row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the catalogue reads the labels below: pandas loads only when a function runs
    import numpy as np
    import pandas as pd

TRAINING_LABELS = {"offer": 1.0, "no_offer": 0.0}
KEPT_LABELS = ("withdrawn", "pending")
OUTCOMES = (*TRAINING_LABELS, *KEPT_LABELS)


def normalise_outcomes(values: pd.Series) -> pd.Series:
    """Outcome text in canonical spelling (``No Offer`` -> ``no_offer``); NA where empty."""
    text = values.astype("string").str.strip().str.lower()
    text = text.str.replace(r"[\s\-]+", "_", regex=True)
    return text.mask(text == "")


def outcome_problems(
    values: pd.Series, header: str, first_row: int, ids: pd.Series | None = None
) -> pd.DataFrame:
    """One problem line per outcome that is not one of ``OUTCOMES`` (empty is fine)."""
    import numpy as np
    import pandas as pd

    from offerodds.signals._problems import ERROR

    canonical = normalise_outcomes(values)
    bad = (canonical.notna() & ~canonical.isin(OUTCOMES)).to_numpy()
    rows = np.flatnonzero(bad)
    return pd.DataFrame(
        {
            "row": rows + first_row,
            "interview_id": (ids.iloc[rows].astype("string").fillna("").to_numpy() if ids is not None else ""),
            "column": header,
            "value": values.iloc[rows].astype("string").to_numpy(),
            "reason": f"outcome must be one of {', '.join(OUTCOMES)} (or empty)",
            "severity": ERROR,
        }
    )


def training_target(canonical: pd.Series) -> np.ndarray:
    """1.0 for offer, 0.0 for no_offer, NaN for anything not trained on."""
    import numpy as np

    return canonical.map(TRAINING_LABELS).to_numpy(dtype=float, na_value=np.nan)
