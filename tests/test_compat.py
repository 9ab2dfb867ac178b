"""Models registered before the house moved keep loading.

``tests/fixtures/pyfunc-0.1-layout`` is an MLflow pyfunc logged by offerodds 0.1 (the flat
layout): its code does ``from offerodds.modelstore import load_folder`` and
``from offerodds.scoring import result_columns, score``. ``tests/fixtures/pyfunc-io-layout``
was logged by the ``io/`` layout: ``from offerodds.io.modelstore import load_folder`` and
``from offerodds.io.batch import score_table``. The shims that keep those names all live in
``offerodds/_compat.py`` and warn (DeprecationWarning) when used.
"""

import warnings

from pathlib import Path

import numpy as np
import pytest

import offerodds
from offerodds.stores.modelstore import load_folder
from offerodds.scoring.results import result_columns
from offerodds.tracking.pyfunc import synthetic_example

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE = FIXTURES / "pyfunc-0.1-layout"
LAYOUTS = {
    "0.1": ["from offerodds.modelstore import load_folder", "from offerodds.scoring import result_columns, score"],
    "io": ["from offerodds.io.modelstore import load_folder", "from offerodds.io.batch import score_table"],
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_fixture_was_logged_by_its_layout(layout):
    code = (FIXTURES / f"pyfunc-{layout}-layout" / "mlflow_model.py").read_text(encoding="utf-8")
    for line in LAYOUTS[layout]:
        assert line in code


@pytest.mark.parametrize(
    "old, new",
    [
        ("offerodds.modelstore", "offerodds.stores.modelstore"),
        ("offerodds.io.modelstore", "offerodds.stores.modelstore"),
        ("offerodds.io.batch", "offerodds.usecases._score"),
        ("offerodds.pipeline", "offerodds.usecases._retrain"),
        ("offerodds.training.config", "offerodds.config"),
    ],
)
def test_an_old_module_path_is_the_new_module_with_a_deprecation_warning(old, new):
    import importlib
    import sys

    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
        module = importlib.import_module(old)
    assert module is importlib.import_module(new)


def test_an_old_name_of_scoring_warns_and_still_works():
    with pytest.warns(DeprecationWarning, match="offerodds.scoring.results.result_columns"):
        from offerodds.scoring import result_columns as old
    assert old is result_columns


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_pyfunc_logged_by_an_earlier_layout_loads_and_scores_as_today(layout):
    mlflow = pytest.importorskip("mlflow")
    fixture = FIXTURES / f"pyfunc-{layout}-layout"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        model = mlflow.pyfunc.load_model(str(fixture))
        frame = synthetic_example(50)  # the types the old signature declares
        got = model.predict(frame)
    expected = offerodds.score(frame, model=load_folder(fixture / "artifacts" / "v1", "fixture"))
    assert set(result_columns()) <= set(got.columns)  # the io layout adds interview_id and error
    for column in ("offer_probability", "offer_log_odds", "baseline_log_odds"):
        assert np.array_equal(got[column].to_numpy(float), expected[column].to_numpy(float))
    assert (got["model_version"] == "v1").all()


def test_the_advice_rules_module_is_the_playbook_under_its_old_names():
    import sys

    from offerodds.advice import playbook as new

    sys.modules.pop("offerodds.advice.rules", None)
    with pytest.warns(DeprecationWarning, match=r"offerodds\.advice\.playbook"):
        from offerodds.advice.rules import CONDITIONS, RuleSet, advice_rules, load_rules, parse_rules
    assert (RuleSet, load_rules, parse_rules, CONDITIONS) == (
        new.Playbook, new.load_playbook, new.parse_playbook, new.CONDITIONS
    )
    with pytest.warns(DeprecationWarning, match=r"advice_rules is deprecated; use offerodds\.advice\.playbook\.playbook"):
        import offerodds.advice.rules as old

        assert old.advice_rules() is new.playbook()
    assert advice_rules() is new.playbook()


def test_retrain_report_is_the_retrain_result_under_its_old_name():
    from offerodds import usecases
    from offerodds.usecases import _retrain

    for package in (offerodds, usecases, _retrain):
        with pytest.warns(DeprecationWarning, match=r"RetrainReport is deprecated; use offerodds\.usecases\.RetrainResult"):
            assert package.RetrainReport is offerodds.RetrainResult
    assert "RetrainReport" not in dir(offerodds) and "RetrainReport" not in usecases.__all__
    with pytest.raises(AttributeError, match="no attribute 'RetrainRapport'"):
        offerodds.RetrainRapport
