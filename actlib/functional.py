"""Activation functions and their derivatives: NumPy in, NumPy out.

Names and defaults follow ``torch.nn.functional`` (with ``axis`` for ``dim``); at a kink the
derivative takes PyTorch's value. Every function accepts scalars, lists and arrays, keeps
float16/32/64, returns the input's shape, never modifies its input and never emits a
RuntimeWarning. The formulas are the numerically stable ones: each kernel works on
``e = exp(-|x|)`` (or a similar bounded quantity) so nothing overflows, and uses ``expm1``/
``log1p`` where a difference from 1 would cancel. Input coercion, the dtype rules and the
parameter checks live in :mod:`actlib._arrays`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import ndtr

from ._arrays import as_float_array, check_axis, check_choice, check_param, quiet, wrap

__all__ = [
    "SELU_ALPHA",
    "SELU_SCALE",
    "elu",
    "elu_grad",
    "gelu",
    "gelu_grad",
    "leaky_relu",
    "leaky_relu_grad",
    "log_sigmoid",
    "log_sigmoid_grad",
    "log_softmax",
    "mish",
    "mish_grad",
    "prelu",
    "prelu_grad",
    "prelu_weight_grad",
    "relu",
    "relu_grad",
    "selu",
    "selu_grad",
    "sigmoid",
    "sigmoid_grad",
    "silu",
    "silu_grad",
    "softmax",
    "softmax_jacobian",
    "softplus",
    "softplus_grad",
    "swish",
    "swish_grad",
    "tanh",
    "tanh_grad",
]

#: SELU constants (Klambauer et al., 2017), as in PyTorch.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946

_GELU_APPROXIMATIONS = ("none", "tanh")
_INV_SQRT_2PI = 0.3989422804014327  # 1 / sqrt(2 pi)
_TANH_A = 1.5957691216057308  # 2 sqrt(2 / pi): 2u = x (A + B x^2) in the tanh GELU
_TANH_B = _TANH_A * 0.044715
_GELU_CLIP = 40.0  # |x| beyond which ndtr(x) is exactly 0 or 1 and phi(x) is 0
_TANH_GELU_CLIP = 100.0  # |x| beyond which sigmoid(2u) is exactly 0 or 1
_SPLIT = {np.dtype(np.float64): 134217729.0, np.dtype(np.float32): 4097.0}  # Dekker 2^k + 1
#: exp(z) is finite for z <= this (log of the largest finite value, rounded down)
_EXP_SAFE = {np.dtype(np.float64): 709.0, np.dtype(np.float32): 88.0}
_FMAX = {
    np.dtype(np.float64): np.finfo(np.float64).max,
    np.dtype(np.float32): np.finfo(np.float32).max,
}

Result = Any  # an ndarray, or a NumPy scalar for 0-d input


# --------------------------------------------------------------------------- private kernels
# They take a read-only float32/float64 array of ndim >= 1 and return a new array.


def _exp_neg_abs(a: np.ndarray) -> np.ndarray:
    """exp(-|a|): in (0, 1], never overflows."""
    e = np.abs(a)
    np.negative(e, out=e)
    return np.exp(e, out=e)


def _sigmoid(z: np.ndarray, factor: Any = 1.0, *, negate: bool = False) -> np.ndarray:
    """factor * sigmoid(-z if negate else z) (factor: a scalar or z's shape), under ``quiet()``.

    The fast form factor / (1 + exp(-z)) is accurate (a few ULP) wherever exp(-z) is finite.
    Where it overflows, the sigmoid is exp(-|z|) / (1 + exp(-|z|)), a (sub)normal number that
    the fast form flushes to 0: those few entries are recomputed with that formula.
    """
    if negate:
        d = np.exp(z)
    else:
        d = np.negative(z)
        np.exp(d, out=d)
    d += 1.0
    r = np.divide(factor, d, out=d)
    lim = _EXP_SAFE[z.dtype]
    if negate:
        tail = np.fmax.reduce(z, axis=None, initial=-np.inf) > lim  # NaN-ignoring max
    else:
        tail = np.fmin.reduce(z, axis=None, initial=np.inf) < -lim
    if tail:
        far = z > lim if negate else z < -lim
        e = np.exp(-np.abs(z[far]))
        r[far] = (factor if np.ndim(factor) == 0 else factor[far]) * (e / (1.0 + e))
    return r


def _sech2_half(a: np.ndarray, scale: float, num: float) -> np.ndarray:
    """num / (1 + cosh(scale a)) = (num / 2) sech^2(scale a / 2), under ``quiet()``.

    Accurate to ~2 ULP: cosh(z) >= 1, so 1 + cosh(z) halves cosh's relative error (the form
    (1 / cosh)^2 doubles it). Where cosh overflows (the result is then exactly 0, and only
    there), the result is 2 num e / (1 + e)^2 with e = exp(-|scale a|), a (sub)normal
    number: those few entries are recomputed with that formula.
    """
    if scale == 1.0:
        c = np.cosh(a)
    else:
        c = np.multiply(a, scale)
        np.cosh(c, out=c)
    c += 1.0
    r = np.divide(num, c, out=c)
    if np.fmin.reduce(r, axis=None, initial=np.inf) == 0.0:  # NaN-ignoring min
        far = r == 0.0
        e = np.exp(np.abs(a[far]) * -abs(scale))
        r[far] = (2.0 * num) * e / np.square(1.0 + e)
    return r


def _step(a: np.ndarray) -> np.ndarray:
    """1.0 where a > 0, else 0.0 (also for NaN: see ``_keep_nan``)."""
    return (a > 0.0).astype(a.dtype)


def _keep_nan(r: np.ndarray, a: np.ndarray) -> np.ndarray:
    """r with NaN wherever a is NaN, in place."""
    if np.isnan(a.min(initial=np.inf)):  # a fast reduction, NaN-propagating
        r[np.isnan(a)] = np.nan
    return r


def _select(h: np.ndarray, pos: float, neg: Any) -> np.ndarray:
    """pos where h == 1, neg where h == 0: pos h + neg (1 - h), exact (h from ``_step``)."""
    t = np.subtract(1.0, h)
    t *= neg
    if pos != 1.0:
        h *= pos
    t += h
    return t


def _clip_finite(a: np.ndarray) -> np.ndarray:
    """a with +-inf replaced by the largest finite values (a factor that may meet a 0)."""
    m = _FMAX[a.dtype]
    return np.clip(a, -m, m)


def _clip_neg_inf(a: np.ndarray) -> np.ndarray:
    """a with -inf replaced by the most negative finite value (a factor that may meet a 0)."""
    return np.maximum(a, -_FMAX[a.dtype])


def _gauss_pdf(t: np.ndarray) -> np.ndarray:
    """phi(t) = exp(-t^2/2) / sqrt(2 pi) for |t| <= 40, accurate for large |t| too.

    fl(t^2) is off by up to half an ULP, which exp turns into ~t^2/4 ULP; where |t| > 3 (rare
    in typical data, so this costs little) the exact error err = t^2 - fl(t^2) (Dekker's split
    t = hi + lo) corrects it by 1 - err/2.
    """
    p = t * t
    r = p * -0.5
    np.exp(r, out=r)
    r *= _INV_SQRT_2PI
    big = (p > 9.0).nonzero()  # indices, not flat ones: t may be in any memory layout
    if big[0].size:
        tb = t[big]
        hi = tb * _SPLIT[t.dtype]
        hi -= hi - tb  # tb rounded to half the mantissa: hi * hi is exact
        lo = tb - hi
        err = hi * hi - p[big] + lo * (hi + tb)
        r[big] *= 1.0 - 0.5 * err
    return r


def _silu_grad(z: np.ndarray) -> np.ndarray:
    """sigmoid(z) + z sigmoid'(z), with sigmoid'(z) = e / (1 + e)^2, e = exp(-|z|).

    Both terms are accurate (no 1 - sigmoid(z), which cancels for large z).
    """
    e = _exp_neg_abs(z)
    d = e + 1.0
    s = np.greater_equal(z, 0.0).astype(z.dtype)
    np.maximum(s, e, out=s)  # 1 if z >= 0 else e (NaN propagates from e)
    s /= d  # sigmoid(z) = s / (1 + e)
    d *= d
    e /= d
    e *= _clip_finite(z)
    s += e
    return s


def _softplus_core(z: np.ndarray) -> np.ndarray:
    """log(1 + exp(-|z|)), the bounded part of softplus(z) = max(z, 0) + log1p(exp(-|z|))."""
    r = _exp_neg_abs(z)
    return np.log1p(r, out=r)


def _softplus(a: np.ndarray) -> np.ndarray:
    """log(1 + exp(a)) without overflow."""
    r = _softplus_core(a)
    r += np.maximum(a, 0.0)
    return r


def _prelu_weight(weight: ArrayLike, a: np.ndarray, ndim: int, fname: str) -> np.ndarray:
    """Validate PReLU's weight and shape it to broadcast along axis 1 of ``a`` (torch's rule)."""
    w, _ = as_float_array(weight, f"{fname} weight")
    if w.ndim > 1 or (w.size != 1 and (ndim < 2 or w.size != a.shape[1])):
        need = "1 element" if ndim < 2 else f"1 or x.shape[1] = {a.shape[1]} elements"
        raise ValueError(
            f"{fname}: weight must be a scalar or a 1-d array with {need} (one slope per channel,"
            f" channels on axis 1), got shape {np.shape(weight)} for x of shape"
            f" {a.shape if ndim else ()}"
        )
    if not np.isfinite(w).all():
        raise ValueError(f"{fname}: weight must be finite, got {w}")
    with quiet():  # a float64 slope beyond the float32 range rounds to inf
        w = w.astype(a.dtype, copy=False)
    if w.size == 1:
        return w.reshape(())
    return w.reshape((-1,) + (1,) * (a.ndim - 2))


# --------------------------------------------------------------------------- sigmoid family


def sigmoid(x: ArrayLike) -> Result:
    """sigmoid(x) = 1 / (1 + exp(-x))."""
    a, spec = as_float_array(x, "sigmoid")
    with quiet():
        return wrap(_sigmoid(a), spec)


def sigmoid_grad(x: ArrayLike) -> Result:
    """sigmoid'(x) = sigmoid(x) sigmoid(-x) = 1 / (2 + 2 cosh(x)), which never cancels."""
    a, spec = as_float_array(x, "sigmoid_grad")
    with quiet():  # cosh overflows to inf exactly where 1 / (2 + 2 cosh) needs its tail formula
        return wrap(_sech2_half(a, 1.0, 0.5), spec)


def log_sigmoid(x: ArrayLike) -> Result:
    """log sigmoid(x) = min(x, 0) - log1p(exp(-|x|))."""
    a, spec = as_float_array(x, "log_sigmoid")
    with quiet():
        r = np.minimum(a, 0.0)
        r -= _softplus_core(a)
    return wrap(r, spec)


def log_sigmoid_grad(x: ArrayLike) -> Result:
    """d/dx log sigmoid(x) = sigmoid(-x)."""
    a, spec = as_float_array(x, "log_sigmoid_grad")
    with quiet():
        return wrap(_sigmoid(a, negate=True), spec)


def tanh(x: ArrayLike) -> Result:
    """tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x)) = 2 sigmoid(2x) - 1."""
    a, spec = as_float_array(x, "tanh")
    return wrap(np.tanh(a), spec)


def tanh_grad(x: ArrayLike) -> Result:
    """tanh'(x) = 1 - tanh(x)^2 = sech^2(x) = 2 / (1 + cosh(2x)), which never cancels."""
    a, spec = as_float_array(x, "tanh_grad")
    with quiet():  # cosh overflows to inf exactly where 2 / (1 + cosh) needs its tail formula
        return wrap(_sech2_half(a, 2.0, 2.0), spec)


# --------------------------------------------------------------------------- ReLU family


def relu(x: ArrayLike) -> Result:
    """relu(x) = max(x, 0)."""
    a, spec = as_float_array(x, "relu")
    return wrap(np.maximum(a, 0.0), spec)


def relu_grad(x: ArrayLike) -> Result:
    """relu'(x) = 1 if x > 0 else 0 (0 at the kink, as PyTorch)."""
    a, spec = as_float_array(x, "relu_grad")
    return wrap(_keep_nan(_step(a), a), spec)


def leaky_relu(x: ArrayLike, negative_slope: float = 0.01) -> Result:
    """leaky_relu(x) = max(x, 0) + negative_slope * min(x, 0)."""
    a, spec = as_float_array(x, "leaky_relu")
    s = check_param(negative_slope, "negative_slope", "leaky_relu")
    if s == 0.0:  # plain ReLU; also keeps leaky_relu(-inf, 0) = 0 rather than -inf * 0
        return wrap(np.maximum(a, 0.0), spec)
    with quiet():
        r = np.minimum(a, 0.0)
        if s != 1.0:
            r *= s
        r += np.maximum(a, 0.0)
    return wrap(r, spec)


def leaky_relu_grad(x: ArrayLike, negative_slope: float = 0.01) -> Result:
    """leaky_relu'(x) = 1 if x > 0 else negative_slope (negative_slope at the kink)."""
    a, spec = as_float_array(x, "leaky_relu_grad")
    s = check_param(negative_slope, "negative_slope", "leaky_relu_grad")
    return wrap(_keep_nan(_select(_step(a), 1.0, s), a), spec)


def prelu(x: ArrayLike, weight: ArrayLike) -> Result:
    """prelu(x) = max(x, 0) + weight * min(x, 0), one weight per channel (axis 1) or shared."""
    a, spec = as_float_array(x, "prelu")
    w = _prelu_weight(weight, a, 0 if spec.scalar else a.ndim, "prelu")
    with quiet():
        r = np.minimum(a, 0.0)
        r *= w
        if not w.all():  # a zero slope: the limit at x = -inf is 0, not -inf * 0
            np.copyto(r, 0.0, where=np.isneginf(a) & (w == 0.0))
        r += np.maximum(a, 0.0)
    return wrap(r, spec)


def prelu_grad(x: ArrayLike, weight: ArrayLike) -> Result:
    """d prelu / dx = 1 if x > 0 else weight (weight at the kink)."""
    a, spec = as_float_array(x, "prelu_grad")
    w = _prelu_weight(weight, a, 0 if spec.scalar else a.ndim, "prelu_grad")
    return wrap(_keep_nan(_select(_step(a), 1.0, w), a), spec)


def prelu_weight_grad(x: ArrayLike, weight: ArrayLike) -> Result:
    """d prelu / d weight = min(x, 0), elementwise (sum over the other axes for a channel)."""
    a, spec = as_float_array(x, "prelu_weight_grad")
    _prelu_weight(weight, a, 0 if spec.scalar else a.ndim, "prelu_weight_grad")
    return wrap(np.minimum(a, 0.0), spec)


def elu(x: ArrayLike, alpha: float = 1.0) -> Result:
    """elu(x) = x if x > 0 else alpha (exp(x) - 1), with expm1."""
    a, spec = as_float_array(x, "elu")
    alpha = check_param(alpha, "alpha", "elu", low=0.0)
    with quiet():
        r = np.minimum(a, 0.0)
        np.expm1(r, out=r)
        if alpha != 1.0:
            r *= alpha
        r += np.maximum(a, 0.0)
    return wrap(r, spec)


def elu_grad(x: ArrayLike, alpha: float = 1.0) -> Result:
    """elu'(x) = 1 if x > 0 else alpha exp(x) (alpha at the kink, as PyTorch)."""
    a, spec = as_float_array(x, "elu_grad")
    alpha = check_param(alpha, "alpha", "elu_grad", low=0.0)
    with quiet():
        n = np.minimum(a, 0.0)
        np.exp(n, out=n)
        n *= alpha
        r = _select(_step(a), 1.0, n)
    return wrap(r, spec)


def selu(x: ArrayLike) -> Result:
    """selu(x) = scale * (x if x > 0 else alpha (exp(x) - 1)), fixed alpha and scale."""
    a, spec = as_float_array(x, "selu")
    with quiet():
        r = np.minimum(a, 0.0)
        np.expm1(r, out=r)
        r *= SELU_SCALE * SELU_ALPHA
        p = np.maximum(a, 0.0)
        p *= SELU_SCALE
        r += p
    return wrap(r, spec)


def selu_grad(x: ArrayLike) -> Result:
    """selu'(x) = scale if x > 0 else scale alpha exp(x) (scale alpha at the kink)."""
    a, spec = as_float_array(x, "selu_grad")
    with quiet():
        n = np.minimum(a, 0.0)
        np.exp(n, out=n)
        n *= SELU_SCALE * SELU_ALPHA
        r = _select(_step(a), SELU_SCALE, n)
    return wrap(r, spec)


# --------------------------------------------------------------------------- smooth ReLUs


def gelu(x: ArrayLike, approximate: str = "none") -> Result:
    """gelu(x) = x Phi(x) ("none"), or x sigmoid(2u), u = sqrt(2/pi) (x + 0.044715 x^3) ("tanh")."""
    a, spec = as_float_array(x, "gelu")
    if check_choice(approximate, "approximate", "gelu", _GELU_APPROXIMATIONS) == "none":
        with quiet():
            m = np.maximum(a, -_GELU_CLIP)
            r = ndtr(m)
            r *= m
        return wrap(r, spec)
    with quiet():
        m = np.maximum(a, -_TANH_GELU_CLIP)
        t = np.minimum(m, _TANH_GELU_CLIP)
        z = t * t
        z *= _TANH_B
        z += _TANH_A
        z *= t
        z = _sigmoid(z, m)
    return wrap(z, spec)


def gelu_grad(x: ArrayLike, approximate: str = "none") -> Result:
    """gelu'(x) = Phi(x) + x phi(x) ("none"); s + x s (1 - s) 2u'(x), s = sigmoid(2u) ("tanh")."""
    a, spec = as_float_array(x, "gelu_grad")
    exact = check_choice(approximate, "approximate", "gelu_grad", _GELU_APPROXIMATIONS) == "none"
    with quiet():
        if exact:
            t = np.clip(a, -_GELU_CLIP, _GELU_CLIP)
            r = _gauss_pdf(t)
            r *= t
            r += ndtr(t)
            return wrap(r, spec)
        t = np.clip(a, -_TANH_GELU_CLIP, _TANH_GELU_CLIP)
        t2 = t * t
        z = t2 * _TANH_B
        z += _TANH_A
        z *= t  # z = 2u
        dz = t2 * (3.0 * _TANH_B)
        dz += _TANH_A  # dz = d(2u)/dx
        e = _exp_neg_abs(z)
        d = e + 1.0
        s = np.minimum(z, 0.0)
        np.exp(s, out=s)
        s /= d  # sigmoid(2u)
        d *= d
        e /= d  # sigmoid'(2u)
        e *= dz
        e *= t
        s += e
    return wrap(s, spec)


def silu(x: ArrayLike) -> Result:
    """silu(x) = x sigmoid(x)."""
    a, spec = as_float_array(x, "silu")
    with quiet():
        return wrap(_sigmoid(a, _clip_neg_inf(a)), spec)


def silu_grad(x: ArrayLike) -> Result:
    """silu'(x) = sigmoid(x) (1 + x (1 - sigmoid(x)))."""
    a, spec = as_float_array(x, "silu_grad")
    with quiet():
        r = _silu_grad(a)
    return wrap(r, spec)


def swish(x: ArrayLike, beta: float = 1.0) -> Result:
    """swish(x) = x sigmoid(beta x); beta = 1 is SiLU, beta = 0 is x / 2."""
    a, spec = as_float_array(x, "swish")
    beta = check_param(beta, "beta", "swish", low=0.0)
    if beta == 0.0:
        with quiet():
            return wrap(a * 0.5, spec)
    with quiet():
        return wrap(_sigmoid(a * beta if beta != 1.0 else a, _clip_neg_inf(a)), spec)


def swish_grad(x: ArrayLike, beta: float = 1.0) -> Result:
    """swish'(x) = s + beta x s (1 - s) with s = sigmoid(beta x), i.e. silu'(beta x)."""
    a, spec = as_float_array(x, "swish_grad")
    beta = check_param(beta, "beta", "swish_grad", low=0.0)
    if beta == 0.0:
        r = np.full_like(a, 0.5)
        np.copyto(r, a, where=np.isnan(a))
        return wrap(r, spec)
    with quiet():
        r = _silu_grad(a * beta if beta != 1.0 else a)
    return wrap(r, spec)


def softplus(x: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> Result:
    """softplus(x) = log(1 + exp(beta x)) / beta, and x where beta x > threshold (as PyTorch)."""
    a, spec = as_float_array(x, "softplus")
    beta = check_param(beta, "beta", "softplus", low=0.0, strict=True)
    threshold = check_param(threshold, "threshold", "softplus", allow_inf=True)
    with quiet():
        z = a * beta if beta != 1.0 else a
        r = _softplus_core(z)
        if beta != 1.0:
            r /= beta
        r += np.maximum(a, 0.0)
        _where_above(r, a, z, threshold)
    return wrap(r, spec)


def softplus_grad(x: ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> Result:
    """softplus'(x) = sigmoid(beta x), and 1 where beta x > threshold (as PyTorch)."""
    a, spec = as_float_array(x, "softplus_grad")
    beta = check_param(beta, "beta", "softplus_grad", low=0.0, strict=True)
    threshold = check_param(threshold, "threshold", "softplus_grad", allow_inf=True)
    with quiet():
        z = a * beta if beta != 1.0 else a
        r = _sigmoid(z)
        _where_above(r, 1.0, z, threshold)
    return wrap(r, spec)


def _where_above(r: np.ndarray, value: Any, z: np.ndarray, threshold: float) -> None:
    """Set r to value (broadcast) where z > threshold, in place."""
    if threshold == np.inf:
        return
    mask = z > threshold
    if mask.any():
        np.copyto(r, value, where=mask)


def mish(x: ArrayLike) -> Result:
    """mish(x) = x tanh(softplus(x))."""
    a, spec = as_float_array(x, "mish")
    with quiet():
        r = _softplus(a)
        np.tanh(r, out=r)
        r *= _clip_neg_inf(a)
    return wrap(r, spec)


def mish_grad(x: ArrayLike) -> Result:
    """mish'(x) = tanh(sp) + x sech^2(sp) sigmoid(x) with sp = softplus(x)."""
    a, spec = as_float_array(x, "mish_grad")
    with quiet():
        sp = _softplus(a)
        sig = np.negative(sp)
        np.expm1(sig, out=sig)
        np.negative(sig, out=sig)  # sigmoid(x) = -expm1(-sp)
        u = sp * -2.0
        np.exp(u, out=u)
        d = u + 1.0
        d *= d
        u *= 4.0
        u /= d  # sech^2(sp) = 4 u / (1 + u)^2, u = exp(-2 sp)
        u *= sig
        u *= _clip_finite(a)
        r = np.tanh(sp, out=sp)
        r += u
    return wrap(r, spec)


# --------------------------------------------------------------------------- softmax


def _shifted(a: np.ndarray, axis: int, m: np.ndarray | None = None) -> np.ndarray:
    """a - max(a, axis) (``m``: that max, keepdims, if known), with +inf slices mapped to 0 (the
    +inf entries) and -inf (the rest). All -inf or NaN slices become NaN. Under ``quiet()``.
    """
    if m is None:
        m = np.max(a, axis=axis, keepdims=True, initial=-np.inf)
    if not np.isfinite(m).all():
        pos = m == np.inf
        if pos.any():
            a = np.where(pos, np.where(a == np.inf, 0.0, -np.inf), a).astype(a.dtype, copy=False)
            m = np.where(pos, 0.0, m).astype(a.dtype, copy=False)
    return np.subtract(a, m)


def _softmax_axis(x: ArrayLike, axis: Any, fname: str) -> tuple[np.ndarray, Any, int]:
    """Coerce x and validate axis for the softmax family."""
    a, spec = as_float_array(x, fname)
    return a, spec, check_axis(axis, 0 if spec.scalar else a.ndim, fname)


def softmax(x: ArrayLike, axis: int = -1) -> Result:
    """softmax(x)_i = exp(x_i - max x) / sum_j exp(x_j - max x) along ``axis``."""
    a, spec, axis = _softmax_axis(x, axis, "softmax")
    with quiet():
        r = _shifted(a, axis)
        np.exp(r, out=r)
        r /= r.sum(axis=axis, keepdims=True)
    return wrap(r, spec)


def log_softmax(x: ArrayLike, axis: int = -1) -> Result:
    """log_softmax(x)_i = (x_i - max x) - log1p(sum_{j != argmax} exp(x_j - max x)) along ``axis``.

    The sum leaves out the maximum's own exp(0) = 1, so log1p keeps the dominant entry's
    log-probability -log1p(...) relatively accurate (log(1 + small) would round it).
    """
    a, spec, axis = _softmax_axis(x, axis, "log_softmax")
    if a.shape[axis] == 0:
        return wrap(a.copy(), spec)
    with quiet():
        top = np.argmax(a, axis=axis, keepdims=True)  # NaN counts as the maximum
        r = _shifted(a, axis, np.take_along_axis(a, top, axis=axis))
        e = np.exp(r)
        np.put_along_axis(e, top, 0.0, axis=axis)
        s = e.sum(axis=axis, keepdims=True)
        r -= np.log1p(s, out=s)
    return wrap(r, spec)


def softmax_jacobian(x: ArrayLike) -> Result:
    """J[..., i, j] = d softmax(x)_i / d x_j = s_i (delta_ij - s_j), softmax over the last axis."""
    a, spec = as_float_array(x, "softmax_jacobian")
    if spec.scalar:
        raise ValueError("softmax_jacobian: x must have at least 1 dimension, got a 0-d input")
    with quiet():
        s = _shifted(a, -1)
        np.exp(s, out=s)
        s /= s.sum(axis=-1, keepdims=True)
        jac = s[..., :, None] * s[..., None, :]
        np.negative(jac, out=jac)
        # diagonal s_i (1 - s_i), with 1 - s_i = sum_{j != i} s_j from exclusive prefix and
        # suffix sums (no cancellation when s_i is close to 1)
        rest = np.zeros_like(s)
        np.cumsum(s[..., :-1], axis=-1, out=rest[..., 1:])
        after = np.zeros_like(s)
        np.cumsum(s[..., :0:-1], axis=-1, out=after[..., -2::-1])
        rest += after
        rest *= s
        np.einsum("...ii->...i", jac)[...] = rest
    return wrap(jac, spec)
