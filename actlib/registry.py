"""One record per activation: the single source that plots, explorers, tables and the MLP read.

>>> from actlib import registry
>>> act = registry.get("elu")
>>> act(0.5), act.grad(-1.0, alpha=2.0)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from . import functional as F

__all__ = ["REGISTRY", "Activation", "Param", "Properties", "get", "names"]


@dataclass(frozen=True)
class Param:
    """A parameter of an activation, with its default and a sensible slider range."""

    name: str
    default: float | str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    symbol: str = ""
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Properties:
    """Shape facts about f, as a learner would check them on a plot.

    ``saturation`` says where f' tends to 0: "both sides", "negative side" or "none".
    ``zero_centred`` means f is odd, so its outputs are symmetric about 0.
    ``smooth`` means infinitely differentiable everywhere.
    """

    monotonic: bool
    smooth: bool
    zero_centred: bool
    bounded_below: bool
    bounded_above: bool
    saturation: str

    @property
    def saturating(self) -> bool:
        """True when f' tends to 0 on at least one side."""
        return self.saturation != "none"


@dataclass(frozen=True)
class Activation:
    """An activation function, its derivative and everything needed to teach it."""

    key: str
    name: str
    f: Callable[..., Any]
    df: Callable[..., Any] | None
    params: tuple[Param, ...]
    formula: str
    derivative: str
    output_range: str
    properties: Properties
    cite: str
    x_range: tuple[float, float] = (-5.0, 5.0)
    elementwise: bool = True
    max_slope: str = ""
    notes: str = field(default="", compare=False)

    def defaults(self) -> dict[str, float | str]:
        """The default value of every parameter, by name."""
        return {p.name: p.default for p in self.params}

    def _merged(self, params: dict[str, Any]) -> dict[str, Any]:
        unknown = set(params) - {p.name for p in self.params}
        if unknown:
            allowed = ", ".join(p.name for p in self.params) or "none"
            raise ValueError(
                f"{self.key}: unknown parameter(s) {', '.join(sorted(unknown))}; allowed: {allowed}"
            )
        return {**self.defaults(), **params}

    def __call__(self, x: Any, **params: Any) -> Any:
        """f(x) with default parameters filled in."""
        return self.f(x, **self._merged(params))

    def grad(self, x: Any, **params: Any) -> Any:
        """f'(x) with default parameters filled in."""
        if self.df is None:
            raise ValueError(f"{self.key} is not elementwise; use its Jacobian instead")
        return self.df(x, **self._merged(params))


SIGMOID_LIKE = Properties(True, True, False, True, True, "both sides")
_LEAKY = Properties(True, False, False, False, False, "none")
_CASES = r"\begin{{cases}} {} & x > 0 \\ {} & x \le 0 \end{{cases}}"

_RECORDS = (
    Activation(
        key="sigmoid",
        name="Sigmoid (logistic)",
        f=F.sigmoid,
        df=F.sigmoid_grad,
        params=(),
        formula=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        derivative=r"\sigma'(x) = \sigma(x)\,\bigl(1 - \sigma(x)\bigr)",
        output_range="(0, 1)",
        properties=SIGMOID_LIKE,
        cite="rumelhart1986learning",
        x_range=(-8.0, 8.0),
        max_slope=r"1/4 \text{ at } x = 0",
    ),
    Activation(
        key="tanh",
        name="Hyperbolic tangent (tanh)",
        f=F.tanh,
        df=F.tanh_grad,
        params=(),
        formula=r"\tanh(x) = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
        derivative=r"\tanh'(x) = 1 - \tanh^2(x)",
        output_range="(-1, 1)",
        properties=Properties(True, True, True, True, True, "both sides"),
        cite="lecun1998efficient",
        x_range=(-4.0, 4.0),
        max_slope=r"1 \text{ at } x = 0",
    ),
    Activation(
        key="relu",
        name="ReLU",
        f=F.relu,
        df=F.relu_grad,
        params=(),
        formula=r"\operatorname{ReLU}(x) = \max(0, x)",
        derivative=_CASES.format("1", "0"),
        output_range=r"[0, \infty)",
        properties=Properties(True, False, False, True, False, "negative side"),
        cite="nair2010rectified",
        max_slope=r"1 \text{ for all } x > 0",
    ),
    Activation(
        key="leaky_relu",
        name="Leaky ReLU",
        f=F.leaky_relu,
        df=F.leaky_relu_grad,
        params=(
            Param(
                "negative_slope",
                0.01,
                0.0,
                1.0,
                0.01,
                "a",
                doc="slope for x < 0 (PyTorch default 0.01, Keras 0.3)",
            ),
        ),
        formula=r"\operatorname{LeakyReLU}(x) = \max(0, x) + a\,\min(0, x)",
        derivative=_CASES.format("1", "a"),
        output_range=r"(-\infty, \infty)",
        properties=_LEAKY,
        cite="maas2013rectifier",
        max_slope=r"\max(1, a)",
    ),
    Activation(
        key="prelu",
        name="PReLU",
        f=F.prelu,
        df=F.prelu_grad,
        params=(
            Param(
                "weight",
                0.25,
                0.0,
                1.0,
                0.01,
                "a",
                doc="learned slope for x < 0, usually one per channel, initialised at 0.25",
            ),
        ),
        formula=r"\operatorname{PReLU}(x) = \max(0, x) + a\,\min(0, x), \quad a \text{ learned}",
        derivative=_CASES.format("1", "a"),
        output_range=r"(-\infty, \infty)",
        properties=_LEAKY,
        cite="he2015delving",
        max_slope=r"\max(1, a)",
    ),
    Activation(
        key="elu",
        name="ELU",
        f=F.elu,
        df=F.elu_grad,
        params=(
            Param(
                "alpha",
                1.0,
                0.0,
                3.0,
                0.05,
                r"\alpha",
                doc="the negative saturation value is -alpha",
            ),
        ),
        formula=r"\operatorname{ELU}(x) = " + _CASES.format("x", r"\alpha\,(e^{x} - 1)"),
        derivative=_CASES.format("1", r"\alpha\, e^{x}"),
        output_range=r"(-\alpha, \infty)",
        properties=Properties(True, False, False, True, False, "negative side"),
        cite="clevert2016fast",
        max_slope=r"\max(1, \alpha)",
    ),
    Activation(
        key="selu",
        name="SELU",
        f=F.selu,
        df=F.selu_grad,
        params=(),
        formula=r"\operatorname{SELU}(x) = \lambda "
        + _CASES.format("x", r"\alpha\,(e^{x} - 1)")
        + r",\ \lambda \approx 1.0507,\ \alpha \approx 1.6733",
        derivative=r"\lambda " + _CASES.format("1", r"\alpha\, e^{x}"),
        output_range=r"(-\lambda\alpha, \infty) \approx (-1.7581, \infty)",
        properties=Properties(True, False, False, True, False, "negative side"),
        cite="klambauer2017self",
        max_slope=r"\lambda\alpha \approx 1.7581 \text{ as } x \to 0^-",
    ),
    Activation(
        key="gelu",
        name="GELU",
        f=F.gelu,
        df=F.gelu_grad,
        params=(
            Param(
                "approximate",
                "none",
                choices=("none", "tanh"),
                doc='"none": exact x*Phi(x) with erf; "tanh": the tanh approximation',
            ),
        ),
        formula=r"\operatorname{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}"
        r"\frac{x}{\sqrt{2}}\right)",
        derivative=r"\operatorname{GELU}'(x) = \Phi(x) + x\,\varphi(x)",
        output_range=r"[-0.1700, \infty)",
        properties=Properties(False, True, False, True, False, "negative side"),
        cite="hendrycks2016gaussian",
        max_slope=r"\approx 1.1289 \text{ at } x = \sqrt{2}",
    ),
    Activation(
        key="silu",
        name="SiLU",
        f=F.silu,
        df=F.silu_grad,
        params=(),
        formula=r"\operatorname{SiLU}(x) = x\,\sigma(x)",
        derivative=r"\operatorname{SiLU}'(x) = \sigma(x)\,\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        output_range=r"[-0.2785, \infty)",
        properties=Properties(False, True, False, True, False, "negative side"),
        cite="elfwing2018sigmoid",
        max_slope=r"\approx 1.0998 \text{ at } x \approx 2.3994",
    ),
    Activation(
        key="swish",
        name="Swish",
        f=F.swish,
        df=F.swish_grad,
        params=(
            Param(
                "beta",
                1.0,
                0.0,
                10.0,
                0.1,
                r"\beta",
                doc="beta = 0 gives x/2, beta = 1 gives SiLU, beta -> infinity gives ReLU",
            ),
        ),
        formula=r"\operatorname{swish}_\beta(x) = x\,\sigma(\beta x)",
        derivative=r"\sigma(\beta x) + \beta x\,\sigma(\beta x)\,\bigl(1 - \sigma(\beta x)\bigr)",
        output_range=r"[-0.2785/\beta, \infty) \text{ for } \beta > 0;"
        r"\ (-\infty, \infty) \text{ at } \beta = 0",
        properties=Properties(False, True, False, True, False, "negative side"),
        cite="ramachandran2017searching",
        max_slope=r"\approx 1.0998 \text{ at } x \approx 2.3994/\beta \text{ for } \beta > 0;"
        r"\ 1/2 \text{ at } \beta = 0",
    ),
    Activation(
        key="softplus",
        name="Softplus",
        f=F.softplus,
        df=F.softplus_grad,
        params=(
            Param("beta", 1.0, 0.1, 10.0, 0.1, r"\beta", doc="sharpness; larger is closer to ReLU"),
            Param(
                "threshold",
                20.0,
                1.0,
                40.0,
                1.0,
                r"t",
                doc="above beta*x > threshold the output is x itself (as in PyTorch)",
            ),
        ),
        formula=r"\operatorname{softplus}(x) = \frac{1}{\beta}\log\bigl(1 + e^{\beta x}\bigr)",
        derivative=r"\operatorname{softplus}'(x) = \sigma(\beta x)",
        output_range=r"(0, \infty)",
        properties=Properties(True, True, False, True, False, "negative side"),
        cite="dugas2001incorporating",
        max_slope=r"1 \text{ as } x \to \infty",
    ),
    Activation(
        key="mish",
        name="Mish",
        f=F.mish,
        df=F.mish_grad,
        params=(),
        formula=r"\operatorname{Mish}(x) = x \tanh\bigl(\operatorname{softplus}(x)\bigr)",
        derivative=r"\tanh\bigl(\operatorname{sp}(x)\bigr) + x\,\sigma(x)"
        r"\,\operatorname{sech}^2\bigl(\operatorname{sp}(x)\bigr)",
        output_range=r"[-0.3088, \infty)",
        properties=Properties(False, True, False, True, False, "negative side"),
        cite="misra2020mish",
        max_slope=r"\approx 1.0885 \text{ at } x \approx 1.4906",
    ),
    Activation(
        key="log_sigmoid",
        name="Log-sigmoid",
        f=F.log_sigmoid,
        df=F.log_sigmoid_grad,
        params=(),
        formula=r"\log\sigma(x) = -\operatorname{softplus}(-x)",
        derivative=r"\frac{d}{dx}\log\sigma(x) = 1 - \sigma(x) = \sigma(-x)",
        output_range=r"(-\infty, 0)",
        properties=Properties(True, True, False, False, True, "both sides"),
        cite="rumelhart1986learning",
        x_range=(-8.0, 8.0),
        max_slope=r"1 \text{ as } x \to -\infty",
    ),
    Activation(
        key="softmax",
        name="Softmax",
        f=F.softmax,
        df=None,
        params=(),
        formula=r"\operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}",
        derivative=r"\frac{\partial s_i}{\partial x_j} = s_i\,(\delta_{ij} - s_j)",
        output_range=r"(0, 1)^n,\ \textstyle\sum_i s_i = 1",
        properties=Properties(True, True, False, True, True, "both sides"),
        cite="bridle1990probabilistic",
        elementwise=False,
        max_slope=r"\partial s_i/\partial x_i \le 1/4",
    ),
)

REGISTRY: Mapping[str, Activation] = MappingProxyType({a.key: a for a in _RECORDS})


def get(key: str) -> Activation:
    """The record of activation ``key``; an unknown key raises ValueError listing the known ones."""
    try:
        return REGISTRY[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown activation {key!r}; known activations: {', '.join(REGISTRY)}"
        ) from None


def names(elementwise: bool | None = None) -> tuple[str, ...]:
    """Registered keys in course order, optionally only the (non-)elementwise ones."""
    return tuple(
        k for k, a in REGISTRY.items() if elementwise is None or a.elementwise is elementwise
    )
