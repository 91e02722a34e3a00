"""Exercises for the Leaky ReLU chapter, from "compute by hand" to "implement it safely".

Usage in a notebook::

    from actlib.exercises import leaky_relu as ex
    ex.q1.check((-1.0, -0.1, 0.0, 3.0))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import numpy as np

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["q1", "q2", "q3", "q4", "q5"]

_INF, _NAN = np.inf, np.nan


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def leaky_relu_grad(x, negative_slope=0.01):
    """Derivative of Leaky ReLU, elementwise: 1 for x > 0, the slope for x <= 0, NaN for NaN."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    one = np.ones_like(x)  # 1 in x's own dtype, so float32 stays float32
    grad = np.where(x > 0, one, negative_slope * one)  # x = 0 gets the slope, as in PyTorch
    grad = np.where(np.isnan(x), x, grad)  # NaN > 0 is False: put the NaN back
    return grad[()]  # a 0-d array becomes a NumPy scalar; arrays stay arrays


def leaky_relu(x, negative_slope=0.01):
    """Leaky ReLU for any slope: max(x, 0) + negative_slope * min(x, 0), elementwise."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    positive = np.maximum(x, 0)  # np.maximum propagates NaN
    if negative_slope == 0:
        return positive[()]  # plain ReLU: avoids 0 * (-inf) = NaN
    return (positive + negative_slope * np.minimum(x, 0))[()]


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_leaky(x: object, a: float) -> np.ndarray:
    x = _f64(x)
    with np.errstate(invalid="ignore"):
        negative = np.where(x < 0, a * x, 0.0)  # a * x only used where x < 0 ...
    negative = np.where(np.isneginf(x) & (a == 0), 0.0, negative)  # ... and 0 * -inf -> 0
    return np.where(x > 0, x, negative) + np.where(np.isnan(x), x, 0.0)


def _true_leaky_grad(x: object, a: float) -> np.ndarray:
    x = _f64(x)
    return np.where(np.isnan(x), x, np.where(x > 0, 1.0, float(a)))


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


# typical wrong answers, evaluated in float64 on the checker's cases


def _grad_one_at_zero(x: object, a: float) -> np.ndarray:
    x = _f64(x)
    return np.where(np.isnan(x), x, np.where(x >= 0, 1.0, a))


def _grad_nan_to_slope(x: object, a: float) -> np.ndarray:
    return np.where(_f64(x) > 0, 1.0, a)


def _grad_nan_at_inf(x: object, a: float) -> np.ndarray:
    x = _f64(x)
    with np.errstate(invalid="ignore"):
        return np.where(x > 0, 1.0, a) + 0 * x


def _max_form(x: object, a: float) -> np.ndarray:
    x = _f64(x)
    with np.errstate(invalid="ignore"):
        return np.maximum(a * x, x)


def _naive_general_form(x: object, a: float) -> np.ndarray:
    x = _f64(x)
    with np.errstate(invalid="ignore"):
        return np.maximum(x, 0) + a * np.minimum(x, 0)


def _nan_eating_form(x: object, a: float) -> np.ndarray:
    x = _f64(x)
    return np.fmax(x, 0) + a * np.fmin(x, 0)


# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: with the slope a = 0.2 (the value used in GAN discriminators), compute "
    "LeakyReLU(x) = max(0, x) + a·min(0, x) for x = −5, −0.5, 0 and 3. "
    "Answer with a tuple of four numbers: q1.check((f1, f2, f3, f4)).",
    expected=(-1.0, -0.1, 0.0, 3.0),
    labels=("f(-5)", "f(-0.5)", "f(0)", "f(3)"),
    rtol=1e-6,
    atol=1e-12,
    mistakes=[
        (
            (0.0, 0.0, 0.0, 3.0),
            "that is plain ReLU: it outputs 0 for every negative input. Leaky ReLU lets a "
            "fraction a of a negative input through.",
        ),
        (
            (-5.0, -0.5, 0.0, 0.6),
            "you applied the slope a on the wrong side: positive inputs pass unchanged, "
            "negative inputs are multiplied by a.",
        ),
        (
            (-1.0, -0.1, 0.0, 0.6),
            "you multiplied every input by a. Only negative inputs are scaled; for x > 0 the "
            "output is x itself.",
        ),
        (
            (1.0, 0.1, 0.0, 3.0),
            "check the signs of your negative outputs: a·x has the sign of x when a > 0.",
        ),
    ],
    hints=[
        "For x > 0, min(0, x) = 0, so f(x) = x. For x < 0, max(0, x) = 0, so f(x) = a·x.",
        "f(−5) = 0.2 · (−5). Leaky ReLU keeps the sign of a negative input and shrinks it.",
        "At x = 0 both pieces give 0, whatever a is.",
    ],
    solution_text=(
        "Negative inputs are multiplied by a = 0.2: f(−5) = 0.2 · (−5) = −1 and "
        "f(−0.5) = 0.2 · (−0.5) = −0.1. Zero gives 0, and a positive input passes unchanged: "
        "f(3) = 3.\nAnswer: q1.check((-1.0, -0.1, 0.0, 3.0))."
    ),
    success_note="negative inputs are scaled by a and keep their sign; positive ones pass as is.",
)

q2 = FunctionQuestion(
    "q2",
    "Implement leaky_relu_grad(x, negative_slope), the derivative of Leaky ReLU, elementwise, "
    "for numbers and NumPy arrays: 1 for x > 0 and negative_slope for x < 0. At the kink "
    "x = 0, use PyTorch's convention: the derivative there is negative_slope. NaN in must "
    "give NaN out, ±inf must work, float32 input must give float32 output, and x must not "
    "be modified.",
    func_name="leaky_relu_grad",
    arg_names=("x", "negative_slope"),
    reference=leaky_relu_grad,
    expected=_true_leaky_grad,
    cases=[
        case(np.array([-3.0, -0.5, 0.0, 0.5, 3.0]), 0.01),
        case(0.0, 0.01),
        case(np.array([-2.0, 0.0, 2.0]), 0.3),
        case(np.array([[-1.0, 1.0], [0.0, -0.0]]), 0.2),
        case(np.array([-2.0, 0.0, 2.0]), 0.0),
        case(np.array([-2.0, 0.0, 2.0]), -0.5),
        case(np.array([-_INF, _INF, -1e308, 1e308]), 0.01),
        case(np.array([1.0, _NAN, -1.0]), 0.01),
        case(_f32([-2.0, 0.0, 2.0]), 0.01),
    ],
    rtol=1e-12,
    atol=0.0,
    mistakes=[
        (
            _grad_one_at_zero,
            "At x = 0 your derivative is 1. Leaky ReLU has a kink there (slope a on the left, "
            "1 on the right), so a framework must pick a value: PyTorch and this course take "
            "the slope a. Use x > 0, not x >= 0, for the slope-1 branch.",
        ),
        (
            _true_leaky,
            "You returned Leaky ReLU itself; the question asks for its derivative.",
        ),
        (
            lambda x, a: _true_leaky_grad(x, 0.0),
            "You ignored negative_slope: for x <= 0 the derivative is the slope a, not 0 "
            "(0 would be plain ReLU's derivative).",
        ),
        (
            lambda x, a: np.where(_f64(x) > 0, a, 1.0),
            "The two slopes are swapped: the derivative is 1 for x > 0 and a for x <= 0.",
        ),
        (
            _grad_nan_to_slope,
            "A NaN input became the slope a: NaN > 0 is False, so np.where(x > 0, ...) sends "
            "NaN to the other branch. Put the NaN back, e.g. with np.isnan(x).",
        ),
        (
            _grad_nan_at_inf,
            "±inf gave NaN: adding 0 * x to carry NaN through also turns ±inf into NaN, "
            "because 0 · inf is NaN. Use np.isnan(x) to find the NaNs instead.",
        ),
    ],
    hints=[
        "Start from np.where(x > 0, 1.0, negative_slope): x > 0 is False at x = 0, so the "
        "kink gets the slope, as PyTorch does.",
        "NaN > 0 is False, so that np.where maps NaN to the slope. Use np.isnan(x) to put NaN "
        "back where the input was NaN.",
        "np.where(x > 0, 1.0, a) is float64 even for float32 x. Build the two values from "
        "np.ones_like(x) (and multiply it by the Python float a) to keep x's dtype.",
    ],
    solution_text=(
        "For x > 0, f(x) = x has slope 1; for x < 0, f(x) = a·x has slope a. At x = 0 the "
        "left slope is a and the right slope is 1; the convention (PyTorch's, and actlib's) "
        "is the slope a, which is what x > 0 as the condition gives. np.ones_like(x) keeps "
        "float32 as float32, and a final np.where with np.isnan(x) makes NaN in give NaN out "
        "without touching ±inf."
    ),
    template=(
        "def leaky_relu_grad(x, negative_slope=0.01):\n"
        '    """Derivative of Leaky ReLU, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="your derivative is right everywhere, including the kink, NaN and ±inf.",
)

q3 = FunctionQuestion(
    "q3",
    "Implement leaky_relu(x, negative_slope) = max(0, x) + negative_slope · min(0, x) for "
    "numbers and NumPy arrays and ANY real slope (0, small, negative, or larger than 1). "
    "NaN in must give NaN out; −inf must give −inf for a positive slope and 0 for slope 0 "
    "(the ReLU limit), without any RuntimeWarning. Keep float32 as float32, keep the "
    "input's shape, and never modify x.",
    func_name="leaky_relu",
    arg_names=("x", "negative_slope"),
    reference=leaky_relu,
    expected=_true_leaky,
    cases=[
        case(-2.0, 0.01),
        case(np.array([-3.0, -0.5, 0.0, 1.0, 2.5]), 0.01),
        case(np.array([-3.0, -0.5, 0.0, 1.0, 2.5]), 0.3),
        case(np.array([-3.0, -0.5, 0.0, 1.0, 2.5]), -0.5),
        case(np.array([-3.0, -0.5, 0.0, 1.0, 2.5]), 1.5),
        case(np.array([[-1.0, 1.0], [4.0, -4.0]]), 0.2),
        case(_f32([-3.0, -0.5, 0.0, 1.0, 2.5]), 0.01),
        case(np.array([-_INF, _INF, _NAN, -1e308, 1e308]), 0.01),
        case(np.array([-_INF, -1.0, 0.0, _INF, _NAN]), 0.0),
    ],
    rtol=1e-12,
    atol=0.0,
    mistakes=[
        (
            _max_form,
            "This looks like max(a·x, x). That shortcut is only right for a <= 1: with "
            "a = 1.5, a·x > x for positive x, so it returns 1.5·x there (and x, unscaled, for "
            "negative x). Use max(0, x) + a·min(0, x), which is right for every a.",
        ),
        (
            lambda x, a: _true_leaky(x, 0.0),
            "This is plain ReLU: negative inputs must be multiplied by the slope, not set to 0.",
        ),
        (
            lambda x, a: np.where(_f64(x) > 0, a * _f64(x), _f64(x)),
            "The slope is applied on the wrong side: positive inputs pass unchanged, negative "
            "inputs are multiplied by negative_slope.",
        ),
        (
            _naive_general_form,
            "With slope 0 at x = −inf, a·min(0, x) is 0 · (−inf) = NaN, not 0. Treat "
            "slope 0 as plain ReLU, max(0, x), or avoid the product where x = −inf.",
        ),
        (
            _nan_eating_form,
            "A NaN input came out as a number: np.fmax and np.fmin ignore NaN. Use np.maximum "
            "and np.minimum, which propagate it.",
        ),
    ],
    hints=[
        "np.maximum(x, 0) and np.minimum(x, 0) split x into its positive and negative parts, "
        "and both propagate NaN. Avoid np.fmax/np.fmin and Python's max(), which drop NaN.",
        "max(a·x, x) is only right for a <= 1; try a = 1.5 and x = 2 to see why. The general "
        "form max(0, x) + a·min(0, x) works for every a.",
        "For slope 0, a·min(0, −inf) = 0 · (−inf) is NaN, with a warning: return "
        "np.maximum(x, 0) when the slope is 0. Multiplying by a Python float keeps float32.",
    ],
    solution_text=(
        "Split x into its positive part max(x, 0) and its negative part min(x, 0); only the "
        "negative part is scaled by the slope. Unlike max(a·x, x), this is right for every "
        "slope, including a > 1. np.maximum and np.minimum propagate NaN, and a Python float "
        "slope keeps float32 arrays float32. The one trap left is slope 0 at x = −inf, where "
        "0 · (−inf) is NaN: for slope 0 the function is ReLU, so return max(x, 0) directly."
    ),
    template=(
        "def leaky_relu(x, negative_slope=0.01):\n"
        '    """Leaky ReLU for any slope, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="your Leaky ReLU is right for every slope, NaN, ±inf and float32.",
)

q4 = NumericQuestion(
    "q4",
    "In a network: a hidden unit has the pre-activation z = −1.5 on one example, and "
    "backpropagation brings the gradient ∂L/∂h = 0.8 of the loss with respect to the unit's "
    "output h = f(z). What gradient ∂L/∂z reaches the unit's input (i) with ReLU, (ii) with "
    "Leaky ReLU, a = 0.01, and (iii) with Leaky ReLU, a = 0.3? Answer with a tuple of three "
    "numbers.",
    expected=(0.0, 0.008, 0.24),
    labels=("ReLU", "Leaky ReLU a = 0.01", "Leaky ReLU a = 0.3"),
    rtol=1e-6,
    atol=1e-12,
    mistakes=[
        (
            (0.8, 0.8, 0.8),
            "you passed the gradient through unchanged, as for a positive input. Here z < 0, "
            "so the chain rule multiplies by the slope on the left of the kink.",
        ),
        (
            (0.0, 0.0, 0.0),
            "ReLU is right, but a leaky unit has slope a, not 0, for z < 0: some gradient "
            "gets through.",
        ),
        (
            (0.0, 0.01, 0.3),
            "those are the local slopes f'(z). The chain rule multiplies them by the "
            "incoming gradient ∂L/∂h.",
        ),
        (
            (0.0, -0.012, -0.36),
            "you multiplied by the unit's output f(z); the chain rule needs the derivative f'(z).",
        ),
    ],
    hints=[
        "Chain rule: ∂L/∂z = ∂L/∂h · f'(z).",
        "For z < 0 the derivative is 0 for ReLU and a for Leaky ReLU.",
    ],
    solution_text=(
        "∂L/∂z = ∂L/∂h · f'(z), and z = −1.5 < 0, so f'(z) is the left slope: 0 for ReLU "
        "and a for Leaky ReLU. (i) 0.8 · 0 = 0: nothing reaches the unit's weights, so it "
        "cannot learn from this example. (ii) 0.8 · 0.01 = 0.008. (iii) 0.8 · 0.3 = 0.24.\n"
        "Answer: q4.check((0, 0.008, 0.24)). A ReLU unit with z < 0 on every example gets no "
        "gradient at all (it is dead); a leaky one keeps a gradient a times as large as an "
        "active unit would get."
    ),
    success_note="a leaky unit passes a fraction a of the gradient; a ReLU unit passes none.",
)

q5 = ChoiceQuestion(
    "q5",
    "Which statement about Leaky ReLU f(x) = max(0, x) + a·min(0, x) is true? Answer with a "
    "letter, e.g. q5.check('a').",
    options={
        "a": "max(a·x, x) computes it correctly for every a >= 0.",
        "b": "With a = 1 it is the identity, so a network of such layers is only a linear model.",
        "c": "Its derivative at x = 0 is 1 in PyTorch.",
        "d": "A leaky unit can never have z <= 0 on every training example.",
    },
    answer="b",
    feedback={
        "a": "max(a·x, x) is only right for a <= 1: for a = 2 and x = 3 it gives 6, not 3.",
        "c": "PyTorch's derivative at the kink is the slope a (it tests x > 0).",
        "d": "it can, just like a ReLU unit; the difference is that it still gets a gradient "
        "(a times the incoming one), so it can recover.",
    },
    hints=[
        "Try each statement on numbers: a = 2 and x = 3 for (a), a = 1 for (b).",
        "For (d), think of a unit with a large negative bias: being silent is possible; being "
        "stuck is what a leak prevents.",
    ],
    solution_text=(
        "(b). With a = 1, max(0, x) + min(0, x) = x: the activation does nothing, and stacked "
        "linear layers collapse into one linear map. (a) is false for a > 1 (e.g. a = 2, "
        "x = 3 gives 6). (c) is false: PyTorch uses the slope a at 0. (d) is false: a leaky "
        "unit can be silent on all data, but unlike a ReLU unit it still receives a gradient."
    ),
    success_note="a = 0 gives ReLU, a = 1 the identity; useful slopes lie in between.",
)
