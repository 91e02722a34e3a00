"""Exercises for the GELU chapter, from "compute by hand" to "implement it stably".

Usage in a notebook::

    from actlib.exercises import gelu as ex
    ex.q1.check((0.0, 0.84, -0.16, 10.0))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy.special import erf, erfc, expit, ndtr

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["q1", "q2", "q3", "q4", "q5"]

_INF, _NAN = np.inf, np.nan
_PHI_1 = 0.841345  # Phi(1), to the 6 digits the learner is given
_X_MIN = -0.7517915246935645  # where GELU is smallest: Phi(x) + x phi(x) = 0
_FRACTION = 0.22608821980160674  # Phi(_X_MIN): standard normal inputs left of the minimum
_SQRT_HALF = math.sqrt(0.5)


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def gelu_grad(x):
    """Derivative of GELU, elementwise: Phi(x) + x phi(x) (product rule)."""
    x = np.asarray(x)
    pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)  # phi(x); Python floats keep float32
    return ndtr(x) + x * pdf  # scipy.special.ndtr(x) is Phi(x)


def gelu(x):
    """GELU x Phi(x), accurate for very negative x; keeps float dtypes and never warns."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    # ndtr computes the small tail Phi(x) directly: no 1 + erf(...) that cancels. Below -40,
    # x Phi(x) is under 1e-340, which rounds to 0 anyway; clipping there also turns -inf into
    # -40, so -inf gives 0 instead of -inf * 0 = NaN.
    t = np.maximum(x, -40.0)  # a Python float: float32 stays float32; NaN stays NaN
    return (t * ndtr(t))[()]  # a 0-d array becomes a NumPy scalar; arrays stay arrays


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _cdf(x: np.ndarray) -> np.ndarray:
    return 0.5 * erfc(-x * _SQRT_HALF)  # Phi via erfc: accurate in the lower tail


def _pdf(x: np.ndarray) -> np.ndarray:
    return np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _true_gelu(x: object) -> np.ndarray:
    t = np.maximum(_f64(x), -40.0)
    return t * _cdf(t)


def _true_gelu_grad(x: object) -> np.ndarray:
    x = _f64(x)
    return _cdf(x) + x * _pdf(x)


def _at_finite(wrong: Callable[[np.ndarray], np.ndarray]) -> Callable[[object], np.ndarray]:
    """A typical wrong GELU, but right at +-inf: so that only its finite values identify it."""

    def typical(x: object) -> np.ndarray:
        x = _f64(x)
        return np.where(np.isinf(x), _true_gelu(x), wrong(x))

    return typical


def _naive_gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + erf(x * _SQRT_HALF))


def _tanh_u(x: np.ndarray) -> np.ndarray:
    return math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)


def _tanh_gelu(x: object) -> np.ndarray:
    x = _f64(x)
    return x * expit(2 * _tanh_u(x))  # = 0.5 x (1 + tanh(u)), without cancellation


def _tanh_gelu_grad(x: object) -> np.ndarray:
    x = _f64(x)
    s = expit(2 * _tanh_u(x))
    du = math.sqrt(2 / math.pi) * (1 + 3 * 0.044715 * x * x)
    return s + x * s * (1 - s) * 2 * du


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: with GELU(x) = x Φ(x) and Φ(1) ≈ 0.841345, compute GELU(0), GELU(1), GELU(−1) and "
    "GELU(10), to at least 4 significant digits. "
    "Answer with a tuple of four numbers: q1.check((a, b, c, d)).",
    expected=(0.0, _PHI_1, _PHI_1 - 1.0, 10.0),
    labels=("GELU(0)", "GELU(1)", "GELU(-1)", "GELU(10)"),
    rtol=1e-3,
    atol=1e-6,
    mistakes=[
        (
            (0.0, _PHI_1, -_PHI_1, 10.0),
            "GELU(−1) is not −GELU(1): GELU is not an odd function. Compute "
            "GELU(−1) = (−1)·Φ(−1), with Φ(−1) = 1 − Φ(1) by the symmetry of the bell curve.",
        ),
        (
            (0.0, _PHI_1, 1.0 - _PHI_1, 10.0),
            "check the sign of GELU(−1): it is (−1)·Φ(−1), a negative number times a probability.",
        ),
        (
            (0.5, _PHI_1, _PHI_1 - 1.0, 10.0),
            "GELU(0) = 0 · Φ(0); 1/2 is Φ(0), the probability, not GELU(0).",
        ),
        (
            (0.5, _PHI_1, 1.0 - _PHI_1, 1.0),
            "these look like the probabilities Φ(x). GELU multiplies them by x: GELU(x) = x Φ(x).",
        ),
        (
            (0.0, 1.0, 0.0, 10.0),
            "these are ReLU's values. GELU weights x by Φ(x) instead of by 0 or 1.",
        ),
    ],
    hints=[
        "Φ(x) is the probability that a standard normal variable is at most x. Φ(0) = 1/2 "
        "by symmetry.",
        "The bell curve is symmetric, so Φ(−x) = 1 − Φ(x). Hence GELU(−1) = (−1)(1 − Φ(1)).",
        "For large x, Φ(x) is 1 to many digits (Φ(10) differs from 1 by about 1e-23), so "
        "GELU(x) is x to that accuracy, like ReLU.",
    ],
    solution_text=(
        "GELU(0) = 0 · Φ(0) = 0 · 1/2 = 0.\n"
        "GELU(1) = 1 · Φ(1) ≈ 0.841345.\n"
        "GELU(−1) = (−1) · Φ(−1) = −(1 − Φ(1)) ≈ −0.158655.\n"
        "GELU(10) = 10 · Φ(10) = 10 to about 22 significant digits, since 1 − Φ(10) ≈ 7.6e-24.\n"
        "Answer: q1.check((0, 0.841345, -0.158655, 10)).\n"
        "Notice GELU(1) − GELU(−1) = 1: in general GELU(x) − GELU(−x) = x Φ(x) + x Φ(−x) = x."
    ),
    success_note=(
        "GELU(1) − GELU(−1) = 1, an instance of GELU(x) − GELU(−x) = x, and GELU(10) is 10: "
        "for large x, GELU behaves like ReLU."
    ),
)

q2 = FunctionQuestion(
    "q2",
    "Implement gelu_grad(x), the derivative of GELU(x) = x Φ(x), elementwise, for numbers and "
    "NumPy arrays (finite inputs, or NaN: NaN in, NaN out). Inputs such as ±40 and ±1000 must "
    "give the right values without any warning, float32 input must give float32 output, and x "
    "must not be modified. You may use scipy.special.ndtr(x) for Φ(x).",
    func_name="gelu_grad",
    arg_names=("x",),
    reference=gelu_grad,
    expected=_true_gelu_grad,
    cases=[
        case(0.5),
        case(np.array([-3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0])),
        case(_f32([-3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0])),
        case(np.array([[-2.0, 1.0], [2.0, -6.0]])),
        case(np.array([-1000.0, -40.0, 6.0, 40.0, 1000.0])),
        case(np.array([_NAN, 1.0])),
    ],
    rtol=1e-7,
    atol=1e-12,
    mistakes=[
        (
            lambda x: _cdf(_f64(x)),
            "You returned Φ(x) only. GELU is a product, x · Φ(x): the product rule gives a "
            "second term, x · Φ'(x) = x φ(x).",
        ),
        (
            lambda x: _cdf(_f64(x)) - _f64(x) * _pdf(_f64(x)),
            "Check the sign of the x φ(x) term: the product rule adds the two terms.",
        ),
        (
            lambda x: _f64(x) * _pdf(_f64(x)),
            "You returned x φ(x) only; the product rule also gives Φ(x) · (d/dx) x = Φ(x).",
        ),
        (
            lambda x: _cdf(_f64(x)) + _pdf(_f64(x)),
            "The second term of the product rule is x · φ(x): the factor x is missing.",
        ),
        (
            lambda x: _pdf(_f64(x)),
            "That is φ(x), the derivative of Φ(x); GELU(x) = x Φ(x) needs the product rule.",
        ),
        (
            _true_gelu,
            "You returned GELU itself; the question asks for its derivative.",
        ),
        (
            _tanh_gelu_grad,
            "That is the derivative of the tanh approximation; the question asks for the exact "
            "GELU, x Φ(x).",
        ),
    ],
    hints=[
        "GELU(x) = x · Φ(x) is a product: (u v)' = u' v + u v'. And Φ'(x) = φ(x), the standard "
        "normal density φ(x) = exp(−x²/2) / √(2π).",
        "So GELU'(x) = Φ(x) + x φ(x). In NumPy: ndtr(x) + x * np.exp(-0.5 * x * x) / c with "
        "c = √(2π) (from scipy.special import ndtr).",
        "float32 stays float32 if every constant is a plain Python number: use "
        "math.sqrt(2 * math.pi), not np.sqrt(2 * np.pi), which is a float64 NumPy scalar. "
        "For x = ±1000, exp(−x²/2) underflows quietly to 0, which is the right limit.",
    ],
    solution_text=(
        "By the product rule, GELU'(x) = (x)' Φ(x) + x Φ'(x) = Φ(x) + x φ(x), because the "
        "derivative of the normal CDF Φ is the normal density φ(x) = exp(−x²/2)/√(2π). "
        "For large |x| the density underflows to 0 without a warning, leaving Φ(x): 1 on the "
        "right, 0 on the left. Φ could also be computed as (1 + erf(x/√2))/2, which is fine "
        "here; exercise 3 shows where that form loses its digits."
    ),
    template=(
        'def gelu_grad(x):\n    """Derivative of GELU, elementwise."""\n    ...  # your code here\n'
    ),
    success_note="gelu_grad is right: Φ(x) + x φ(x), float32 kept, no warnings.",
)

q3 = FunctionQuestion(
    "q3",
    "Implement gelu(x) = x Φ(x) for numbers and NumPy arrays, accurate to full relative "
    "precision also for very negative x (−10, −20, −30), with the right limits for ±inf "
    "(GELU(−inf) = 0) and NaN in, NaN out, all without any RuntimeWarning. Keep float32 as "
    "float32 and never modify x. You may use scipy.special (erf, erfc, ndtr), but not actlib.",
    func_name="gelu",
    arg_names=("x",),
    reference=gelu,
    expected=_true_gelu,
    cases=[
        case(0.5),
        case(np.array([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])),
        case(_f32([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0])),
        case(np.array([[-2.0, 1.0], [2.0, -4.0]])),
        case(np.array([-10.0, -20.0, -30.0])),
        case(-10.0),
        case(_f32([-10.0, -5.0, 5.0, 10.0])),
        case(np.array([-_INF, -1000.0, 1000.0, _INF, _NAN])),
    ],
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        (
            _at_finite(_naive_gelu),
            "This is the cancellation of 1 + erf(x/√2). For x = −10, erf(−7.07...) is −1 minus "
            "about 1.5e-23, which rounds to exactly −1 in float64, so 1 + erf is 0 and every "
            "digit of the tiny true value is lost (already from about x = −8.4). Compute the "
            "tail directly: Φ(x) = erfc(−x/√2)/2, or scipy.special.ndtr(x).",
        ),
        (
            _at_finite(_tanh_gelu),
            "This is the tanh approximation 0.5 x (1 + tanh(√(2/π)(x + 0.044715 x³))), which "
            "differs from x Φ(x) by up to about 5e-4; the question asks for the exact GELU.",
        ),
        (
            _at_finite(lambda x: x * expit(1.702 * x)),
            "This is the sigmoid approximation x σ(1.702 x), which is off by up to about 0.02; "
            "the question asks for the exact GELU, x Φ(x).",
        ),
        (
            _at_finite(lambda x: np.maximum(x, 0.0)),
            "This is ReLU. GELU is smooth: negative inputs give small negative outputs "
            "x Φ(x), not 0.",
        ),
        (
            _at_finite(_cdf),
            "You returned Φ(x), the probability; GELU multiplies it by x.",
        ),
    ],
    hints=[
        "The textbook form 0.5 * x * (1 + erf(x / √2)) is exact on paper, but for x = −10 the "
        "computer rounds erf(−7.07) to exactly −1: 1 + erf cancels to 0.",
        "Use a function that computes the small lower tail itself: Φ(x) = 0.5 * erfc(−x / √2) "
        "or scipy.special.ndtr(x). Nothing is subtracted, so nothing cancels.",
        "At x = −inf, x * Φ(x) is −inf * 0 = NaN with a RuntimeWarning. Below x = −40, "
        "x Φ(x) is smaller than 1e-340 and rounds to 0 anyway, so clip first: "
        "t = np.maximum(x, -40.0), then t * ndtr(t). A Python float like -40.0 keeps float32.",
    ],
    solution_text=(
        "Φ(x) = (1 + erf(x/√2))/2 subtracts two nearly equal numbers for x ≪ 0, because "
        "erf(x/√2) is then very close to −1; from about x = −8.4 on it is exactly −1 in float64 "
        "and the result is 0. scipy.special.ndtr(x) (or erfc(−x/√2)/2) computes the tail "
        "directly and keeps full relative precision. For the infinite limit, clip the input at "
        "−40, where x Φ(x) is already far below the smallest float64: the result is then 0 "
        "(−0.0) for every x ≤ −40, including −inf, and NaN still propagates."
    ),
    template=(
        "def gelu(x):\n"
        '    """GELU x * Phi(x), elementwise and accurate for very negative x."""\n'
        "    ...  # your code here\n"
    ),
    success_note=(
        "your GELU keeps full relative precision in the far negative tail and never warns."
    ),
)

q4 = NumericQuestion(
    "q4",
    "In a network: the pre-activations z of a layer of GELU units are standard normal, as "
    "after a normalisation layer. For what fraction of them is the slope GELU'(z) negative, "
    "so that increasing z decreases the unit's output? Answer with a single number "
    "between 0 and 1 (3 significant digits are enough).",
    expected=_FRACTION,
    labels=("the fraction with GELU'(z) < 0",),
    rtol=3e-3,
    mistakes=[
        (
            0.5,
            "half of the inputs are negative, but GELU is decreasing only on part of the "
            "negative axis: left of its minimum, not left of 0.",
        ),
        (
            1 - _FRACTION,
            "that is the complement: the fraction with a positive slope.",
        ),
        (
            -_X_MIN,
            "that is (minus) the location of GELU's minimum, an input value, not a probability. "
            "What is the probability that z lies left of it?",
        ),
        (_X_MIN, "that is the location of GELU's minimum, not a probability."),
        (-0.16997120747990366, "that is GELU's smallest value, not a probability."),
        (0.16997120747990366, "that is (minus) GELU's smallest value, not a probability."),
        (
            ndtr(-math.sqrt(2)),
            "x = −√2 is where the slope is most negative, not where it changes sign. The slope "
            "is negative on the whole interval left of the minimum.",
        ),
    ],
    hints=[
        "GELU'(z) < 0 exactly where GELU decreases: to the left of its minimum, near "
        "z ≈ −0.75 (where Φ(z) + z φ(z) = 0).",
        "For a standard normal z, the probability that z < a is Φ(a).",
        "Find the minimum x* accurately (for example scipy.optimize.brentq on "
        "actlib.gelu_grad), then compute Φ(x*) with scipy.special.ndtr.",
    ],
    solution_text=(
        "GELU'(z) = Φ(z) + z φ(z) is negative exactly for z < x*, where x* ≈ −0.7518 is the "
        "minimum of GELU (solve Φ(x) + x φ(x) = 0 numerically). For a standard normal z, "
        "P(z < x*) = Φ(x*) ≈ 0.2261: at initialisation, roughly one unit in four sits where a "
        "larger input gives a smaller output. Answer: q4.check(0.2261). No ReLU unit ever does "
        "this: its slope is 0 or 1."
    ),
    success_note=(
        "about 22.6% of standard normal inputs fall left of GELU's minimum, where its slope "
        "is negative."
    ),
)

q5 = ChoiceQuestion(
    "q5",
    "Which statement about GELU is true? Answer with a letter, e.g. q5.check('a').",
    options={
        "a": "GELU is monotone increasing, like ReLU.",
        "b": "GELU(−x) = GELU(x) − x for every x.",
        "c": "GELU's slope is never larger than 1.",
        "d": "The tanh approximation agrees with x Φ(x) to within 1e-6 everywhere.",
    },
    answer="b",
    feedback={
        "a": "GELU decreases left of its minimum at x ≈ −0.75 (its slope is negative there).",
        "c": "GELU'(x) = Φ(x) + x φ(x) exceeds 1 for every x above about 0.75; it peaks "
        "near 1.13, at x = √2.",
        "d": "its largest error is about 5e-4, near x = ±2.7; fine for a network, but not 1e-6.",
    },
    hints=[
        "Use Φ(−x) = 1 − Φ(x) on GELU(−x) = (−x) Φ(−x).",
        "For the slope, evaluate GELU'(x) = Φ(x) + x φ(x) at x = 2: Φ(2) ≈ 0.977 and φ(2) ≈ 0.054.",
    ],
    solution_text=(
        "(b). GELU(−x) = (−x) Φ(−x) = −x (1 − Φ(x)) = x Φ(x) − x = GELU(x) − x. "
        "(a) is false: GELU has a minimum of about −0.170 at x ≈ −0.752 and decreases to its "
        "left. (c) is false: the slope peaks at about 1.129, at x = √2. (d) is false: the tanh "
        "approximation is off by up to about 4.7e-4, near |x| ≈ 2.70."
    ),
    success_note=(
        "GELU(x) − GELU(−x) = x: GELU is x/2 (linear) plus an even function, not odd like tanh."
    ),
)
