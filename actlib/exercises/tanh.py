"""Exercises for the tanh chapter, from "compute by hand" to "implement it stably".

Usage in a notebook::

    from actlib.exercises import tanh as ex
    ex.q1.check((0.0, 0.6, 0.6))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import numpy as np

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]

_INF, _NAN = np.inf, np.nan


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def tanh_grad(x):
    """Derivative of tanh, elementwise: 4e / (1 + e)^2 with e = exp(-2|x|), no cancellation."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    e = np.exp(-2 * np.abs(x))  # in [0, 1]: never overflows
    return (4 * e / (1 + e) ** 2)[()]  # a 0-d array becomes a NumPy scalar


def tanh(x):
    """Numerically stable tanh, elementwise; keeps float dtypes and never warns."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    u = -2 * np.abs(x)  # u <= 0, so exp(u) is in [0, 1]: no overflow, no inf / inf
    t = -np.expm1(u) / (1 + np.exp(u))  # expm1(u) = e^u - 1 without cancellation near 0
    return np.copysign(t, x)[()]  # tanh is odd: put the sign of x back (NaN stays NaN)


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_tanh(x: object) -> np.ndarray:
    return np.tanh(_f64(x))


def _true_tanh_grad(x: object) -> np.ndarray:
    with np.errstate(over="ignore"):  # cosh overflows to inf exactly where the result is 0
        return 1 / np.cosh(_f64(x)) ** 2


def _expit(x: np.ndarray) -> np.ndarray:
    return np.exp(-np.logaddexp(0.0, -x))


def _same_dtype(x: object) -> np.ndarray:
    """x as an array, keeping its float dtype (as a learner's NumPy code would)."""
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _one_minus_tanh_squared(x: object) -> np.ndarray:
    t = np.tanh(_same_dtype(x))
    return 1 - t**2


def _one_minus_t_times_one_plus_t(x: object) -> np.ndarray:
    t = np.tanh(_same_dtype(x))
    return (1 - t) * (1 + t)


def _all_digits_cancelled(x: object) -> np.ndarray:
    """0 for a tiny x where e^x, e^-x, e^-2|x| and 2 sigmoid(2x) all round to 1: what every
    cancelling formula returns there (the question's tiny cases are chosen this way)."""
    x = _same_dtype(x)
    return np.where(np.abs(x) < np.finfo(x.dtype).eps / 4, 0.0, np.tanh(x)).astype(x.dtype)


def _nan_where_exp_overflows(x: object) -> np.ndarray:
    """The textbook formula's result: NaN (inf / inf) where e^|x| overflows, else right."""
    x = _same_dtype(x)
    limit = np.log(np.finfo(x.dtype).max)
    return np.where(np.abs(x) > limit, np.nan, np.tanh(x))


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


_GRAD_3 = (1 - np.tanh(3.0) ** 2) ** 10  # tanh'(3)^10, the answer to q5's second part

# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: with tanh(x) = (e^x − e^(−x)) / (e^x + e^(−x)) and tanh'(x) = 1 − tanh(x)², "
    "compute tanh(0), tanh(ln 2) and tanh'(ln 2). "
    "Answer with a tuple of three numbers: q1.check((a, b, c)).",
    expected=(0.0, 0.6, 0.64),
    labels=("tanh(0)", "tanh(ln 2)", "tanh'(ln 2)"),
    rtol=1e-6,
    atol=1e-12,
    mistakes=[
        (
            (0.0, 0.6, 0.4),
            "tanh'(ln 2): you computed 1 − tanh(ln 2); the derivative squares tanh first: "
            "1 − tanh(x)².",
        ),
        (
            (0.0, 0.6, 0.36),
            "tanh'(ln 2): you gave tanh(ln 2)² itself; the derivative is 1 minus that.",
        ),
        (
            (0.5, 2 / 3, 2 / 9),
            "these are the sigmoid σ(0), σ(ln 2) and σ'(ln 2). tanh(0) must be 0: tanh is odd "
            "and zero-centred.",
        ),
        (
            (0.0, -0.6, 0.64),
            "tanh(ln 2): the sign is wrong. ln 2 > 0 and tanh is increasing, so tanh(ln 2) is "
            "positive. Check the order e^x − e^(−x) in the numerator.",
        ),
    ],
    hints=[
        "e^0 = 1, e^(ln 2) = 2 and e^(−ln 2) = 1/2: substitute these into the formula.",
        "tanh(ln 2) = (2 − 1/2) / (2 + 1/2), a simple fraction. Then square it and subtract "
        "from 1 for the derivative.",
        "Check yourself: tanh(0) lies halfway between −1 and 1, and tanh'(ln 2) lies between "
        "0 and 1 (the largest slope of tanh is 1, at x = 0).",
    ],
    solution_text=(
        "tanh(0) = (1 − 1) / (1 + 1) = 0.\n"
        "tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = (3/2) / (5/2) = 3/5.\n"
        "tanh'(ln 2) = 1 − (3/5)² = 1 − 9/25 = 16/25.\n"
        "Answer: q1.check((0, 0.6, 0.64)). The same numbers from the sigmoid: "
        "tanh(ln 2) = 2σ(2 ln 2) − 1 = 2σ(ln 4) − 1 = 2 · 4/5 − 1 = 3/5."
    ),
    success_note="tanh(ln 2) = 3/5 and tanh'(ln 2) = 1 − 9/25 = 16/25.",
)

_TANH_GRAD_CANCELS = (
    "1 − tanh(x)² is right on paper, but for large |x| the computed tanh(x) is 1 (or "
    "within a few rounding steps of it), so the subtraction cancels every significant digit "
    "and gives 0 or a value with few correct digits. Use a form that does not subtract from 1, "
    "e.g. with e = exp(−2|x|): tanh'(x) = 4e / (1 + e)²."
)

q2 = FunctionQuestion(
    "q2",
    "Implement tanh_grad(x), the derivative tanh'(x) = 1 − tanh(x)², elementwise, for numbers "
    "and NumPy arrays, accurate to about 9 significant digits even in the tails (x = ±20, ±40: "
    "tiny, but not 0). Large |x| (±1000, ±inf) must give values close to 0 without any "
    "warning, float32 input must give float32 output, and x must not be modified.",
    func_name="tanh_grad",
    arg_names=("x",),
    reference=tanh_grad,
    expected=_true_tanh_grad,
    cases=[
        case(0.0),
        case(np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
        case(_f32([-2.0, -0.5, 0.0, 0.5, 2.0])),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]])),
        case(np.array([-1000.0, -40.0, -20.0, -10.0, 10.0, 20.0, 40.0, 1000.0])),
        case(_f32([-100.0, -40.0, -10.0, 10.0, 40.0, 100.0])),
        case(np.array([-_INF, _INF, _NAN])),
    ],
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        (_one_minus_tanh_squared, _TANH_GRAD_CANCELS),
        (_one_minus_t_times_one_plus_t, _TANH_GRAD_CANCELS),
        (_true_tanh, "You returned tanh(x) itself; the question asks for its derivative."),
        (
            lambda x: 1 - _true_tanh(x),
            "It looks like you computed 1 − tanh(x); the derivative is 1 − tanh(x)².",
        ),
        (
            lambda x: 1 + _true_tanh(x) ** 2,
            "Check the sign: tanh'(x) = 1 − tanh(x)², which is at most 1.",
        ),
        (
            lambda x: 1 / np.cosh(_f64(x)),
            "You computed 1 / cosh(x); the derivative is its square, 1 / cosh(x)².",
        ),
        (
            lambda x: 2 * _expit(2 * _f64(x)) * _expit(-2 * _f64(x)),
            "From tanh(x) = 2σ(2x) − 1 the chain rule gives 2 · σ'(2x) · 2: a factor 2 is missing.",
        ),
        (
            lambda x: _expit(_f64(x)) * _expit(-_f64(x)),
            "That is the sigmoid's derivative σ(x)(1 − σ(x)), not tanh's.",
        ),
    ],
    hints=[
        "tanh'(x) = 1 − tanh(x)² = 1 / cosh(x)². Try 1 - np.tanh(x)**2 at x = 20 first: "
        "np.tanh(20.0) is exactly 1.0, so the result is 0, although the true slope is about "
        "1.7e-17.",
        "Write cosh(x) = e^|x| (1 + e) / 2 with e = exp(−2|x|). Then 1 / cosh(x)² = "
        "4e / (1 + e)²: no subtraction, and e lies in [0, 1], so nothing overflows.",
        "float32 stays float32 if every operand is float32 or a plain Python number: "
        "`4 * e / (1 + e) ** 2` is fine. Convert the input with np.asarray(x) so scalars work.",
    ],
    solution_text=(
        "tanh'(x) = 1 − tanh(x)² = 1 / cosh(x)². The first form cancels for large |x| "
        "(np.tanh(20.0) == 1.0 gives 0 instead of about 1.7e-17); 1 / np.cosh(x)**2 is accurate "
        "but np.cosh overflows (with a warning) for |x| > 710. Factor out e^|x|: cosh(x) = "
        "e^|x| (1 + e) / 2 with e = exp(−2|x|), so tanh'(x) = 4e / (1 + e)². e is in [0, 1]: "
        "no overflow, no subtraction, and ±inf give e = 0, hence 0. For large |x| this is "
        "≈ 4e^(−2|x|), the exponential decay of the tails."
    ),
    template=(
        'def tanh_grad(x):\n    """Derivative of tanh, elementwise."""\n    ...  # your code here\n'
    ),
    success_note="tanh_grad is accurate everywhere, tails included, and stays quiet.",
)

q3 = FunctionQuestion(
    "q3",
    "Implement a numerically stable tanh(x) for numbers and NumPy arrays, from np.exp and "
    "friends (not np.tanh, math.tanh or actlib). It must return the right values for "
    "x = ±1000, ±inf and NaN (NaN in, NaN out) without any RuntimeWarning, be accurate to "
    "about 9 significant digits for tiny x such as 1e-10, keep float32 as float32, keep the "
    "input's shape, and never modify x.",
    func_name="tanh",
    arg_names=("x",),
    reference=tanh,
    expected=_true_tanh,
    cases=[
        case(0.0),
        case(np.array([-3.0, -1.0, 0.0, 1.0, 2.5])),
        case(_f32([-3.0, -1.0, 0.0, 1.0, 2.5])),
        case(np.array([[-0.5, 0.5], [4.0, -4.0]])),
        case(np.array([-1000.0, -710.0, -40.0, 40.0, 710.0, 1000.0])),
        case(_f32([-100.0, -89.0, 89.0, 100.0])),
        case(np.array([-_INF, _INF, _NAN])),
        case(np.array([1e-17, -1e-17, 3e-20])),  # e^x rounds to 1: all digits cancel
        case(_f32([1e-8, -1e-8, 3e-9])),
        case(np.array([1e-10, -1e-10, 3e-8, -2e-6])),  # some digits cancel
        case(-1e-10),
    ],
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        (
            _all_digits_cancelled,
            "Near 0 your result loses its digits: 1 − e^(−2|x|) (or e^x − e^(−x), or "
            "2σ(2x) − 1) subtracts two nearly equal numbers (cancellation), and for tiny x "
            "nothing is left. np.expm1(u) computes e^u − 1 accurately for tiny u.",
        ),
        (
            _nan_where_exp_overflows,
            "e^x and e^(−x) overflow for large |x| (x > 709.78 in float64), and ∞ / ∞ is NaN. "
            "Rewrite the formula with e = exp(−2|x|), which never overflows.",
        ),
        (
            lambda x: np.tanh(np.abs(_f64(x))),
            "The sign is lost: for negative x, tanh(x) = −tanh(|x|) (tanh is odd). Put the "
            "sign of x back, e.g. with np.copysign or np.where.",
        ),
        (
            lambda x: np.tanh(_f64(x) / 2),
            "This looks like tanh(x/2): in the stable form the exponent is −2|x|, not −|x|.",
        ),
        (
            lambda x: -np.tanh(_f64(x)),
            "This is −tanh(x): check the order of the subtraction, (1 − e) / (1 + e) with "
            "e = exp(−2|x|), times the sign of x.",
        ),
    ],
    hints=[
        "Divide the top and bottom of (e^x − e^(−x)) / (e^x + e^(−x)) by e^x: for x ≥ 0, "
        "tanh(x) = (1 − e) / (1 + e) with e = exp(−2x), which is in [0, 1]. For x < 0 use "
        "tanh(x) = −tanh(−x).",
        "That form still cancels near 0: for x = 1e-10, 1 − e subtracts two numbers that agree "
        "in their first 10 digits. np.expm1(u) = e^u − 1 without cancellation, so "
        "1 − e = −np.expm1(−2|x|).",
        "np.copysign(t, x) gives t the sign of x and passes NaN through. Convert the input with "
        "np.asarray(x) so scalars work, and keep float dtypes as they are.",
    ],
    solution_text=(
        "Divide the top and bottom by e^|x|: tanh(|x|) = (1 − e) / (1 + e) with "
        "e = exp(−2|x|) in [0, 1], so nothing overflows and the denominator is in [1, 2]: no "
        "∞ / ∞. The numerator 1 − e cancels for tiny |x|, so compute it as −expm1(−2|x|). "
        "tanh is odd, so copy the sign of x onto the result. ±inf give e = 0, hence ±1; NaN "
        "stays NaN. np.tanh (and actlib.tanh) do all this for you."
    ),
    template=(
        'def tanh(x):\n    """Numerically stable tanh, elementwise."""\n    ...  # your code here\n'
    ),
    success_note="your tanh is stable: no overflow, no NaN, and full precision near 0.",
)

q4 = NumericQuestion(
    "q4",
    "In a network: a tanh unit computes y = tanh(w·x + b) with w = 1.5 and b = −0.5. Find a, c, "
    "w' and b' such that the sigmoid unit a·σ(w'·x + b') + c gives exactly the same output y "
    "for every x. Answer with a tuple: q4.check((a, c, w_prime, b_prime)).",
    expected=(2.0, -1.0, 3.0, -1.0),
    labels=("a", "c", "w'", "b'"),
    rtol=1e-9,
    mistakes=[
        (
            (2.0, -1.0, 1.5, -0.5),
            "tanh(z) = 2σ(2z) − 1 doubles the whole argument z = w·x + b, so both w and b "
            "are doubled.",
        ),
        (
            (2.0, -1.0, 3.0, -0.5),
            "you doubled w but not b: the identity doubles the whole argument, 2(w·x + b).",
        ),
        (
            (0.5, 0.5, 0.75, -0.25),
            "that is the reverse identity σ(z) = (tanh(z/2) + 1) / 2, which writes a sigmoid "
            "as a tanh. Here a tanh must be written with a sigmoid.",
        ),
        (
            (2.0, 1.0, 3.0, -1.0),
            "c: check the shift. The sigmoid's range (0, 1) must be stretched to (0, 2) and then "
            "moved to (−1, 1).",
        ),
        (
            (1.0, 0.0, 3.0, -1.0),
            "a and c: σ has the range (0, 1), tanh has (−1, 1), so the output must be "
            "stretched and shifted.",
        ),
    ],
    hints=[
        "Use the identity tanh(z) = 2σ(2z) − 1 with z = w·x + b.",
        "2σ(2z) − 1 = 2σ(2w·x + 2b) − 1: read off a, c, w' and b'.",
    ],
    solution_text=(
        "tanh(z) = 2σ(2z) − 1 for every z. With z = 1.5x − 0.5: "
        "tanh(1.5x − 0.5) = 2σ(3x − 1) − 1, so a = 2, c = −1, w' = 3, b' = −1. "
        "Answer: q4.check((2, -1, 3, -1)). In a network, the scale a and shift c are absorbed "
        "by the next layer's weights and biases: tanh and sigmoid networks can represent "
        "exactly the same functions, and they differ in how easily gradient descent finds them."
    ),
    success_note="tanh(1.5x − 0.5) = 2σ(3x − 1) − 1: a sigmoid in disguise, scaled and shifted.",
)

q5 = NumericQuestion(
    "q5",
    "In a network: a gradient flows backwards through 10 stacked tanh layers, each a single "
    "unit with weight 1, so the chain rule multiplies it by one factor tanh'(·) per layer. "
    "(1) What is the largest possible value of this product of 10 factors? "
    "(2) What is the product when every unit's input is 3 (a saturated unit)? "
    "Answer with a tuple: q5.check((largest, at_three)); you may compute (2) with NumPy.",
    expected=(1.0, _GRAD_3),
    labels=("the largest product", "the product at input 3"),
    rtol=1e-6,
    mistakes=[
        (
            (0.25**10, _GRAD_3),
            "the largest product: (1/4)^10 belongs to the sigmoid, whose largest slope is 1/4. "
            "tanh's largest slope is 4 times larger.",
        ),
        (
            (1.0, np.tanh(3.0) ** 10),
            "the product at input 3: you multiplied the values tanh(3); the chain rule "
            "multiplies the derivatives tanh'(3) = 1 − tanh(3)².",
        ),
        (
            (1.0, 1 - np.tanh(3.0) ** 2),
            "the product at input 3: that is a single factor tanh'(3); there are 10 of them.",
        ),
        (
            (1.0, (4 * np.exp(-6.0)) ** 10),
            "the product at input 3: you used the tail approximation tanh'(x) ≈ 4e^(−2|x|), "
            "which is about 0.5% off at x = 3, and 10 factors multiply the error. Use the exact "
            "tanh'(3) = 1 − tanh(3)².",
        ),
        (
            (10.0, _GRAD_3),
            "the largest product: you added 10 factors; the chain rule multiplies them.",
        ),
    ],
    hints=[
        "tanh'(x) = 1 − tanh(x)² is at most 1, at x = 0. What is a product of 10 factors, each "
        "at most 1?",
        "For (2) every factor is tanh'(3) = 1 − np.tanh(3)**2; raise it to the 10th power.",
    ],
    solution_text=(
        "Each factor tanh'(z) = 1 − tanh(z)² is at most tanh'(0) = 1, so the product is at most "
        "1^10 = 1, reached when every unit sits at z = 0: unlike the sigmoid ((1/4)^10), tanh "
        "does not shrink the gradient there. But a saturated unit does: tanh'(3) ≈ 0.0099, and "
        "(1 − np.tanh(3)**2)**10 ≈ 8.7e-21. Answer: q5.check((1, (1 - np.tanh(3)**2)**10)). "
        "tanh still saturates, so it does not solve the vanishing gradient problem."
    ),
    success_note="at best tanh passes the gradient unchanged; saturated, it kills it.",
)

q6 = ChoiceQuestion(
    "q6",
    "Which statement about tanh is true? Answer with a letter, e.g. q6.check('a').",
    options={
        "a": "tanh is the tangent function tan, rescaled to fit into [−1, 1].",
        "b": "Because its outputs are zero-centred, tanh does not suffer from vanishing gradients.",
        "c": "tanh(x) = 2σ(2x) − 1, and its largest slope is 4 times the sigmoid's.",
        "d": "tanh'(x) = 1 − tanh(x), which is largest at x = 0.",
    },
    answer="c",
    feedback={
        "a": "tanh is the hyperbolic tangent sinh(x) / cosh(x), not a rescaled tan (which is "
        "periodic and unbounded). The two are linked through complex numbers: "
        "tanh(x) = −i·tan(ix).",
        "b": "tanh saturates on both sides like the sigmoid: tanh'(x) ≈ 4e^(−2|x|) for large "
        "|x|, so saturated units still block the gradient.",
        "d": "the derivative is 1 − tanh(x)², not 1 − tanh(x).",
    },
    hints=[
        "Two of the statements repeat common mistakes about tanh; one has a wrong formula.",
        "Differentiate 2σ(2x) − 1 with the chain rule and evaluate at x = 0.",
    ],
    solution_text=(
        "(c). tanh(x) = 2σ(2x) − 1, so tanh'(x) = 4σ'(2x), and tanh'(0) = 4 · 1/4 = 1. "
        "(a) is false: tanh = sinh / cosh, and tanh(x) = −i·tan(ix). (b) is false: tanh "
        "saturates on both sides. (d) is false: tanh'(x) = 1 − tanh(x)²."
    ),
    success_note="tanh is a scaled and shifted sigmoid, 4 times steeper at its centre.",
)
