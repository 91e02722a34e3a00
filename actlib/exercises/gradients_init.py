"""Exercises for the chapter on vanishing and exploding gradients, and initialisation.

Usage in a notebook::

    from actlib.exercises import gradients_init as ex
    ex.q1.check(0.06)
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from actlib.exercises.checker import (
    INCORRECT,
    NOT_ATTEMPTED,
    ChoiceQuestion,
    CodeQuestion,
    NumericQuestion,
    Status,
    _a,
    _Call,
    _safe_str,
    _type_name,
)

__all__ = ["q1", "q2", "q3", "q4", "q5"]


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against
# independent computations further below, not against these.


def he_normal(fan_in, fan_out, rng):
    """He (Kaiming) normal initialisation: a (fan_in, fan_out) matrix of N(0, 2 / fan_in)."""
    std = np.sqrt(2.0 / fan_in)  # the variance is 2 / fan_in; rng.normal wants the std
    return rng.normal(0.0, std, size=(fan_in, fan_out))


# ----------------------------------------------------------------------------- q1

q1 = NumericQuestion(
    "q1",
    "A dense layer with 512 inputs and 128 outputs is followed by ReLU. What standard "
    "deviation does He (Kaiming) normal initialisation give its weights? Answer with a "
    "single number.",
    expected=np.sqrt(2.0 / 512),
    labels=("the standard deviation of the weights",),
    rtol=1e-3,
    mistakes=[
        (
            np.sqrt(1.0 / 512),
            "that is LeCun's standard deviation, √(1/fan_in). He initialisation doubles the "
            "variance to make up for ReLU zeroing half of its inputs.",
        ),
        (
            2.0 / 512,
            "that is the variance, 2/fan_in. The question asks for the standard deviation, "
            "its square root.",
        ),
        (
            np.sqrt(2.0 / 128),
            "you used the fan-out (128). He initialisation (fan-in mode, the default) divides "
            "by the number of inputs of the layer.",
        ),
        (
            np.sqrt(2.0 / (512 + 128)),
            "that is the Xavier/Glorot standard deviation, √(2/(fan_in + fan_out)). He "
            "initialisation uses the fan-in only.",
        ),
        (
            np.sqrt(6.0 / 512),
            "that is the limit a of He's uniform variant U(−a, a), not a standard deviation; "
            "the normal variant's standard deviation is smaller by a factor √3.",
        ),
    ],
    hints=[
        "He initialisation draws the weights from N(0, s²) with s² = 2 / fan_in.",
        "fan_in is the number of inputs of the layer, here 512. The standard deviation is "
        "the square root of the variance.",
    ],
    solution_text=(
        "He et al. (2015) choose s² = 2 / fan_in so that n s² E[relu(z)²] / Var(z) = "
        "n s² / 2 = 1: the signal keeps its size through a ReLU layer. With fan_in = 512, "
        "s² = 2/512 = 1/256, so s = 1/16 = 0.0625. The fan-out (128) plays no role in the "
        "default (fan-in) mode. Answer: q1.check(0.0625)."
    ),
    success_note="s = √(2/512) = 1/16: He doubles LeCun's variance 1/fan_in for ReLU.",
)


# ----------------------------------------------------------------------------- q2

_S = 3.0  # the standard deviation of z in q2
_RELU_MEAN = _S / np.sqrt(2.0 * np.pi)  # E[relu(z)] for z ~ N(0, s^2)

q2 = NumericQuestion(
    "q2",
    "Let z ~ N(0, 9), a normal variable with mean 0 and standard deviation 3. What is "
    "E[relu(z)²], the mean of the square of relu(z) = max(z, 0)? Answer with a single number.",
    expected=_S**2 / 2,
    labels=("E[relu(z)²]",),
    rtol=1e-3,
    mistakes=[
        (
            _S**2,
            "that is E[z²]. relu(z)² equals z² only where z > 0 and is 0 elsewhere: half of "
            "the time.",
        ),
        (
            _S / 2,
            "you halved the standard deviation; E[relu(z)²] is half of the variance of z, "
            "which is 9.",
        ),
        (
            _S**2 / 4,
            "you divided by 4: E[relu(z)²] keeps half of E[z²], it does not halve z first "
            "and then square it.",
        ),
        (
            _RELU_MEAN**2,
            "that is (E[relu(z)])², the square of the mean; the question asks for the mean "
            "of the square.",
        ),
        (
            _S**2 / 2 - _RELU_MEAN**2,
            "that is the variance of relu(z), E[relu(z)²] − (E[relu(z)])². The question asks "
            "for the second moment E[relu(z)²] itself, the quantity that enters "
            "Var(next z) = n s² E[x²].",
        ),
    ],
    hints=[
        "relu(z)² is z² when z > 0 and 0 when z ≤ 0.",
        "The normal distribution is symmetric: z² takes the same values on z > 0 and on "
        "z < 0, each half of the time. And E[z²] = Var(z) for a zero-mean z.",
    ],
    solution_text=(
        "relu(z)² = z² · 1[z > 0]. By the symmetry of N(0, s²), the positive and negative "
        "halves contribute equally to E[z²] = s², so E[relu(z)²] = s²/2 = 9/2 = 4.5. This is "
        "the factor 1/2 that He initialisation compensates with its 2 in s² = 2/fan_in. "
        "(The mean is E[relu(z)] = s/√(2π) ≈ 1.197, so the variance of relu(z) is only "
        "about 3.068: ReLU outputs are not centred, which is why the forward rule uses "
        "the second moment E[x²], not the variance.) Answer: q2.check(4.5)."
    ),
    success_note="E[relu(z)²] = s²/2: ReLU keeps half of the second moment.",
)


# ----------------------------------------------------------------------------- q3

_CASES = ((512, 256, 3), (100, 2000, 4), (2000, 100, 5))  # (fan_in, fan_out, seed)
_TEMPLATE = (
    "def he_normal(fan_in, fan_out, rng):\n"
    '    """He normal initialisation: a (fan_in, fan_out) matrix of N(0, 2 / fan_in)."""\n'
    "    ...  # your code here\n"
)
_STD_RTOL = 0.03  # sample std of >= 131072 draws: relative standard error below 0.2%


def _wrong_stds(fan_in: int, fan_out: int) -> list[tuple[float, str]]:
    """Standard deviations that typical mistakes produce, with what to fix."""
    return [
        (
            np.sqrt(2.0 / fan_out),
            "the spread matches √(2/fan_out): you divided by the fan-out. He initialisation "
            "(fan-in mode) divides by the number of inputs, fan_in, the first argument.",
        ),
        (
            np.sqrt(2.0 / (fan_in + fan_out)),
            "the spread matches Xavier/Glorot's √(2/(fan_in + fan_out)). He initialisation "
            "uses the fan-in only, with variance 2/fan_in.",
        ),
        (
            np.sqrt(1.0 / fan_in),
            "the spread matches √(1/fan_in): that is LeCun initialisation (variance "
            "1/fan_in). He doubles it, variance 2/fan_in, because ReLU keeps only half of "
            "the second moment.",
        ),
        (
            2.0 / fan_in,
            "the standard deviation equals 2/fan_in, the variance: rng.normal's scale "
            "argument is a standard deviation, so take the square root.",
        ),
        (
            (2.0 / fan_in) ** 0.25,
            "the variance equals √(2/fan_in), the intended standard deviation: you took the "
            "square root twice, or passed a standard deviation where a variance goes.",
        ),
        (
            1.0,
            "the weights have standard deviation 1: scale the standard normal draws by "
            "√(2/fan_in).",
        ),
    ]


def _draw(func: Callable[..., Any], fan_in: int, fan_out: int, seed: int) -> _Call:
    return _Call(func, (fan_in, fan_out, np.random.default_rng(seed)))


class _InitQuestion(CodeQuestion):
    """The answer is a function (fan_in, fan_out, rng) -> W, checked by its samples' statistics.

    For each case the checker passes a fresh seeded generator and checks the shape and dtype,
    that the generator is used (same seed, same weights; other seed, other weights), and the
    mean, standard deviation and shape (normal, not uniform) of the distribution of the
    weights, naming typical mistakes (fan-out, Xavier, LeCun, variance for std).
    """

    def __init__(self, name: str, prompt: str, **kwargs: Any) -> None:
        super().__init__(
            name,
            prompt,
            func_name="he_normal",
            cases=_CASES,
            template=_TEMPLATE,
            success_note=(
                f"he_normal passed all {len(_CASES)} tests: right shape, zero mean, "
                "normal, with variance 2/fan_in."
            ),
            **kwargs,
        )

    def _check_case(
        self, func: Callable[..., Any], c: tuple[int, int, int], first: bool
    ) -> tuple[Status, str] | None:
        fan_in, fan_out, seed = c
        inputs = f"fan_in = {fan_in}, fan_out = {fan_out}"
        fn = self.func_name
        call = _draw(func, fan_in, fan_out, seed)
        if isinstance(call.error, NotImplementedError) and first:
            return NOT_ATTEMPTED, f"{fn} still raises NotImplementedError: add your code."
        if call.error is not None:
            return INCORRECT, (
                f"for {inputs}, {fn} raised {_type_name(call.error)}: {_safe_str(call.error)}"
            )
        if call.out is None:
            if first:
                return NOT_ATTEMPTED, (
                    f"{fn} returned None. Replace the ... with your code and return the matrix."
                )
            return INCORRECT, f"for {inputs}, {fn} returned None (a missing return?)."
        if call.runtime_warnings:
            w = call.runtime_warnings[0]
            return INCORRECT, f"for {inputs}, {fn} emitted {w.category.__name__}: {w.message}."
        problem = self._check_array(call.out, fan_in, fan_out)
        if problem is None:
            problem = self._check_rng(func, fan_in, fan_out, seed, call.out)
        if problem is None:
            problem = self._check_distribution(np.asarray(call.out), fan_in, fan_out)
        return None if problem is None else (INCORRECT, f"for {inputs}, {problem}")

    def _check_array(self, out: Any, fan_in: int, fan_out: int) -> str | None:
        fn = self.func_name
        if not isinstance(out, np.ndarray):
            return f"{fn} returned {_a(out)}; return a NumPy array of shape (fan_in, fan_out)."
        if out.shape != (fan_in, fan_out):
            if out.shape == (fan_out, fan_in):
                return (
                    f"{fn} returned shape {out.shape}, the transpose. actlib's layers compute "
                    "z = x @ W, so W has one row per input: shape (fan_in, fan_out)."
                )
            return f"{fn} returned shape {out.shape}; it should be (fan_in, fan_out)."
        if out.dtype != np.float64:
            return f"{fn} returned dtype {out.dtype}; weights should be float64."
        if not np.isfinite(out).all():
            return f"{fn} returned inf or NaN values."
        if np.all(out == out.flat[0]):
            return (
                "all the weights are equal: draw them at random, or every unit computes the same."
            )
        return None

    def _check_rng(
        self, func: Callable[..., Any], fan_in: int, fan_out: int, seed: int, out: np.ndarray
    ) -> str | None:
        fn = self.func_name
        again = _draw(func, fan_in, fan_out, seed)
        if again.error is not None or not isinstance(again.out, np.ndarray):
            return f"{fn} failed when called a second time with the same seed."
        if again.out.shape != out.shape or not np.array_equal(again.out, out):
            return (
                f"two calls with generators of the same seed gave different weights: {fn} "
                "does not draw from the rng it is given (np.random.randn and np.random.normal "
                "use NumPy's global generator). Use rng.normal or rng.standard_normal, so "
                "that a seed makes the initialisation reproducible."
            )
        other = _draw(func, fan_in, fan_out, seed + 100)
        if isinstance(other.out, np.ndarray) and np.array_equal(other.out, out):
            return (
                f"generators with different seeds gave identical weights: {fn} ignores its "
                "rng argument (does it make its own generator with a fixed seed?)."
            )
        return None

    def _check_distribution(self, W: np.ndarray, fan_in: int, fan_out: int) -> str | None:
        std_true = np.sqrt(2.0 / fan_in)
        n = W.size
        mean, std = float(W.mean()), float(W.std())
        if abs(mean) > 6.0 * std / np.sqrt(n):  # more than 6 standard errors from 0
            return (
                f"the weights are not centred on zero (their mean is {mean:.3g}). Draw them "
                "from a normal distribution with mean 0: rng.uniform(0, 1) and rng.random "
                "give positive numbers only."
            )
        if abs(std / std_true - 1) > _STD_RTOL:
            for wrong, message in _wrong_stds(fan_in, fan_out):
                if abs(std / wrong - 1) <= _STD_RTOL:
                    return message
            direction = "too large" if std > std_true else "too small"
            return (
                f"the spread of the weights is wrong: their standard deviation is {direction} "
                "(the variance should be 2/fan_in)."
            )
        kurtosis = float(np.mean((W - mean) ** 4) / std**4 - 3.0)
        if kurtosis < -0.6:
            return (
                "the weights have the right variance, but they look uniformly distributed, "
                "not normal. he_normal draws from a normal distribution: use rng.normal or "
                "rng.standard_normal."
            )
        if abs(kurtosis) > 0.5:
            return "the weights have the right variance, but their distribution is not normal."
        return None


q3 = _InitQuestion(
    "q3",
    "Implement he_normal(fan_in, fan_out, rng): return a float64 NumPy array of shape "
    "(fan_in, fan_out) (actlib's layers compute z = x @ W) whose entries are independent "
    "draws from the normal distribution N(0, 2 / fan_in), drawn from the NumPy Generator rng "
    "so that a seed makes them reproducible. Check it with q3.check(he_normal).",
    reference=he_normal,
    hints=[
        "A NumPy Generator draws normal numbers with rng.normal(loc, scale, size) or "
        "rng.standard_normal(size); size can be a tuple such as (fan_in, fan_out).",
        "rng.normal's scale is the standard deviation, not the variance: for variance "
        "2/fan_in, pass np.sqrt(2 / fan_in).",
        "Divide by fan_in, the number of inputs of the layer (the first argument), not by fan_out.",
    ],
    solution_text=(
        "He initialisation wants Var(W_ij) = 2 / fan_in, so the standard deviation is "
        "√(2/fan_in). rng.normal(0, std, size=(fan_in, fan_out)) draws exactly that, from the "
        "generator passed in, so the same seed gives the same weights. Equivalent: "
        "np.sqrt(2 / fan_in) * rng.standard_normal((fan_in, fan_out)), which is what "
        "actlib.nn.he does. The checker draws one matrix per case and checks the mean, the "
        "standard deviation and the normal shape of the entries' distribution."
    ),
)


# ----------------------------------------------------------------------------- q4

q4 = NumericQuestion(
    "q4",
    "A gradient flows back through 50 layers, and each layer multiplies it by the same gain "
    "g (think of a chain of single units, g = w · f'(z)). By what factor has the gradient "
    "changed after the 50 layers if g = 0.9, and if g = 1.1? Answer with a tuple of two "
    "numbers: q4.check((factor for 0.9, factor for 1.1)).",
    expected=(0.9**50, 1.1**50),
    labels=("the factor for g = 0.9", "the factor for g = 1.1"),
    rtol=1e-3,
    mistakes=[
        (
            (0.9 * 50, 1.1 * 50),
            "you multiplied the gain by 50. The chain rule multiplies the 50 gains together: "
            "g · g · ... · g.",
        ),
        (
            (1 - 0.1 * 50, 1 + 0.1 * 50),
            "you added up the 10% changes. They compound: each layer multiplies what the "
            "layers after it produced.",
        ),
        (
            (0.9**49, 1.1**49),
            "you have 49 factors; each of the 50 layers contributes one.",
        ),
        (
            (1.1**50, 0.9**50),
            "the two factors are swapped: a gain below 1 shrinks the gradient.",
        ),
    ],
    hints=[
        "By the chain rule the derivative through a chain is the product of the layers' "
        "local factors.",
        "So the factor is g⁵⁰. A calculator or Python (0.9 ** 50) does the rest.",
    ],
    solution_text=(
        "The chain rule multiplies one factor per layer, so the gradient changes by g⁵⁰: "
        "0.9⁵⁰ ≈ 0.00515 (shrunk about 194-fold) and 1.1⁵⁰ ≈ 117.4 (grown more than "
        "100-fold). A mere 10% per layer decides between vanishing and exploding, which is "
        "why initialisation aims for a gain of exactly 1 per layer. "
        "Answer: q4.check((0.9 ** 50, 1.1 ** 50))."
    ),
    success_note="g⁵⁰: about 0.005 for g = 0.9 and about 117 for g = 1.1.",
)


# ----------------------------------------------------------------------------- q5

q5 = ChoiceQuestion(
    "q5",
    "You build a 30-layer fully connected network without normalisation layers. Which "
    "pairing of activation and initialisation keeps the signal's size stable at "
    "initialisation? Answer with a letter, e.g. q5.check('a').",
    options={
        "a": "ReLU with Xavier/Glorot initialisation (equal widths).",
        "b": "SELU with LeCun normal initialisation.",
        "c": "SELU with He initialisation.",
        "d": "Sigmoid with He initialisation.",
    },
    answer="b",
    feedback={
        "a": "with equal widths Xavier's variance is 1/fan_in, and ReLU keeps only half of "
        "the second moment: the signal halves at every layer.",
        "c": "He's variance 2/fan_in is twice what SELU's self-normalising fixed point "
        "needs: the activations grow layer after layer.",
        "d": "the sigmoid's slope is at most 1/4: He's factor 2 is far from enough, and the "
        "gradient still shrinks about 3-fold per layer.",
    },
    hints=[
        "Recall the pairings: ReLU family with He, tanh-like with Xavier or LeCun, and SELU "
        "with ... ?",
        "SELU's fixed point (mean 0, variance 1) needs the weights of each unit to have "
        "sum of squares about 1, i.e. variance 1/fan_in.",
    ],
    solution_text=(
        "(b). SELU is built so that mean 0 and variance 1 form an attracting fixed point when "
        "Var(W_ij) = 1/fan_in, LeCun's variance (Klambauer et al., 2017). (a) halves the "
        "second moment at every ReLU layer; (c) doubles SELU's input variance at every layer, "
        "so it grows; (d) the sigmoid's gradients still shrink about 3-fold per layer, as "
        "the chapter's experiment shows."
    ),
    success_note="SELU + LeCun normal: the self-normalising pairing.",
)
