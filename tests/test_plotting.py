"""Figures drawn from the registry: panels, labels, data, legends, style, size."""

from __future__ import annotations

import io
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from actlib import plotting, registry
from actlib.plotting import PALETTE

ELEMENTWISE = registry.names(elementwise=True)


def line(ax, gid):
    (found,) = [ln for ln in ax.get_lines() if ln.get_gid() == gid]
    return found


@pytest.mark.parametrize("key", ELEMENTWISE)
def test_plot_function_panels_labels_and_data(key):
    act = registry.get(key)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plotting.plot_function(key)
        fig.canvas.draw()  # renders every title: no mathtext error, no warning
    ax_f, ax_df = fig.axes
    assert (ax_f.get_xlabel(), ax_f.get_ylabel()) == (plotting.X_LABEL, plotting.F_LABEL)
    assert (ax_df.get_xlabel(), ax_df.get_ylabel()) == (plotting.X_LABEL, plotting.DF_LABEL)
    f, df = line(ax_f, "f"), line(ax_df, "df")
    x = f.get_xdata()
    assert (x[0], x[-1]) == act.x_range
    np.testing.assert_array_equal(f.get_ydata(), act(x))
    np.testing.assert_array_equal(df.get_ydata(), act.grad(x))
    assert ax_f.get_title().startswith("$") and ax_df.get_title().startswith("$")
    assert f.get_color() == PALETTE[0] and df.get_linestyle() == "--"
    assert fig.get_facecolor() == (1.0, 1.0, 1.0, 1.0)


@pytest.mark.parametrize("key", ELEMENTWISE)
def test_png_is_small(key):
    buf = io.BytesIO()
    plotting.plot_function(key).savefig(buf, format="png")
    assert 5_000 < len(buf.getvalue()) < 60_000


def test_figures_do_not_stay_in_pyplot():
    before = plt.get_fignums()
    plotting.plot_function("elu")
    plotting.plot_overlay(["relu", "gelu"])
    assert plt.get_fignums() == before


def test_params_and_range_are_honoured():
    fig = plotting.plot_function("elu", {"alpha": 2.0}, x_range=(-3, 1), n=101)
    f = line(fig.axes[0], "f")
    x = f.get_xdata()
    assert len(x) == 101 and (x[0], x[-1]) == (-3, 1)
    np.testing.assert_allclose(f.get_ydata()[0], 2.0 * np.expm1(-3.0))
    expected = np.where(x > 0, 1.0, 2.0 * np.exp(np.minimum(x, 0)))
    np.testing.assert_allclose(line(fig.axes[1], "df").get_ydata(), expected, rtol=1e-15)
    assert line(fig.axes[0], "f").get_label() == "ELU ($\\alpha$=2)"


def test_draws_into_given_axes():
    fig = plotting.new_figure(2)
    assert plotting.plot_function("tanh", axes=fig.axes) is fig
    assert line(fig.axes[1], "df").get_ydata().max() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("key", "slope", "x"),
    [
        ("sigmoid", 0.25, 0.0),
        ("tanh", 1.0, 0.0),
        ("gelu", 1.1289, np.sqrt(2)),
        ("mish", 1.0885, 1.4906),
    ],
)
def test_largest_slope_point(key, slope, x):
    s = plotting.largest_slope(key)
    assert s.slope == pytest.approx(slope, abs=1e-4)
    assert s.x == pytest.approx(x, abs=0.02)
    assert not s.plateau and not s.at_edge
    fig = plotting.plot_function(key)
    for ax in fig.axes:
        marker = line(ax, "max_slope")
        assert marker.get_xdata()[0] == pytest.approx(s.x)
    assert line(fig.axes[1], "max_slope").get_ydata()[0] == pytest.approx(s.slope)
    assert "largest slope" in fig.axes[1].get_legend().get_texts()[0].get_text()


def test_largest_slope_plateau_and_edge():
    relu = plotting.largest_slope("relu")
    assert relu.plateau and relu.slope == 1.0 and 0 < relu.x_low < 0.02 and relu.x_high == 5.0
    assert line(plotting.plot_function("relu").axes[1], "max_slope_plateau") is not None
    leaky = plotting.largest_slope("leaky_relu", {"negative_slope": 1.0})  # the identity
    assert (leaky.x_low, leaky.x_high) == (-5.0, 5.0)
    soft = plotting.largest_slope("softplus")
    assert soft.at_edge and soft.x == 5.0 and soft.slope < 1


def test_bad_arguments():
    with pytest.raises(ValueError, match="not elementwise"):
        plotting.plot_function("softmax")
    with pytest.raises(ValueError, match="unknown activation"):
        plotting.plot_function("sigmoidd")
    with pytest.raises(ValueError, match=r"unknown parameter.*alpa.*allowed: alpha"):
        plotting.plot_function("elu", {"alpa": 1})
    with pytest.raises(ValueError, match="x_range"):
        plotting.plot_function("elu", x_range=(1, -1))
    with pytest.raises(ValueError, match="derivative"):
        plotting.plot_overlay(["elu"], derivative="yes")
    with pytest.raises(ValueError, match="at least one"):
        plotting.plot_overlay([])
    with pytest.raises(ValueError, match="no parameter"):
        plotting.plot_sweep("elu", "beta")


def test_mathtext_rewrites_what_matplotlib_lacks():
    cases = r"\begin{cases} x & x > 0 \\ 0 & x \le 0 \end{cases}"
    assert (
        plotting.mathtext(r"f(x) = " + cases)
        == r"$f(x) = x\ \mathrm{if}\ x > 0,\ 0\ \mathrm{if}\ x \leq 0$"
    )
    assert plotting.mathtext(r"\lambda " + cases).startswith(r"$\lambda \left(x")
    assert plotting.mathtext(r"\bigl(1 - x\bigr)") == "$(1 - x)$"
    assert plotting.mathtext(r"\notacommand{x}") is None


def test_title_falls_back_to_name_when_latex_cannot_render():
    assert plotting._title(r"\notacommand", "f(x)", "Foo") == "Foo: f(x)"
    assert plotting._title(r"\alpha x", "f'(x)", "Foo") == r"$f'(x) = \alpha x$"


def test_overlay_of_activations():
    keys = ["sigmoid", "tanh", "relu", "gelu"]
    fig = plotting.plot_overlay(keys)
    (ax,) = fig.axes
    curves = [ln for ln in ax.get_lines() if ln.get_label() in {registry.get(k).name for k in keys}]
    assert [ln.get_label() for ln in curves] == [registry.get(k).name for k in keys]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        registry.get(k).name for k in keys
    ]
    assert len({ln.get_color() for ln in curves}) == 4
    assert len({str(ln.get_linestyle()) for ln in curves}) == 4
    x = curves[0].get_xdata()
    assert (x[0], x[-1]) == (-8.0, 8.0)  # union of the records' ranges
    for k, ln in zip(keys, curves, strict=True):
        np.testing.assert_array_equal(ln.get_ydata(), registry.get(k)(x))


def test_overlay_of_parameter_values_and_derivatives():
    items = [("leaky_relu", {"negative_slope": a}) for a in (0.1, 0.3)]
    fig = plotting.plot_overlay(items, derivative=True)
    (ax,) = fig.axes
    assert ax.get_ylabel() == plotting.DF_LABEL
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert texts == ["Leaky ReLU ($a$=0.1)", "Leaky ReLU ($a$=0.3)"]
    lines = [ln for ln in ax.get_lines() if ln.get_label() in texts]
    assert lines[1].get_ydata()[0] == pytest.approx(0.3)
    both = plotting.plot_overlay(["elu", ("gelu", {"approximate": "tanh"})], derivative="both")
    assert len(both.axes) == 2
    assert "GELU (approximate=tanh)" in [
        t.get_text() for t in both.axes[0].get_legend().get_texts()
    ]


def test_sweep_defaults_to_five_values_across_the_range():
    fig = plotting.plot_sweep("elu", "alpha")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == [f"ELU ($\\alpha$={a:g})" for a in (0, 0.75, 1.5, 2.25, 3)]
    gelu = plotting.plot_sweep("gelu", "approximate", derivative=False)
    assert len(gelu.axes[0].get_legend().get_texts()) == 2
