"""Exercises for the ELU chapter, from "compute by hand" to "implement it stably".

Usage in a notebook::

    from actlib.exercises import elu as ex
    ex.q1.check((1.5, -1.0, -1.5, -2.0))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import math

import numpy as np

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["q1", "q2", "q3", "q4", "q5"]

_INF, _NAN = np.inf, np.nan
_LN2, _LN4 = math.log(2.0), math.log(4.0)


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def elu_grad(x, alpha=1.0):
    """Derivative of ELU, elementwise: 1 for x > 0, alpha * exp(x) for x <= 0."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    left = alpha * np.exp(np.minimum(x, 0))  # exp only sees x <= 0: it cannot overflow
    out = np.where(x > 0, 1.0, left)  # x = 0 takes the x <= 0 branch: alpha, as in PyTorch
    return out.astype(x.dtype)[()]  # keep float32; a 0-d array becomes a scalar


def elu(x, alpha=1.0):
    """Numerically stable ELU, elementwise; keeps float dtypes and never warns."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    left = alpha * np.expm1(np.minimum(x, 0))  # no overflow, and no cancellation near 0
    out = np.where(x > 0, x, left)
    return out.astype(x.dtype)[()]  # keep float32; a 0-d array becomes a scalar


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_elu(x: object, alpha: float) -> np.ndarray:
    x = _f64(x)
    with np.errstate(all="ignore"):
        return np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0))


def _true_elu_grad(x: object, alpha: float) -> np.ndarray:
    x = _f64(x)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def _left(x: np.ndarray, value: np.ndarray, right: np.ndarray | float) -> np.ndarray:
    """``right`` where x > 0, ``value`` where x <= 0: builds the typical wrong answers."""
    return np.where(x > 0, right, value)


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


_MODERATE = [-3.0, -1.0, -0.5, 0.5, 2.0]
_AROUND_ZERO = [-3.0, -1.0, -0.5, 0.0, 0.5, 2.0]

# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: with α = 2, compute ELU(1.5), ELU(−ln 2), ELU(−ln 4), and the value ELU(x) "
    "approaches as x → −∞. Answer with a tuple of four numbers: q1.check((a, b, c, d)).",
    expected=(1.5, -1.0, -1.5, -2.0),
    labels=("ELU(1.5)", "ELU(-ln 2)", "ELU(-ln 4)", "the limit as x -> -inf"),
    rtol=1e-6,
    mistakes=[
        (
            (2 * math.expm1(1.5), -_LN2, -_LN4, -_INF),
            "you swapped the two regions. ELU is the identity for x > 0 and α(e^x − 1) for "
            "x ≤ 0, not the other way round.",
        ),
        (
            (1.5, -0.5, -0.75, -1.0),
            "these are the values for α = 1: multiply the exponential part by α = 2.",
        ),
        (
            (1.5, 2.0, 6.0, _INF),
            "it looks like you used e^(−x): for x = −ln 2, e^x = 1/2, not 2.",
        ),
        (
            (1.5, 1.0, 0.5, 0.0),
            "you computed α e^x and forgot the − 1: ELU(x) = α(e^x − 1) for x ≤ 0, which is "
            "negative.",
        ),
        (
            (1.5, -1.0, -1.5, 2.0),
            "check the sign of the limit: for x ≤ 0, ELU(x) = α(e^x − 1) is negative.",
        ),
    ],
    hints=[
        "Which region is each input in? 1.5 > 0, while −ln 2 and −ln 4 are negative.",
        "e^(−ln 2) = 1/2 and e^(−ln 4) = 1/4. Then multiply (e^x − 1) by α = 2.",
        "As x → −∞, e^x → 0, so α(e^x − 1) → ... (it is bounded below).",
    ],
    solution_text=(
        "ELU(1.5) = 1.5, since 1.5 > 0 is in the linear region.\n"
        "ELU(−ln 2) = 2(e^(−ln 2) − 1) = 2(1/2 − 1) = −1.\n"
        "ELU(−ln 4) = 2(1/4 − 1) = −3/2.\n"
        "As x → −∞, e^x → 0, so ELU(x) → 2(0 − 1) = −2 = −α: ELU saturates at −α.\n"
        "Answer: q1.check((1.5, -1.0, -1.5, -2.0))."
    ),
    success_note="ELU is the identity for x > 0 and saturates at −α = −2 for very negative x.",
)

q2 = FunctionQuestion(
    "q2",
    "Implement elu_grad(x, alpha=1.0), the derivative of ELU, elementwise, for numbers and "
    "NumPy arrays: 1 for x > 0 and α e^x for x ≤ 0 (so at x = 0 it returns α, PyTorch's "
    "convention). Large |x| (±1000, ±inf) must work without any warning, NaN gives NaN, "
    "float32 input must give float32 output, and x must not be modified.",
    func_name="elu_grad",
    arg_names=("x", "alpha"),
    reference=elu_grad,
    expected=_true_elu_grad,
    cases=[
        case(np.array(_MODERATE), 1.0),
        case(np.array(_MODERATE), 2.0),
        case(0.0, 2.0),
        case(0.0, 0.5),
        case(_f32(_MODERATE), 0.5),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]]), 1.0),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0]), 1.5),
        case(_f32([-100.0, -20.0, 20.0, 100.0]), 1.0),
        case(np.array([-_INF, _INF, _NAN]), 1.0),
        case(np.array([-2.0, 0.0, 2.0]), 0.0),
    ],
    rtol=1e-9,
    atol=1e-15,  # accepts ELU(x) + alpha, which is 0 instead of ~1e-18 for x = -40
    mistakes=[
        (
            lambda x, a: np.where(_f64(x) >= 0, 1.0, a * np.exp(np.minimum(_f64(x), 0))),
            "At x = 0 the two one-sided slopes differ (α on the left, 1 on the right) unless "
            "α = 1. This question uses PyTorch's convention: x = 0 belongs to the x ≤ 0 branch, "
            "so the derivative there is α.",
        ),
        (
            lambda x, a: _left(_f64(x), 1.0, a * np.exp(_f64(x))),
            "It looks like the two regions are swapped: ELU is the identity for x > 0 (slope "
            "1) and α(e^x − 1) for x ≤ 0 (slope α e^x).",
        ),
        (
            lambda x, a: _true_elu(x, a),
            "You returned ELU itself; the question asks for its derivative.",
        ),
        (
            lambda x, a: _left(_f64(x), np.exp(_f64(x)), 1.0),
            "The slope for x ≤ 0 is α e^x: you left out the factor α.",
        ),
        (
            lambda x, a: _true_elu(x, a) + a,
            "ELU(x) + α equals the slope only for x ≤ 0; for x > 0 the slope is 1.",
        ),
        (
            lambda x, a: _left(_f64(x), a * np.expm1(_f64(x)), 1.0),
            "For x ≤ 0 you returned α(e^x − 1), the function; its derivative is α e^x.",
        ),
    ],
    hints=[
        "Differentiate each piece: d/dx x = 1, and d/dx α(e^x − 1) = α e^x. "
        "Then pick the piece by the sign of x.",
        "np.where(cond, a, b) evaluates BOTH a and b for every element, so α·np.exp(x) "
        "overflows for x = 1000 even though that value is then thrown away. Compute the "
        "exponential of np.minimum(x, 0) instead: it never sees a positive number.",
        "x = 0 must take the x ≤ 0 branch (use the condition x > 0 for the slope-1 branch). "
        "To keep float32, convert with np.asarray(x) and do not mix in float64 arrays.",
    ],
    solution_text=(
        "For x > 0, ELU(x) = x has slope 1. For x ≤ 0, d/dx α(e^x − 1) = α e^x, which is also "
        "ELU(x) + α: a network can reuse the output of the forward pass. At x = 0 the slope "
        "is α from the left and 1 from the right; PyTorch returns α (the x ≤ 0 branch). "
        "np.where evaluates both branches everywhere, so the exponential is taken of "
        "min(x, 0) ≤ 0: it lies in [0, 1] and can never overflow, and exp(−inf) = 0, "
        "exp(NaN) = NaN."
    ),
    template=(
        "def elu_grad(x, alpha=1.0):\n"
        '    """Derivative of ELU, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="elu_grad is right, takes α at the kink, keeps float32 and never overflows.",
)

q3 = FunctionQuestion(
    "q3",
    "Implement a numerically stable elu(x, alpha=1.0) for numbers and NumPy arrays, without "
    "calling actlib or torch. It must be accurate to full precision for tiny negative x "
    "(such as −1e-10), work without any RuntimeWarning for x = ±1000, ±inf and NaN (NaN in, "
    "NaN out), keep float32 as float32, keep the input's shape, and never modify x.",
    func_name="elu",
    arg_names=("x", "alpha"),
    reference=elu,
    expected=_true_elu,
    cases=[
        case(0.5, 1.0),
        case(np.array(_AROUND_ZERO), 1.0),
        case(np.array(_AROUND_ZERO), 2.0),
        case(_f32(_AROUND_ZERO), 0.5),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]]), 1.0),
        case(np.array([-1e-5, -1e-10, -1e-15]), 1.0),
        case(_f32([-1e-3, -1e-6, -1e-10]), 1.0),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0]), 1.0),
        case(_f32([-100.0, -20.0, 20.0, 100.0]), 1.5),
        case(np.array([-_INF, _INF, _NAN]), 1.0),
        case(np.array([-2.0, 0.0, 2.0]), 0.0),
    ],
    rtol=1e-12,
    atol=0.0,
    mistakes=[
        (
            lambda x, a: _left(_f64(x), _f64(x), a * np.expm1(_f64(x))),
            "It looks like the two regions are swapped: ELU is the identity for x > 0 and "
            "α(e^x − 1) for x ≤ 0.",
        ),
        (
            lambda x, a: _left(_f64(x), np.expm1(_f64(x)), _f64(x)),
            "The negative part is α(e^x − 1): you left out the factor α.",
        ),
        (
            lambda x, a: _left(_f64(x), a * (np.exp(_f64(x)) - 1), _f64(x)),
            "For tiny negative x, e^x is so close to 1 that e^x − 1 cancels most significant "
            "digits (catastrophic cancellation). np.expm1(x) computes e^x − 1 without "
            "forming e^x.",
        ),
        (
            lambda x, a: _left(_f64(x), a * -np.expm1(_f64(x)), _f64(x)),
            "Check the sign of the negative part: α(e^x − 1) is negative for x < 0.",
        ),
        (
            lambda x, a: np.maximum(_f64(x), 0.0),
            "That is ReLU: for x ≤ 0, ELU is α(e^x − 1), not 0.",
        ),
        (
            lambda x, a: _left(_f64(x), a * np.exp(_f64(x)), _f64(x)),
            "For x ≤ 0, ELU is α(e^x − 1): you left out the − 1 (ELU(0) must be 0).",
        ),
    ],
    hints=[
        "Start from np.where(x > 0, x, alpha * (np.exp(x) - 1)) and run it on x = 1000 and "
        "x = -1e-10. Two things go wrong: which?",
        "np.where evaluates both branches for every element: np.exp(1000) overflows although "
        "it is thrown away. Take the exponential of np.minimum(x, 0), which is never "
        "positive.",
        "For tiny negative x, np.exp(x) - 1 subtracts two nearly equal numbers and loses "
        "digits. np.expm1(x) computes e^x − 1 accurately. Convert the input with "
        "np.asarray(x) so scalars work, and keep float dtypes as they are.",
    ],
    solution_text=(
        "Use np.expm1 for the negative part, and apply it to m = min(x, 0): for x ≤ 0 this is "
        "x itself, and for x > 0 it is 0, so the unused branch is harmless (expm1(0) = 0) and "
        "nothing can overflow. expm1 avoids the cancellation in e^x − 1 near 0, so "
        "ELU(−1e-10) is right to the last digit. ±inf give −α and inf, and NaN propagates. "
        "actlib computes max(x, 0) + α·expm1(min(x, 0)), which is the same."
    ),
    template=(
        "def elu(x, alpha=1.0):\n"
        '    """Numerically stable ELU, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="your ELU is accurate near 0 (expm1) and never overflows (exp of min(x, 0)).",
)

_RELU_MEAN = 1.0 / math.sqrt(2.0 * math.pi)  # E[max(z, 0)], z ~ N(0, 1)
_LEFT_MEAN = math.exp(0.5) * 0.5 * math.erfc(1.0 / math.sqrt(2.0)) - 0.5  # E[(e^z - 1); z <= 0]

q4 = NumericQuestion(
    "q4",
    "In a network: the pre-activations z of a layer are standard normal, z ~ N(0, 1). What "
    "is the mean output of the layer with ReLU, E[max(z, 0)], and with ELU (α = 1), "
    "E[ELU(z)]? Answer with a tuple (relu_mean, elu_mean); 2% accuracy is enough, so a "
    "large seeded Monte Carlo sample works as well as the exact integrals.",
    expected=(_RELU_MEAN, _RELU_MEAN + _LEFT_MEAN),
    labels=("the ReLU mean", "the ELU mean"),
    rtol=0.02,
    mistakes=[
        (
            (_RELU_MEAN + _LEFT_MEAN, _RELU_MEAN),
            "your two values are swapped: ReLU's outputs are never negative, so its mean is "
            "the larger one.",
        ),
        (
            (_RELU_MEAN, _RELU_MEAN + _LEFT_MEAN + 0.5),
            "for the ELU mean you integrated e^z over z ≤ 0 but left out the − 1 "
            "(which contributes −P(z ≤ 0) = −1/2).",
        ),
        (
            (_RELU_MEAN, _LEFT_MEAN),
            "for the ELU mean you kept only the negative part: the positive part, "
            "E[max(z, 0)], is the same as for ReLU.",
        ),
        ((0.5, _RELU_MEAN + _LEFT_MEAN), "the ReLU mean is E[max(z, 0)], not P(z > 0)."),
    ],
    hints=[
        "ELU(z) = max(z, 0) + (e^min(z, 0) − 1), so E[ELU(z)] = E[max(z, 0)] + E[(e^z − 1); "
        "z ≤ 0]: the first term is ReLU's mean.",
        "E[max(z, 0)] = ∫_0^∞ z φ(z) dz = φ(0) = 1/√(2π), since φ'(z) = −z φ(z). "
        "Numerically: rng = np.random.default_rng(0); z = rng.standard_normal(10**6); "
        "actlib.elu(z).mean().",
        "Complete the square: e^z φ(z) = e^(1/2) φ(z − 1), so ∫_−∞^0 e^z φ(z) dz = "
        "e^(1/2) Φ(−1); subtract P(z ≤ 0) = 1/2.",
    ],
    solution_text=(
        "ReLU: E[max(z, 0)] = ∫_0^∞ z φ(z) dz = [−φ(z)]_0^∞ = φ(0) = 1/√(2π) ≈ 0.399.\n"
        "ELU: E[ELU(z)] = E[max(z, 0)] + ∫_−∞^0 (e^z − 1) φ(z) dz. Completing the square, "
        "e^z φ(z) = e^(1/2) φ(z − 1), so ∫_−∞^0 e^z φ(z) dz = e^(1/2) Φ(−1) ≈ 0.262, and "
        "∫_−∞^0 φ(z) dz = 1/2. Total: 0.399 + 0.262 − 0.5 ≈ 0.161.\n"
        "Answer: q4.check((0.399, 0.161)). The negative outputs of ELU pull the layer's mean "
        "from about 0.40 down to about 0.16: closer to zero, but not zero."
    ),
    success_note="ELU's negative outputs bring the mean from about 0.40 (ReLU) to about 0.16.",
)

q5 = ChoiceQuestion(
    "q5",
    "Which statement about ELU is true? Answer with a letter, e.g. q5.check('a').",
    options={
        "a": "With α = 1, ELU is twice continuously differentiable.",
        "b": "ELU is continuous for every α, but its derivative is continuous at 0 only for α = 1.",
        "c": "ELU is bounded: its outputs lie in (−α, α).",
        "d": "In PyTorch, the derivative of ELU at x = 0 is 1 for every α.",
    },
    answer="b",
    feedback={
        "a": "the second derivative is α e^x → α from the left but 0 from the right: "
        "it jumps at 0, even for α = 1.",
        "c": "ELU(x) = x for x > 0, so it is unbounded above; only its lower bound is −α.",
        "d": "PyTorch uses the x ≤ 0 branch at 0, where the slope is α e^0 = α.",
    },
    hints=[
        "Compare the one-sided limits at x = 0 of ELU, of ELU' and of ELU''.",
        "From the left: ELU' → α and ELU'' → α. From the right: ELU' = 1 and ELU'' = 0.",
    ],
    solution_text=(
        "(b). Both pieces are 0 at x = 0, so ELU is continuous for every α. Its slope is α "
        "from the left and 1 from the right, so ELU' is continuous only for α = 1. "
        "(a) is false: ELU'' is α e^x → α from the left and 0 from the right. (c) is false: "
        "ELU is unbounded above. (d) is false: PyTorch returns α at 0."
    ),
    success_note="ELU is C¹ exactly when α = 1, and never C².",
)
