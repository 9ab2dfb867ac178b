"""The house: rooms depend one way, MLflow stays in tracking, no circles, no private doors.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter reads every import,
those inside functions included, so a lazy import that dodges a circle is still a circle.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "offerodds"
MAX_MODULE_LINES = 450


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, "offerodds." + ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _room(module: str) -> str:
    """The sub-package (or top-level module) a module belongs to: ``offerodds.files.reading`` -> ``files``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_import_contracts_are_kept():
    # import-linter's own entry point, run by this interpreter (a venv may lack the script)
    run = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(sys.argv[1], no_cache=True))"
    result = subprocess.run(
        [sys.executable, "-c", run, str(ROOT / "pyproject.toml")],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "Contracts: 5 kept, 0 broken" in result.stdout


def _imported_names(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("offerodds"):
            for alias in node.names:
                yield node.module, alias.name, node.lineno


def test_no_private_name_crosses_rooms():
    crossings = []
    for path, module in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for source, name, line in _imported_names(tree):
            if name.startswith("_") and _room(source) != _room(module):
                crossings.append(f"{path.relative_to(ROOT)}:{line} imports {name} from {source}")
    assert not crossings, "\n".join(crossings)


def test_a_private_name_across_rooms_would_be_caught(tmp_path):
    tree = ast.parse("from offerodds.signals.encoding import _layout\n")
    found = [(s, n) for s, n, _ in _imported_names(tree) if n.startswith("_")]
    assert found == [("offerodds.signals.encoding", "_layout")]
    assert _room("offerodds.signals.encoding") != _room("offerodds.scoring.scorer")


@pytest.mark.parametrize("path", [p for p, _ in _modules()], ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_too_long_to_read(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines; split it along what it does"


def test_mlflow_is_imported_only_inside_tracking():
    offenders = []
    for path, module in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if any(n == "mlflow" or n.startswith("mlflow.") for n in names) and _room(module) != "tracking":
                offenders.append(f"{module}:{node.lineno}")
    assert not offenders, offenders
