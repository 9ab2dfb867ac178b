"""Tests for offerodds.evaluation.plots."""

import importlib
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from offerodds.evaluation.plots import contributions_chart, reliability_diagram, weights_chart


def _read_png(path):
    import matplotlib.image as mpimg

    assert path.exists() and path.stat().st_size > 0
    img = mpimg.imread(path)
    assert img.ndim == 3 and img.shape[0] > 50 and img.shape[1] > 50
    return img


def test_reliability_diagram(tmp_path):
    rng = np.random.default_rng(0)
    p = rng.uniform(size=2_000)
    y = (rng.uniform(size=p.size) < p).astype(int)
    probs = {"model": p, "rule card": np.clip(p + 0.15, 0, 1), "flat": np.full(p.size, 0.5)}
    out = tmp_path / "rel.png"
    fig = reliability_diagram(y, probs, n_bins=10, path=out)
    _read_png(out)
    ax = fig.axes[0]
    assert len(ax.lines) == len(probs) + 1  # diagonal + one per scorer
    assert len(ax.lines[1].get_xdata()) == 10
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert all(any(name in lab and "ECE" in lab for lab in labels) for name in probs)
    assert fig.axes[1].get_xlabel() == "predicted offer probability"
    assert ax.get_ylabel() == "observed offer rate"
    assert len(fig.axes) == 2 and len(fig.axes[1].patches) > 0


def test_reliability_diagram_no_path_and_errors():
    fig = reliability_diagram([0, 1, 1, 0], {"a": [0.1, 0.8, 0.6, 0.3]}, n_bins=2)
    assert len(fig.axes[0].lines) == 2
    with pytest.raises(ValueError):
        reliability_diagram([0, 1], {})
    with pytest.raises(ValueError, match="length mismatch"):
        reliability_diagram([0, 1], {"a": [0.1, 0.2, 0.3]})


def test_weights_chart(tmp_path):
    learned = pd.Series({"referral": 1.2, "take_home_done": 0.4, "gap_months": -0.3, "late": -0.9})
    prior = pd.Series({"referral": 1.0, "take_home_done": 0.5, "gap_months": -0.5, "late": -1.0})
    out = tmp_path / "w.png"
    fig = weights_chart(learned, prior, path=out, learned_name="yours", prior_name="the card", note="a note")
    _read_png(out)
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * len(learned)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["late", "gap_months", "take_home_done", "referral"]  # ascending -> top largest
    # effects read as odds multipliers, the bars stay on the (additive) log-odds scale
    xticks = {t.get_text(): t.get_position()[0] for t in ax.get_xticklabels()}
    assert "x1" in xticks and xticks["x1"] == 0.0
    assert all(np.isclose(x, np.log(_multiplier(label))) for label, x in xticks.items())
    assert ax.get_xlabel().startswith("odds of an offer multiplied by")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["the card", "yours"]
    assert any(list(line.get_xdata()) == [0, 0] for line in ax.lines)
    # figure grows with number of bars
    many = pd.Series(np.linspace(-1, 1, 30), index=[f"f{i}" for i in range(30)])
    assert weights_chart(many, many * 0.5).get_size_inches()[1] > fig.get_size_inches()[1]


def _multiplier(label: str) -> float:
    text = label.removeprefix("x")
    if "/" in text:
        top, bottom = text.split("/")
        return float(top) / float(bottom)
    return float(text)


def test_contributions_chart_labels_colours_and_interval(tmp_path):
    c = pd.Series({"referral": 0.8, "late": -0.6, "no show": 0.0, "portfolio": 0.25, "gap": -0.1})
    out = tmp_path / "c.png"
    fig = contributions_chart(c, 0.4123, low=0.3, high=0.55, baseline=0.33, baseline_text="a first round",
                              title="Interview 17", path=out)
    _read_png(out)
    strip, ax = fig.axes[:2]
    bars = ax.patches
    assert len(bars) == 5  # every recorded answer, one worth nothing too
    widths = [b.get_width() for b in bars]
    assert widths == sorted(widths)
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["late", "gap", "no show", "portfolio", "referral"]
    for b in bars:
        r, g, _, _ = b.get_facecolor()
        if b.get_width():
            assert (g > r) == (b.get_width() > 0)
    notes = [t.get_text() for t in ax.texts]
    assert "nothing by itself" in notes and "x2.23" in notes and "x0.55" in notes
    assert strip.get_title() == "Interview 17: 41 % chance of an offer"
    # the interval is drawn around the probability, and the starting point beside it
    interval = [line for line in strip.lines if len(line.get_xdata()) == 2]
    assert len(interval) == 1 and np.allclose(interval[0].get_xdata(), [30.0, 55.0])
    legend = [t.get_text() for t in strip.get_legend().get_texts()]
    assert legend == ["90 % interval 30 % to 55 %", "offer probability 41 %", "starting point 33 %"]
    assert "a first round" in strip.get_xlabel()
    assert "log-odds" not in " ".join([ax.get_xlabel(), strip.get_title(), *notes])


def test_contributions_chart_without_interval_or_answers():
    fig = contributions_chart(pd.Series(dtype=float), 0.52)
    strip, ax = fig.axes[:2]
    assert len(ax.patches) == 0 and "nothing recorded" in [t.get_text() for t in ax.texts]
    assert [t.get_text() for t in strip.get_legend().get_texts()] == ["offer probability 52 %"]


def test_lazy_import_and_no_pyplot():
    # importing plots must not import matplotlib; drawing must never touch pyplot
    code = (
        "import sys\n"
        "import offerodds.evaluation.plots as P\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported eagerly'\n"
        "import pandas as pd\n"
        "P.contributions_chart(pd.Series({'a': 1.0}), 0.7)\n"
        "P.reliability_diagram([0, 1], {'m': [0.2, 0.8]})\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    src_dir = importlib.import_module("offerodds.evaluation.plots").__file__.rsplit("offerodds", 1)[0]
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={"PYTHONPATH": src_dir, "PATH": "/usr/bin:/bin", "MPLBACKEND": ""})
    assert r.returncode == 0, r.stderr


# --- calibration over time and the monitor's charts (aggregates in, figures out) ---------------


def test_binned_reliability_diagram_draws_one_line_per_curve(tmp_path):
    from offerodds.evaluation.plots import binned_reliability_diagram

    curves = {
        "all retrains": pd.DataFrame({"predicted": [0.1, 0.5, 0.9], "observed": [0.12, 0.45, 0.93], "n": [300, 80, 20]}),
        "2026-03-01, model v2": pd.DataFrame({"predicted": [0.1, 0.5], "observed": [0.2, 0.4], "n": [30, 8]}),
    }
    out = tmp_path / "binned.png"
    fig = binned_reliability_diagram(curves, path=out)
    _read_png(out)
    ax = fig.axes[0]
    assert len(ax.lines) == 3  # diagonal + one per curve
    assert list(ax.lines[1].get_ydata()) == [0.12, 0.45, 0.93]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[1:] == ["all retrains (400 outcomes)", "2026-03-01, model v2 (38 outcomes)"]


def test_recorded_chart_marks_the_signals_that_moved(tmp_path):
    from offerodds.evaluation.drift_plots import recorded_chart

    out = tmp_path / "recorded.png"
    fig = recorded_chart(["engagement", "hurried", "stage"], [0.9, 0.1, 0.95], [0.85, 0.8, 0.96], [False, True, False], out)
    _read_png(out)
    labels = fig.axes[0].get_yticklabels()
    assert [t.get_text() for t in labels] == ["engagement", "hurried", "stage"]
    assert [t.get_color() for t in labels].count("#c62828") == 1 and labels[1].get_color() == "#c62828"


def test_values_chart_has_a_panel_per_signal_and_hides_the_rest(tmp_path):
    from offerodds.evaluation.drift_plots import values_chart

    panels = [
        ("hurried", ["no", "yes"], [0.2, 0.8], [0.7, 0.3]),
        ("engagement", ["1", "2", "3", "4", "5"], [0.1, 0.1, 0.2, 0.3, 0.3], [0.1, 0.2, 0.4, 0.2, 0.1]),
        ("stage", ["screen", "first", "final", "other"], [0.1, 0.1, 0.7, 0.1], [0.3, 0.35, 0.25, 0.1]),
    ]
    out = tmp_path / "values.png"
    fig = values_chart(panels, out)
    _read_png(out)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["hurried", "engagement", "stage"]
    assert [len(ax.patches) for ax in visible] == [4, 10, 8]  # reference and batch per category


def test_probability_chart_shows_shares_of_each(tmp_path):
    from offerodds.evaluation.drift_plots import probability_chart

    rng = np.random.default_rng(1)
    fig = probability_chart(rng.uniform(0.3, 0.6, 50), rng.uniform(0, 1, 3000), tmp_path / "p.png")
    _read_png(tmp_path / "p.png")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["reference (3,000 interviews)", "batch (50 interviews)"]
    heights = [patch.get_path().vertices[:, 1].max() for patch in fig.axes[0].patches]
    assert all(0 < h <= 1 for h in heights)
