"""notebooks/quickstart.ipynb: stored clean, and it runs top to bottom in a real kernel."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "notebooks" / "quickstart.ipynb"


def read_notebook():
    return nbformat.read(NOTEBOOK, as_version=4)


def cell_text(cell) -> str:
    """Everything a reader sees as text in a cell's outputs."""
    parts = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            parts.append(output.get("text", ""))
        elif output.get("output_type") in ("execute_result", "display_data"):
            data = output.get("data", {})
            parts.append(data.get("text/plain", ""))
            parts.append(data.get("text/html", ""))
        elif output.get("output_type") == "error":
            parts.append("\n".join(output.get("traceback", [])))
    return "\n".join(parts)


def tagged(notebook, tag):
    found = [c for c in notebook.cells if tag in c.get("metadata", {}).get("tags", [])]
    assert len(found) == 1, f"one cell tagged {tag!r} expected, found {len(found)}"
    return found[0]


def test_notebook_is_valid_and_stored_without_outputs():
    notebook = read_notebook()
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    markdown = [c for c in notebook.cells if c.cell_type == "markdown"]
    assert len(markdown) >= len(code) // 2
    source = "\n".join(c.source for c in code)
    for needed in ("import offerodds", "tempfile.mkdtemp", 'os.environ["OFFERODDS_WORKSPACE"]',
                   "offerodds.score(", "offerodds.explain(", ".plot()", "offerodds.retrain(",
                   "report.table", "report.figures", "Image(", "as_of=", "offerodds.followup("):
        assert needed in source, needed


@pytest.mark.slow
def test_notebook_runs_and_ends_scoring_with_the_model(tmp_path, monkeypatch):
    from nbclient import NotebookClient

    src = str(REPO / "src")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH")) if p))
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.delenv("MPLBACKEND", raising=False)  # charts show inline, as for a reader
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # the notebook's temporary workspace goes here
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)

    notebook = read_notebook()
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=600,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()  # raises CellExecutionError on the first failing cell

    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    errors = [o for o in outputs if o.output_type == "error"]
    assert errors == []

    assert "rules" in cell_text(tagged(notebook, "score-rules"))
    explain_text = cell_text(tagged(notebook, "explain"))
    assert "offer probability" in explain_text and "<table>" in explain_text
    assert "decision: promoted as v1" in cell_text(tagged(notebook, "retrain"))
    # MLflow's own messages and warnings stay out of the notebook
    everything = "\n".join(cell_text(c) for c in notebook.cells if c.cell_type == "code")
    assert "Successfully registered" not in everything and "Created version" not in everything
    assert "type hints" not in everything
    assert "log_loss" in cell_text(tagged(notebook, "table"))
    assert "now scoring with: model v1" in cell_text(tagged(notebook, "score-model"))
    advice_text = cell_text(tagged(notebook, "advice"))
    assert "next_step_due" in advice_text and "thank-you" in advice_text
    draft_text = cell_text(tagged(notebook, "draft"))
    assert draft_text.startswith("Subject: Thank you:") and "Best regards," in draft_text

    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 3  # the explanation chart, the reliability diagram, the weight chart
    assert len([o for o in tagged(notebook, "figures").outputs if "image/png" in o.get("data", {})]) == 2

    # the workspace was the notebook's own temporary folder
    assert any(p.name.startswith("offerodds-quickstart-") for p in tmp_path.iterdir())
