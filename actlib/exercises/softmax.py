"""Exercises for the softmax chapter: by hand, stable implementations, the gradient, limits.

Usage in a notebook::

    from actlib.exercises import softmax as ex
    ex.q1.check((0.2, 0.3, 0.5))
    ex.q1.hint()
    ex.q1.solution()
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from scipy.special import expit
from scipy.special import log_softmax as _scipy_log_softmax
from scipy.special import softmax as _scipy_softmax

from actlib.exercises.checker import (
    INCORRECT,
    Case,
    ChoiceQuestion,
    FunctionQuestion,
    NumericQuestion,
    Status,
    case,
)

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6"]

_INF = np.inf


# ----------------------------------------------------------------------------- reference
# Worked solutions: solution() shows their source code. The checkers compare against the
# independent float64 "truth" functions further below (SciPy), not against these.


def softmax(x):
    """Numerically stable softmax over the last axis; keeps float dtypes and never warns."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)  # integers become float64
    e = np.exp(x - x.max(axis=-1, keepdims=True))  # exponents <= 0: no overflow
    return e / e.sum(axis=-1, keepdims=True)  # the largest term is e^0 = 1: no 0/0


def log_softmax(x):
    """Numerically stable log-softmax over the last axis: (x - m) - log(sum(exp(x - m)))."""
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    shifted = x - x.max(axis=-1, keepdims=True)  # <= 0, with a 0 in every row
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))  # log of a sum >= 1


def cross_entropy_grad(z, y):
    """Gradient of the cross-entropy -sum(y * log_softmax(z)) with respect to the logits z."""
    z = np.asarray(z)
    e = np.exp(z - z.max(axis=-1, keepdims=True))  # a stable softmax ...
    p = e / e.sum(axis=-1, keepdims=True)
    return p - y  # ... minus the target distribution


# ----------------------------------------------------------------------------- truth


def _f64(x: object) -> np.ndarray:
    return np.asarray(x, dtype=np.float64)


def _true_softmax(x: object) -> np.ndarray:
    return _scipy_softmax(_f64(x), axis=-1)


def _true_log_softmax(x: object) -> np.ndarray:
    return _scipy_log_softmax(_f64(x), axis=-1)


def _true_ce_grad(z: object, y: object) -> np.ndarray:
    return _true_softmax(z) - _f64(y)


def _f32(values: Sequence[Any]) -> np.ndarray:
    return np.array(values, dtype=np.float32)


# typical wrong answers (computed quietly by the checker, so naive forms are fine here)


def _exp_over_sum(x: np.ndarray, axis: int | None, keep_max: bool, keep_sum: bool) -> np.ndarray:
    x = _f64(x)
    m = x.max(axis=axis, keepdims=keep_max)
    e = np.exp(x - m)
    return e / e.sum(axis=axis, keepdims=keep_sum)


def _forgot_keepdims_both(x: np.ndarray) -> np.ndarray:
    return _exp_over_sum(x, -1, False, False)


def _forgot_keepdims_max(x: np.ndarray) -> np.ndarray:
    return _exp_over_sum(x, -1, False, True)


def _forgot_keepdims_sum(x: np.ndarray) -> np.ndarray:
    return _exp_over_sum(x, -1, True, False)


def _log_softmax_forgot_keepdims(x: np.ndarray) -> np.ndarray:
    x = _f64(x)
    m = x.max(axis=-1, keepdims=True)
    return x - (m[..., 0] + np.log(np.exp(x - m).sum(axis=-1)))  # x - logsumexp, no keepdims


_KEEPDIMS = (
    "It looks like you forgot keepdims=True: x.max(axis=-1) and e.sum(axis=-1) drop the last "
    "axis, so NumPy's broadcasting lines the row results up with the COLUMNS (for a square "
    "array silently, otherwise with an error). Keep the axis, x.max(axis=-1, keepdims=True), "
    "so every row is shifted and divided by its own value."
)


# ----------------------------------------------------------------------------- a checker


class _AdvisedQuestion(FunctionQuestion):
    """A FunctionQuestion that adds softmax-specific advice to the generic failure messages."""

    def __init__(self, *args: Any, advice: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.advice = tuple(advice)

    def _check_case(
        self, func: Callable[..., Any], c: Case, first: bool
    ) -> tuple[Status, str] | None:
        verdict = super()._check_case(func, c, first)
        if verdict is None or verdict[0] != INCORRECT:
            return verdict
        message = verdict[1]
        extra = next((a for key, a in self.advice if key in message), "")
        return INCORRECT, f"{message}\n{extra}" if extra else message


_OVERFLOW = (
    "overflow encountered in exp",
    "Here e^1000 = inf, and then inf / inf = NaN. Softmax does not change when the same "
    "constant is subtracted from every logit, so subtract the maximum first: then every "
    "exponent is <= 0 and every e^(...) lies in (0, 1].",
)
_LSE_OVERFLOW = (
    "overflow encountered in exp",
    "Here e^1000 = inf, so log Σ e^(x_j) = inf and the result is −inf or NaN. Take the "
    "maximum m out of the log-sum-exp first: log Σ e^(x_j) = m + log Σ e^(x_j − m).",
)
_ALL_UNDERFLOW = (
    "invalid value encountered in divide",
    "Every exponential of one vector underflowed to 0 (e^(−1000) is below the smallest "
    "float), and 0 / 0 = NaN. Subtract each vector's OWN maximum (axis=-1, keepdims=True): "
    "then its largest term is e^0 = 1 and the sum is at least 1.",
)
_BROADCAST = ("could not be broadcast", _KEEPDIMS)
_LOG_ZERO = (
    "divide by zero encountered in log",
    "log(softmax(x)) takes the log of a probability that underflowed to 0, giving −inf. "
    "Never form the softmax: log softmax(x) = (x − m) − log(Σ e^(x − m)) with m = max(x), "
    "and that sum is at least 1.",
)


# ----------------------------------------------------------------------------- questions

_LN2, _LN3 = math.log(2), math.log(3)

q1 = NumericQuestion(
    "q1",
    "By hand: compute softmax(x) for the logits x = (0, ln 2, ln 3). "
    "Answer with a tuple of three numbers: q1.check((a, b, c)).",
    expected=(1 / 6, 2 / 6, 3 / 6),
    labels=("softmax(x)_0", "softmax(x)_1", "softmax(x)_2"),
    rtol=1e-6,
    mistakes=[
        (
            (1.0, 2.0, 3.0),
            "those are the exponentials e^(x_i). Softmax divides each of them by their sum, "
            "so that the three probabilities add up to 1.",
        ),
        (
            (0.0, _LN2 / (_LN2 + _LN3), _LN3 / (_LN2 + _LN3)),
            "you divided the logits themselves by their sum. Softmax normalises the "
            "EXPONENTIALS e^(x_i), which are always positive.",
        ),
        (
            (3 / 6, 2 / 6, 1 / 6),
            "your values are in reverse order: softmax keeps the order of the logits, so the "
            "largest logit, ln 3, gets the largest probability.",
        ),
        (
            (1 / 3, 1 / 3, 1 / 3),
            "that is the uniform distribution, the limit of a very high temperature. At "
            "T = 1 the larger logits get more probability.",
        ),
    ],
    hints=[
        "First compute the three exponentials: e^0, e^(ln 2) and e^(ln 3). Since e^(ln a) = a, "
        "they are small whole numbers.",
        "Add up the exponentials and divide each one by the sum.",
        "Check yourself: the three answers must add up to exactly 1, in the order of the logits.",
    ],
    solution_text=(
        "e^0 = 1, e^(ln 2) = 2, e^(ln 3) = 3, and their sum is 6. So softmax(x) = "
        "(1/6, 2/6, 3/6) = (1/6, 1/3, 1/2): positive, summing to 1, and ordered like the logits. "
        "Answer: q1.check((1/6, 1/3, 1/2)). In general, logits ln(a_i) give probabilities "
        "proportional to a_i: a logit is a log of an unnormalised probability."
    ),
    success_note="(1/6, 1/3, 1/2): the exponentials 1, 2, 3 divided by their sum 6.",
)

q2 = _AdvisedQuestion(
    "q2",
    "Implement a numerically stable softmax(x) over the LAST axis of a 1-D or 2-D NumPy array "
    "(for 2-D input, each row is one vector of logits). It must give the right values for "
    "logits like [1000, 0] and [−1000, −1001] without any RuntimeWarning, treat a −inf logit "
    "as a masked class (probability 0), keep float32 as float32, keep the input's shape, and "
    "never modify x.",
    func_name="softmax",
    arg_names=("x",),
    reference=softmax,
    expected=_true_softmax,
    cases=[
        case(np.array([1.0, 2.0, 3.0])),
        case(_f32([0.5, -1.0, 2.0, 0.0])),
        case(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [2.0, -1.0, 0.5]])),
        case(np.array([[1.0, 0.0, -1.0, 2.0], [3.0, 3.0, 0.0, -2.0]])),
        case(np.array([1000.0, 0.0])),
        case(np.array([-1000.0, -1001.0, -1002.0])),
        case(np.array([[1000.0, 999.0, 998.0], [0.0, -1.0, -2.0]])),
        case(np.array([-_INF, 0.0, 1.0])),
        case(_f32([100.0, 0.0, -100.0])),
    ],
    rtol=1e-9,
    atol=0.0,
    mistakes=[
        (
            lambda x: _scipy_softmax(_f64(x), axis=0),
            "You normalised along axis 0, down the columns. Each ROW is one vector of "
            "logits: take the maximum and the sum along the last axis, axis=-1.",
        ),
        (
            lambda x: _scipy_softmax(_f64(x), axis=None),
            "You normalised over the whole array at once (all entries sum to 1). Each row "
            "must sum to 1 on its own: reduce along axis=-1.",
        ),
        (_forgot_keepdims_both, _KEEPDIMS),
        (_forgot_keepdims_max, _KEEPDIMS),
        (_forgot_keepdims_sum, _KEEPDIMS),
        (
            lambda x: np.exp(_f64(x) - _f64(x).max(axis=-1, keepdims=True)),
            "You shifted and exponentiated but did not normalise: divide by the sum along "
            "the last axis, so that each vector of probabilities adds up to 1.",
        ),
        (
            _true_log_softmax,
            "These are log-probabilities (log-softmax). Softmax returns the probabilities "
            "themselves, in (0, 1].",
        ),
        (
            lambda x: np.exp(_f64(x)) / np.exp(_f64(x)).sum(axis=-1, keepdims=True),
            "This is the naive formula e^x / Σ e^x: e^1000 = inf and inf / inf = NaN, or "
            "e^(−1000) = 0 and 0 / 0 = NaN. Subtract the maximum of each vector first.",
        ),
    ],
    advice=[_OVERFLOW, _ALL_UNDERFLOW, _BROADCAST],
    hints=[
        "Shift invariance: softmax(x − c) = softmax(x) for any constant c, because the factor "
        "e^(−c) cancels between the numerator and the denominator. Choose c = max(x).",
        "After the shift every exponent is <= 0 (no overflow) and the largest one is exactly 0, "
        "so the sum is at least 1 (no 0 / 0). Entries far below the maximum may underflow to 0, "
        "which is harmless: their true probability is smaller than any float.",
        "For 2-D input, reduce along the last axis and keep it for broadcasting: "
        "m = x.max(axis=-1, keepdims=True), then the same for the sum. Python numbers keep "
        "float32 as float32; np.exp(-inf) = 0 handles masked classes for free.",
    ],
    solution_text=(
        "Multiply the top and bottom of e^(x_i) / Σ_j e^(x_j) by e^(−m): softmax is unchanged "
        "by subtracting the same m from every logit. With m = max(x) along the last axis, every "
        "exponent is <= 0, so nothing overflows, and the largest term is e^0 = 1, so the sum is "
        "in [1, n] and never 0. keepdims=True keeps the reduced axis (shape (rows, 1)), so each "
        "row is shifted and divided by its own maximum and sum. A −inf logit gives e^(−inf) = 0: "
        "a masked class. scipy.special.softmax and actlib.softmax do exactly this."
    ),
    template=(
        "def softmax(x):\n"
        '    """Numerically stable softmax over the last axis."""\n'
        "    ...  # your code here\n"
    ),
    success_note="your softmax is stable: it subtracts each vector's maximum along the last axis.",
)

q3 = _AdvisedQuestion(
    "q3",
    "Implement a numerically stable log_softmax(x) over the last axis of a 1-D or 2-D NumPy "
    "array: log softmax(x)_i = x_i − log Σ_j e^(x_j). For x = [1000, 0] it must return "
    "[0, −1000] exactly (not −inf) without any RuntimeWarning; a −inf logit gives −inf. Keep "
    "float32 as float32, keep the shape, and never modify x.",
    func_name="log_softmax",
    arg_names=("x",),
    reference=log_softmax,
    expected=_true_log_softmax,
    cases=[
        case(np.array([1.0, 2.0, 3.0])),
        case(_f32([0.5, -1.0, 2.0, 0.0])),
        case(np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [2.0, -1.0, 0.5]])),
        case(np.array([[1.0, 0.0, -1.0, 2.0], [3.0, 3.0, 0.0, -2.0]])),
        case(np.array([1000.0, 0.0])),
        case(np.array([-1000.0, -1001.0, -1002.0])),
        case(np.array([-_INF, 0.0, 1.0])),
        case(_f32([100.0, 0.0, -100.0])),
    ],
    rtol=1e-9,
    atol=1e-12,
    mistakes=[
        (
            lambda x: np.log(_true_softmax(x)),
            "It looks like you computed log(softmax(x)): where a probability underflows to 0 "
            "its log is −inf, although the true value is finite. Use (x − m) − log Σ e^(x − m).",
        ),
        (
            lambda x: _f64(x) - _f64(x).max(axis=-1, keepdims=True),
            "You subtracted the maximum but not the log of the sum: log softmax(x) = "
            "(x − m) − log Σ_j e^(x_j − m).",
        ),
        (
            lambda x: _scipy_log_softmax(_f64(x), axis=0),
            "You normalised along axis 0, down the columns. Each ROW is one vector of logits: "
            "reduce along axis=-1.",
        ),
        (_log_softmax_forgot_keepdims, _KEEPDIMS),
        (
            _true_softmax,
            "These are the probabilities; the question asks for their logarithms.",
        ),
        (
            lambda x: -_true_log_softmax(x),
            "Check the sign: log-probabilities are <= 0.",
        ),
    ],
    advice=[_LSE_OVERFLOW, _LOG_ZERO, _BROADCAST, _ALL_UNDERFLOW],
    hints=[
        "log softmax(x)_i = x_i − log Σ_j e^(x_j). The only hard part is log Σ e^(x_j), the "
        "log-sum-exp, whose e^(x_j) overflows for x_j = 1000.",
        "Take out the maximum m: log Σ e^(x_j) = m + log Σ e^(x_j − m). So "
        "log softmax(x) = (x − m) − log Σ e^(x − m), and that sum lies between 1 and n.",
        "Use x.max(axis=-1, keepdims=True) and .sum(axis=-1, keepdims=True). Never take the "
        "log of a softmax: a probability that underflowed to 0 has log −inf.",
    ],
    solution_text=(
        "With m = max(x) along the last axis, log Σ_j e^(x_j) = m + log Σ_j e^(x_j − m) "
        "(log-sum-exp). So log softmax(x) = (x − m) − log Σ_j e^(x_j − m). Every exponent is "
        "<= 0 and one of them is 0, so the sum is in [1, n]: no overflow, and the log of the sum "
        "is finite. For x = [1000, 0] this gives [0 − log(1 + e^(−1000)), −1000 − log(1 + "
        "e^(−1000))] = [0, −1000], while log(softmax(x)) gives [0, −inf]."
    ),
    template=(
        "def log_softmax(x):\n"
        '    """Numerically stable log-softmax over the last axis."""\n'
        "    ...  # your code here\n"
    ),
    success_note="your log-softmax never forms the softmax, so it stays finite and exact.",
)

q4 = _AdvisedQuestion(
    "q4",
    "Implement cross_entropy_grad(z, y): the gradient of the cross-entropy "
    "L = −Σ_i y_i log softmax(z)_i with respect to the logits z, for one vector z or a batch "
    "(2-D, one row per example, no averaging). The target y has z's shape: a one-hot vector "
    "or, more generally, a probability distribution (each row sums to 1). It must be stable "
    "for z = [1000, 0], keep float32 as float32, and modify neither z nor y.",
    func_name="cross_entropy_grad",
    arg_names=("z", "y"),
    reference=cross_entropy_grad,
    expected=_true_ce_grad,
    cases=[
        case(np.array([2.0, 1.0, 0.1]), np.array([0.0, 1.0, 0.0])),
        case(_f32([2.0, 1.0, 0.1]), _f32([0.0, 0.0, 1.0])),
        case(
            np.array([[1.0, 2.0, 3.0], [0.5, 0.5, -1.0], [2.0, -1.0, 0.0]]),
            np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
        ),
        case(np.array([0.5, -0.5, 1.0]), np.array([0.2, 0.3, 0.5])),
        case(np.array([1000.0, 0.0]), np.array([0.0, 1.0])),
        case(np.array([-_INF, 0.0, 1.0]), np.array([0.0, 0.0, 1.0])),
    ],
    rtol=1e-9,
    atol=1e-12,
    mistakes=[
        (
            lambda z, y: _f64(y) - _true_softmax(z),
            "Check the sign: increasing the logit of the right class must DECREASE the loss, "
            "so that component of the gradient is negative. The gradient is p − y.",
        ),
        (
            lambda z, y: _true_softmax(z),
            "You returned the probabilities p = softmax(z); the gradient also subtracts the "
            "target y.",
        ),
        (
            lambda z, y: -_f64(y) / _true_softmax(z),
            "−y / p is the gradient with respect to the probabilities p. The question asks for "
            "the gradient with respect to the logits z: apply the softmax Jacobian.",
        ),
        (
            lambda z, y: (_true_softmax(z) - _f64(y)) * _true_softmax(z) * (1 - _true_softmax(z)),
            "You multiplied by s(1 − s) as if softmax were elementwise. Its Jacobian "
            "diag(p) − p pᵀ also has off-diagonal terms; together they give exactly p − y.",
        ),
        (
            lambda z, y: (_true_softmax(z) - _f64(y)) / len(_f64(z)),
            "You averaged over the batch. Here each row's gradient is wanted on its own, "
            "without dividing by the number of examples.",
        ),
    ],
    advice=[_OVERFLOW, _ALL_UNDERFLOW, _BROADCAST],
    hints=[
        "Write L = −Σ_i y_i log p_i with log p_i = z_i − log Σ_j e^(z_j). "
        "Differentiate with respect to z_k.",
        "∂ log p_i / ∂z_k = δ_ik − p_k. So ∂L/∂z_k = −Σ_i y_i (δ_ik − p_k) = −y_k + p_k Σ_i y_i, "
        "and Σ_i y_i = 1.",
        "The answer is p − y with p = softmax(z): compute p with a stable softmax (subtract the "
        "maximum along axis=-1, keepdims=True).",
    ],
    solution_text=(
        "log p_i = z_i − log Σ_j e^(z_j), so ∂ log p_i / ∂z_k = δ_ik − e^(z_k) / Σ_j e^(z_j) "
        "= δ_ik − p_k. Then ∂L/∂z_k = −Σ_i y_i (δ_ik − p_k) = −y_k + p_k Σ_i y_i = p_k − y_k, "
        "since y sums to 1. The gradient is p − y: the predicted minus the target distribution, "
        "bounded in [−1, 1], zero only for a perfect prediction. Computing p with a stable "
        "softmax makes it safe for z = [1000, 0], where it is [1, −1]."
    ),
    template=(
        "def cross_entropy_grad(z, y):\n"
        '    """d(cross-entropy)/d(logits), for a target distribution y."""\n'
        "    ...  # your code here\n"
    ),
    success_note="∂L/∂z = p − y: the softmax and the log cancel into the simplest gradient.",
)

q5 = NumericQuestion(
    "q5",
    "Two classes: a classifier's output layer gives the logits (z_0, z_1) = (1.5, −0.5). "
    "Softmax's probability of class 0 equals σ(t), a sigmoid of one number t. What are t and "
    "this probability p_0? Answer with a tuple: q5.check((t, p0)).",
    expected=(2.0, float(expit(2.0))),
    labels=("t", "p0"),
    rtol=1e-6,
    mistakes=[
        (
            (-2.0, float(expit(-2.0))),
            "you used z_1 − z_0. Divide the top and bottom of e^(z_0) / (e^(z_0) + e^(z_1)) by "
            "e^(z_0): the logit of class 0 comes first.",
        ),
        (
            (1.5, float(expit(1.5))),
            "σ(z_0) ignores the other class. Softmax compares the logits: only their "
            "difference matters.",
        ),
        (
            (1.0, float(expit(1.0))),
            "you added the logits. Softmax is unchanged by a common shift, so only the "
            "difference of the two logits can matter.",
        ),
    ],
    hints=[
        "Write p_0 = e^(z_0) / (e^(z_0) + e^(z_1)) and divide the top and the bottom by e^(z_0).",
        "You get p_0 = 1 / (1 + e^(−(z_0 − z_1))) = σ(z_0 − z_1).",
    ],
    solution_text=(
        "p_0 = e^(z_0) / (e^(z_0) + e^(z_1)) = 1 / (1 + e^(z_1 − z_0)) = σ(z_0 − z_1). So "
        "t = 1.5 − (−0.5) = 2 and p_0 = σ(2) = 1 / (1 + e^(−2)) ≈ 0.8808. Answer: "
        "q5.check((2, 1 / (1 + math.exp(-2)))). A two-class softmax is a sigmoid of the "
        "difference of the logits: two output units carry only one useful number, which is why "
        "binary classifiers use one logit and a sigmoid."
    ),
    success_note="softmax([z0, z1])_0 = σ(z0 − z1): with two classes softmax is the sigmoid.",
)

q6 = ChoiceQuestion(
    "q6",
    "The logits are x = (1, 3, 3). What does softmax(x / T) approach as the temperature T "
    "goes to 0 (from above)? Answer with a letter, e.g. q6.check('a').",
    options={
        "a": "(0, 1, 0): all the probability goes to the first largest logit.",
        "b": "(0, 1/2, 1/2): the two tied largest logits share it.",
        "c": "(1/3, 1/3, 1/3): the uniform distribution.",
        "d": "(1/7, 3/7, 3/7): the logits divided by their sum.",
    },
    answer="b",
    feedback={
        "a": "the second and third logits are equal, so their probabilities are equal at every "
        "T, and stay equal in the limit. Softmax has no notion of 'first'; argmax does.",
        "c": "that is the limit T → ∞, where x / T goes to 0 for every class.",
        "d": "that is x / Σx. It equals softmax(x / T) at one temperature, T = 2 / ln 3 ≈ 1.82 "
        "(where e^(2/T) = 3), but it is not the limit: as T → 0 the smaller logit's share "
        "e^(−2/T) vanishes.",
    },
    hints=[
        "Subtract the maximum: softmax(x / T) = softmax((x − 3) / T) = softmax((−2, 0, 0) / T).",
        "As T → 0, e^(−2/T) → 0, while e^0 = 1 for both tied classes.",
    ],
    solution_text=(
        "(b). softmax(x / T) = (e^(−2/T), 1, 1) / (e^(−2/T) + 2) after subtracting the maximum "
        "3/T. As T → 0, e^(−2/T) → 0, so the limit is (0, 1/2, 1/2): the argmax as a one-hot "
        "vector, with ties shared equally. As T → ∞ it tends to the uniform (1/3, 1/3, 1/3)."
    ),
    success_note="T → 0 gives the argmax, shared among ties; T → ∞ gives the uniform distribution.",
)
