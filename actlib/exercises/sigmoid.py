"""Exercises for the sigmoid chapter, from "compute by hand" to "implement it stably".

Usage in a notebook::

    from actlib.exercises import sigmoid as ex
    ex.q1.check((0.5, 0.7, 0.3))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import numpy as np
from scipy.special import expit

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]

_INF, _NAN = np.inf, np.nan


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def sigmoid_grad(x):
    """Derivative of the sigmoid, elementwise: s * (1 - s) with s = sigmoid(x)."""
    s = expit(x)  # a stable sigmoid: never overflows, keeps float32 as float32
    return s * (1 - s)


def sigmoid(x):
    """Numerically stable sigmoid, elementwise; keeps float dtypes and never warns."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    e = np.exp(-np.abs(x))  # exp only sees -|x| <= 0, so e is in [0, 1]: no overflow
    out = np.where(x >= 0, 1 / (1 + e), e / (1 + e))  # no subtraction: no cancellation
    return out[()]  # a 0-d array becomes a NumPy scalar; arrays stay arrays


def bce_with_logits(z, y):
    """Binary cross-entropy from a logit z and a label y, elementwise and stable."""
    # loss = softplus(z) - y*z, with softplus(z) = max(z, 0) + log1p(exp(-|z|))
    return np.maximum(z, 0) - y * z + np.log1p(np.exp(-np.abs(z)))


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_sigmoid(x: object) -> np.ndarray:
    return expit(_f64(x))


def _true_sigmoid_grad(x: object) -> np.ndarray:
    x = _f64(x)
    return expit(x) * expit(-x)  # accurate in the tails too


def _softplus(x: np.ndarray) -> np.ndarray:
    return np.logaddexp(0.0, x)


def _true_bce(z: object, y: object) -> np.ndarray:
    z, y = _f64(z), _f64(y)
    return y * _softplus(-z) + (1 - y) * _softplus(z)  # = softplus(z) - y*z, no cancellation


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: with σ(x) = 1 / (1 + e^(−x)), compute σ(0), σ(ln 3) and σ(−ln 3). "
    "Answer with a tuple of three numbers: q1.check((a, b, c)).",
    expected=(0.5, 0.75, 0.25),
    labels=("sigmoid(0)", "sigmoid(ln 3)", "sigmoid(-ln 3)"),
    rtol=1e-6,
    mistakes=[
        (
            (0.5, 0.25, 0.75),
            "your last two values are swapped. ln 3 > 0 and the sigmoid is increasing, so "
            "σ(ln 3) must be above σ(0). Did you use e^(+x) instead of e^(−x)?",
        )
    ],
    hints=[
        "e^0 = 1 and e^(−ln 3) = 1/3: substitute these into 1 / (1 + e^(−x)).",
        "σ(ln 3) = 1 / (1 + 1/3). For σ(−ln 3), e^(ln 3) = 3, "
        "or use the symmetry σ(−x) = 1 − σ(x).",
        "Check yourself: σ(ln 3) + σ(−ln 3) must equal 1, and σ(0) lies halfway between them.",
    ],
    solution_text=(
        "σ(0) = 1 / (1 + e^0) = 1/2.\n"
        "σ(ln 3) = 1 / (1 + e^(−ln 3)) = 1 / (1 + 1/3) = 3/4.\n"
        "σ(−ln 3) = 1 / (1 + e^(ln 3)) = 1 / (1 + 3) = 1/4, which is also 1 − σ(ln 3).\n"
        "Answer: q1.check((0.5, 0.75, 0.25)).\n"
        "In general σ(x) = p exactly when x = ln(p / (1 − p)), the log-odds: "
        "odds of 3 to 1 give p = 3/4."
    ),
    success_note="σ(0) = 1/2, and σ(±ln 3) = 3/4 and 1/4 add up to 1, as σ(−x) = 1 − σ(x).",
)

q2 = FunctionQuestion(
    "q2",
    "Implement sigmoid_grad(x), the derivative σ'(x) = σ(x)(1 − σ(x)), elementwise, for "
    "numbers and NumPy arrays. Large |x| (±40, ±1000, ±inf) must give values close to 0 "
    "without any warning, float32 input must give float32 output, and x must not be modified. "
    "You may use a stable sigmoid such as scipy.special.expit or actlib.sigmoid.",
    func_name="sigmoid_grad",
    arg_names=("x",),
    reference=sigmoid_grad,
    expected=_true_sigmoid_grad,
    cases=[
        case(0.0),
        case(np.array([-2.0, -0.5, 0.0, 0.5, 2.0])),
        case(_f32([-2.0, -0.5, 0.0, 0.5, 2.0])),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]])),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0])),
        case(_f32([-100.0, -40.0, 40.0, 100.0])),
        case(np.array([-_INF, _INF, _NAN])),
    ],
    rtol=1e-9,
    atol=1e-12,
    mistakes=[
        (_true_sigmoid, "You returned σ(x) itself; the question asks for its derivative."),
        (
            lambda x: _f64(x) * (1 - _f64(x)),
            "It looks like you computed x(1 − x): the formula s(1 − s) applies to s = σ(x).",
        ),
        (
            lambda x: _true_sigmoid(x) * (1 + _true_sigmoid(x)),
            "Check the sign inside the product: σ'(x) = σ(x)(1 − σ(x)).",
        ),
    ],
    hints=[
        "First compute s = σ(x) with a stable sigmoid (scipy.special.expit), then combine s.",
        "σ'(x) = s(1 − s). Writing it as e^(−x) / (1 + e^(−x))^2 overflows for x = −1000 "
        "(inf / inf = NaN), so build it from s instead.",
        "float32 stays float32 if every operand is float32 or a plain Python number: "
        "`1 - s` is fine, `np.float64(1) - s` is not.",
    ],
    solution_text=(
        "Differentiate σ(x) = (1 + e^(−x))^(−1): σ'(x) = e^(−x) / (1 + e^(−x))^2 "
        "= σ(x) · e^(−x) / (1 + e^(−x)) = σ(x)(1 − σ(x)). Computing it from a stable "
        "s = σ(x) never overflows: for large |x|, s is 0 or 1 and the product is 0. "
        "(Uses `from scipy.special import expit`.) For very accurate tails, "
        "s * expit(-x) avoids the rounding in 1 − s when s is close to 1."
    ),
    template=(
        "def sigmoid_grad(x):\n"
        '    """Derivative of the sigmoid, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="sigmoid_grad is right, keeps float32, and stays quiet for huge inputs.",
)

q3 = FunctionQuestion(
    "q3",
    "Implement a numerically stable sigmoid(x) for numbers and NumPy arrays. It must return "
    "the right values for x = −1000, 1000, −inf, inf and NaN (NaN in, NaN out) without any "
    "RuntimeWarning, keep float32 as float32, keep the input's shape, and never modify x.",
    func_name="sigmoid",
    arg_names=("x",),
    reference=sigmoid,
    expected=_true_sigmoid,
    cases=[
        case(0.0),
        case(np.array([-3.0, -1.0, 0.0, 1.0, 2.5])),
        case(_f32([-3.0, -1.0, 0.0, 1.0, 2.5])),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]])),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0])),
        case(_f32([-100.0, -20.0, 20.0, 100.0])),
        case(np.array([-_INF, _INF, _NAN])),
        case(-1000.0),
    ],
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        (
            lambda x: _true_sigmoid(-_f64(x)),
            "This looks like σ(−x): check the sign in the exponent, σ(x) = 1 / (1 + e^(−x)).",
        ),
        (
            lambda x: 1 - _true_sigmoid(-_f64(x)),
            "It looks like you computed 1 − σ(−x) for negative x. When σ(−x) is very close "
            "to 1, that subtraction cancels every significant digit (catastrophic "
            "cancellation). For x < 0, use e^x / (1 + e^x) instead.",
        ),
    ],
    hints=[
        "The naive 1 / (1 + np.exp(-x)) overflows for x = −1000: e^1000 = inf. "
        "The value is still right (1/inf = 0), but the warning shows a real problem.",
        "For x < 0, multiply the top and bottom by e^x: σ(x) = e^x / (1 + e^x). Now the "
        "exponent is negative. With e = np.exp(-np.abs(x)), both forms use only e, and e ≤ 1.",
        "np.where(cond, a, b) evaluates BOTH a and b for every element, so each branch must be "
        "safe for every x; np.exp(-np.abs(x)) is. Convert the input with np.asarray(x) so "
        "scalars work, and keep float dtypes as they are.",
    ],
    solution_text=(
        "Compute e = exp(−|x|), which is in [0, 1] and can never overflow. For x ≥ 0, "
        "σ(x) = 1 / (1 + e); for x < 0, σ(x) = e^x / (1 + e^x) = e / (1 + e). Neither form "
        "subtracts, so nothing cancels, and NaN propagates because exp(NaN) is NaN. "
        "±inf give e = 0, hence exactly 1 and 0. scipy.special.expit (and actlib.sigmoid) "
        "do this for you."
    ),
    template=(
        "def sigmoid(x):\n"
        '    """Numerically stable sigmoid, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note=(
        "your sigmoid is stable: exp never sees a large positive number and nothing cancels."
    ),
)

q4 = NumericQuestion(
    "q4",
    "In a network: a gradient flows backwards through 10 stacked sigmoid layers, each a single "
    "unit with weight 1. By the chain rule it is multiplied by one sigmoid derivative σ' per "
    "layer. What is the largest possible value of this product of 10 factors, i.e. the largest "
    "factor by which the sigmoids can scale the gradient? Answer with a single number.",
    expected=0.25**10,
    labels=("the largest scaling factor",),
    rtol=1e-6,
    mistakes=[
        (
            0.25,
            "that is the largest slope of a single sigmoid. The gradient passes through 10 of "
            "them, and the chain rule multiplies one factor per layer.",
        ),
        (2.5, "you added the 10 factors; the chain rule multiplies derivatives."),
        (
            0.5**10,
            "you used σ(0) = 1/2, the sigmoid's value, instead of its largest slope.",
        ),
        (0.25**9, "count the factors again: one σ' per layer, 10 layers."),
        (0.25**11, "count the factors again: one σ' per layer, 10 layers."),
        (
            4.0**10,
            "that is the reciprocal. Sigmoid layers shrink the gradient, so the factor is below 1.",
        ),
    ],
    hints=[
        "First find the largest value of σ'(x) = σ(x)(1 − σ(x)), and where it is reached.",
        "s(1 − s) is a downward parabola in s, largest at s = 1/2, that is at x = 0.",
        "With weights 1, each layer contributes exactly one factor σ'(·) to the product, "
        "and each factor is at most its maximum.",
    ],
    solution_text=(
        "σ'(x) = σ(x)(1 − σ(x)) is largest when σ(x) = 1/2, at x = 0, where it equals 1/4. "
        "Backpropagation multiplies the gradient by w · σ'(·) = σ'(·) ≤ 1/4 at every layer, "
        "so after 10 layers the factor is at most (1/4)^10 = 2^(−20) ≈ 9.5e-7: the gradient "
        "shrinks about a million-fold. Answer: q4.check(0.25**10). This is the vanishing "
        "gradient problem of deep sigmoid networks."
    ),
    success_note="(1/4)^10 ≈ 1e-6: ten sigmoid layers shrink a gradient at least a million-fold.",
)

q5 = FunctionQuestion(
    "q5",
    "Implement bce_with_logits(z, y): the binary cross-entropy "
    "−[y log σ(z) + (1 − y) log(1 − σ(z))] computed directly from the logit z, for labels "
    "y in {0, 1}, elementwise (no averaging). It must be stable: z = ±1000 must give the right "
    "finite loss without any warning. Keep float32 as float32 and modify neither z nor y.",
    func_name="bce_with_logits",
    arg_names=("z", "y"),
    reference=bce_with_logits,
    expected=_true_bce,
    cases=[
        case(0.0, 1.0),
        case(np.array([-2.0, -2.0, 0.5, 0.5, 3.0, 3.0]), np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])),
        case(_f32([-2.0, -2.0, 0.5, 0.5, 3.0, 3.0]), _f32([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])),
        case(
            np.array([-1000.0, -1000.0, -40.0, -40.0, 40.0, 40.0, 1000.0, 1000.0]),
            np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]),
        ),
        case(_f32([-100.0, -100.0, 100.0, 100.0]), _f32([0.0, 1.0, 0.0, 1.0])),
    ],
    rtol=1e-9,
    atol=1e-12,
    mistakes=[
        (
            lambda z, y: _softplus(_f64(z)) - (1 - _f64(y)) * _f64(z),
            "It looks like the labels are swapped: with y = 1 the loss must be small when z "
            "is large and positive (a confident, right prediction).",
        ),
        (
            lambda z, y: _softplus(_f64(z)) + _f64(y) * _f64(z),
            "Check the sign of the y·z term: loss = softplus(z) − y·z.",
        ),
    ],
    hints=[
        "Simplify before coding: log σ(z) = −softplus(−z) and log(1 − σ(z)) = −softplus(z), "
        "with softplus(z) = log(1 + e^z). Together: loss = softplus(z) − y·z.",
        "Never compute σ(z) and then take its log: σ(−1000) is 0 in floating point and "
        "log(0) = −inf.",
        "log(1 + e^z) overflows for large z if written directly. Use "
        "max(z, 0) + log1p(e^(−|z|)), or np.logaddexp(0, z).",
    ],
    solution_text=(
        "With p = σ(z): log p = −log(1 + e^(−z)) = −softplus(−z), and "
        "log(1 − p) = −softplus(z). So loss = y·softplus(−z) + (1 − y)·softplus(z), and since "
        "softplus(−z) = softplus(z) − z, loss = softplus(z) − y·z. Compute softplus stably as "
        "max(z, 0) + log1p(exp(−|z|)): exp only sees −|z| ≤ 0. This is what "
        "torch.nn.functional.binary_cross_entropy_with_logits does (plus averaging)."
    ),
    template=(
        "def bce_with_logits(z, y):\n"
        '    """Binary cross-entropy from logits, elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="your loss is exact and stable, even for logits of ±1000.",
)

q6 = ChoiceQuestion(
    "q6",
    "Which statement about the sigmoid is true? Answer with a letter, e.g. q6.check('a').",
    options={
        "a": "Its outputs are zero-centred, which helps gradient descent.",
        "b": "Its derivative is largest at x = 0, where it equals 1/4.",
        "c": "It is not differentiable at x = 0.",
        "d": "σ(−x) = −σ(x) for every x.",
    },
    answer="b",
    feedback={
        "a": "σ(x) lies in (0, 1), so its outputs are always positive; tanh is zero-centred.",
        "c": "the sigmoid is smooth everywhere; the kink at 0 belongs to ReLU.",
        "d": "the sigmoid is not odd; its symmetry is σ(−x) = 1 − σ(x).",
    },
    hints=[
        "Picture the S-curve: what range do its values cover, and where is it steepest?",
        "Use σ'(x) = σ(x)(1 − σ(x)) and the symmetry σ(−x) = 1 − σ(x).",
    ],
    solution_text=(
        "(b). σ'(x) = σ(x)(1 − σ(x)) is largest where σ(x) = 1/2, at x = 0, and equals 1/4 "
        "there. (a) is false: the outputs lie in (0, 1), all positive. (c) is false: the "
        "sigmoid is infinitely differentiable. (d) is false: σ(−x) = 1 − σ(x)."
    ),
    success_note="the slope peaks at x = 0 with value 1/4, which is why deep sigmoid stacks "
    "shrink gradients.",
)
