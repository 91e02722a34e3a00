"""High-precision references for actlib.functional, plus input grids and ULP helpers.

Every activation and derivative is written once here in mpmath at 50 significant digits,
in a form that has no cancellation at that precision (e.g. ``sigmoid'(x) = s(x) s(-x)``),
so rounding the result to float64 gives the correctly rounded value.  The test modules
only import from this file; nothing here imports actlib.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from mpmath import mp, mpf

mp.dps = 50

SELU_ALPHA = mpf("1.6732632423543772848170429916717")
SELU_SCALE = mpf("1.0507009873554804934193349852946")
GELU_K = mp.sqrt(2 / mp.pi)
GELU_C = mpf("0.044715")
_HUGE = mpf(10) ** 6  # beyond this, erfc(u) is 0 or 2 far below any float's resolution

MpFun = Callable[..., mpf]


def _sig(x: mpf) -> mpf:
    return 1 / (1 + mp.exp(-x))


def _erfc(u: mpf) -> mpf:
    if abs(u) > _HUGE:  # mpmath's erfc cannot take astronomically large arguments
        return mpf(0) if u > 0 else mpf(2)
    return mp.erfc(u)


def _softplus_exact(x: mpf) -> mpf:
    return x + mp.log1p(mp.exp(-x)) if x > 0 else mp.log1p(mp.exp(x))


def _softplus_torch(x: mpf, beta: float = 1.0, threshold: float = 20.0) -> mpf:
    bx = mpf(beta) * x
    if _float_product_exceeds(beta, x, threshold):
        return x
    return _softplus_exact(bx) / beta


def _float_product_exceeds(beta: float, x: mpf, threshold: float) -> bool:
    """torch's branch test ``beta * x > threshold``, evaluated exactly (as a float input would)."""
    return mpf(beta) * x > mpf(threshold)


def _softplus_torch_grad(x: mpf, beta: float = 1.0, threshold: float = 20.0) -> mpf:
    if _float_product_exceeds(beta, x, threshold):
        return mpf(1)
    return _sig(mpf(beta) * x)


def _gelu(x: mpf, approximate: str = "none") -> mpf:
    if approximate == "tanh":
        z = GELU_K * (x + GELU_C * x**3)
        return x * _sig(2 * z)  # 0.5 x (1 + tanh z) without the cancellation of 1 + tanh z
    return x / 2 * _erfc(-x / mp.sqrt(2))


def _gelu_grad(x: mpf, approximate: str = "none") -> mpf:
    if approximate == "tanh":
        z = GELU_K * (x + GELU_C * x**3)
        dz = GELU_K * (1 + 3 * GELU_C * x**2)
        return _sig(2 * z) + 2 * x * dz * _sig(2 * z) * _sig(-2 * z)
    if abs(x) > _HUGE:
        return mpf(1) if x > 0 else mpf(0)
    return _erfc(-x / mp.sqrt(2)) / 2 + x * mp.exp(-(x**2) / 2) / mp.sqrt(2 * mp.pi)


def _swish(x: mpf, beta: float = 1.0) -> mpf:
    return x * _sig(mpf(beta) * x)


def _swish_grad(x: mpf, beta: float = 1.0) -> mpf:
    b = mpf(beta)
    return _sig(b * x) + b * x * _sig(b * x) * _sig(-b * x)


def _mish(x: mpf) -> mpf:
    return x * mp.tanh(_softplus_exact(x))


def _mish_grad(x: mpf) -> mpf:
    sp = _softplus_exact(x)
    return mp.tanh(sp) + x * mp.sech(sp) ** 2 * _sig(x)


def _elu(x: mpf, alpha: float = 1.0) -> mpf:
    return x if x > 0 else mpf(alpha) * mp.expm1(x)


def _elu_grad(x: mpf, alpha: float = 1.0) -> mpf:
    return mpf(1) if x > 0 else mpf(alpha) * mp.exp(x)


def _leaky(x: mpf, slope: float) -> mpf:
    return x if x > 0 else mpf(slope) * x


def _leaky_grad(x: mpf, slope: float) -> mpf:
    return mpf(1) if x > 0 else mpf(slope)


REFERENCES: dict[str, tuple[MpFun, MpFun]] = {
    "sigmoid": (_sig, lambda x: _sig(x) * _sig(-x)),
    "tanh": (mp.tanh, lambda x: mp.sech(x) ** 2),
    "relu": (lambda x: max(x, mpf(0)), lambda x: mpf(1) if x > 0 else mpf(0)),
    "leaky_relu": (
        lambda x, negative_slope=0.01: _leaky(x, negative_slope),
        lambda x, negative_slope=0.01: _leaky_grad(x, negative_slope),
    ),
    "prelu": (lambda x, weight: _leaky(x, weight), lambda x, weight: _leaky_grad(x, weight)),
    "elu": (_elu, _elu_grad),
    "selu": (
        lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * mp.expm1(x)),
        lambda x: SELU_SCALE * (1 if x > 0 else SELU_ALPHA * mp.exp(x)),
    ),
    "gelu": (_gelu, _gelu_grad),
    "silu": (_swish, _swish_grad),
    "swish": (_swish, _swish_grad),
    "softplus": (_softplus_torch, _softplus_torch_grad),
    "mish": (_mish, _mish_grad),
    "log_sigmoid": (lambda x: -_softplus_exact(-x), lambda x: _sig(-x)),
}


def _swish_terms(x: mpf, beta: float = 1.0) -> mpf:
    b = mpf(beta)
    return _sig(b * x) + abs(b * x) * _sig(b * x) * _sig(-b * x)


def _gelu_terms(x: mpf, approximate: str = "none") -> mpf:
    if approximate == "tanh":
        z = GELU_K * (x + GELU_C * x**3)
        dz = GELU_K * (1 + 3 * GELU_C * x**2)
        return _sig(2 * z) + abs(2 * x * dz) * _sig(2 * z) * _sig(-2 * z)
    if abs(x) > _HUGE:
        return mpf(1) if x > 0 else mpf(0)
    return _erfc(-x / mp.sqrt(2)) / 2 + abs(x) * mp.exp(-(x**2) / 2) / mp.sqrt(2 * mp.pi)


def _mish_terms(x: mpf) -> mpf:
    sp = _softplus_exact(x)
    return mp.tanh(sp) + abs(x) * mp.sech(sp) ** 2 * _sig(x)


# Derivatives that are a sum of two terms of opposite sign for x < 0: sum of |terms|.
# Near the root of such a derivative (the minimum of silu, swish, gelu, mish) the result is
# much smaller than the terms, so its rounding error is measured against the terms instead.
GRAD_TERMS: dict[str, MpFun] = {
    "silu": _swish_terms,
    "swish": _swish_terms,
    "gelu": _gelu_terms,
    "mish": _mish_terms,
}


@dataclass(frozen=True)
class Case:
    """One activation with one parameter setting."""

    name: str
    params: dict = field(default_factory=dict, hash=False)

    @property
    def id(self) -> str:
        extra = ",".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.name}({extra})" if extra else self.name


# Roots of derivatives = minima of the functions (mpmath.findroot); the grid is dense there.
SILU_GRAD_ZERO = -1.2784645427610738
GELU_GRAD_ZERO = -0.7517915246935645
GELU_TANH_GRAD_ZERO = -0.7524614220710163
MISH_GRAD_ZERO = -1.1924312145154952

CASES: list[Case] = [
    Case("sigmoid"),
    Case("tanh"),
    Case("relu"),
    Case("leaky_relu"),
    Case("leaky_relu", {"negative_slope": 0.2}),
    Case("leaky_relu", {"negative_slope": -0.5}),
    Case("leaky_relu", {"negative_slope": 1.5}),
    Case("prelu", {"weight": 0.25}),
    Case("elu"),
    Case("elu", {"alpha": 0.5}),
    Case("elu", {"alpha": 0.0}),
    Case("selu"),
    Case("gelu"),
    Case("gelu", {"approximate": "tanh"}),
    Case("silu"),
    Case("swish"),
    Case("swish", {"beta": 2.0}),
    Case("swish", {"beta": 0.5}),
    Case("swish", {"beta": 0.0}),
    Case("softplus"),
    Case("softplus", {"beta": 2.0, "threshold": 10.0}),
    Case("softplus", {"beta": 0.5}),
    Case("mish"),
    Case("log_sigmoid"),
]
CASE_IDS = [c.id for c in CASES]

FINFO = {np.dtype(t): np.finfo(t) for t in (np.float16, np.float32, np.float64)}


def _unique_sorted(*parts: np.ndarray, dtype: type) -> np.ndarray:
    with np.errstate(over="ignore"):  # 1e10 etc. overflow in float16: dropped below
        x = np.concatenate([np.asarray(p, dtype=np.float64) for p in parts]).astype(dtype)
    return np.unique(x[np.isfinite(x)])


@functools.cache
def grid(dtype: type = np.float64) -> np.ndarray:
    """Dense grid: |x| log-spaced from the smallest subnormal/1e-300 to 1e3, both signs,
    a fine linear grid on [-12, 12], points around the derivative roots, and the extremes."""
    fi = np.finfo(dtype)
    lo = -300 if dtype == np.float64 else math.floor(math.log10(float(fi.smallest_subnormal)))
    mags = np.concatenate(
        [
            np.logspace(lo, -4, 140 if dtype == np.float64 else 60),
            np.logspace(-4, 3, 600 if dtype == np.float64 else 400),
            [float(fi.smallest_subnormal), float(fi.tiny), float(fi.max), 1e4, 1e10],
            [1e100, 1e300, 1e308] if dtype == np.float64 else [],
            [
                0.5,
                1,
                2,
                5,
                10,
                20,
                20.5,
                30,
                40,
                36.7,
                40,
                88.7,
                89,
                103,
                104,
                709.5,
                710,
                745,
                746,
            ],
        ]
    )
    lin = np.linspace(-12, 12, 481 if dtype == np.float64 else 241)
    roots = [SILU_GRAD_ZERO, GELU_GRAD_ZERO, GELU_TANH_GRAD_ZERO, MISH_GRAD_ZERO]
    roots += [SILU_GRAD_ZERO / 2, SILU_GRAD_ZERO / 0.5]
    near = np.concatenate([r + np.linspace(-0.02, 0.02, 21) for r in roots])
    return _unique_sorted(mags, -mags, lin, near, [0.0], dtype=dtype)


@dataclass(frozen=True)
class Ref:
    """A reference on a grid: value split as hi + lo, condition number, size of its terms."""

    hi: np.ndarray
    lo: np.ndarray
    kappa: np.ndarray
    terms: np.ndarray | None = None


def _split(v: mpf) -> tuple[float, float]:
    hi = float(v)  # correctly rounded (inf when it overflows)
    lo = float(v - mpf(hi)) if math.isfinite(hi) else 0.0
    return hi, lo


def _evaluate(fun: MpFun, xs: np.ndarray, params: dict, slope: np.ndarray | None) -> Ref:
    """Evaluate ``fun`` on ``xs`` with its condition number kappa = |x f'(x) / f(x)|.

    ``slope`` holds f'(x) when known (rounded to float64, plenty for kappa); otherwise f' is
    estimated by a relative perturbation of 1e-25, far below float64 and far above mp.dps.
    """
    delta = mpf(10) ** -25
    hi, lo, kappa = (np.empty(xs.shape) for _ in range(3))
    for i, xf in enumerate(xs.tolist()):
        x = mpf(xf)
        v = fun(x, **params)
        hi[i], lo[i] = _split(v)
        if x == 0 or v == 0:
            kappa[i] = 0.0
        elif slope is not None:
            kappa[i] = min(abs(float(x * mpf(slope[i]) / v)), 1e300)
        else:
            dv = fun(x * (1 + delta), **params) - fun(x * (1 - delta), **params)
            kappa[i] = float(min(abs(dv / (2 * delta * v)), mpf(1e300)))
    return Ref(hi, lo, kappa)


_REF_CACHE: dict[tuple[str, str, str], Ref] = {}


def reference(case: Case, which: str, dtype: type = np.float64) -> Ref:
    """Reference of ``case`` (``which`` = "f" or "grad") on ``grid(dtype)``, computed once."""
    key = (case.id, which, np.dtype(dtype).name)
    if key not in _REF_CACHE:
        f, g = REFERENCES[case.name]
        if which == "grad":
            ref = _evaluate(g, grid(dtype), case.params, None)
            if case.name in GRAD_TERMS:
                t = GRAD_TERMS[case.name]
                terms = [float(t(mpf(x), **case.params)) for x in grid(dtype).tolist()]
                ref = Ref(ref.hi, ref.lo, ref.kappa, np.array(terms))
            _REF_CACHE[key] = ref
        else:
            slope = reference(case, "grad", dtype).hi
            _REF_CACHE[key] = _evaluate(f, grid(dtype), case.params, slope)
    return _REF_CACHE[key]


def ref_scalar(name: str, x: float, grad: bool = False, **params) -> float:
    """The reference rounded to float64 at one point."""
    return float(REFERENCES[name][1 if grad else 0](mpf(x), **params))


def ulp_error(got: np.ndarray, ref: Ref, dtype: type) -> np.ndarray:
    """|got - exact| in units of the last place of the exact value rounded to ``dtype``.

    Non-finite references must be matched exactly (0 or inf error).  For subnormal
    results the ULP is the subnormal spacing, i.e. errors are absolute there.
    """
    got64 = np.asarray(got, dtype=np.float64)
    exact_hi = ref.hi
    with np.errstate(all="ignore"):  # rounding to float16/32 may overflow to inf
        rounded = exact_hi.astype(dtype)
        ulp = np.spacing(np.abs(rounded).astype(dtype)).astype(np.float64)
        err = np.abs((got64 - exact_hi) - ref.lo) / ulp
    same_inf = np.isinf(rounded) & (got64 == rounded)
    err = np.where(same_inf, 0.0, err)
    err = np.where(np.isinf(rounded) & ~same_inf, np.inf, err)
    return np.where(np.isnan(err), np.inf, err)


def naive_ulp(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """ULP distance between two arrays of the same float dtype (0 when both are equal)."""
    got, want = np.asarray(got), np.asarray(want)
    with np.errstate(all="ignore"):
        err = np.abs(got.astype(np.float64) - want.astype(np.float64)) / np.spacing(
            np.abs(want)
        ).astype(np.float64)
    return np.where(got == want, 0.0, np.where(np.isnan(err), np.inf, err))
