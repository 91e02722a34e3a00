"""Exercises for the SiLU and Swish chapter, from "compute by hand" to "implement it stably".

Usage in a notebook::

    from actlib.exercises import silu as ex
    ex.q1.check((0.0, 0.8, 3.0))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit, lambertw, log_expit, ndtr

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["GELU_APPROX_BETA", "q1", "q2", "q3", "q4", "q5"]

_INF, _NAN = np.inf, np.nan

#: x sigma(1.702 x) is a close approximation of GELU (Hendrycks and Gimpel, 2016).
GELU_APPROX_BETA = 1.702


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def swish_grad(x, beta):
    """Derivative of swish(x) = x sigmoid(beta x), elementwise."""
    x = np.asarray(x)
    s = expit(beta * x)  # the gate sigma(beta x), computed stably
    return s + beta * x * s * (1 - s)  # product rule: (x)' s + x (s)'


def swish(x, beta):
    """Numerically stable swish(x) = x sigmoid(beta x), elementwise, for beta >= 0."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    if beta == 0:
        return (x / 2)[()]  # sigma(0) = 1/2 (and 0 * inf would be NaN below)
    t = beta * x
    e = np.exp(-np.abs(t))  # in [0, 1]: never overflows
    finite = np.where(np.isinf(x), 0, x)  # the branch below must not compute inf * 0
    out = np.where(t >= 0, x / (1 + e), finite * e / (1 + e))  # x e^t / (1 + e^t) for t < 0
    return out[()]  # a 0-d array becomes a NumPy scalar; arrays stay arrays


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_swish(x: object, beta: float) -> np.ndarray:
    """x sigma(beta x) through log_expit, which keeps sigma's tiny values; limits at +-inf."""
    x = _f64(x)
    if beta == 0:
        return x / 2
    with np.errstate(all="ignore"):
        out = x * np.exp(log_expit(beta * x))
    return np.where(np.isneginf(x), 0.0, out)


def _true_swish_grad(x: object, beta: float) -> np.ndarray:
    """silu'(t) at t = beta x, written with sigma(-t) instead of 1 - sigma(t)."""
    t = beta * _f64(x)
    return expit(t) + t * expit(t) * expit(-t)


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


def _silu_minimum() -> tuple[float, float]:
    """(x*, SiLU(x*)): at the minimum 1 + e^x = -x, so SiLU(x*) = x* + 1 = -W(1/e)."""
    w = float(lambertw(math.exp(-1.0)).real)
    return -1.0 - w, -w


def _gelu_minimum() -> tuple[float, float]:
    """(x, GELU(x)) where GELU'(x) = Phi(x) + x phi(x) = 0, by bisection (it changes sign)."""
    lo, hi = -1.5, -0.5

    def dgelu(x: float) -> float:
        return float(ndtr(x)) + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi)

    for _ in range(80):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if dgelu(mid) < 0 else (lo, mid)
    x = (lo + hi) / 2
    return x, x * float(ndtr(x))


X_MIN, F_MIN = _silu_minimum()
_B = GELU_APPROX_BETA


# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: compute SiLU(0), SiLU(ln 3) and swish(6) with β = 0, where SiLU(x) = x σ(x) and "
    "swish(x) = x σ(βx). Answer with a tuple of three numbers (you may write ln 3 as "
    "np.log(3)): q1.check((a, b, c)).",
    expected=(0.0, 0.75 * math.log(3), 3.0),
    labels=("SiLU(0)", "SiLU(ln 3)", "swish(6) with beta = 0"),
    rtol=1e-6,
    atol=1e-9,
    mistakes=[
        (
            (0.0, 0.75, 3.0),
            "SiLU(ln 3): 0.75 is σ(ln 3), the gate. SiLU multiplies the gate by the input "
            "itself, x = ln 3.",
        ),
        (
            (0.0, 0.25 * math.log(3), 3.0),
            "SiLU(ln 3): you used σ(−ln 3). With e^(−ln 3) = 1/3, σ(ln 3) = 1 / (1 + 1/3).",
        ),
        (
            (0.5, 0.75 * math.log(3), 3.0),
            "SiLU(0): 1/2 is σ(0), the gate; the gate multiplies the input x = 0.",
        ),
        (
            (0.0, 0.75 * math.log(3), 6.0),
            "swish(6) with β = 0: the gate is σ(0 · 6) = σ(0), which is not 1.",
        ),
        (
            (0.0, 0.75 * math.log(3), 0.0),
            "swish(6) with β = 0: swish tends to ReLU when β grows large, not when β = 0. "
            "With β = 0 the gate σ(0 · x) is the same for every x.",
        ),
    ],
    hints=[
        "SiLU(x) = x · σ(x): first find the gate σ(x), then multiply it by x.",
        "σ(0) = 1/2 and σ(ln 3) = 1 / (1 + e^(−ln 3)) = 1 / (1 + 1/3).",
        "With β = 0, σ(βx) = σ(0) for every x: swish becomes a linear function of x.",
    ],
    solution_text=(
        "SiLU(0) = 0 · σ(0) = 0 · 1/2 = 0.\n"
        "σ(ln 3) = 1 / (1 + 1/3) = 3/4, so SiLU(ln 3) = (3/4) ln 3 ≈ 0.824.\n"
        "With β = 0 the gate is σ(0) = 1/2 for every input, so swish(x) = x/2 and swish(6) = 3.\n"
        "Answer: q1.check((0, 0.75 * np.log(3), 3))."
    ),
    success_note="the gate σ(x) scales the input: 0 stays 0, and β = 0 leaves the line x/2.",
)

q2 = FunctionQuestion(
    "q2",
    "Implement swish_grad(x, beta), the derivative of swish(x) = x σ(βx) with respect to x, "
    "elementwise, for numbers and NumPy arrays and any β ≥ 0. Inputs such as ±1000 must not "
    "cause warnings, float32 input must give float32 output, and x must not be modified. You "
    "may use a stable sigmoid such as scipy.special.expit or actlib.sigmoid.",
    func_name="swish_grad",
    arg_names=("x", "beta"),
    reference=swish_grad,
    expected=_true_swish_grad,
    cases=[
        case(2.0, 1.0),
        case(np.array([-3.0, -1.0, 0.0, 1.0, 2.5]), 1.0),
        case(np.array([-3.0, -1.0, 0.0, 1.0, 2.5]), 2.0),
        case(np.array([-3.0, -1.0, 0.0, 1.0, 2.5]), 0.5),
        case(_f32([-3.0, -1.0, 0.0, 1.0, 2.5]), 1.5),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]]), 1.0),
        case(np.array([-2.0, 0.0, 2.0]), 0.0),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0]), 1.0),
    ],
    rtol=1e-9,
    atol=1e-12,
    mistakes=[
        (
            lambda x, beta: expit(beta * _f64(x)),
            "You returned σ(βx), the gate alone: that is the derivative of the factor x times "
            "the gate. By the product rule, (x · g)' = g + x · g', and the term x · g' is "
            "missing.",
        ),
        (
            lambda x, beta: _true_swish_grad(x, beta) - expit(beta * _f64(x)),
            "You differentiated only the gate: x · (d/dx) σ(βx). By the product rule, "
            "(x · g)' = g + x · g', so the term σ(βx) from differentiating x is missing.",
        ),
        (
            lambda x, beta: expit(beta * _f64(x)) * (1 + _f64(x) * expit(-beta * _f64(x))),
            "The inner derivative is missing: (d/dx) σ(βx) = β σ'(βx) by the chain rule, so "
            "the second term needs a factor β.",
        ),
        (
            lambda x, beta: _true_swish_grad(x, 1.0),
            "Your function ignores β: it returns the derivative of SiLU, x σ(x), for every β.",
        ),
        (
            lambda x, beta: beta * expit(beta * _f64(x)) * expit(-beta * _f64(x)),
            "That is the derivative of the gate σ(βx) alone; swish is x times the gate.",
        ),
        (
            lambda x, beta: _f64(x) * expit(beta * _f64(x)),
            "You returned swish itself; the question asks for its derivative.",
        ),
    ],
    hints=[
        "swish is a product, x · g(x) with the gate g(x) = σ(βx): use the product rule "
        "(x · g)' = 1 · g + x · g'.",
        "The gate's derivative needs the chain rule: g'(x) = β σ'(βx) = β σ(βx)(1 − σ(βx)).",
        "Compute s = expit(beta * x) once, then combine: s + beta * x * s * (1 - s). "
        "float32 stays float32 if beta is a plain Python number.",
    ],
    solution_text=(
        "Write swish(x) = x · g(x) with the gate g(x) = σ(βx). The product rule gives "
        "swish'(x) = g(x) + x g'(x), and the chain rule with σ' = σ(1 − σ) gives "
        "g'(x) = β σ(βx)(1 − σ(βx)). So swish'(x) = σ(βx) + βx σ(βx)(1 − σ(βx)) "
        "= σ(βx)(1 + βx(1 − σ(βx))). With β = 0 it is the constant 1/2; with β = 1 it is "
        "SiLU'(x). (Uses `from scipy.special import expit`: a stable sigmoid, so ±1000 cause "
        "no overflow; for x = −1000, s = 0 and the product is 0.)"
    ),
    template=(
        "def swish_grad(x, beta):\n"
        '    """Derivative of swish(x) = x sigmoid(beta x), elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="product rule and chain rule both right: σ(βx) + βx σ(βx)(1 − σ(βx)).",
)

q3 = NumericQuestion(
    "q3",
    f"Numerically: x σ({_B} x) is a close approximation of GELU. Find the location x_min of "
    f"its minimum and the minimum value, to at least 3 significant digits, e.g. with "
    f"scipy.optimize.brentq on the derivative. Answer with a tuple: q3.check((x_min, f_min)).",
    expected=(X_MIN / _B, F_MIN / _B),
    labels=("x_min", "f_min"),
    rtol=4e-3,
    mistakes=[
        (
            (X_MIN, F_MIN),
            f"these are the location and value of SiLU's minimum (β = 1); the question asks "
            f"about β = {_B}.",
        ),
        (
            (X_MIN * _B, F_MIN * _B),
            "you scaled in the wrong direction. swish_β(x) = SiLU(βx) / β: a larger β squeezes "
            "the curve towards 0 horizontally and vertically.",
        ),
        (
            (X_MIN / _B, F_MIN),
            "x_min is right, but the value of the minimum also depends on β: "
            "swish_β(x) = SiLU(βx) / β.",
        ),
        (
            (F_MIN / _B, X_MIN / _B),
            "you have swapped the two numbers: first the location, then the value.",
        ),
        (
            (-2.399357280515467 / _B, -0.099839320128867),
            "these are the location and value of the smallest slope, the minimum of the "
            "derivative. The minimum of the function is where the derivative is 0.",
        ),
        (
            _gelu_minimum(),
            "these are GELU's own minimum; the question asks about its approximation "
            f"x σ({_B} x), whose minimum is close but not the same.",
        ),
    ],
    hints=[
        "At a minimum the derivative is 0. The derivative of x σ(βx) is actlib.swish_grad(x, "
        f"beta={_B}); it is negative left of the minimum and positive right of it.",
        "scipy.optimize.brentq(f, a, b) finds a root of f between a and b when f(a) and f(b) "
        "have opposite signs: try a = −3 and b = −0.1. Then evaluate the function there.",
        "A shortcut: swish_β(x) = SiLU(βx) / β, so the minimum of swish_β sits at x*/β with "
        "value SiLU(x*)/β, where x* is SiLU's minimum.",
    ],
    solution_text=(
        "The derivative σ(βx)(1 + βx(1 − σ(βx))) changes sign from negative to positive "
        f"between −3 and −0.1, so brentq(lambda x: actlib.swish_grad(x, beta={_B}), -3, -0.1) "
        f"finds x_min ≈ {X_MIN / _B:.4f}, and actlib.swish(x_min, beta={_B}) ≈ "
        f"{F_MIN / _B:.4f}. The same follows from scaling: swish_β(x) = SiLU(βx) / β, so "
        f"x_min = x*/β = {X_MIN:.4f}/{_B} and f_min = SiLU(x*)/β = {F_MIN:.4f}/{_B}. "
        "(GELU's own minimum, about (−0.752, −0.170), is close: the approximation is good but "
        "not exact.)"
    ),
    success_note="a larger β squeezes the dip: its location and depth both scale like 1/β.",
)

q4 = FunctionQuestion(
    "q4",
    "Implement a numerically stable swish(x, beta) = x σ(βx) for numbers and NumPy arrays and "
    "any β ≥ 0, without calling actlib or scipy.special. It must give the right values for "
    "x = ±710, ±1000, ±inf (the limits) and NaN (NaN in, NaN out), also for β = 0, without any "
    "RuntimeWarning; keep float32 as float32 and the input's shape, and never modify x.",
    func_name="swish",
    arg_names=("x", "beta"),
    reference=swish,
    expected=_true_swish,
    cases=[
        case(0.0, 1.0),
        case(np.array([-3.0, -1.0, 0.0, 1.0, 2.5]), 1.0),
        case(np.array([-3.0, -1.0, 0.0, 1.0, 2.5]), 2.0),
        case(_f32([-3.0, -1.0, 0.0, 1.0, 2.5]), 0.5),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]]), 1.0),
        case(np.array([-2.0, 0.0, 2.0]), 0.0),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0]), 1.0),
        case(_f32([-100.0, -20.0, 20.0, 100.0]), 1.0),
        case(np.array([-50.0, -1.0, 1.0, 50.0]), 10.0),
        case(np.array([-_INF, _INF, _NAN]), 1.0),
        case(np.array([-_INF, -1.0, _INF, _NAN]), 0.0),
        case(np.array([-710.0, 710.0]), 1.0),
        case(-1000.0, 1.0),
    ],
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        (
            lambda x, beta: _true_swish(x, 1.0),
            "Your function ignores β: it computes SiLU, x σ(x), for every β.",
        ),
        (
            lambda x, beta: expit(beta * _f64(x)),
            "You returned the gate σ(βx) alone; swish multiplies it by x.",
        ),
        (
            lambda x, beta: -_true_swish(-_f64(x), beta),
            "This looks like x σ(−βx): check the sign in the exponent, σ(t) = 1 / (1 + e^(−t)).",
        ),
        (
            lambda x, beta: _f64(x) if beta == 0 else _true_swish(x, beta),
            "With β = 0 the gate is σ(0) = 1/2 for every x, so swish is x/2, not x.",
        ),
        (
            lambda x, beta: np.maximum(_f64(x), 0.0) if beta == 0 else _true_swish(x, beta),
            "With β = 0 the gate is σ(0) = 1/2 for every x, so swish is x/2; it tends to "
            "ReLU only as β grows large.",
        ),
        (
            lambda x, beta: np.where(np.isneginf(x), _NAN, _true_swish(x, beta)),
            "At x = −inf your formula meets −inf · 0 or −inf / inf, which are NaN in IEEE "
            "arithmetic, but x σ(βx) tends to 0 as x → −inf: handle infinite x separately "
            "(see the hints).",
        ),
        (
            lambda x, beta: np.where(np.isneginf(x), 0.0, _f64(x) * expit(beta * _f64(x))),
            "For very negative βx you lose a tiny but representable result: 1 / (1 + e^(−t)) "
            "rounds to 0 once e^(−t) overflows, although x e^t / (1 + e^t) is still a normal "
            "number. For t < 0 use x e^t / (1 + e^t) with e^t = e^(−|t|).",
        ),
    ],
    hints=[
        "The naive x / (1 + np.exp(-beta * x)) overflows for βx = −1000 (e^1000 = inf). Use the "
        "two forms of the sigmoid, both written with e = np.exp(-np.abs(t)) ≤ 1 and t = βx: "
        "x / (1 + e) for t ≥ 0 and x · e / (1 + e) for t < 0.",
        "np.where(cond, a, b) evaluates BOTH a and b for every element. At x = −inf, e = 0 and "
        "x · e = −inf · 0 = NaN (with a warning), although the limit of x σ(x) is 0: replace "
        "infinite x by 0 in the t < 0 branch, e.g. np.where(np.isinf(x), 0, x).",
        "β = 0 is special: β · inf = 0 · inf is NaN, but swish is simply x/2 there. Return x / 2 "
        "for β = 0 before anything else. Convert with np.asarray(x) and keep float dtypes.",
    ],
    solution_text=(
        "With t = βx and e = exp(−|t|) ∈ [0, 1], which never overflows: for t ≥ 0, "
        "swish = x / (1 + e); for t < 0, multiply the top and bottom of x / (1 + e^(−t)) by "
        "e^t to get x e / (1 + e). Nothing overflows or cancels, and the tiny values for very "
        "negative t (e.g. −710 e^(−710) ≈ −3.2e-306) survive. Two limits need care: x = −inf "
        "would give −inf · 0 = NaN, while x σ(βx) → 0, so that branch uses 0 for infinite x; "
        "and β = 0 gives σ(0) = 1/2, so swish = x/2 (computing β · inf would give NaN)."
    ),
    template=(
        "def swish(x, beta):\n"
        '    """Numerically stable swish(x) = x sigmoid(beta x), elementwise."""\n'
        "    ...  # your code here\n"
    ),
    success_note="your swish is stable for every β ≥ 0, down to the limits at ±inf.",
)

q5 = ChoiceQuestion(
    "q5",
    "In the chapter's experiment, every bias starts at −1, so most pre-activations start "
    "negative. The ReLU network stays stuck, the SiLU network learns. Why? Answer with a "
    "letter, e.g. q5.check('a').",
    options={
        "a": "SiLU's outputs are larger than ReLU's for negative inputs.",
        "b": "SiLU's derivative is not zero for negative inputs (except at the single point "
        "x ≈ −1.28), so gradient still reaches units whose input is negative on every "
        "example.",
        "c": "SiLU's derivative is at most 1, so its gradients cannot explode.",
        "d": "SiLU is monotone, so gradient descent cannot get stuck.",
    },
    answer="b",
    feedback={
        "a": "for x < 0, SiLU(x) = x σ(x) is negative, below ReLU's 0. What matters for "
        "learning is the derivative, not the output.",
        "c": "SiLU's largest slope is about 1.0998, above 1; and exploding gradients are not "
        "the problem of a network stuck at the start.",
        "d": "SiLU is not monotone: it dips to a minimum near x = −1.28 before rising.",
    },
    hints=[
        "Backpropagation multiplies the error signal of a unit by f'(z), its local slope.",
        "What is ReLU'(z) for every z < 0? What is SiLU'(z) at, say, z = −1 or z = −3?",
    ],
    solution_text=(
        "(b). A ReLU unit whose pre-activation is negative on every example has slope 0 on "
        "every example, so no gradient reaches its weights or bias: it is dead. SiLU's slope "
        "for z < 0 is small but non-zero (SiLU'(−1) ≈ 0.072, SiLU'(−3) ≈ −0.088); it is 0 "
        "only at the minimum, z ≈ −1.2785, and tends to 0 as z → −∞. So every unit keeps "
        "learning. (a) is false: SiLU is negative there. (c) is false: the largest slope is "
        "≈ 1.0998. (d) is false: SiLU is not monotone."
    ),
    success_note="a soft gate never fully closes: SiLU units keep a (small) gradient.",
)
