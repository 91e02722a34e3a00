"""Explorers: pure update logic, widgets built from the registry, kernel-free HTML snippets."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import ipywidgets as widgets

from actlib import explore, registry
from actlib.explore import ExplorerState, NeuronState

ELEMENTWISE = registry.names(elementwise=True)
WITH_NUMERIC = [k for k in ELEMENTWISE if any(not p.choices for p in registry.get(k).params)]
WITHOUT_NUMERIC = [k for k in ELEMENTWISE if k not in WITH_NUMERIC]
PNG = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- pure logic


@pytest.mark.parametrize("key", ELEMENTWISE)
def test_curves_equal_actlib(key):
    act = registry.get(key)
    c = explore.explorer_curves(ExplorerState(key))
    assert set(c) == {"x", "f", "df"}
    assert (c["x"][0], c["x"][-1]) == act.x_range
    np.testing.assert_array_equal(c["f"], act(c["x"]))
    np.testing.assert_array_equal(c["df"], act.grad(c["x"]))


def test_parameter_change_changes_the_curve():
    a = explore.explorer_curves(ExplorerState("elu", {"alpha": 1.0}))
    b = explore.explorer_curves(ExplorerState("elu", {"alpha": 2.5}))
    assert not np.array_equal(a["f"], b["f"])
    np.testing.assert_array_equal(b["f"], registry.get("elu")(b["x"], alpha=2.5))
    np.testing.assert_array_equal(a["f"][a["x"] > 0], b["f"][b["x"] > 0])


def test_compare_and_derivative_toggle():
    c = explore.explorer_curves(ExplorerState("elu", compare="relu", x_range=(-2, 3), n=51))
    assert set(c) == {"x", "f", "df", "compare_f", "compare_df"}
    assert len(c["x"]) == 51 and (c["x"][0], c["x"][-1]) == (-2, 3)
    np.testing.assert_array_equal(c["compare_f"], np.maximum(c["x"], 0))
    np.testing.assert_array_equal(c["compare_df"], registry.get("relu").grad(c["x"]))
    off = explore.explorer_curves(ExplorerState("elu", compare="relu", derivative=False))
    assert set(off) == {"x", "f", "compare_f"}


def test_bad_states():
    with pytest.raises(ValueError, match="unknown parameter"):
        explore.explorer_curves(ExplorerState("elu", {"beta": 1}))
    with pytest.raises(ValueError, match="not elementwise"):
        explore.explorer_curves(ExplorerState("softmax"))
    with pytest.raises(ValueError, match="x_range"):
        explore.explorer_curves(ExplorerState("elu", x_range=(2, 2)))


def test_neuron_curves():
    s = NeuronState("sigmoid", w=3.0, b=-1.0, derivative=True, n=2001)
    c = explore.neuron_curves(s)
    x = c["x"]
    np.testing.assert_array_equal(c["y"], registry.get("sigmoid")(3.0 * x - 1.0))
    np.testing.assert_array_equal(c["reference"], registry.get("sigmoid")(x))
    np.testing.assert_allclose(c["dy"], np.gradient(c["y"], x), atol=1e-3)  # chain rule
    assert "dy" not in explore.neuron_curves(NeuronState("relu"))
    p = explore.neuron_curves(NeuronState("elu", w=1.0, b=0.0, params={"alpha": 0.5}))
    np.testing.assert_array_equal(p["y"], registry.get("elu")(p["x"], alpha=0.5))


def test_render_draws_the_state():
    fig = explore.render(ExplorerState("swish", {"beta": 4.0}, compare="relu"))
    lines = {ln.get_gid(): ln for ln in fig.axes[0].get_lines() if ln.get_gid()}
    assert set(lines) == {"f", "df", "compare_f", "compare_df"}
    x = lines["f"].get_xdata()
    np.testing.assert_array_equal(lines["f"].get_ydata(), registry.get("swish")(x, beta=4.0))
    assert fig.axes[0].get_title() == "Swish ($\\beta$=4)"
    fig = explore.render_neuron(NeuronState("tanh", w=-2.0, b=0.5, derivative=True))
    lines = {ln.get_gid(): ln for ln in fig.axes[0].get_lines() if ln.get_gid()}
    assert set(lines) == {"reference", "y", "dy"}
    x = lines["y"].get_xdata()
    np.testing.assert_array_equal(lines["y"].get_ydata(), np.tanh(-2.0 * x + 0.5))


# --------------------------------------------------------------------------- widgets


@pytest.mark.parametrize("key", ELEMENTWISE)
def test_explorer_controls_come_from_the_registry(key):
    act = registry.get(key)
    box = explore.explorer(key)
    assert isinstance(box, widgets.VBox) and box.image in box.children
    assert bytes(box.image.value).startswith(PNG)
    for p in act.params:
        w = box.controls[p.name]
        if p.choices:
            assert isinstance(w, widgets.Dropdown) and tuple(w.options) == p.choices
        else:
            assert isinstance(w, widgets.FloatSlider)
            assert (w.min, w.max, w.step, w.value) == (p.low, p.high, p.step, p.default)
    rng = box.controls["x_range"]
    assert isinstance(rng, widgets.FloatRangeSlider) and tuple(rng.value) == act.x_range
    assert rng.min < act.x_range[0] and rng.max > act.x_range[1]
    options = dict(box.controls["compare"].options)
    assert (
        options["none"] is None
        and key not in options.values()
        and "softmax" not in options.values()
    )
    assert len(options) == len(ELEMENTWISE)
    assert box.state == ExplorerState(key, act.defaults(), act.x_range)


def test_explorer_controls_drive_the_state_and_the_image():
    box = explore.explorer("elu", compare="gelu")
    first = box.image.value
    box.controls["alpha"].value = 2.0
    box.controls["derivative"].value = False
    box.controls["compare"].value = None
    box.controls["x_range"].value = (-3.0, 2.0)
    assert box.state == ExplorerState("elu", {"alpha": 2.0}, (-3.0, 2.0), False, None)
    assert bytes(box.image.value).startswith(PNG) and box.image.value != first
    with pytest.raises(ValueError, match="cannot compare"):
        explore.explorer("elu", compare="softmax")


def test_neuron_explorer_widgets():
    box = explore.neuron_explorer("softplus")
    assert {"w", "b", "beta", "threshold", "x_range", "derivative"} <= set(box.controls)
    assert (box.controls["w"].min, box.controls["w"].max, box.controls["w"].value) == (-4, 4, 1)
    assert box.controls["threshold"].max == 40.0
    before = box.image.value
    box.controls["b"].value = 1.5
    box.controls["beta"].value = 3.0
    assert box.state == NeuronState(
        "softplus", 1.0, 1.5, {"beta": 3.0, "threshold": 20.0}, (-5.0, 5.0), False
    )
    assert box.image.value != before


# --------------------------------------------------------------------------- static HTML


def data_of(html: str) -> dict:
    return json.loads(re.search(r"var D=(\{.*?\}),U=", html).group(1))


def uid_of(html: str) -> str:
    return re.match(r'<div class="actx" id="([^"]+)"', html).group(1)


@pytest.mark.parametrize("key", WITH_NUMERIC)
def test_static_explorer_structure_and_values(key):
    act = registry.get(key)
    p = next(p for p in act.params if not p.choices)
    html = explore.static_explorer(key).data
    assert "<svg" in html and "<title" in html and 'aria-labelledby="' in html
    assert "http" not in html and "<script src" not in html and "require" not in html
    assert len(html) < 60_000
    d = data_of(html)
    values = explore.default_values(p)
    assert len(d["f"]) == len(d["df"]) == len(d["labels"]) == len(values)
    slider = re.search(
        r'<input type="range" id="[^"]+-s" min="0" max="(\d+)" step="1" '
        r'value="(\d+)"',
        html,
    )
    assert int(slider.group(1)) == len(values) - 1
    start = int(slider.group(2))
    assert values[start] == p.default
    x = np.linspace(*act.x_range, 121)
    sx = np.asarray(d["x"])
    np.testing.assert_allclose(
        np.diff(sx) / np.diff(x), (sx[-1] - sx[0]) / (x[-1] - x[0]), atol=0.11 / np.diff(x).min()
    )
    # every precomputed curve is actlib's, through one affine map (up to 0.05 px rounding)
    all_y = np.concatenate(
        [act(x, **{p.name: v}) for v in values] + [act.grad(x, **{p.name: v}) for v in values]
    )
    all_svg = np.concatenate([np.asarray(c) for c in d["f"] + d["df"]])
    lo, hi = all_y.min(), all_y.max()
    pad = 0.06 * (hi - lo)  # the y-axis spans every curve, 6 % beyond
    k = (explore._H - explore._TOP - explore._BOTTOM) / (hi - lo + 2 * pad)
    expected = explore._H - explore._BOTTOM - (all_y - (lo - pad)) * k
    np.testing.assert_allclose(all_svg, expected, atol=0.0501)
    # without JS the default curve is drawn, the slider hidden
    points = re.search(r'class="actx-f" points="([^"]+)"', html).group(1)
    assert [float(pt.split(",")[1]) for pt in points.split()] == d["f"][start]
    assert '<div class="actx-controls" hidden' in html


@pytest.mark.parametrize(
    ("key", "name"), [(k, p.name) for k in WITH_NUMERIC for p in registry.get(k).params if p.step]
)
def test_default_values_are_round_multiples_of_the_step(key, name):
    p = next(q for q in registry.get(key).params if q.name == name)
    values = explore.default_values(p)
    assert values == sorted(set(values)) and len(values) <= 25
    assert {p.low, p.high, p.default} <= set(values)
    diffs, counts = np.unique(np.round(np.diff(values), 9), return_counts=True)
    spacing = float(diffs[np.argmax(counts)])  # the grid's step
    assert np.isclose(spacing / p.step, round(spacing / p.step))  # a multiple of the slider's
    assert round(spacing / 10 ** np.floor(np.log10(spacing)), 9) in (1, 2, 2.5, 5)  # and nice
    multiples = np.arange(np.ceil(p.low / spacing), np.floor(p.high / spacing) + 1) * spacing
    grid = [v for v in values if np.isclose(v / spacing, round(v / spacing))]
    np.testing.assert_allclose(grid, multiples, atol=1e-12)  # every multiple in the range
    assert set(values) - set(grid) <= {p.low, p.high, p.default}
    assert all(v == round(v, 10) and not (v == 0 and np.signbit(v)) for v in values)  # no -0


def test_default_values_of_elu_include_alpha_2():
    alpha = registry.get("elu").params[0]
    assert explore.default_values(alpha) == [k / 5 for k in range(16)]  # 0, 0.2, ..., 3
    labels = data_of(explore.static_explorer("elu").data)["labels"]
    assert "α = 2" in labels and "α = 0" in labels and "α = -0" not in labels
    odd = registry.Param("a", 0.7, 0.1, 3.0, 0.3)  # no nice multiple of 0.3: use a multiple
    assert explore.default_values(odd) == [0.1, 0.3, 0.6, 0.7, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4,
                                           2.7, 3.0]  # fmt: skip
    with pytest.raises(ValueError, match="not a numeric parameter"):
        explore.default_values(registry.get("gelu").params[0])


def ticks_of(html: str) -> list[str]:
    return re.findall(r'text-anchor="(?:end|middle)">([^<]*)</text>', html)


@pytest.mark.parametrize("key", ELEMENTWISE)
def test_static_axes_are_labelled_without_minus_zero(key):
    for html in (
        explore.static_neuron(key).data,
        explore.static_neuron(key, derivative=True).data,
        explore.static_explorer(key).data,
    ):
        assert "−0" not in ticks_of(html) and "0" in ticks_of(html)
        ylabel = re.search(r'transform="rotate\(-90 [^"]+\)">([^<]+)</text>', html).group(1)
        assert ylabel in {"y", "y, dy/dx", "f(x)", "f(x), f′(x)"}
    assert re.search(
        r'rotate\(-90 [^"]+\)">y, dy/dx<', explore.static_neuron(key, None, None, True).data
    )


def test_static_neuron_y_range_follows_the_default_curve():
    html = explore.static_neuron("mish").data
    d = data_of(html)
    x = np.asarray(d["xv"])
    y = registry.get("mish")(x)
    lo, hi = y.min(), y.max()
    pad = 0.1 * (hi - lo)
    assert d["ymin"] == pytest.approx(lo - pad)
    assert d["k"] == pytest.approx((d["bottom"] - d["top"] - 8) / (hi - lo + 2 * pad))
    dip = (0 - lo) * d["k"]  # depth of Mish's dip below 0, in SVG pixels
    assert dip > 10
    # other (w, b) leave the range: clipped to the plot (JS and SVG clip-path)
    assert 'clip-path="url(#' in html
    sig = data_of(explore.static_neuron("sigmoid", derivative=True).data)
    assert sig["ymin"] == pytest.approx(-0.1, abs=1e-3)
    assert sig["k"] == pytest.approx(230 / 1.2, rel=1e-3)  # sigmoid and its slope: [0, 1]


@pytest.mark.parametrize("key", WITHOUT_NUMERIC)
def test_static_explorer_without_numeric_parameter_is_a_neuron(key):
    html = explore.static_explorer(key).data
    uid = uid_of(html)
    assert f'id="{uid}-w"' in html and f'id="{uid}-b"' in html and "neuron" in html
    assert len(html) < 60_000 and "http" not in html


@pytest.mark.parametrize("key", ELEMENTWISE)
def test_static_neuron_table_is_actlib(key):
    act = registry.get(key)
    html = explore.static_neuron(key, derivative=True).data
    assert len(html) < 60_000 and "http" not in html and "<script src" not in html
    d = data_of(html)
    u = d["u0"] + d["h"] * np.arange(len(d["F"]))
    np.testing.assert_allclose(d["F"], act(u), rtol=1e-5, atol=1e-12)
    np.testing.assert_allclose(d["G"], act.grad(u), rtol=1e-5, atol=1e-12)
    xv = np.asarray(d["xv"])
    reach = 4 * np.abs(xv).max() + 4  # |w| <= 4, |b| <= 4
    assert u[0] <= -reach + 1e-9 and u[-1] >= reach - 1e-9


def test_static_explorer_choice_parameter_and_explicit_values():
    html = explore.static_explorer("gelu", param="approximate").data
    assert data_of(html)["labels"] == ["approximate = none", "approximate = tanh"]
    html = explore.static_explorer("elu", values=[0.5, 1.0, 2.0], derivative=False).data
    d = data_of(html)
    assert d["labels"] == ["α = 0.5", "α = 1", "α = 2"] and d["df"] == []
    assert 'max="2"' in html and 'value="1"' in html and 'class="actx-df"' not in html
    with pytest.raises(ValueError, match="no parameter 'beta'"):
        explore.static_explorer("elu", param="beta")
    with pytest.raises(ValueError, match="not elementwise"):
        explore.static_explorer("softmax")


def test_static_ids_deterministic_and_unique(monkeypatch):
    monkeypatch.setattr(explore, "_SEEN", Counter())
    a = explore.static_explorer("elu").data
    b = explore.static_explorer("elu").data
    c = explore.static_explorer("elu", values=[1.0, 2.0]).data
    n = explore.static_neuron("sigmoid").data
    ids = [uid_of(h) for h in (a, b, c, n)]
    assert len(set(ids)) == 4 and ids[1] == ids[0] + "-1"
    assert b.replace(ids[1], ids[0]) == a
    monkeypatch.setattr(explore, "_SEEN", Counter())  # a fresh kernel
    assert explore.static_explorer("elu").data == a
    for h in (a, c, n):
        uid = uid_of(h)
        ids_in = re.findall(r'id="([^"]+)"', h)
        assert all(i.startswith(uid) for i in ids_in) and len(ids_in) == len(set(ids_in))


# --------------------------------------------------------------------------- the JS, in node

FAKE_DOM = """
function El(){return {attrs:{},ls:{},hidden:true,textContent:'T, x',value:'',
  setAttribute(k,v){this.attrs[k]=String(v);},addEventListener(t,f){this.ls[t]=f;}};}
const els={}, q={'.actx-f':El(),'.actx-df':El(),'output':El(),'.actx-controls':El()};
const root=El(); root.querySelector=(s)=>q[s]||null;
const document={getElementById:(id)=>id===UID?root:
  (id.startsWith(UID)?(els[id]=els[id]||El()):null)};
"""


def run_js(html: str, actions: str) -> dict:
    script = re.search(r"<script>(.*)</script>", html, re.S).group(1)
    program = (
        f"const UID={json.dumps(uid_of(html))};{FAKE_DOM}{script}\n{actions}\n"
        "console.log(JSON.stringify({f:q['.actx-f'].attrs.points||null,"
        "df:q['.actx-df'].attrs.points||null,out:q['output'].textContent,"
        "hidden:q['.actx-controls'].hidden}));"
    )
    proc = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    return json.loads(proc.stdout)


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")


@needs_node
def test_js_swaps_precomputed_curves():
    html = explore.static_explorer("elu").data
    uid = uid_of(html)
    d = data_of(html)
    res = run_js(html, f"const s=els['{uid}-s'];s.value='3';s.ls.input();")
    assert res["hidden"] is False and res["out"] == d["labels"][3]
    assert res["f"] == " ".join(f"{x:g},{y:g}" for x, y in zip(d["x"], d["f"][3], strict=True))
    assert res["df"] == " ".join(f"{x:g},{y:g}" for x, y in zip(d["x"], d["df"][3], strict=True))


@needs_node
@pytest.mark.parametrize("key", ["sigmoid", "relu", "gelu"])
def test_js_neuron_follows_w_and_b(key):
    act = registry.get(key)
    html = explore.static_neuron(key, derivative=True).data
    uid = uid_of(html)
    d = data_of(html)
    res = run_js(
        html, f"els['{uid}-w'].value='2.5';els['{uid}-b'].value='-1.5';els['{uid}-w'].ls.input();"
    )
    assert res["out"] == "w = 2.5, b = -1.5" and res["hidden"] is False
    xv = np.asarray(d["xv"])

    def svg(v):
        return np.clip(d["y0"] - (v - d["ymin"]) * d["k"], d["top"], d["bottom"])

    got_f = np.array([float(p.split(",")[1]) for p in res["f"].split()])
    got_df = np.array([float(p.split(",")[1]) for p in res["df"].split()])
    kink = np.abs(2.5 * xv - 1.5) < 2 * d["h"]  # interpolation across ReLU's jump in f'
    np.testing.assert_allclose(got_f, svg(act(2.5 * xv - 1.5)), atol=0.1)
    np.testing.assert_allclose(got_df[~kink], svg(2.5 * act.grad(2.5 * xv - 1.5))[~kink], atol=0.1)


@needs_node
def test_js_is_quiet_when_its_element_is_missing():
    html = explore.static_explorer("elu").data
    res = run_js(html.replace(f'U="{uid_of(html)}"', 'U="missing"'), "")
    assert res["f"] is None and res["hidden"] is True
