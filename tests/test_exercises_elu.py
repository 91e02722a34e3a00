"""Tests for the ELU chapter's questions (the checker framework is tested in test_exercises.py)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from exercise_contract import assert_correct, assert_incorrect, assert_reveals_nothing, strict_check
from scipy import integrate, stats

import actlib
from actlib.exercises import elu as ex

RELU_MEAN = 1 / math.sqrt(2 * math.pi)
ELU_MEAN = RELU_MEAN + math.exp(0.5) * stats.norm.cdf(-1.0) - 0.5
CORRECT_ANSWERS = {
    "q1": (1.5, -1.0, -1.5, -2.0),
    "q2": ex.elu_grad,
    "q3": ex.elu,
    "q4": (RELU_MEAN, ELU_MEAN),
    "q5": "b",
}


# ----------------------------------------------------------------------------- correct answers


def _monte_carlo_means():
    z = np.random.default_rng(0).standard_normal(10**6)
    return actlib.relu(z).mean(), actlib.elu(z).mean()


def _quadrature_means():
    relu = integrate.quad(lambda z: z * stats.norm.pdf(z), 0, np.inf)[0]
    left = integrate.quad(lambda z: math.expm1(z) * stats.norm.pdf(z), -np.inf, 0)[0]
    return relu, relu + left


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (ex.q1, [1.5, -1, -1.5, -2]),
        (ex.q1, (Fraction(3, 2), -1, Fraction(-3, 2), -2)),
        (ex.q1, tuple(actlib.elu([1.5, -math.log(2), -math.log(4), -np.inf], alpha=2.0))),
        (ex.q2, actlib.elu_grad),
        (ex.q2, lambda x, alpha=1.0: np.where(x > 0, 1.0, actlib.elu(x, alpha) + alpha)),
        (ex.q3, actlib.elu),
        (ex.q3, lambda x, alpha=1.0: np.maximum(x, 0) + alpha * np.expm1(np.minimum(x, 0))),
        (ex.q4, _monte_carlo_means()),
        (ex.q4, _quadrature_means()),
        (ex.q4, (0.399, 0.161)),
        (ex.q5, " B "),
        (ex.q5, "(b)"),
    ]
    + [(getattr(ex, n), a) for n, a in CORRECT_ANSWERS.items()],
)
def test_other_correct_answers_pass(question, answer):
    assert_correct(question, answer)


def test_the_reference_solutions_agree_with_actlib():
    x = np.array([-np.inf, -1000.0, -3.0, -1e-10, 0.0, 1e-10, 2.0, 1000.0, np.inf, np.nan])
    for alpha in (0.0, 0.5, 1.0, 2.0):
        np.testing.assert_array_equal(ex.elu(x, alpha), actlib.elu(x, alpha))
        np.testing.assert_array_equal(ex.elu_grad(x, alpha), actlib.elu_grad(x, alpha))
    assert ex.elu_grad(0.0, 2.0) == 2.0  # PyTorch's value at the kink
    assert ex.elu(np.float32(-1e-10)).dtype == np.float32


# ----------------------------------------------------------------------------- not attempted


# ----------------------------------------------------------------------------- q1, by hand


@pytest.mark.parametrize(
    ("answer", "fragments"),
    [
        ((2 * math.expm1(1.5), -math.log(2), -math.log(4), -math.inf), ["swapped"]),
        ((1.5, -0.5, -0.75, -1.0), ["α = 1", "multiply"]),
        ((1.5, 2.0, 6.0, math.inf), ["e^(−x)"]),
        ((1.5, 1.0, 0.5, 0.0), ["forgot the − 1"]),
        ((1.5, -1.0, -1.5, 2.0), ["sign of the limit"]),
        ((1.5, -1.0, -1.4, -2.0), ["ELU(-ln 4): this is too small"]),
        ((1.5, -1.0, -1.5, -1.0), ["the limit as x -> -inf: this is too small, by a factor"]),
        ((1.5, -1.0, -1.5), ["3 value(s)", "4 numbers"]),
        ("1.5, -1, -1.5, -2", ["string", "without quotes"]),
    ],
)
def test_q1_wrong_answers(answer, fragments):
    assert_incorrect(ex.q1, answer, *fragments)


# ----------------------------------------------------------------------------- q2, derivative


def naive_elu_grad(x, alpha=1.0):  # exp in both branches: overflows for x = 1000
    return np.where(x > 0, 1.0, alpha * np.exp(x))


def swapped_elu_grad(x, alpha=1.0):
    return np.where(x > 0, alpha * np.exp(x), 1.0)


def kink_one_elu_grad(x, alpha=1.0):  # slope 1 at x = 0
    return np.where(x >= 0, 1.0, alpha * np.exp(np.minimum(x, 0)))


def float64_elu_grad(x, alpha=1.0):
    return actlib.elu_grad(np.asarray(x, dtype=np.float64), alpha)


ELU_GRAD_CATALOGUE = [
    (swapped_elu_grad, ["x[0] = -3.0", "regions are swapped"]),
    (naive_elu_grad, ["RuntimeWarning", "overflow encountered in exp", "x[3] = 1000.0", "hint"]),
    (kink_one_elu_grad, ["for x = 0.0, alpha = 2.0", "PyTorch's convention"]),
    (lambda x, alpha=1.0: actlib.elu_grad(x), ["alpha = 2.0", "left out the factor α"]),
    (lambda x, alpha=1.0: actlib.elu(x, alpha), ["ELU itself"]),
    (lambda x, alpha=1.0: actlib.elu(x, alpha) + alpha, ["only for x ≤ 0"]),
    (
        lambda x, alpha=1.0: np.where(x > 0, 1.0, alpha * np.expm1(np.minimum(x, 0))),
        ["α(e^x − 1), the function"],
    ),
    (float64_elu_grad, ["dtype float64 for a float32 input"]),
    (
        lambda x, alpha=1.0: np.nan_to_num(actlib.elu_grad(x, alpha)),
        ["x[2] = nan", "should be NaN"],
    ),
    (lambda x: actlib.elu_grad(x), ["raised TypeError"]),
    (lambda x, alpha=1.0: np.mean(actlib.elu_grad(x, alpha)), ["single number", "shape (5,)"]),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    ELU_GRAD_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(ELU_GRAD_CATALOGUE))],
)
def test_q2_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q2, answer, *fragments)


def test_q2_overflow_is_caught_in_float32_too():
    def float32_unsafe(x, alpha=1.0):  # stable in float64 only: exp(100) overflows in float32
        x = np.asarray(x)
        if x.dtype == np.float64:
            return actlib.elu_grad(x, alpha)
        return naive_elu_grad(x, alpha)

    assert_incorrect(ex.q2, float32_unsafe, "dtype=float32", "x[3] = 100.0", "overflow")


# ----------------------------------------------------------------------------- q3, stable ELU


def naive_elu(x, alpha=1.0):  # cancellation near 0 and overflow in the unused branch
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


def expm1_both_branches(x, alpha=1.0):  # accurate, but expm1(1000) still overflows
    return np.where(x > 0, x, alpha * np.expm1(x))


def clipped_naive_elu(x, alpha=1.0):  # no overflow, but still cancels
    return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))


def mutating_elu(x, alpha=1.0):
    x = np.asarray(x)
    if x.ndim:
        neg = x <= 0
        x[neg] = alpha * np.expm1(x[neg])
        return x
    return actlib.elu(x, alpha)


ELU_CATALOGUE = [
    (naive_elu, ["x[1] = -1e-10", "relative error about 8e-08", "cancel", "np.expm1"]),
    (clipped_naive_elu, ["x[1] = -1e-10", "cancel"]),
    (expm1_both_branches, ["RuntimeWarning", "overflow encountered in expm1", "x[3] = 1000.0"]),
    (
        lambda x, alpha=1.0: np.where(x > 0, alpha * np.expm1(x), x),
        ["for x = 0.5, alpha = 1.0", "regions are swapped"],
    ),
    (lambda x, alpha=1.0: actlib.elu(x), ["alpha = 2.0", "left out the factor α"]),
    (lambda x, alpha=1.0: actlib.relu(x), ["x[0] = -3.0", "That is ReLU"]),
    (lambda x, alpha=1.0: -actlib.elu(-np.asarray(x), alpha), ["for x = 0.5", "too small"]),
    (
        lambda x, alpha=1.0: np.where(x > 0, x, -alpha * np.expm1(np.minimum(x, 0))),
        ["sign of the negative part"],
    ),
    (
        lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.exp(np.minimum(x, 0))),
        ["left out the − 1"],
    ),
    (mutating_elu, ["modified its input x in place"]),
    (
        lambda x, alpha=1.0: actlib.elu(np.asarray(x, dtype=np.float64), alpha),
        ["dtype float64 for a float32 input"],
    ),
    (lambda x, alpha=1.0: list(np.atleast_1d(actlib.elu(x, alpha))), ["not a NumPy array"]),
    (
        lambda x, alpha=1.0: x if x > 0 else alpha * math.expm1(x),
        ["ambiguous", "np.where"],
    ),
    (
        lambda x, alpha=1.0: np.where(np.isnan(x), 0.0, actlib.elu(x, alpha)),
        ["x[2] = nan", "should be NaN"],
    ),
]


@pytest.mark.parametrize(
    ("answer", "fragments"),
    ELU_CATALOGUE,
    ids=[f"wrong{i}" for i in range(len(ELU_CATALOGUE))],
)
def test_q3_wrong_answers_get_specific_messages(answer, fragments):
    assert_incorrect(ex.q3, answer, *fragments)


def test_q3_float32_cancellation_is_caught():
    def float32_naive(x, alpha=1.0):  # exact in float64, e^x - 1 in float32
        x = np.asarray(x)
        if x.dtype == np.float64:
            return actlib.elu(x, alpha)
        return np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))

    assert_incorrect(ex.q3, float32_naive, "dtype=float32", "x[0] = -0.001")


def test_q3_float32_overflow_is_caught():
    def float32_unsafe(x, alpha=1.0):  # stable in float64 only: expm1(100) overflows in float32
        x = np.asarray(x)
        if x.dtype == np.float64:
            return actlib.elu(x, alpha)
        return expm1_both_branches(x, alpha)

    assert_incorrect(ex.q3, float32_unsafe, "dtype=float32", "x[3] = 100.0", "overflow")


# ----------------------------------------------------------------------------- q4, q5


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ((ELU_MEAN, RELU_MEAN), "swapped"),
        ((RELU_MEAN, ELU_MEAN + 0.5), "left out the − 1"),
        ((RELU_MEAN, ELU_MEAN - RELU_MEAN), "kept only the negative part"),
        ((0.5, ELU_MEAN), "not P(z > 0)"),
        ((RELU_MEAN, 0.0), "the ELU mean: this is exactly 0"),
        ((RELU_MEAN, ELU_MEAN * 1.05), "the ELU mean: this is too large"),
        (RELU_MEAN, "1 value(s)"),
    ],
)
def test_q4_wrong_answers(answer, fragment):
    assert_incorrect(ex.q4, answer, fragment)


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [("a", "jumps at 0"), ("c", "unbounded above"), ("d", "x ≤ 0 branch"), ("e", "not an option")],
)
def test_q5_wrong_answers(answer, fragment):
    assert_incorrect(ex.q5, answer, fragment)


def test_q5_statement_b_is_what_the_numbers_say():
    h = 1e-6
    for alpha in (0.5, 1.0, 2.0):
        left = (actlib.elu(0.0, alpha) - actlib.elu(-h, alpha)) / h
        right = (actlib.elu(h, alpha) - actlib.elu(0.0, alpha)) / h
        assert math.isclose(right, 1.0, rel_tol=1e-6)
        assert math.isclose(left, alpha, rel_tol=1e-5)
        curvature_left = (actlib.elu_grad(-h, alpha) - actlib.elu_grad(-2 * h, alpha)) / h
        curvature_right = (actlib.elu_grad(2 * h, alpha) - actlib.elu_grad(h, alpha)) / h
        assert math.isclose(curvature_left, alpha, rel_tol=1e-4)
        assert curvature_right == 0.0


# ----------------------------------------------------------------------------- no spoilers


WRONG_ANSWERS = (
    [(ex.q3, a) for a, _ in ELU_CATALOGUE]
    + [(ex.q2, a) for a, _ in ELU_GRAD_CATALOGUE]
    + [(ex.q1, a) for a in [(1.5, -0.5, -0.75, -1.0), (1.5, -1.0, -1.4, -2.0), (0, 0, 0, 0)]]
    + [(ex.q4, a) for a in [(0.5, 0.5), (0.3, 0.1), (RELU_MEAN, 0.0), (0.0, ELU_MEAN)]]
)


@pytest.mark.parametrize(("question", "answer"), WRONG_ANSWERS)
def test_messages_never_reveal_expected_values(question, answer):
    assert_reveals_nothing(
        question, answer, "0.399", "0.161", "0.16", "0.40", "−3/2", "-1.5", "−2 = −α"
    )


# ----------------------------------------------------------------------------- hints, solutions


@pytest.mark.parametrize(
    ("question", "fragment"),
    [
        (ex.q1, "2(1/2 − 1) = −1"),
        (ex.q1, "−α"),
        (ex.q4, "e^(1/2) Φ(−1)"),
        (ex.q4, "q4.check((0.399, 0.161))"),
        (ex.q5, "(b)"),
    ],
)
def test_solutions_explain_the_answer(question, fragment):
    assert fragment in repr(question.solution())


def test_solution_answers_pass_their_own_checks():
    assert strict_check(ex.q1, (1.5, -1.0, -1.5, -2.0))
    assert strict_check(ex.q4, (0.399, 0.161))
