"""Exercises for the SELU chapter, from "compute by hand" to "one step of the variance map".

Usage in a notebook::

    from actlib.exercises import selu as ex
    ex.q1.check((2.1014, -0.879, -1.7581))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from actlib.exercises.checker import ChoiceQuestion, FunctionQuestion, NumericQuestion, case

__all__ = ["ALPHA", "LAMBDA", "q1", "q2", "q3", "q4", "q5", "q6"]

#: The SELU constants (Klambauer et al., 2017), to full float64 precision, as in PyTorch.
LAMBDA = 1.0507009873554805
ALPHA = 1.6732632423543772

_INF, _NAN = np.inf, np.nan
_LA = LAMBDA * ALPHA  # the negative saturation value is -LAMBDA * ALPHA


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below, not against these.


def selu_grad(x):
    """Derivative of SELU, elementwise: LAMBDA for x > 0, LAMBDA * ALPHA * exp(x) for x <= 0."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    left = LAMBDA * ALPHA * np.exp(np.minimum(x, 0))  # exp only sees x <= 0: no overflow
    out = np.where(x > 0, LAMBDA, left)  # x = 0 takes the x <= 0 branch, as in PyTorch
    return out.astype(x.dtype)[()]  # keep float32; a 0-d array becomes a scalar


def selu(x):
    """Numerically stable SELU, elementwise; keeps float dtypes and never warns."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers and booleans become float64
    left = ALPHA * np.expm1(np.minimum(x, 0))  # no overflow, and no cancellation near 0
    out = LAMBDA * np.where(x > 0, x, left)
    return out.astype(x.dtype)[()]  # keep float32; a 0-d array becomes a scalar


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _elu(x: object, alpha: float) -> np.ndarray:
    x = _f64(x)
    with np.errstate(all="ignore"):
        return np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0))


def _true_selu(x: object) -> np.ndarray:
    return LAMBDA * _elu(x, ALPHA)


def _true_selu_grad(x: object) -> np.ndarray:
    x = _f64(x)
    return np.where(x > 0, LAMBDA, _LA * np.exp(np.minimum(x, 0.0)))


def _split(x: object, right: object, left: object) -> np.ndarray:
    """``right`` where x > 0, ``left`` where x <= 0: builds the typical wrong answers."""
    return np.where(_f64(x) > 0, right, left)


def _f32(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


_AROUND_ZERO = [-3.0, -1.0, -0.5, 0.0, 0.5, 2.0]
_CONSTANTS = (
    "Use the constants to full precision: LAMBDA = 1.0507009873554805 and "
    "ALPHA = 1.6732632423543772 (also actlib.functional.SELU_SCALE and SELU_ALPHA)."
)

# ----------------------------------------------------------------------------- questions

q1 = NumericQuestion(
    "q1",
    "By hand: with λ ≈ 1.0507 and α ≈ 1.6733, compute SELU(2), SELU(−ln 2), and the value "
    "SELU(x) approaches as x → −∞. Answer with a tuple of three numbers: "
    "q1.check((a, b, c)); 3 significant digits are enough.",
    expected=(2 * LAMBDA, -_LA / 2, -_LA),
    labels=("SELU(2)", "SELU(-ln 2)", "the limit as x -> -inf"),
    rtol=1e-3,
    mistakes=[
        (
            (2.0, -ALPHA / 2, -ALPHA),
            "these are ELU values with α ≈ 1.6733: SELU multiplies both pieces by the scale λ.",
        ),
        (
            (2 * LAMBDA, -ALPHA / 2, -ALPHA),
            "the scale λ multiplies the negative piece too: SELU(x) = λα(e^x − 1) for x ≤ 0.",
        ),
        (
            (2 * LAMBDA, -LAMBDA / 2, -LAMBDA),
            "you left out α: for x ≤ 0, SELU(x) = λα(e^x − 1).",
        ),
        (
            (_LA * math.expm1(2.0), -LAMBDA * math.log(2.0), -_INF),
            "you swapped the two regions: SELU is λx for x > 0 and λα(e^x − 1) for x ≤ 0.",
        ),
        (
            (2 * LAMBDA, _LA / 2, _LA),
            "check the signs: for x < 0, e^x − 1 is negative, so SELU(x) is negative.",
        ),
        (
            (2 * LAMBDA, _LA / 2, 0.0),
            "you computed λα e^x and forgot the − 1: SELU(x) = λα(e^x − 1) for x ≤ 0.",
        ),
    ],
    hints=[
        "2 > 0 is in the linear region; −ln 2 < 0 is in the exponential region.",
        "e^(−ln 2) = 1/2, so e^x − 1 = −1/2 there. Then multiply by λα ≈ 1.7581.",
        "As x → −∞, e^x → 0, so λα(e^x − 1) → −λα: SELU is bounded below.",
    ],
    solution_text=(
        "SELU(2) = λ·2 ≈ 2.1014 (linear region).\n"
        "SELU(−ln 2) = λα(e^(−ln 2) − 1) = λα(1/2 − 1) = −λα/2 ≈ −0.8790.\n"
        "As x → −∞, e^x → 0 and SELU(x) → −λα ≈ −1.7581: SELU saturates there.\n"
        "Answer: q1.check((2.1014, -0.8790, -1.7581))."
    ),
    success_note="SELU is λx on the right and saturates at −λα ≈ −1.7581 on the left.",
)

q2 = FunctionQuestion(
    "q2",
    "Implement selu_grad(x), the derivative of SELU, elementwise, for numbers and NumPy "
    "arrays: λ for x > 0 and λα e^x for x ≤ 0 (so at x = 0 it returns λα, PyTorch's "
    "convention). Large |x| (±1000, ±inf) must work without any warning, NaN gives NaN, "
    "float32 input must give float32 output, and x must not be modified. " + _CONSTANTS,
    func_name="selu_grad",
    arg_names=("x",),
    reference=selu_grad,
    expected=_true_selu_grad,
    cases=[
        case(np.array([-3.0, -1.0, -0.5, 0.5, 2.0])),
        case(0.0),
        case(_f32([-3.0, -1.0, 0.0, 0.5, 2.0])),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]])),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0])),
        case(_f32([-100.0, -20.0, 20.0, 100.0])),
        case(np.array([-_INF, _INF, _NAN])),
    ],
    rtol=1e-9,
    atol=1e-15,  # accepts SELU(x) + λα, which is 0 instead of ~1e-17 for x = -40
    mistakes=[
        (
            lambda x: np.where(_f64(x) >= 0, LAMBDA, _LA * np.exp(np.minimum(_f64(x), 0))),
            "At x = 0 the one-sided slopes differ (λα on the left, λ on the right). "
            "This question uses PyTorch's convention: x = 0 belongs to the x ≤ 0 "
            "branch, so the derivative there is λα.",
        ),
        (
            lambda x: _split(x, _LA * np.exp(np.minimum(_f64(x), 709.0)), LAMBDA),
            "It looks like the two regions are swapped: SELU is λx for x > 0 (slope λ) and "
            "λα(e^x − 1) for x ≤ 0 (slope λα e^x).",
        ),
        (
            _true_selu,
            "You returned SELU itself; the question asks for its derivative.",
        ),
        (
            lambda x: _split(x, 1.0, ALPHA * np.exp(np.minimum(_f64(x), 0))),
            "You left out the scale λ: SELU = λ·ELU_α, so every slope is multiplied by λ.",
        ),
        (
            lambda x: _split(x, LAMBDA, ALPHA * np.exp(np.minimum(_f64(x), 0))),
            "The slope for x ≤ 0 is λα e^x: you left out the factor λ there.",
        ),
        (
            lambda x: _split(x, LAMBDA, LAMBDA * np.exp(np.minimum(_f64(x), 0))),
            "The slope for x ≤ 0 is λα e^x: you left out the factor α.",
        ),
        (
            lambda x: _true_selu(x) + _LA,
            "SELU(x) + λα equals the slope only for x ≤ 0; for x > 0 the slope is λ.",
        ),
        (
            lambda x: _split(x, 1.0, np.exp(np.minimum(_f64(x), 0))),
            "That is the derivative of ELU with α = 1: SELU's slopes are λ and λα e^x.",
        ),
    ],
    hints=[
        "Differentiate each piece: d/dx λx = λ, and d/dx λα(e^x − 1) = λα e^x. "
        "Then pick the piece by the sign of x.",
        "np.where(cond, a, b) evaluates BOTH a and b for every element, so np.exp(x) "
        "overflows for x = 1000 even though that value is then thrown away. Take the "
        "exponential of np.minimum(x, 0) instead: it never sees a positive number.",
        "x = 0 must take the x ≤ 0 branch (use the condition x > 0 for the slope-λ branch). "
        "To keep float32, convert with np.asarray(x) and do not mix in float64 arrays. "
        + _CONSTANTS,
    ],
    solution_text=(
        "For x > 0, SELU(x) = λx has slope λ ≈ 1.0507. For x ≤ 0, d/dx λα(e^x − 1) = λα e^x, "
        "which is also SELU(x) + λα, so a network can reuse the forward output. At x = 0 the "
        "slope is λα ≈ 1.7581 from the left and λ from the right; PyTorch returns λα (the "
        "x ≤ 0 branch). np.where evaluates both branches everywhere, so the exponential is "
        "taken of min(x, 0) ≤ 0: it lies in [0, 1] and never overflows; exp(−inf) = 0 and "
        "exp(NaN) = NaN."
    ),
    template=(
        'def selu_grad(x):\n    """Derivative of SELU, elementwise."""\n    ...  # your code here\n'
    ),
    success_note="selu_grad is right, takes λα at the kink, keeps float32 and never overflows.",
)

q3 = FunctionQuestion(
    "q3",
    "Implement a numerically stable selu(x) for numbers and NumPy arrays, without calling "
    "actlib or torch. It must be accurate to full precision for tiny negative x (such as "
    "−1e-10), work without any RuntimeWarning for x = ±1000, ±inf and NaN (NaN in, NaN out), "
    "keep float32 as float32, keep the input's shape, and never modify x. " + _CONSTANTS,
    func_name="selu",
    arg_names=("x",),
    reference=selu,
    expected=_true_selu,
    cases=[
        case(0.5),
        case(np.array(_AROUND_ZERO)),
        case(_f32(_AROUND_ZERO)),
        case(np.array([[-1.0, 1.0], [3.0, -3.0]])),
        case(np.array([-1e-5, -1e-10, -1e-15])),
        case(_f32([-1e-3, -1e-6, -1e-10])),
        case(np.array([-1000.0, -40.0, 40.0, 1000.0])),
        case(_f32([-100.0, -20.0, 20.0, 100.0])),
        case(np.array([-_INF, _INF, _NAN])),
    ],
    rtol=1e-12,
    atol=0.0,
    mistakes=[
        (
            lambda x: LAMBDA * _split(x, ALPHA * np.expm1(np.minimum(_f64(x), 709.0)), _f64(x)),
            "It looks like the two regions are swapped: SELU is λx for x > 0 and "
            "λα(e^x − 1) for x ≤ 0.",
        ),
        (
            lambda x: _elu(x, ALPHA),
            "You left out the scale λ: SELU(x) = λ·ELU_α(x), both pieces multiplied by λ.",
        ),
        (
            lambda x: _split(x, LAMBDA * _f64(x), ALPHA * np.expm1(np.minimum(_f64(x), 0))),
            "The scale λ multiplies the negative piece too: SELU(x) = λα(e^x − 1) for x ≤ 0.",
        ),
        (
            lambda x: LAMBDA * _elu(x, 1.0),
            "The negative piece is λα(e^x − 1): you left out the factor α.",
        ),
        (
            lambda x: LAMBDA * _split(x, _f64(x), ALPHA * (np.exp(np.minimum(_f64(x), 0)) - 1)),
            "For tiny negative x, e^x is so close to 1 that e^x − 1 cancels most significant "
            "digits (catastrophic cancellation). np.expm1(x) computes e^x − 1 without "
            "forming e^x.",
        ),
        (
            lambda x: LAMBDA * np.maximum(_f64(x), 0.0),
            "That is a scaled ReLU: for x ≤ 0, SELU is λα(e^x − 1), not 0.",
        ),
        (
            lambda x: LAMBDA * _split(x, _f64(x), ALPHA * np.exp(np.minimum(_f64(x), 0))),
            "For x ≤ 0, SELU is λα(e^x − 1): you left out the − 1 (SELU(0) must be 0).",
        ),
        (
            lambda x: -_true_selu(x) * np.where(_f64(x) > 0, -1.0, 1.0),
            "Check the sign of the negative part: λα(e^x − 1) is negative for x < 0.",
        ),
    ],
    hints=[
        "Start from np.where(x > 0, x, ALPHA * (np.exp(x) - 1)), times LAMBDA, and run it on "
        "x = 1000 and x = -1e-10. Two things go wrong: which?",
        "np.where evaluates both branches for every element: np.exp(1000) overflows although "
        "it is thrown away. Take the exponential of np.minimum(x, 0), which is never "
        "positive.",
        "For tiny negative x, np.exp(x) - 1 subtracts two nearly equal numbers and loses "
        "digits; np.expm1(x) computes e^x − 1 accurately. Convert the input with "
        "np.asarray(x) so scalars work, and keep float dtypes as they are. " + _CONSTANTS,
    ],
    solution_text=(
        "SELU is λ times ELU with α ≈ 1.6733, so the ELU recipe applies: np.expm1 for the "
        "negative part, applied to m = min(x, 0). For x ≤ 0 this is x itself; for x > 0 it is "
        "0, so the unused branch is harmless (expm1(0) = 0) and nothing overflows. expm1 "
        "avoids the cancellation in e^x − 1 near 0, so SELU(−1e-10) is right to the last "
        "digit. ±inf give −λα and inf, and NaN propagates."
    ),
    template=(
        'def selu(x):\n    """Numerically stable SELU, elementwise."""\n    ...  # your code here\n'
    ),
    success_note="your SELU is accurate near 0 (expm1) and never overflows (exp of min(x, 0)).",
)

_RELU_MEAN = 1.0 / math.sqrt(2.0 * math.pi)  # E[max(z, 0)], z ~ N(0, 1)

q4 = NumericQuestion(
    "q4",
    "ReLU with LeCun initialisation: the pre-activations of a layer are standard normal, "
    "z ~ N(0, 1). Compute the mean E[relu(z)], the second moment E[relu(z)²] and the "
    "variance Var[relu(z)] of the layer's outputs. Answer with a tuple (mean, second_moment, "
    "variance); 1% accuracy is enough, so a large seeded sample works as well as the exact "
    "integrals.",
    expected=(_RELU_MEAN, 0.5, 0.5 - _RELU_MEAN**2),
    labels=("the mean", "the second moment", "the variance"),
    rtol=0.01,
    mistakes=[
        (
            (_RELU_MEAN, 0.5 - _RELU_MEAN**2, 0.5),
            "your second moment and variance are swapped: the variance subtracts the squared "
            "mean, so it is the smaller of the two.",
        ),
        (
            (0.5, 0.5, 0.25),
            "the mean is E[max(z, 0)] = ∫_0^∞ z φ(z) dz, not P(z > 0) = 1/2.",
        ),
        (
            (_RELU_MEAN, 1.0, 1.0 - _RELU_MEAN**2),
            "the second moment is E[max(z, 0)²], not E[z²]: max(z, 0)² is 0 wherever z ≤ 0.",
        ),
        (
            (_RELU_MEAN, 0.5, 0.5 - _RELU_MEAN),
            "the variance is E[relu(z)²] − E[relu(z)]²: you subtracted the mean without "
            "squaring it.",
        ),
    ],
    hints=[
        "max(z, 0) is 0 for z ≤ 0, so every expectation only integrates over z > 0: "
        "E[g(relu(z))] = ∫_0^∞ g(z) φ(z) dz + g(0)·P(z ≤ 0).",
        "E[max(z, 0)] = ∫_0^∞ z φ(z) dz = φ(0) = 1/√(2π), since φ'(z) = −z φ(z). "
        "For the second moment, use the symmetry of z²φ(z): half of E[z²] = 1.",
        "Var = E[relu(z)²] − E[relu(z)]². Numerically: z = np.random.default_rng(0)"
        ".standard_normal(10**6), then actlib.relu(z).mean(), (actlib.relu(z)**2).mean(), "
        "actlib.relu(z).var().",
    ],
    solution_text=(
        "Mean: E[max(z, 0)] = ∫_0^∞ z φ(z) dz = [−φ(z)]_0^∞ = φ(0) = 1/√(2π) ≈ 0.3989.\n"
        "Second moment: max(z, 0)² is z² for z > 0 and 0 otherwise, and z²φ(z) is symmetric, "
        "so E[relu(z)²] = E[z²]/2 = 1/2.\n"
        "Variance: 1/2 − 1/(2π) ≈ 0.3408.\n"
        "Answer: q4.check((0.3989, 0.5, 0.3408)). With LeCun weights (variance 1/n) the next "
        "layer's pre-activations have variance n·(1/n)·E[relu(z)²] = 1/2: each ReLU layer "
        "halves it, so after 50 layers it is 2^(−50) ≈ 9e-16."
    ),
    success_note="E[relu(z)²] = 1/2: with LeCun init, every ReLU layer halves the variance.",
)


def _second_moment(q: float) -> float:
    """E[selu(z)^2] for z ~ N(0, q), in closed form (from the Gaussian integrals)."""
    s = math.sqrt(q)
    left = math.exp(2 * q) * ndtr(-2 * s) - 2 * math.exp(q / 2) * ndtr(-s) + 0.5
    return LAMBDA**2 * (q / 2 + ALPHA**2 * left)


q5 = NumericQuestion(
    "q5",
    "One step of SELU's variance map. With LeCun initialisation, a layer whose pre-activations "
    "z ~ N(0, q) have variance q hands the next layer pre-activations of variance "
    "q' = E[selu(z)²]. Compute q' for a too-large variance q = 4 and for a too-small one, "
    "q = 1/4. Answer with a tuple (q' for q = 4, q' for q = 1/4); 1% accuracy is enough "
    "(scipy.integrate.quad or a seeded sample of 10**6 values).",
    expected=(_second_moment(4.0), _second_moment(0.25)),
    labels=("q' for q = 4", "q' for q = 1/4"),
    rtol=0.01,
    mistakes=[
        (
            (_second_moment(16.0), _second_moment(1 / 16)),
            "it looks like you used q as the standard deviation: z ~ N(0, q) has standard "
            "deviation √q, so sample z = np.sqrt(q) * rng.standard_normal(...).",
        ),
        (
            (_second_moment(4.0) / LAMBDA**2, _second_moment(0.25) / LAMBDA**2),
            "you left out the scale λ (ELU with α ≈ 1.6733 instead of SELU): use actlib.selu.",
        ),
        (
            (2.0, 0.125),
            "q/2 is ReLU's map (each ReLU layer halves the variance); the question is about SELU.",
        ),
        (
            (4.0, 0.25),
            "SELU does not preserve every variance: only q = 1 is a fixed point. Compute "
            "E[selu(z)²] for z ~ N(0, q).",
        ),
    ],
    hints=[
        "Write z = √q·u with u ~ N(0, 1). Then q' = E[selu(√q u)²] = ∫ selu(√q u)² φ(u) du.",
        "Numerically: rng = np.random.default_rng(0); u = rng.standard_normal(10**6); "
        "(actlib.selu(np.sqrt(q) * u)**2).mean(). Or integrate with "
        "scipy.integrate.quad(lambda u: actlib.selu(np.sqrt(q) * u)**2 * scipy.stats.norm.pdf(u), "
        "-np.inf, np.inf).",
        "Both answers should be closer to 1 than q itself: 4 shrinks and 1/4 grows. That is "
        "the self-normalising property.",
    ],
    solution_text=(
        "q' = E[selu(√q u)²] with u ~ N(0, 1). Integrating numerically (or with a large "
        "sample): q = 4 gives q' ≈ 3.006 and q = 1/4 gives q' ≈ 0.3307. Both move towards the "
        "fixed point q = 1: SELU's saturating negative side damps a large variance, and its "
        "slopes above 1 (λ ≈ 1.05 for x > 0, up to λα ≈ 1.76 just left of 0) amplify a small "
        "one. Iterating the map layer after layer converges to q = 1.\n"
        "Answer: q5.check((3.006, 0.3307))."
    ),
    success_note="a too-large variance shrinks and a too-small one grows: both move towards 1.",
)

q6 = ChoiceQuestion(
    "q6",
    "What does a self-normalising SELU network need to keep its activations near mean 0 and "
    "variance 1? Answer with a letter, e.g. q6.check('a').",
    options={
        "a": "Batch normalisation after every SELU layer.",
        "b": "He initialisation (weight variance 2/n), as for ReLU.",
        "c": "LeCun normal initialisation (weight variance 1/n) and standardised inputs; "
        "alpha dropout instead of standard dropout.",
        "d": "Nothing in particular: SELU normalises any activations after a single layer.",
    },
    answer="c",
    feedback={
        "a": "SELU networks normalise themselves; they are meant to work without batch "
        "normalisation, which would replace the mechanism rather than support it.",
        "b": "with weight variance 2/n the next layer's pre-activation variance is 2·E[selu(z)²], "
        "so (0, 1) is no longer a fixed point; the constants assume variance 1/n.",
        "d": "the convergence is gradual (the variance map's slope at the fixed point is about "
        "0.78 per layer) and relies on the right weight scale.",
    },
    hints=[
        "The constants λ and α were computed assuming weights with mean 0 and variance 1/n.",
        "Standard dropout changes the variance of the activations; alpha dropout was designed "
        "to keep mean 0 and variance 1.",
    ],
    solution_text=(
        "(c). The fixed point (0, 1) of the mean/variance map assumes weights with mean 0 and "
        "variance 1/n (LeCun normal) and inputs with mean 0 and variance 1. Standard dropout "
        "breaks the variance, so SNNs use alpha dropout. (a) is not needed: the normalisation "
        "is built in. (b) doubles the pre-activation variance, which moves the fixed point. "
        "(d) is false: the convergence takes several layers and needs the right weight scale."
    ),
    success_note="LeCun normal init, standardised inputs and alpha dropout: no batch norm needed.",
)
