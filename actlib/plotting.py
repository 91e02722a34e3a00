"""Figures of activations, drawn from their registry records.

Every function returns a :class:`matplotlib.figure.Figure`. Figures are detached from
pyplot (created, then closed in pyplot's registry at once), so in Jupyter a figure shows
exactly once when it is a cell's last value or passed to ``display``/``glue``, and loops
that draw many figures never leak memory.

Style: an opaque white figure with dark text, so a figure reads the same on the book's
light and dark themes; the Okabe-Ito colour-blind-safe palette, and a distinct line style
per curve, so that colour is never the only cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.mathtext import MathTextParser

from . import registry
from .registry import Activation

__all__ = [
    "LINESTYLES",
    "PALETTE",
    "STYLE",
    "Slope",
    "curve_label",
    "largest_slope",
    "mathtext",
    "new_figure",
    "plot_function",
    "plot_overlay",
    "plot_sweep",
    "style",
]

#: Okabe-Ito colours, in order of preference: blue, orange, green, vermillion, purple, sky blue,
#: yellow, black.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: One line style per palette entry, so curves differ in more than colour.
LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1)), (0, (3, 1, 1, 1, 1, 1)), (0, (1, 1)), (0, (8, 2)))
#: matplotlib rcParams of the course figures (white, opaque, dark text, small PNGs).
STYLE: dict[str, Any] = {
    "figure.figsize": (8.0, 3.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "savefig.transparent": False,
    "text.color": "#222222",
    "axes.labelcolor": "#222222",
    "axes.edgecolor": "#444444",
    "xtick.color": "#222222",
    "ytick.color": "#222222",
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "legend.fontsize": 8,
    "legend.framealpha": 0.9,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "lines.linewidth": 2.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=PALETTE) + mpl.cycler(linestyle=LINESTYLES),
}

X_LABEL = "$x$"
F_LABEL = "$f(x)$"
DF_LABEL = "$f\\,'(x)$"
_ZERO_LINE = {"color": "#888888", "linewidth": 0.8, "zorder": 1}
_PARSER = MathTextParser("path")
_GRID_POINTS = 801


@contextmanager
def style() -> Iterator[None]:
    """Apply the course style to the figures created inside the ``with`` block."""
    with mpl.rc_context(STYLE):
        yield


def new_figure(ncols: int = 1, figsize: tuple[float, float] | None = None) -> Figure:
    """A course-styled figure with ``ncols`` axes side by side, detached from pyplot."""
    with style():
        fig = plt.figure(figsize=figsize, layout="constrained")
        plt.close(fig)
        fig.subplots(1, ncols, squeeze=False)
    return fig


def mathtext(latex: str) -> str | None:
    """``latex`` rewritten for matplotlib's mathtext (``$...$``), or None if it cannot render it.

    Rewrites what mathtext lacks: ``cases`` become "a if x > 0, b if x <= 0"; ``\\bigl(``
    becomes ``(``; ``\\le``/``\\ge`` become ``\\leq``/``\\geq``.
    """

    def cases(m: re.Match[str]) -> str:
        rows = [r.split("&") for r in m.group(1).split(r"\\")]
        if any(len(r) != 2 for r in rows):
            return m.group(0)
        text = r",\ ".join(rf"{v.strip()}\ \mathrm{{if}}\ {c.strip()}" for v, c in rows)
        after_equals = m.string[: m.start()].rstrip().endswith("=") or m.start() == 0
        return text if after_equals else rf"\left({text}\right)"

    s = re.sub(r"\\begin\{cases\}(.*?)\\end\{cases\}", cases, latex, flags=re.S)
    s = re.sub(r"\\[bB]igg?[lr]?(?![a-zA-Z])", "", s)
    s = re.sub(r"\\(textstyle|displaystyle)(?![a-zA-Z])", "", s)
    s = re.sub(r"\\(le|ge)(?![a-zA-Z])", r"\\\1q", s)
    s = f"${s.strip()}$"
    try:
        _PARSER.parse(s)
    except ValueError:
        return None
    return s


def _record(key: str | Activation) -> Activation:
    act = key if isinstance(key, Activation) else registry.get(key)
    if not act.elementwise:
        raise ValueError(f"{act.key} is not elementwise: it has no curve f(x) to plot")
    return act


def _checked(act: Activation, params: Mapping[str, Any] | None) -> dict[str, Any]:
    params = dict(params or {})
    known = {p.name for p in act.params}
    unknown = sorted(set(params) - known)
    if unknown:
        raise ValueError(
            f"{act.key}: unknown parameter(s) {', '.join(unknown)}; "
            f"allowed: {', '.join(sorted(known)) or 'none'}"
        )
    return params


def _grid(act: Activation, x_range: tuple[float, float] | None, n: int) -> np.ndarray:
    lo, hi = act.x_range if x_range is None else x_range
    if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
        raise ValueError(f"x_range must be two finite numbers with low < high, got {x_range!r}")
    return np.linspace(float(lo), float(hi), n)


def _symbol(p: registry.Param) -> str:
    return f"${p.symbol}$" if p.symbol else p.name


def curve_label(key: str | Activation, params: Mapping[str, Any] | None = None) -> str:
    """Legend text: the display name and, when given, the parameter values (``ELU (α=0.5)``)."""
    act = _record(key)
    params = _checked(act, params)
    shown = [
        f"{_symbol(p)}={params[p.name]:g}" if not p.choices else f"{p.name}={params[p.name]}"
        for p in act.params
        if p.name in params
    ]
    return f"{act.name} ({', '.join(shown)})" if shown else act.name


@dataclass(frozen=True)
class Slope:
    """Where f' is largest on a grid: the value, its first location and the plateau it spans.

    ``x_low`` and ``x_high`` are the first and last grid points of the plateau; ``low`` and
    ``high`` its exact ends (a kink where the plateau meets one, e.g. ReLU's 0, else the grid
    points); ``where`` says it in words ("at x = 0", "for every x > 0", "for every x ∈ [-5, 5]").
    """

    slope: float
    x: float
    x_low: float
    x_high: float
    at_edge: bool
    low: float | None = None
    high: float | None = None
    where: str = ""

    @property
    def plateau(self) -> bool:
        """True when the largest slope is attained on an interval (ReLU's x > 0)."""
        return self.x_high > self.x_low


#: Where piecewise activations switch branch: f' may jump there (ReLU, ELU with alpha != 1, ...).
_KINKS = (0.0,)
_TINY = 1e-10  # one-sided limits of f' at a kink: f' at kink -+ _TINY


@dataclass(frozen=True)
class _Jump:
    """A jump of f' at ``x``: its one-sided limits and the value f'(x) actlib takes there."""

    x: float
    left: float
    at: float
    right: float


def _same(a: float, b: float, rel: float = 1e-6) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


def _jumps(act: Activation, params: Mapping[str, Any], lo: float, hi: float) -> list[_Jump]:
    """The jumps of f' strictly inside (lo, hi), found by comparing one-sided limits at kinks."""
    out = []
    for c in _KINKS:
        if lo < c < hi:
            left, at, right = (float(act.grad(v, **params)) for v in (c - _TINY, c, c + _TINY))
            if not _same(left, right):
                out.append(_Jump(c, left, at, right))
    return out


def _broken(x: np.ndarray, y: np.ndarray, jumps: Sequence[_Jump]) -> tuple[np.ndarray, ...]:
    """``x``, ``y`` with each jump drawn as two one-sided ends and a NaN gap between them."""
    xs, ys, start = [], [], 0
    for j in jumps:
        a, b = int(np.searchsorted(x, j.x, "left")), int(np.searchsorted(x, j.x, "right"))
        xs += [x[start:a], [j.x, np.nan, j.x]]
        ys += [y[start:a], [j.left, np.nan, j.right]]
        start = b
    return np.concatenate([*xs, x[start:]]), np.concatenate([*ys, y[start:]])


def _end(
    act: Activation, params: Mapping[str, Any], inside: float, outside: float, top: float
) -> tuple[float, bool] | None:
    """The exact end of a plateau between grid points ``inside`` (on it) and ``outside`` (off
    it), with whether it belongs to the plateau, when a kink lies there; else None."""
    lo, hi = sorted((inside, outside))
    for c in _KINKS:
        if lo <= c <= hi:
            limit = float(act.grad(c + np.copysign(_TINY, inside - outside), **params))
            if _same(limit, top, 1e-9):
                return c, _same(float(act.grad(c, **params)), top, 1e-9)
    return None


def _where(
    low: float,
    high: float,
    closed: tuple[bool, ...],
    kink: tuple[bool, ...],
    edge: tuple[bool, bool],
) -> str:
    """A plateau [low, high] in words: "for every x > 0" when it runs from a kink to the
    plot's edge, else its interval, each end open or closed."""
    if kink[0] and edge[1] and not edge[0]:
        return f"for every x {'≥' if closed[0] else '>'} {low:.3g}"
    if kink[1] and edge[0] and not edge[1]:
        return f"for every x {'≤' if closed[1] else '<'} {high:.3g}"
    left, right = "[" if closed[0] else "(", "]" if closed[1] else ")"
    return f"for every x ∈ {left}{low:.3g}, {high:.3g}{right}"


def largest_slope(
    key: str | Activation,
    params: Mapping[str, Any] | None = None,
    x_range: tuple[float, float] | None = None,
    n: int = _GRID_POINTS,
) -> Slope:
    """The largest value of f' on an ``n``-point grid over ``x_range`` (numerically).

    A plateau (f' at its maximum on an interval) that ends between two grid points at a kink
    of f' (x = 0) is given its exact end there, open or closed as f' at the kink says.
    """
    act = _record(key)
    params = _checked(act, params)
    x = _grid(act, x_range, n)
    dy = np.asarray(act.grad(x, **params), dtype=float)
    top = float(np.max(dy))
    on = dy >= top - 1e-9 * max(1.0, abs(top))
    i = int(np.argmax(on))
    j = i + int(np.argmin(on[i:])) - 1 if not on[i:].all() else n - 1
    if i == j:
        where = f"at x = {x[i]:.3g}" + (" (range edge)" if i in (0, n - 1) else "")
        xi = float(x[i])
        return Slope(top, xi, xi, xi, i in (0, n - 1), xi, xi, where)
    ends = (
        None if i == 0 else _end(act, params, float(x[i]), float(x[i - 1]), top),
        None if j == n - 1 else _end(act, params, float(x[j]), float(x[j + 1]), top),
    )
    low, high = (float(x[k]) if e is None else e[0] for k, e in zip((i, j), ends, strict=True))
    closed = tuple(e is None or e[1] for e in ends)
    kink = tuple(e is not None for e in ends)
    where = _where(low, high, closed, kink, (i == 0, j == n - 1))
    return Slope(top, float(x[i]), float(x[i]), float(x[j]), False, low, high, where)


def _slope_text(s: Slope) -> str:
    return f"largest slope {s.slope:.4g} {s.where}"


def _kink_markers(ax: Axes, jumps: Sequence[_Jump]) -> list[Any]:
    """A filled dot at f'(kink) as actlib takes it, an open circle at the other one-sided limit."""
    handles = []
    for j in jumps:
        handles += ax.plot(
            j.x,
            j.at,
            "o",
            color=PALETTE[3],
            markersize=7,
            zorder=6,
            gid="df_at_kink",
            label=f"$f\\,'({j.x:g}) = {j.at:.4g}$ (value taken at the kink)",
        )
        for side, limit in (("left", j.left), ("right", j.right)):
            if not _same(limit, j.at):
                sign = "-" if side == "left" else "+"
                handles += ax.plot(
                    j.x,
                    limit,
                    "o",
                    markerfacecolor="white",
                    markeredgecolor=PALETTE[3],
                    markeredgewidth=1.5,
                    markersize=7,
                    zorder=6,
                    gid="df_limit",
                    label=f"$f\\,'({j.x:g}^{sign}) = {limit:.4g}$ (limit from the {side})",
                )
    return handles


def plot_function(
    key: str | Activation,
    params: Mapping[str, Any] | None = None,
    x_range: tuple[float, float] | None = None,
    axes: Sequence[Axes] | None = None,
    n: int = _GRID_POINTS,
) -> Figure:
    """f (left) and f' (right) of activation ``key``, with its formulas as titles.

    ``params`` overrides the registry defaults; ``x_range`` the record's plotting range;
    ``axes`` is an optional pair of axes to draw into. The point of largest slope (found
    on the grid) is marked on both panels. Where f' jumps (at a kink), its curve is broken:
    a filled dot marks the value f' takes there, an open circle the other one-sided limit.
    The curves carry ``gid`` "f" and "df".
    """
    act = _record(key)
    params = _checked(act, params)
    x = _grid(act, x_range, n)
    y = np.asarray(act(x, **params), dtype=float)
    dy = np.asarray(act.grad(x, **params), dtype=float)
    jumps = _jumps(act, params, float(x[0]), float(x[-1]))
    fig = new_figure(2) if axes is None else axes[0].figure
    ax_f, ax_df = fig.axes[:2] if axes is None else axes
    label = curve_label(act, params)
    best = largest_slope(act, params, x_range, n)
    # the marker: at the maximum, or in the middle of a plateau (away from its ends)
    k = int(np.searchsorted(x, (best.x_low + best.x_high) / 2 if best.plateau else best.x))
    with style():
        panels = (
            (ax_f, (x, y), y, F_LABEL, act.formula, "f(x)", "f", 0),
            (ax_df, _broken(x, dy, jumps), dy, DF_LABEL, act.derivative, "f'(x)", "df", 3),
        )
        for ax, data, values, ylabel, latex, lhs, gid, c in panels:
            ax.axhline(0, **_ZERO_LINE)
            ax.axvline(0, **_ZERO_LINE)
            ax.plot(
                *data,
                color=PALETTE[c],
                linestyle="-" if gid == "f" else "--",
                label=label,
                gid=gid,
            )
            marker = ax.plot(
                x[k],
                values[k],
                "o",
                color=PALETTE[7],
                markersize=6,
                zorder=4,
                label=_slope_text(best),
                gid="max_slope",
            )[0]
            ax.set_xlabel(X_LABEL)
            ax.set_ylabel(ylabel)
            ax.set_xlim(x[0], x[-1])
            _fit_title(ax, _title(latex, lhs, act.name))
        if best.plateau:
            on = (x > best.low) & (x < best.high)
            ax_df.plot(
                [best.low, *x[on], best.high],
                [best.slope] * (int(on.sum()) + 2),
                color=PALETTE[7],
                linewidth=5,
                alpha=0.3,
                zorder=3,
                gid="max_slope_plateau",
            )
        handles = [marker, *_kink_markers(ax_df, jumps)]
        if jumps:  # headroom, so that the taller legend does not hide the dots
            lo, hi = ax_df.get_ylim()
            ax_df.set_ylim(lo, hi + 0.1 * len(handles) * (hi - lo))
        ax_df.legend(handles=handles, loc="best")
    return fig


def _fit_title(ax: Axes, text: str, size: float = 10.0, smallest: float = 7.0) -> None:
    """Set the title, shrinking the font (down to ``smallest``) until it fits the axes width."""
    title = ax.set_title(text, fontsize=size)
    ratio = ax.get_window_extent().width / title.get_window_extent().width
    if ratio < 1:
        title.set_fontsize(max(smallest, size * ratio))


def _title(latex: str, prefix: str, name: str) -> str:
    text = mathtext(latex)
    if text is None:
        return f"{name}: {prefix}"
    if "=" not in latex:
        text = f"${prefix} = {text[1:]}"
    return text


def _items(
    items: Sequence[str | Activation | tuple[str | Activation, Mapping[str, Any]]],
) -> list[tuple[Activation, dict[str, Any]]]:
    out = []
    for item in items:
        key, params = item if isinstance(item, tuple) else (item, {})
        act = _record(key)
        out.append((act, _checked(act, params)))
    if not out:
        raise ValueError("plot_overlay needs at least one activation")
    return out


def plot_overlay(
    items: Sequence[str | Activation | tuple[str | Activation, Mapping[str, Any]]],
    derivative: bool | str = False,
    x_range: tuple[float, float] | None = None,
    n: int = _GRID_POINTS,
) -> Figure:
    """Several activations, or one activation at several parameter values, on shared axes.

    ``items`` holds keys or ``(key, params)`` pairs. ``derivative=False`` draws f,
    ``True`` draws f', ``"both"`` draws f and f' side by side. ``x_range`` defaults to the
    union of the records' ranges. The legend names each curve with its parameter values.
    """
    pairs = _items(items)
    if derivative not in (False, True, "both"):
        raise ValueError(f"derivative must be False, True or 'both', got {derivative!r}")
    if x_range is None:
        x_range = (min(a.x_range[0] for a, _ in pairs), max(a.x_range[1] for a, _ in pairs))
    x = _grid(pairs[0][0], x_range, n)
    kinds = [False, True] if derivative == "both" else [bool(derivative)]
    fig = new_figure(len(kinds))
    with style():
        for ax, grad in zip(fig.axes, kinds, strict=True):
            ax.axhline(0, **_ZERO_LINE)
            ax.axvline(0, **_ZERO_LINE)
            for i, (act, params) in enumerate(pairs):
                values = np.asarray(act.grad(x, **params) if grad else act(x, **params), float)
                jumps = _jumps(act, params, float(x[0]), float(x[-1])) if grad else []
                ax.plot(
                    *_broken(x, values, jumps),
                    color=PALETTE[i % len(PALETTE)],
                    linestyle=LINESTYLES[i % len(LINESTYLES)],
                    label=curve_label(act, params),
                )
            ax.set_xlabel(X_LABEL)
            ax.set_ylabel(DF_LABEL if grad else F_LABEL)
            ax.set_xlim(x[0], x[-1])
            ax.set_title("derivatives $f\\,'(x)$" if grad else "activations $f(x)$")
        fig.axes[0].legend(loc="best")
    return fig


def plot_sweep(
    key: str | Activation,
    param: str,
    values: Sequence[float] | None = None,
    derivative: bool | str = "both",
    x_range: tuple[float, float] | None = None,
) -> Figure:
    """One activation at several values of ``param`` (default: 5 values across its range)."""
    act = _record(key)
    p = next((p for p in act.params if p.name == param), None)
    if p is None:
        raise ValueError(f"{act.key} has no parameter {param!r}")
    if values is None:
        values = p.choices or np.linspace(p.low, p.high, 5).round(6).tolist()
    return plot_overlay([(act, {param: v}) for v in values], derivative, x_range)
