"""Exercises for the Softplus and Mish chapter: by hand, stable code, a derivative, sharpness.

Usage in a notebook::

    from actlib.exercises import softplus_mish as ex
    ex.q1.check((0.69, 1.39, 0.29))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit

import actlib
from actlib.exercises.checker import FunctionQuestion, NumericQuestion, case

__all__ = ["q1", "q2", "q3", "q4", "q5"]

_INF, _NAN = np.inf, np.nan
_LN2, _LN3 = math.log(2.0), math.log(3.0)


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def softplus(x):
    """Numerically stable softplus log(1 + e^x), elementwise; keeps float dtypes."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    # exp only sees -|x| <= 0 (no overflow); log1p keeps a tiny e^-|x| (no lost digits)
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def mish_grad(x):
    """Derivative of Mish, elementwise: tanh(sp) + x sigmoid(x) sech^2(sp), sp = softplus(x)."""
    x = np.asarray(x)
    sp = np.logaddexp(0, x)  # softplus(x), stable
    t = np.tanh(sp)
    return t + x * expit(x) * (1 - t * t)  # sech^2 = 1 - tanh^2, never overflows


def softplus_inverse(y):
    """The inverse of softplus, log(e^y - 1) for y > 0, elementwise and stable."""
    y = np.asarray(y)
    if y.dtype.kind != "f":
        y = y.astype(np.float64)
    # log(e^y - 1) = y + log(1 - e^-y): exp only sees -y < 0; expm1 keeps small y accurate
    return y + np.log(-np.expm1(-y))


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_softplus(x: object) -> np.ndarray:
    return np.logaddexp(0.0, _f64(x))


def _true_mish_grad(x: object) -> np.ndarray:
    return actlib.mish_grad(_f64(x))


def _true_softplus_inverse(y: object) -> np.ndarray:
    y = _f64(y)
    small = y < 1.0  # log(expm1(y)) is accurate there; y + log1p(-e^-y) for y >= 1
    low = np.log(np.expm1(np.where(small, y, 1.0)))
    high = y + np.log1p(-np.exp(-np.where(small, 1.0, y)))
    return np.where(small, low, high)


def _log_without_log1p(x: object) -> np.ndarray:
    x = _f64(x)
    return np.maximum(x, 0) + np.log(1 + np.exp(-np.abs(x)))


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: with softplus(x) = ln(1 + e^x), compute softplus(0), softplus(ln 3) and "
    "softplus(−ln 3), as natural logarithms first, then as numbers. Answer with a tuple of "
    "three numbers: q1.check((a, b, c)).",
    expected=(_LN2, math.log(4.0), math.log(4.0 / 3.0)),
    labels=("softplus(0)", "softplus(ln 3)", "softplus(-ln 3)"),
    rtol=2e-3,  # three decimals are enough
    mistakes=[
        (
            (math.log10(2.0), math.log10(4.0), math.log10(4.0 / 3.0)),
            "these are base-10 logarithms; softplus uses the natural logarithm ln "
            "(np.log in NumPy, not np.log10).",
        ),
        (
            (_LN2, math.log(4.0 / 3.0), math.log(4.0)),
            "your last two values are swapped. Softplus is increasing and ln 3 > 0, so "
            "softplus(ln 3) must be the larger one.",
        ),
        (
            (0.0, _LN3, 0.0),
            "that is ReLU, max(0, x). Softplus is a smooth ReLU: it is above ReLU everywhere, "
            "and never exactly 0.",
        ),
        (
            (0.0, _LN3, -_LN3),
            "you dropped the 1: ln(1 + e^x) is not ln(e^x) = x. Add 1 to e^x before taking "
            "the logarithm.",
        ),
    ],
    hints=[
        "Substitute: e^0 = 1, e^(ln 3) = 3 and e^(−ln 3) = 1/3.",
        "softplus(0) = ln 2, softplus(ln 3) = ln(1 + 3), softplus(−ln 3) = ln(1 + 1/3). "
        "Evaluate them with np.log or math.log (the natural logarithm).",
        "Check yourself: softplus(x) − softplus(−x) = x, so your last two values must differ "
        "by ln 3 ≈ 1.0986.",
    ],
    solution_text=(
        "softplus(0) = ln(1 + e^0) = ln 2 ≈ 0.6931.\n"
        "softplus(ln 3) = ln(1 + 3) = ln 4 = 2 ln 2 ≈ 1.3863.\n"
        "softplus(−ln 3) = ln(1 + 1/3) = ln(4/3) ≈ 0.2877.\n"
        "Answer: q1.check((np.log(2), np.log(4), np.log(4 / 3))).\n"
        "Two identities show here: softplus(x) − softplus(−x) = ln 4 − ln(4/3) = ln 3 = x, "
        "and the gap to ReLU, softplus(x) − max(0, x), is ln 2 at 0 and ln(4/3) at ±ln 3."
    ),
    success_note=(
        "softplus(0) = ln 2 is the largest gap between softplus and ReLU; the other two differ "
        "by exactly ln 3, as softplus(x) − softplus(−x) = x."
    ),
)

q2 = FunctionQuestion(
    "q2",
    "Implement a numerically stable softplus(x) = ln(1 + e^x) for numbers and NumPy arrays, "
    "without calling actlib or torch. It must be accurate for x = −40 (a tiny positive "
    "number, not 0), return x = 1000 and ±inf right without any RuntimeWarning, keep "
    "float32 as float32 and the input's shape, and never modify x.",
    func_name="softplus",
    arg_names=("x",),
    reference=softplus,
    expected=_true_softplus,
    cases=[
        case(0.0),
        case(np.array([-3.0, -1.0, 0.0, 0.5, 2.0])),
        case(_f32([-3.0, -1.0, 0.0, 0.5, 2.0])),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]])),
        case(np.array([-40.0, -20.0, 20.0, 40.0])),
        case(np.array([-1000.0, 1000.0])),
        case(_f32([-100.0, -20.0, 20.0, 100.0])),
        case(np.array([-_INF, _INF])),
        case(-40.0),
    ],
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        (
            _log_without_log1p,
            "the logarithm lost a tiny number: in floating point 1 + e^(−40) is exactly 1, "
            "so log(1 + e^x) gives 0. np.log1p(e) computes log(1 + e) without forming 1 + e.",
        ),
        (
            lambda x: np.maximum(_f64(x), 0.0),
            "that is ReLU, max(0, x). Softplus is always above it, by log(1 + e^(−|x|)).",
        ),
        (
            lambda x: expit(_f64(x)),
            "that is the sigmoid, the derivative of softplus, not softplus itself.",
        ),
        (
            lambda x: _true_softplus(-_f64(x)),
            "this looks like softplus(−x): check the sign in the exponent, ln(1 + e^x).",
        ),
        (
            lambda x: _true_softplus(x) / math.log(10.0),
            "this looks like a base-10 logarithm; use the natural logarithm (np.log1p, np.log).",
        ),
    ],
    hints=[
        "log(1 + e^x) written directly overflows for x = 1000 (e^1000 = inf), and for "
        "x = −40 the sum 1 + e^(−40) rounds to exactly 1, so its log is 0.",
        "Split off the large part: for x ≥ 0, log(1 + e^x) = x + log(1 + e^(−x)). Both cases "
        "together: max(x, 0) + log(1 + e^(−|x|)), where the exponential never overflows.",
        "Use np.log1p(e) for log(1 + e): it stays accurate when e is tiny. np.maximum and "
        "np.abs keep float32 as float32; start with x = np.asarray(x).",
    ],
    solution_text=(
        "softplus(x) = max(x, 0) + log(1 + e^(−|x|)): for x ≥ 0 factor e^x out of 1 + e^x; "
        "for x < 0 it is the definition. The exponential only sees −|x| ≤ 0, so it lies in "
        "[0, 1] and cannot overflow, and np.log1p keeps the tiny e^(−|x|) that 1 + e would "
        "round away: softplus(−40) ≈ 4.25e-18 instead of 0. ±inf give inf and 0 exactly. "
        "np.logaddexp(0, x) computes the same thing in one call."
    ),
    template=(
        "def softplus(x):\n"
        '    """Numerically stable softplus, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note=(
        "your softplus never overflows and keeps tiny values: exp only sees −|x|, and "
        "log1p does the rest."
    ),
)

q3 = FunctionQuestion(
    "q3",
    "Implement mish_grad(x), the derivative of Mish(x) = x tanh(softplus(x)), elementwise, for "
    "numbers and NumPy arrays. Inputs up to ±1000 must give the right value without any "
    "warning, float32 input must give float32 output, and x must not be modified. You may use "
    "np.logaddexp(0, x) as a stable softplus and scipy.special.expit as a stable sigmoid.",
    func_name="mish_grad",
    arg_names=("x",),
    reference=mish_grad,
    expected=_true_mish_grad,
    cases=[
        case(0.0),
        case(np.array([-3.0, -0.5, 0.0, 0.5, 2.0])),
        case(_f32([-3.0, -0.5, 0.0, 0.5, 2.0])),
        case(np.array([[-1.5, 1.5], [4.0, -4.0]])),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0])),
        case(_f32([-100.0, -20.0, 20.0, 100.0])),
    ],
    rtol=1e-9,
    atol=1e-12,
    mistakes=[
        (
            lambda x: np.tanh(_true_softplus(x)),
            "you kept only the first term. Mish is a product, x · tanh(softplus(x)): the "
            "product rule adds x times the derivative of tanh(softplus(x)).",
        ),
        (
            lambda x: np.tanh(_true_softplus(x)) + _f64(x) * (1 - np.tanh(_true_softplus(x)) ** 2),
            "the chain rule is missing a factor: the derivative of softplus(x), σ(x), "
            "multiplies sech²(softplus(x)).",
        ),
        (
            lambda x: (
                np.tanh(_true_softplus(x))
                - _f64(x) * expit(_f64(x)) * (1 - np.tanh(_true_softplus(x)) ** 2)
            ),
            "check the sign of the second term: d/du tanh(u) = sech²(u) = 1 − tanh²(u) > 0.",
        ),
        (
            lambda x: actlib.mish(_f64(x)),
            "you returned Mish itself; the question asks for its derivative.",
        ),
        (
            lambda x: (
                np.tanh(_true_softplus(x))
                + _f64(x) * expit(_f64(x)) * np.tanh(_true_softplus(x)) ** 2
            ),
            "the derivative of tanh(u) is 1 − tanh²(u) (= sech² u), not tanh²(u).",
        ),
    ],
    hints=[
        "Write Mish(x) = x · g(x) with g(x) = tanh(softplus(x)). The product rule gives "
        "Mish'(x) = g(x) + x · g'(x).",
        "Chain rule: g'(x) = sech²(softplus(x)) · softplus'(x), with tanh'(u) = sech²(u) = "
        "1 − tanh²(u) and softplus'(x) = σ(x).",
        "Compute sp = np.logaddexp(0, x) and t = np.tanh(sp), and use 1 − t·t for sech²: "
        "np.cosh(sp) would overflow for x = 1000.",
    ],
    solution_text=(
        "Mish(x) = x · tanh(sp(x)) with sp = softplus. Product rule, then chain rule: "
        "Mish'(x) = tanh(sp(x)) + x · sech²(sp(x)) · sp'(x), and sp'(x) = σ(x). So "
        "Mish'(x) = tanh(sp) + x σ(x) sech²(sp). Computing sech² as 1 − tanh² avoids cosh, "
        "which overflows for large inputs; np.logaddexp(0, x) and expit are stable and keep "
        "float32. At x = 0: tanh(ln 2) = 3/5, and the second term vanishes."
    ),
    template=(
        'def mish_grad(x):\n    """Derivative of Mish, elementwise."""\n    ...  # your code here\n'
    ),
    success_note="your Mish derivative is right, keeps float32 and stays quiet at ±1000.",
)

q4 = NumericQuestion(
    "q4",
    "In a network: you replace every ReLU of a trained network by softplus with sharpness β, "
    "softplus_β(x) = ln(1 + e^(βx)) / β, and want no unit's output to change by more than "
    "0.01, whatever its input. What is the smallest β that guarantees it? "
    "Answer with a single number.",
    expected=100 * _LN2,
    labels=("the smallest beta",),
    rtol=1e-4,
    mistakes=[
        (
            100.0,
            "the largest gap is not 1/β: evaluate the gap softplus_β(x) − max(0, x) at x = 0, "
            "where it is largest, then solve for β.",
        ),
        (
            100 * math.log10(2.0),
            "use the natural logarithm: softplus is built on ln (np.log), not log10.",
        ),
        (
            0.01 / _LN2,
            "that is the reciprocal: the gap ln 2 / β shrinks as β grows, so β must be large.",
        ),
        (_LN2, "you found the largest gap for β = 1; now solve ln 2 / β ≤ 0.01 for β."),
    ],
    hints=[
        "First find the largest gap between softplus_β and ReLU, and where it occurs.",
        "softplus_β(x) − max(0, x) = ln(1 + e^(−β|x|)) / β, largest at x = 0.",
        "Solve ln 2 / β ≤ 0.01 for β.",
    ],
    solution_text=(
        "softplus_β(x) − max(0, x) = ln(1 + e^(−β|x|)) / β: for x ≥ 0 factor e^(βx) out of "
        "1 + e^(βx); for x < 0 ReLU is 0. It is largest at x = 0, where it is ln 2 / β. "
        "So ln 2 / β ≤ 0.01 needs β ≥ 100 ln 2 ≈ 69.31. Answer: q4.check(100 * np.log(2)). "
        "The change is largest for inputs near 0, exactly where most pre-activations sit."
    ),
    success_note="β = 100 ln 2 ≈ 69.3: the gap ln 2 / β at x = 0 is then exactly 0.01.",
)

q5 = FunctionQuestion(
    "q5",
    "Implement softplus_inverse(y) = ln(e^y − 1), the inverse of softplus, for y > 0, "
    "elementwise, for numbers and NumPy arrays (it turns a wanted positive value, such as an "
    "initial standard deviation, into the raw parameter that softplus maps to it). It must be "
    "accurate for y = 1e-20 and y = 1e-10, return y = 1000 and inf right without any "
    "RuntimeWarning, pass NaN through, keep float32 as float32, and never modify y.",
    func_name="softplus_inverse",
    arg_names=("y",),
    reference=softplus_inverse,
    expected=_true_softplus_inverse,
    cases=[
        case(1.0),
        case(np.array([0.1, 0.5, 1.0, 2.0, 5.0])),
        case(_f32([0.1, 0.5, 1.0, 2.0, 5.0])),
        case(np.array([[0.25, 4.0], [3.0, 0.75]])),
        case(np.array([1e-10, 1e-5, 30.0, 40.0])),
        case(np.array([1e-20, 1e-300, 20.0])),
        case(np.array([100.0, 1000.0, _INF, _NAN])),
        case(_f32([1e-30, 1e-6, 50.0, 100.0])),
    ],
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        (
            lambda y: np.log(np.exp(_f64(y)) - 1),
            "e^y − 1 cancels for small y: e^(1e-10) is stored with about 16 digits, and "
            "subtracting 1 leaves only the last few of them. np.expm1(y) computes e^y − 1 "
            "without that loss.",
        ),
        (
            lambda y: _true_softplus(y),
            "that is softplus itself; the question asks for its inverse.",
        ),
        (
            lambda y: _f64(y),
            "you returned y itself: ln(e^y − 1) is not ln(e^y) − ln 1. Solve y = ln(1 + e^x) "
            "for x step by step.",
        ),
    ],
    hints=[
        "Solve y = ln(1 + e^x) for x: e^y = 1 + e^x, so x = ln(e^y − 1).",
        "For small y, e^y − 1 cancels: use np.expm1(y). For large y, e^y overflows: factor "
        "e^y out, ln(e^y − 1) = y + ln(1 − e^(−y)).",
        "y + np.log(-np.expm1(-y)) handles both ends at once: −expm1(−y) = 1 − e^(−y) is "
        "accurate for small y, and exp only sees −y ≤ 0.",
    ],
    solution_text=(
        "From y = ln(1 + e^x): e^x = e^y − 1, so x = ln(e^y − 1). Written directly, e^y "
        "overflows for y > 709.78 and e^y − 1 cancels for small y (for y = 1e-20 it is exactly "
        "0, and ln 0 = −inf). Factor e^y out: ln(e^y − 1) = y + ln(1 − e^(−y)), and compute "
        "1 − e^(−y) as −expm1(−y), which is accurate even for tiny y. For y = 1e-20 this gives "
        "ln(1e-20) ≈ −46.05, for y = 1000 it gives 1000."
    ),
    template=(
        "def softplus_inverse(y):\n"
        '    """Inverse of softplus, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="your inverse is stable at both ends: expm1 for small y, no overflow for big y.",
)
