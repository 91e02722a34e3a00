"""Explorers of activations: live ipywidgets for Jupyter/Binder, kernel-free HTML for the website.

Everything is built from the registry records, so one call serves every chapter:

- :func:`explorer` (parameters, input range, derivative, comparison) and
  :func:`neuron_explorer` (``y = f(w x + b)``) return ipywidgets boxes. Their logic is plain
  Python (:class:`ExplorerState` -> :func:`explorer_curves` -> :func:`render`); the widgets
  only read their values into a state and show the rendered PNG in an ``Image`` widget
  (no pyplot state, no Output capturing, no ipympl needed).
- :func:`static_explorer` and :func:`static_neuron` return self-contained HTML (inline SVG,
  a range slider and a few lines of vanilla JS, no external resources), so a reader of the
  static site can move through parameter values without a kernel. Without JavaScript the
  default curve is still drawn and the (inert) slider stays hidden.

Choice for activations without a numeric parameter (sigmoid, tanh, ReLU, GELU, ...):
``static_explorer`` falls back to ``static_neuron``, where sliders for the weight ``w``
(steepness, and flipping for ``w < 0``) and the bias ``b`` (shift) show what a neuron can do
with that activation.

Softmax maps a vector to a vector, so it has its own pair: :func:`softmax_explorer` (editable
logits and a temperature slider, built on the pure :func:`softmax_bars`) and
:func:`static_softmax`, a kernel-free bar chart with a temperature slider.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

import ipywidgets as widgets
import numpy as np
from IPython.display import HTML
from matplotlib.figure import Figure

from . import functional as F
from . import registry
from .plotting import (
    PALETTE,
    X_LABEL,
    _checked,
    _record,
    curve_label,
    new_figure,
    style,
)
from .registry import Activation, Param

__all__ = [
    "ExplorerState",
    "NeuronState",
    "SoftmaxExplorer",
    "default_values",
    "explorer",
    "explorer_curves",
    "neuron_curves",
    "neuron_explorer",
    "render",
    "render_neuron",
    "render_softmax",
    "softmax_bars",
    "softmax_explorer",
    "static_explorer",
    "static_neuron",
    "static_softmax",
]

_N = 401
_WB = (-4.0, 4.0, 0.1)  # range and step of the neuron's w and b sliders
_FIGSIZE = (7.0, 3.2)


# --------------------------------------------------------------------------- pure logic


@dataclass(frozen=True)
class ExplorerState:
    """What the generic explorer shows: an activation, its parameters, the input range, ..."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)
    x_range: tuple[float, float] | None = None
    derivative: bool = True
    compare: str | None = None
    n: int = _N


@dataclass(frozen=True)
class NeuronState:
    """A single neuron ``y = f(w x + b)`` with activation ``key`` and its parameters."""

    key: str = "sigmoid"
    w: float = 1.0
    b: float = 0.0
    params: Mapping[str, Any] = field(default_factory=dict)
    x_range: tuple[float, float] | None = None
    derivative: bool = False
    n: int = _N


def _x(act: Activation, x_range: tuple[float, float] | None, n: int) -> np.ndarray:
    lo, hi = act.x_range if x_range is None else x_range
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"x_range must be two finite numbers with low < high, got {x_range!r}")
    return np.linspace(float(lo), float(hi), n)


def explorer_curves(state: ExplorerState) -> dict[str, np.ndarray]:
    """Arrays ``x``, ``f`` and, as requested, ``df``, ``compare_f``, ``compare_df``.

    The comparison activation is drawn with its default parameters.
    """
    act = _record(state.key)
    params = _checked(act, state.params)
    x = _x(act, state.x_range, state.n)
    out = {"x": x, "f": np.asarray(act(x, **params), dtype=float)}
    if state.derivative:
        out["df"] = np.asarray(act.grad(x, **params), dtype=float)
    if state.compare is not None:
        other = _record(state.compare)
        out["compare_f"] = np.asarray(other(x), dtype=float)
        if state.derivative:
            out["compare_df"] = np.asarray(other.grad(x), dtype=float)
    return out


def neuron_curves(state: NeuronState) -> dict[str, np.ndarray]:
    """Arrays ``x``, ``reference`` = f(x), ``y`` = f(w x + b) and, if asked, ``dy`` = dy/dx."""
    act = _record(state.key)
    params = _checked(act, state.params)
    x = _x(act, state.x_range, state.n)
    u = state.w * x + state.b
    out = {
        "x": x,
        "reference": np.asarray(act(x, **params), dtype=float),
        "y": np.asarray(act(u, **params), dtype=float),
    }
    if state.derivative:
        out["dy"] = state.w * np.asarray(act.grad(u, **params), dtype=float)
    return out


def _axes(ax: Any) -> tuple[Figure, Any]:
    if ax is None:
        fig = new_figure(1, figsize=_FIGSIZE)
        return fig, fig.axes[0]
    return ax.figure, ax


def _finish(ax: Any, title: str, ylabel: str) -> None:
    ax.axhline(0, color="#888888", linewidth=0.8, zorder=1)
    ax.axvline(0, color="#888888", linewidth=0.8, zorder=1)
    ax.set_xlabel(X_LABEL)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(loc="best")


def render(state: ExplorerState, ax: Any = None) -> Figure:
    """Draw :func:`explorer_curves` of ``state`` (into ``ax`` or a new figure)."""
    curves = explorer_curves(state)
    act = _record(state.key)
    label = curve_label(act, state.params)
    fig, ax = _axes(ax)
    x = curves["x"]
    with style():
        ax.plot(x, curves["f"], color=PALETTE[0], linestyle="-", label=f"{label}: $f(x)$", gid="f")
        if "df" in curves:
            ax.plot(x, curves["df"], color=PALETTE[3], linestyle="--", label="$f\\,'(x)$", gid="df")
        if state.compare is not None:
            other = _record(state.compare).name
            ax.plot(
                x,
                curves["compare_f"],
                color=PALETTE[2],
                linestyle="-.",
                label=other,
                gid="compare_f",
            )
            if "compare_df" in curves:
                ax.plot(
                    x,
                    curves["compare_df"],
                    color=PALETTE[4],
                    linestyle=":",
                    label=f"{other}: $f\\,'(x)$",
                    gid="compare_df",
                )
        ax.set_xlim(x[0], x[-1])
        _finish(ax, label, "$f(x)$, $f\\,'(x)$" if "df" in curves else "$f(x)$")
    return fig


def render_neuron(state: NeuronState, ax: Any = None) -> Figure:
    """Draw :func:`neuron_curves` of ``state`` (into ``ax`` or a new figure)."""
    curves = neuron_curves(state)
    act = _record(state.key)
    fig, ax = _axes(ax)
    x = curves["x"]
    with style():
        ax.plot(
            x,
            curves["reference"],
            color="#999999",
            linewidth=1.2,
            linestyle=":",
            label="$f(x)$ (w = 1, b = 0)",
            gid="reference",
        )
        ax.plot(x, curves["y"], color=PALETTE[0], linestyle="-", label="$y = f(wx + b)$", gid="y")
        if "dy" in curves:
            ax.plot(
                x,
                curves["dy"],
                color=PALETTE[3],
                linestyle="--",
                label="$dy/dx = w\\,f\\,'(wx + b)$",
                gid="dy",
            )
        ax.set_xlim(x[0], x[-1])
        title = f"{curve_label(act, state.params)} neuron, w = {state.w:g}, b = {state.b:g}"
        _finish(ax, title, "$y$")
    return fig


def figure_png(fig: Figure) -> bytes:
    """The PNG bytes of ``fig``."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


# --------------------------------------------------------------------------- widgets

_STYLE = {"description_width": "initial"}
_LAYOUT = widgets.Layout(width="420px")


def _param_controls(act: Activation) -> dict[str, widgets.Widget]:
    controls: dict[str, widgets.Widget] = {}
    for p in act.params:
        if p.choices:
            controls[p.name] = widgets.Dropdown(
                options=list(p.choices), value=p.default, description=p.name, style=_STYLE
            )
        else:
            controls[p.name] = widgets.FloatSlider(
                value=p.default,
                min=p.low,
                max=p.high,
                step=p.step,
                description=p.name,
                continuous_update=False,
                style=_STYLE,
                layout=_LAYOUT,
                readout_format=".2f",
            )
    return controls


def _range_control(act: Activation) -> widgets.FloatRangeSlider:
    lo, hi = act.x_range
    span = hi - lo
    return widgets.FloatRangeSlider(
        value=(lo, hi),
        min=lo - span,
        max=hi + span,
        step=span / 100,
        description="input range",
        continuous_update=False,
        style=_STYLE,
        layout=_LAYOUT,
        readout_format=".1f",
    )


class _Panel(widgets.VBox):
    """Controls, and an Image of the figure rendered from their values on every change."""

    def __init__(self, header: str, controls: dict[str, widgets.Widget]) -> None:
        self.controls = controls
        self.image = widgets.Image(format="png")
        super().__init__([widgets.HTMLMath(header), *controls.values(), self.image])
        for control in controls.values():
            control.observe(self.refresh, names="value")
        self.refresh()

    def _values(self) -> tuple[dict[str, Any], tuple[float, float]]:
        params = {k: w.value for k, w in self.controls.items() if k in self._param_names}
        return params, tuple(self.controls["x_range"].value)

    def refresh(self, _change: object = None) -> None:
        """Re-render the figure from the current control values."""
        self.image.value = figure_png(self.figure())


class Explorer(_Panel):
    """The generic explorer widget; ``state`` is what its controls currently say."""

    def __init__(self, key: str, compare: str | None = None) -> None:
        act = _record(key)
        self.key = act.key
        self._param_names = [p.name for p in act.params]
        others = [(registry.get(k).name, k) for k in registry.names(elementwise=True) if k != key]
        if compare is not None and compare not in dict((k, n) for n, k in others):
            raise ValueError(
                f"cannot compare {key} with {compare!r}; choose one of "
                f"{', '.join(k for _, k in others)}"
            )
        controls = {
            **_param_controls(act),
            "x_range": _range_control(act),
            "derivative": widgets.Checkbox(value=True, description="show derivative", style=_STYLE),
            "compare": widgets.Dropdown(
                options=[("none", None), *others],
                value=compare,
                description="compare with",
                style=_STYLE,
            ),
        }
        super().__init__(f"<b>{escape(act.name)}</b>: ${act.formula}$", controls)

    @property
    def state(self) -> ExplorerState:
        """The :class:`ExplorerState` of the current control values."""
        params, x_range = self._values()
        return ExplorerState(
            self.key,
            params,
            x_range,
            self.controls["derivative"].value,
            self.controls["compare"].value,
        )

    def figure(self) -> Figure:
        """The figure of the current state."""
        return render(self.state)


class NeuronExplorer(_Panel):
    """The single-neuron widget ``y = f(w x + b)``; ``state`` is what its controls say."""

    def __init__(self, key: str = "sigmoid") -> None:
        act = _record(key)
        self.key = act.key
        self._param_names = [p.name for p in act.params]
        lo, hi, step = _WB
        wb = {
            name: widgets.FloatSlider(
                value=value,
                min=lo,
                max=hi,
                step=step,
                description=name,
                continuous_update=False,
                style=_STYLE,
                layout=_LAYOUT,
            )
            for name, value in (("w", 1.0), ("b", 0.0))
        }
        controls = {
            **wb,
            **_param_controls(act),
            "x_range": _range_control(act),
            "derivative": widgets.Checkbox(value=False, description="show dy/dx", style=_STYLE),
        }
        super().__init__(f"<b>A neuron</b> $y = f(wx + b)$ with f = {escape(act.name)}", controls)

    @property
    def state(self) -> NeuronState:
        """The :class:`NeuronState` of the current control values."""
        params, x_range = self._values()
        c = self.controls
        return NeuronState(
            self.key, c["w"].value, c["b"].value, params, x_range, c["derivative"].value
        )

    def figure(self) -> Figure:
        """The figure of the current state."""
        return render_neuron(self.state)


def explorer(key: str, compare: str | None = None) -> Explorer:
    """A live explorer of activation ``key`` (a VBox): parameter sliders, input range,
    "show derivative" and "compare with" another registered activation."""
    return Explorer(key, compare)


def neuron_explorer(key: str = "sigmoid") -> NeuronExplorer:
    """A live explorer (a VBox) of one neuron ``y = f(w x + b)``: sliders for w, b and the
    activation's parameters."""
    return NeuronExplorer(key)


# --------------------------------------------------------------------------- static HTML

_W, _H = 640, 300
_LEFT, _RIGHT, _TOP, _BOTTOM = 52, 12, 30, 40
_UNICODE = {r"\alpha": "α", r"\beta": "β", r"\lambda": "λ", r"\gamma": "γ", r"\tau": "τ"}
_SEEN: Counter[str] = Counter()


def _uid(*args: Any) -> str:
    """An id that depends only on the arguments, suffixed when they repeat in this session."""
    digest = hashlib.sha1(repr(args).encode()).hexdigest()[:10]
    count = _SEEN[digest]
    _SEEN[digest] += 1
    return f"actx-{digest}" + (f"-{count}" if count else "")


def _num(v: float) -> str:
    """Compact decimal text with 1 decimal (``12.0`` -> ``12``, ``-0.0`` -> ``0``)."""
    s = f"{v:.1f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def _floats(texts: Sequence[str]) -> list[float]:
    return [float(t) for t in texts]


def _nice_ticks(lo: float, hi: float, target: int = 6) -> list[float]:
    raw = (hi - lo) / target
    mag = 10.0 ** np.floor(np.log10(raw))
    step = mag * min((m for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10)
    first = np.ceil(lo / step - 1e-9) * step
    return [round(float(t), 10) + 0.0 for t in np.arange(first, hi + 1e-9 * step, step)]  # no -0


def _tick_text(v: float) -> str:
    return f"{v:g}".replace("-", "−")


@dataclass(frozen=True)
class _Frame:
    """Data-to-SVG mapping of one plot."""

    x_lo: float
    x_hi: float
    y_lo: float
    y_hi: float

    def sx(self, x: np.ndarray) -> np.ndarray:
        return _LEFT + (x - self.x_lo) / (self.x_hi - self.x_lo) * (_W - _LEFT - _RIGHT)

    def scale_y(self) -> float:
        return (_H - _TOP - _BOTTOM) / (self.y_hi - self.y_lo)

    def sy(self, y: np.ndarray) -> np.ndarray:
        svg = _H - _BOTTOM - (np.asarray(y, dtype=float) - self.y_lo) * self.scale_y()
        return np.clip(svg, _TOP - 4, _H - _BOTTOM + 4)

    def axes_svg(self, uid: str, ylabel: str) -> str:
        """Frame, clip path, ticks with their grid lines, and the axis labels (x and ``ylabel``)."""
        x0, x1, y0, y1 = _LEFT, _W - _RIGHT, _TOP, _H - _BOTTOM
        parts = [
            f'<clipPath id="{uid}-clip"><rect x="{x0}" y="{y0}" width="{x1 - x0}" '
            f'height="{y1 - y0}"/></clipPath>',
            f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="none" '
            'stroke="currentColor" stroke-opacity="0.5"/>',
        ]
        for t in _nice_ticks(self.x_lo, self.x_hi):
            px = _num(float(self.sx(np.float64(t))))
            parts.append(
                f'<line x1="{px}" x2="{px}" y1="{y0}" y2="{y1}" stroke="currentColor" '
                f'stroke-opacity="{0.5 if t == 0 else 0.12}"/>'
                f'<text x="{px}" y="{y1 + 16}" text-anchor="middle">{_tick_text(t)}</text>'
            )
        for t in _nice_ticks(self.y_lo, self.y_hi, 5):
            py = _num(float(self.sy(t)))
            parts.append(
                f'<line x1="{x0}" x2="{x1}" y1="{py}" y2="{py}" stroke="currentColor" '
                f'stroke-opacity="{0.5 if t == 0 else 0.12}"/>'
                f'<text x="{x0 - 6}" y="{py}" dy="0.35em" text-anchor="end">'
                f"{_tick_text(t)}</text>"
            )
        parts.append(
            f'<text x="{(x0 + x1) / 2}" y="{_H - 6}" text-anchor="middle" '
            'font-style="italic">x</text>'
            f'<text x="12" y="{_num((y0 + y1) / 2)}" text-anchor="middle" '
            f'transform="rotate(-90 12 {_num((y0 + y1) / 2)})">{escape(ylabel)}</text>'
        )
        return "".join(parts)


def _y_limits(*arrays: np.ndarray) -> tuple[float, float]:
    lo = min(float(np.min(a)) for a in arrays)
    hi = max(float(np.max(a)) for a in arrays)
    pad = 0.06 * (hi - lo) if hi > lo else 0.5
    return lo - pad, hi + pad


def _legend(entries: Sequence[tuple[str, str, bool]]) -> str:
    parts, x = [], _LEFT
    for colour, text, dashed in entries:
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 24}" y1="14" y2="14" stroke="{colour}" '
            f'stroke-width="2.5"{dash}/><text x="{x + 30}" y="14" dy="0.35em">'
            f"{escape(text)}</text>"
        )
        x += 40 + 7 * len(text)
    return "".join(parts)


def _polyline(
    cls: str, xs: Sequence[str], ys: Sequence[str], colour: str, uid: str, dashed: bool
) -> str:
    points = " ".join(f"{a},{b}" for a, b in zip(xs, ys, strict=True))
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return (
        f'<polyline class="{cls}" points="{points}" fill="none" stroke="{colour}" '
        f'stroke-width="2.5"{dash} clip-path="url(#{uid}-clip)"/>'
    )


def _svg(uid: str, title: str, desc: str, body: str) -> str:
    return (
        f'<svg viewBox="0 0 {_W} {_H}" width="100%" style="max-width:{_W}px;display:block" '
        f'role="img" aria-labelledby="{uid}-title {uid}-desc" font-size="12" '
        'fill="currentColor">'
        f'<title id="{uid}-title">{escape(title)}</title>'
        f'<desc id="{uid}-desc">{escape(desc)}</desc>{body}</svg>'
    )


def _symbol(p: Param) -> str:
    return _UNICODE.get(p.symbol, p.symbol.strip("\\") or p.name) if p.symbol else p.name


_MAX_VALUES = 25


def _nice_step(step: float | None, at_least: float) -> float:
    """The smallest "nice" number (1, 2, 2.5 or 5 times a power of 10) that is at least
    ``at_least`` and a whole multiple of ``step``; the smallest such multiple if none is."""
    for e in range(int(np.floor(np.log10(at_least))), int(np.floor(np.log10(at_least))) + 3):
        for m in (1.0, 2.0, 2.5, 5.0):
            nice = m * 10.0**e
            k = nice / step if step else 1.0
            if nice >= at_least * (1 - 1e-9) and abs(k - round(k)) < 1e-9 * max(1.0, k):
                return nice
    return float(np.ceil(at_least / step - 1e-9) * step)


def default_values(p: Param, at_most: int = _MAX_VALUES) -> list[float]:
    """Round slider values for a numeric parameter: the multiples of a nice step (a multiple
    of ``p.step``, at most ``at_most`` - 3 of them) in [low, high], plus low, high and the
    default. ELU's alpha in [0, 3] (step 0.05) gets 0, 0.2, 0.4, ..., 3."""
    if p.choices or p.low is None or p.high is None:
        raise ValueError(f"{p.name} is not a numeric parameter with a range")
    low, high = float(p.low), float(p.high)
    step = _nice_step(p.step, (high - low) / (at_most - 4)) if high > low else 1.0
    first, last = np.ceil(low / step - 1e-9), np.floor(high / step + 1e-9)
    grid = (np.arange(first, last + 1) * step + 0.0).round(10).tolist()  # + 0.0: no -0
    return sorted({*grid, low, high, float(p.default)})


def _param_values(p: Param, values: Sequence[Any] | None) -> list[Any]:
    if values is not None:
        values = list(values)
    elif p.choices:
        values = list(p.choices)
    else:
        values = default_values(p)
    if not values:
        raise ValueError("values must not be empty")
    return values


def static_explorer(
    key: str,
    param: str | None = None,
    values: Sequence[Any] | None = None,
    x_range: tuple[float, float] | None = None,
    derivative: bool = True,
    n: int = 121,
) -> HTML:
    """A kernel-free explorer: f (solid) and f' (dashed) for each of ``values`` of ``param``.

    ``param`` defaults to the first numeric parameter; ``values`` to round values across its
    slider range (:func:`default_values`), or the choices of a choice parameter. The curves are
    precomputed with actlib; the slider swaps them in the SVG. Activations without a
    numeric parameter get :func:`static_neuron` instead (w and b sliders).
    """
    act = _record(key)
    numeric = [p for p in act.params if not p.choices]
    if param is None and not numeric:
        return static_neuron(key, x_range=x_range, derivative=derivative, n=n)
    p = numeric[0] if param is None else next((q for q in act.params if q.name == param), None)
    if p is None:
        raise ValueError(
            f"{act.key} has no parameter {param!r}; "
            f"its parameters: {', '.join(q.name for q in act.params) or 'none'}"
        )
    values = _param_values(p, values)
    x = _x(act, x_range, n)
    fs = [np.asarray(act(x, **{p.name: v}), dtype=float) for v in values]
    dfs = (
        [np.asarray(act.grad(x, **{p.name: v}), dtype=float) for v in values] if derivative else []
    )
    frame = _Frame(float(x[0]), float(x[-1]), *_y_limits(*fs, *dfs))
    uid = _uid("explorer", act.key, p.name, values, frame, derivative, n)
    xs = [_num(v) for v in frame.sx(x)]
    f_ys = [[_num(v) for v in frame.sy(f)] for f in fs]
    df_ys = [[_num(v) for v in frame.sy(d)] for d in dfs]
    start = int(
        np.argmin([abs(v - p.default) if not p.choices else v != p.default for v in values])
    )
    sym = _symbol(p)
    labels = [f"{sym} = {v:g}" if not p.choices else f"{sym} = {v}" for v in values]
    ylabel = "f(x), f′(x)" if derivative else "f(x)"
    body = frame.axes_svg(uid, ylabel) + _polyline(
        "actx-f", xs, f_ys[start], PALETTE[0], uid, False
    )
    entries = [(PALETTE[0], f"{act.name} f(x)", False)]
    if derivative:
        body += _polyline("actx-df", xs, df_ys[start], PALETTE[3], uid, True)
        entries.append((PALETTE[3], "derivative f′(x)", True))
    body += _legend(entries)
    title = f"{act.name}" + (" and its derivative" if derivative else "") + f", {labels[start]}"
    desc = (
        f"Curve of {act.name} for x from {x[0]:g} to {x[-1]:g}"
        + (" (solid) and of its derivative (dashed)" if derivative else "")
        + f"; a slider changes {p.name} across {len(values)} values."
    )
    data = {
        "x": _floats(xs),
        "f": [_floats(ys) for ys in f_ys],
        "df": [_floats(ys) for ys in df_ys],
        "labels": labels,
    }
    slider = (
        f'<input type="range" id="{uid}-s" min="0" max="{len(values) - 1}" step="1" '
        f'value="{start}" aria-label="{escape(p.name)}" '
        f'aria-valuetext="{escape(labels[start])}" style="width:260px;vertical-align:middle">'
    )
    return HTML(_snippet(uid, title, desc, body, [slider], labels[start], data, _JS_SWAP))


def _snippet(
    uid: str,
    title: str,
    desc: str,
    body: str,
    sliders: Sequence[str],
    readout: str,
    data: Mapping[str, Any],
    js: str,
) -> str:
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")
    controls = " ".join(sliders)
    return (
        f'<div class="actx" id="{uid}" style="margin:0.5em 0">'
        f"{_svg(uid, title, desc, body)}"
        f'<div class="actx-controls" hidden style="margin:0.3em 0 0 {_LEFT}px">{controls} '
        f'<output for="{uid}-s" style="font-family:monospace;margin-left:0.6em">'
        f"{escape(readout)}</output></div>"
        f"<script>(function(){{var D={payload},U={json.dumps(uid)};{js}}})();</script>"
        "</div>"
    )


# Shared JS prelude: find the snippet's elements (quietly do nothing if it is not in the page).
_JS_HEAD = (
    "var r=document.getElementById(U);if(!r)return;"
    "var pf=r.querySelector('.actx-f'),pd=r.querySelector('.actx-df'),"
    "o=r.querySelector('output'),ti=document.getElementById(U+'-title');"
    "function P(ys){var a=[];for(var i=0;i<ys.length;i++)a.push(D.x[i]+','+ys[i]);"
    "return a.join(' ');}"
)
_JS_SWAP = _JS_HEAD + (
    "var s=document.getElementById(U+'-s');if(!s||!pf)return;"
    "function show(){var i=Math.max(0,Math.min(D.f.length-1,parseInt(s.value,10)||0));"
    "pf.setAttribute('points',P(D.f[i]));if(pd&&D.df.length)pd.setAttribute('points',P(D.df[i]));"
    "if(o)o.textContent=D.labels[i];s.setAttribute('aria-valuetext',D.labels[i]);"
    "if(ti)ti.textContent=ti.textContent.replace(/, [^,]*$/,', '+D.labels[i]);}"
    "s.addEventListener('input',show);r.querySelector('.actx-controls').hidden=false;"
)
_JS_NEURON = _JS_HEAD + (
    "var sw=document.getElementById(U+'-w'),sb=document.getElementById(U+'-b');"
    "if(!sw||!sb||!pf)return;"
    "function I(T,u){var t=(u-D.u0)/D.h,j=Math.floor(t);j=Math.max(0,Math.min(T.length-2,j));"
    "return T[j]+(t-j)*(T[j+1]-T[j]);}"
    "function Y(v){var y=D.y0-(v-D.ymin)*D.k;y=Math.max(D.top,Math.min(D.bottom,y));"
    "return Math.round(y*10)/10;}"
    "function show(){var w=parseFloat(sw.value),b=parseFloat(sb.value),a=[],c=[];"
    "if(!isFinite(w)||!isFinite(b))return;"
    "for(var i=0;i<D.xv.length;i++){var u=w*D.xv[i]+b;a.push(Y(I(D.F,u)));"
    "c.push(Y(w*I(D.G,u)));}"
    "pf.setAttribute('points',P(a));if(pd)pd.setAttribute('points',P(c));"
    "var t='w = '+w.toFixed(1)+', b = '+b.toFixed(1);if(o)o.textContent=t;"
    "if(ti)ti.textContent=ti.textContent.replace(/, w = .*$/,', '+t);}"
    "sw.addEventListener('input',show);sb.addEventListener('input',show);"
    "r.querySelector('.actx-controls').hidden=false;"
)


def static_neuron(
    key: str = "sigmoid",
    params: Mapping[str, Any] | None = None,
    x_range: tuple[float, float] | None = None,
    derivative: bool = False,
    n: int = 121,
    table_points: int = 1201,
) -> HTML:
    """A kernel-free explorer of one neuron ``y = f(w x + b)`` with sliders for w and b.

    Two free sliders cannot use one precomputed curve per position, so the snippet carries a
    table of f (and f') computed with actlib on a fine grid of ``u = w x + b`` covering every
    slider position; the JS interpolates it linearly. The default curve (w = 1, b = 0) is
    drawn exactly, also without JavaScript. ``derivative`` adds dy/dx = w f'(w x + b).
    """
    act = _record(key)
    params = _checked(act, params)
    x = _x(act, x_range, n)
    lo, hi, step = _WB
    u_max = max(abs(lo), abs(hi)) * float(np.max(np.abs(x))) + max(abs(lo), abs(hi))
    u = np.linspace(-u_max, u_max, table_points)
    table_f = np.asarray(act(u, **params), dtype=float)
    table_g = np.asarray(act.grad(u, **params), dtype=float)
    y0 = np.asarray(act(x, **params), dtype=float)
    dy0 = np.asarray(act.grad(x, **params), dtype=float)
    frame = _Frame(float(x[0]), float(x[-1]), *_neuron_limits(act, params, x, derivative))
    uid = _uid("neuron", act.key, sorted(params.items()), frame, derivative, n, table_points)
    xs = [_num(v) for v in frame.sx(x)]
    body = frame.axes_svg(uid, "y, dy/dx" if derivative else "y") + _polyline(
        "actx-ref", xs, [_num(v) for v in frame.sy(y0)], "currentColor", uid, False
    ).replace('stroke-width="2.5"', 'stroke-width="1" stroke-opacity="0.45"')
    body += _polyline("actx-f", xs, [_num(v) for v in frame.sy(y0)], PALETTE[0], uid, False)
    entries = [("currentColor", "f(x)", False), (PALETTE[0], "y = f(w·x + b)", False)]
    if derivative:
        body += _polyline("actx-df", xs, [_num(v) for v in frame.sy(dy0)], PALETTE[3], uid, True)
        entries.append((PALETTE[3], "dy/dx = w·f′(w·x + b)", True))
    body += _legend(entries)
    label = f"{curve_label(act, params)} neuron"
    title = f"{label}, w = 1.0, b = 0.0"
    desc = (
        f"Output y = f(w x + b) of a neuron with activation {act.name} for x from "
        f"{x[0]:g} to {x[-1]:g}, next to f(x) itself; sliders change the weight w "
        "(steepness) and the bias b (shift)."
    )
    data = {
        "x": _floats(xs),
        "xv": [round(float(v), 6) for v in x],
        "u0": float(u[0]),
        "h": float(u[1] - u[0]),
        "F": [float(f"{v:.6g}") for v in table_f],
        "G": [float(f"{v:.6g}") for v in table_g],
        "y0": _H - _BOTTOM,
        "ymin": frame.y_lo,
        "k": frame.scale_y(),
        "top": _TOP - 4,
        "bottom": _H - _BOTTOM + 4,
    }
    sliders = [
        f'<label>{name} <input type="range" id="{uid}-{name}" min="{lo}" max="{hi}" '
        f'step="{step}" value="{value}" aria-label="{name}" style="width:180px;'
        f'vertical-align:middle"></label>'
        for name, value in (("w", 1.0), ("b", 0.0))
    ]
    return HTML(_snippet(uid, title, desc, body, sliders, "w = 1.0, b = 0.0", data, _JS_NEURON))


def _neuron_limits(
    act: Activation, params: dict[str, Any], x: np.ndarray, derivative: bool
) -> tuple[float, float]:
    """y-limits: the default curve (w = 1, b = 0, and its derivative if shown) with 10 %
    margins, so that its shape (e.g. Mish's dip) stays visible; other (w, b) are clipped."""
    curves = [np.asarray(act(x, **params), dtype=float)]
    if derivative:
        curves.append(np.asarray(act.grad(x, **params), dtype=float))
    lo = min(float(np.min(c)) for c in curves)
    hi = max(float(np.max(c)) for c in curves)
    pad = 0.1 * (hi - lo) if hi > lo else 0.5
    return lo - pad, hi + pad


# --------------------------------------------------------------------------- softmax
# Softmax maps a vector to a vector, so it has no curve f(x): its explorers draw the output
# distribution as bars, with the temperature T (softmax(x / T)) as the parameter.

_SOFTMAX_LOGITS = (2.0, 1.0, 0.1, -1.0)
_SOFTMAX_TEMPERATURES = (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0)
_MAX_CLASSES = 12
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _softmax_logits(logits: Any) -> np.ndarray:
    """``logits`` as a float64 vector of 2 to 12 numbers; -inf (a masked class) is allowed."""
    try:
        a = np.asarray(logits, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"logits must be a list of numbers, got {logits!r}") from None
    if a.ndim != 1 or not 2 <= a.size <= _MAX_CLASSES:
        raise ValueError(
            f"logits must be a flat list of 2 to {_MAX_CLASSES} numbers, got shape {a.shape}"
        )
    if np.isnan(a).any() or (a == np.inf).any():
        raise ValueError("logits must be real numbers or -inf (a masked class), not NaN or +inf")
    if np.isneginf(a).all():
        raise ValueError("at least one logit must be finite (all classes are masked)")
    return a


def _softmax_temperature(temperature: Any) -> float:
    try:
        t = float(temperature)
    except (TypeError, ValueError):
        raise ValueError(f"temperature must be a number, got {temperature!r}") from None
    if not (np.isfinite(t) and t > 0):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    return t


def softmax_bars(logits: Sequence[float], temperature: float = 1.0) -> dict[str, np.ndarray]:
    """The data of a softmax bar chart: ``logits``, ``scaled`` = logits / T, ``p`` = softmax.

    ``p = actlib.softmax(logits / temperature)``: positive (0 only for -inf logits), summing
    to 1, in the order of the logits. Small T concentrates p on the largest logits, large T
    flattens it towards the uniform 1/n.
    """
    x = _softmax_logits(logits)
    t = _softmax_temperature(temperature)
    with np.errstate(over="ignore"):  # huge logits over a tiny T: +inf, which softmax handles
        scaled = x / t
    return {"logits": x, "scaled": scaled, "p": np.asarray(F.softmax(scaled), dtype=np.float64)}


def _logit_text(v: float) -> str:
    return "−∞" if v == -np.inf else _tick_text(float(f"{v:.3g}"))


def _class_label(k: int, v: float) -> str:
    return f"x{str(k).translate(_SUBSCRIPTS)} = {_logit_text(v)}"


def _prob_text(p: float) -> str:
    """A probability as shown above its bar: 3 decimals, or 1 significant digit if tiny."""
    if p in (0.0, 1.0):
        return f"{p:g}"
    return f"{p:.3f}" if p >= 1e-3 else f"{p:.0e}".replace("-", "−")


def render_softmax(logits: Sequence[float], temperature: float = 1.0, ax: Any = None) -> Figure:
    """Bars of ``softmax(logits / temperature)`` (into ``ax`` or a new figure)."""
    bars = softmax_bars(logits, temperature)
    x, p = bars["logits"], bars["p"]
    n = len(x)
    fig, ax = _axes(ax)
    with style():
        k = np.arange(n)
        ax.bar(k, p, width=0.6, color=PALETTE[0], label="$\\mathrm{softmax}(x / T)_i$", gid="p")
        for i, v in enumerate(p):
            ax.annotate(
                _prob_text(float(v)),
                (i, v),
                xytext=(0, 3),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.axhline(1 / n, color="#444444", linestyle="--", linewidth=1.2, label=f"uniform 1/{n}")
        ax.set_xticks(k, [_class_label(i, v) for i, v in enumerate(x)], fontsize=8)
        ax.set_xlim(-0.6, n - 0.4)
        ax.set_ylim(0, 1.22)  # room for the labels and the legend above a bar of height 1
        ax.set_yticks(np.linspace(0, 1, 6))
        ax.set_axisbelow(True)
        ax.grid(axis="x", visible=False)
        ax.set_xlabel("class $i$ and its logit $x_i$")
        ax.set_ylabel("probability")
        ax.set_title(f"softmax(x / T), T = {temperature:g}")
        ax.legend(loc="upper center", ncols=2)
    return fig


class SoftmaxExplorer(widgets.VBox):
    """The live softmax explorer: editable logits, a temperature slider, and the bar chart."""

    def __init__(self, logits: Sequence[float] | None = None) -> None:
        start = _softmax_logits(_SOFTMAX_LOGITS if logits is None else logits)
        self.controls: dict[str, widgets.Widget] = {
            "logits": widgets.Text(
                value=", ".join(f"{v:g}" for v in start),
                description="logits x (comma-separated)",
                continuous_update=False,
                style=_STYLE,
                layout=_LAYOUT,
            ),
            "temperature": widgets.FloatLogSlider(
                value=1.0,
                base=10,
                min=-2,
                max=2,
                step=0.05,
                description="temperature T",
                continuous_update=False,
                style=_STYLE,
                layout=_LAYOUT,
                readout_format=".3g",
            ),
        }
        self.logits = start
        self.message = widgets.HTML()
        self.image = widgets.Image(format="png")
        header = "<b>Softmax with temperature</b>: $p_i = e^{x_i / T} / \\sum_j e^{x_j / T}$"
        super().__init__(
            [widgets.HTMLMath(header), *self.controls.values(), self.message, self.image]
        )
        for control in self.controls.values():
            control.observe(self.refresh, names="value")
        self.refresh()

    @property
    def temperature(self) -> float:
        """The temperature the slider shows."""
        return float(self.controls["temperature"].value)

    def refresh(self, _change: object = None) -> None:
        """Read the logits (keeping the last valid ones on a typo) and redraw the bars."""
        text = self.controls["logits"].value.strip()
        try:
            self.logits = _softmax_logits([float(v) for v in re.split(r"[,;\s]+", text) if v])
        except ValueError as exc:
            self.message.value = (
                f'<span style="color:{PALETTE[3]}">Could not use these logits: '
                f"{escape(str(exc))}. Showing the last valid ones.</span>"
            )
        else:
            self.message.value = ""
        self.image.value = figure_png(self.figure())

    def figure(self) -> Figure:
        """The bar chart of the current logits and temperature."""
        return render_softmax(self.logits, self.temperature)


def softmax_explorer(logits: Sequence[float] | None = None) -> SoftmaxExplorer:
    """A live explorer (a VBox) of ``softmax(x / T)``: a text box for the logits ``x``, a
    logarithmic temperature slider (T from 0.01 to 100) and a bar chart of the distribution."""
    return SoftmaxExplorer(logits)


_JS_SOFTMAX = (
    "var r=document.getElementById(U);if(!r)return;"
    "var s=document.getElementById(U+'-s'),o=r.querySelector('output'),"
    "ti=document.getElementById(U+'-title'),"
    "bs=r.querySelectorAll('.actx-bar'),ps=r.querySelectorAll('.actx-p');"
    "if(!s||bs.length!==D.y[0].length)return;"
    "function show(){var i=Math.max(0,Math.min(D.y.length-1,parseInt(s.value,10)||0));"
    "for(var k=0;k<bs.length;k++){var y=D.y[i][k];bs[k].setAttribute('y',y);"
    "bs[k].setAttribute('height',Math.round((D.base-y)*10)/10);"
    "if(ps[k]){ps[k].setAttribute('y',Math.round((y-4)*10)/10);ps[k].textContent=D.t[i][k];}}"
    "if(o)o.textContent=D.labels[i];s.setAttribute('aria-valuetext',D.labels[i]);"
    "if(ti)ti.textContent=ti.textContent.replace(/T = [^,]*$/,D.labels[i]);}"
    "s.addEventListener('input',show);r.querySelector('.actx-controls').hidden=false;"
)


def static_softmax(
    logits: Sequence[float] | None = None, temperatures: Sequence[float] | None = None
) -> HTML:
    """A kernel-free softmax explorer: bars of ``softmax(logits / T)`` and a temperature slider.

    ``temperatures`` (default: 14 values from 0.05 to 50) are sorted; the slider starts at the
    one closest to T = 1. The bars of every temperature are precomputed with actlib; the slider
    swaps their heights and labels. Without JavaScript the bars of the starting temperature
    are still drawn and the (inert) slider stays hidden.
    """
    x = _softmax_logits(_SOFTMAX_LOGITS if logits is None else logits)
    temps = _SOFTMAX_TEMPERATURES if temperatures is None else temperatures
    temps = sorted({_softmax_temperature(t) for t in temps})
    if not temps:
        raise ValueError("temperatures must not be empty")
    ps = [softmax_bars(x, t)["p"] for t in temps]
    start = int(np.argmin([abs(np.log(t)) for t in temps]))
    labels = [f"T = {t:g}" for t in temps]
    n = len(x)
    x0, x1, y0, y1 = _LEFT, _W - _RIGHT, _TOP, _H - _BOTTOM
    slot = (x1 - x0) / n

    def sy(p: float) -> float:
        return float(_num(y1 - p * (y1 - y0)))

    ys = [[sy(float(v)) for v in p] for p in ps]
    texts = [[_prob_text(float(v)) for v in p] for p in ps]
    uid = _uid("softmax", tuple(x.tolist()), tuple(temps))
    parts = [
        f'<rect x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}" fill="none" '
        'stroke="currentColor" stroke-opacity="0.5"/>'
    ]
    for t in _nice_ticks(0.0, 1.0, 5):
        py = _num(y1 - t * (y1 - y0))
        parts.append(
            f'<line x1="{x0}" x2="{x1}" y1="{py}" y2="{py}" stroke="currentColor" '
            f'stroke-opacity="{0.5 if t == 0 else 0.12}"/>'
            f'<text x="{x0 - 6}" y="{py}" dy="0.35em" text-anchor="end">'
            f"{_tick_text(t)}</text>"
        )
    for k, v in enumerate(x):
        cx, bx = _num(x0 + (k + 0.5) * slot), _num(x0 + (k + 0.2) * slot)
        y = ys[start][k]
        parts.append(
            f'<rect class="actx-bar" x="{bx}" y="{_num(y)}" width="{_num(0.6 * slot)}" '
            f'height="{_num(y1 - y)}" fill="{PALETTE[0]}"/>'
            f'<text class="actx-p" x="{cx}" y="{_num(y - 4)}" text-anchor="middle">'
            f"{texts[start][k]}</text>"
            f'<text x="{cx}" y="{y1 + 16}" text-anchor="middle">{_class_label(k, v)}</text>'
        )
    uy = _num(y1 - (y1 - y0) / n)
    parts.append(
        f'<line x1="{x0}" x2="{x1}" y1="{uy}" y2="{uy}" stroke="currentColor" '
        'stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{x0 - 40}" y="{_num((y0 + y1) / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 {x0 - 40} {_num((y0 + y1) / 2)})">probability</text>'
        f'<text x="{(x0 + x1) / 2}" y="{_H - 6}" text-anchor="middle">class and its logit</text>'
    )
    parts.append(  # legend: a bar swatch, then the dashed uniform line
        f'<rect x="{x0}" y="8" width="24" height="12" fill="{PALETTE[0]}"/>'
        f'<text x="{x0 + 30}" y="14" dy="0.35em">softmax(x / T)</text>'
        f'<line x1="{x0 + 140}" x2="{x0 + 164}" y1="14" y2="14" stroke="currentColor" '
        'stroke-width="1.5" stroke-dasharray="6 4"/>'
        f'<text x="{x0 + 170}" y="14" dy="0.35em">uniform 1/{n}</text>'
    )
    shown = ", ".join(_logit_text(v) for v in x)
    title = f"Softmax of the logits ({shown}), {labels[start]}"
    desc = (
        f"Bar chart of the probabilities softmax(x / T) of {n} classes with logits ({shown}), "
        f"and a dashed line at the uniform 1/{n}; a slider changes the temperature T across "
        f"{len(temps)} values from {temps[0]:g} to {temps[-1]:g}. Small T puts almost all the "
        "probability on the largest logit; large T flattens the bars towards uniform."
    )
    data = {"y": ys, "t": texts, "labels": labels, "base": y1}
    slider = (
        f'<input type="range" id="{uid}-s" min="0" max="{len(temps) - 1}" step="1" '
        f'value="{start}" aria-label="temperature T" '
        f'aria-valuetext="{escape(labels[start])}" style="width:260px;vertical-align:middle">'
    )
    body = "".join(parts)
    return HTML(_snippet(uid, title, desc, body, [slider], labels[start], data, _JS_SOFTMAX))
