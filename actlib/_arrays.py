"""Input coercion, dtype rules, parameter checks and error messages, in one place.

Every public function of :mod:`actlib.functional` follows the same contract:

* inputs may be Python scalars, (nested) lists, NumPy arrays or NumPy scalars;
* float32 and float64 keep their dtype, float16 is computed in float32 and cast back,
  integers and booleans become float64 (longdouble is computed in float64);
* a 0-d result is returned as a NumPy scalar, like a NumPy ufunc does;
* anything that is not real numbers raises ``TypeError`` naming the function, and a bad
  parameter raises ``ValueError`` (``TypeError`` if it is not a real number at all).

The coerced array may *be* the caller's array: callers must treat it as read-only.
"""

from __future__ import annotations

import math
import numbers
import operator
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Spec",
    "as_float_array",
    "check_axis",
    "check_choice",
    "check_param",
    "quiet",
    "wrap",
]

_F16 = np.dtype(np.float16)
_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


class Spec(NamedTuple):
    """What the result must look like: its dtype, and whether the input was 0-d."""

    dtype: np.dtype
    scalar: bool


def quiet() -> np.errstate:
    """An ``np.errstate`` that silences floating-point flags raised by the kernels.

    The kernels are written so that every over/underflow they can raise produces the right
    value (an exponential that underflows to 0, a product that overflows to inf, ...); the
    value tests of the suite check that, including at +-inf, NaN and the dtype extremes.
    """
    return np.errstate(all="ignore")


def _describe(x: Any, a: np.ndarray) -> str:
    """Name what the caller passed, for error messages."""
    kind = a.dtype.kind
    if kind == "c" or isinstance(x, (np.ndarray, np.generic, list, tuple)):
        names = {"O": "object", "U": "str", "S": "bytes", "V": "structured"}
        return f"{names[kind]} array" if kind in names else str(a.dtype)
    return type(x).__name__


def as_float_array(x: Any, fname: str) -> tuple[np.ndarray, Spec]:
    """Coerce ``x`` to an at least 1-d float32/float64 working array and the result's ``Spec``.

    A 0-d input is viewed as shape (1,), so kernels can always use ``out=``; ``wrap`` undoes it.
    """
    if type(x) is np.ndarray and (x.dtype is _F64 or x.dtype is _F32) and x.ndim:
        return x, Spec(x.dtype, False)
    a, dtype = _coerce(x, fname)
    if a.ndim == 0:
        return a.reshape(1), Spec(dtype, True)
    return a, Spec(dtype, False)


def _coerce(x: Any, fname: str) -> tuple[np.ndarray, np.dtype]:
    """The dtype rules: the working array and the dtype of the result."""
    try:
        a = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged lists and the like
        raise TypeError(
            f"{fname}: expected real numbers (int, float or bool), got input NumPy cannot convert"
            f" to an array ({exc})"
        ) from None
    dt = a.dtype
    kind = dt.kind
    if kind == "f":
        if dt == _F64 or dt == _F32:
            if not dt.isnative:
                a = a.astype(dt.newbyteorder("="))
            return a, a.dtype
        if dt == _F16:
            return a.astype(_F32), _F16
        return a.astype(_F64), _F64
    if kind in "biu":
        return a.astype(_F64), _F64
    raise TypeError(f"{fname}: expected real numbers (int, float or bool), got {_describe(x, a)}")


def wrap(result: np.ndarray, spec: Spec) -> Any:
    """Cast ``result`` to the result dtype (float16 overflow rounds to inf); 0-d -> NumPy scalar."""
    if result.dtype != spec.dtype:
        with quiet():
            result = result.astype(spec.dtype)
    return result.reshape(())[()] if spec.scalar else result


def check_param(
    value: Any,
    name: str,
    fname: str,
    *,
    low: float | None = None,
    strict: bool = False,
    allow_inf: bool = False,
) -> float:
    """Validate a real scalar parameter; return it as a Python float.

    ``low`` is a lower bound (``value > low`` if ``strict`` else ``value >= low``).
    NaN is always rejected, +-inf unless ``allow_inf``.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{fname}: {name} must be a real number, got {type(value).__name__}")
    v = float(value)
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ValueError(f"{fname}: {name} must be a finite number, got {v}")
    if low is not None and (v <= low if strict else v < low):
        relation = ">" if strict else ">="
        raise ValueError(f"{fname}: {name} must be {relation} {low:g}, got {v:g}")
    return v


def check_choice(value: Any, name: str, fname: str, choices: tuple[str, ...]) -> str:
    """Validate a string option against its allowed values."""
    if isinstance(value, str) and value in choices:
        return value
    allowed = ", ".join(repr(c) for c in choices)
    raise ValueError(f"{fname}: {name} must be one of {allowed}, got {value!r}")


def check_axis(axis: Any, ndim: int, fname: str) -> int:
    """Validate ``axis`` for an array with ``ndim`` dimensions; return it non-negative.

    A 0-d array is treated as one element along axis 0 (so axis 0 and -1 are accepted), as in
    PyTorch.
    """
    if isinstance(axis, (bool, np.bool_)):
        raise TypeError(f"{fname}: axis must be an integer, got bool")
    try:
        ax = operator.index(axis)
    except TypeError:
        raise TypeError(f"{fname}: axis must be an integer, got {type(axis).__name__}") from None
    n = max(ndim, 1)
    if not -n <= ax < n:
        raise ValueError(
            f"{fname}: axis {ax} is out of range for an array with {ndim} dimension"
            f"{'' if ndim == 1 else 's'}"
        )
    return ax % n
