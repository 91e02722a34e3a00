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
JUMPS = {"relu", "leaky_relu", "prelu", "selu"}  # f' jumps at 0 with the default parameters


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
    dx, dy = df.get_xdata(), df.get_ydata()
    smooth = key not in JUMPS  # f' is drawn exactly on the grid; at a jump, broken (see below)
    assert np.isnan(dy).any() != smooth
    ok = ~np.isnan(dx) & (dx != 0)
    np.testing.assert_array_equal(dy[ok], act.grad(dx[ok]))
    assert np.isin(x, dx).all()
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
    dx, dy = line(fig.axes[1], "df").get_data()
    assert len(dx) == 103 and np.isnan(dx[76]) and dx[75] == dx[77] == 0  # the jump at 0
    expected = np.where(dx > 0, 1.0, 2.0 * np.exp(np.minimum(dx, 0)))
    expected[77] = 1.0  # the right-hand end of the jump
    np.testing.assert_allclose(dy, expected, rtol=1e-9)
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


@pytest.mark.parametrize(
    ("key", "params"),
    [
        ("relu", {}),
        ("leaky_relu", {"negative_slope": 0.1}),
        ("prelu", {"weight": 1.5}),
        ("elu", {"alpha": 0.5}),
        ("elu", {"alpha": 2.0}),
        ("selu", {}),
    ],
)
def test_derivative_jump_is_broken_and_its_sides_marked(key, params):
    act = registry.get(key)
    left, at, right = (float(act.grad(v, **params)) for v in (-1e-10, 0.0, 1e-10))
    fig = plotting.plot_function(key, params)
    ax = fig.axes[1]
    df = line(ax, "df")
    x, y = df.get_xdata(), df.get_ydata()
    (gap,) = np.flatnonzero(np.isnan(y))  # one break, no vertical segment across the jump
    assert np.isnan(x[gap]) and x[gap - 1] == x[gap + 1] == 0.0
    assert y[gap - 1] == pytest.approx(left) and y[gap + 1] == pytest.approx(right)
    assert np.all(x[:gap] <= 0) and np.all(x[gap + 1 :] >= 0)
    filled = line(ax, "df_at_kink")
    assert (filled.get_xdata()[0], filled.get_ydata()[0]) == (0.0, at)  # actlib's f'(0)
    assert filled.get_markerfacecolor() == filled.get_markeredgecolor()
    (hollow,) = [ln for ln in ax.get_lines() if ln.get_gid() == "df_limit"]
    other = right if at == pytest.approx(left) else left
    assert (hollow.get_xdata()[0], hollow.get_ydata()[0]) == (0.0, pytest.approx(other))
    assert hollow.get_markerfacecolor() == "white"
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(texts) == 3 and "kink" in texts[1] and "limit from the right" in texts[2]
    low, high = ax.get_ylim()
    assert low < min(left, right) and high > max(left, right)


@pytest.mark.parametrize(
    ("key", "params"), [("elu", {}), ("sigmoid", {}), ("gelu", {}), ("softplus", {"beta": 10})]
)
def test_continuous_derivative_is_not_broken(key, params):
    ax = plotting.plot_function(key, params).axes[1]
    assert not np.isnan(line(ax, "df").get_ydata()).any()
    assert not [ln for ln in ax.get_lines() if ln.get_gid() in {"df_at_kink", "df_limit"}]
    assert len(ax.get_legend().get_texts()) == 1


def test_overlay_breaks_derivative_jumps_only():
    fig = plotting.plot_overlay(["relu", "elu"], derivative=True, n=101)
    relu, elu = [ln for ln in fig.axes[0].get_lines() if ln.get_label() in {"ReLU", "ELU"}]
    assert np.isnan(relu.get_ydata()).sum() == 1 and not np.isnan(elu.get_ydata()).any()
    f = plotting.plot_overlay(["relu"], derivative=False).axes[0].get_lines()[-1]
    assert not np.isnan(f.get_ydata()).any()


@pytest.mark.parametrize(
    ("key", "params", "x_range", "where", "ends"),
    [
        ("relu", {}, None, "for every x > 0", (0.0, 5.0)),
        ("elu", {"alpha": 0.5}, None, "for every x > 0", (0.0, 5.0)),
        ("elu", {"alpha": 1.0}, None, "for every x ≥ 0", (0.0, 5.0)),  # f'(0) = 1 belongs
        ("prelu", {"weight": 1.5}, None, "for every x ≤ 0", (-5.0, 0.0)),
        ("leaky_relu", {"negative_slope": 1.0}, None, "for every x ∈ [-5, 5]", (-5.0, 5.0)),
        ("relu", {}, (1.0, 5.0), "for every x ∈ [1, 5]", (1.0, 5.0)),  # no kink on the plot
        ("relu", {}, (-1.0, 5.0), "for every x > 0", (0.0, 5.0)),  # 0 between grid points
        ("softplus", {"beta": 10}, None, "for every x ∈ [2.01, 5]", (2.0125, 5.0)),  # no kink
        ("elu", {"alpha": 2.0}, None, "at x = 0", (0.0, 0.0)),
        ("softplus", {}, None, "at x = 5 (range edge)", (5.0, 5.0)),
    ],
)
def test_largest_slope_says_where_in_words(key, params, x_range, where, ends):
    s = plotting.largest_slope(key, params, x_range, n=401 if x_range else 801)
    assert s.where == where
    assert (s.low, s.high) == pytest.approx(ends)
    if x_range is None:
        legend = plotting.plot_function(key, params).axes[1].get_legend()
        assert legend.get_texts()[0].get_text() == f"largest slope {s.slope:.4g} {where}"


def test_plateau_band_runs_from_the_kink_to_the_edge():
    band = line(plotting.plot_function("relu").axes[1], "max_slope_plateau")
    x, y = band.get_data()
    assert (x[0], x[-1]) == (0.0, 5.0) and set(y) == {1.0}
    marker = line(plotting.plot_function("relu").axes[1], "max_slope")
    assert 1.0 < marker.get_xdata()[0] < 4.0  # inside the plateau, away from the open circle


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
