"""Public names say what they are: ``dir(offerodds)`` is ``__all__`` and the sub-packages, no
function is shadowed by a sub-package, every result type a public function returns is importable
from ``offerodds``, and the code of a logged MLflow model imports only public names."""

import ast
import importlib
import inspect
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import offerodds
from offerodds.synthetic import generate

PACKAGE = Path(offerodds.__file__).parent
PARTS = sorted(m.name for m in pkgutil.iter_modules([str(PACKAGE)]) if not m.name.startswith("_"))


def test_dir_is_all_and_the_sub_packages():
    public = [name for name in dir(offerodds) if not name.startswith("_")]
    assert public == sorted(set(offerodds.__all__) | set(PARTS))
    assert "annotations" not in dir(offerodds) and "signals" not in offerodds.__all__


def test_every_name_of_all_works_after_every_sub_package_is_imported():
    # in a fresh interpreter: importing a sub-package sets an attribute of the package, which
    # is how ``offerodds.signals()`` used to stop working
    code = (
        "import importlib, pkgutil, offerodds\n"
        "for m in pkgutil.walk_packages(offerodds.__path__, 'offerodds.'):\n"
        "    if m.name.startswith('offerodds.cli') or '._compat' in m.name: continue\n"
        "    if 'tracking' in m.name or 'spark' in m.name: continue\n"
        "    importlib.import_module(m.name)\n"
        "for name in offerodds.__all__:\n"
        "    value = getattr(offerodds, name)\n"
        "    assert not inspect.ismodule(value), name\n"
        "assert offerodds.catalogue().shape[0] > 20\n"
        "print('ok')\n"
    ).replace("import importlib,", "import inspect, importlib,")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok"


def test_no_name_of_all_is_also_a_sub_package():
    assert not set(offerodds.__all__) & set(PARTS)


def test_every_result_type_is_importable_from_offerodds(tmp_path):
    card = offerodds.rules()
    assert isinstance(card, offerodds.LinearScorer)
    assert isinstance(offerodds.explain({"selling": 4}, model=card), offerodds.Explanation)
    draft = offerodds.followup({"interview_date": "2026-03-02", "selling": 4}, model=card, as_of="2026-03-02")
    assert isinstance(draft, offerodds.Draft)
    model = offerodds.fit(generate(300, seed=4))
    assert isinstance(model, offerodds.LinearScorer)
    assert isinstance(model.fit_summary, offerodds.FitSummary)
    result = offerodds.monitor(generate(100, seed=1), reference=generate(400, seed=2), workspace=tmp_path)
    assert isinstance(result, offerodds.MonitorResult)
    for name in ("retrain", "monitor", "explain", "followup", "fit", "rules", "load_model"):
        returned = inspect.signature(getattr(offerodds, name)).return_annotation
        if isinstance(returned, str) and returned in offerodds.__all__:
            continue
        assert returned is inspect.Signature.empty or returned.__name__ in offerodds.__all__, name


def test_a_scorer_has_no_fit_attribute_that_is_data():
    card = offerodds.rules()
    assert not hasattr(card, "fit")  # ``fit`` is a method in scikit-learn; ours is fit_summary
    assert card.fit_summary is None


MODEL_CODE = PACKAGE / "tracking" / "mlflow_model.py"


def _offerodds_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "offerodds":
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "offerodds":
                    yield alias.name, []


def test_the_logged_model_code_imports_only_public_names():
    imports = list(_offerodds_imports(ast.parse(MODEL_CODE.read_text(encoding="utf-8"))))
    assert imports, "the model code should use offerodds"
    for module, names in imports:
        parts = module.split(".")
        assert len(parts) <= 2 and not any(p.startswith("_") for p in parts), module
        assert len(parts) == 1 or (PACKAGE / parts[1] / "__init__.py").exists(), f"{module} is not a package"
        doors = importlib.import_module(module).__all__
        for name in names:
            assert name in doors, f"{module}.{name} is not one of the names {module} makes public"


def test_the_import_check_would_catch_a_private_module():
    tree = ast.parse("from offerodds.usecases._score import score_table\nimport offerodds.stores.modelstore\n")
    found = list(_offerodds_imports(tree))
    assert found == [("offerodds.usecases._score", ["score_table"]), ("offerodds.stores.modelstore", [])]
    assert all(len(m.split(".")) > 2 for m, _ in found)


def test_every_use_case_result_is_immutable():
    import dataclasses

    from offerodds import usecases

    results = [getattr(usecases, n) for n in usecases.__all__ if n[0].isupper() and n[1].islower()]
    results = [r for r in results if dataclasses.is_dataclass(r) and r.__module__.startswith("offerodds.usecases")]
    assert usecases.Forgotten in results and len(results) >= 10
    mutable = [r.__name__ for r in results if not r.__dataclass_params__.frozen]
    assert mutable == []


def test_every_name_of_all_can_be_called_after_every_sub_package_is_imported(tmp_path):
    # each name of __all__ is used (called, or returned by the call that makes it) in a fresh
    # interpreter after every sub-package was imported; a name added to __all__ without a use
    # here fails the test
    code = f"""
import importlib, pkgutil, warnings
import offerodds
for m in pkgutil.walk_packages(offerodds.__path__, 'offerodds.'):
    if m.name.startswith('offerodds.cli') or '._compat' in m.name or 'tracking' in m.name or 'spark' in m.name:
        continue
    importlib.import_module(m.name)
from offerodds.config import RetrainConfig, TrackingConfig
from offerodds.synthetic import generate
warnings.simplefilter('ignore')
o, ws, used = offerodds, {str(tmp_path)!r}, set()
def use(name, check):
    value = getattr(o, name)
    assert check(value), name
    used.add(name)
labelled = generate(300, seed=4)
use('catalogue', lambda f: f().shape[0] > 20)
use('rules', lambda f: f().kind == 'rules')
use('LinearScorer', lambda c: isinstance(o.rules(), c))
use('score', lambda f: len(f(labelled.head(5), model=o.rules(), as_of='2026-03-02')) == 5)
use('explain', lambda f: isinstance(f({{'selling': 4}}, model=o.rules()), o.Explanation))
use('Explanation', lambda c: 0 < o.explain({{'selling': 4}}, model=o.rules()).offer_probability < 1)
use('followup', lambda f: isinstance(f({{'interview_date': '2026-03-02', 'selling': 4}}, model=o.rules(), as_of='2026-03-02'), o.Draft))
use('Draft', lambda c: c('thank_you', 'Thanks', 'Dear ...', 'send it', '2026-03-03').subject == 'Thanks')
use('fit', lambda f: isinstance(f(labelled), o.LinearScorer))
use('FitSummary', lambda c: isinstance(o.fit(labelled).fit_summary, c))
use('load_model', lambda f: isinstance(f(workspace=ws), o.LinearScorer))
use('to_sql', lambda f: 'select' in f('duckdb', model=o.rules()).lower())
use('from_notes', lambda f: isinstance(f('Booked for an hour, done in 25 minutes.'), o.NoteReading))
use('NoteReading', lambda c: 'workspace_tour' in str(o.from_notes('No tour.')))
use('monitor', lambda f: isinstance(f(generate(100, seed=1), reference=generate(400, seed=2), workspace=ws), o.MonitorResult))
use('MonitorResult', lambda c: isinstance(c, type))
config = RetrainConfig(tracking=TrackingConfig(enabled=False))
use('retrain', lambda f: isinstance(f(labelled, workspace=ws, config=config), o.RetrainResult))
use('RetrainResult', lambda c: 'interview' in str(o.retrain(labelled, workspace=ws, config=config)))
from offerodds.synthetic import typed_frame
frame = generate(200, seed=5)
X = typed_frame(frame)
use('SignalFeatures', lambda c: c().fit(X).transform(X).shape[0] == 200)
y = (frame['outcome'] == 'offer').to_numpy().astype(int)
use('PriorLogisticRegression', lambda c: c().fit(o.SignalFeatures().fit_transform(X), y).predict_proba(o.SignalFeatures().fit_transform(X)).shape == (200, 2))
for name in ['OfferoddsError', 'InputError', 'FileClash', 'FileAccessError', 'ConfigError', 'FitError',
             'NoReference', 'StoreError', 'ChampionUnavailable', 'TrackingError']:
    error = getattr(o, name)('what is wrong')
    assert isinstance(error, o.OfferoddsError) and str(error) == 'what is wrong', name
    used.add(name)
use('OfferoddsWarning', lambda c: issubclass(c, Warning))
assert used == set(o.__all__), sorted(set(o.__all__) ^ used)
assert [n for n in dir(o) if not n.startswith('_') and n not in o.__all__] == {PARTS!r}
print('ok')
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
