"""The softmax explorers: pure bar data, the live widget, the kernel-free HTML player and its JS."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from collections import Counter

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import actlib
from actlib import explore

PNG = b"\x89PNG\r\n\x1a\n"
LOGITS = [2.0, 1.0, 0.1, -1.0]


@pytest.fixture(autouse=True)
def _no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --------------------------------------------------------------------------- pure logic


@pytest.mark.parametrize("t", [0.01, 0.5, 1.0, 3.0, 100.0])
def test_bars_are_softmax_of_scaled_logits(t):
    bars = explore.softmax_bars(LOGITS, t)
    assert set(bars) == {"logits", "scaled", "p"}
    np.testing.assert_array_equal(bars["logits"], LOGITS)
    np.testing.assert_array_equal(bars["scaled"], np.array(LOGITS) / t)
    np.testing.assert_array_equal(bars["p"], actlib.softmax(np.array(LOGITS) / t))
    assert bars["p"].dtype == np.float64
    assert abs(bars["p"].sum() - 1) < 1e-15
    assert np.all(np.diff(bars["p"]) <= 0)  # the order of the logits is kept


def test_default_temperature_is_one():
    np.testing.assert_array_equal(explore.softmax_bars(LOGITS)["p"], actlib.softmax(LOGITS))


def test_temperature_limits():
    cold = explore.softmax_bars([1.0, 3.0, 3.0, 0.0], 1e-3)["p"]
    np.testing.assert_allclose(cold, [0, 0.5, 0.5, 0], atol=1e-300)  # ties share the mass
    hot = explore.softmax_bars(LOGITS, 1e6)["p"]
    np.testing.assert_allclose(hot, 0.25, rtol=1e-5)
    # temperature 1e-300 scales 1e10 to +inf: still no warning, the largest logit takes all
    np.testing.assert_array_equal(explore.softmax_bars([1e10, 0.0], 1e-300)["p"], [1.0, 0.0])


def test_minus_infinity_masks_a_class():
    p = explore.softmax_bars([1.0, -np.inf, 1.0], 0.7)["p"]
    np.testing.assert_array_equal(p, [0.5, 0.0, 0.5])


@pytest.mark.parametrize(
    ("logits", "match"),
    [
        ([1.0], "2 to 12"),
        (list(range(13)), "2 to 12"),
        ([[1.0, 2.0], [3.0, 4.0]], "flat list"),
        ([1.0, np.nan], "NaN"),
        ([1.0, np.inf], r"\+inf"),
        ([-np.inf, -np.inf], "at least one logit must be finite"),
        (["a", "b"], "list of numbers"),
        (None, "flat list"),
    ],
)
def test_bad_logits(logits, match):
    with pytest.raises(ValueError, match=match):
        explore.softmax_bars(logits, 1.0)


@pytest.mark.parametrize("t", [0, -1.0, np.inf, np.nan, "hot", None])
def test_bad_temperature(t):
    with pytest.raises(ValueError, match="temperature"):
        explore.softmax_bars(LOGITS, t)


def test_render_draws_the_bars():
    fig = explore.render_softmax(LOGITS, 0.5)
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    np.testing.assert_allclose(heights, explore.softmax_bars(LOGITS, 0.5)["p"])
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "x₀ = 2",
        "x₁ = 1",
        "x₂ = 0.1",
        "x₃ = −1",
    ]
    assert ax.get_title() == "softmax(x / T), T = 0.5"
    assert ax.get_ylabel() == "probability"
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["0.862", "0.117", "0.019", "0.002"]
    uniform = [line for line in ax.lines if line.get_linestyle() == "--"]
    assert len(uniform) == 1 and uniform[0].get_ydata()[0] == 0.25


def test_probability_labels():
    assert explore._prob_text(1.0) == "1" and explore._prob_text(0.0) == "0"
    assert explore._prob_text(0.5) == "0.500" and explore._prob_text(2.3e-18) == "2e−18"
    assert explore._class_label(10, -np.inf) == "x₁₀ = −∞"


# --------------------------------------------------------------------------- live widget


def test_explorer_controls_drive_the_image():
    e = explore.softmax_explorer([1.0, 2.0, 3.0])
    assert e.controls["logits"].value == "1, 2, 3"
    assert e.temperature == 1.0 and e.message.value == ""
    first = e.image.value
    assert bytes(first).startswith(PNG)
    e.controls["temperature"].value = 0.1
    assert e.temperature == pytest.approx(0.1) and e.image.value != first
    np.testing.assert_array_equal(
        e.figure().axes[0].patches[2].get_height(), 1 / (1 + np.exp(-10) + np.exp(-20))
    )
    e.controls["logits"].value = "0; 1  -inf,5"
    np.testing.assert_array_equal(e.logits, [0.0, 1.0, -np.inf, 5.0])
    assert e.message.value == ""


def test_explorer_keeps_last_valid_logits_and_explains_a_typo():
    e = explore.softmax_explorer()
    np.testing.assert_array_equal(e.logits, LOGITS)
    for typo, words in [("1, two", "could not convert"), ("3", "2 to 12"), ("1, nan", "NaN")]:
        e.controls["logits"].value = typo
        assert "Could not use these logits" in e.message.value and words in e.message.value
        np.testing.assert_array_equal(e.logits, LOGITS)
        assert bytes(e.image.value).startswith(PNG)
    e.controls["logits"].value = "1, 2"
    assert e.message.value == ""


def test_explorer_rejects_bad_start_logits():
    with pytest.raises(ValueError, match="2 to 12"):
        explore.softmax_explorer([1.0])


# --------------------------------------------------------------------------- static HTML


def data_of(html: str) -> dict:
    return json.loads(re.search(r"var D=(\{.*?\}),U=", html).group(1))


def uid_of(html: str) -> str:
    return re.match(r'<div class="actx" id="([^"]+)"', html).group(1)


def bar_tops(html: str) -> list[float]:
    return [float(v) for v in re.findall(r'class="actx-bar" x="[^"]+" y="([^"]+)"', html)]


def test_static_structure_and_values():
    html = explore.static_softmax(LOGITS).data
    assert "<svg" in html and "<title" in html and 'aria-labelledby="' in html
    assert "http" not in html and "<script src" not in html and len(html) < 20_000
    assert "currentColor" in html and "−0<" not in html
    d = data_of(html)
    temps = list(explore._SOFTMAX_TEMPERATURES)
    assert d["labels"] == [f"T = {t:g}" for t in temps]
    assert len(d["y"]) == len(d["t"]) == len(temps) and all(len(y) == 4 for y in d["y"])
    top, base = explore._TOP, explore._H - explore._BOTTOM
    assert d["base"] == base
    for t, ys, texts in zip(temps, d["y"], d["t"], strict=True):
        p = actlib.softmax(np.array(LOGITS) / t)
        np.testing.assert_allclose(ys, base - p * (base - top), atol=0.051)
        assert texts == [explore._prob_text(v) for v in p]
    slider = re.search(r'<input type="range" id="[^"]+-s" min="0" max="(\d+)" step="1" '
                       r'value="(\d+)"', html)  # fmt: skip
    assert int(slider.group(1)) == len(temps) - 1
    start = int(slider.group(2))
    assert temps[start] == 1.0
    # without JS: the bars of T = 1 are drawn, the slider is hidden
    assert bar_tops(html) == d["y"][start]
    assert re.findall(r'class="actx-p"[^>]*>([^<]+)<', html) == d["t"][start]
    assert '<div class="actx-controls" hidden' in html
    assert "T = 1</title>" in html and ">T = 1</output>" in html
    for label in ("x₀ = 2", "x₃ = −1", "uniform 1/4", "probability"):
        assert label in html
    uniform_y = base - (base - top) / 4
    assert f'y1="{explore._num(uniform_y)}" y2="{explore._num(uniform_y)}"' in html


def test_static_temperatures_sorted_and_start_near_one():
    html = explore.static_softmax([0.0, 1.0, -np.inf], temperatures=[4.0, 0.5, 2.0, 0.5]).data
    d = data_of(html)
    assert d["labels"] == ["T = 0.5", "T = 2", "T = 4"]
    assert 'value="0"' in html  # 0.5 is closest to 1 on a log scale (ties: the first)
    assert "x₂ = −∞" in html and d["t"][0][2] == "0"
    with pytest.raises(ValueError, match="temperature"):
        explore.static_softmax(LOGITS, temperatures=[1.0, 0.0])
    with pytest.raises(ValueError, match="empty"):
        explore.static_softmax(LOGITS, temperatures=[])
    with pytest.raises(ValueError, match="2 to 12"):
        explore.static_softmax([1.0])


def test_static_default_logits():
    assert explore.static_softmax().data.count('class="actx-bar"') == len(explore._SOFTMAX_LOGITS)


def test_static_ids_deterministic_and_unique(monkeypatch):
    monkeypatch.setattr(explore, "_SEEN", Counter())
    a = explore.static_softmax(LOGITS).data
    b = explore.static_softmax(LOGITS).data
    c = explore.static_softmax([1.0, 2.0]).data
    ids = [uid_of(h) for h in (a, b, c)]
    assert len(set(ids)) == 3 and ids[1] == ids[0] + "-1"
    assert b.replace(ids[1], ids[0]) == a
    monkeypatch.setattr(explore, "_SEEN", Counter())  # a fresh kernel
    assert explore.static_softmax(LOGITS).data == a
    for h in (a, c):
        uid = uid_of(h)
        ids_in = re.findall(r'id="([^"]+)"', h)
        assert all(i.startswith(uid) for i in ids_in) and len(ids_in) == len(set(ids_in))


# --------------------------------------------------------------------------- the JS, in node

FAKE_DOM = """
function El(){return {attrs:{},ls:{},hidden:true,textContent:'Softmax (1, 2), T = 1',value:'',
  setAttribute(k,v){this.attrs[k]=String(v);},addEventListener(t,f){this.ls[t]=f;}};}
const els={}, bars=[], ps=[];
for(let k=0;k<NBARS;k++){bars.push(El());ps.push(El());}
const q={'output':El(),'.actx-controls':El()};
const root=El(); root.querySelector=(s)=>q[s]||null;
root.querySelectorAll=(s)=>s==='.actx-bar'?bars:(s==='.actx-p'?ps:[]);
const document={getElementById:(id)=>id===UID?root:
  (id.startsWith(UID)?(els[id]=els[id]||El()):null)};
"""


def run_js(html: str, actions: str, nbars: int) -> dict:
    script = re.search(r"<script>(.*)</script>", html, re.S).group(1)
    program = (
        f"const UID={json.dumps(uid_of(html))},NBARS={nbars};{FAKE_DOM}{script}\n{actions}\n"
        "console.log(JSON.stringify({y:bars.map(b=>b.attrs.y||null),"
        "h:bars.map(b=>b.attrs.height||null),py:ps.map(p=>p.attrs.y||null),"
        "t:ps.map(p=>p.textContent),out:q['output'].textContent,"
        "title:(els[UID+'-title']||{}).textContent||null,"
        "aria:(els[UID+'-s']||{attrs:{}}).attrs['aria-valuetext']||null,"
        "hidden:q['.actx-controls'].hidden}));"
    )
    proc = subprocess.run(["node", "-e", program], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    return json.loads(proc.stdout)


needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")


@needs_node
def test_js_moves_the_bars():
    html = explore.static_softmax(LOGITS).data
    uid, d = uid_of(html), data_of(html)
    res = run_js(html, f"const s=els['{uid}-s'];s.value='2';s.ls.input();", 4)
    assert res["hidden"] is False and res["out"] == d["labels"][2] == "T = 0.2"
    assert res["aria"] == "T = 0.2" and res["title"] == "Softmax (1, 2), T = 0.2"
    assert [float(v) for v in res["y"]] == d["y"][2]
    np.testing.assert_allclose([float(h) for h in res["h"]], d["base"] - np.array(d["y"][2]))
    np.testing.assert_allclose([float(v) for v in res["py"]], np.array(d["y"][2]) - 4)
    assert res["t"] == d["t"][2]
    # out-of-range or garbage slider values are clamped
    res = run_js(html, f"const s=els['{uid}-s'];s.value='99';s.ls.input();", 4)
    assert res["out"] == d["labels"][-1]
    res = run_js(html, f"const s=els['{uid}-s'];s.value='x';s.ls.input();", 4)
    assert res["out"] == d["labels"][0]


@needs_node
def test_js_is_quiet_when_its_element_is_missing_or_mismatched():
    html = explore.static_softmax(LOGITS).data
    res = run_js(html.replace(f'U="{uid_of(html)}"', 'U="missing"'), "", 4)
    assert res["y"] == [None] * 4 and res["hidden"] is True
    res = run_js(html, "", 3)  # the page lost a bar: do nothing rather than draw nonsense
    assert res["hidden"] is True
